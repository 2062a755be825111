"""What the quarterly Performance on a Page shows, built once from the data: one row per indicator.

Each row: this quarter, the same quarter last year, the change and its direction of travel (by the
indicator's polarity), the last eight quarters, the latest England and statistical-neighbour figures where the
DfE publishes the measure, and the local target with a RAG written as text. Counts and shares go through
the small-number rule here, where the figures leave for publication; a change is shown only when both its
ends are, and an average over fewer children than the threshold is hidden like the count it rests on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from cpkit.config import Config, Period
from cpkit.poap import measures as m
from cpkit.poap.inyear import Extract, last_day_with_data, latest_extract, load_with_extract, require_covered
from cpkit.present.suppression import is_small
from cpkit.ssda903.model import Data903

TREND_QUARTERS = 8


@dataclass
class Page:
    """Everything the quarter's page shows, already judged; the notebook only displays it."""

    period: Period
    extract: Extract | None
    last_day: date
    rows: pd.DataFrame  # one per indicator (columns: see ``ROW_COLUMNS``)
    trends: pd.DataFrame  # measure x quarter values (true numbers, for the chart after suppression)
    exceptions: pd.DataFrame  # action plan exceptions in the quarter
    bench_year: int | None
    notes: list[str] = field(default_factory=list)


ROW_COLUMNS = [
    "measure",
    "label",
    "source",
    "unit",
    "polarity",
    "value",
    "numerator",
    "denominator",
    "previous_value",
    "previous_numerator",
    "previous_denominator",
    "target",
    "england",
    "neighbours",
    "average_of",
]


def _hidden(value: float, numerator: float, denominator: float, unit: str, average_of: bool, t: int) -> bool:
    """True when the small-number rule hides this figure (or there is none)."""
    if value is None or pd.isna(value):
        return True
    if unit == "number":
        return is_small(value, t)
    if average_of:  # an average over a handful of children can be worked back to them
        return pd.isna(denominator) or denominator < t
    return is_small(numerator, t) or is_small(denominator, t)


def published_value(row: pd.Series | dict, which: str, config: Config) -> str:
    """A row's ``which`` ("" for this quarter, "previous_" for last year) figure as published text."""
    value, num, den = (
        row[f"{which}value" if which else "value"],
        row[f"{which}numerator"],
        row[f"{which}denominator"],
    )
    t = config.small_number_threshold
    if value is None or pd.isna(value):
        return "not available"
    if _hidden(value, num, den, row["unit"], row["average_of"], t):
        return config.suppression_symbol if row["unit"] == "number" else "[c]"
    return fmt(value, row["unit"])


def fmt(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.0f}%"
    if unit in ("rate_per_10k",):
        return f"{value:.0f}"
    if unit == "days":
        return f"{value:,.0f} days"
    return f"{value:,.0f}"


def is_shown(row: pd.Series | dict, which: str, config: Config) -> bool:
    value = row[f"{which}value" if which else "value"]
    if value is None or pd.isna(value):
        return False
    return not _hidden(
        value, row[f"{which}numerator"], row[f"{which}denominator"], row["unit"], row["average_of"],
        config.small_number_threshold,
    )  # fmt: skip


def build_page(
    data_dir: Path,
    period: Period,
    config: Config,
    data: Data903 | None = None,
    kpis: pd.DataFrame | None = None,
    plan: pd.DataFrame | None = None,
) -> Page:
    """The quarter's page from the council's data folder (returns, the newest in-year extract, KPIs, tracker)."""
    if period.kind != "quarter":
        raise ValueError(f"a Performance on a Page is for a quarter, not {period.label}")
    notes: list[str] = []
    extract = latest_extract(data_dir)
    if data is None:
        data = load_with_extract(data_dir, extract)
    last_day = last_day_with_data(data, extract)
    require_covered(period, last_day)
    years = data.episodes["return_year"].dropna()
    first_day = pd.Timestamp(int(years.min()) - 1, 4, 1)
    own = m.ssda903_figures(data, period, config, first_day)
    if kpis is None:
        kpis = _load_kpis(data_dir, config, notes)
    local = m.kpi_figures(kpis, period)
    trends = pd.concat([own.assign(source="SSDA903"), local.assign(source="KPI file")], ignore_index=True)
    previous = Period.in_year(period.year - 1, period.quarter or 0, "quarter")
    bench, bench_year = _benchmarks(data_dir, config, notes)
    rows = []
    for measure in m.QUARTER_MEASURES:
        this = m.figure(measure, data, period, config)
        start, _ = m.window(measure, previous)
        last = m.figure(measure, data, previous, config) if start >= first_day else m.Figure(math.nan)
        england = neighbours = math.nan
        if bench is not None and measure.published in bench.index:
            england = bench.at[measure.published, "england"]
            neighbours = bench.at[measure.published, "neighbour_avg"]
        rows.append(
            _row(measure.id, measure.label, "SSDA903", measure.unit, measure.polarity, this, last,
                 config.targets.get(measure.id, math.nan),
                 england, neighbours, measure.average_of)
        )  # fmt: skip
    rows += _kpi_rows(kpis, period, previous)
    if not len(local):
        notes.append(
            "No quarterly rows in the KPI file for this quarter: health checks, plans, visits, PEPs, care "
            "leavers and fostering figures are not shown."
        )
    notes.append(m.ANNUAL_ONLY_NOTE)
    if extract is not None:
        notes.append(
            f"Figures after 31 March {extract.collection_year - 1} come from the case system's in-year "
            f"extract of {extract.extract_date:%d %B %Y}; they may change when the return is submitted."
        )
    from cpkit.poap.exceptions import action_exceptions

    exceptions = action_exceptions(plan if plan is not None else _load_plan(data_dir, config, notes), period)
    return Page(
        period,
        extract,
        last_day,
        pd.DataFrame(rows, columns=ROW_COLUMNS),
        trends,
        exceptions,
        bench_year,
        notes,
    )


