"""Shared paths for the msense Python tests (run by scripts/python-tests.sh)."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def root() -> Path:
    """The repository root."""
    return ROOT
