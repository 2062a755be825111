"""Shared fixtures: where the project and the DfE reference files are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The DfE validation rules take tens of seconds a run: report runs in tests skip them (their own
# tests in tests/ssda903/test_validator.py switch them on).
os.environ.setdefault("CPKIT_DFE_RULES", "off")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
# Real published DfE statistics live beside the checkout (../shared/data/dfe), never in the project.
DFE_DIR = ROOT.parent / "shared" / "data" / "dfe"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def dfe_dir() -> Path:
    """The DfE reference folder; tests that need it skip cleanly when it is absent."""
    if not DFE_DIR.is_dir():
        pytest.skip(f"DfE reference files not found at {DFE_DIR}")
    return DFE_DIR
