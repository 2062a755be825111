"""What the quarterly Performance on a Page shows, built once from the data: one row per indicator.

Each row: this quarter, the same quarter last year, the change and its direction of travel (by the
indicator's polarity), the last eight quarters, the latest England and statistical-neighbour figures where the
DfE publishes the measure, and the local target with a RAG written as text. Counts and shares go through
the small-number rule here, where the figures leave for publication; a change is shown only when both its
ends are, and an average over fewer children than the threshold is hidden like the count it rests on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from cpkit.config import Config, Period
from cpkit.errors import InputError
from cpkit.poap import measures as m
from cpkit.poap.inyear import Extract, last_day_with_data, latest_extract, load_with_extract, require_covered
from cpkit.present.disclosure import Ledger, Rule
from cpkit.present.judgement import printed
from cpkit.publish import figure as published
from cpkit.publish.figure import Figure
from cpkit.ssda903.model import Data903

TREND_QUARTERS = 8
# The small-number rule protects children. A local KPI that counts foster carer households (approved,
# new, de-registered) counts no child, and Ofsted publishes the same counts for every council in full, so
# it is shown as it is; the page's note says which counts the rule covers.
NOT_CHILDREN = re.compile(r"\bhouseholds?\b", re.IGNORECASE)


def counts_children(measure: str) -> bool:
    """False for a count of foster carer households (``NOT_CHILDREN``), which the rule does not cover."""
    return not NOT_CHILDREN.search(str(measure))


class Published:
    """The one disclosure decision for every figure on the page (``cpkit.present.disclosure``).

    Each figure is a (measure, quarter) of the trends table, so the value in the "this quarter" column,
    the same figure in the eight-quarter trend and in the data download are one figure with one status.
    Counts are protected together in a ``Ledger`` with the relations a reader could use: the year to date
    is the sum of its quarters, and a rate per 10,000 reveals the count it is made from. Shares are hidden
    when their numerator, denominator or complement is small, averages when their group is.
    """

    def __init__(self, trends: pd.DataFrame, config: Config) -> None:
        self.rule = Rule.of(config)
        self.ledger = Ledger(self.rule)
        self.figures = {(r["measure"], r["quarter"]): r for r in trends.to_dict("records")}
        for key, r in self.figures.items():
            if r["unit"] == "number" and pd.notna(r["value"]) and counts_children(key[0]):
                self.ledger.add(key, r["value"])
            elif r["unit"] == "rate_per_10k" and pd.notna(r["numerator"]):
                self.ledger.add((f"{key[0]} count", key[1]), r["numerator"])
                if ("cla_at_end", key[1]) in self.ledger.values:
                    self.ledger.relate({(f"{key[0]} count", key[1]): 1, ("cla_at_end", key[1]): -1})
        self._year_to_date_relations()
        self.ledger.resolve()

    def _year_to_date_relations(self) -> None:
        """entered_ytd at quarter k = entered_quarter over quarters 1..k of the same financial year, less
        the repeat entries: each figure counts a child once, so a child who entered care in two quarters
        is in both quarters and once in the year to date. The repeats are never printed, but a reader is
        taken to know them (usually none), so the relation protects the quarters as an exact sum would;
        a small number of repeats (a child who came back into care) is itself protected like any count."""
        for (measure, quarter), _ in self.figures.items():
            if measure != "entered_ytd" or (measure, quarter) not in self.ledger.values:
                continue
            q, fy = quarter.split(" ")
            parts = [("entered_quarter", f"Q{k} {fy}") for k in range(1, int(q[1]) + 1)]
            if not all(p in self.ledger.values for p in parts):
                continue
            repeats = (f"{measure} repeat entries", quarter)
            self.ledger.add(
                repeats, sum(self.ledger.values[p] for p in parts) - self.ledger.values[(measure, quarter)]
            )
            self.ledger.relate({(measure, quarter): 1, repeats: 1, **{p: -1 for p in parts}})

    def shown(self, measure: str, quarter: str) -> bool:
        """True when the figure is published as a number (it exists and the rule does not hide it)."""
        r = self.figures.get((measure, quarter))
        if r is None or pd.isna(r["value"]):
            return False
        if r["unit"] == "number":
            return not counts_children(measure) or not self.ledger.hidden((measure, quarter))
        if r["unit"] == "rate_per_10k":
            return not self.ledger.hidden((f"{measure} count", quarter))
        if r["average_of"]:
            return not (
                pd.isna(r["denominator"]) or not r["denominator"] or self.rule.is_small(r["denominator"])
            )
        if pd.isna(r["numerator"]) and pd.isna(r["denominator"]):
            return True  # a share given without its counts (a KPI row): nothing to work back
        return not self.rule.share_hidden(r["numerator"], r["denominator"])

    def text(self, measure: str, quarter: str) -> str:
        """The figure as published: the number, the small-count symbol, [c], or "not available"."""
        r = self.figures.get((measure, quarter))
        if r is None or pd.isna(r["value"]):
            unit = FIGURE_UNIT.get(str(r["unit"]), "number") if r is not None else "number"
            return published.not_available(unit, "no figure for the quarter", "not available")
        if r["unit"] == "number" and counts_children(measure):  # the ledger's count, shown or hidden
            return self.ledger.text((measure, quarter))
        if self.shown(measure, quarter):
            return fmt(r["value"], r["unit"])
        if r["unit"] == "number":
            return self.ledger.text((measure, quarter))
        return published.secondary(
            self.rule.secondary, r["value"], FIGURE_UNIT.get(str(r["unit"]), "number"), 0
        )

    def value(self, measure: str, quarter: str) -> float | None:
        """The true value where it is published, else None (for charts, directions, RAG)."""
        return float(self.figures[(measure, quarter)]["value"]) if self.shown(measure, quarter) else None


@dataclass
class Page:
    """Everything the quarter's page shows, already judged; the notebook only displays it."""

    period: Period
    extract: Extract | None
    last_day: date
    rows: pd.DataFrame  # one per indicator (columns: see ``ROW_COLUMNS``)
    trends: pd.DataFrame  # measure x quarter (true numbers; publish through ``published``)
    published: Published
    exceptions: pd.DataFrame  # action plan exceptions in the quarter
    bench_year: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def quarter(self) -> str:
        return self.period.label

    @property
    def last_year(self) -> str:
        return self.period.previous().label


