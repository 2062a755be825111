"""A run that is stopped, collides with another, is partial or meets a full or read-only disk leaves the
previous report as it was and nothing else behind: no staging folder, no cache of child-level parquet, no
worker or kernel process, no lock. Real ``cpkit report`` processes, real signals, real filesystems.
"""

from __future__ import annotations

import json
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

from cpkit import cli
from cpkit.errors import ReportLocked
from cpkit.report import sections as sections_mod
from cpkit.report.runner import ReportRequest, build_report
from cpkit.report.sections import Section

from .notebooks import GOOD_BODY, write_council, write_notebook

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def previous_report(out: Path) -> dict[str, bytes]:
    """A previous report and its analyst notebooks, as an earlier run left them; returns its snapshot."""
    (out / "2025").mkdir(parents=True)
    (out / "2025" / "index.html").write_text("<p>the previous report</p>", encoding="utf-8")
    (out / "2025" / "manifest.json").write_text('{"partial": false}', encoding="utf-8")
    (out / "_analyst" / "2025").mkdir(parents=True)
    (out / "_analyst" / "2025" / "01_children_in_care.ipynb").write_text("{}", encoding="utf-8")
    return snapshot(out)


def report_command(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "cpkit.cli",
        "report",
        "--year",
        "2025",
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


def _is_kernel(process: psutil.Process) -> bool:
    try:
        return "ipykernel" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def wait_for_sections(proc: subprocess.Popen, out: Path, timeout: float = 300) -> list[psutil.Process]:
    """Wait until the run's kernels are executing sections; return its descendant processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the run ended before its sections started: {proc.communicate()}")
        try:
            descendants = psutil.Process(proc.pid).children(recursive=True)
        except psutil.Error:
            descendants = []
        started = list(out.glob(".2025-building-*/notebooks/*.ipynb"))
        if started and any(_is_kernel(p) for p in descendants):
            return descendants
        time.sleep(0.5)
    proc.kill()
    raise AssertionError("sections did not start in time")


def still_running(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those of ``processes`` still alive after a short wait (a zombie has ended: it only awaits reaping)."""
    psutil.wait_procs(processes, timeout=15)
    alive = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
        except psutil.Error:
            pass
    return alive


@pytest.mark.parametrize(
    ("signum", "jobs"),
    [
        (signal.SIGTERM, "2"),
        (signal.SIGINT, "2"),
        (signal.SIGTERM, "1"),  # sections run in the command's own process: the signal lands inside papermill
    ],
)
def test_a_signal_mid_run_leaves_nothing_but_the_previous_report(tmp_path, signum, jobs):
    out = tmp_path / "reports"
    before = previous_report(out)
    run = subprocess.Popen(
        report_command(out, "--jobs", jobs), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        descendants = wait_for_sections(run, out)
        # what is at stake: the staging folder's cache holds the children's records
        assert list(out.glob(".2025-building-*/cache/**/*.parquet"))
        if signum == signal.SIGTERM:
            # meanwhile a second run on the same report folder is refused, and says why
            second = subprocess.run(report_command(out), capture_output=True, text=True, timeout=300)
            assert second.returncode == 1
            assert "another cpkit report run" in second.stderr and f"process {run.pid}" in second.stderr
            assert len(second.stderr.strip().splitlines()) == 1, second.stderr
        run.send_signal(signum)
        _, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 128 + signum, err
    assert f"stopped by {signal.Signals(signum).name}" in err and "previous report is unchanged" in err
    assert "Traceback" not in err
    assert snapshot(out) == before  # no staging folder, no parquet, no lock, analyst notebooks as they were
    assert not list(out.rglob("*.parquet"))
    assert not still_running(descendants), "workers or kernels outlived the run"


def _sections(tmp_path: Path) -> tuple[Section, Section, Section]:
    good = write_notebook(tmp_path / "nb" / "01_good.ipynb", GOOD_BODY, title="Good section")
    other = write_notebook(
        tmp_path / "nb" / "02_other.ipynb",
        "from cpkit.present import show_markdown\nshow_markdown('Other section.')",
    )
    summary = write_notebook(
        tmp_path / "nb" / "09_summary.ipynb",
        "from cpkit.present import show_markdown\nshow_markdown('Summary of the others.')",
    )
    return (
        Section("01_good", "Good section", "Shows a chart and a table.", path=good),
        Section("02_other", "Other section", "Says one thing.", path=other),
        Section("09_summary", "Summary", "Sums up.", first=True, path=summary),
    )


def _request(tmp_path: Path, registry: tuple[Section, ...], **kw) -> ReportRequest:
    data = write_council(tmp_path / "data")  # a council's settings and the year's return
    return ReportRequest(
        year=2025,
        data_dir=data,
        out_dir=tmp_path / "reports",
        registry=registry,
        jobs=2,
        progress=False,
        **kw,
    )


def _manifest(report: Path) -> dict:
    return json.loads((report / "manifest.json").read_text(encoding="utf-8"))


def test_sections_with_no_full_report_yet_are_built_apart(tmp_path):
    registry = _sections(tmp_path)
    partial = build_report(_request(tmp_path, registry, sections=["good"]))
    assert partial == tmp_path / "reports" / "2025-partial"
    assert not (tmp_path / "reports" / "2025").exists()
    manifest = _manifest(partial)
    assert manifest["partial"] is True and [s["name"] for s in manifest["sections"]] == ["01_good"]
    assert (partial / "01_good.html").exists() and not (partial / "02_other.html").exists()
    assert "Some sections only." in (partial / "index.html").read_text(encoding="utf-8")


def test_sections_are_rebuilt_into_the_full_report_which_stays_whole(tmp_path):
    registry = _sections(tmp_path)
    full = build_report(_request(tmp_path, registry))
    analyst = tmp_path / "reports" / "_analyst" / "2025"
    before = snapshot(analyst)
    other_page = (full / "02_other.html").read_bytes()

    again = build_report(_request(tmp_path, registry, sections=["good"]))
    assert again == full and not (tmp_path / "reports" / "2025-partial").exists()
    manifest = _manifest(full)
    assert manifest["partial"] is False
    assert [s["name"] for s in manifest["sections"]] == ["09_summary", "01_good", "02_other"]
    # only the chosen section was run again: the summary reads no other section, so it is kept as it was
    assert manifest["parameters"]["rebuilt"] == ["01_good"]
    after = snapshot(analyst)
    assert after["02_other.ipynb"] == before["02_other.ipynb"]
    assert after["09_summary.ipynb"] == before["09_summary.ipynb"]
    assert after["01_good.ipynb"] != before["01_good.ipynb"]
    assert (full / "02_other.html").read_bytes() == other_page  # re-rendered from the same notebook
    index = (full / "index.html").read_text(encoding="utf-8")
    assert "Some sections only." not in index and 'href="02_other.html"' in index

    # a failed run since has replaced an executed notebook: the full report can no longer be rebuilt
    # from what it was made of, so the sections are built apart and the full report is left alone
    (analyst / "02_other.ipynb").write_text('{"cells": []}', encoding="utf-8")
    whole = snapshot(full)
    partial = build_report(_request(tmp_path, registry, sections=["good"]))
    assert partial == tmp_path / "reports" / "2025-partial" and snapshot(full) == whole


def test_a_live_lock_refuses_the_run_and_names_its_holder(tmp_path):
    registry = _sections(tmp_path)[:1]
    out = tmp_path / "reports"
    before = previous_report(out)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        lock = out / ".2025.lock"
        lock.write_text(
            json.dumps(
                {
                    "pid": holder.pid,
                    "created": psutil.Process(holder.pid).create_time(),
                    "host": os.uname().nodename,
                    "started": "2026-11-29T09:00:00+00:00",
                }
            ),
            encoding="utf-8",
        )
        before[".2025.lock"] = lock.read_bytes()
        with pytest.raises(ReportLocked, match=rf"process {holder.pid} .*started 2026-11-29T09:00:00"):
            build_report(_request(tmp_path, registry))
        assert snapshot(out) == before
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("reused_pid", [False, True])
def test_a_stale_lock_and_a_killed_runs_staging_folder_are_cleared(tmp_path, reused_pid):
    registry = _sections(tmp_path)[:1]
    out = tmp_path / "reports"
    out.mkdir()
    if reused_pid:  # the process id now belongs to another process (this one), started at another time
        pid, created = os.getpid(), 1.0
    else:  # the process has ended
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        created = psutil.Process(gone.pid).create_time() if psutil.pid_exists(gone.pid) else 0.0
        gone.wait()
        pid = gone.pid
    (out / ".2025.lock").write_text(
        json.dumps({"pid": pid, "created": created, "host": os.uname().nodename, "started": "earlier"}),
        encoding="utf-8",
    )
    # a run killed with SIGKILL (no chance to clean up) left its staging folder and cache
    leftover = out / ".2025-building-killed" / "cache" / "ssda903"
    leftover.mkdir(parents=True)
    (leftover / "header.parquet").write_bytes(b"child-level")
    report = build_report(_request(tmp_path, registry))
    assert (report / "index.html").exists()
    assert not (out / ".2025.lock").exists() and not list(out.glob(".2025-building-*"))


def _in_mount_namespace(setup: str, command: list[str]) -> list[str]:
    """``command`` run as root in a private mount namespace after ``setup`` (mounts vanish with it)."""
    return ["unshare", "-m", "sh", "-c", f"{setup} && exec {shlex.join(command)}"]


def _namespace_or_skip() -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a small or read-only filesystem privately")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs none /mnt"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"mounting is not permitted here: {probe.stderr.decode(errors='replace').strip()}")


def test_read_only_output_is_a_one_line_message(tmp_path):
    out = tmp_path / "reports"
    before = previous_report(out)
    command = report_command(out, "--data", str(tmp_path / "data"))
    write_council(tmp_path / "data")
    if os.geteuid() != 0:  # an ordinary user: permissions are enough
        out.chmod(0o555)
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        finally:
            out.chmod(0o755)
    else:  # root writes through permissions: mount the folder read-only for this run only
        _namespace_or_skip()
        setup = f"mount --bind -o ro {shlex.quote(str(out))} {shlex.quote(str(out))}"
        result = subprocess.run(
            _in_mount_namespace(setup, command), capture_output=True, text=True, timeout=300
        )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "IPKernelApp" not in line]
    assert len(lines) == 1 and lines[0].startswith("cpkit report: cannot write to "), result.stderr
    assert "read-only" in lines[0] and "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_a_full_disk_is_a_one_line_message_and_leaves_the_previous_report(tmp_path):
    # A real full disk: a 400 KB filesystem, too small for the run's cache of the sample's tables.
    _namespace_or_skip()
    out = tmp_path / "reports"
    out.mkdir()
    inner = shlex.quote(str(out))
    setup = (
        f"mount -t tmpfs -o size=400k tmpfs {inner} && mkdir -p {inner}/2025 && "
        f"echo previous > {inner}/2025/index.html"
    )
    check = f"; status=$?; ls -A {inner}; cat {inner}/2025/index.html; exit $status"
    command = _in_mount_namespace(setup, report_command(out, "--jobs", "1"))
    command[-1] = command[-1].replace("exec ", "") + check
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "IPKernelApp" not in line]
    assert lines == [
        f"cpkit report: no space left on the disk holding {out}: free some space and run again "
        "(the previous report is unchanged)"
    ], result.stderr
    assert result.stdout.split() == ["2025", "previous"]  # nothing but the previous report


def test_a_full_disk_while_writing_pages_through_the_command_line(tmp_path, monkeypatch, capsys):
    # The same message wherever the disk fills: here while the pages are written (simulated at the
    # boundary where the kit hands bytes to the OS).
    registry = _sections(tmp_path)[:1]
    monkeypatch.setattr(sections_mod, "discover", lambda: registry)
    out = tmp_path / "reports"
    before = previous_report(out)
    real_write_text = Path.write_text

    def full(self, *args, **kwargs):
        if ".2025-building-" in str(self) and self.suffix == ".html":
            raise OSError(28, "No space left on device", str(self))
        return real_write_text(self, *args, **kwargs)

    write_council(tmp_path / "data")
    monkeypatch.setattr(Path, "write_text", full)
    code = cli.main(
        ["report", "--year", "2025", "--data", str(tmp_path / "data"), "--out", str(out), "--quiet"]
    )
    err = capsys.readouterr().err
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("cpkit report:")]
    assert len(lines) == 1 and "no space left on the disk" in lines[0]
    monkeypatch.undo()
    assert snapshot(out) == before
