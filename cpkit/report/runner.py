"""``cpkit report``: run every section for a year, render officer HTML, and swap the folder in whole.

A scheduled run must fail loudly and harmlessly. Everything is built in a staging folder beside the
report; only when every section ran and rendered is ``reports/<year>/`` replaced, in one atomic step
(:func:`_swap_in`: the two folders exchanged by Linux ``renameat2``, so the folder is at every instant the
previous report or the new one). A failed section gives ``ReportFailed`` naming the section, the cell and the
exception; its executed notebook is kept for the analyst under ``reports/_analyst/<year>/`` and no officer
HTML is made from it; the previous good report stays as it was.

Stopping cleanly matters as much, because the staging folder's cache holds child-level tables:

- SIGTERM (a scheduler's stop) and SIGINT (Ctrl-C) end the section workers and their kernels, remove
  the staging folder with its cache, leave the previous report and the analyst's notebooks as they were,
  and raise :class:`ReportInterrupted` (the command exits 128 + the signal's number, with a message).
  Executed notebooks are written into the staging folder and moved to ``_analyst/<year>/`` only when the
  report is swapped in (or a section failed), so an interrupted run leaves none of its own behind.
- A lock file (``<out>/.<year>.lock``: process id, host, start time) stops a second run on the same
  report folder with a message saying which run holds it. A lock left by a process that no longer runs
  (a ``kill -9``, a power cut) is taken over, and staging folders such runs left behind are removed.
- ``--sections`` (some sections only) never replaces the full report with a partial one: the sections
  are rebuilt into a copy of the full report, beside the other
  sections' pages re-rendered from the executed notebooks it was built from, and the copy is swapped in
  whole. With no full report to rebuild (none yet, or its notebooks changed since), the sections are
  built as their own report in ``<out>/<year>-partial/``, marked as partial on its contents page and in
  its manifest.
- A full disk or a read-only output folder is a one-line :class:`ReportFailed` message, not a traceback.
- The exit is bounded: from a stop signal the run cleans up (workers, kernels, staging, lock) and exits;
  should anything block that for ``STOP_DEADLINE`` seconds, the processes are killed, the staging folder
  and the lock removed, and the process exits with the signal's code all the same. Signals wait while
  the lock is taken or given back, during the swap and while the staging folder is removed
  (:func:`_deferred`), so none of these is ever left half done.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cpkit.config import IN_YEAR_KINDS, Config, Period, find_config
from cpkit.errors import AuthoredError, ReportFailed, ReportInterrupted, ReportLocked
from cpkit.report import sections as section_registry
from cpkit.report import timings
from cpkit.report.context import SSDA903_DIR
from cpkit.report.execute import Kernels, SectionRun, run_in_worker, run_section, start_worker, started
from cpkit.report.sections import Section, select
from cpkit.resources import SAMPLE_DIR, default_out_dir

if TYPE_CHECKING:  # the audit (and scipy) is imported when a report runs, not to refuse one
    from cpkit.publish.block import Block
    from cpkit.publish.ledger import DocumentAudit

ANALYST_DIR = "_analyst"  # executed notebooks: for analysts, not for sharing
PARTIAL_SUFFIX = "-partial"  # --sections with no full report to rebuild: <out>/<year>-partial/
STOP_GRACE = 5.0  # seconds workers and kernels get to end after SIGTERM before SIGKILL


@dataclass
class ReportRequest:
    """What to build: the year, period, data and where to put it."""

    year: int
    period: str = "financial"
    data_dir: Path = SAMPLE_DIR
    out_dir: Path = field(default_factory=default_out_dir)  # the checkout's reports/, else ./reports
    sections: list[str] | None = None
    jobs: int | None = None
    config_file: Path | None = None
    la_name: str | None = None
    la_code: str | None = None
    timeout: int | None = 600  # seconds per cell
    progress: bool = True
    strict: bool = False  # fail on any error-severity data problem (``cpkit.report.prepare``)
    registry: tuple[Section, ...] | None = None  # the sections to choose from (default: the report's)
    quarter: int | None = None  # with period "quarter": the quarterly Performance on a Page


def build_report(request: ReportRequest) -> Path:
    """Build ``<out_dir>/<year>/`` from the data; return its path or raise ``ReportFailed``.

    With ``sections`` naming fewer than all the sections, those sections are rebuilt into a copy of the full report, which is then swapped in whole;
    where there is no full report to rebuild (see :func:`_plan`), they are built as
    ``<out_dir>/<year>-partial/`` and ``<out_dir>/<year>/`` is left alone.
    """
    opened = open_report(request)
    data_dir, config_file, config, period, out_dir = (
        opened.data_dir, opened.config_file, opened.config, opened.period, opened.out_dir
    )  # fmt: skip
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # signals first: a stop while the lock is taken or given back must not leave it behind
        with _stop_on_signals(), RunLock(out_dir / f".{period.folder}.lock"):
            _remove_leftovers(out_dir, period.folder)
            plan = plan_report(opened)
            with timings.recording():
                return _build(request, data_dir, config_file, config, period, plan, out_dir)
    except OSError as exc:
        message = _output_problem(exc, out_dir)
        if message is None:
            raise
        raise ReportFailed(message) from None


@dataclass
class Opened:
    """A report request with its settings read and its Board files checked: what the run will build."""

    request: ReportRequest
    data_dir: Path
    config_file: Path | None
    config: Config
    period: Period
    registry: list[Section]
    chosen: list[Section]
    out_dir: Path


def open_report(request: ReportRequest) -> Opened:
    """The checks made before anything is written: the data folder, the settings, the Board's own files
    (all their mistakes in one ``AuthoredError``), the council's narrative.yaml, the sections asked for."""
    data_dir = Path(request.data_dir).resolve()
    if not data_dir.is_dir():
        raise ReportFailed(f"data folder not found: {data_dir}")
    config_file = request.config_file or find_config(data_dir)
    config = Config.for_data(data_dir, config_file, la_name=request.la_name, la_code=request.la_code)
    period = Period.from_year(request.year, request.period, request.quarter)
    if period.kind in IN_YEAR_KINDS:  # the quarterly Performance on a Page: one notebook of its own
        registry = [section_registry.poap_section()]
    else:
        registry = list(request.registry or section_registry.discover())
        from cpkit.report.authored import authored_problems
        from cpkit.report.input_names import refuse_misnamed

        # a mistake in the Board's own files, or a misnamed one (board/forword.md), stops the run before any
        # section runs, all of them in one message; a file the kit does not read that is no part's
        # misspelling is printed as a warning
        problems = authored_problems(data_dir, period.year)
        try:
            refuse_misnamed(data_dir, period.year, [s.name for s in registry])
        except AuthoredError as error:
            problems.append(str(error))
        if problems:
            raise AuthoredError("; ".join(problems))
    from cpkit.present.narrative import Narrative

    Narrative.for_data(data_dir, config)  # a council's narrative.yaml: once here, not in every section
    chosen = select(request.sections, tuple(registry)) if period.kind not in IN_YEAR_KINDS else registry
    out_dir = Path(request.out_dir).resolve()
    return Opened(request, data_dir, config_file, config, period, registry, chosen, out_dir)


