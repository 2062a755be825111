"""The quarterly Performance on a Page's figures: each key indicator for a quarter, a year earlier, and its
last eight quarters.

The SSDA903 figures are the kit's care measures (``cpkit.care``) applied to in-year dates, each on the DfE's
definition where there is one:

- entering care: children whose period of care started in the quarter (and in the year to date), each once;
- in care at the quarter end (DfE LAIT 332 at that day; short breaks V3/V4 excluded), UASC among them;
- ceased: children whose period of care ended in the quarter (REC other than X1), and the share of them who
  left to permanence: adoption (E11, E12), special guardianship (E43-E48) or a child arrangements order (E41);
- 3+ placements (LAIT 372) on a rolling year: in care at the quarter end with three or more placements in
  the twelve months to it; long-term stability (LAIT 393) at the quarter end (the definition's 2.5-year and
  2-year look-backs run from that day);
- adopted in the quarter, and the average days from entering care to moving in with the adoptive family
  (the A1 clock) for the children adopted in the quarter.

A measure that exists only at 31 March (the OC2 health cohort, the OC3 care-leaver cohort) has no quarterly
SSDA903 figure: the page says so and takes the council's own quarterly figure from the KPI file where there
is one (health assessments and dental checks up to date, PEPs, reviews, visits, plans, pathway plans, care
leavers' accommodation and EET, foster carer households, approvals and de-registrations).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from cpkit.care import adoption_timings, children_ceased, children_started, cla_on, in_care_on
from cpkit.care.codes import ADOPTED_REC, SGO_REC
from cpkit.care.stability import long_term_stability, three_plus_placements
from cpkit.care.stock import uasc_flags
from cpkit.config import Config, Period
from cpkit.measures import measure
from cpkit.ssda903.model import Data903

CAO_REC: tuple[str, ...] = ("E41",)  # residence / child arrangements order


PERMANENCE_REC: tuple[str, ...] = (*ADOPTED_REC, *SGO_REC, *CAO_REC)
ANNUAL_ONLY_NOTE = (
    "The SSDA903 return gives health checks (OC2) and care leavers' outcomes (OC3) only at 31 March, so "
    "this page takes their quarterly figures from the council's KPI file."
)


def _polarity(registry_id: str) -> str:
    """The better direction of the registry measure a quarterly figure is a version of: the page, the
    scorecard, the trends and the workbook judge a measure one way (``cpkit/measures.yaml``)."""
    return measure(registry_id).polarity


@dataclass(frozen=True)
class Figure:
    """One indicator for one period: value with what it counts (numerator over denominator)."""

    value: float
    numerator: float = math.nan
    denominator: float = math.nan


@dataclass(frozen=True)
class QuarterMeasure:
    """A Performance on a Page indicator computed from the SSDA903 data for any in-year period.

    ``window`` says which period it looks at: the quarter itself, the financial year to the quarter's end,
    the twelve months to it, or just the quarter's last day (``end``). ``published`` is the id under which
    the DfE publishes the same measure (for the England and neighbour columns), when it does.
    """

    id: str
    label: str
    unit: str  # number | percent | days | rate_per_10k
    polarity: str  # high | low | neutral
    window: str  # quarter | ytd | rolling12 | end
    compute: Callable[[Data903, pd.Timestamp, pd.Timestamp, Config], Figure]
    published: str | None = None
    average_of: bool = False  # the value is an average over ``denominator`` children (hidden when few)


def _count(n: int) -> Figure:
    return Figure(float(n), float(n), math.nan)


def _share(num: float, den: float) -> Figure:
    return Figure(100 * num / den if den else math.nan, float(num), float(den))


def _entered(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    return _count(len(children_started(data, start, end)))


def _in_care(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    return _count(cla_on(data, end))


def _rate(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    n = cla_on(data, end)
    pop = config.population_0_17
    return Figure(n * 10_000 / pop if pop else math.nan, float(n), float(pop or math.nan))


def _uasc(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    on = in_care_on(data, end)
    return _count(int(uasc_flags(data, on["CHILD"], end).sum()))


def _ceased(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    return _count(len(children_ceased(data, start, end)))


def _permanence(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    ceased = children_ceased(data, start, end)
    return _share(int(ceased["end_reason"].isin(PERMANENCE_REC).sum()), len(ceased))


def _adopted(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    ceased = children_ceased(data, start, end)
    return _count(int(ceased["end_reason"].isin(ADOPTED_REC).sum()))


def _a1(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    fig = adoption_timings(data, start, end)["adoption_a1_days"]
    if fig[
        "unknown_history"
    ]:  # a child's entry to care is before the first return: no figure, not a short one
        return Figure(math.nan)
    return Figure(fig["pct"], fig["numerator"], fig["denominator"])


def _three_plus(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    fig = three_plus_placements(data, start, end, config)
    return _share(fig["numerator"], fig["denominator"])


def _long_term(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    fig = long_term_stability(data, end)
    if fig["unknown_history"]:  # a child's place in it rests on a start before the first return
        return Figure(math.nan)
    return _share(fig["numerator"], fig["denominator"])


QUARTER_MEASURES: tuple[QuarterMeasure, ...] = (
    QuarterMeasure("entered_quarter", "Children entering care in the quarter", "number", _polarity("cla_started"), "quarter", _entered),
    QuarterMeasure("entered_ytd", "Children entering care in the year to date", "number", _polarity("cla_started"), "ytd", _entered),
    QuarterMeasure("cla_at_end", "Children in care at the quarter end (including UASC)", "number", _polarity("cla_at_end"), "end", _in_care),
    QuarterMeasure("cla_rate_10k", "Children in care per 10,000 children aged 0-17", "rate_per_10k", _polarity("cla_rate_10k"), "end", _rate, published="cla_rate_10k"),
    QuarterMeasure("uasc_at_end", "Unaccompanied asylum-seeking children in care at the quarter end", "number", _polarity("uasc_at_end"), "end", _uasc),
    QuarterMeasure("ceased_quarter", "Children who left care in the quarter", "number", _polarity("cla_ceased"), "quarter", _ceased),
    # A local measure (no registry entry): leaving care to a permanent home is the better outcome.
    QuarterMeasure("ceased_permanence_pct", "Children leaving care to adoption, special guardianship or a child arrangements order (%)", "percent", "high", "quarter", _permanence),
    QuarterMeasure("placements_3plus_pct", "Children in care with 3 or more placements in the last 12 months (%)", "percent", _polarity("placements_3plus_pct"), "rolling12", _three_plus, published="placements_3plus_pct"),
    QuarterMeasure("long_term_stability_pct", "Children in care 2.5 years or more, with the same carer 2 years or more (%)", "percent", _polarity("long_term_stability_pct"), "end", _long_term, published="long_term_stability_pct"),
    QuarterMeasure("adopted_quarter", "Children adopted in the quarter", "number", _polarity("adopted"), "quarter", _adopted),
    QuarterMeasure("adoption_a1_days_quarter", "Average days from entering care to moving in with the adoptive family (children adopted in the quarter)", "days", _polarity("adoption_a1_days"), "quarter", _a1, average_of=True),
)  # fmt: skip


def window(measure: QuarterMeasure, period: Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates a measure looks at for the quarter ``period`` names."""
    if measure.window == "end":
        return period.end_ts, period.end_ts
    kind = "quarter" if measure.window == "quarter" else measure.window
    p = Period.in_year(period.year, period.quarter or 0, kind)
    return p.start_ts, p.end_ts


