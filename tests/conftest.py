"""Shared pytest configuration: the path of the test data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The directory of test data files (``tests/data``)."""
    return DATA_DIR
