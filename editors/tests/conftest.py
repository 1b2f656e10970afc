"""Shared paths for the editor tests (run by scripts/editor-tests.sh)."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
MSENSE = ROOT / ".build" / "release" / "msense"
#: Golden scripts that are malformed on purpose (their syntax errors are what they test).
MALFORMED = ROOT / "Tests" / "Scripts" / "errors" / "syntax"


def scripts(folder):
    """Every .msense file under the repository folder `folder`, sorted."""
    return sorted((ROOT / folder).rglob("*.msense"))