def plan_report(opened: Opened) -> _Plan:
    """What to run and where the report goes (see :func:`_plan`); call it holding the folder's lock."""
    return _plan(opened.chosen, opened.registry, opened.out_dir, opened.period)


@dataclass
class _Plan:
    """What a run executes and where its report goes."""

    run: list[Section]  # executed now
    reused: list[SectionRun]  # kept from the full report being rebuilt (their executed notebooks)
    sections: list[Section]  # every section of the report written
    final: Path
    partial: bool  # the report holds some sections only (``<year>-partial``)
    previous_inputs: list[dict[str, object]]  # the rebuilt report's inputs (for the reused sections)


BUILT_FROM = ".report.json"  # in _analyst/<year>/: the executed notebooks the report was built from


def _plan(chosen: list[Section], registry: list[Section], out_dir: Path, period: Period) -> _Plan:
    """All sections: a full report. Some: rebuild them into the full report when it
    exists, was built from every current section, and its executed notebooks in ``_analyst/<year>/``
    are the very ones it was built from (checked by SHA-256: a failed run since may have replaced one);
    otherwise a report of those sections alone in ``<year>-partial/``."""
    final = out_dir / period.folder
    if {s.name for s in chosen} == {s.name for s in registry}:
        return _Plan(chosen, [], chosen, final, False, [])
    run = [s for s in registry if s in chosen]  # no section reads another's output: the rest are kept
    reused = _reusable(final, out_dir / ANALYST_DIR / period.folder, registry, run)
    if reused is None:
        return _Plan(chosen, [], chosen, out_dir / f"{period.folder}{PARTIAL_SUFFIX}", True, [])
    runs, inputs = reused
    return _Plan(run, runs, registry, final, False, inputs)


