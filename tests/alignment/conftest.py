"""Fixtures for the aligner's tests: the shared development data, when it is there."""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_data_directory() -> Path:
    """../shared/data next to the repository, or $TM_SHARED_DATA."""
    override = os.environ.get("TM_SHARED_DATA")
    if override:
        return Path(override).resolve()
    return (Path(__file__).resolve().parents[2] / "../shared/data").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    directory = shared_data_directory()
    if not (directory / "parallel").is_dir():
        pytest.skip(f"shared development data not found at {directory} (set TM_SHARED_DATA)")
    return directory
