"""Fault injection, as a scheduler meets the command (issue 19): the real ``cpkit report`` run as a session
leader is stopped with SIGTERM or SIGINT at each moment of a run (prepare, the DfE validator, sections,
rendering, the swap), has a section's kernel killed with SIGKILL, a cell over ``--timeout``, its disk
filling while the report is written, or a clean-up that hangs. Each time it must end within seconds with
the right exit code, leave the previous report byte for byte as it was, and leave no staging folder,
cache, lock or process behind.

The runs are kept small: a council of one child and two one-line section notebooks (two, so the sections
run on the worker pool, where the stop used to hang), chosen by replacing the section registry in the
command's own process (``DRIVER``). A moment with nothing to wait on is reached with the runner's test
hook ``CPKIT_TEST_PAUSE_AT`` (``cpkit.report.runner.pause_for_test``); the sections moment is a real
kernel executing a cell, the validator moment the real validator's process.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from cpkit.resources import VALIDATOR_VENV

from .notebooks import write_council, write_notebook
from .test_clean_failure import previous_report, snapshot, still_running

pytestmark = pytest.mark.slow

EXIT_WITHIN = 10.0  # seconds from the signal to the command's exit (issue 19)

# The command itself, with the registry replaced by the test's notebooks (argv: notebooks folder, then
# the command line as `cpkit` takes it).
DRIVER = """
import sys
from pathlib import Path
from cpkit import cli
from cpkit.report import sections
from cpkit.report.sections import Section
folder = Path(sys.argv.pop(1))
registry = tuple(Section(p.stem, p.stem, "A test section.", path=p) for p in sorted(folder.glob("*.ipynb")))
sections.discover = lambda: registry
sys.exit(cli.main())
"""

# Each section: one line of output. A section named in FAULT_SECTIONS first leaves a file named
# FAULT_MARKER.<its kernel's process id>, then sleeps FAULT_SLEEP seconds (the environment reaches the
# kernels).
BODY = """import os, time
from cpkit.present import show_markdown
if "{name}" in os.environ.get("FAULT_SECTIONS", "").split(","):
    open(os.environ["FAULT_MARKER"] + "." + str(os.getpid()), "w").close()
    time.sleep(float(os.environ["FAULT_SLEEP"]))
show_markdown("A section.")"""
BOTH = "01_first,02_second"


@pytest.fixture
def council(tmp_path: Path) -> tuple[Path, Path, Path, dict[str, bytes]]:
    """The data folder, the notebooks folder, the output folder and the previous report's snapshot."""
    data = write_council(tmp_path / "data")
    notebooks = tmp_path / "nb"
    for name in ("01_first", "02_second"):
        write_notebook(notebooks / f"{name}.ipynb", BODY.format(name=name), title=name)
    out = tmp_path / "reports"
    return data, notebooks, out, previous_report(out)


