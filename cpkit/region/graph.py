"""``cpkit region``: every council's report and the regional step as one Dask task graph.

The graph, per council (``<slug>``): **prepare** (read and check its returns, work out its figures table:
``cpkit.report.runner.prepare_stage``) -> one task per **section** (a papermill run, in a kernel started on
the worker running it; the summary after the others) -> **render** (the report written and swapped in
whole: ``render_stage``). For a hub's stacked files one **split** task first cuts the returns into one
data folder per council (``cpkit.region.hub``). Per published council two small tasks read its figures
table and its simulated futures; then the **regional** step, on a worker, works the region's own figures
from the councils' cached returns pooled (``cpkit.region.pooled``), sums their futures, and writes the
regional comparison (``cpkit.region.compare``) into ``<out>/regional/<year>/``, swapped in whole.
``<out>/index.html`` lists every council with its report or the reason it has none. A region of one council
has no regional step (nothing to compare; the index page says so: ``ALONE``), so it costs its ``cpkit report``
and the cluster's start.

What travels between tasks is small: a ``Prepared`` (paths and settings), each section's ``SectionRun``,
the figures tables. Child-level tables stay in each council's staging folder (``<out>/<slug>/.<year>-
building-*/cache``), on the filesystem the workers share, and are removed with it at the end of the run.

**Each council's report is its ``cpkit report``**: the same stage functions, the same sections, the same
staging folder and atomic swap into ``<out>/<slug>/<year>/``, the same lock (``<out>/<slug>/.<year>.lock``,
held by this process for the whole run; a ``cpkit report`` on the same folder waits its turn).

**Faults.** A council whose data, settings or a section fails is marked failed with the reason (the
``CpkitError`` message, as ``cpkit report`` would print it); the other councils and the regional step go
on, and the command exits 1 listing them. A worker process lost mid-task (killed, out of memory) has its
tasks run again on another worker by the Dask scheduler (``distributed.scheduler.allowed-failures``, 3 by
default); a task that keeps killing its workers fails its council. SIGTERM or Ctrl-C in this process ends
the workers and their kernels (the local cluster's processes are this process's children; with
``--scheduler`` the run's tasks are cancelled), removes every staging folder and leaves each council's
previous report as it was (a swap is one ``renameat2``: never half a report). Signal handlers are set in
this process only: tasks run in the workers' threads and never set any.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cpkit.config import Period
from cpkit.errors import CpkitError, ReportInterrupted
from cpkit.region.settings import Region, RegionCouncil, choose, load_region
from cpkit.report.execute import Kernels, SectionRun, run_section
from cpkit.report.runner import (
    Prepared,
    ReportRequest,
    RunLock,
    _deferred,
    _environment,
    _kernel_env,
    _on_hard_exit,
    _Plan,
    _plan,
    _remove_leftovers,
    _stop_on_signals,
    _swap_in,
    end_child_processes,
    notebooks_dir,
    open_report,
    prepare_stage,
    render_stage,
)
from cpkit.report.sections import Section, discover, select

PUBLISHED, FAILED = "published", "failed"
REGIONAL_FAILED = "the regional comparison failed"
REGIONAL_DIR = "regional"  # <out>/regional/<year>/: the regional comparison
SSDA903_DIR = "ssda903"  # a council's cache of cleaned tables (cpkit.report.cache)
# Why a region of one council (one chosen, by region.yaml or --councils) has no regional comparison, on the
# index page: the region's own figures would be the council's own, the regional forecast its own forecast
# and every comparison with the region "similar", so its pooled figures, simulated futures and comparison
# are not worked out (about 9 s of a run whatever the council's size: issue 21's goal of at most 10% over
# ``cpkit report``); its report, which compares it with England and its statistical neighbours, is all
# there is. A region of two or more councils is compared as before, even when only one of them publishes.
ALONE = (
    "the region is one council, {name}, so there is nothing to compare it with (the region's figures "
    "would be its own); its report compares it with England and its statistical neighbours"
)
KILL_VARIABLE = "CPKIT_TEST_KILL_WORKER"  # tests: "<section>:<marker file>" (see _kill_for_test)


@dataclass
class RegionRequest:
    """What ``cpkit region`` builds (its command-line options; ``benchmarks/`` builds one directly)."""

    year: int
    data_dir: Path
    out_dir: Path
    councils: list[str] | None = None  # names, folders or codes; default every council of the region
    scheduler: str | None = None  # an existing Dask scheduler's address; default a LocalCluster
    workers: int | None = None  # the LocalCluster's worker processes (default: the number of cores)
    sections: list[str] | None = None
    timeout: int | None = 600  # seconds per notebook cell
    progress: bool = True
    strict: bool = False
    registry: tuple[Section, ...] | None = None  # the sections to choose from (default: the report's)


@dataclass
class CouncilResult:
    """How one council's report went: ``published`` (``report`` is its folder) or ``failed`` (``reason``)."""

    slug: str
    name: str
    status: str
    reason: str = ""
    report: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # prepare, sections (summed), render


