"""Writes the kernel spec (kernel.json) and installs it with jupyter_client's KernelSpecManager."""
import json
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

NAME = "msense"


def spec(python: str = sys.executable) -> dict:
    return {
        "argv": [python, "-m", "msense.kernel", "-f", "{connection_file}"],
        "display_name": "msense",
        "language": "msense",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }


def install(user: bool = False, prefix: str = None) -> str:
    """Installs the spec (default: into this Python's prefix, e.g. the project's .build/venv);
    returns the folder it went to."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "kernel.json").write_text(json.dumps(spec(), indent=2) + "\n")
        return KernelSpecManager().install_kernel_spec(folder, NAME, user=user,
                                                       prefix=None if user else (prefix or sys.prefix))