def _reusable(
    report: Path, analyst_dir: Path, registry: list[Section], run: list[Section]
) -> tuple[list[SectionRun], list[dict[str, object]]] | None:
    """The sections not being run, from the full report's executed notebooks; ``None`` if not usable."""
    from cpkit.report.provenance import sha256_of

    try:
        manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
        built_from = json.loads((analyst_dir / BUILT_FROM).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    listed = {s.get("name"): s for s in manifest.get("sections", []) if isinstance(s, dict)}
    if manifest.get("partial") is not False or set(listed) != {s.name for s in registry}:
        return None
    runs = []
    for section in registry:
        if section in run:
            continue
        notebook = analyst_dir / section.notebook.name
        if not notebook.is_file() or sha256_of(notebook) != built_from.get(section.name):
            return None
        runs.append(SectionRun(section.name, notebook, True, float(listed[section.name].get("seconds", 0))))
    return runs, list(manifest.get("inputs", []))


def _build(
    request: ReportRequest,
    data_dir: Path,
    config_file: Path | None,
    config: Config,
    period: Period,
    plan: _Plan,
    out_dir: Path,
) -> Path:
    """The run itself, inside the lock: stage, execute, render, swap in; the staging folder always goes.
    Each stage is timed (``cpkit.report.timings``) into ``_analyst/<year>/timings.json``.

    Three stages, each a function of its own so ``cpkit region`` can run them as Dask tasks on other
    processes (:func:`prepare_stage`, :func:`sections_stage`, :func:`render_stage`); here they run one
    after another in this process."""
    with _deferred():  # made and registered at once: a hard exit (see _stop_on_signals) removes it too
        work = Path(tempfile.mkdtemp(prefix=f".{period.folder}-building-", dir=out_dir))
        _on_hard_exit(work)
    try:
        # the section workers start now and warm their kernels while the data is prepared
        with _section_workers(
            request, plan, _kernel_env(data_dir, config, config_file, out_dir, work)
        ) as pool:
            prepared = prepare_stage(request, data_dir, config_file, config, period, plan, out_dir, work)
            runs = sections_stage(prepared, pool)
        return render_stage(prepared, runs)
    except (ReportInterrupted, KeyboardInterrupt):  # StopRequested is a KeyboardInterrupt
        end_child_processes()  # before the staging folder goes: kernels must not write into it again
        raise
    finally:
        with _deferred():  # a signal now must not leave half the staging folder (its cache) behind
            shutil.rmtree(work, ignore_errors=True)


@dataclass
class Prepared:
    """A council's run after its data was read and checked: everything the sections and the rendering
    need. Small and picklable (paths, settings, the table of files read: no child-level data, which stays
    in ``cache_dir``), so it can travel from one Dask worker to another."""

    request: ReportRequest
    data_dir: Path
    config_file: Path | None
    config: Config
    period: Period
    plan: _Plan
    out_dir: Path
    work: Path  # the staging folder (its cache holds child-level tables)
    log_dir: Path  # provenance: the files each section read
    settings: dict[str, Path]
    used: set[Path]  # the files read so far (the settings, the SSDA903 returns)
    ssda903: object  # the returns' table of files read (``Data903.sources``)
    cache_dir: Path
    parameters: dict[str, object]  # what every section notebook is given
    env: dict[str, str]  # environment of the sections' kernels (the provenance log)

    @property
    def analyst_dir(self) -> Path:
        return self.out_dir / ANALYST_DIR / self.period.folder


def prepare_stage(
    request: ReportRequest,
    data_dir: Path,
    config_file: Path | None,
    config: Config,
    period: Period,
    plan: _Plan,
    out_dir: Path,
    work: Path,
) -> Prepared:
    """Read and check the data into ``work``'s cache and work out the figures table
    (``cpkit.report.prepare.prepare_data``); ``DataProblem`` when the report cannot be built."""
    began = time.perf_counter()
    pause_for_test("prepare")
    _stage(request, "reading and checking the data")
    from cpkit.report import provenance
    from cpkit.report.prepare import prepare_data
    from cpkit.report.settings_cache import save_settings

    settings = provenance.setting_paths(data_dir, config, config_file)
    used: set[Path] = {settings[provenance.CONFIG_LABEL]} if config_file else set()
    log_dir = work / READS_DIR
    log_dir.mkdir(exist_ok=True)  # exist_ok: a Dask task run again after its worker was lost
    roots = provenance.reading_roots(data_dir, settings)
    with provenance.recording(log_dir, roots, skip=[out_dir, work]):
        cache_dir, ssda903 = prepare_data(data_dir, work / "cache", period, config, strict=request.strict)
        with timings.stage("prepare", "settings read once"):
            save_settings(cache_dir, data_dir, config, config_file)
        _start_plan(cache_dir, out_dir / ANALYST_DIR / period.folder)
    used |= provenance.ssda903_files(ssda903)
    parameters: dict[str, object] = {
        "year": period.year,
        "period": period.kind,
        "data_dir": str(data_dir),
        "la_name": config.la_name,
        "la_code": config.la_code,
        "config_file": str(Path(config_file).resolve()) if config_file else "",
        "cache_dir": str(cache_dir),
    }
    if period.kind in IN_YEAR_KINDS:
        parameters["quarter"] = period.quarter
    with timings.stage("prepare", "notebook parameters checked"):
        check_parameters(plan.run, parameters)
    env = _kernel_env(data_dir, config, config_file, out_dir, work)
    timings.wall("prepare", time.perf_counter() - began)
    return Prepared(
        request, data_dir, config_file, config, period, plan, out_dir, work, log_dir, settings, used,
        ssda903, cache_dir, parameters, env,
    )  # fmt: skip


def sections_stage(prepared: Prepared, pool: ProcessPoolExecutor | None = None) -> list[SectionRun]:
    """Run the plan's sections in this process's workers (``--jobs``), in report order; ``pool``: the
    section workers already started (:func:`_section_workers`), else they are started here."""
    with _environment(prepared.env), timings.group("sections"):
        pause_for_test("sections")
        _stage(prepared.request, f"running {len(prepared.plan.run)} section(s)")
        # the longest first, by the previous run's timings of this report folder
        expected = timings.section_seconds(prepared.analyst_dir / timings.TIMINGS_NAME)
        return _execute_all(
            prepared.plan.run, prepared.parameters, notebooks_dir(prepared), prepared.request, expected, pool
        )


READS_DIR = "reads"  # the staging folder's log of the files the run and its kernels read


def _kernel_env(
    data_dir: Path, config: Config, config_file: Path | None, out_dir: Path, work: Path
) -> dict[str, str]:
    """The environment the section kernels run in: where they log the files they read
    (``cpkit.report.provenance``), known before the data is read."""
    from cpkit.report import provenance

    roots = provenance.reading_roots(data_dir, provenance.setting_paths(data_dir, config, config_file))
    return provenance.log_environment(work / READS_DIR, roots, skip=[out_dir, work])


@contextmanager
def _section_workers(
    request: ReportRequest, plan: _Plan, env: dict[str, str]
) -> Iterator[ProcessPoolExecutor | None]:
    """The pool of section workers for the plan's sections, started at once, each importing papermill,
    starting its kernel and importing the kit in it (``cpkit.report.execute.start_worker``) while this
    process prepares the data: on the 2-core machine a core stood idle there while the DfE validator was
    waited for, and the first section on each worker spent about 3 s on that start. None where the
    sections run in this process (one job) or there are none. Left by an exception (a data problem, a
    stop), its workers and their kernels are ended at once (:func:`process_pool`)."""
    jobs = _jobs(request, plan.run)
    if jobs < 2 or multiprocessing.current_process().daemon:
        yield None
        return
    with process_pool(jobs, start_worker, (env, plan.run[0].notebook.parent)) as pool:
        for _ in range(jobs):  # each task starts a process (the pool starts them as work comes)
            pool.submit(started)
        yield pool


def _jobs(request: ReportRequest, sections: list[Section]) -> int:
    """How many sections run at once: ``--jobs`` (default: the cores), no more than there are sections."""
    return max(1, min(request.jobs or os.cpu_count() or 1, len(sections)))


def notebooks_dir(prepared: Prepared) -> Path:
    """Where a run's executed notebooks are written (moved to ``_analyst/<year>/`` when it is swapped in)."""
    return prepared.work / "notebooks"


Rerun = Callable[[list[Section]], list[SectionRun]]  # run some sections again (the document's plan)


def render_stage(prepared: Prepared, runs: list[SectionRun], rerun: Rerun | None = None) -> Path:
    """With every section run: ``ReportFailed`` if one failed (its notebook kept for the analyst), else
    write the report into the staging folder and swap it in (atomic), keeping the executed notebooks.
    Before anything is written the whole report is audited; when it leaks, the sections the document's
    plan changes are run again with ``rerun`` (default: this process's section workers) and it is
    audited again (:func:`settle_disclosure`)."""
    request, plan, period, config = prepared.request, prepared.plan, prepared.period, prepared.config
    data_dir, analyst_dir = prepared.data_dir, prepared.analyst_dir
    from cpkit.report import provenance

    for run in runs:
        timings.add("sections", run.name, run.seconds)
        if run.kernel_seconds:
            timings.add("sections", f"kernel start-up ({run.name})", run.kernel_seconds)
    failed = [r for r in runs if not r.ok]
    if failed:  # the executed notebooks go to the analyst, the failed one to be looked at
        runs = _keep_for_analyst(runs, analyst_dir)
        raise ReportFailed(_failure_message([r for r in runs if not r.ok], analyst_dir), runs)
    in_year = period.kind in IN_YEAR_KINDS
    # the committee cover report's key issues print the report's figures: worked out now and audited with
    # the sections' blocks, then printed as they are (None: the council has no cover report)
    cover_issues = None if in_year else _cover_key_issues(prepared)
    # every section's blocks, read once from the executed notebooks: the audit and every writer take them;
    # the report's suppression is settled for the whole document first (sections run again if need be)
    runs, blocks, disclosure = settle_disclosure(
        runs,
        plan,
        config,
        prepared.cache_dir,
        analyst_dir,
        rerun or _rerun_here(prepared),
        outside=_cover_blocks(cover_issues),
    )
    used = prepared.used | provenance.logged_reads(
        prepared.log_dir, data_dir / SSDA903_DIR, provenance.ssda903_files(prepared.ssda903)
    )
    inputs = provenance.manifest_inputs(used, data_dir, prepared.settings)
    if plan.reused:  # the kept sections' inputs stay listed; those read again now are updated
        fresh = {i["file"] for i in inputs}
        inputs = sorted(
            [*inputs, *(i for i in plan.previous_inputs if i.get("file") not in fresh)],
            key=lambda i: str(i["file"]),
        )
    from cpkit.report.poap_site import write_poap_site
    from cpkit.report.site import write_site

    pause_for_test("render")
    _stage(request, "writing the report")
    staging = prepared.work / "site"
    shutil.rmtree(staging, ignore_errors=True)  # a Dask task run again after its worker was lost
    shared: dict[str, object] = {
        "year": period.year,
        "period": period.kind,
        "la_name": config.la_name,
        "la_code": config.la_code,
        "sections": "some" if plan.partial else "all",
    }
    if in_year:
        shared["quarter"] = period.quarter
    if plan.reused:
        shared["rebuilt"] = [s.name for s in plan.run]
    began = time.perf_counter()
    if in_year:
        write_poap_site(staging, plan.sections, [*runs, *plan.reused], config, period, shared, inputs)
    else:  # the data folder gives the Board's own sections (board/)
        write_site(
            staging,
            plan.sections,
            [*runs, *plan.reused],
            config,
            period,
            shared,
            inputs,
            data_dir=data_dir,
            disclosure=disclosure,
            blocks=blocks,
            cover_issues=cover_issues,
        )
    timings.wall("writers", time.perf_counter() - began)
    pause_for_test("swap")
    # One step that a stop signal cannot split: the swap (atomic: ``_swap_in``) and the executed
    # notebooks moved beside it. A signal arriving meanwhile is honoured once the report is in place.
    with _deferred():
        report = _swap_in(staging, plan.final, prepared.work)
        _published()
        kept = _keep_for_analyst(runs, analyst_dir)  # only now: a failed run leaves the old ones
        if not plan.partial:
            _record_built_from([*kept, *plan.reused], analyst_dir)
            _keep_plan(prepared.cache_dir, analyst_dir, [r.name for r in runs])
        timings.write(analyst_dir / timings.TIMINGS_NAME)
    return report


def _cover_key_issues(prepared: Prepared) -> list[str] | None:
    """The committee cover report's key issues (``cpkit.report.cover_report.report_key_issues``), worked
    out before the report's audit; None without ``board/cover_report.yaml``. An officer's mistake in the
    file is reported by the report's first step, so it is no cover report here either."""
    from cpkit.report.cover_report import report_key_issues

    with timings.stage("sections", "cover report's figures"):
        try:
            return report_key_issues(prepared.data_dir, prepared.cache_dir, prepared.config, prepared.period)
        except AuthoredError:
            return None


def _cover_blocks(issues: list[str] | None) -> list[Block]:
    """The cover report's key issues as a text block for the report's audit (none without them)."""
    from cpkit.report.cover_report import key_issues_block

    block = key_issues_block(issues or [])  # type: ignore[arg-type]
    return [block] if block is not None else []


def read_blocks(runs: list[SectionRun]) -> list[Block]:
    """The typed blocks of every section run (``cpkit.publish.read.report_blocks``), read once per report
    and handed to the audit and the writers (the workbook; any writer that reads blocks takes the same
    list from ``write_site``), timed as a stage of its own."""
    from cpkit.publish.read import report_blocks

    with timings.stage("sections", "blocks read"):
        return report_blocks((r.name, r.output) for r in runs)


MAX_PLAN_PASSES = 3  # runs of the sections the plan changes before a leak is left to the audit to refuse


def settle_disclosure(
    runs: list[SectionRun],
    plan: _Plan,
    config: Config,
    cache_dir: Path,
    analyst_dir: Path,
    rerun: Rerun,
    outside: list[Block] | None = None,
) -> tuple[list[SectionRun], list[Block], DocumentAudit]:
    """The report's suppression chosen once for the whole document (``cpkit.publish.plan``), then audited.

    The sections have run, each protecting its own figures. The whole report is audited
    (:func:`_audit_disclosure`); when it is safe (the sample report, and most) nothing more happens. When
    a small count can be worked out from several sections together, ``protect`` is solved once over every
    section's ledgers (recorded in the run's cache), starting from what they hid; the cells it adds are
    written to the run's plan, only the sections they fall in are run again (``rerun``), reading the plan
    as forced hides, and the report is audited again. ``DisclosureLeak`` as before when no choice of cells
    protects it (or it still leaks after ``MAX_PLAN_PASSES``). Returns the runs (those run again
    replaced), their blocks (``read_blocks``, for the writers) and the audit.

    ``outside``: blocks of the report's figures printed outside the section notebooks (the committee cover
    report's key issues, ``cpkit.report.cover_report.key_issues_block``), audited with the sections' and
    not handed to the writers (their own writer prints them); the plan cannot hide them, so a leak they
    take part in that no section's cell protects refuses the report."""
    from cpkit.errors import DisclosureLeak
    from cpkit.present.disclosure import Rule
    from cpkit.publish import plan as document_plan
    from cpkit.publish.ledger import share_printers

    blocks = read_blocks([*runs, *plan.reused])
    with timings.stage("sections", "disclosure audit"):
        found = _audit_disclosure(
            [*runs, *plan.reused], config, analyst_dir, [*blocks, *(outside or [])], refuse=False
        )
    by_name = {s.name: s for s in plan.run}
    for _ in range(MAX_PLAN_PASSES):
        if found.ok:
            return runs, blocks, found
        began = time.perf_counter()
        records = document_plan.read_records(cache_dir, [r.name for r in runs])
        # the percentages the report prints, as the audit read them: the plan chooses with them in view
        printed = share_printers([*blocks, *(outside or [])])
        solution = document_plan.solve(records, Rule.of(config), list(printed), printed)
        timings.add("sections", "disclosure plan chosen", time.perf_counter() - began)
        again = [by_name[name] for name in solution.sections if name in by_name]
        if not solution.entries or len(again) < len(solution.sections):
            break  # nothing the sections run now can hide protects it: the audit refuses the report
        path = document_plan.plan_path(cache_dir)
        document_plan.write_plan(path, {*document_plan.read_plan(path), *solution.entries})
        print(
            f"cpkit report: the whole report would give a small count away; running "
            f"{', '.join(s.name for s in again)} again with cells hidden for the whole document...",
            file=sys.stderr,
            flush=True,
        )
        redone = rerun(again)
        for run in redone:
            timings.add("sections", f"{run.name} (run again: the document's plan)", run.seconds)
        failed = [r for r in redone if not r.ok]
        if failed:
            kept = _keep_for_analyst(redone, analyst_dir)
            raise ReportFailed(_failure_message([r for r in kept if not r.ok], analyst_dir), kept)
        fresh = {r.name: r for r in redone}
        runs = [fresh.get(r.name, r) for r in runs]
        blocks = read_blocks([*runs, *plan.reused])
        with timings.stage("sections", "disclosure audit (again)"):
            found = _audit_disclosure(
                [*runs, *plan.reused], config, analyst_dir, [*blocks, *(outside or [])], refuse=False
            )
    if not found.ok:
        from cpkit.publish.ledger import leak_message

        kept = _keep_for_analyst([r for r in runs if r.output.parent != analyst_dir], analyst_dir)
        raise DisclosureLeak(leak_message(found), kept)
    return runs, blocks, found


def _rerun_here(prepared: Prepared) -> Rerun:
    """Run sections again as ``sections_stage`` does (this process's workers), for the document's plan."""

    def rerun(sections: list[Section]) -> list[SectionRun]:
        with _environment(prepared.env):
            return _execute_all(sections, prepared.parameters, notebooks_dir(prepared), prepared.request)

    return rerun


def _start_plan(cache_dir: Path, analyst_dir: Path) -> None:
    """The plan of the last published report (``_analyst/<year>/``) into the run's cache, where the
    sections' ledgers read it: a run on the same data then needs one pass (an entry hides a cell only in a
    ledger given the very same figures, so a plan from other data hides nothing)."""
    from cpkit.publish import plan as document_plan

    entries = document_plan.read_plan(analyst_dir / document_plan.KEPT_PLAN)
    if entries:
        document_plan.write_plan(document_plan.plan_path(cache_dir), entries)


def _keep_plan(cache_dir: Path, analyst_dir: Path, ran: list[str]) -> None:
    """Keep the plan the published report was built with for the next run (``_start_plan``): the entries
    its ledgers applied, and those of sections not run now (``--sections``); none: no file."""
    from cpkit.publish import plan as document_plan

    records = document_plan.read_records(cache_dir, ran)
    target = analyst_dir / document_plan.KEPT_PLAN
    old = [e for e in document_plan.read_plan(target) if e[0] not in ran]
    entries = {*old, *document_plan.used_entries(records)}
    if entries:
        document_plan.write_plan(target, entries)
    else:
        target.unlink(missing_ok=True)


def _audit_disclosure(
    runs: list[SectionRun],
    config: Config,
    analyst_dir: Path,
    blocks: list[Block] | None = None,
    *,
    refuse: bool = True,
) -> DocumentAudit:
    """Every block of every section audited together (``cpkit.publish.ledger``) before anything is
    written, by the council's disclosure test (``Rule.of(config).test``, the one every ledger used): a
    small count a reader could work out from the report as a whole, or under the ``interval`` test narrow
    to fewer values than its symbol allows, stops the run with ``DisclosureLeak`` (the executed notebooks
    go to the analyst folder to be looked at; not with ``refuse=False``, when the document's plan may
    still protect it). ``blocks``: the runs' blocks as ``read_blocks`` read them (read here when not
    given). Returns the audit, for the technical annex and the manifest."""
    from cpkit.errors import DisclosureLeak
    from cpkit.present.disclosure import Rule
    from cpkit.publish.ledger import audit_blocks, leak_message

    if blocks is None:
        blocks = read_blocks(runs)
    rule = Rule.of(config)
    found = audit_blocks(blocks, rule.threshold, test=rule.test)
    if refuse and not found.ok:
        kept = _keep_for_analyst([r for r in runs if r.output.parent != analyst_dir], analyst_dir)
        raise DisclosureLeak(leak_message(found), kept)
    return found


def _stage(request: ReportRequest, what: str) -> None:
    """A line on stderr as each stage of the run starts (not with ``--quiet``), so a long run shows where
    it is in a terminal and in a scheduler's log alike."""
    if request.progress:
        print(f"cpkit report: {what}...", file=sys.stderr, flush=True)


def _keep_for_analyst(runs: list[SectionRun], analyst_dir: Path) -> list[SectionRun]:
    """Move the executed notebooks from the staging folder to ``_analyst/<year>/``: once the report is
    swapped in, or when a section failed; a run stopped or failing otherwise leaves the previous ones."""
    analyst_dir.mkdir(parents=True, exist_ok=True)
    kept = []
    for run in runs:
        target = analyst_dir / run.output.name
        if run.output.exists():
            os.replace(run.output, target)
        kept.append(replace(run, output=target))
    return kept


def _record_built_from(runs: list[SectionRun], analyst_dir: Path) -> None:
    """Note which executed notebooks the full report was built from, for a later ``--sections`` rebuild."""
    from cpkit.report.provenance import sha256_of

    record = {r.name: sha256_of(r.output) for r in runs}
    (analyst_dir / BUILT_FROM).write_text(json.dumps(record, indent=1), encoding="utf-8")


def _output_problem(exc: OSError, out_dir: Path) -> str | None:
    """A one-line message for a full disk or an output folder that cannot be written; else ``None``."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return (
            f"no space left on the disk holding {out_dir}: free some space and run again "
            "(the previous report is unchanged)"
        )
    where = Path(exc.filename) if isinstance(exc.filename, str) else None
    ours = where is not None and (where == out_dir or out_dir in where.parents or where in out_dir.parents)
    if exc.errno == errno.EROFS or (exc.errno in (errno.EACCES, errno.EPERM) and ours):
        return (
            f"cannot write to {out_dir}: the folder is read-only or this user may not write there; "
            "choose another --out or fix its permissions"
        )
    return None


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the workers and kernels started inside the block."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class StopRequested(KeyboardInterrupt):
    """Raised in the main thread by the run's SIGTERM/SIGINT handler; turned into :class:`ReportInterrupted`
    where the run's signal handling ends (:func:`_stop_on_signals`).

    A ``KeyboardInterrupt`` on purpose: the libraries a run goes through (asyncio under nbclient,
    WeasyPrint, pandas, papermill) let a ``KeyboardInterrupt`` through where they catch ``Exception``, so a
    stop cannot be mistaken for a reader's, a kernel's or the PDF's failure and swallowed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


STOP_DEADLINE = 8.0  # seconds from a stop signal to a forced exit, whatever the run is blocked in


class _Stop:
    """The run's signal state: the first signal caught, whether it must wait (:func:`_deferred`), the
    paths a forced exit removes, and the deadline watchdog."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.deferring = 0
        self.pending = False
        self.paths: list[Path] = []
        self.published = False  # the new report is in place: a stop now is reported as coming after it
        self.done = threading.Event()

    def handle(self, signum: int, frame: object) -> None:  # noqa: ARG002 - signal handler signature
        if self.signum is not None:
            return  # later signals are ignored while the run cleans up
        self.signum = signum
        threading.Thread(target=self._deadline, name="cpkit-stop-deadline", daemon=True).start()
        if self.deferring:
            self.pending = True
            return
        raise StopRequested(signum)

    def _deadline(self) -> None:
        """The run's exit is bounded: if cleaning up has not finished within ``STOP_DEADLINE`` seconds (a
        process that will not die, a library blocked in a call that signals do not interrupt), end the
        processes, remove the staging folder and the lock, and exit with the signal's code."""
        if self.done.wait(STOP_DEADLINE):
            return
        try:
            _kill_descendants()
            for path in self.paths:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
            stopped = ReportInterrupted(self.signum or signal.SIGTERM, published=self.published)
            message = f"cpkit: {stopped} (forced after {STOP_DEADLINE:.0f} s)\n"
            os.write(2, message.encode())
        finally:
            os._exit(128 + (self.signum or signal.SIGTERM))