@dataclass
class RegionResult:
    """The run: every council's outcome, the index page, the regional document (if written)."""

    year: int
    councils: list[CouncilResult]
    index: Path
    regional: Path | None
    regional_note: str  # why there is no regional document, or ""
    dashboard: str | None
    seconds: float  # the whole run
    regional_seconds: float = 0.0  # the regional step alone (from the councils' figures to its page)

    @property
    def failed(self) -> list[CouncilResult]:
        return [c for c in self.councils if c.status != PUBLISHED]

    @property
    def regional_failed(self) -> bool:
        """The regional step ran and failed (not merely absent from this version, or with nothing to compare)."""
        return self.regional is None and self.regional_note.startswith(REGIONAL_FAILED)


# --- tasks (run on the workers) -----------------------------------------------------------------------


@dataclass
class _Job:
    """A council's part of the run, made by this process: its request, plan and staging folder."""

    slug: str
    request: ReportRequest
    plan: _Plan
    staging: Path


@dataclass
class _Outcome:
    """A task's result: its value, or the reason its council failed; and the seconds it took."""

    value: Any = None
    failed: str = ""
    seconds: float = 0.0


def _remembered(folder: Path, name: str, work: Callable[[], _Outcome]) -> _Outcome:
    """``work()``, or what it gave when it ran before in this run. Dask runs again every task whose result a
    lost worker held, finished ones too: a prepare run twice would rewrite a council's cache while another
    worker's section reads it, and a render run twice would find its notebooks already moved to
    ``_analyst/``. The record is kept in the council's staging folder, which is the run's own."""
    record = folder / ".tasks" / f"{name}.pickle"
    if record.is_file():
        return pickle.loads(record.read_bytes())  # noqa: S301 - written by this run, in its own folder
    outcome = work()
    record.parent.mkdir(exist_ok=True)
    partial = record.with_suffix(".partial")
    partial.write_bytes(pickle.dumps(outcome))
    os.replace(partial, record)
    return outcome


def _prepare_task(job: _Job, split: dict[str, Path | str] | None) -> _Outcome:
    return _remembered(job.staging, "prepare", lambda: _prepare(job, split))


def _prepare(job: _Job, split: dict[str, Path | str] | None) -> _Outcome:
    began = time.monotonic()
    request = job.request
    if split is not None:
        where = split.get(job.slug)
        if not isinstance(where, Path):
            return _Outcome(failed=str(where or "no data folder"), seconds=time.monotonic() - began)
        request = replace(request, data_dir=where)
    try:
        opened = open_report(request)
        prepared = prepare_stage(
            request,
            opened.data_dir,
            opened.config_file,
            opened.config,
            opened.period,
            job.plan,
            opened.out_dir,
            job.staging,
        )
    except (CpkitError, FileNotFoundError) as exc:
        return _Outcome(failed=str(exc), seconds=time.monotonic() - began)
    return _Outcome(prepared, seconds=time.monotonic() - began)


_KERNELS: Kernels | None = None  # this worker's kept kernel (cpkit.report.execute: one warm kernel)
_KERNEL_ENV: dict[str, str] = {}  # the council run its environment (provenance log) belongs to


