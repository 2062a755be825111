"""Build the figures table: every registry measure, for the report year and up to four earlier years.

One row per measure and year (``COLUMNS``, declared in ``cpkit.figures.columns``), holding

- the council's own figure from its SSDA903 returns (``cpkit.care.indicators``): ``value``, ``numerator``,
  ``denominator`` and the ``reason`` when the data cannot give it;
- ``published_year``: the DfE year set beside the row (``dfe_year``: the latest year ending 31 March by the
  end of the row's period, so a calendar 2025 row sits beside the year to March 2025, and a 2024-25 report
  run before the 2025 release beside 2023-24), and ``dfe_*``, the council's own figure for that DfE year,
  which is what the published figure is checked against;
- the DfE's published figures (``cpkit.benchmarks``) for ``published_year``: the council's
  own as published (``published*``), England, its region, the average of its statistical neighbours, and its
  rank and quartile among all councils in the files (rates and percentages only; see
  ``cpkit.benchmarks.compare``), every one of them a published figure and labelled so in the report;
- the judgement (``cpkit.present.judgement``): direction of travel from the previous year's own figure,
  against target (no SSDA903 measure has one yet, so empty), against England and neighbours, and whether
  the own figure matches the published one at the published precision.

Which years: the report year always; an earlier year when the returns supplied cover it (the earliest
collection year loaded is no later than it), at most ``YEARS`` in all. A year the returns do not cover would
only give figures for children still in care from it, so it is left out rather than shown short. Within a
year held, a measure that reaches back further (A1, A2, long-term stability...: ``lookback`` in the
registry) is NaN with the reason when the returns cannot give its history (``cpkit.care.indicators``).
"""

from __future__ import annotations

import logging
import math
from datetime import date
from pathlib import Path

import pandas as pd

from cpkit.config import Config, Period
from cpkit.figures.columns import COLUMNS, COMPARED, NOT_ALWAYS_PUBLISHED, PUBLISHED, fill_missing
from cpkit.present import judgement
from cpkit.ssda903.model import Data903

log = logging.getLogger(__name__)

YEARS = 5
SSDA903 = "SSDA903"
BENCHMARKS_DIR = "benchmarks"


def report_years(data: Data903 | None, period: Period, most: int = YEARS) -> list[int]:
    """The report year and the earlier years the returns cover, oldest first (at most ``most``)."""
    earliest = _earliest_cover(data)
    years = [period.year]
    for y in range(period.year - 1, period.year - most, -1):
        if earliest is None or Period.from_year(y, period.kind).start < earliest:
            break
        years.append(y)
    return sorted(years)


def _earliest_cover(data: Data903 | None) -> date | None:
    """The first day the returns cover (``cpkit.care.history.coverage_start``: 1 April before the earliest
    collection year loaded). Hand-built data with no collection years falls back to the earliest episode
    start."""
    from cpkit.care.history import coverage_start

    if data is None or not data.has("episodes"):
        return None
    first = coverage_start(data)
    if first is not None:
        return first.date()
    starts = data.episodes["DECOM"].dropna()
    return starts.min().date() if len(starts) else None


def _first_day(data: Data903 | None) -> str | None:
    """The first day the returns cover (ISO), for the sections' sentences (``Narrative.covers``)."""
    from cpkit.care.history import coverage_start

    first = coverage_start(data)
    return first.date().isoformat() if first is not None else None


def dfe_year(period: Period, available: list[int]) -> int | None:
    """The DfE year to set beside a period: the latest year ending 31 March on or before the period's end.

    The DfE publishes years ending 31 March only, and some months after they end: a calendar 2025 report
    compares with the year to March 2025, and a 2024-25 report run before the 2025 release with 2023-24.
    """
    usable = [y for y in available if Period.from_year(y).end <= period.end]
    return max(usable) if usable else None


