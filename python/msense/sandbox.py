"""The host's sandbox for the scripts an interpreter runs: which files they may reach and what
one run may consume (msense_set_file_access and msense_set_limits of include/msense.h; the Swift
API's FileAccess and Limits). docs/embedding.md, "Sandbox and limits", states the guarantees."""
import os
from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class FileAccess:
    """Which files scripts may read and write (load, save, mkdir, plots, import). With `root`,
    relative paths are taken relative to that existing directory and every path must resolve
    inside it (`..` and symbolic links followed)."""

    can_read: bool = True
    can_write: bool = True
    root: Optional[Union[str, "os.PathLike[str]"]] = None


#: Everything allowed (the default).
FileAccess.UNRESTRICTED = FileAccess()
#: No file access at all.
FileAccess.NONE = FileAccess(can_read=False, can_write=False)


@dataclass(frozen=True)
class Limits:
    """What each run may consume: `steps` evaluation steps (every loop iteration, call and
    optimizer iteration one; native work one per 2**20 operations, passes over the measurements
    included) and `memory_bytes` of growth of the process. None: no limit. A run that goes over
    raises MSenseError naming the limit; the interpreter stays usable."""

    steps: Optional[int] = None
    memory_bytes: Optional[int] = None


#: No limits (the default).
Limits.NONE = Limits()
