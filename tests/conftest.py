"""Shared fixtures: where the project and the DfE reference files are."""

from __future__ import annotations

import os
import subprocess
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


@pytest.fixture(scope="session")
def csdm_samples() -> Path:
    """The fake SSDA903 returns that Social Finance's cs-demand-model package ships
    (``cs_demand_model_samples/``: ``combined/2017-episodes.csv`` ..., ``v1.zip``), from the package as
    installed in ``.venv-csdm`` by ``make csdm`` (a dependency of ``make test``, so CI always has them).
    Run outside make without that environment, the tests that read them skip and say how to get it."""
    python = ROOT / ".venv-csdm" / "bin" / "python"
    if not python.exists():
        pytest.skip("cs-demand-model is not installed: run `make csdm` (make test does)")
    found = subprocess.run(
        [str(python), "-c", "import cs_demand_model_samples as s; print(s.__path__[0])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(found.stdout.strip())