ROW_COLUMNS = [
    "measure",
    "label",
    "source",
    "unit",
    "decimals",
    "polarity",
    "target",
    "england",
    "neighbours",
]


# a "number" is a count of children only where ``counts_children`` says so (the ledger's figures, typed
# "count"); foster carer households are shown in full, a plain number
FIGURE_UNIT = {"percent": "percent", "days": "days", "number": "number", "rate_per_10k": "rate per 10,000"}


def fmt(value: float, unit: str) -> Figure:
    """A figure as the page prints it ("47%", "12 days", "1,234"): a ``Figure`` in its unit."""
    kind = FIGURE_UNIT.get(unit, "number")
    if unit == "percent":
        return Figure(f"{printed(value)}%", value, kind, 0)
    if unit == "days":
        return Figure(f"{printed(value)} days", value, kind, 0)
    return printed(value, 0, kind)


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
        raise InputError(f"a Performance on a Page is for a quarter, not {period.label}")
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
    bench, bench_year = _benchmarks(data_dir, config, notes)
    rows = []
    for measure in m.QUARTER_MEASURES:
        england = neighbours = math.nan
        if bench is not None and measure.published in bench.index:
            england = bench.at[measure.published, "england"]
            neighbours = bench.at[measure.published, "neighbour_avg"]
        target = config.targets.get(measure.id, math.nan)
        rows.append(
            [
                measure.id,
                measure.label,
                "SSDA903",
                measure.unit,
                measure.measure.decimals,
                measure.polarity,
                target,
                england,
                neighbours,
            ]
        )
    rows += _kpi_rows(kpis, period, bench)
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
        Published(trends, config),
        exceptions,
        bench_year,
        notes,
    )


def _kpi_rows(
    kpis: pd.DataFrame | None, period: Period, bench: pd.DataFrame | None = None
) -> list[list[object]]:
    """One row per KPI with a figure for the quarter (its unit, polarity and target from that row), with
    England's and the neighbours' published figures for the SSDA903 measure of the same thing where the
    DfE publishes one (``cpkit.figures.headline.same_measure``)."""
    from cpkit.figures.headline import same_measure

    if kpis is None or kpis.empty:
        return []
    now = kpis[kpis["period"] == m.kpi_quarter_label(period)]
    rows = []
    for r in now.to_dict("records"):
        england = neighbours = math.nan
        published = same_measure(r["indicator"])
        if bench is not None and published in bench.index:
            england, neighbours = bench.at[published, "england"], bench.at[published, "neighbour_avg"]
        rows.append(
            [r["indicator"], r["indicator"], "KPI file", r["unit"], math.nan, r["polarity"],
             pd.to_numeric(r.get("target"), errors="coerce"), england, neighbours]
        )  # fmt: skip
    return rows


def _load_kpis(data_dir: Path, config: Config, notes: list[str]) -> pd.DataFrame | None:
    from cpkit.errors import KpiError
    from cpkit.kpis import load_kpis

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
    from cpkit.benchmarks import compare
    from cpkit.figures.build import read_published

    bench, neighbours = read_published(data_dir, config, notes)  # the same reading as the annual figures
    if bench is None or bench.empty:
        return None, None
    year = int(bench["year"].max())
    table = compare(bench, config.la_code, year, neighbours).set_index("measure")
    # Name only the comparators the files give figures for (no England rows, or no neighbours: say so).
    england = bool(table["england"].notna().any())
    others = bool((table["neighbour_n"].fillna(0) > 0).any())
    named = {
        (True, True): "England and statistical-neighbour figures are",
        (
            True,
            False,
        ): "England figures (the files supplied hold none for the council's statistical neighbours) are",
        (False, True): "Statistical-neighbour figures (the files supplied hold no England figures) are",
    }.get((england, others))
    if named is None:
        notes.append(
            f"The DfE files supplied for {year} hold neither England nor statistical-neighbour figures."
        )
        return table, year
    notes.append(
        f"{named} the DfE's latest published, for the year ending 31 March {year}; the council's own figures "
        "are for the quarter. Beside a local KPI they are the DfE's figures for the SSDA903 measure of the same "
        "thing, on the DfE's definition."
    )
    return table, year
