"""Randomly timed SIGTERMs on the sample report, as a scheduler would send them (issue 19).

Each of N runs is the real ``cpkit report`` started as a session leader and sent SIGTERM after a random
delay, drawn uniformly over the length of a whole run (measured first), so the signal lands in the prepare
step, the DfE validator, the sections, rendering (pages, PDF, Word, workbook) or the swap in proportion to
the time each takes. A run ended **cleanly** when it exited 143 within ``EXIT_WITHIN`` seconds of the
signal, the report folder is byte for byte what it was before (or, where the signal came as the finished
report was being swapped in, or after the run had finished and given back its signal handlers so that
SIGTERM's default action ended it, the new report, complete), and nothing else is left: no staging
folder, lock, cache, or process of the run. Each line shows the running count, so a run cut short still
says how far it got. Prints how many of N ended cleanly, the
slowest and median exits, and each failure.

To keep runs short the sections are a ``--sections`` subset built as ``reports/2025-partial/`` (two
sections, so they run on the worker pool; the first, uninterrupted run makes the report every later run
must leave alone). CPU heavy: about N times half a run.

    .venv/bin/python benchmarks/bench_faults.py --runs 50
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

EXIT_WITHIN = 10.0
SECTIONS = "01_children_in_care,06_action_plan"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def command(out: Path, sections: str) -> list[str]:
    return [sys.executable, "-m", "cpkit", "report", "--year", "2025", "--out", str(out), "--quiet"] + [
        "--sections",
        sections,
        "--jobs",
        "2",
    ]


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def one_run(out: Path, sections: str, delay: float | None) -> dict:
    """Run once, sending SIGTERM after ``delay`` seconds (never, if ``None``); what happened."""
    began = time.monotonic()
    proc = subprocess.Popen(
        command(out, sections),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    seen: dict[int, psutil.Process] = {}
    sent = None
    while proc.poll() is None:
        try:
            for p in psutil.Process(proc.pid).children(recursive=True):
                seen.setdefault(p.pid, p)
        except psutil.Error:
            pass
        if delay is not None and sent is None and time.monotonic() - began >= delay:
            os.kill(proc.pid, signal.SIGTERM)
            sent = time.monotonic()
        if sent is not None and time.monotonic() - sent > 60:
            proc.kill()
            break
        time.sleep(0.05)
    _, err = proc.communicate()
    ended = time.monotonic()
    time.sleep(0.5)  # give the last killed process a moment to be gone
    return {
        "code": proc.returncode,
        "err": err.strip(),
        "took": ended - began,
        "exit": None if sent is None else ended - sent,
        "left": [p.pid for p in seen.values() if _alive(p)],
    }


def problems(out: Path, before: dict[str, bytes], result: dict) -> tuple[list[str], dict[str, bytes]]:
    """Why the run did not end cleanly (empty if it did), and the report folder the next run must keep."""
    found = []
    now = snapshot(out)
    leftovers = [name for name in now if name.startswith(".") or name.endswith(".parquet")]
    if leftovers:
        found.append(f"left behind: {leftovers[:5]}")
    if result["left"]:
        found.append(f"processes still running: {result['left']}")
        for pid in result["left"]:
            try:
                psutil.Process(pid).kill()
            except psutil.Error:
                pass
    # Killed by the signal's default action (Popen's -15, a shell's 143): the signal came before the run
    # set its handlers (nothing made yet) or after it had given them back (the report already in place).
    by_default = result["code"] == -signal.SIGTERM
    published = now != before and (
        result["code"] == 0 or "new report is complete" in result["err"] or by_default
    )
    if published:
        complete = {"index.html", "manifest.json"} <= {name.rsplit("/", 1)[-1] for name in now}
        if not complete:
            found.append("published a report without its contents page or manifest")
    elif now != before:
        changed = sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k))
        found.append(f"the previous report changed: {changed[:5]}")
    if result["code"] not in (0, 143, -signal.SIGTERM):
        found.append(f"exit code {result['code']}: {result['err'][-300:]}")
    if result["exit"] is not None and result["exit"] > EXIT_WITHIN:
        found.append(f"exited {result['exit']:.1f} s after the signal")
    return found, (now if published else before)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--sections", default=SECTIONS)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports"
        first = one_run(out, args.sections, None)
        if first["code"] != 0:
            print(f"the uninterrupted run failed: {first['err']}")
            return 1
        length = first["took"]
        print(
            f"an uninterrupted run: {length:.1f} s; {args.runs} runs stopped at random times in 0-{length:.0f} s"
        )
        before = snapshot(out)
        exits, failures, finished = [], [], 0
        for i in range(args.runs):
            delay = rng.uniform(0, length)
            result = one_run(out, args.sections, delay)
            found, before = problems(out, before, result)
            if result["exit"] is None:
                finished += 1  # ended before the signal was sent
            else:
                exits.append(result["exit"])
            status = "clean" if not found else "NOT CLEAN: " + "; ".join(found)
            exit_text = "finished first" if result["exit"] is None else f"exit {result['exit']:.2f} s"
            if found:
                failures.append(i + 1)
            slowest = max(exits, default=0.0)
            print(
                f"{i + 1:3d}: signal at {delay:5.1f} s, {exit_text} (code {result['code']}), {status} "
                f"[so far {i + 1 - len(failures)} of {i + 1} clean, slowest exit {slowest:.2f} s]",
                flush=True,
            )
    clean = args.runs - len(failures)
    print(f"\nended cleanly: {clean} of {args.runs} ({finished} finished before the signal)")
    if exits:
        print(f"slowest exit after SIGTERM: {max(exits):.2f} s; median {statistics.median(exits):.2f} s")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
