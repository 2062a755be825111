"""Executing section notebooks with papermill, in a worker process, reporting success or the failure.

Kept apart from the runner so a worker imports only what execution needs. A failure is returned, not
raised, so the runner can report every failed section at once with its cell and exception.

**One warm kernel per worker** (:class:`Kernels`). Starting a kernel and importing pandas, matplotlib and
the kit in it costs about 2 s on the 2-core machine, as much as most sections' own work, so a worker keeps
its kernel for the next section it runs. Between sections the kernel's namespace is cleared (IPython's
``%reset -f``), its figures are closed and its working folder is set to the next notebook's, so a section
sees what a new kernel would, except for modules already imported: the kit keeps no per-run state in
modules (its module caches hold code lists, the measure registry and templates; the provenance log of
files read restarts with each section's ``open_section``). Kernels live only as long as the run that
started them (their environment carries the run's provenance log folder). After a failed section, a
timeout or a dead kernel, that kernel is shut down and the next section gets a new one, so a half-run
cell never carries over. Execution counts are renumbered from 1 in each executed notebook.

**Warmed while the data is prepared.** ``cpkit report`` starts its section workers before the prepare
step (:func:`start_worker` with a folder to warm in): each imports papermill, starts its kernel and
imports the kit's presentation and section code in it (:data:`WARM_UP`), about 3 s of a quiet core each,
while the run's own process reads the returns and waits for the DfE validator, where a core stood idle.
The first section then meets a kept kernel, reset as for any later section: what it sees is what the
second section on a worker always saw.

nbclient is given an asynchronous client for the kept kernel, so while a cell runs its event loop still
checks the cell's time limit (``--timeout``) and, every second, that the kernel is alive: a cell over the
limit or a kernel killed outright (``kill -9``, the OOM killer) is a failed section within seconds.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import Any

from cpkit.errors import CpkitError

KERNEL_NAME = "python3"  # resolves to the ipykernel of the environment cpkit runs in
START_TIMEOUT = 120  # seconds; kernel starts are slow on a loaded 2-core machine


@dataclass
class SectionRun:
    """The outcome of running one section notebook."""

    name: str
    output: Path
    ok: bool
    seconds: float
    cell: int | None = None  # 1-based position of the failing cell in the source notebook
    cell_source: str | None = None  # the failing cell's first line, to find it at a glance
    error: str | None = None  # "ExceptionName: message"
    kernel_seconds: float = 0.0  # of ``seconds``: starting a new kernel until it answered (0 when kept)


# Run in a kept kernel before each section but its first: a new kernel's state, bar imported modules.
_RESET = """\
%reset -f
import os as _os, sys as _sys
_os.chdir({cwd!r})
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
del _os, _sys
"""


# Imported in a worker's kernel as it is warmed (see the module docstring): what every section imports
# first (``open_section``, the show functions, the figures table, pandas and matplotlib under them) and
# scipy's solvers, which the disclosure rule's exact check imports at its first table. Then everything
# imported so far (hundreds of thousands of module objects that live as long as the kernel) is moved out
# of the cycle collector's sight (``gc.freeze``): each full collection a section set off walked them all
# again and freed none of them; the sections' own objects are collected as before. On the sample this took
# the sections' wall from 8.2 to 6.0 s on 2 cores (docs/speed.md).
WARM_UP = """\
import cpkit.report.context, cpkit.present, cpkit.sections.common, cpkit.figures.table, scipy.optimize
import gc; gc.freeze()
"""


class Kernels:
    """The kernel a process keeps for the sections it runs (see the module docstring); a context manager
    that shuts it down on leaving."""

    def __init__(self, kernel_name: str = KERNEL_NAME) -> None:
        self.kernel_name = kernel_name
        self._manager: Any = None  # jupyter_client KernelManager
        self._used = False  # has a section run in it since it started
        self.start_seconds = 0.0  # the last ``ready``: starting a kernel until it answered (0 when kept)

    def __enter__(self) -> Kernels:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ready(self, cwd: Path) -> Any:
        """A started kernel whose namespace is empty and whose working folder is ``cwd``; a new one is
        waited for until it answers (``start_seconds``: how long that took, for ``cpkit.report.timings``)."""
        self.start_seconds = 0.0
        if self._manager is not None and self._used:
            if not (self._manager.is_alive() and self._reset(cwd)):
                self.close()
        if self._manager is None:
            from jupyter_client.manager import KernelManager

            began = time.perf_counter()
            manager = KernelManager(kernel_name=self.kernel_name)
            # nbclient talks to a kept kernel through ``manager.client()``: a blocking client there blocks
            # nbclient's event loop while it waits for output, so neither the cell timeout nor the
            # dead-kernel check ever runs (a killed kernel hung the run; --timeout was ignored)
            manager.client_class = "cpkit.report.execute.SectionClient"
            # history in memory (two kernels, one SQLite file); log errors only: a scheduled run's stderr
            # should not carry ipykernel's notices (cell errors come back as messages, not log lines)
            manager.start_kernel(
                cwd=str(cwd),
                extra_arguments=["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"],
            )
            self._manager = manager
            self._wait_ready()
            self.start_seconds = time.perf_counter() - began
        self._used = True
        return self._manager

    def warm(self, cwd: Path) -> bool:
        """Start the kernel now and import :data:`WARM_UP` in it, so the first section does not wait for
        either; the next :meth:`ready` resets it as after a section. False (and no kernel kept) when it
        failed: the first section then starts a kernel of its own, as it would have."""
        try:
            self.ready(cwd)
            if self._run_quietly(WARM_UP, timeout=START_TIMEOUT):
                return True
        except CpkitError:
            raise
        except Exception:  # noqa: BLE001 - a kernel that would not start or import: the section's to report
            pass
        self.close()
        return False

    def _wait_ready(self) -> None:
        """Until the new kernel answers; ``RuntimeError`` if it dies first (a failed start: retried once
        by :func:`run_section`)."""
        client = self._manager.blocking_client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=START_TIMEOUT)
        finally:
            client.stop_channels()

    def _reset(self, cwd: Path) -> bool:
        return self._run_quietly(_RESET.format(cwd=str(cwd)), timeout=60)

    def _run_quietly(self, code: str, timeout: float) -> bool:
        """Run ``code`` in the kept kernel and wait for its reply; False if it failed, the kernel died or
        ``timeout`` passed.

        Over the shell channel only: its reply says the code has run, and nothing it prints is wanted.
        Waiting on the output channel too (``execute_interactive``, after ``wait_for_ready``, which waits
        for 0.2 s of silence there) cost about 0.5 s of idle waiting before every section; the shell
        channel queues its messages, so it needs no such wait for the connection to settle."""
        client = self._manager.blocking_client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    reply = client.get_shell_msg(timeout=1)
                except Empty:
                    if not self._manager.is_alive():
                        return False
                    continue
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return reply["content"].get("status") == "ok"
            return False
        except CpkitError:
            raise  # the run was stopped (ReportInterrupted is a RuntimeError too): never taken for a bad kernel
        except (RuntimeError, TimeoutError):
            return False
        finally:
            client.stop_channels()

    def close(self) -> None:
        """Shut the kernel down (a failed or timed-out section's kernel is never reused)."""
        if self._manager is not None:
            try:
                self._manager.shutdown_kernel(now=True)
            except CpkitError:
                raise  # a stop signal arriving meanwhile still stops the run
            except Exception:  # noqa: BLE001 - a kernel that already died has nothing left to stop
                pass
        self._manager, self._used = None, False


def _section_client() -> type:
    """:class:`SectionClient`, made when a kernel manager first asks for it (jupyter_client is imported
    by a worker, not by whatever imports this module)."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_core.utils import ensure_async

    class SectionClient(AsyncKernelClient):
        """The asynchronous client nbclient runs a section's cells through (``Kernels``: a blocking one
        would block nbclient's event loop). Its ``wait_for_ready`` is jupyter_client's (8.x) but for the
        last step: jupyter_client then waits until the output channel has been silent for 0.2 s, which
        made every section wait 0.2 s for nothing; nbclient reads only the output of the cell it runs
        (by its message id), so what the kernel said before is skipped there, not waited for. The
        handshake is kept whole: a reply to ``kernel_info`` on the shell channel and a message on the
        output channel, so that channel is known to be connected before the first cell runs."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:  # the output channel is connected once a message arrives on it
                            await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.time() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    return SectionClient


def __getattr__(name: str) -> Any:
    if name == "SectionClient":  # jupyter_client imports the client class by its dotted name
        globals()[name] = _section_client()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_WORKER_KERNELS: Kernels | None = None  # the kept kernel of a section worker process


def start_worker(env: dict[str, str] | None = None, warm: Path | None = None) -> None:
    """Initializer of a section worker process: keep one kernel, shut down when the worker exits
    (``multiprocessing`` runs its finalizers as a worker ends, after the pool is shut down).

    ``env``: variables the kernels must see (the run's provenance log, ``cpkit.report.provenance``), set
    here because the worker may be started before the run knows them in its own environment. ``warm``: a
    notebooks folder to start and warm the kernel in at once (:meth:`Kernels.warm`)."""
    from multiprocessing import util

    global _WORKER_KERNELS
    if env:
        os.environ.update(env)
    import papermill  # noqa: F401 - here, not in the first section: a warmed worker is ready to run

    _WORKER_KERNELS = Kernels()
    util.Finalize(_WORKER_KERNELS, _WORKER_KERNELS.close, exitpriority=10)
    if warm is not None:
        _WORKER_KERNELS.warm(warm)


def started() -> None:
    """A task that only makes a pool start a process (its initializer runs as it starts)."""


def run_in_worker(
    name: str, notebook: Path, output: Path, parameters: dict[str, Any], cwd: Path, timeout: int | None
) -> SectionRun:
    """:func:`run_section` with the worker's kept kernel (see :func:`start_worker`)."""
    return run_section(name, notebook, output, parameters, cwd, timeout, kernels=_WORKER_KERNELS)


def run_section(
    name: str,
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    cwd: Path,
    timeout: int | None,
    kernels: Kernels | None = None,
) -> SectionRun:
    """Run ``notebook`` into ``output``, in ``kernels``' kept kernel if given, else a kernel of its own;
    one retry when the kernel fails to start (ZMQ port races)."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    began = time.monotonic()
    for attempt in (1, 2):
        try:
            manager = kernels.ready(cwd) if kernels is not None else None
            pm.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                cwd=str(cwd),
                progress_bar=False,
                start_timeout=START_TIMEOUT,
                execution_timeout=timeout,
                km=manager,
            )
            if kernels is not None:
                _renumber(output)
            started = kernels.start_seconds if kernels is not None else 0.0
            return SectionRun(name, output, True, time.monotonic() - began, kernel_seconds=started)
        except PapermillExecutionError as exc:
            if kernels is not None:
                kernels.close()
            return SectionRun(
                name,
                output,
                False,
                time.monotonic() - began,
                *_failed_cell(output),
                error=f"{exc.ename}: {exc.evalue}",
            )
        except (CellTimeoutError, DeadKernelError) as exc:
            if kernels is not None:
                kernels.close()
            if isinstance(exc, DeadKernelError):
                error = "kernel died while the cell ran (killed, or out of memory)"
            else:
                error = f"the cell ran longer than the {timeout} s limit (--timeout); it was stopped"
            return SectionRun(
                name,
                output,
                False,
                time.monotonic() - began,
                *_failed_cell(output, running=True),
                error=error,
            )
        except RuntimeError as exc:  # kernel did not start (e.g. "Kernel died before replying")
            if isinstance(exc, CpkitError):
                raise  # the run was stopped (a signal: ReportInterrupted), not a kernel that failed to start
            if kernels is not None:
                kernels.close()
            if attempt == 2:
                return SectionRun(
                    name, output, False, time.monotonic() - began, error=f"kernel failed to start: {exc}"
                )
    raise AssertionError("unreachable")


def _renumber(output: Path) -> None:
    """Execution counts from 1, as a new kernel would give them (a kept kernel's count runs on)."""
    import nbformat

    nb = nbformat.read(str(output), as_version=4)
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.get("execution_count") is None:
            continue
        count += 1
        cell.execution_count = count
        for out in cell.get("outputs", []):
            if "execution_count" in out:
                out["execution_count"] = count
    nbformat.write(nb, str(output))


def _failed_cell(output: Path, running: bool = False) -> tuple[int | None, str | None]:
    """The cell papermill marked as failed, numbered as in the source notebook (not counting the
    injected-parameters and error-banner cells papermill adds), with its first line. ``running``: the
    cell was stopped (a timeout, a dead kernel), which papermill does not mark as failed: the last cell
    it started."""
    import nbformat

    try:
        nb = nbformat.read(str(output), as_version=4)
    except (OSError, ValueError):
        return None, None
    position, found = 0, (None, None)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            continue
        position += 1
        state = cell.metadata.get("papermill", {})
        if state.get("status") == "failed" or (running and state.get("start_time")):
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            found = position, first[:100]
            if not running:
                break
    return found
