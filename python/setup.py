"""Bundles the msense C library (libMSenseC.so) into the package when it is built.

The library comes from $MSENSE_LIBRARY when set, otherwise from the repository's
.build/release/ (run `swift build -c release` in the repository root first). See docs/python.md.
"""
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LIBRARY = "libMSenseC.so"


def built_library() -> Path:
    given = os.environ.get("MSENSE_LIBRARY")
    candidate = Path(given) if given else Path(__file__).resolve().parent.parent / ".build" / "release" / LIBRARY
    if not candidate.is_file():
        raise SystemExit(
            f"msense: cannot find the C library at {candidate}\n"
            "build it first in the repository root: swift build -c release\n"
            "(or point MSENSE_LIBRARY at a built libMSenseC.so)"
        )
    return candidate


class BuildWithLibrary(build_py):
    """build_py that also copies the C library into msense/lib/."""

    def run(self):
        super().run()
        target = Path(self.build_lib) / "msense" / "lib"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built_library(), target / LIBRARY)


setup(cmdclass={"build_py": BuildWithLibrary})