class Run:
    """The command running as a session leader, its descendants seen so far, its stderr lines."""

    def __init__(self, council, *extra: str, env: dict[str, str] | None = None, quiet: bool = True) -> None:
        data, notebooks, out, _ = council
        command = [sys.executable, "-c", DRIVER, str(notebooks), "report", "--year", "2025"]
        command += ["--data", str(data), "--out", str(out), "--jobs", "2", *extra] + (
            ["--quiet"] if quiet else []
        )
        self.proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        self.seen: dict[int, psutil.Process] = {}
        self.err = ""

    def look(self) -> None:
        try:
            for p in psutil.Process(self.proc.pid).children(recursive=True):
                self.seen.setdefault(p.pid, p)
        except psutil.Error:
            pass

    def wait_for(self, ready, timeout: float = 180) -> None:
        """Poll until ``ready()`` (watching the process tree meanwhile)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.look()
            if ready():
                self.look()
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"the run ended first: {self.proc.communicate()}")
            time.sleep(0.2)
        self.proc.kill()
        raise AssertionError("the moment was not reached in time")

    def wait_for_pause(self, moment: str, timeout: float = 180) -> None:
        """Read stderr until the runner says it paused at ``moment``."""
        deadline = time.monotonic() + timeout
        for line in self.proc.stderr:  # type: ignore[union-attr]
            self.look()
            self.err += line
            if f"paused at {moment}" in line:
                return
            if time.monotonic() > deadline:
                break
        self.proc.kill()
        raise AssertionError(f"the run did not pause at {moment}: {self.err}")

    def stop(self, signum: int) -> float:
        """Send ``signum``; return the seconds until the command exited."""
        self.look()
        os.kill(self.proc.pid, signum)
        sent = time.monotonic()
        try:
            _, err = self.proc.communicate(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        self.err += err
        return time.monotonic() - sent

    def finish(self, timeout: float = 180) -> None:
        try:
            _, err = self.proc.communicate(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        self.err += err


def assert_left_nothing(run: Run, council) -> None:
    """The previous report as it was, and nothing else: no staging folder, cache, lock or process."""
    out, before = council[2], council[3]
    assert snapshot(out) == before, sorted(set(snapshot(out)) ^ set(before))
    assert not list(out.rglob("*.parquet"))
    assert not still_running(list(run.seen.values())), "workers or kernels outlived the run"
    assert "Traceback" not in run.err, run.err


@pytest.mark.parametrize(
    ("moment", "signum"),
    [
        ("prepare", signal.SIGTERM),
        ("prepare", signal.SIGINT),
        ("render", signal.SIGTERM),
        ("render", signal.SIGINT),
        ("swap", signal.SIGTERM),
        ("swap", signal.SIGINT),
    ],
)
def test_a_stop_at_each_moment_ends_promptly_and_leaves_the_previous_report(council, moment, signum):
    run = Run(council, env={"CPKIT_TEST_PAUSE_AT": moment})
    run.wait_for_pause(moment)
    took = run.stop(signum)
    assert run.proc.returncode == 128 + signum, run.err
    assert took < EXIT_WITHIN, took
    assert (
        f"stopped by {signal.Signals(signum).name}" in run.err and "previous report is unchanged" in run.err
    )
    assert_left_nothing(run, council)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_while_the_writer_processes_work_ends_them(council, signum):
    """The PDFs are laid out by a pool of processes while the run writes the workbook and the Word files:
    a stop then ends them at once and no half-written report is left."""
    run = Run(council, env={"CPKIT_TEST_PAUSE_AT": "writers"})
    run.wait_for_pause("writers")
    writers = [  # the run's own children: not a program a writer starts as it imports (WeasyPrint's gcc)
        p
        for p in run.seen.values()
        if _alive(p) and "spawn_main" in " ".join(_cmdline(p)) and _parent(p) == run.proc.pid
    ]
    assert len(writers) == 2, [_cmdline(p) for p in run.seen.values()]  # the pool's two, at work
    took = run.stop(signum)
    assert run.proc.returncode == 128 + signum, run.err
    assert took < EXIT_WITHIN, took
    assert_left_nothing(run, council)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_while_the_kernels_run_cells_ends_promptly(council, tmp_path, signum):
    """The moment that hung: sections running on the worker pool (the workers used to be reaped behind
    the pool's back, and the command never exited)."""
    marker = tmp_path / "running"
    run = Run(council, env={"FAULT_MARKER": str(marker), "FAULT_SLEEP": "120", "FAULT_SECTIONS": BOTH})
    run.wait_for(lambda: len(list(tmp_path.glob("running.*"))) == 2)  # both kernels are in their cells
    took = run.stop(signum)
    assert run.proc.returncode == 128 + signum, run.err
    assert took < EXIT_WITHIN, took
    assert_left_nothing(run, council)


@pytest.mark.skipif(
    VALIDATOR_VENV is None or not (VALIDATOR_VENV / "bin" / "python").exists(),
    reason="needs the DfE rules' environment (.venv-validator)",
)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_while_the_dfe_validator_runs(council, signum):
    run = Run(council, env={"CPKIT_DFE_RULES": "on"})

    def validating() -> bool:
        return any("validator" in " ".join(_cmdline(p)) for p in run.seen.values() if _alive(p))

    run.wait_for(validating)
    took = run.stop(signum)
    assert run.proc.returncode == 128 + signum, run.err
    assert took < EXIT_WITHIN, took
    assert_left_nothing(run, council)


def test_a_kernel_killed_outright_fails_its_section_within_seconds(council, tmp_path):
    """``kill -9`` on a section's kernel: the section fails naming the dead kernel, the run exits 1 and the
    previous report stays (it used to wait for ever)."""
    marker = tmp_path / "running"
    run = Run(council, env={"FAULT_MARKER": str(marker), "FAULT_SLEEP": "300", "FAULT_SECTIONS": "01_first"})
    run.wait_for(lambda: len(list(tmp_path.glob("running.*"))) == 1)
    kernel = int(next(tmp_path.glob("running.*")).suffix[1:])
    os.kill(kernel, signal.SIGKILL)
    killed = time.monotonic()
    run.finish(timeout=120)
    assert run.proc.returncode == 1, run.err
    assert "section 01_first, cell 3" in run.err and "kernel died" in run.err, run.err
    assert time.monotonic() - killed < 30  # seconds, not the cell's 300 s (nor for ever)
    assert not still_running(list(run.seen.values()))
    out, before = council[2], council[3]
    assert {k: v for k, v in snapshot(out).items() if not k.startswith("_analyst/")} == {
        k: v for k, v in before.items() if not k.startswith("_analyst/")
    }
    assert not list(out.glob(".2025*")) and not list(out.rglob("*.parquet"))


def test_a_cell_over_the_timeout_fails_the_run_with_a_clear_message(council):
    env = {"FAULT_MARKER": os.devnull, "FAULT_SLEEP": "30", "FAULT_SECTIONS": BOTH}
    run = Run(council, "--timeout", "1", env=env, quiet=False)
    run.finish()
    assert run.proc.returncode == 1, run.err
    assert (
        "section 01_first, cell 3 (import os, time): the cell ran longer than the 1 s limit (--timeout)"
        in run.err
    )
    # not --quiet, into a log (stderr is a pipe): a line per stage and per section, no progress bar frames
    assert "cpkit report: running 2 section(s)..." in run.err and "  01_first: FAILED (" in run.err
    assert "\r" not in run.err, run.err
    out, before = council[2], council[3]
    assert snapshot(out)["2025/index.html"] == before["2025/index.html"]
    assert not list(out.glob(".2025*")) and not list(out.rglob("*.parquet"))


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def _parent(process: psutil.Process) -> int | None:
    try:
        return process.ppid()
    except psutil.Error:
        return None


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


# A run held up in a step that waits for nothing to end (here: a deferred step that sleeps), to show the
# exit is bounded all the same.
STUCK = """
import sys, time
from pathlib import Path
from cpkit.report import runner
staging = Path(sys.argv[1])
staging.mkdir()
with runner._stop_on_signals():
    runner._on_hard_exit(staging)
    with runner._deferred():
        print("stuck", flush=True)
        time.sleep(120)
"""


def test_a_clean_up_that_hangs_is_cut_short_at_the_deadline(tmp_path):
    """Whatever blocks the clean-up (a process that will not die, a call signals do not interrupt), the
    command still exits with the signal's code about ``STOP_DEADLINE`` seconds after it, and removes what
    it registered (the staging folder, the lock)."""
    from cpkit.report.runner import STOP_DEADLINE

    staging = tmp_path / ".2025-building-x"
    proc = subprocess.Popen(
        [sys.executable, "-c", STUCK, str(staging)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "stuck"  # type: ignore[union-attr]
    proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    assert proc.returncode == 143, err
    assert STOP_DEADLINE - 1 < took < EXIT_WITHIN, took
    assert "stopped by SIGTERM" in err and f"forced after {STOP_DEADLINE:.0f} s" in err
    assert not staging.exists()


def test_a_disk_that_fills_while_the_report_is_written(council, tmp_path):
    """A real full disk mid-render: the output folder is a small filesystem of its own, which the test
    fills while the run is paused before writing the report (the sections' notebooks already in staging).
    One line, exit 1, and the previous report as it was."""
    from .test_clean_failure import _namespace_or_skip

    _namespace_or_skip()
    data, notebooks, out, before = council
    keep = tmp_path / "previous"
    shutil.copytree(out, keep)  # the filesystem mounted over the folder starts with the previous report
    err_file = tmp_path / "stderr.txt"
    command = [sys.executable, "-c", DRIVER, str(notebooks), "report", "--year", "2025"]
    command += ["--data", str(data), "--out", str(out), "--quiet", "--jobs", "2"]
    o, k, e = (shlex.quote(str(p)) for p in (out, keep, err_file))
    script = (
        f"mount -t tmpfs -o size=20m tmpfs {o} && cp -a {k}/. {o}/ && "
        f"({shlex.join(command)} 2> {e} & pid=$!; "
        f"until grep -q 'paused at render' {e} || ! kill -0 $pid 2>/dev/null; do sleep 0.2; done; "
        f"head -c 30M /dev/zero > {o}/.filler 2>/dev/null; wait $pid; status=$?; rm -f {o}/.filler; "
        f"cd {o} && find . -type f | sort | xargs sha256sum; exit $status)"
    )
    env = {**os.environ, "CPKIT_TEST_PAUSE_AT": "render:5"}
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env)
    err = err_file.read_text(encoding="utf-8")
    assert result.returncode == 1, (result.stderr, err)
    lines = [line for line in err.splitlines() if line.startswith("cpkit report:")]
    assert lines == [
        f"cpkit report: no space left on the disk holding {out}: free some space and run again "
        "(the previous report is unchanged)"
    ], err
    expected = sorted(f"{hashlib.sha256(v).hexdigest()}  ./{k}" for k, v in before.items())
    assert sorted(result.stdout.splitlines()) == expected  # the previous report, and nothing else