_STOP: _Stop | None = None  # the running build's signal state (None outside ``build_report``)


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into :class:`ReportInterrupted` (raised once, as :class:`StopRequested`
    where the main thread is, except inside :func:`_deferred`; later signals are ignored while the run
    cleans up), then end every process the run started. From the first signal the exit is bounded by
    ``STOP_DEADLINE`` (see :meth:`_Stop._deadline`)."""
    global _STOP
    if threading.current_thread() is not threading.main_thread() or _STOP is not None:
        yield  # signal handlers can only be set in the main thread; the caller owns signals then
        return
    stop = _STOP = _Stop()
    previous = {sig: signal.signal(sig, stop.handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    except ReportInterrupted:
        end_child_processes()
        raise
    except KeyboardInterrupt as exc:  # StopRequested, or a Ctrl-C that came before the handler was set
        end_child_processes()
        raise ReportInterrupted(getattr(exc, "signum", signal.SIGINT), published=stop.published) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop.done.set()
        _STOP = None


@contextmanager
def _deferred() -> Iterator[None]:
    """A step a stop signal must not split (taking the lock, the swap, removing the staging folder): a
    signal arriving inside waits for the step to end and is raised then."""
    stop = _STOP
    if stop is None:
        yield
        return
    stop.deferring += 1
    try:
        yield
    finally:
        stop.deferring -= 1
        if not stop.deferring and stop.pending:
            stop.pending = False
            raise StopRequested(stop.signum or signal.SIGTERM)


def _published() -> None:
    """The new report is in place: a stop from now on says so rather than "previous report unchanged"."""
    if _STOP is not None:
        _STOP.published = True


def _on_hard_exit(path: Path) -> None:
    """Remove ``path`` (a staging folder, the lock) if the run has to be ended at the deadline."""
    if _STOP is not None:
        _STOP.paths.append(path)


PAUSE_VARIABLE = "CPKIT_TEST_PAUSE_AT"


def pause_for_test(moment: str) -> None:
    """Test hook for the fault-injection tests (``tests/report/test_faults.py``): with
    ``CPKIT_TEST_PAUSE_AT=<moment>`` (or ``<moment>:<seconds>``) in the environment the run says so on
    stderr and waits there (60 s unless told), so a test can send its signal, or fill the disk, at that
    very moment ("prepare", "sections", "render", "writers" (the writer processes at work), "swap"). Costs one dictionary look-up otherwise; not for
    production use."""
    wanted = os.environ.get(PAUSE_VARIABLE)
    if not wanted or wanted.partition(":")[0] != moment:
        return
    print(f"cpkit: paused at {moment} ({PAUSE_VARIABLE})", file=sys.stderr, flush=True)
    # In short sleeps: Linux may hand a signal sent to the process to another of its threads (the section
    # workers' pool has some), and Python then runs the handler only when the main thread next runs Python
    # code: one 60 s sleep held a test's SIGINT for the whole 60 s.
    end = time.monotonic() + float(wanted.partition(":")[2] or 60)
    while time.monotonic() < end:
        time.sleep(0.1)


def _running(process: object) -> bool:
    """Still running: a zombie has ended (it only waits for its parent to collect its exit status)."""
    import psutil

    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE  # type: ignore[attr-defined]
    except psutil.Error:
        return False


def _wait_gone(processes: list, timeout: float) -> list:
    """Wait up to ``timeout`` seconds for ``processes`` to end; return those still running. Never reaps
    them (``psutil.wait_procs`` would: a pool worker reaped behind ``ProcessPoolExecutor``'s back looks
    alive to it for ever, and its manager thread then spins, which hung the command at exit)."""
    deadline = time.monotonic() + timeout
    alive = [p for p in processes if _running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if _running(p)]
    return alive


def _kill_descendants() -> None:
    """SIGKILL every descendant of this process (the forced exit; nothing is waited for)."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass


