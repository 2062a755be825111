"""The regional step alone (issue 21): figures tables in, the regional comparison (page and workbook) out.

``cpkit region`` ends with one step that reads every council's figures table and the region's, and writes
the comparison (``cpkit.region.compare.build_regional``); the issue asks that it be at most 10% of a
region's run. Its cost grows with the number of councils (a table per headline measure with a row per
council, league tables, the disclosure ledger per relation and its exact audit), so it is timed here on
synthetic figures tables for a region of 12 councils and the nation of 151: every headline measure,
counts from 0 to 900 (a fifth of them small), shares of those counts, rates over populations of 20,000 to
200,000, and the region's own table the councils' sums, with a summed forecast of 500 futures.

Prints, for each size, the seconds to build the document in memory (tables and ledger), to write it
(HTML through the kit's page template, and the gptables workbook), and the share of a region run that is,
by the per-council cost of ``cpkit report`` (about 40 s on this machine's two cores: README) on two
workers. The first write in a process also pays for importing nbconvert (a few seconds), as a worker does.

    .venv/bin/python benchmarks/bench_regional.py [--councils 12,151] [--council-seconds 40]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cpkit.config import Period
from cpkit.figures import Figures
from cpkit.figures.columns import EMPTY
from cpkit.figures.headline import HEADLINE
from cpkit.measures import registry
from cpkit.present import judgement
from cpkit.region.compare import build_regional, regional_document
from cpkit.region.pooled import Futures

YEAR = Period.from_year(2025)


def _table(values: dict[str, tuple[float, float | None]], **meta: object) -> Figures:
    measures = {m.id: m for m in registry()}
    rows = []
    for mid, (num, den) in values.items():
        m = measures[mid]
        scale = {"percent": 100.0, "rate_per_10k": 10_000.0}.get(m.unit, 1.0)
        value = num if m.unit == "number" else (scale * num / den if den else float("nan"))
        row = dict(EMPTY)
        row.update(
            measure=mid, label=m.label, theme=m.theme, unit=m.unit, polarity=m.polarity,
            decimals=judgement.decimals_for(m.unit, m.decimals), year=YEAR.year, value=float(value),
            numerator=float(num), denominator=float("nan") if den is None else float(den),
            england=50.0, neighbour_avg=48.0, neighbour_n=10, vs_england="similar", vs_neighbours="similar",
        )  # fmt: skip
        rows.append(row)
    return Figures(pd.DataFrame(rows), {"year": YEAR.year, "kind": "financial", **meta})


def synthetic(n: int, seed: int = 1) -> tuple[dict[str, Figures], Figures, Futures]:
    rng = random.Random(seed)
    units = {m.id: m.unit for m in registry()}
    councils, sums = {}, {}
    for i in range(n):
        cla = rng.randint(2, 900) if rng.random() > 0.2 else rng.randint(1, 4)
        vals: dict[str, tuple[float, float | None]] = {}
        for mid in HEADLINE:
            unit = units[mid]
            if mid == "cla_at_end":
                vals[mid] = (cla, None)
            elif unit == "number":
                vals[mid] = (rng.choice([rng.randint(0, 4), rng.randint(5, 300)]), None)
            elif unit == "rate_per_10k":
                vals[mid] = (
                    vals.get("cla_at_end", (cla, None))[0] if mid == "cla_rate_10k" else rng.randint(0, 300),
                    rng.randint(20_000, 200_000),
                )
            elif unit == "percent":
                vals[mid] = (rng.randint(0, cla), cla)
            else:
                kids = rng.randint(0, 40)
                vals[mid] = (kids * rng.uniform(10, 400), kids)
            num, den = vals[mid]
            total = sums.setdefault(mid, [0.0, 0.0])
            total[0] += num
            total[1] += den or 0
        councils[f"council-{i:03d}"] = _table(vals)
    region = _table(
        {m: (t[0], t[1] if units[m] != "number" else None) for m, t in sums.items()},
        councils=list(councils),
        small_number_threshold=5,
    )
    months = tuple(pd.date_range("2025-04-30", periods=24, freq="ME"))
    gen = np.random.default_rng(seed)
    sims = gen.poisson(30 * n, size=(500, 24, 7)).astype(np.int64)
    futures = Futures(pd.Timestamp("2025-03-31"), months, tuple(f"group {g}" for g in range(7)),
                      tuple([30 * n] * 7), sims, tuple(councils))  # fmt: skip
    return councils, region, futures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", default="12,151", help="sizes to time, comma-separated")
    parser.add_argument("--council-seconds", type=float, default=40.0, help="one council's cpkit report")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"{'councils':>8} {'document s':>10} {'write s':>8} {'region run s':>12} {'share':>6}")
    for n in [int(x) for x in args.councils.split(",")]:
        councils, region, futures = synthetic(n)
        t0 = time.perf_counter()
        regional_document("Benchmark region", YEAR, councils, region, futures)
        t1 = time.perf_counter()
        with tempfile.TemporaryDirectory() as out:
            build_regional(Path(out), "Benchmark region", YEAR, councils, region, futures)
        t2 = time.perf_counter()
        run = n * args.council_seconds / args.workers + (t2 - t1)
        print(f"{n:>8} {t1 - t0:>10.1f} {t2 - t1:>8.1f} {run:>12.0f} {(t2 - t1) / run:>6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