def figure(measure: QuarterMeasure, data: Data903, period: Period, config: Config) -> Figure:
    """One measure for the quarter ``period`` names."""
    start, end = window(measure, period)
    return measure.compute(data, start, end, config)


def quarters_back(period: Period, n: int = 8) -> list[Period]:
    """The ``n`` quarters ending with ``period``'s, oldest first."""
    out = [Period.in_year(period.year, period.quarter or 0, "quarter")]
    while len(out) < n:
        out.insert(0, out[0].quarter_before())
    return out


def ssda903_figures(data: Data903, period: Period, config: Config, first_day: pd.Timestamp) -> pd.DataFrame:
    """Every SSDA903 measure for the last eight quarters to ``period`` (one row per measure and quarter).

    A quarter whose look-back starts before ``first_day`` (the start of the oldest return) is left out:
    its figure would be short, not small.
    """
    rows = []
    for q in quarters_back(period):
        for m in QUARTER_MEASURES:
            start, end = window(m, q)
            look_back = start if m.id not in ("long_term_stability_pct",) else end - pd.DateOffset(years=3)
            if look_back < first_day:
                continue
            f = m.compute(data, start, end, config)
            rows.append(
                {
                    "measure": m.id,
                    "quarter": q.label,
                    "quarter_end": q.end_ts,
                    "value": f.value,
                    "numerator": f.numerator,
                    "denominator": f.denominator,
                    "unit": m.unit,
                    "average_of": m.average_of,
                }
            )
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


TREND_COLUMNS = [
    "measure",
    "quarter",
    "quarter_end",
    "value",
    "numerator",
    "denominator",
    "unit",
    "average_of",
]


def kpi_quarter_label(period: Period) -> str:
    """How the KPI file names a quarter: "2025-26 Q3"."""
    return f"{period.financial_label} Q{period.quarter}"


def kpi_figures(kpis: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """The KPI file's quarterly rows for the last eight quarters to ``period`` (same shape as SSDA903's)."""
    if kpis is None or kpis.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    wanted = {kpi_quarter_label(q): q for q in quarters_back(period)}
    rows = kpis[kpis["period"].isin(list(wanted))]
    return pd.DataFrame(
        {
            "measure": rows["indicator"].to_numpy(),
            "quarter": [wanted[p].label for p in rows["period"]],
            "quarter_end": [wanted[p].end_ts for p in rows["period"]],
            "value": pd.to_numeric(rows["value"], errors="coerce").to_numpy(),
            "numerator": pd.to_numeric(rows["numerator"], errors="coerce").to_numpy(),
            "denominator": pd.to_numeric(rows["denominator"], errors="coerce").to_numpy(),
            "unit": rows["unit"].to_numpy(),
            "average_of": False,
        },
        columns=TREND_COLUMNS,
    )
