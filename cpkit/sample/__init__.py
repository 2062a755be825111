"""The synthetic sample the kit ships, so everything runs out of the box.

``write_sample`` writes every input a council would have, for the fictional "Sample Council": SSDA903
returns (one folder per collection year), the action plan tracker, local KPIs, DfE-layout benchmark
files, and a ``cpkit.yaml`` that marks the data as synthetic (the report then shows a banner).
The same seed gives the same files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

# The sample's in-year extract: the case system's data to the end of Q3 2025-26, for the quarterly
# Performance on a Page (`cpkit poap --year 2026 --quarter 3`).
SAMPLE_EXTRACT_DATE = date(2025, 12, 31)

SAMPLE_CONFIG = """\
# Settings for the synthetic sample council. A real council keeps its own copy of this file beside its
# data (see README: "Settings"). `sample: true` puts a "Synthetic sample data" banner on every page.
la_name: Sample Council
la_code: E06000999
la_old_code: "999"
region: Yorkshire and The Humber
sample: true
# The sufficiency forecast (placements section): each scenario is drawn as its own line beside the baseline.
forecast:
  scenarios:
    - name: Entries up 10%
      entries_change: 0.10
    - name: Step-down programme
      step_downs_per_year: 6
    - name: New in-house children's home
      new_home_beds: 4
      new_home_opens: 2026-01-01
"""


def _ground_truth(seed: int) -> dict[int, dict[tuple[str, ...], float]]:
    """The sample council's published figures for each benchmark year, from the simulation itself.

    Worked out by the generator from the simulated children and the OC2/OC3 rows it wrote, never by
    ``cpkit.care``, so the scorecard's own-against-published check compares two independent computations.
    """
    from cpkit.sample.benchmarks import YEARS, ground_truth
    from cpkit.sample.ssda903 import simulate

    children = simulate(seed, until=SAMPLE_EXTRACT_DATE)  # the same children as the returns written
    return {year: ground_truth(children, year, seed) for year in YEARS}


def write_sample(out_dir: Path, seed: int = 2025) -> list[Path]:
    """Write the whole sample into ``out_dir``; return the files written."""
    from cpkit.sample.action_plan import write_action_plan
    from cpkit.sample.benchmarks import write_benchmarks
    from cpkit.sample.kpis import write_kpis
    from cpkit.sample.ssda903 import write_903_sample

    out_dir.mkdir(parents=True, exist_ok=True)
    written = list(
        write_903_sample(
            out_dir / "ssda903",
            seed=seed,
            extract_date=SAMPLE_EXTRACT_DATE,
            extract_dir=out_dir / "inyear" / SAMPLE_EXTRACT_DATE.isoformat(),
        )
    )
    written.append(write_action_plan(out_dir / "action_plan.xlsx", seed=seed))
    written.append(write_kpis(out_dir / "kpis.csv", seed=seed))
    written.extend(write_benchmarks(out_dir / "benchmarks", seed=seed, truth=_ground_truth(seed)))
    config = out_dir / "cpkit.yaml"
    config.write_text(SAMPLE_CONFIG, encoding="utf-8")
    written.append(config)
    return written
