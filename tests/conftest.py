"""Shared fixtures: where the project and the DfE reference files are, and the sample's 2025 report built
once for the whole run (the report tests read its pages, the section tests its executed notebooks)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


# The longest files start first. `make test` runs `pytest -n 2 --dist loadfile --no-loadscope-reorder`:
# every test of a file goes to one worker (so a module's real run, such as the region run, is made once, not
# once on each worker as `--dist load` may split it), and files are handed out in collection order, the
# first to the first worker and the second to the second, then each to the worker that runs out first. A
# long file handed out last keeps one worker busy after the other has finished: the longest go first
# (longest first is close to the best split of files of unequal length over two workers) and only short
# files are left for the end, where the collection order had put the validator, the notebook runs for 2024
# and the wheel. docs/development.md gives the measured costs.
LONGEST_FIRST = (  # seconds in the fresh clone's `make test` of 6 December 2026 (the slowest tests it lists)
    "tests/report/test_faults.py",  # 16 stopped runs, each under 15 s; 260 s alone here at load 7
    "tests/report/test_document.py",  # builds the sample's report (39 s) for the file; two one-section years
    "tests/report/test_blocking.py",  # 34 + 24 + 15 s: three real runs on a copy of the sample
    "tests/region/test_region_run.py",  # 62 s: one cpkit region run of three councils, two reports
    "tests/sections/test_notebooks_run.py",  # four section notebooks run on the sample for 2024 (50 s at load 6)
    "tests/report/test_document_plan.py",  # about 30 s: real kernels through the runner's stages, a rerun
    "tests/ssda903/test_validator.py",  # 14 s and three of 3-5 s: the DfE rules' own environment
    "tests/test_packaging.py",  # 15 s: a wheel built and its report run (last in collection order)
    "tests/region/test_region_of_one.py",  # a cpkit region run of one council on a LocalCluster
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the files in LONGEST_FIRST to the front, in that order (the rest keep theirs)."""

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: within a file and among the other files, collection order stays


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    """An exclusive lock between test workers (none where ``fcntl`` is missing: each worker then builds)."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Path]) -> Path:
    """``build(folder)`` once per test run, shared by all xdist workers; its result path is reused."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build(factory.mktemp(name))
    shared = factory.getbasetemp().parent / name
    shared.mkdir(exist_ok=True)
    with _lock(shared / ".lock"):
        done = shared / "built.txt"
        if done.exists():
            return Path(done.read_text(encoding="utf-8"))
        result = build(Path(tempfile.mkdtemp(dir=shared)))  # a fresh folder: a failed attempt may remain
        done.write_text(str(result), encoding="utf-8")
        return result


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``reports/2025/`` built from ``data/sample`` with all sections; the executed notebooks are beside it,
    in ``reports/_analyst/2025/``."""

    def build(folder: Path) -> Path:
        from cpkit.report.runner import ReportRequest, build_report

        return build_report(ReportRequest(year=2025, out_dir=folder / "reports", progress=False, jobs=2))

    return built_once(tmp_path_factory, "sample_report", build)
