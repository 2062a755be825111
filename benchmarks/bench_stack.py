"""Benchmark: the stacking rules (``cpkit.ssda903.stack``) on a national-scale stack of returns.

Run: ``.venv/bin/python benchmarks/bench_stack.py``. Reads the shipped sample's seven returns, repeats
its children 100 times under new identifiers (about 800,000 episode rows over seven collection years,
half of them repeated from one return to the next, as real stacks are) and times ``stack_episodes``.
Prints wall time and peak RSS. Target: under 30 s on 2 cores (a council's stack takes well under 1 s).
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pandas as pd

from cpkit.ssda903 import load_903
from cpkit.ssda903.stack import stack_episodes

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "ssda903"
COPIES = 100


def main() -> None:
    returns = load_903(SAMPLE).returns_episodes
    stack = pd.concat(
        [returns.assign(CHILD=returns["CHILD"] + f"_{i}") for i in range(COPIES)], ignore_index=True
    )
    t = time.perf_counter()
    kept, problems, aside = stack_episodes(stack)
    took = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"stack_episodes: {len(stack):,} rows from {stack['return_year'].nunique()} returns -> {len(kept):,} kept, "
        f"{len(aside):,} set aside, {len(problems):,} problems in {took:.1f} s; peak RSS {rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