def end_child_processes(roots: list[int] | None = None, grace: float = STOP_GRACE) -> None:
    """SIGTERM the processes ``roots`` and their descendants (default: every descendant of this process),
    that is the section workers and their kernels, which run in sessions of their own; then SIGKILL
    those still running after ``grace`` seconds. Their exit statuses are left to their owners
    (``multiprocessing``, ``subprocess``) to collect (see :func:`_wait_gone`)."""
    from multiprocessing import resource_tracker

    import psutil

    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)  # multiprocessing's own helper
    children = []
    for root in [None] if roots is None else roots:
        try:
            process = psutil.Process(root)
            children += ([] if root is None else [process]) + process.children(recursive=True)
        except psutil.Error:
            continue
    children = [c for c in children if c.pid != tracker and _running(c)]
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    alive = _wait_gone(children, grace)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass
    _wait_gone(alive, grace)


class RunLock:
    """``<out>/.<year>.lock``: one run at a time per report folder.

    Created with ``O_EXCL`` (atomic on local filesystems); it holds the process id, its start time and the
    host, so a lock whose process no longer runs (killed with SIGKILL, the machine restarted) is seen as
    stale and taken over, while a live one gives a message naming it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.held = False

    def __enter__(self) -> RunLock:
        with _deferred():  # the lock is never left half-written or unregistered by a stop signal
            return self._take()

    def _take(self) -> RunLock:
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is not None:
                    raise ReportLocked(
                        f"another cpkit report run (process {holder.get('pid')} on {holder.get('host')}, "
                        f"started {holder.get('started')}) is writing {self.path.parent / self.path.stem[1:]}; "
                        f"wait for it to finish (if it is no longer running, delete {self.path})"
                    ) from None
                self.path.unlink(missing_ok=True)  # stale: its process has gone
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(_me(), handle)
            self.held = True
            _on_hard_exit(self.path)
            return self
        raise ReportLocked(f"could not take the lock {self.path}; try again")

    def __exit__(self, *exc: object) -> None:
        with _deferred():
            if self.held:
                self.path.unlink(missing_ok=True)
                self.held = False

    def _holder(self) -> dict | None:
        """The live run holding the lock, or ``None`` when the lock is stale."""
        import psutil

        try:
            holder = json.loads(self.path.read_text(encoding="utf-8"))
            pid, created = int(holder["pid"]), float(holder["created"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            # unreadable: written this instant by another run, or damaged; judge by its age
            return {"pid": "?", "host": "?", "started": "just now"} if _age(self.path) < 60 else None
        if holder.get("host") != socket.gethostname():
            return holder  # another machine's run: it cannot be checked from here, so it is respected
        try:
            alive = abs(psutil.Process(pid).create_time() - created) < 1.0  # not a reused process id
        except psutil.Error:
            alive = False
        return holder if alive else None


def _me() -> dict[str, object]:
    import psutil

    return {
        "pid": os.getpid(),
        "created": psutil.Process().create_time(),
        "host": socket.gethostname(),
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _remove_leftovers(out_dir: Path, folder: str) -> None:
    """Staging folders of runs that were killed outright (their cache holds child-level tables); safe to
    remove because the caller holds the lock for this report folder."""
    for stale in out_dir.glob(f".{folder}-building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for name in (folder, f"{folder}{PARTIAL_SUFFIX}"):  # the fallback swap was cut between its renames
        final, aside = out_dir / name, _aside(out_dir / name)
        if aside.is_dir() and not final.exists():
            aside.rename(final)
        shutil.rmtree(aside, ignore_errors=True)


def check_parameters(sections: list[Section], parameters: dict[str, object]) -> None:
    """Every parameter the runner passes must be declared in the notebook (papermill only warns)."""
    for section in sections:
        if not section.notebook.exists():
            raise ReportFailed(f"section {section.name}: notebook not found at {section.notebook}")
        declared = declared_parameters(section.notebook)
        unknown = sorted(set(parameters) - declared)
        if unknown:
            raise ReportFailed(
                f"section {section.name}: parameter(s) {', '.join(unknown)} not declared in the notebook's "
                f"'parameters' cell (declared: {', '.join(sorted(declared))})"
            )


def declared_parameters(notebook: Path) -> set[str]:
    """The names the notebook's parameters cell (its first cell tagged "parameters", as papermill finds
    it) assigns: ``year = 2025``, ``la_name: str = ""``, a value over several lines. Read from the
    notebook's JSON and the cell's syntax tree, where ``papermill.inspect_notebook`` gave the same names
    but imported papermill and its engines into the run's process only for this (0.2-0.3 s of CPU; the
    sections run in the workers). A cell that is not Python declares nothing, as papermill ignores
    what it cannot inspect."""
    import ast

    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse(source if isinstance(source, str) else "".join(source))
        except SyntaxError:
            return set()
        names: set[str] = set()
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            targets = [node.target] if isinstance(node, ast.AnnAssign) else targets
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        return names
    return set()


# The sample's slowest sections (seconds on the 2-core machine, December 2026), started first when the
# report folder has no timings of a previous run to go by (see ``_longest_first``).
TYPICAL_SECONDS = {"02_placements": 8.5, "07_trends": 5.4, "01_children_in_care": 5.0}


def _longest_first(sections: list[Section], expected: dict[str, float]) -> list[Section]:
    """The sections expected to take longest first (``expected``: the previous run's seconds, else
    ``TYPICAL_SECONDS``), so the workers finish together: started in report order, the placements and
    trends sections were left to the end on one worker while the other stood idle. Only the order of
    starting changes; each section's output is its own."""
    seconds = {**TYPICAL_SECONDS, **expected}
    return sorted(sections, key=lambda s: -seconds.get(s.name, 0.0))  # stable: report order among equals