def _row(mid, label, source, unit, polarity, this, last, target, england, neighbours, average_of) -> dict:  # noqa: ANN001
    return {
        "measure": mid,
        "label": label,
        "source": source,
        "unit": unit,
        "polarity": polarity,
        "value": this.value,
        "numerator": this.numerator,
        "denominator": this.denominator,
        "previous_value": last.value,
        "previous_numerator": last.numerator,
        "previous_denominator": last.denominator,
        "target": target,
        "england": england,
        "neighbours": neighbours,
        "average_of": average_of,
    }


def _kpi_rows(kpis: pd.DataFrame | None, period: Period, previous: Period) -> list[dict]:
    if kpis is None or kpis.empty:
        return []
    this_label, last_label = m.kpi_quarter_label(period), m.kpi_quarter_label(previous)
    out = []
    for name, rows in kpis.groupby("indicator", sort=False):
        by_period = rows.set_index("period")
        if this_label not in by_period.index:
            continue
        now = by_period.loc[this_label]
        last = by_period.loc[last_label] if last_label in by_period.index else None

        def fig(r: pd.Series | None) -> m.Figure:
            if r is None:
                return m.Figure(math.nan)
            return m.Figure(
                *(pd.to_numeric(r[c], errors="coerce") for c in ("value", "numerator", "denominator"))
            )

        target = pd.to_numeric(now.get("target"), errors="coerce")
        out.append(
            _row(name, name, "KPI file", now["unit"], now["polarity"], fig(now), fig(last), target,
                 math.nan, math.nan, False)
        )  # fmt: skip
    return out


def _load_kpis(data_dir: Path, config: Config, notes: list[str]) -> pd.DataFrame | None:
    from cpkit.kpis import KpiError, load_kpis

    path = config.path_in(data_dir, config.kpi_file, "kpis.csv")
    if not path.exists():
        notes.append("No KPI file: only the figures the SSDA903 data give are shown.")
        return None
    try:
        return load_kpis(path)
    except KpiError as exc:
        raise KpiError(f"the KPI file cannot be used for the quarter's page: {exc}") from exc


def _load_plan(data_dir: Path, config: Config, notes: list[str]) -> pd.DataFrame | None:
    from cpkit import load_action_plan

    path = config.path_in(data_dir, config.action_plan_file, "action_plan.xlsx")
    if not path.exists():
        notes.append("No action plan tracker: the exceptions list is empty.")
        return None
    return load_action_plan(path)


def _benchmarks(data_dir: Path, config: Config, notes: list[str]) -> tuple[pd.DataFrame | None, int | None]:
    """The latest DfE figures for the council, England and its neighbours, by measure id."""
    from cpkit.benchmarks import BenchmarkError, compare, load_benchmarks, statistical_neighbours

    folder = config.path_in(data_dir, config.benchmarks_dir, "benchmarks")
    if not folder.is_dir():
        notes.append("No DfE published figures were found, so the England and neighbour columns are empty.")
        return None, None
    try:
        bench = load_benchmarks(folder)
        year = int(bench["year"].max())
        try:
            neighbours = statistical_neighbours(config, folder)
        except BenchmarkError as exc:
            notes.append(f"No statistical neighbours: {exc}")
            neighbours = []
        table = compare(bench, config.la_code, year, neighbours).set_index("measure")
    except (BenchmarkError, OSError, ValueError) as exc:
        notes.append(f"The DfE published figures could not be read: {exc}")
        return None, None
    notes.append(
        f"England and statistical-neighbour figures are the DfE's latest published, for the year ending 31 "
        f"March {year}; the council's own figures are for the quarter."
    )
    return table, year