def _worker_kernels(env: dict[str, str]) -> Kernels:
    """The worker's kept kernel for a council's sections: a kernel carries its run's provenance log in its
    environment, so a section of another council gets a new one."""
    global _KERNELS, _KERNEL_ENV
    if _KERNELS is not None and _KERNEL_ENV != env:
        _KERNELS.close()
        _KERNELS = None
    if _KERNELS is None:
        _KERNELS, _KERNEL_ENV = Kernels(), dict(env)
        atexit.register(_KERNELS.close)
    return _KERNELS


def _warm_task(job: _Job, split: dict[str, Path | str] | None, cwd: Path) -> bool:
    """Start this worker's kernel for the council's sections while its prepare step runs on another worker
    (a region of one council: ``Kernels.warm``, as ``cpkit report``'s section workers do), so its first
    section does not wait for a kernel. Nothing once the prepare step has finished (this worker ran it, or
    was busy): its sections start their kernel then, as before. The kernel's environment is the one the
    prepare step gives its sections (``_kernel_env``, worked out after the split, whose links decide
    where the settings' files resolve); were it not, the first section would start a kernel of its own
    (``_worker_kernels``), so a warm-up can cost time but never change a report."""
    if (job.staging / ".tasks" / "prepare.pickle").exists():
        return False
    request = job.request
    if split is not None:
        where = split.get(job.slug)
        if not isinstance(where, Path):
            return False
        request = replace(request, data_dir=where)
    env = _kernel_env_of(request, job.staging)
    if env is None:
        return False
    with _environment(env):
        return _worker_kernels(env).warm(cwd)


def _kernel_env_of(request: ReportRequest, staging: Path) -> dict[str, str] | None:
    """The sections' kernel environment the council's prepare step works out (``prepare_stage``: its
    data folder, settings, report folder and staging folder), or None where its settings cannot be read
    (its prepare step will say why)."""
    from cpkit.config import Config

    if request.config_file is None:
        return None
    try:
        config = Config.load(request.config_file)
    except CpkitError:
        return None
    return _kernel_env(
        Path(request.data_dir).resolve(),
        config,
        request.config_file,
        Path(request.out_dir).resolve(),
        staging,
    )


def _section_task(prep: _Outcome, section: Section) -> _Outcome:
    if prep.failed:
        return _Outcome()  # nothing to run: the council has failed already
    return _remembered(prep.value.work, f"section-{section.name}", lambda: _section(prep, section))


def _section(prep: _Outcome, section: Section) -> _Outcome:
    """One section of one council, in this worker's kernel (no section reads another's output, so none
    waits for another, as in ``cpkit report``)."""
    prepared: Prepared = prep.value
    _kill_for_test(section.name)
    out = notebooks_dir(prepared)
    out.mkdir(parents=True, exist_ok=True)
    with _environment(prepared.env):
        run = run_section(
            section.name,
            section.notebook,
            out / section.notebook.name,
            prepared.parameters,
            section.notebook.parent,
            prepared.request.timeout,
            _worker_kernels(prepared.env),
        )
    return _Outcome(run, seconds=run.seconds)


def _render_task(prep: _Outcome, *sections: _Outcome) -> _Outcome:
    if prep.failed:
        return prep
    return _remembered(prep.value.work, "render", lambda: _render(prep, *sections))


def _render(prep: _Outcome, *sections: _Outcome) -> _Outcome:
    began = time.monotonic()
    runs: list[SectionRun] = [s.value for s in sections if s.value is not None]
    try:
        report = render_stage(prep.value, runs, _rerun_in_task(prep.value))
    except (CpkitError, FileNotFoundError) as exc:
        return _Outcome(failed=str(exc), seconds=time.monotonic() - began)
    return _Outcome(report, seconds=time.monotonic() - began)


