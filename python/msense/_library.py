"""Loads libMSenseC.so and declares the C API of include/msense.h for ctypes.

The library is found at $MSENSE_LIBRARY when set, otherwise in this package's lib/ folder,
where `pip install ./python` put a copy of the one built in .build/release/.
"""
import ctypes
import os
from pathlib import Path

LIBRARY = "libMSenseC.so"

OK, ERROR, CANCELLED, MISUSE = 0, 1, 2, -1
UNLIMITED = -1
NIL, BOOL, NUMBER, STRING, LIST, RECORD, RANGE, MATRIX, FUNCTION, TRACE, OBJECT = range(11)
EVENT_STARTED, EVENT_ROW, EVENT_PROGRESS, EVENT_FINISHED = range(4)
SEVERITY, PATH, MESSAGE, HINT, SOURCE_LINE, RENDERED, RENDERED_COLOR = range(7)

handle = ctypes.c_void_p
text = ctypes.c_char_p
size = ctypes.c_size_t

OUTPUT_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(ctypes.c_char), size)
DISPLAY_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, size, ctypes.POINTER(text),
                              ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)), ctypes.POINTER(size))
EVENT_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, text, ctypes.c_longlong, ctypes.c_longlong,
                            size, ctypes.POINTER(text), ctypes.POINTER(ctypes.c_double))
NATIVE_FN = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)

# name: (result type, argument types)
PROTOTYPES = {
    "msense_version": (text, []),
    "msense_misuse": (text, []),
    "msense_new": (handle, [ctypes.POINTER(text), size, OUTPUT_FN, DISPLAY_FN, EVENT_FN, ctypes.c_void_p]),
    "msense_free": (None, [handle]),
    "msense_run": (ctypes.c_int, [handle, ctypes.c_char_p, size, text, ctypes.POINTER(handle)]),
    "msense_run_file": (ctypes.c_int, [handle, text, ctypes.POINTER(handle)]),
    "msense_evaluate": (ctypes.c_int, [handle, ctypes.c_char_p, size, ctypes.POINTER(handle)]),
    "msense_cancel": (ctypes.c_int, [handle]),
    "msense_set_file_access": (ctypes.c_int, [handle, ctypes.c_int, ctypes.c_int, text]),
    "msense_set_limits": (ctypes.c_int, [handle, ctypes.c_longlong, ctypes.c_longlong]),
    "msense_set_events": (ctypes.c_int, [handle, ctypes.c_uint]),
    "msense_diagnostic_count": (size, [handle]),
    "msense_diagnostic_text": (text, [handle, size, ctypes.c_int]),
    "msense_diagnostic_position": (ctypes.c_int, [handle, size, ctypes.POINTER(ctypes.c_long), ctypes.POINTER(ctypes.c_long)]),
    "msense_get_global": (handle, [handle, text]),
    "msense_set_global": (ctypes.c_int, [handle, text, handle]),
    "msense_globals": (size, [handle]),
    "msense_global_name": (text, [handle, size]),
    "msense_complete": (size, [handle, text, text]),
    "msense_completion": (text, [handle, size]),
    "msense_help": (text, [handle, text]),
    "msense_is_incomplete": (ctypes.c_int, [handle, text]),
    "msense_value_type": (ctypes.c_int, [handle]),
    "msense_value_type_name": (text, [handle]),
    "msense_value_display": (text, [handle]),
    "msense_value_bool": (ctypes.c_int, [handle, ctypes.POINTER(ctypes.c_int)]),
    "msense_value_number": (ctypes.c_int, [handle, ctypes.POINTER(ctypes.c_double)]),
    "msense_value_string": (ctypes.POINTER(ctypes.c_char), [handle, ctypes.POINTER(size)]),
    "msense_value_length": (size, [handle]),
    "msense_value_item": (handle, [handle, size]),
    "msense_value_numbers": (size, [handle, ctypes.POINTER(ctypes.c_double), size]),
    "msense_value_field_name": (text, [handle, size]),
    "msense_value_field": (handle, [handle, text]),
    "msense_value_matrix": (ctypes.POINTER(ctypes.c_double), [handle, ctypes.POINTER(size), ctypes.POINTER(size)]),
    "msense_value_array": (ctypes.POINTER(ctypes.c_double), [handle, ctypes.POINTER(size), ctypes.POINTER(size)]),
    "msense_value_trace": (ctypes.c_int, [handle, ctypes.POINTER(size), ctypes.POINTER(size)]),
    "msense_value_trace_column_name": (text, [handle, size]),
    "msense_value_trace_column": (ctypes.POINTER(ctypes.c_double), [handle, size]),
    "msense_value_copy": (handle, [handle]),
    "msense_value_free": (None, [handle]),
    "msense_new_nil": (handle, []),
    "msense_new_bool": (handle, [ctypes.c_int]),
    "msense_new_number": (handle, [ctypes.c_double]),
    "msense_new_string": (handle, [ctypes.c_char_p, size]),
    "msense_new_list": (handle, [ctypes.POINTER(handle), size]),
    "msense_new_number_list": (handle, [ctypes.POINTER(ctypes.c_double), size]),
    "msense_new_record": (handle, [ctypes.POINTER(text), ctypes.POINTER(handle), size]),
    "msense_new_matrix": (handle, [ctypes.POINTER(ctypes.c_double), size, size]),
    "msense_new_array": (handle, [ctypes.POINTER(ctypes.c_double), ctypes.POINTER(size), size]),
    "msense_register": (ctypes.c_int, [handle, text, text, ctypes.POINTER(text), size, size, NATIVE_FN, ctypes.c_void_p]),
    "msense_call_count": (size, [handle]),
    "msense_call_arg": (handle, [handle, size]),
    "msense_call_fail": (ctypes.c_int, [handle, text, text]),
}


def library_path() -> Path:
    """Where the C library is loaded from: $MSENSE_LIBRARY, or the copy bundled at install."""
    given = os.environ.get("MSENSE_LIBRARY")
    return Path(given) if given else Path(__file__).resolve().parent / "lib" / LIBRARY


def load() -> ctypes.CDLL:
    path = library_path()
    if not path.is_file():
        raise ImportError(
            f"msense: the C library is not at {path}; build it with `swift build -c release` in the "
            "repository root and reinstall (pip install ./python), or set MSENSE_LIBRARY (docs/python.md)"
        )
    library = ctypes.CDLL(str(path))
    for name, (result, arguments) in PROTOTYPES.items():
        function = getattr(library, name)
        function.restype = result
        function.argtypes = arguments
    return library


lib = load()


def misuse() -> str:
    """The library's explanation of the last misuse on this thread."""
    message = lib.msense_misuse()
    return message.decode("utf-8", "replace") if message else "misuse of the msense C API"
