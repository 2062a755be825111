"""``cpkit region`` at scale (issue 21): a synthetic region of councils from the sample's generator, on Dask.

The councils (``cpkit.sample.region``): distinct fictional names and codes, their own seeds, sizes from 50
to 2,000 children in care spread on a log scale (mean about 530, near England's), written as a regional
hub's stacked files. The default, 12 councils, measures on this machine:

1. the region on a ``LocalCluster`` of 1 worker, then of 2 workers (one thread each, as ``cpkit region``
   makes them): wall time, councils per minute, peak memory per worker (the worker process and its
   kernels together, sampled every half second with psutil), the regional step's share of the run (its
   task's compute time on the scheduler's task stream: the figures tables and summed forecast in, the
   comparison page and workbook out; since 9661de9 the region's pooled figures are a task of their own,
   run beside the sections, shown with every other task kind's time), and the scaling efficiency from 1 to 2 workers,
   ``t1 / (2 * t2)`` (goal: at least 0.85);
2. one council (the one nearest the sample's size) through ``cpkit region`` and through ``cpkit report``,
   each the command line as a user types it, defaults for everything else (goal: region no more than 10%
   slower; the region's time includes starting its cluster, splitting the hub and its regional step);
3. what 151 councils would take on a cluster of 16 workers by the measured per-council cost (each run's
   worker-seconds per council less its regional step, times 151, over 16; the regional step added as
   measured, being mostly fixed cost), printed as a projection, not a measurement. The councils' sizes
   are the nation's spread, so a small region's mean cost per council stands for the nation's; but with a
   few councils of very different sizes the largest one's chain of tasks is the run's critical path, which
   a nation of 151 on 16 workers would not have.

The cluster of step 1 is made here and given to ``run_region`` by its address (so its task stream and its
workers' memory can be read); the time to start it (a second or two) is printed apart. A council whose
report fails is listed with its reason and the timings count it as run.

``--nation`` runs 151 councils (one and two workers) instead: on two cores that takes well over an hour
for each of the two runs (about 151 x 40 s of both cores at the least), and writing the hub about ten
minutes; run it on a quiet machine with time to spare. ``--councils N`` runs a region of N instead of 12.
``--sections`` limits every report to some sections (a quicker, partial measure: say so when quoting it).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_region.py [--councils 12 | --nation]
        [--workers 1,2] [--sections 01_children_in_care,...] [--skip-single] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

NATION = 151
CLUSTER_WORKERS = 16  # the projection's cluster
SAMPLE_SIZE = 451  # the shipped sample's children in care (cpkit.sample.region.SAMPLE_CHILDREN_IN_CARE)


class PeakMemory:
    """Peak resident memory of each worker process with its children (kernels) summed, sampled."""

    def __init__(self, pids: dict[str, int], every: float = 0.5) -> None:
        self.pids = pids
        self.every = every
        self.peak = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(self.every):
            for worker, pid in self.pids.items():
                try:
                    process = psutil.Process(pid)
                    tree = [process, *process.children(recursive=True)]
                except psutil.Error:
                    continue
                total = 0
                for p in tree:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak[worker] = max(self.peak[worker], total)


def run_on_cluster(hub: Path, out: Path, workers: int, sections: list[str] | None) -> dict[str, object]:
    """The region on a fresh LocalCluster of ``workers``: wall time, per-worker peak memory, the regional
    step's compute seconds, the councils' results."""
    import logging

    from distributed import Client, LocalCluster, get_task_stream

    from cpkit.region.graph import RegionRequest, run_region

    began = time.monotonic()
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, silence_logs=logging.ERROR
    )
    client = Client(cluster)
    startup = time.monotonic() - began
    try:
        pids = client.run(os.getpid)
        with PeakMemory(pids) as memory, get_task_stream(client) as stream:
            began = time.monotonic()
            result = run_region(
                RegionRequest(
                    year=2025,
                    data_dir=hub,
                    out_dir=out,
                    scheduler=cluster.scheduler_address,
                    sections=sections,
                    progress=False,
                )
            )
            wall = time.monotonic() - began
        tasks = stream.data
    finally:
        client.close()
        cluster.close()
    regional = sum(
        s["stop"] - s["start"]
        for t in tasks
        if str(t["key"]).startswith("('regional-") or str(t["key"]).startswith("regional-")
        for s in t["startstops"]
        if s["action"] == "compute"
    )
    busy = sum(s["stop"] - s["start"] for t in tasks for s in t["startstops"] if s["action"] == "compute")
    stages: dict[str, float] = {}  # task compute seconds by kind (split, prepare, section, render, ...)
    for t in tasks:
        kind = str(t["key"]).strip("('").split("-")[0]
        stages[kind] = stages.get(kind, 0.0) + sum(
            s["stop"] - s["start"] for s in t["startstops"] if s["action"] == "compute"
        )
    return {
        "workers": workers,
        "startup": startup,
        "wall": wall,
        "peak": memory.peak,
        "regional": regional,
        "busy": busy,
        "stages": stages,
        "result": result,
    }


def print_run(run: dict[str, object], councils: int) -> None:
    result = run["result"]
    wall = float(run["wall"])
    failed = result.failed
    print(f"\n{run['workers']} worker(s): cluster started in {run['startup']:.1f} s (not counted)")
    print(f"  wall time            {wall:8.1f} s   ({wall / 60:.1f} min)")
    print(f"  councils per minute  {councils / (wall / 60):8.2f}")
    print(
        f"  task compute, summed {float(run['busy']):8.1f} s   (worker-seconds busy: {float(run['busy']) / (wall * int(run['workers'])):.0%})"
    )
    print(
        f"  regional step        {float(run['regional']):8.1f} s   ({float(run['regional']) / wall:.1%} of the run; goal at most 10%)"
    )
    print("  by task kind         " + ", ".join(f"{k} {v:.0f} s" for k, v in sorted(run["stages"].items())))
    for worker, peak in sorted(run["peak"].items()):
        print(f"  peak memory          {peak / 2**20:8.0f} MiB  worker {worker} with its kernels")
    published = len(result.councils) - len(failed)
    print(f"  councils published   {published} of {len(result.councils)}")
    for c in failed:
        first = (c.reason.splitlines() or ["?"])[0]
        print(f"    FAILED {c.name}: {first[:200]}")
    if result.regional is None:
        print(f"  no regional comparison: {result.regional_note}")


def single_council(root: Path, council: object, sections: list[str] | None) -> tuple[float, float]:
    """(cpkit report seconds, cpkit region seconds) for one council, each the command line with defaults."""
    from cpkit.sample.region import write_council_folder, write_region

    alone = write_council_folder(root / "alone" / "data", council)
    hub = write_region(root / "alone" / "hub", [council], title="One council")
    chosen = ["--sections", ",".join(sections)] if sections else []

    def timed(*args: str) -> float:
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "cpkit", *args, *chosen], capture_output=True, text=True)
        seconds = time.monotonic() - began
        if done.returncode != 0:
            print(f"  cpkit {args[0]} exited {done.returncode}:\n{done.stderr[-2000:]}")
        return seconds

    report = timed("report", "--year", "2025", "--data", str(alone), "--out", str(root / "alone" / "report"))
    region = timed("region", "--year", "2025", "--data", str(hub), "--out", str(root / "alone" / "region"))
    return report, region


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=12, help="the region's size (default 12)")
    parser.add_argument(
        "--nation", action="store_true", help=f"{NATION} councils: well over an hour per run on 2 cores"
    )
    parser.add_argument(
        "--workers", default="1,2", help="cluster sizes to run, comma-separated (default 1,2)"
    )
    parser.add_argument("--sections", help="run only these sections in every report (a partial measure)")
    parser.add_argument("--skip-single", action="store_true", help="skip cpkit region against cpkit report")
    parser.add_argument("--keep", type=Path, help="write the data and reports here and keep them")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--largest", type=int, default=2000, help="the largest council's children in care")
    args = parser.parse_args()

    from cpkit.sample.region import synthetic_councils, write_region

    n = NATION if args.nation else args.councils
    sizes = [int(w) for w in args.workers.split(",")]
    sections = args.sections.split(",") if args.sections else None
    if args.nation:
        print(f"{NATION} councils: well over an hour for each run on two cores; the hub alone takes minutes.")
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-region-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start; working in {root}")

    councils = synthetic_councils(n, seed=args.seed, largest=args.largest)
    print(
        f"{n} synthetic councils, {sum(c.children for c in councils):,} children in care aimed at "
        f"({min(c.children for c in councils)} to {max(c.children for c in councils)} each)"
    )
    hub = root / "hub"
    if not (hub / "region.yaml").exists():
        began = time.monotonic()
        write_region(hub, councils, title=f"Synthetic region of {n}")
        print(f"hub written in {time.monotonic() - began:.1f} s")

    runs = {}
    for workers in sizes:
        runs[workers] = run_on_cluster(hub, root / f"out-{workers}", workers, sections)
        print_run(runs[workers], n)
        print(f"  load average now {os.getloadavg()[0]:.1f}")

    if 1 in runs and 2 in runs:
        efficiency = float(runs[1]["wall"]) / (2 * float(runs[2]["wall"]))
        print(f"\nscaling 1 -> 2 workers: {efficiency:.0%} of linear (goal at least 85%)")

    if not args.skip_single:
        one = min(councils, key=lambda c: abs(c.children - SAMPLE_SIZE))
        report, region = single_council(root, one, sections)
        print(f"\none council ({one.name}, about {one.children} in care):")
        print(f"  cpkit report {report:6.1f} s")
        print(f"  cpkit region {region:6.1f} s   ({region / report - 1:+.0%}; goal at most +10%)")

    # Per council, the worker-seconds of a run less its regional step (one task, once per run), by each
    # cluster size measured: on one worker a council has the worker (and the machine's other core for its
    # kernel's bursts); on two, the workers share the machine's two cores with each other and any load.
    # The regional step is added as measured, not scaled: it is mostly fixed cost (about 30 s here whether
    # 150 or 2,800 children; pooling the nation's 80,000 adds about 10 s by bench_903.py, and the
    # comparison's growth to 151 councils is timed by bench_regional.py).
    for workers, run in sorted(runs.items()):
        regional = float(run["regional"])
        per_council = (float(run["wall"]) - regional) * workers / n
        projected = NATION * per_council / CLUSTER_WORKERS + regional
        print(
            f"\non paper, by the {workers}-worker run: {NATION} councils on {CLUSTER_WORKERS} workers "
            f"(one core each) at {per_council:.0f} worker-seconds per council: about {projected / 60:.0f} min "
            f"({NATION} x {per_council:.0f} s / {CLUSTER_WORKERS} + the regional step {regional:.0f} s), if "
            "the work spreads evenly and each worker has a core of this machine's speed"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