def _execute_all(
    sections: list[Section],
    parameters: dict[str, object],
    notebooks_dir: Path,
    request: ReportRequest,
    expected: dict[str, float] | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> list[SectionRun]:
    """Run the sections in parallel (up to ``jobs`` worker processes, each keeping one warm kernel: see
    ``cpkit.report.execute``), all at once: none reads another's output (``cpkit.report.sections``), so
    none waits for another; the longest first (``expected``: each section's seconds in the previous run).
    The executed notebooks go to ``notebooks_dir``; ``pool``: the workers already started, if any."""
    notebooks_dir.mkdir(parents=True, exist_ok=True)
    jobs = _jobs(request, sections)
    runs: list[SectionRun] = []
    from tqdm import tqdm

    # a bar only on a terminal: in a log file its \r frames are noise; there each section gets a line
    on_terminal = request.progress and sys.stderr.isatty()
    with tqdm(
        total=len(sections), desc="Sections", unit="section", disable=not on_terminal, file=sys.stderr
    ) as bar:
        bar.show_lines = request.progress  # type: ignore[attr-defined]
        if jobs == 1:  # one worker runs them all in turn: report order, as its progress lines read
            runs = _run_in_process(sections, parameters, notebooks_dir, jobs, request.timeout, bar)
        else:
            chosen = _longest_first(sections, expected or {})
            runs = _run_in_workers(chosen, parameters, notebooks_dir, jobs, request.timeout, bar, pool)
    order = {s.name: i for i, s in enumerate(sections)}
    return sorted(runs, key=lambda r: order[r.name])


def _run_in_process(
    sections: list[Section],
    parameters: dict[str, object],
    notebooks_dir: Path,
    jobs: int,  # noqa: ARG001 - one process
    timeout: int | None,
    bar,  # noqa: ANN001 - tqdm bar
) -> list[SectionRun]:
    """One section after another in this process's one kept kernel."""
    runs: list[SectionRun] = []
    with Kernels() as kernels:
        for s in sections:
            out = notebooks_dir / s.notebook.name
            runs.append(run_section(s.name, s.notebook, out, parameters, s.notebook.parent, timeout, kernels))
            _progress(bar, runs[-1])
    return runs


def _run_in_workers(
    sections: list[Section],
    parameters: dict[str, object],
    notebooks_dir: Path,
    jobs: int,
    timeout: int | None,
    bar,  # noqa: ANN001 - tqdm bar
    started_pool: ProcessPoolExecutor | None = None,
) -> list[SectionRun]:
    """The sections on one pool of ``jobs`` worker processes (``started_pool``, else one started here),
    each a section at a time in its warm kernel."""
    runs: list[SectionRun] = []
    workers = nullcontext(started_pool) if started_pool is not None else process_pool(jobs, start_worker)
    with workers as pool:  # each worker shuts its kernel down as it ends
        futures = [
            pool.submit(
                run_in_worker,
                s.name,
                s.notebook,
                notebooks_dir / s.notebook.name,
                parameters,
                s.notebook.parent,
                timeout,
            )
            for s in sections
        ]
        for future in as_completed(futures):
            try:
                runs.append(future.result())
            except BrokenProcessPool:
                done = {r.name for r in runs}
                running = [s.name for s in sections if s.name not in done]
                raise ReportFailed(
                    "a section worker process ended abruptly (killed, or out of memory) while running "
                    f"{', '.join(running)}; no report was written and the previous one is unchanged"
                ) from None
            _progress(bar, runs[-1])
    return runs


@contextmanager
def process_pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes (the section workers, the writers) that never outlives its block:
    left normally, it is shut down once its work is done; left by an exception (a stop signal, a broken
    pool), its workers and their children (kernels) are ended at once rather than waited for.

    Spawned, not forked: a forked copy of a process that has touched ZMQ or threads is not safe, and a
    spawned worker starts with the default signal handlers, so a SIGTERM ends it."""
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=initializer,
        initargs=initargs,
    )
    try:
        yield pool
    except BaseException:
        # The workers are the pool's own processes: signalled, then collected with their own join, so
        # the pool sees them gone and its manager thread ends (reaped elsewhere, they would look alive
        # to it for ever)
        processes = list((getattr(pool, "_processes", None) or {}).values())  # taken before shutdown
        pool.shutdown(wait=False, cancel_futures=True)
        end_child_processes([w.pid for w in processes if w.pid])
        for process in processes:
            process.join(timeout=1)
        raise
    pool.shutdown(wait=True)


def _progress(bar, run: SectionRun) -> None:  # noqa: ANN001 - tqdm bar
    """One section done: a line says how it went (above the bar on a terminal, alone in a log); with
    ``--quiet`` nothing is printed, as a scheduled run wants only the outcome (a failure is reported in
    full at the end)."""
    bar.update(1)
    if getattr(bar, "show_lines", not bar.disable):
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
    """Put ``staging`` in place as ``final`` in one atomic step, so that whatever happens (a signal, a
    ``kill -9``, a power cut) ``final`` is either the previous report or the new one, never missing.

    On Linux the two folders are exchanged with ``renameat2(RENAME_EXCHANGE)`` (one system call; the
    previous report lands in the staging folder and goes with it). Where that call is missing or the
    filesystem refuses it, the previous report is first renamed to ``<out>/.<folder>.previous`` and the new
    one renamed in; a run killed between the two leaves the previous report there, and the next run puts
    it back before anything else (:func:`_remove_leftovers`). With no previous report, one rename.
    """
    if not final.exists():
        staging.rename(final)
        return final
    if _exchange(staging, final):
        return final
    aside = _aside(final)
    shutil.rmtree(aside, ignore_errors=True)
    final.rename(aside)
    try:
        staging.rename(final)
    except OSError:
        aside.rename(final)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return final


def _aside(final: Path) -> Path:
    """Where the fallback swap keeps the previous report for the instant between its two renames."""
    return final.parent / f".{final.name}.previous"


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2(RENAME_EXCHANGE)``; ``False`` where it is not
    available (another system, an old C library or kernel, a filesystem without it)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))