def _empty_own(years: list[int]) -> pd.DataFrame:
    """What ``cpkit.care.indicators.indicators`` gives for a year without returns: every registry measure,
    no figure, and the reason."""
    from cpkit.care.indicators import COLUMNS as OWN_COLUMNS
    from cpkit.care.indicators import load_measures

    one = load_measures().reindex(columns=OWN_COLUMNS)
    one["reason"] = "no SSDA903 returns in the data folder"
    return pd.concat([one.assign(year=y) for y in years], ignore_index=True)


class _Own:
    """``indicators`` per (year, kind), each computed once."""

    def __init__(self, data: Data903 | None, config: Config, lookup: pd.DataFrame | None) -> None:
        self.data, self.config, self.lookup = data, config, lookup
        self._done: dict[tuple[int, str], pd.DataFrame] = {}

    def __call__(self, year: int, kind: str) -> pd.DataFrame:
        key = (year, kind)
        if key not in self._done:
            if self.data is None:
                frame = _empty_own([year])
            else:
                from cpkit.care.indicators import indicators

                frame = indicators(self.data, year, kind, self.config, self.lookup).assign(year=year)
            self._done[key] = frame.rename(columns={"indicator": "measure"}).reset_index(drop=True)
        return self._done[key]


def read_published(data_dir: Path, config: Config, notes: list[str]) -> tuple[pd.DataFrame | None, list[str]]:
    """The DfE release tables in the benchmarks folder and the council's neighbours (None and a note if none)."""
    from cpkit.benchmarks import load_benchmarks, statistical_neighbours
    from cpkit.errors import BenchmarkError

    folder = Path(data_dir) / (config.benchmarks_dir or BENCHMARKS_DIR)
    if not folder.is_dir():
        notes.append("No DfE published figures were found, so England and neighbour figures are not shown.")
        return None, []
    try:
        bench = load_benchmarks(folder)
    except (BenchmarkError, OSError, ValueError) as exc:
        log.warning("benchmarks not used: %s", exc)
        notes.append(f"The DfE published figures could not be read: {exc}")
        return None, []
    try:
        neighbours = statistical_neighbours(config, folder)
    except BenchmarkError as exc:
        notes.append(f"No statistical neighbours: {exc}")
        neighbours = []
    return bench, neighbours


def build_figures(
    data: Data903 | None,
    period: Period,
    config: Config,
    data_dir: str | Path,
    *,
    years: list[int] | None = None,
    postcode_lookup: pd.DataFrame | None = None,
):
    """The figures table for a run (see the module docstring), as a ``Figures``.

    ``data`` None means the data folder has no SSDA903 returns: own figures are empty with a reason and
    the published ones are still read.
    """
    from cpkit.benchmarks import compare
    from cpkit.figures.table import Figures

    years = years or report_years(data, period)
    notes: list[str] = []
    own = _Own(data, config, postcode_lookup)
    bench, neighbours = read_published(Path(data_dir), config, notes)
    available = sorted({int(y) for y in bench["year"].dropna().unique()}) if bench is not None else []
    compared: dict[int, pd.DataFrame] = {}
    parts = []
    for y in years:
        part = own(y, period.kind).copy()
        py = dfe_year(Period.from_year(y, period.kind), available)
        if py is not None:
            dfe = own(py, "financial").set_index("measure")
            for col in ("value", "numerator", "denominator"):
                part[f"dfe_{col}"] = part["measure"].map(dfe[col]).astype(float)
            if py not in compared:
                compared[py] = compare(bench, config.la_code, py, neighbours)
            pub = compared[py].rename(columns=PUBLISHED)[["measure", *PUBLISHED.values(), *COMPARED]]
            part = part.merge(pub.assign(published_year=py), on="measure", how="left")
        parts.append(part)
    if bench is not None and not compared:
        notes.append(
            f"The DfE figures supplied are for {', '.join(str(y) for y in available)}; none ends by the end "
            f"of {period.label}."
        )
    frame = combine(pd.concat(parts, ignore_index=True), period, config)
    meta = {
        "year": period.year,
        "kind": period.kind,
        "years": years,
        "la_code": config.la_code,
        "published_years": sorted(compared),
        "notes": notes,
        "first_day": _first_day(data),
    }
    return Figures(frame, meta)


