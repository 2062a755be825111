"""A worker keeps one kernel for the sections it runs (``cpkit.report.execute.Kernels``): each section must
still see what a new kernel would give it, and a failed section's kernel must never be used again."""

from __future__ import annotations

import json
import os
import time

import nbformat
import psutil
import pytest

from cpkit.report.execute import Kernels, run_section

from .notebooks import GOOD_BODY, write_notebook

pytestmark = pytest.mark.slow

RECORD = """import json, os
leaked = sorted(n for n in ("secret", "figure_count") if n in globals())
import matplotlib.pyplot as plt
json.dump({{"pid": os.getpid(), "cwd": os.getcwd(), "leaked": leaked, "open_figures": len(plt.get_fignums())}},
          open({out!r}, "w"))
secret = "a child's name"
fig, ax = plt.subplots()  # left open on purpose
figure_count = 1"""


def _run(kernels, tmp_path, name, body, folder="a"):
    notebook = write_notebook(tmp_path / folder / f"{name}.ipynb", body)
    (tmp_path / "out").mkdir(exist_ok=True)
    return run_section(name, notebook, tmp_path / "out" / f"{name}.ipynb", {}, notebook.parent, 120, kernels)


def _record(tmp_path, name):
    return json.loads((tmp_path / f"{name}.json").read_text())


def test_a_kept_kernel_gives_each_section_a_clean_start(tmp_path):
    with Kernels() as kernels:
        first = _run(kernels, tmp_path, "first", RECORD.format(out=str(tmp_path / "first.json")))
        second = _run(kernels, tmp_path, "second", RECORD.format(out=str(tmp_path / "second.json")), "b")
    assert first.ok and second.ok, (first.error, second.error)
    a, b = _record(tmp_path, "first"), _record(tmp_path, "second")
    assert a["pid"] == b["pid"]  # the same kernel ran both
    assert b["leaked"] == []  # nothing the first section defined is visible to the second
    assert b["open_figures"] == 0  # nor its figures
    assert b["cwd"] == str(tmp_path / "b")  # and it runs in its own notebook's folder
    counts = [
        c.execution_count
        for c in nbformat.read(str(second.output), as_version=4).cells
        if c.cell_type == "code"
    ]
    assert counts == list(range(1, len(counts) + 1))  # numbered as a new kernel would number them


def test_a_kernel_warmed_before_the_first_section_gives_it_a_clean_start(tmp_path):
    """A worker warms its kernel while the data is prepared (``Kernels.warm``): the first section then
    runs in that kernel, with the kit already imported, but sees none of the warm-up's names and runs in
    its own notebook's folder, as a second section in a kept kernel does."""
    body = """import json, os, sys
json.dump({{"pid": os.getpid(), "cwd": os.getcwd(), "leaked": sorted(n for n in ("cpkit", "scipy") if n in globals()),
           "imported": "scipy.optimize" in sys.modules}}, open({out!r}, "w"))"""
    (tmp_path / "elsewhere").mkdir()
    with Kernels() as kernels:
        assert kernels.warm(tmp_path / "elsewhere")
        warmed = kernels._manager.provisioner.pid  # the kernel's process
        first = _run(kernels, tmp_path, "first", body.format(out=str(tmp_path / "first.json")))
    assert first.ok, first.error
    record = _record(tmp_path, "first")
    assert record["pid"] == warmed and first.kernel_seconds == 0  # the warmed kernel ran it: no start
    assert record["imported"]  # with the warm-up's imports done
    assert record["leaked"] == []  # but not its names
    assert record["cwd"] == str(tmp_path / "a")


def test_a_failed_section_s_kernel_is_replaced_and_none_is_left_running(tmp_path):
    me = psutil.Process(os.getpid())
    before = {p.pid for p in me.children(recursive=True)}
    with Kernels() as kernels:
        first = _run(kernels, tmp_path, "first", RECORD.format(out=str(tmp_path / "first.json")))
        failed = _run(kernels, tmp_path, "failed", "raise ValueError('the section broke')")
        after = _run(kernels, tmp_path, "after", RECORD.format(out=str(tmp_path / "after.json")))
    assert first.ok and not failed.ok and after.ok
    assert failed.error == "ValueError: the section broke"
    assert _record(tmp_path, "first")["pid"] != _record(tmp_path, "after")["pid"]
    left = {p.pid for p in me.children(recursive=True) if p.is_running()} - before
    assert not [
        p for p in left if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
    ]


