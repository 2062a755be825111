"""``cpkit report``: run every section for a year, render officer HTML, and swap the folder in whole.

A scheduled run must fail loudly and harmlessly. Everything is built in a staging folder beside the
report; only when every section ran and rendered is ``reports/<year>/`` replaced (two renames on the
same filesystem). A failed section gives ``ReportFailed`` naming the section, the cell and the
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
  (and the summary, written from the others) are rebuilt into a copy of the full report, beside the other
  sections' pages re-rendered from the executed notebooks it was built from, and the copy is swapped in
  whole. With no full report to rebuild (none yet, or its notebooks changed since), the sections are
  built as their own report in ``<out>/<year>-partial/``, marked as partial on its contents page and in
  its manifest.
- A full disk or a read-only output folder is a one-line :class:`ReportFailed` message, not a traceback.
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
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from cpkit.config import IN_YEAR_KINDS, Config, Period, find_config
from cpkit.errors import ReportFailed, ReportInterrupted, ReportLocked
from cpkit.report import sections as section_registry
from cpkit.report.context import SSDA903_DIR
from cpkit.report.execute import Kernels, SectionRun, run_in_worker, run_section, start_worker
from cpkit.report.sections import Section, select
from cpkit.resources import SAMPLE_DIR, default_out_dir

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

    With ``sections`` naming fewer than all the sections, those sections (and the summary, which is
    written from the others) are rebuilt into a copy of the full report, which is then swapped in whole;
    where there is no full report to rebuild (see :func:`_plan`), they are built as
    ``<out_dir>/<year>-partial/`` and ``<out_dir>/<year>/`` is left alone.
    """
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
        from cpkit.report.authored import load_authored
        from cpkit.report.input_names import refuse_misnamed

        # a mistake in the Board's own files, or a misnamed one (board/forword.md), stops the run before any
        # section runs; a file the kit does not read that is no part's misspelling is printed as a warning
        load_authored(data_dir, period.year)
        refuse_misnamed(data_dir, period.year, [s.name for s in registry])
    from cpkit.present.narrative import Narrative

    Narrative.for_data(data_dir, config)  # a council's narrative.yaml: once here, not in every section
    chosen = select(request.sections, tuple(registry)) if period.kind not in IN_YEAR_KINDS else registry
    out_dir = Path(request.out_dir).resolve()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with RunLock(out_dir / f".{period.folder}.lock"), _stop_on_signals():
            _remove_leftovers(out_dir, period.folder)
            plan = _plan(chosen, registry, out_dir, period)
            return _build(request, data_dir, config_file, config, period, plan, out_dir)
    except OSError as exc:
        message = _output_problem(exc, out_dir)
        if message is None:
            raise
        raise ReportFailed(message) from None


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
    """All sections: a full report. Some: rebuild them (and the summary) into the full report when it
    exists, was built from every current section, and its executed notebooks in ``_analyst/<year>/``
    are the very ones it was built from (checked by SHA-256: a failed run since may have replaced one);
    otherwise a report of those sections alone in ``<year>-partial/``."""
    final = out_dir / period.folder
    if {s.name for s in chosen} == {s.name for s in registry}:
        return _Plan(chosen, [], chosen, final, False, [])
    run = [s for s in registry if s in chosen or s.last]  # the summary reads the others: rebuilt too
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
    """The run itself, inside the lock: stage, execute, render, swap in; the staging folder always goes."""
    analyst_dir = out_dir / ANALYST_DIR / period.folder
    work = Path(tempfile.mkdtemp(prefix=f".{period.folder}-building-", dir=out_dir))
    try:
        from cpkit.report import provenance
        from cpkit.report.prepare import prepare_data

        settings = provenance.setting_paths(data_dir, config, config_file)
        used: set[Path] = {settings[provenance.CONFIG_LABEL]} if config_file else set()
        log_dir = work / "reads"
        log_dir.mkdir()
        roots = provenance.reading_roots(data_dir, settings)
        with provenance.recording(log_dir, roots, skip=[out_dir, work]):
            cache_dir, ssda903 = prepare_data(data_dir, work / "cache", period, config, strict=request.strict)
        used |= provenance.ssda903_files(ssda903)
        parameters = {
            "year": period.year,
            "period": period.kind,
            "data_dir": str(data_dir),
            "la_name": config.la_name,
            "la_code": config.la_code,
            "config_file": str(Path(config_file).resolve()) if config_file else "",
            "cache_dir": str(cache_dir),
        }
        in_year = period.kind in IN_YEAR_KINDS
        if in_year:
            parameters["quarter"] = period.quarter
        check_parameters(plan.run, parameters)
        env = provenance.log_environment(log_dir, roots, skip=[out_dir, work])
        with _environment(env):
            runs = _execute_all(plan.run, parameters, work / "notebooks", request)
        failed = [r for r in runs if not r.ok]
        if failed:  # the executed notebooks go to the analyst, the failed one to be looked at
            runs = _keep_for_analyst(runs, analyst_dir)
            raise ReportFailed(_failure_message([r for r in runs if not r.ok], analyst_dir), runs)
        used |= provenance.logged_reads(log_dir, data_dir / SSDA903_DIR, provenance.ssda903_files(ssda903))
        inputs = provenance.manifest_inputs(used, data_dir, settings)
        if plan.reused:  # the kept sections' inputs stay listed; those read again now are updated
            fresh = {i["file"] for i in inputs}
            inputs = sorted(
                [*inputs, *(i for i in plan.previous_inputs if i.get("file") not in fresh)],
                key=lambda i: str(i["file"]),
            )
        from cpkit.report.poap_site import write_poap_site
        from cpkit.report.site import write_site

        staging = work / "site"
        shared = {
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
                cache_dir=cache_dir,
            )
        report = _swap_in(staging, plan.final, work)
        kept = _keep_for_analyst(runs, analyst_dir)  # only now: a run that fails before leaves the old ones
        if not plan.partial:
            _record_built_from([*kept, *plan.reused], analyst_dir)
        return report
    except (ReportInterrupted, KeyboardInterrupt):
        end_child_processes()  # before the staging folder goes: kernels must not write into it again
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


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


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into :class:`ReportInterrupted` (raised once; later signals are ignored
    while the run cleans up), then end every process the run started."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set in the main thread; the caller owns signals then
        return
    caught: list[int] = []

    def stop(signum: int, frame: object) -> None:  # noqa: ARG001 - signal handler signature
        if caught:
            return
        caught.append(signum)
        raise ReportInterrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    except (ReportInterrupted, KeyboardInterrupt):
        end_child_processes()
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def end_child_processes(roots: list[int] | None = None, grace: float = STOP_GRACE) -> None:
    """SIGTERM the processes ``roots`` and their descendants (default: every descendant of this process),
    that is the section workers and their kernels, which run in sessions of their own; then SIGKILL
    those still running after ``grace`` seconds."""
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
    children = [c for c in children if c.pid != tracker]
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=grace)


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
            return self
        raise ReportLocked(f"could not take the lock {self.path}; try again")

    def __exit__(self, *exc: object) -> None:
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
    sections: list[Section], parameters: dict[str, object], notebooks_dir: Path, request: ReportRequest
) -> list[SectionRun]:
    """Run the sections in parallel (up to ``jobs`` worker processes, each keeping one warm kernel: see
    ``cpkit.report.execute``), those marked ``last`` after the rest; the executed notebooks go to
    ``notebooks_dir``."""
    notebooks_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(request.jobs or os.cpu_count() or 1, len(sections)))
    batches = [b for b in ([s for s in sections if not s.last], [s for s in sections if s.last]) if b]
    runs: list[SectionRun] = []
    from tqdm import tqdm

    with tqdm(
        total=len(sections), desc="Sections", unit="section", disable=not request.progress, file=sys.stderr
    ) as bar:
        run_batch = _run_in_process if jobs == 1 else _run_in_workers
        runs = run_batch(batches, parameters, notebooks_dir, jobs, request.timeout, bar)
    order = {s.name: i for i, s in enumerate(sections)}
    return sorted(runs, key=lambda r: order[r.name])


