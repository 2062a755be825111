"""SIGTERM to ``cpkit region`` while its workers are busy: the workers and the local cluster end, every staging
folder goes, the previous reports stay, and the command exits 143 within seconds.

The run is held in its prepare tasks by the runner's test hook (``CPKIT_TEST_PAUSE_AT=prepare``, which a
worker prints to the shared stderr), so the signal comes while the cluster's worker processes are running
tasks; no section runs, so the test costs the cluster's start and no report."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from cpkit.resources import SAMPLE_DIR

pytestmark = pytest.mark.slow


def test_sigterm_ends_the_workers_and_leaves_the_previous_report(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "north").symlink_to(SAMPLE_DIR)  # one council's data folder: the sample's (no region.yaml)
    out = tmp_path / "out"
    previous = out / "north" / "2025"
    previous.mkdir(parents=True)
    (previous / "index.html").write_text("the previous report", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cpkit", "region", "--year", "2025", "--data", str(data), "--out", str(out),
         "--workers", "1", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CPKIT_TEST_PAUSE_AT": "prepare:120"},
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        seen = ""
        while "paused at prepare" not in seen:
            assert time.monotonic() < deadline and proc.poll() is None, seen + (proc.stderr.read() or "")
            seen += proc.stderr.readline()
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        assert len(family) >= 2  # the command and at least its worker process
        began = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        took = time.monotonic() - began
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, err
    assert took < 15, took
    assert "stopped by SIGTERM" in err
    time.sleep(1)
    alive = [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert alive == [], [p.cmdline() for p in alive]
    assert (previous / "index.html").read_text(encoding="utf-8") == "the previous report"
    left = sorted(p.name for p in out.rglob("*") if "-building-" in p.name or p.suffix == ".lock")
    assert left == []
