"""``cpkit report``: run every section for a year, render officer HTML, and swap the folder in whole.

A scheduled run must fail loudly and harmlessly. Everything is built in a staging folder beside the
report; only when every section ran and rendered is ``reports/<year>/`` replaced (two renames on the
same filesystem). A failed section gives ``ReportFailed`` naming the section, the cell and the
exception; its executed notebook is kept for the analyst under ``reports/_analyst/<year>/`` and no officer
HTML is made from it; the previous good report stays as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from cpkit.config import IN_YEAR_KINDS, Config, Period, find_config
from cpkit.report.execute import SectionRun, run_section
from cpkit.report.sections import Section, select

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
ANALYST_DIR = "_analyst"  # executed notebooks: for analysts, not for sharing


class ReportFailed(RuntimeError):
    """The run did not produce a report; the message says which section, cell and exception."""

    def __init__(self, message: str, runs: list[SectionRun] | None = None) -> None:
        super().__init__(message)
        self.runs = runs or []


@dataclass
class ReportRequest:
    """What to build: the year, period, data and where to put it."""

    year: int
    period: str = "financial"
    data_dir: Path = SAMPLE_DIR
    out_dir: Path = ROOT / "reports"
    sections: list[str] | None = None
    jobs: int | None = None
    config_file: Path | None = None
    la_name: str | None = None
    la_code: str | None = None
    timeout: int | None = 600  # seconds per cell
    progress: bool = True
    registry: tuple[Section, ...] | None = None  # the sections to choose from (default: the report's)
    quarter: int | None = None  # with period "quarter": the quarterly Performance on a Page


def build_report(request: ReportRequest) -> Path:
    """Build ``<out_dir>/<year>/`` from the data; return its path or raise ``ReportFailed``."""
    data_dir = Path(request.data_dir).resolve()
    if not data_dir.is_dir():
        raise ReportFailed(f"data folder not found: {data_dir}")
    config_file = request.config_file or find_config(data_dir)
    config = Config.load(config_file, la_name=request.la_name, la_code=request.la_code)
    period = Period.from_year(request.year, request.period, request.quarter)
    in_year = period.kind in IN_YEAR_KINDS
    if in_year:
        from cpkit.report.sections import poap_section

        sections = [poap_section()]
    else:
        sections = select(request.sections, request.registry)
    out_dir = Path(request.out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    analyst_dir = out_dir / ANALYST_DIR / period.folder
    analyst_dir.mkdir(parents=True, exist_ok=True)

    work = Path(tempfile.mkdtemp(prefix=f".{period.folder}-building-", dir=out_dir))
    try:
        from cpkit.report.prepare import prepare_data

        cache_dir, inputs = prepare_data(data_dir, work / "cache", period, config)
        parameters = {
            "year": period.year,
            "period": period.kind,
            "data_dir": str(data_dir),
            "la_name": config.la_name,
            "la_code": config.la_code,
            "config_file": str(config_file.resolve()) if config_file else "",
            "cache_dir": str(cache_dir),
        }
        if in_year:
            parameters["quarter"] = period.quarter
        check_parameters(sections, parameters)
        runs = _execute_all(sections, parameters, analyst_dir, request)
        failed = [r for r in runs if not r.ok]
        if failed:
            raise ReportFailed(_failure_message(failed, analyst_dir), runs)
        from cpkit.report.poap_site import write_poap_site
        from cpkit.report.site import write_site

        staging = work / "site"
        (write_poap_site if in_year else write_site)(
            staging, sections, runs, config, period, parameters, inputs
        )
        return _swap_in(staging, out_dir / period.folder, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_parameters(sections: list[Section], parameters: dict[str, object]) -> None:
    """Every parameter the runner passes must be declared in the notebook (papermill only warns)."""
    import papermill as pm

    for section in sections:
        if not section.notebook.exists():
            raise ReportFailed(f"section {section.name}: notebook not found at {section.notebook}")
        declared = set(pm.inspect_notebook(str(section.notebook)))
        unknown = sorted(set(parameters) - declared)
        if unknown:
            raise ReportFailed(
                f"section {section.name}: parameter(s) {', '.join(unknown)} not declared in the notebook's "
                f"'parameters' cell (declared: {', '.join(sorted(declared))})"
            )


def _execute_all(
    sections: list[Section], parameters: dict[str, object], analyst_dir: Path, request: ReportRequest
) -> list[SectionRun]:
    """Run the sections in parallel (up to ``jobs``), those marked ``last`` after the rest."""
    jobs = max(1, request.jobs or os.cpu_count() or 1)
    first = [s for s in sections if not s.last]
    last = [s for s in sections if s.last]
    runs: list[SectionRun] = []
    from tqdm import tqdm

    with tqdm(
        total=len(sections), desc="Sections", unit="section", disable=not request.progress, file=sys.stderr
    ) as bar:
        for batch in (first, last):
            if not batch:
                continue
            runs.extend(_run_batch(batch, parameters, analyst_dir, jobs, request.timeout, bar))
            if any(not r.ok for r in runs):
                break  # the summary reads the others: no point running it after a failure
    order = {s.name: i for i, s in enumerate(sections)}
    return sorted(runs, key=lambda r: order[r.name])


def _run_batch(
    batch: list[Section],
    parameters: dict[str, object],
    analyst_dir: Path,
    jobs: int,
    timeout: int | None,
    bar,
) -> list[SectionRun]:  # noqa: ANN001 - tqdm bar
    runs = []
    if jobs == 1 or len(batch) == 1:
        for s in batch:
            runs.append(
                run_section(
                    s.name, s.notebook, analyst_dir / s.notebook.name, parameters, s.notebook.parent, timeout
                )
            )
            _progress(bar, runs[-1])
        return runs
    # spawn, not fork: a forked copy of a process that has touched ZMQ or threads is not safe
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(batch)), mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        futures = [
            pool.submit(
                run_section,
                s.name,
                s.notebook,
                analyst_dir / s.notebook.name,
                parameters,
                s.notebook.parent,
                timeout,
            )
            for s in batch
        ]
        for future in as_completed(futures):
            runs.append(future.result())
            _progress(bar, runs[-1])
    return runs


def _progress(bar, run: SectionRun) -> None:  # noqa: ANN001 - tqdm bar
    bar.update(1)
    bar.write(f"  {run.name}: {'ok' if run.ok else 'FAILED'} ({run.seconds:.1f} s)", file=sys.stderr)


def _failure_message(failed: list[SectionRun], analyst_dir: Path) -> str:
    lines = [f"{len(failed)} section(s) failed; no report was written and the previous one is unchanged."]
    for run in failed:
        where = f"cell {run.cell}" if run.cell else "kernel"
        src = f" ({run.cell_source})" if run.cell_source else ""
        lines.append(f"- section {run.name}, {where}{src}: {run.error}")
        lines.append(f"  executed notebook kept for the analyst: {run.output}")
    return "\n".join(lines)


def _swap_in(staging: Path, final: Path, work: Path) -> Path:
    """Replace ``final`` with ``staging`` by renames, so readers never see a half-written report."""
    old = work / "previous"
    if final.exists():
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
    return final