def _rerun_in_task(prepared: Prepared) -> Callable[[list[Section]], list[SectionRun]]:
    """Sections run again for the document's plan (``cpkit.report.runner.settle_disclosure``), one after
    another in a kernel of this task's own: a Dask worker may not start the runner's process pool, and its
    kept kernel may be another task's. Only for a council whose sections leak together."""

    def rerun(again: list[Section]) -> list[SectionRun]:
        out = notebooks_dir(prepared)
        with _environment(prepared.env), Kernels() as kernels:
            return [
                run_section(
                    s.name,
                    s.notebook,
                    out / s.notebook.name,
                    prepared.parameters,
                    s.notebook.parent,
                    prepared.request.timeout,
                    kernels,
                )
                for s in again
            ]

    return rerun


def _figures_task(prep: _Outcome) -> Any:
    """The council's figures table (``cpkit.figures``), built by its prepare step: for the pooled figures
    (as soon as it exists, beside the sections) and, for a published report, the regional comparison."""
    if prep.failed:
        return None
    from cpkit.figures import load_figures

    return load_figures(prep.value.cache_dir)


def _futures_task(prep: _Outcome, render: _Outcome) -> _Outcome:
    """The council's simulated futures for the regional forecast (``cpkit.region.pooled.council_futures``:
    the baseline at the kit's number of simulations and horizon, so the councils' can be summed); ``None``
    where its returns are too short to forecast. Only for a published report."""
    if prep.failed or render.failed:
        return _Outcome(failed=prep.failed or render.failed)
    from cpkit.forecast.settings import ForecastSettings
    from cpkit.region.pooled import council_futures

    began, prepared, kit = time.monotonic(), prep.value, ForecastSettings()
    try:
        futures = council_futures(
            prepared.cache_dir / SSDA903_DIR,
            prepared.period,
            prepared.config,
            key=prepared.config.la_code or prepared.config.la_name,
            simulations=kit.simulations,
            horizon_months=kit.horizon_months,
        )
    except CpkitError as exc:
        return _Outcome(failed=str(exc), seconds=time.monotonic() - began)
    return _Outcome(futures, seconds=time.monotonic() - began)


def _kill_for_test(section: str) -> None:
    """Test hook (``tests/region``): with ``CPKIT_TEST_KILL_WORKER=<section>:<marker file>``, the first worker
    to start that section writes the marker and kills itself with SIGKILL, as the OOM killer would; the
    scheduler must then run the task again elsewhere. One dictionary look-up otherwise."""
    wanted = os.environ.get(KILL_VARIABLE)
    if not wanted or wanted.partition(":")[0] != section:
        return
    marker = Path(wanted.partition(":")[2])
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return  # killed once already: this is the task run again
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)


# --- the run (this process) ---------------------------------------------------------------------------