def _run_in_process(
    batches: list[list[Section]],
    parameters: dict[str, object],
    notebooks_dir: Path,
    jobs: int,  # noqa: ARG001 - one process
    timeout: int | None,
    bar,  # noqa: ANN001 - tqdm bar
) -> list[SectionRun]:
    """One section after another in this process's one kept kernel."""
    runs: list[SectionRun] = []
    with Kernels() as kernels:
        for batch in batches:
            for s in batch:
                out = notebooks_dir / s.notebook.name
                runs.append(
                    run_section(s.name, s.notebook, out, parameters, s.notebook.parent, timeout, kernels)
                )
                _progress(bar, runs[-1])
            if any(not r.ok for r in runs):
                break  # the summary reads the others: no point running it after a failure
    return runs


def _run_in_workers(
    batches: list[list[Section]],
    parameters: dict[str, object],
    notebooks_dir: Path,
    jobs: int,
    timeout: int | None,
    bar,  # noqa: ANN001 - tqdm bar
) -> list[SectionRun]:
    """The batches one after another on one pool of ``jobs`` worker processes (the last batch reuses the
    workers' warm kernels)."""
    runs: list[SectionRun] = []
    # spawn, not fork: a forked copy of a process that has touched ZMQ or threads is not safe
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker
    )
    try:
        for batch in batches:
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
                for s in batch
            ]
            for future in as_completed(futures):
                runs.append(future.result())
                _progress(bar, runs[-1])
            if any(not r.ok for r in runs):
                break  # the summary reads the others: no point running it after a failure
    except BaseException:
        # stopped (a signal) or broken: end the workers and their kernels now rather than wait for
        # the sections to finish, as leaving the pool's block would
        workers = list(getattr(pool, "_processes", None) or {})  # pid -> process; taken before shutdown
        pool.shutdown(wait=False, cancel_futures=True)
        end_child_processes(workers)
        raise
    pool.shutdown(wait=True)  # each worker shuts its kernel down as it ends
    return runs


def _progress(bar, run: SectionRun) -> None:  # noqa: ANN001 - tqdm bar
    """One section done: the bar moves on and says how it went; with ``--quiet`` (bar disabled) nothing is
    printed, as a scheduled run wants only the outcome (a failure is reported in full at the end)."""
    bar.update(1)
    if not bar.disable:
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