def test_a_report_run_reuses_each_worker_s_kernel_and_ends_them_all(tmp_path, capfd):
    """Four sections on two workers run in at most two kernels, the summary among them,
    and when the report is written no kernel is left running."""
    from cpkit.report.runner import build_report
    from cpkit.report.sections import Section

    from .test_runner import _request

    record = "\nimport os\nopen({!r}, 'w').write(str(os.getpid()))"
    registry = tuple(
        Section(
            name,
            f"Section {name}",
            "Records its kernel.",
            first=name.startswith("09"),
            path=write_notebook(
                tmp_path / "nb" / f"{name}.ipynb", GOOD_BODY + record.format(str(tmp_path / f"{name}.pid"))
            ),
        )
        for name in ("01_a", "02_b", "03_c", "09_summary")
    )
    me = psutil.Process(os.getpid())
    before = {p.pid for p in me.children(recursive=True)}
    report = build_report(_request(tmp_path, registry))
    pids = {(tmp_path / f"{s.name}.pid").read_text() for s in registry}
    assert len(pids) <= 2
    assert "IPKernelApp" not in capfd.readouterr().err  # no kernel notices in a scheduled run's log
    assert all((report / f"{s.name}.html").exists() for s in registry)
    left = [
        p.cmdline()
        for p in me.children(recursive=True)
        if p.pid not in before and p.status() != psutil.STATUS_ZOMBIE
    ]
    # multiprocessing's resource tracker lives as long as the process that started the pool, by design
    assert [c for c in left if "resource_tracker" not in " ".join(c)] == []


def test_a_cell_over_the_timeout_fails_its_section_in_the_kept_kernel(tmp_path):
    """``--timeout`` reaches a kept kernel: a 60 s cell with a 1 s limit fails its section within seconds
    (before this, nbclient's blocking client waited for the cell to finish and the section passed)."""
    with Kernels() as kernels:
        _run(kernels, tmp_path, "warm", "x = 1")  # the kernel is kept: the slow section reuses it
        began = time.monotonic()
        notebook = write_notebook(tmp_path / "a" / "slow.ipynb", "import time\ntime.sleep(60)")
        slow = run_section("slow", notebook, tmp_path / "out" / "slow.ipynb", {}, notebook.parent, 1, kernels)
        took = time.monotonic() - began
        after = _run(kernels, tmp_path, "after", "y = 2")
    assert not slow.ok and took < 20, (slow, took)
    assert slow.error.startswith("the cell ran longer than the 1 s limit (--timeout)")
    assert (slow.cell, slow.cell_source) == (3, "import time")  # heading, parameters, then this cell
    assert after.ok  # the next section gets a new kernel


def test_a_kernel_killed_outright_fails_its_section_within_seconds(tmp_path):
    """A kernel killed with SIGKILL (here by its own cell; an operator's ``kill -9`` or the OOM killer
    alike) is a failed section naming the dead kernel, not a run waiting for ever."""
    with Kernels() as kernels:
        _run(kernels, tmp_path, "warm", "x = 1")
        began = time.monotonic()
        dead = _run(kernels, tmp_path, "dead", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
        took = time.monotonic() - began
        after = _run(kernels, tmp_path, "after", "y = 2")
    assert not dead.ok and took < 30, (dead, took)
    assert "kernel died" in dead.error and dead.cell == 3
    assert after.ok


def test_the_summary_runs_alongside_the_other_sections_not_after_them(tmp_path):
    """No section reads another's output, the executive summary included (it is written from the figures
    table and the tracker), so it starts with the others. Here section 01 waits, while it runs, for the
    summary's mark: with the summary held back until every other section had finished (the old rule), 01
    waited its full 60 s and saw no mark. The summary still comes first in the report (``first``)."""
    from cpkit.report.runner import build_report
    from cpkit.report.sections import Section

    from .test_runner import _request

    mark = tmp_path / "summary-started"
    waits = (
        "\nimport time\nfrom pathlib import Path\n"
        f"began = time.monotonic()\nwhile not Path({str(mark)!r}).exists() and time.monotonic() - began < 60:\n"
        "    time.sleep(0.1)\n"
        f"Path({str(tmp_path / 'seen')!r}).write_text(str(Path({str(mark)!r}).exists()))"
    )
    marks = f"\nfrom pathlib import Path\nPath({str(mark)!r}).write_text('started')"
    registry = (
        Section("01_waits", "Waits", "Waits for the summary.",
                path=write_notebook(tmp_path / "nb" / "01_waits.ipynb", GOOD_BODY + waits)),
        Section("09_summary", "Summary", "Sums up.", first=True,
                path=write_notebook(tmp_path / "nb" / "09_summary.ipynb", GOOD_BODY + marks)),
    )  # fmt: skip
    report = build_report(_request(tmp_path, registry))
    assert (tmp_path / "seen").read_text() == "True"
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in manifest["sections"]] == ["09_summary", "01_waits"]