def run_region(request: RegionRequest) -> RegionResult:
    """Build every chosen council's report and the regional step on Dask; never raises for one council's
    failure (see ``RegionResult.failed``); ``RegionError`` for a mistake in region.yaml or ``--councils``,
    ``ReportInterrupted`` when stopped by a signal."""
    began = time.monotonic()
    region = load_region(Path(request.data_dir))
    councils = choose(region, request.councils)
    period = Period.from_year(request.year)
    registry = list(request.registry or discover())
    chosen = select(request.sections, tuple(registry))
    out_dir = Path(request.out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with _stop_on_signals(), contextlib.ExitStack() as locks:
        locks.enter_context(RunLock(out_dir / f".region-{period.folder}.lock"))
        for council in councils:
            (out_dir / council.slug).mkdir(exist_ok=True)
            locks.enter_context(RunLock(out_dir / council.slug / f".{period.folder}.lock"))
            _remove_leftovers(out_dir / council.slug, period.folder)
        for stale in out_dir.glob(f".region-{period.folder}-building-*"):
            shutil.rmtree(stale, ignore_errors=True)
        made: list[Path] = []
        try:
            with _deferred():
                work = Path(tempfile.mkdtemp(prefix=f".region-{period.folder}-building-", dir=out_dir))
                made.append(work)
                _on_hard_exit(work)
            jobs = []
            for council in councils:
                council_out = out_dir / council.slug
                with _deferred():
                    staging = Path(tempfile.mkdtemp(prefix=f".{period.folder}-building-", dir=council_out))
                    made.append(staging)
                    _on_hard_exit(staging)
                jobs.append(
                    _Job(
                        council.slug,
                        _council_request(request, region, council, council_out, work),
                        _plan(chosen, registry, council_out, period),
                        staging,
                    )
                )
            with _client(request) as client:
                dashboard = getattr(client, "dashboard_link", None)
                if dashboard and request.progress:
                    print(f"cpkit region: Dask dashboard at {dashboard}", file=sys.stderr, flush=True)
                results, regional, note, regional_seconds = _run_graph(
                    client, request, region, councils, jobs, period, work
                )
            index = write_index(out_dir, region, period, results, regional, note)
        except (ReportInterrupted, KeyboardInterrupt):
            end_child_processes()  # before the staging folders go: kernels must not write into them again
            raise
        finally:
            with _deferred():
                for path in made:
                    shutil.rmtree(path, ignore_errors=True)
    return RegionResult(
        request.year, results, index, regional, note, dashboard, time.monotonic() - began, regional_seconds
    )


def _council_request(
    request: RegionRequest, region: Region, council: RegionCouncil, out: Path, work: Path
) -> ReportRequest:
    """The council's ``cpkit report`` request: its data folder (for a hub, set by the split task) and its
    settings: its own cpkit.yaml when region.yaml adds nothing to it, else the merged settings written to
    the run's work folder (see ``cpkit.region.settings`` for which value wins)."""
    import yaml

    from cpkit.config import read_yaml

    config_file = council.own_config
    own: dict[str, Any] = {}
    if config_file is not None:
        with contextlib.suppress(CpkitError):
            own = read_yaml(config_file)
    if config_file is None or own != council.settings:
        config_file = work / "settings" / council.slug / "cpkit.yaml"
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text(yaml.safe_dump(council.settings, sort_keys=False), encoding="utf-8")
    return ReportRequest(
        year=request.year,
        data_dir=council.folder if not region.hub else work / "data" / council.slug,
        out_dir=out,
        sections=request.sections,
        jobs=1,
        config_file=config_file,
        timeout=request.timeout,
        progress=False,
        strict=request.strict,
        registry=request.registry,
    )


@contextlib.contextmanager
def _client(request: RegionRequest) -> Iterator[Any]:
    """A Dask client: of the scheduler at ``--scheduler``, else of a ``LocalCluster`` of ``--workers``
    processes with one thread each (a section's kernel is a process of its own; a thread each keeps one
    task per worker). On a stop or an error the local workers are ended at once, not waited for."""
    import logging

    from distributed import Client, LocalCluster

    cluster = None
    if request.scheduler:
        client = Client(request.scheduler, timeout="30s")
    else:
        workers = request.workers or os.cpu_count() or 1
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, silence_logs=logging.ERROR
        )
        client = Client(cluster)
    try:
        yield client
    except BaseException:
        if cluster is not None:
            end_child_processes(grace=2.0)  # the workers and their kernels: no graceful shutdown to wait for
        with contextlib.suppress(Exception):
            client.close(timeout=2)
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close(timeout=2)
        raise
    client.close()
    if cluster is not None:
        cluster.close()