def combine(frame: pd.DataFrame, period: Period, config: Config) -> pd.DataFrame:
    """Own and published figures by measure and year, tidied, with the judgement columns."""
    frame = frame.copy()
    frame["source"] = SSDA903
    from cpkit.measures import registry

    decimals = {m.id: m.decimals for m in registry()}  # the registry's printed precision, else by unit
    frame["decimals"] = [
        judgement.decimals_for(u, decimals.get(m))
        for m, u in zip(frame["measure"], frame["unit"], strict=True)
    ]
    frame["period"] = [Period.from_year(int(y), period.kind).label for y in frame["year"]]
    frame["report_year"] = frame["year"] == period.year
    frame = fill_missing(frame, NOT_ALWAYS_PUBLISHED)
    if period.kind == "financial":  # no DfE year beside it: the row's own year is the DfE's year
        for col in ("value", "numerator", "denominator"):
            frame[f"dfe_{col}"] = frame[f"dfe_{col}"].where(frame["published_year"].notna(), frame[col])
    _count_keys(frame, period.kind)
    frame["published_status"] = frame["published_status"].fillna("absent")
    frame["neighbour_n"] = frame["neighbour_n"].fillna(0).astype(int)
    frame["ranked"] = frame["ranked"].fillna(0).astype(int)
    frame["rank"] = frame["rank"].astype("Int64")
    for col in ("rank_order", "rank_text", "quartile_note"):
        frame[col] = frame[col].fillna("")
    frame["target"] = math.nan
    return judge(frame, config)[COLUMNS].reset_index(drop=True)


def _count_keys(frame: pd.DataFrame, kind: str) -> None:
    """The document keys of each row's counts (``cpkit.figures.keys``), for the row's own year and for the
    DfE year whose own figure is set beside it (the row's year when none is published)."""
    from cpkit.figures.keys import row_keys

    own, dfe = [], []
    for m, u, y, py in zip(
        frame["measure"], frame["unit"], frame["year"], frame["published_year"], strict=True
    ):
        own.append(row_keys(m, u, Period.from_year(int(y), kind)))
        dfe.append(own[-1] if pd.isna(py) else row_keys(m, u, Period.from_year(int(py))))
    frame["numerator_key"], frame["denominator_key"] = [k[0] for k in own], [k[1] for k in own]
    frame["dfe_numerator_key"], frame["dfe_denominator_key"] = [k[0] for k in dfe], [k[1] for k in dfe]


def judge(frame: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Add the judgement columns (one rule, ``cpkit.present.judgement``) to a figures frame."""
    t = judgement.Thresholds.from_config(config)
    previous = frame.set_index(["measure", "year"])["value"]
    frame = frame.copy()
    frame["previous_value"] = [
        previous.get((m, y - 1), math.nan) for m, y in zip(frame["measure"], frame["year"], strict=True)
    ]
    directions = [
        judgement.direction(r.previous_value, r.value, r.polarity, int(r.decimals), t)
        for r in frame.itertuples(index=False)
    ]
    frame["change_kind"] = [d.kind for d in directions]
    frame["direction"] = [d.verdict for d in directions]
    frame["direction_label"] = [d.label for d in directions]
    frame["rag"] = [
        judgement.rag(r.value, r.target, r.polarity, r.unit, int(r.decimals), t) for r in frame.itertuples()
    ]
    frame["vs_england"] = [
        judgement.versus(r.value, r.england, r.polarity, r.unit, t) for r in frame.itertuples()
    ]
    frame["vs_neighbours"] = [
        judgement.versus(r.value, r.neighbour_avg, r.polarity, r.unit, t) if r.neighbour_n else ""
        for r in frame.itertuples()
    ]
    frame["own_vs_published"] = [_own_vs_published(r) for r in frame.itertuples()]
    return frame


def _own_vs_published(row) -> str:
    """ "matches", "differs", or "" when either the own (DfE-year) or the published figure is missing."""
    if pd.isna(row.dfe_value) or pd.isna(row.published):
        return ""
    return "differs" if judgement.differs_from_published(row.dfe_value, row.published) else "matches"
