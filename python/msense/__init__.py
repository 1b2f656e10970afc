"""msense from Python: run msense scripts, read runs and traces as NumPy, register Python
functions as builtins (docs/python.md). The Jupyter kernel is msense.kernel (docs/jupyter.md)."""
from ._library import lib, library_path
from .errors import Cancelled, Diagnostic, MSenseError
from .interpreter import Event, Figure, Interpreter
from .sandbox import FileAccess, Limits
from .values import Function, Object, Trace

__version__ = "0.1.0"

__all__ = ["Interpreter", "MSenseError", "Cancelled", "Diagnostic", "Trace", "Object", "Function",
           "Figure", "Event", "FileAccess", "Limits", "version", "library_path"]


def version() -> str:
    """The version of the msense library in use."""
    return lib.msense_version().decode()