def _run_graph(
    client: Any,
    request: RegionRequest,
    region: Region,
    councils: list[RegionCouncil],
    jobs: list[_Job],
    period: Period,
    work: Path,
) -> tuple[list[CouncilResult], Path | None, str, float]:
    """Submit every council's tasks, follow them with a bar per stage, then the regional step."""
    from distributed import as_completed
    from tqdm import tqdm

    run_id = uuid.uuid4().hex[:8]
    split = None
    if region.hub:
        from cpkit.region.hub import split_hub

        split = client.submit(
            split_hub, region.folder, councils, work / "data", key=f"split-{run_id}", pure=False
        )
    alone = len(jobs) == 1  # a region of one council: its report alone (see ALONE)
    kinds: dict[str, tuple[str, str]] = {}  # task key -> (stage, council slug)
    per: dict[str, dict[str, Any]] = {}
    for job in jobs:
        prep = client.submit(_prepare_task, job, split, key=f"prepare-{job.slug}-{run_id}", pure=False)
        first = _first_of(job.plan.run) if alone else {}
        sections = [
            client.submit(
                _section_task,
                prep,
                s,
                key=f"section-{job.slug}-{s.name}-{run_id}",
                priority=first.get(s.name, 0),
                pure=False,
            )
            for s in job.plan.run
        ]
        render = client.submit(_render_task, prep, *sections, key=f"render-{job.slug}-{run_id}", pure=False)
        figures = futures = None  # a region of one council compares nothing: no figures for it to read
        if not alone:
            figures = client.submit(_figures_task, prep, key=f"figures-{job.slug}-{run_id}", pure=False)
            futures = client.submit(
                _futures_task, prep, render, key=f"futures-{job.slug}-{run_id}", pure=False
            )
        per[job.slug] = {
            "prepare": prep, "sections": sections, "render": render, "figures": figures, "futures": futures
        }  # fmt: skip
        kinds[prep.key] = ("prepare", job.slug)
        kinds.update({s.key: ("sections", job.slug) for s in sections})
        kinds[render.key] = ("render", job.slug)
    # the region's own figures from the pooled returns: one task as soon as every council is prepared, run
    # beside the sections, so the regional step at the end only reads figures tables (issue 21: at most 10%)
    pooled = None
    if not alone:
        pooled = client.submit(
            _pooled_task,
            region.title or "the region",
            period,
            {slug: p["prepare"] for slug, p in per.items()},
            {slug: p["figures"] for slug, p in per.items()},
            key=f"pooled-{run_id}",
            pure=False,
        )
    # submitted last, so a worker given the prepare step takes it first
    warming: list[Any] = []  # held for the run: a future let go is a task cancelled
    if alone and jobs[0].plan.run:
        warming = _warm_workers(client, jobs[0], split, jobs[0].plan.run[0].notebook.parent, run_id)
    on_terminal = request.progress and sys.stderr.isatty()
    total_sections = sum(len(p["sections"]) for p in per.values())
    bars = {
        stage: tqdm(total=total, desc=desc, unit=unit, disable=not on_terminal, file=sys.stderr, position=i)
        for i, (stage, total, desc, unit) in enumerate(
            [
                ("prepare", len(jobs), "Councils prepared", "council"),
                ("sections", total_sections, "Sections run", "section"),
                ("render", len(jobs), "Councils rendered", "council"),
            ]
        )
    }
    names = {c.slug: c.name for c in councils}
    try:
        tracked = [f for p in per.values() for f in (p["prepare"], *p["sections"], p["render"])]
        for future in as_completed(tracked):
            stage, slug = kinds[future.key]
            bars[stage].update(1)
            if stage == "render" and request.progress and not on_terminal:
                done = _result(future)
                word = "FAILED" if done.failed else "ok"
                print(f"  {names[slug]}: {word}", file=sys.stderr, flush=True)
    finally:
        for bar in bars.values():
            bar.close()
    results = [_council_result(c, per[c.slug]) for c in councils]
    del warming  # done, or never run (no worker was idle), either way no longer wanted
    if alone:
        return results, None, ALONE.format(name=councils[0].name), 0.0
    began = time.monotonic()
    regional, note = _regional(
        client, region, period, results, per, pooled, work, Path(request.out_dir).resolve()
    )
    return results, regional, note, time.monotonic() - began


def _first_of(sections: list[Section]) -> dict[str, int]:
    """A region of one council: its sections' priorities, the longest first as ``cpkit report`` starts
    them (``runner._longest_first``, by the sample's typical seconds), so its two longest do not start
    last on the two workers and leave one idle at the end. (Dask runs tasks of equal priority in no order
    a council's sections can count on; with more councils the workers share out the councils instead.)"""
    from cpkit.report.runner import _longest_first

    order = _longest_first(list(sections), {})
    return {s.name: len(order) - i for i, s in enumerate(order)}


