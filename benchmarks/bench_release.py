"""Time reading a full-size national DfE release and comparing one council with it.

Generates ~155 councils x every 2025-layout file x 5 years (plus the region and England rows) in a temporary
folder, then times ``load_benchmarks`` and ``compare``. Target: a few seconds in all.

    .venv/bin/python benchmarks/bench_release.py
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from cpkit.benchmarks import compare, load_benchmarks, statistical_neighbours
from cpkit.config import Config
from cpkit.sample.benchmarks import write_benchmarks


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        paths = write_benchmarks(folder, councils_count=154)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"generated {len(paths)} files, {size_mb:.1f} MB, in {time.perf_counter() - start:.2f} s")

        start = time.perf_counter()
        bench = load_benchmarks(folder)
        loaded = time.perf_counter() - start
        neighbours = statistical_neighbours(Config(), folder)
        start = time.perf_counter()
        table = compare(bench, "E06000999", 2025, neighbours)
        compared = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
        print(f"load_benchmarks: {len(bench):,} rows in {loaded:.2f} s")
        print(f"compare: {len(table)} measures in {compared:.2f} s")
        print(
            f"peak memory (process maximum resident set size, includes generating): {peak_kb / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
