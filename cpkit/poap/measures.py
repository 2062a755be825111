"""How a quarter computes each registry measure the Performance on a Page shows.

What a measure is (its label, unit, decimals, better direction, DfE definition and code lists) is the
registry's (``cpkit/measures.yaml``, ``cpkit.measures``): a ``QuarterMeasure`` names the registry measure it
is a version of and holds only what the quarter adds, the window it looks at and the function that computes
it from the care measures (``cpkit.care``) on in-year dates. So a rise in adoptions reads the same way on the
page as in the annual report (the registry gives adoptions no better direction: "Higher", never "Better"),
and the page's label is the registry's short label with the window said after it.

The windows: the quarter itself (children entering, leaving, adopted, and the leavers' shares by reason), the
year to date (children entering), the quarter's last day (in care, the rate, UASC, long-term stability: its
2.5-year and 2-year look-backs run from that day) and the twelve months to it (3+ placements). The quarter's
A1 averages the children adopted in the quarter, not the registry's three years, and says so in its label.
England's and the neighbours' figures are set beside a quarter's figure only where the quarter's figure is
on the DfE's footing (``comparable``: a rate or share at a day, not a count over a shorter period).

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
from cpkit.care.codes import EXIT_REC
from cpkit.care.stability import long_term_stability, three_plus_placements
from cpkit.care.stock import uasc_flags
from cpkit.config import Config, Period
from cpkit.measures import Measure, measure
from cpkit.ssda903.model import Data903

ANNUAL_ONLY_NOTE = (
    "The SSDA903 return gives health checks (OC2) and care leavers' outcomes (OC3) only at 31 March, so "
    "this page takes their quarterly figures from the council's KPI file."
)
# How a label says each window: in place of the registry's "the year", or after the name.
WINDOW_WORDS = {
    "quarter": ("the quarter", "in the quarter"),
    "ytd": ("the year to date", "in the year to date"),
    "end": ("the quarter", "at the quarter end"),
    "rolling12": ("the 12 months to the quarter end", "in the 12 months to the quarter end"),
}
# What a label adds for its unit (a number or days says itself: "Children ...", "Days from ...").
UNIT_WORDS = {"percent": " (%)", "rate_per_10k": " (per 10,000 children aged 0-17)"}
# Units whose value is an average over ``denominator`` children (hidden when they are few).
AVERAGE_UNITS = frozenset({"days", "score"})


@dataclass(frozen=True)
class Figure:
    """One indicator for one period: value with what it counts (numerator over denominator)."""

    value: float
    numerator: float = math.nan
    denominator: float = math.nan


@dataclass(frozen=True)
class QuarterMeasure:
    """A registry measure computed from the SSDA903 data for an in-year period.

    ``id`` is the page's own id for the figure (the trends table's and the ``targets`` setting's key: a
    measure can be on the page for two windows, as children entering care is); ``of`` the registry measure
    it is a version of, which gives everything shown about it. ``window`` says which period it looks at: the
    quarter itself, the financial year to the quarter's end, the twelve months to it, or just the quarter's
    last day (``end``). ``words`` replaces the window's words in the label where they would mislead.
    """

    id: str
    of: str
    window: str  # quarter | ytd | rolling12 | end
    compute: Callable[[Data903, pd.Timestamp, pd.Timestamp, Config], Figure]
    comparable: bool = False  # England's and the neighbours' figures can stand beside the quarter's
    words: str | None = None

    @property
    def measure(self) -> Measure:
        return measure(self.of)

    @property
    def label(self) -> str:
        """The registry's short label (the page is one sheet: its full labels run to two lines) with the
        window in place of "the year" or after it, and the unit: "Children starting care in the quarter",
        "Three or more placements in the 12 months to the quarter end (%)"."""
        text = self.measure.short_label
        text = text[:1].upper() + text[1:]
        in_place, after = WINDOW_WORDS[self.window]
        if self.words is not None:
            text = f"{text} {self.words}"
        elif text.endswith(" in the year"):
            text = f"{text[: -len(' in the year')]} in {in_place}"
        else:
            text = f"{text} {after}"
        return text + UNIT_WORDS.get(self.unit, "")

    @property
    def unit(self) -> str:
        return self.measure.unit

    @property
    def polarity(self) -> str:
        return self.measure.polarity

    @property
    def published(self) -> str | None:
        """The id of the DfE's published figures to set beside it, when they are comparable."""
        return self.of if self.comparable else None

    @property
    def average_of(self) -> bool:
        """The value is an average over ``denominator`` children (hidden when they are few)."""
        return self.unit in AVERAGE_UNITS


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


def _ceased_share(of: str) -> Callable[[Data903, pd.Timestamp, pd.Timestamp, Config], Figure]:
    """Children ceasing in the window for the reasons (REC) registry measure ``of`` counts
    (``cpkit.care.codes.EXIT_REC``), over all children ceasing in it (each by their last exit, as the annual figure)."""
    codes = EXIT_REC[of]

    def compute(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
        ceased = children_ceased(data, start, end)
        return _share(int(ceased["end_reason"].isin(codes).sum()), len(ceased))

    return compute


def _adopted(data: Data903, start: pd.Timestamp, end: pd.Timestamp, config: Config) -> Figure:
    ceased = children_ceased(data, start, end)
    return _count(int(ceased["end_reason"].isin(EXIT_REC["adopted"]).sum()))


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
    QuarterMeasure("entered_quarter", "cla_started", "quarter", _entered),
    QuarterMeasure("entered_ytd", "cla_started", "ytd", _entered),
    QuarterMeasure("cla_at_end", "cla_at_end", "end", _in_care),
    QuarterMeasure("cla_rate_10k", "cla_rate_10k", "end", _rate, comparable=True),
    QuarterMeasure("uasc_at_end", "uasc_at_end", "end", _uasc),
    QuarterMeasure("ceased_quarter", "cla_ceased", "quarter", _ceased),
    QuarterMeasure("ceased_adopted_pct", "ceased_adopted_pct", "quarter", _ceased_share("ceased_adopted_pct")),
    QuarterMeasure("ceased_sgo_pct", "ceased_sgo_pct", "quarter", _ceased_share("ceased_sgo_pct")),
    QuarterMeasure("placements_3plus_pct", "placements_3plus_pct", "rolling12", _three_plus, comparable=True),
    QuarterMeasure("long_term_stability_pct", "long_term_stability_pct", "end", _long_term, comparable=True),
    QuarterMeasure("adopted_quarter", "adopted", "quarter", _adopted),
    QuarterMeasure("adoption_a1_days_quarter", "adoption_a1_days", "quarter", _a1, words="for the children adopted in the quarter"),
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
