"""Benchmark: read a national-scale SSDA903 set and compute every care indicator.

Run: ``.venv/bin/python benchmarks/bench_903.py [--regenerate]``. Generates about 1 million episode rows
for 80,000 children into ``benchmarks/out/national`` (git-ignored), then times
``cpkit.ssda903.load_903`` (or a plain CSV read while that reader is unavailable) and
``cpkit.care.indicators``. Prints wall time per step and peak RSS. Target: under 30 s and 4 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_903 import generate  # noqa: E402

from cpkit.care import indicators, monthly_movements  # noqa: E402
from cpkit.ssda903.model import Data903  # noqa: E402
from cpkit.ssda903.tables import DATE_COLUMNS, TABLE_COLUMNS  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "national"


def plain_read(folder: Path) -> Data903:
    """Stand-in reader: CSVs as text, dates parsed, provenance added (no checks)."""
    tables = {}
    for name in TABLE_COLUMNS:
        file = folder / f"{name}.csv"
        if not file.exists():
            continue
        df = pd.read_csv(file, dtype="str", keep_default_na=False, na_values=[""])
        for col in df.columns:
            if col in DATE_COLUMNS:
                df[col] = pd.to_datetime(df[col], format="%d/%m/%Y").astype("datetime64[ns]")
        df["source_file"] = file.name
        df["source_row"] = range(1, len(df) + 1)
        df["return_year"] = pd.array([2025] * len(df), dtype="Int64")
        tables[name] = df
    return Data903(tables=tables)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    if args.regenerate or not (OUT / "episodes.csv").exists():
        t = time.perf_counter()
        rows = generate(OUT)
        print(f"generated {rows:,} episodes in {time.perf_counter() - t:.1f} s")
    t0 = time.perf_counter()
    try:
        from cpkit.ssda903 import load_903  # type: ignore[attr-defined]

        data, reader = load_903(OUT), "cpkit.ssda903.load_903"
    except ImportError:
        data, reader = plain_read(OUT), "plain CSV read (load_903 not available)"
    t1 = time.perf_counter()
    table = indicators(data, 2025)
    t2 = time.perf_counter()
    moves = monthly_movements(data, "2024-04", "2025-03")
    t3 = time.perf_counter()
    print(f"episodes: {len(data.episodes):,}  children: {data.episodes['CHILD'].nunique():,}")
    print(f"read ({reader}): {t1 - t0:.1f} s")
    print(
        f"indicators: {t2 - t1:.1f} s ({table['value'].notna().sum()} of {len(table)} measures with a value)"
    )
    print(f"monthly_movements (cached episodes): {t3 - t2:.2f} s")
    print(f"total: {t3 - t0:.1f} s   peak RSS: {peak_rss_mb():,.0f} MB")
    print(moves.head(3).to_string(index=False))


if __name__ == "__main__":
    main()
