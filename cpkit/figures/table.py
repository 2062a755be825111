"""``Figures``: the run's figures table and the accessors sections read it through; saving and loading it.

The table is written once per run by the prepare step (``cpkit.report.prepare``) beside the SSDA903 cache
(``<cache>/figures.parquet`` and ``figures.json`` for what it was built from and its notes), and every
section, the scorecard, the executive summary and the workbook read it from there, so a measure shown twice
is the same number. A notebook run by hand without a cache builds it itself (``SectionContext.figures``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cpkit.config import Period

FIGURES_FILE = "figures.parquet"
META_FILE = "figures.json"

# What the section helpers take as one figure: counts and the share (or average) they give.
Figure = dict[str, float]


@dataclass
class Figures:
    """One row per measure and year (columns ``cpkit.figures.columns.COLUMNS``) and what it was built from."""

    frame: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    # ``series`` per measure, for the frame it was cut from (the trends section asks for each measure's
    # series about ten times: its table, chart, sentence, the years not available, the published check)
    _series: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    # --- the run ---------------------------------------------------------------------------------------

    @property
    def report_year(self) -> int:
        return int(self.meta.get("year", self.frame["year"].max()))

    @property
    def period(self) -> Period:
        return Period.from_year(self.report_year, self.meta.get("kind", "financial"))

    @property
    def years(self) -> list[int]:
        """The years in the table, oldest first."""
        return sorted(int(y) for y in self.frame["year"].unique())

    @property
    def notes(self) -> list[str]:
        """Why something is missing (no DfE files, no neighbours...), for the sections' notes."""
        return list(self.meta.get("notes", []))

    # --- one measure -----------------------------------------------------------------------------------

    def has(self, measure: str, year: int | None = None) -> bool:
        year = self.report_year if year is None else year
        return bool(((self.frame["measure"] == measure) & (self.frame["year"] == year)).any())

    def get(self, measure: str, year: int | None = None) -> pd.Series:
        """The row for ``measure`` in ``year`` (default the report year); KeyError naming both if absent."""
        year = self.report_year if year is None else year
        rows = self.frame[(self.frame["measure"] == measure) & (self.frame["year"] == year)]
        if rows.empty:
            raise KeyError(f"no figure for measure {measure!r} in {year} (years held: {self.years})")
        return rows.iloc[0]

    def value(self, measure: str, year: int | None = None) -> float:
        """The council's own figure (NaN when the data cannot give it or the year is not held)."""
        return float(self.get(measure, year)["value"]) if self.has(measure, year) else math.nan

    def series(self, measure: str) -> pd.DataFrame:
        """Every year held for one measure, oldest first (the five-year trend): a copy of the rows cut once
        from the frame (a new frame is cut again), which the caller may change."""
        held = self._series.get(measure)
        if held is None or held[0] is not self.frame:
            rows = self.frame[self.frame["measure"] == measure]
            held = self._series[measure] = (self.frame, rows.sort_values("year").reset_index(drop=True))
        return held[1].copy()

    def figure(self, measure: str, year: int | None = None) -> Figure:
        """The own figure as the section helpers take it: numerator, denominator, pct (empty: 0, 0, NaN)."""
        if not self.has(measure, year):
            return {"numerator": 0, "denominator": 0, "pct": math.nan}
        r = self.get(measure, year)
        if pd.isna(r["value"]):
            return {"numerator": 0, "denominator": 0, "pct": math.nan}
        num = 0 if pd.isna(r["numerator"]) else r["numerator"]
        den = 0 if pd.isna(r["denominator"]) else r["denominator"]
        return {"numerator": num, "denominator": den, "pct": float(r["value"])}

    def figures(
        self, measures: list[str] | dict[str, Any], year: int | None = None
    ) -> dict[str, Figure] | None:
        """``figure`` for several measures, or None when the data gives none of them for the year."""
        out = {m: self.figure(m, year) for m in measures}
        if all(f["denominator"] == 0 and math.isnan(f["pct"]) for f in out.values()):
            return None
        return out

    # --- one year --------------------------------------------------------------------------------------

    def year(self, year: int | None = None) -> pd.DataFrame:
        """All measures for one year, indexed by measure."""
        year = self.report_year if year is None else year
        return self.frame[self.frame["year"] == year].set_index("measure")

    def published_year(self, year: int | None = None) -> int | None:
        """The DfE year the published figures beside ``year`` are for (None when none were published)."""
        rows = self.year(year)["published_year"].dropna()
        return int(rows.iloc[0]) if len(rows) else None

    def benchmarks(self, year: int | None = None) -> pd.DataFrame | None:
        """England and neighbour figures per measure for a year, or None when none were published.

        Index measure; columns england, neighbour_avg, neighbour_n; ``attrs`` year (the DfE year), label
        ("2024-25") and neighbours (how many neighbours the council has).
        """
        rows = self.year(year)
        bench_year = self.published_year(year)
        if bench_year is None:
            return None
        rows = rows[rows["published_year"] == bench_year]
        out = rows[["england", "neighbour_avg", "neighbour_n"]].copy()
        listed = rows["neighbours_listed"].dropna()
        out.attrs.update(
            year=bench_year,
            label=Period.from_year(bench_year).label,
            neighbours=int(listed.max()) if len(listed) else 0,
        )
        return out


def save_figures(figures: Figures, cache_dir: str | Path) -> Path:
    """Write the table and its metadata to ``cache_dir``; return the parquet's path."""
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FIGURES_FILE
    figures.frame.to_parquet(path, index=False)
    (folder / META_FILE).write_text(json.dumps(figures.meta, indent=2), encoding="utf-8")
    return path


def load_figures(cache_dir: str | Path) -> Figures | None:
    """What ``save_figures`` wrote, or None when the cache has no figures table."""
    folder = Path(cache_dir)
    path = folder / FIGURES_FILE
    if not path.exists():
        return None
    meta_path = folder / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return Figures(pd.read_parquet(path), meta)
