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


# The longest files start first, one on each worker. `make test` runs `pytest -n 2 --dist loadfile
# --no-loadscope-reorder`: every test of a file goes to one worker (so a module's real run, such as the
# region run, is made once, not once on each worker as `--dist load` may split it), files are handed
# out in collection order, the first to the first worker and the second to the second. Left near the end,
# the fault tests alone would keep one worker busy for minutes after the other had finished. docs/development.md
# gives the measured costs.
LONGEST_FIRST = (  # measured alone on the loaded 2-core machine, 6 December 2026 (docs/development.md)
    "tests/report/test_faults.py",  # about 570 s: some twenty stopped, killed and timed-out report runs
    "tests/report/test_document.py",  # about 130 s in one test: a report built for each of two years
    "tests/region/test_region_run.py",  # about 95 s: one cpkit region run of three councils, two reports
    "tests/report/test_document_plan.py",  # about 30 s: real kernels through the runner's stages, a rerun
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
