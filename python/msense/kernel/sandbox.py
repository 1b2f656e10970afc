"""The kernel's sandbox, from the environment its kernel spec sets (kernel.json's "env"), for a
notebook server that runs notebooks it did not write:

    MSENSE_FILES       all (the default), read (no writing) or none (no file access)
    MSENSE_ROOT        an existing folder: relative paths are taken relative to it, and every
                       path a cell reaches must resolve inside it
    MSENSE_MAX_STEPS   evaluation steps per cell (msense.Limits.steps)
    MSENSE_MAX_MEMORY  bytes a cell may grow the kernel's process (msense.Limits.memory_bytes)

A value the kernel cannot use stops it at start with a message naming the variable, rather than
running unconfined.
"""
from typing import Mapping, Tuple

from ..sandbox import FileAccess, Limits

FILES = {"all": (True, True), "read": (True, False), "none": (False, False)}


def sandbox_from(environment: Mapping[str, str]) -> Tuple[FileAccess, Limits]:
    """The FileAccess and Limits the MSENSE_* variables of `environment` ask for; ValueError
    naming the variable when one is not usable."""
    files = environment.get("MSENSE_FILES", "all").strip()
    if files not in FILES:
        raise ValueError(f"MSENSE_FILES must be one of {', '.join(FILES)}, not {files!r}")
    can_read, can_write = FILES[files]
    root = environment.get("MSENSE_ROOT") or None
    limits = Limits(steps=count(environment, "MSENSE_MAX_STEPS"), memory_bytes=count(environment, "MSENSE_MAX_MEMORY"))
    return FileAccess(can_read=can_read, can_write=can_write, root=root), limits


def count(environment: Mapping[str, str], name: str):
    """The whole number ≥ 0 in variable `name` (None when unset or empty)."""
    text = environment.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) >= 2**63:
        raise ValueError(f"{name} must be a whole number of at least 0, not {text!r}")
    return int(text)
