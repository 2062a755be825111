"""Time the full sample report against its floor, and print the ratio (target: at most 1.2).

- **report**: ``cpkit report`` on the shipped sample in its own process, every section, as a user runs it (sections
  on one worker per core, each keeping one kernel for the sections it runs);
- **floor**: the same computations with none of the machinery: the prepare step (read, check, cache the
  returns and build the figures table) and every section notebook's code run one after another in this one
  plain Python process, plus one kernel start (a report cannot start fewer) and the HTML rendering of the
  executed notebooks (pages, the single document and the workbook, ``write_site``).

The ratio is what the notebook machinery (papermill, a kernel per worker, importing the kit in each)
costs over doing the work once. Run it on a quiet machine: it measures wall time.

The report's stages are printed from the run's own record (``_analyst/<year>/timings.json``, written by
``cpkit.report.timings``): prepare (reading, the DfE validator, the figures table), each section and each
kernel's start-up, and each writer. Stages that run side by side are timed each on its own, so a group's
stages can add up to more than its wall time. ``--report-only`` skips the floor (a quicker before/after).

    .venv/bin/python benchmarks/bench_report.py [--report-only]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from cpkit.config import Config, Period, find_config
from cpkit.report.execute import SectionRun
from cpkit.report.prepare import prepare_data
from cpkit.report.runner import SAMPLE_DIR, read_blocks
from cpkit.report.sections import NOTEBOOKS_DIR, discover
from cpkit.report.site import write_site
from cpkit.report.timings import GROUPS, TIMINGS_NAME

YEAR = 2025
ROOT = Path(__file__).resolve().parent.parent  # the checkout whose cpkit the report runs


def run_report(out: Path) -> float:
    """``cpkit report`` on the sample as a user runs it: its own process, timed from start to exit.

    Not ``build_report`` in this process: the report's workers are spawned, and a spawned process imports
    its parent's main module again, so in here each would also import this script's libraries (the
    renderers, nbformat) and the report measured 28 s where the command takes 25 s."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cpkit", "report", "--year", str(YEAR), "--out", str(out), "--quiet"],
        check=True,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        },
    )
    return time.perf_counter() - start


def print_stages(report_out: Path) -> None:
    """The run's own stage timings (``_analyst/<year>/timings.json``), grouped."""
    record = json.loads((report_out / "_analyst" / str(YEAR) / TIMINGS_NAME).read_text(encoding="utf-8"))
    print(f"stages of the report run (total {record['total']:.1f} s):")
    for group in GROUPS:
        stages = [s for s in record["stages"] if s["group"] == group]
        wall = record["groups"].get(group)
        added = sum(s["seconds"] for s in stages)
        print(f"  {group}: {wall:.1f} s wall (stages add up to {added:.1f} s)")
        for s in stages:
            print(f"    {s['stage']}: {s['seconds']:.1f} s")
    print(flush=True)


def _code(notebook: Path) -> list[str]:
    nb = nbformat.read(str(notebook), as_version=4)
    return [
        c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    ]


def run_in_process(work: Path) -> float:
    """Prepare, then every section's code cells in this process, with the runner's parameters."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data_dir = SAMPLE_DIR
    config_file = find_config(data_dir)
    config = Config.load(config_file)
    period = Period.from_year(YEAR)
    import gc

    gc.freeze()  # what was imported is out of the cycle collector's sight, as in a report's warmed kernel
    start = time.perf_counter()
    cache, _ = prepare_data(data_dir, work / "cache", period, config)
    parameters = {
        "year": YEAR,
        "period": period.kind,
        "data_dir": str(data_dir),
        "la_name": config.la_name,
        "la_code": config.la_code,
        "config_file": str(config_file) if config_file else "",
        "cache_dir": str(cache),
    }
    cwd = os.getcwd()
    os.chdir(NOTEBOOKS_DIR)
    try:
        for section in discover():
            namespace: dict[str, object] = dict(parameters)
            if section.name == "06_action_plan":
                namespace["as_of"] = ""
            with contextlib.redirect_stdout(io.StringIO()):  # display() outside a kernel prints reprs
                for source in _code(section.notebook):
                    exec(compile(source, section.name, "exec"), namespace)  # noqa: S102 - the kit's own notebooks
            plt.close("all")
    finally:
        os.chdir(cwd)
    return time.perf_counter() - start


def kernel_start() -> float:
    """One kernel started until it answers, then shut down."""
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3")
    elapsed = time.perf_counter() - start
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    return elapsed


def render(report_out: Path, work: Path) -> float:
    """``write_site`` on the executed notebooks the report run left for analysts."""
    config_file = find_config(SAMPLE_DIR)
    config = Config.load(config_file)
    period = Period.from_year(YEAR)
    analyst = report_out / "_analyst" / str(YEAR)
    sections = list(discover())
    runs = [SectionRun(s.name, analyst / f"{s.name}.ipynb", True, 0.0) for s in sections]
    start = time.perf_counter()
    parameters = {
        "year": YEAR,
        "period": period.kind,
        "data_dir": str(SAMPLE_DIR),
        "la_name": config.la_name,
        "la_code": config.la_code,
        "config_file": str(config_file) if config_file else "",
    }
    blocks = read_blocks(runs)  # the runner reads them once for its audit and hands them to the writers
    write_site(work / "site", sections, runs, config, period, parameters, [], blocks=blocks)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report-only", action="store_true", help="time the report and its stages only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        report = run_report(tmp_path / "reports")
        print(f"report {report:.1f} s", flush=True)
        print_stages(tmp_path / "reports")
        if args.report_only:
            return
        computations = run_in_process(tmp_path / "inprocess")
        print(f"computations in one process {computations:.1f} s", flush=True)
        kernel = kernel_start()
        html = render(tmp_path / "reports", tmp_path / "render")
        shutil.rmtree(tmp_path / "inprocess", ignore_errors=True)
    floor = computations + kernel + html
    print(f"full sample report ({os.cpu_count()} cores): {report:.1f} s")
    print(
        f"floor: {floor:.1f} s = computations in one process {computations:.1f} s + one kernel start "
        f"{kernel:.1f} s + HTML rendering {html:.1f} s"
    )
    print(f"ratio report / floor: {report / floor:.2f} (target <= 1.2, issue 22)")


if __name__ == "__main__":
    main()