def _warm_workers(client: Any, job: _Job, split: Any, cwd: Path, run_id: str) -> list[Any]:
    """A warm-up (``_warm_task``) pinned to each worker, below every other task in priority, so only a
    worker with nothing else to do runs it: for a region of one council, the workers the prepare step
    leaves idle. (With more councils every worker has a council to prepare, and a kernel warmed for one
    council is of no use to another's sections.)"""
    return [
        client.submit(
            _warm_task,
            job,
            split,
            cwd,
            key=f"warm-{job.slug}-{address}-{run_id}",
            workers=[address],
            allow_other_workers=False,
            priority=-1,
            pure=False,
        )
        for address in client.scheduler_info().get("workers", {})
    ]


def _result(future: Any) -> _Outcome:
    """A task's outcome; a task that raised (a bug) or whose workers kept dying is its council's failure."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - any task error fails its council alone, with its message
        from distributed import KilledWorker

        if isinstance(exc, KilledWorker):
            return _Outcome(
                failed="the worker processes running it kept ending abruptly (killed, or out of memory)"
            )
        return _Outcome(failed=f"unexpected error {type(exc).__name__}: {exc}")


def _council_result(council: RegionCouncil, futures: dict[str, Any]) -> CouncilResult:
    prep, render = _result(futures["prepare"]), _result(futures["render"])
    runs = [_result(f) for f in futures["sections"]]
    seconds = {
        "prepare": round(prep.seconds, 2),
        "sections": round(sum(r.seconds for r in runs), 2),
        "render": round(render.seconds, 2),
    }
    if render.failed:
        return CouncilResult(council.slug, council.name, FAILED, render.failed, None, seconds)
    return CouncilResult(council.slug, council.name, PUBLISHED, "", Path(render.value), seconds)


def _regional(
    client: Any,
    region: Region,
    period: Period,
    results: list[CouncilResult],
    per: dict[str, dict[str, Any]],
    pooled: Any,
    work: Path,
    out_dir: Path,
) -> tuple[Path | None, str]:
    """The regional step, a task on the workers (it reads the councils' caches, which hold child-level
    tables): the pooled figures and summed forecast (``cpkit.region.pooled``) and the regional comparison
    (``cpkit.region.compare.build_regional``) from the published councils, written into the run's work
    folder and swapped in whole as ``<out>/regional/<year>/``. Returns (its page, or None and why not)."""
    published = [r.slug for r in results if r.status == PUBLISHED]
    if not published:
        return None, "no council's report was published, so there is nothing to compare"
    staging = work / "regional"
    task = client.submit(
        _regional_task,
        region,
        period,
        staging,
        pooled,
        {slug: per[slug]["prepare"] for slug in published},
        {slug: per[slug]["figures"] for slug in published},
        {slug: per[slug]["futures"] for slug in published},
        results,
        key=f"regional-{uuid.uuid4().hex[:8]}",
        pure=False,
    )
    outcome = _result(task)
    if outcome.failed:
        return None, f"{REGIONAL_FAILED}: {outcome.failed}"
    final = out_dir / REGIONAL_DIR / period.folder
    final.parent.mkdir(exist_ok=True)
    with _deferred():
        _swap_in(staging, final, work)
    return final / Path(outcome.value).name, ""


def _regional_task(
    region: Region,
    period: Period,
    staging: Path,
    pooled: _Outcome,
    prepared: dict[str, _Outcome],
    figures: dict[str, Any],
    futures: dict[str, _Outcome],
    results: list[CouncilResult],
) -> _Outcome:
    """On a worker: the summed forecast, then the comparison page and workbook into ``staging``, from the
    region's pooled figures (``_pooled_task``) and the councils' figures tables and simulated totals; no
    child-level table reaches this task. The region's small-number rule is the strictest of its councils'
    (``pooled.region_config``)."""
    from cpkit.present.disclosure import Rule
    from cpkit.region.compare import build_regional
    from cpkit.region.pooled import region_config, regional_forecast

    began = time.monotonic()
    name = region.title or "the region"
    configs = {slug: p.value.config for slug, p in prepared.items()}
    try:
        # the comparison is still written when the region's own could not be worked out, saying why
        regional: Any = pooled.value if not pooled.failed else pooled.failed
        # a council whose futures task failed is named, not left out: a sum without it would be too small
        forecast = regional_forecast({slug: f.failed or f.value for slug, f in futures.items()})
        councils: dict[str, Any] = {
            r.slug: figures[r.slug] if r.slug in figures else (r.reason.splitlines() or ["failed"])[0]
            for r in results
        }
        paths = build_regional(
            staging,
            name,
            period,
            councils,
            regional,
            forecast,
            names={r.slug: r.name for r in results},
            rule=Rule.of(region_config(name, configs)),
            text={"introduction": region.introduction},
        )
    except CpkitError as exc:
        return _Outcome(failed=str(exc), seconds=time.monotonic() - began)
    return _Outcome(paths[0], seconds=time.monotonic() - began)


def _pooled_task(
    name: str, period: Period, prepared: dict[str, _Outcome], figures: dict[str, Any]
) -> _Outcome:
    """On a worker, once every council is prepared: the region's own figures table from the pooled returns
    of every council that was read (``cpkit.region.pooled.pooled_figures``; a council whose sections fail
    later is still in the region's total, and the comparison protects it as an unprinted part). The pooled
    returns are read here from the councils' caches and go no further than this task."""
    from cpkit.region.pooled import pooled_figures

    began = time.monotonic()
    read = {slug: p for slug, p in prepared.items() if not p.failed}
    if not read:
        return _Outcome(failed="no council's returns could be read", seconds=time.monotonic() - began)
    caches = {slug: p.value.cache_dir / SSDA903_DIR for slug, p in read.items()}
    configs = {slug: p.value.config for slug, p in read.items()}
    own = {slug: figures[slug] for slug in read if figures.get(slug) is not None}
    try:
        table = pooled_figures(caches, configs, period, name, council_figures=own)
    except CpkitError as exc:
        return _Outcome(failed=f"the region's own figures could not be worked out: {exc}")
    return _Outcome(table, seconds=time.monotonic() - began)


# --- the index page -----------------------------------------------------------------------------------


def write_index(
    out_dir: Path,
    region: Region,
    period: Period,
    results: list[CouncilResult],
    regional: Path | None,
    note: str,
) -> Path:
    """``<out>/index.html``: every council with a link to its report, or FAILED and the reason (text from
    messages and region.yaml is escaped, never markup)."""
    from html import escape

    title = region.title or "Regional reports"
    rows = []
    for r in results:
        if r.status == PUBLISHED and r.report is not None:
            link = os.path.relpath(r.report / "index.html", out_dir)
            cell = f'<a href="{escape(link)}">report</a>'
            status = "Published"
        else:
            cell = f'<pre class="reason">{escape(r.reason)}</pre>'
            status = "<strong>FAILED</strong>"
        rows.append(f'<tr><th scope="row">{escape(r.name)}</th><td>{status}</td><td>{cell}</td></tr>')
    regional_line = (
        f'<p><a href="{escape(os.path.relpath(regional, out_dir))}">The regional comparison</a></p>'
        if regional is not None
        else f"<p>No regional comparison: {escape(note)}.</p>"
    )
    intro = "".join(f"<p>{escape(p.strip())}</p>" for p in region.introduction.split("\n\n") if p.strip())
    failed = sum(r.status != PUBLISHED for r in results)
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{escape(title)}: {escape(period.label)}</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto}}table{{border-collapse:collapse}}
th,td{{border:1px solid #999;padding:.3rem .6rem;text-align:left;vertical-align:top}}
pre.reason{{white-space:pre-wrap;margin:0;font-family:inherit}}</style></head>
<body>
<h1>{escape(title)}: {escape(period.label)}</h1>
{intro}
<p>{len(results) - failed} of {len(results)} councils' reports published{f"; {failed} failed" if failed else ""}.</p>
{regional_line}
<table><caption>Councils</caption>
<thead><tr><th scope="col">Council</th><th scope="col">Status</th><th scope="col">Report or reason</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
    path = out_dir / "index.html"
    tmp = out_dir / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
