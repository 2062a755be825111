"""How long each stage of a report run took: a small record kept for analysts and the benchmark.

``cpkit report`` writes it as ``_analyst/<year>/timings.json`` beside the executed notebooks (not in the
shareable report: it describes the machine, not the council). ``benchmarks/bench_report.py`` prints it, so
the benchmark reports the runner's own stages instead of re-running them. Stages are grouped:

- ``prepare``: reading and checking the returns, the DfE's validator, the figures table, the cache;
- ``sections``: each section's seconds in its worker, and the start-up of each kernel (started until it
  answers);
- ``writers``: the section pages, the single document, each PDF, the Word file, the workbook, the cover
  report, the quarterly page.

Stages that run at the same time (the sections on their workers, the writers in parallel) are each timed
on their own, so a group's stages can add up to more than its wall time, which is recorded as the group's
``wall``. Recording is a module-level recorder switched on by the run (:func:`recording`); outside a run
:func:`stage` and :func:`add` cost nothing and record nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TIMINGS_NAME = "timings.json"  # in _analyst/<year>/
GROUPS = ("prepare", "sections", "writers")


class Timings:
    """Stages as ``(group, name, seconds)`` in the order they ended, and each group's wall time."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.stages: list[dict[str, object]] = []
        self.walls: dict[str, float] = {}

    def add(self, group: str, name: str, seconds: float) -> None:
        self.stages.append({"group": group, "stage": name, "seconds": round(seconds, 2)})

    def as_dict(self) -> dict[str, object]:
        return {
            "total": round(time.perf_counter() - self.began, 2),
            "groups": {g: round(self.walls[g], 2) for g in GROUPS if g in self.walls},
            "stages": list(self.stages),
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), indent=1), encoding="utf-8")


_CURRENT: Timings | None = None


@contextmanager
def recording() -> Iterator[Timings]:
    """Record the stages timed inside the block (one run at a time per process)."""
    global _CURRENT
    previous, _CURRENT = _CURRENT, Timings()
    try:
        yield _CURRENT
    finally:
        _CURRENT = previous


def section_seconds(path: Path) -> dict[str, float]:
    """Each section's seconds in the run recorded at ``path`` (empty when there is none, or it cannot be
    read): the runner starts the longest first."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return {
            str(s["stage"]): float(s["seconds"])
            for s in record["stages"]
            if s["group"] == "sections" and not str(s["stage"]).startswith("kernel start-up")
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write(path: Path) -> None:
    """Write the run's record to ``path`` (nothing outside :func:`recording`)."""
    if _CURRENT is not None:
        _CURRENT.write(path)


def add(group: str, name: str, seconds: float) -> None:
    """Record a stage timed elsewhere (a section in its worker, a writer in a pool process)."""
    if _CURRENT is not None:
        _CURRENT.add(group, name, seconds)


@contextmanager
def stage(group: str, name: str) -> Iterator[None]:
    """Time the block as stage ``name`` of ``group`` (recorded only when it ends without an exception)."""
    start = time.perf_counter()
    yield
    add(group, name, time.perf_counter() - start)


def wall(group: str, seconds: float) -> None:
    """Record the wall time of ``group`` (its stages may overlap)."""
    if _CURRENT is not None:
        _CURRENT.walls[group] = _CURRENT.walls.get(group, 0.0) + seconds


@contextmanager
def group(name: str) -> Iterator[None]:
    """Time the block as the wall time of group ``name``."""
    start = time.perf_counter()
    yield
    wall(name, time.perf_counter() - start)
