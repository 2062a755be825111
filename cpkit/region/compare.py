"""The regional comparison: what the region sees, from the councils' figures tables (never their returns).

Called by the region's task graph (``cpkit.region.graph``); every argument is small and picklable.
``pooled_figures`` and each ``council_futures`` read the councils' cached returns: they are best their own
tasks, submitted as soon as the councils are prepared, so they run beside the councils' sections; the
regional step proper (``build_for_region`` / ``build_regional``) then reads figures tables only::

    pooled_figures(returns, configs, period, name, *, code="", council_figures=None,
                   small_number_threshold=None, data_dir=None) -> Figures        # cpkit.region.pooled
        returns: {slug: Data903 | SSDA903 cache folder (cpkit.report.cache.save_903)} of the councils read
        configs: {slug: Config}; council_figures: {slug: Figures} (pass them: the region's figures are
        checked against them, the council-relative measures and England's figure come from them, and
        each council's parts are kept for the comparison's disclosure ledger)
    council_futures(data, period, config, *, key=None, simulations=None, horizon_months=None)
        -> Futures | None                                                        # cpkit.region.pooled
        one per council (data: Data903 or cache folder); None when its returns are too short to forecast
    regional_forecast({slug: Futures | None}) -> Futures | str                  # cpkit.region.pooled
        the councils' futures summed simulation by simulation (regional_futures), or the reason there is
        no regional forecast (a council without futures would leave its children out); pass it on as is
    build_for_region(region=, period=, out_dir=, figures=, pooled=, futures=, results=) -> Path
        the same from the graph's own records (Region, {slug: Figures}, [CouncilResult]): the folder
    build_regional(out_dir, name, period, councils, pooled, futures, *, names=None, rule=None,
                   text=None, published=None, contact=None) -> list[Path]        # here
        councils: {slug: Figures, or the reason the council failed (str)}, in the order to show them;
        pooled: the region's Figures (or None / a reason); futures: the region's Futures (or None / a
        reason); names: {slug: council name}; rule: the region's small-number Rule; text: region.yaml's
        authored text {"introduction": Markdown, ...}

What the document holds (headings in order): the region's introduction (its own words, sanitised), about
the figures (how the region's figures are made, the small-number rule), councils not included (each with
its reason), each headline measure with every council beside the region, England and its statistical
neighbours, league tables (rates and percentages only: a count ranks councils by size, not by how well
they do), the region's five-year trends, and the regional sufficiency forecast. Written to
``<out_dir>/regional-comparison.html`` and the same tables to ``regional-comparison-data.xlsx`` (the
Analysis Function's standard, with ``gptables``; numbers written from the typed values, never parsed
back from text).

Disclosure. Every published figure passes the one rule (``cpkit.present.disclosure``) at the region's
threshold. The councils' counts and the region's total of them are one relation (region = the sum of the
councils), as are the councils' numerators and complements of each percentage (a percentage printed
beside a published denominator gives its numerator back): they go into a ``Ledger`` per relation
(``regional_ledger``), whose secondary suppression hides enough councils' figures that no small count can
be worked out from the region's total (a council read into the region but not shown is an implicit part of
it, protected the same way), and the audit (``Ledger.open``, ``disclosed``) is run over it before anything is
written; a figure it still finds open is hidden with the region's total. A rate per 10,000 is hidden with
its count (the population is published); an average with a small group; a comparison word ("better",
"higher") with its figure; a hidden figure is never ranked. A count is compared with its statistical
neighbours' average only: beside the region's total or England's it is smaller by construction (``[z]``).
"""

from __future__ import annotations

import html
import math
import re
import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from cpkit.config import Period
from cpkit.figures import Figures
from cpkit.figures.headline import HEADLINE
from cpkit.present import judgement
from cpkit.present.disclosure import PRIMARY, SECONDARY_SYMBOL, Ledger, Rule, disclosed
from cpkit.present.figure_text import fmt_published, fmt_value
from cpkit.present.tables import table_html

HTML_NAME = "regional-comparison.html"
WORKBOOK_NAME = "regional-comparison-data.xlsx"
REGION = "_region"  # the region's own key among the councils' in the ledger
NOT_AVAILABLE, NOT_APPLICABLE = "[x]", "[z]"
LEAGUE_UNITS = frozenset({"percent", "rate_per_10k"})  # never counts: they rank councils by size
# A rate's count, by the measure that publishes the count: the same figure, one key in the ledger.
RATE_COUNTS = {
    "cla_rate_10k": "cla_at_end",
    "cla_started_rate_10k": "cla_started",
    "cla_ceased_rate_10k": "cla_ceased",
}


# --- Cells: the text a page shows and the typed value the workbook holds, made together ------------------


@dataclass(frozen=True)
class Cell:
    """One published cell: ``text`` for the page, ``value`` for the workbook (a number, or the GSS
    shorthand ``[c]``, ``[x]``, ``[z]``, or words), ``fmt`` its Excel number format."""

    text: str
    value: object
    fmt: str | None = None


def words(text: str) -> Cell:
    return Cell(text, text)


def absent(applicable: bool = True) -> Cell:
    """No figure: not available ``[x]``, or not applicable ``[z]`` (the region has no neighbours)."""
    return Cell("", NOT_AVAILABLE if applicable else NOT_APPLICABLE)


def hidden_cell(rule: Rule, small: bool = False) -> Cell:
    """A hidden figure: on the page the small-count symbol or ``[c]``; in the workbook always the GSS
    ``[c]``, as in the council's own workbook (``cpkit.report.workbook.shorthand``)."""
    from cpkit.report.workbook import CONFIDENTIAL

    return Cell(rule.symbol if small else rule.secondary, CONFIDENTIAL)


def _excel_format(unit: str, decimals: int) -> str:
    places = "." + "0" * decimals if decimals > 0 else ""
    if unit == "percent":
        return f"0{places}%"
    return f"#,##0{places}"


def number_cell(value: float, unit: str, decimals: int) -> Cell:
    """A shown figure: its text as the report prints it, its value as a number (a percentage as a
    fraction, shown as a percentage), rounded as printed (``judgement.at_precision``: half away from
    zero) so page and workbook agree at an exact half."""
    rounded = judgement.at_precision(float(value), decimals)
    typed: object = rounded / 100 if unit == "percent" else rounded
    if unit == "percent":
        typed = round(float(typed), decimals + 2)
    elif decimals == 0:
        typed = int(round(rounded))
    return Cell(fmt_value(value, unit, decimals), typed, _excel_format(unit, decimals))


def published_cell(value: object, unit: str) -> Cell:
    """A DfE published figure (England, the neighbours' average) at its published precision."""
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return absent()
    decimals = judgement.published_decimals(float(value))  # type: ignore[arg-type]
    return (
        number_cell(float(value), unit, max(decimals, 0))
        if unit != "percent"
        else Cell(
            fmt_published(float(value), unit),  # type: ignore[arg-type]
            round(float(value) / 100, max(decimals, 0) + 2),  # type: ignore[arg-type]
            _excel_format(unit, max(decimals, 0)),
        )
    )


@dataclass
class Table:
    """A published table: caption, column names, rows of cells, a note; written to the page and the
    workbook from the same cells."""

    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    sheet: str = ""

    def text_frame(self) -> pd.DataFrame:
        return pd.DataFrame([[c.text for c in r] for r in self.rows], columns=self.columns)


@dataclass
class Document:
    """The regional comparison in order: (heading level, heading, fragments) sections and every table."""

    title: str
    parts: list[tuple[int, str, list[str | Table]]] = field(default_factory=list)

    def add(self, level: int, heading: str, *items: str | Table) -> None:
        self.parts.append((level, heading, list(items)))

    @property
    def tables(self) -> list[Table]:
        return [t for _, _, items in self.parts for t in items if isinstance(t, Table)]


# --- The ledger: every count and numerator of the document, protected together --------------------------


class YearRows:
    """A figures table's report year as {measure: row}: what the comparison reads, looked up in a dict
    (``Figures.get`` filters the whole frame on each call, which for 151 councils and every measure would
    make the regional step minutes long)."""

    def __init__(self, figures: Figures) -> None:
        self.meta = figures.meta
        year = figures.frame[figures.frame["year"] == figures.report_year]
        self.rows = {str(r["measure"]): r for r in year.to_dict("records")}

    def has(self, measure: str) -> bool:
        return measure in self.rows

    def get(self, measure: str) -> dict:
        return self.rows[measure]


def _row(figures: YearRows, measure: str) -> dict | None:
    if not figures.has(measure):
        return None
    row = figures.get(measure)
    return None if pd.isna(row["value"]) else row


def _count_key(measure: str) -> str:
    return RATE_COUNTS.get(measure, measure)


class Ledgers:
    """One ``Ledger`` per relation (a measure's counts, or a percentage's numerators, or its complements):
    no relation crosses measures, so each is protected on its own, and a region of 151 councils costs
    one small problem per measure, not one large one. Keys are (kind, measure, council slug)."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.groups: dict[tuple[str, str], Ledger] = {}

    def ledger(self, key: tuple[str, str, str]) -> Ledger:
        return self.groups.setdefault(key[:2], Ledger(self.rule))  # type: ignore[arg-type]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and key[:2] in self.groups and key in self.groups[key[:2]].values

    def hidden(self, key: tuple[str, str, str]) -> bool:
        return key in self and self.groups[key[:2]].hidden(key)

    def resolve(self) -> Ledgers:
        """Protect each relation; where the audit still finds a small count open (nothing left to hide
        among the councils), hide the region's figure of that relation too."""
        for ledger in self.groups.values():
            ledger.resolve()
            for _ in range(2):
                if not ledger.open():
                    break
                for eq in ledger.equations:
                    for k in eq:
                        if isinstance(k, tuple) and k[-1] == REGION:
                            ledger.hide(k)
                ledger.resolve()
        return self


def regional_ledger(
    councils: Mapping[str, YearRows], pooled: YearRows | None, rule: Rule, measures: list[str]
) -> Ledgers:
    """Every count, and every percentage's numerator and complement, of the councils and the region for
    the report year, with the relations a reader can use: the region's is the sum of the councils' it was
    worked from (``pooled.meta["councils"]``). Resolved (``Ledgers.resolve``)."""
    ledgers = Ledgers(rule)
    # The region's figure is the sum over the councils it was worked from. Those shown are in the tables;
    # one read but not shown (its report failed after its returns were read) is never printed, but the
    # region's total less the others gives it: an implicit figure, protected when small, from the parts
    # ``pooled_figures`` keeps. Without its parts the region's figures are hidden instead.
    members = list(pooled.meta.get("councils", [])) if pooled is not None else []
    parts: Mapping[str, Mapping[str, list]] = pooled.meta.get("parts", {}) if pooled is not None else {}
    unshown = [s for s in members if s not in councils]
    unknown = [s for s in unshown if s not in parts]
    whole: dict[str, YearRows] = {**councils, **({REGION: pooled} if pooled is not None else {})}

    def relate(kind: str, m: str, rows: Mapping[str, object]) -> None:
        region = (kind, m, REGION)
        if REGION not in rows:
            return
        if unknown or not all(s in rows for s in members):
            if unshown:  # a part the tables do not show and whose value is not known: hide the total
                ledgers.ledger(region).hide(region)
            return
        ledgers.ledger(region).total(region, [(kind, m, s) for s in members])

    for m in measures:
        rows = {slug: _row(f, m) for slug, f in whole.items()}
        rows = {s: r for s, r in rows.items() if r is not None and not pd.isna(r["numerator"])}
        unit = str(next(iter(rows.values()))["unit"]) if rows else ""
        hidden_parts = {
            s: parts[s][m] for s in unshown if s in parts and m in parts[s] and not pd.isna(parts[s][m][0])
        }
        if unit == "percent":
            rows = {s: r for s, r in rows.items() if not pd.isna(r["denominator"])}
            for kind in ("num", "cmp"):
                for s, r in rows.items():
                    n, d = float(r["numerator"]), float(r["denominator"])
                    ledgers.ledger((kind, m, s)).add((kind, m, s), n if kind == "num" else d - n)
                for s, (n, d) in hidden_parts.items():
                    if not pd.isna(d):
                        value = float(n) if kind == "num" else float(d) - float(n)
                        ledgers.ledger((kind, m, s)).add((kind, m, s), value, implicit=True)
                relate(kind, m, {**rows, **{s: True for s, (_, d) in hidden_parts.items() if not pd.isna(d)}})
        elif unit in ("number", "rate_per_10k"):
            counted = _count_key(m)
            if counted != m and any(
                ("count", counted, s) in ledgers
                and ledgers.ledger(("count", counted, s)).values[("count", counted, s)]
                != float(r["numerator"])
                for s, r in rows.items()
            ):
                counted = m  # not the count measure's figure after all: a relation of its own
            for s, r in rows.items():
                ledgers.ledger(("count", counted, s)).add(("count", counted, s), float(r["numerator"]))
            for s, (n, _) in hidden_parts.items():
                ledgers.ledger(("count", counted, s)).add(("count", counted, s), float(n), implicit=True)
            if counted != m and counted in measures:
                continue  # the rate's count is the count measure's own figure, related there
            relate("count", counted, {**rows, **dict.fromkeys(hidden_parts, True)})
    return ledgers.resolve()


def audit(ledgers: Ledgers) -> list[Hashable]:
    """The disclosure audit (``cpkit.present.disclosure.disclosed``) over every figure of the regional
    document: the small counts a reader could still work out (empty when the document is safe)."""
    return [
        k
        for ledger in ledgers.groups.values()
        for k in disclosed(
            ledger.values,
            ledger.equations,
            ledger.status or ledger.resolve().status,
            ledger.rule,
            signed=ledger.signed,
            protect=ledger.forced,
        )
    ]


def figure_cell(row: Mapping | None, slug: str, ledger: Ledgers, rule: Rule) -> Cell:
    """A council's (or the region's) own figure for the report year, through the rule and the ledger."""
    if row is None:
        return absent()
    m, unit, decimals = str(row["measure"]), str(row["unit"]), int(row["decimals"])
    value = float(row["value"])
    if unit == "number":
        if rule.is_small(value):
            return hidden_cell(rule, small=True)
        if ledger.hidden(("count", m, slug)):
            return hidden_cell(rule)
        return number_cell(value, unit, decimals)
    if unit == "rate_per_10k":
        if ledger.hidden(("count", _count_key(m), slug)) or ledger.hidden(("count", m, slug)):
            return hidden_cell(rule)
        if rule.is_small(row["numerator"]):
            return hidden_cell(rule)
        return number_cell(value, unit, decimals)
    if unit == "percent":
        keys = [("num", m, slug), ("cmp", m, slug)]
        if rule.share_hidden(row["numerator"], row["denominator"]) or any(ledger.hidden(k) for k in keys):
            return hidden_cell(rule)
        return number_cell(value, unit, decimals)
    # averages (days, scores, miles): hidden when the group averaged over is small
    if rule.average(value, row["denominator"], decimals) in ("", rule.secondary):
        return hidden_cell(rule) if not pd.isna(row["denominator"]) else absent()
    return number_cell(value, unit, decimals)


def _shown(cell: Cell) -> bool:
    return isinstance(cell.value, int | float) and not isinstance(cell.value, bool)


# --- The document -------------------------------------------------------------------------------------


def _label(frames: list[YearRows], measure: str) -> tuple[str, str, str, int] | None:
    """(label, unit, polarity, decimals) of a measure from the first table that has it."""
    for f in frames:
        if f.has(measure):
            r = f.get(measure)
            return str(r["label"]), str(r["unit"]), str(r["polarity"]), int(r["decimals"])
    return None


def _versus_words(verdict: str) -> str:
    return verdict.capitalize() if verdict else ""


def measure_table(
    measure: str,
    councils: Mapping[str, YearRows],
    pooled: YearRows | None,
    names: Mapping[str, str],
    ledger: Ledgers,
    rule: Rule,
    region_label: str,
) -> Table | None:
    """Every council beside the region, England and its statistical neighbours for one measure."""
    frames = [*councils.values(), *([pooled] if pooled is not None else [])]
    info = _label(frames, measure)
    if info is None:
        return None
    label, unit, polarity, _ = info
    t = judgement.Thresholds()
    region_row = _row(pooled, measure) if pooled is not None else None
    region_cell = figure_cell(region_row, REGION, ledger, rule) if pooled is not None else absent()
    rows: list[list[Cell]] = []
    # A count beside the region's total or England's is smaller by construction: "lower" would say nothing
    # (a count is compared with its statistical neighbours' average only, councils of its kind).
    count = unit == "number"
    for slug, f in councils.items():
        row = _row(f, measure)
        own = figure_cell(row, slug, ledger, rule)
        full = f.get(measure) if f.has(measure) else None
        neighbours = (
            published_cell(full["neighbour_avg"], unit)
            if full is not None and int(full["neighbour_n"] or 0) > 0
            else absent()
        )
        shown_own = _shown(own)
        vs_region = (
            judgement.versus(float(row["value"]), float(region_row["value"]), polarity, unit, t)
            if shown_own and row is not None and region_row is not None and _shown(region_cell)
            else ""
        )
        vs_england = str(full["vs_england"]) if shown_own and full is not None else ""
        vs_neighbours = str(full["vs_neighbours"]) if shown_own and full is not None else ""
        rows.append(
            [
                words(names.get(slug, slug)),
                own,
                neighbours,
                absent(False) if count else words(_versus_words(vs_region)) if vs_region else absent(),
                absent(False) if count else words(_versus_words(vs_england)) if vs_england else absent(),
                words(_versus_words(vs_neighbours)) if vs_neighbours else absent(),
            ]
        )
    vs_region_england = (
        _versus_words(str(region_row["vs_england"])) if region_row is not None and _shown(region_cell) else ""
    )
    rows.append(
        [
            words(f"{region_label} (region)"),
            region_cell,
            absent(applicable=False),
            absent(applicable=False),
            absent(False) if count else words(vs_region_england) if vs_region_england else absent(),
            absent(applicable=False),
        ]
    )
    england, year = _england([*([pooled] if pooled is not None else []), *councils.values()], measure)
    rows.append(
        [
            words(f"England ({year})" if year else "England"),
            published_cell(england, unit),
            *[absent(applicable=False) for _ in range(4)],
        ]
    )
    columns = [
        "Council",
        _unit_heading(label, unit),
        "Statistical neighbours' average",
        "Against the region",
        "Against England",
        "Against statistical neighbours",
    ]
    note = (
        "The region's figure is worked from its councils' returns together. England's and the statistical "
        "neighbours' figures are the DfE's published statistics. "
        + ("Lower is better. " if polarity == "low" else "Higher is better. " if polarity == "high" else "")
        + rule.note()
    )
    return Table(label, columns, rows, note=note)


def _england(frames: list[YearRows], measure: str) -> tuple[float, str]:
    """England's published figure for a measure and the DfE year it is for ("2023-24"), from the region's
    table first (``cpkit.region.pooled`` takes it from the councils'), else the first council's."""
    for f in frames:
        if f.has(measure):
            r = f.get(measure)
            if not pd.isna(r["england"]):
                year = r["published_year"]
                return float(r["england"]), "" if pd.isna(year) else Period.from_year(int(year)).label
    return math.nan, ""


def _unit_heading(label: str, unit: str) -> str:
    return {
        "percent": "Figure (%)",
        "rate_per_10k": "Rate per 10,000 children",
        "number": "Children",
        "days": "Days",
        "score": "Average score",
        "miles": "Miles",
    }.get(unit, "Figure")


def league_table(
    measure: str,
    councils: Mapping[str, YearRows],
    names: Mapping[str, str],
    ledger: Ledgers,
    rule: Rule,
) -> Table | None:
    """Councils ranked on one rate or percentage (never a count), as printed; a hidden figure is not
    ranked. The council's name is the row's header (what a screen reader announces), its rank beside it. Best first where the measure has a better direction, else highest first (and the table says
    the order is not a judgement)."""
    info = _label(list(councils.values()), measure)
    if info is None or info[1] not in LEAGUE_UNITS:
        return None
    label, unit, polarity, _ = info
    ranked, unranked = [], []
    for slug, f in councils.items():
        cell = figure_cell(_row(f, measure), slug, ledger, rule)
        (ranked if _shown(cell) else unranked).append((slug, cell))
    if not ranked:
        return None
    sign = 1 if polarity == "low" else -1
    ranked.sort(key=lambda p: (sign * float(p[1].value), names.get(p[0], p[0])))  # type: ignore[arg-type]
    rows = []
    previous, rank = None, 0
    for i, (slug, cell) in enumerate(ranked, start=1):
        if cell.value != previous:
            rank, previous = i, cell.value
        rows.append([words(names.get(slug, slug)), Cell(str(rank), rank, "0"), cell])
    for slug, cell in sorted(unranked, key=lambda p: names.get(p[0], p[0])):
        rows.append(
            [
                words(names.get(slug, slug)),
                Cell(
                    "not ranked", cell.value if cell.value in (rule.secondary, rule.symbol) else NOT_AVAILABLE
                ),
                cell,
            ]
        )
    order = {
        "high": "Ranked best first (higher is better).",
        "low": "Ranked best first (lower is better).",
    }.get(
        polarity,
        "Ranked highest first: this measure has no better direction, so the order is not a judgement.",
    )
    note = (
        f"{order} Councils are ranked on the figures as printed; equal figures share a rank. A council whose "
        "figure is hidden or not available is not ranked. " + rule.note()
    )
    return Table(f"League table: {label}", ["Council", "Rank", _unit_heading(label, unit)], rows, note=note)


def trends_table(pooled: Figures, measures: list[str], ledger: Ledgers, rule: Rule) -> Table | None:
    """The region's own figures for every year held, oldest first (the report year's as in the
    comparison tables)."""
    years = pooled.years
    rows = []
    for m in measures:
        series = pooled.series(m)
        if series.empty:
            continue
        first = series.iloc[0]
        cells = [words(str(first["label"]))]
        for y in years:
            r = series[series["year"] == y]
            row = None if r.empty or pd.isna(r.iloc[0]["value"]) else r.iloc[0]
            if y == pooled.report_year:
                cells.append(figure_cell(row, REGION, ledger, rule))
            else:
                cells.append(figure_cell(row, REGION, Ledgers(rule), rule))
        rows.append(cells)
    if not rows:
        return None
    labels = [Period.from_year(y, pooled.period.kind).label for y in years]
    return Table(
        f"The region's figures, {labels[0]} to {labels[-1]}",
        ["Measure", *labels],
        rows,
        note="Worked from the councils' returns together, year by year. Percentages are shown with a %, "
        "rates per 10,000 children aged 0-17. " + rule.note(),
    )


def forecast_tables(futures, rule: Rule, hide_total: bool = False) -> list[Table]:  # noqa: ANN001 - Futures
    """The region's forecast per placement group: children now, and at 12 and 24 months (or the horizon)
    the middle of the summed futures and its 80% range. ``hide_total``: the region's children in care is
    hidden in the comparison, so the forecast's children now in all placements (the same figure) is too."""
    from cpkit.forecast.project import ALL_PLACEMENTS
    from cpkit.present.disclosure import suppress_frame
    from cpkit.region.pooled import forecast_table

    table = forecast_table(futures)
    months = list(futures.months)
    picks = [m for i, m in enumerate(months, start=1) if i in (12, 24)] or [months[-1]]
    groups = [*futures.groups, ALL_PLACEMENTS]
    now = pd.DataFrame({"now": [*futures.now, sum(futures.now)]}, index=groups)
    hide = [(ALL_PLACEMENTS, "now")] if hide_total else []
    now_text, now_status = suppress_frame(now, ["now"], rule, total_row=ALL_PLACEMENTS, hide=hide)
    columns = ["Placement type", f"Children, {futures.as_of.day} {futures.as_of:%B %Y}"]
    for m in picks:
        label = f"{m:%B %Y}"
        columns += [f"Forecast, {label}", f"80% range low, {label}", f"80% range high, {label}"]
    rows = []
    for g in groups:
        n = int(now.at[g, "now"])
        status = now_status.at[g, "now"]
        cells = [
            words(g),
            hidden_cell(rule, small=status == PRIMARY) if status else number_cell(n, "number", 0),
        ]
        for m in picks:
            r = table[(table["placement_group"] == g) & (table["month_end"] == m)].iloc[0]
            for col in ("median", "lo80", "hi80"):
                v = int(math.floor(float(r[col]) + 0.5))
                cells.append(
                    hidden_cell(rule, small=True) if rule.is_small(v) else number_cell(v, "number", 0)
                )
        rows.append(cells)
    del now_text
    note = (
        "The region's forecast is every council's simulated futures added up, future by future, so its "
        "range is the region's own, narrower than the councils' ranges added together. The forecast is the "
        "middle of those futures; the 80% range holds the middle 80% of them. Forecasts are expectations, "
        "not children: each small one is shown as a small count. " + rule.note()
    )
    return [Table("The region's sufficiency forecast by placement type", columns, rows, note=note)]


def region_name(title: str) -> str:
    """The region's name as the document prints it: region.yaml's ``title`` may name the document ("North
    East regional comparison"), and the document adds those words itself."""
    from cpkit.present.sanitise import plain_text

    text = plain_text(str(title)).strip()
    return re.sub(r"\s*regional comparison\s*$", "", text, flags=re.IGNORECASE) or text


def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from cpkit.present.sanitise import clean_commentary_html

    return clean_commentary_html(markdown2html_mistune(str(text)))


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def regional_document(
    name: str,
    period: Period,
    councils: Mapping[str, Figures | str],
    pooled: Figures | str | None,
    futures: object | str | None,
    *,
    names: Mapping[str, str] | None = None,
    rule: Rule | None = None,
    text: Mapping[str, str] | None = None,
) -> tuple[Document, Ledgers]:
    """The regional comparison as headings and tables (see the module docstring), and its ledger."""
    from cpkit.present.sanitise import plain_text

    rule = rule or Rule()
    names = {s: plain_text(str(n)) for s, n in (names or {}).items()}
    text = text or {}
    name = region_name(name)
    figures = {s: YearRows(f) for s, f in councils.items() if isinstance(f, Figures)}
    failed = {s: str(r) for s, r in councils.items() if not isinstance(r, Figures)}
    region = YearRows(pooled) if isinstance(pooled, Figures) else None
    measures = [
        m for m in HEADLINE if any(f.has(m) for f in [*figures.values(), *([region] if region else [])])
    ]
    ledger = regional_ledger(figures, region, rule, measures)
    doc = Document(f"{plain_text(name)}: regional comparison {period.label}")
    if text.get("introduction"):
        doc.add(2, "Introduction", _markdown(text["introduction"]))
    about = [
        _p(
            f"Each council's figures are those of its own report for {period.label} ({period.long_label}). "
            "The region's figures are worked from all its councils' returns together (a child counted in "
            "the council that looks after them), not averaged from the councils' rates: its counts are "
            "the sum of the councils', its percentages the councils' numerators over their denominators "
            "added up, and its rates per 10,000 children its children over the councils' population aged "
            "0-17 together."
        ),
        _p(rule.note()),
    ]
    if region is not None:
        covered = [names.get(s, s) for s in region.meta.get("councils", [])]
        if covered:
            about.append(
                _p("The region's figures are worked from the returns of: " + ", ".join(covered) + ".")
            )
    elif pooled is not None:
        about.append(_p(f"The region's own figures could not be worked out: {plain_text(str(pooled))}"))
    doc.add(2, "About the figures", *about)
    if failed:
        doc.add(
            2,
            "Councils not included",
            _p("These councils' reports could not be built, so they are not compared here:"),
            _list([f"{names.get(s, s)}: {plain_text(r)}" for s, r in failed.items()]),
        )
    tables = [measure_table(m, figures, region, names, ledger, rule, plain_text(name)) for m in measures]
    doc.add(2, "Each council against the region, England and its neighbours", *[t for t in tables if t])
    leagues = [league_table(m, figures, names, ledger, rule) for m in measures]
    leagues = [t for t in leagues if t]
    if leagues:
        doc.add(
            2,
            "League tables",
            _p("Rates and percentages only: a count ranks councils by their size, not by how well they do."),
            *leagues,
        )
    if isinstance(pooled, Figures):
        trend = trends_table(pooled, measures, ledger, rule)
        if trend:
            doc.add(2, "The region's trends", trend)
    if futures is not None and not isinstance(futures, str):
        hide_total = ledger.hidden(("count", "cla_at_end", REGION))
        doc.add(2, "The regional sufficiency forecast", *forecast_tables(futures, rule, hide_total))
    elif isinstance(futures, str):
        doc.add(2, "The regional sufficiency forecast", _p(f"No regional forecast: {plain_text(futures)}"))
    for i, t in enumerate(doc.tables, start=1):
        t.sheet = f"Table {i}"
    return doc, ledger


def document_html(doc: Document, meta: dict[str, object]) -> str:
    """The page: the kit's template (``cpkit.report.render``), headings in order, numbered tables."""
    from cpkit.report.render import page_from_html

    fragments = [f"<h1>{html.escape(doc.title)}</h1>"]
    for level, heading, items in doc.parts:
        body = []
        for item in items:
            if isinstance(item, Table):
                body.append(
                    table_html(item.text_frame(), f"{item.sheet}: {item.caption}", note=item.note or None)
                )
            else:
                body.append(item)
        fragments.append(f"<section><h{level}>{html.escape(heading)}</h{level}>{''.join(body)}</section>")
    return page_from_html(fragments, doc.title, meta)


def build_regional(
    out_dir: str | Path,
    name: str,
    period: Period,
    councils: Mapping[str, Figures | str],
    pooled: Figures | str | None,
    futures: object | str | None,
    *,
    names: Mapping[str, str] | None = None,
    rule: Rule | None = None,
    text: Mapping[str, str] | None = None,
    published: date | None = None,
    contact: str | None = None,
) -> list[Path]:
    """Write the regional comparison page and its workbook to ``out_dir``; return their paths (see the
    module docstring for the arguments)."""
    from cpkit.present.sanitise import plain_text

    rule = rule or Rule()
    name = region_name(name)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    doc, ledger = regional_document(
        name, period, councils, pooled, futures, names=names, rule=rule, text=text
    )
    left = audit(ledger)
    if left:  # regional_ledger hides the region's totals until none is left; never publish one open
        from cpkit.errors import CpkitError

        raise CpkitError(f"the regional comparison would let small counts be worked out: {left}")
    meta = {
        "la_name": plain_text(name),
        "period_label": period.label,
        "sample": False,
        "nav": False,
        "footer": f"{plain_text(name)} regional comparison {period.label} ({period.long_label}).",
    }
    page = out / HTML_NAME
    page.write_text(document_html(doc, meta), encoding="utf-8")
    book = write_workbook(out / WORKBOOK_NAME, doc, period, rule, plain_text(name), published, contact)
    return [page, book]


# --- The workbook -------------------------------------------------------------------------------------


def write_workbook(
    path: Path,
    doc: Document,
    period: Period,
    rule: Rule,
    name: str,
    published: date | None = None,
    contact: str | None = None,
) -> Path:
    """The document's tables to the Analysis Function's standard (``gptables``): Cover, Contents, Notes,
    one table per sheet, numbers as numbers (from the cells' typed values), ``[c]``, ``[x]``, ``[z]``."""
    import gptables as gpt

    from cpkit.present.sanitise import no_formulas
    from cpkit.report.workbook import CONFIDENTIAL, _no_refs
    from cpkit.report.workbook import shorthand as council_shorthand

    sheets = {}
    for t in doc.tables:
        frame = pd.DataFrame([[c.value for c in r] for r in t.rows], columns=t.columns)
        symbols = {rule.symbol, rule.secondary, SECONDARY_SYMBOL, NOT_AVAILABLE, NOT_APPLICABLE}
        notes = ["own"]
        if any(
            isinstance(v, str) and v in symbols - {NOT_AVAILABLE, NOT_APPLICABLE}
            for v in frame.to_numpy().ravel()
        ):
            notes.append("small")
        if any(
            re.search(r"england|neighbour", str(c.text), re.IGNORECASE) for r in t.rows for c in r[:1]
        ) or any("neighbour" in c.lower() for c in t.columns):
            notes.append("published")
        formats = [
            {"cell": {"cells": (i + 1, j), "format": {"num_format": c.fmt}}}
            for i, r in enumerate(t.rows)
            for j, c in enumerate(r)
            if c.fmt
        ]
        sheets[t.sheet] = gpt.GPTable(
            table=frame,
            table_name=re.sub(r"\W", "_", t.sheet).lower(),
            title=_no_refs(f"{t.sheet}: {t.caption}") + "".join(f" $${n}$$" for n in notes),
            subtitles=[_no_refs(t.note)] if t.note else [],
            instructions="This worksheet contains one table. Shorthand in cells is explained on the Cover sheet.",
            source=_no_refs(f"Source: the councils of {name}, SSDA903 returns, {period.long_label}; DfE."),
            index_columns={2: 0},
            additional_formatting=formats,
        )
    shorthand = [
        *council_shorthand(rule, {CONFIDENTIAL}),  # the council workbook's own words for [c]
        f"{NOT_AVAILABLE}: not available: the data do not give this figure, or it is not published.",
        f"{NOT_APPLICABLE}: not applicable: the figure does not exist for this row (the region has no "
        "statistical neighbours, and is not compared with itself).",
    ]
    published = published or date.today()
    cover = gpt.Cover(
        title=_no_refs(f"{name}: regional comparison {period.label}: data tables"),
        intro=[
            _no_refs(
                f"The data behind every table of {name}'s regional comparison, one table per sheet, "
                "numbered as in the document."
            ),
            f"Period covered: {period.long_label}.",
            f"Published: {published.day} {published:%B %Y}.",
        ],
        about=[
            "Small-number rule: " + rule.note(),
            "Shorthand used in cells:",
            *shorthand,
            "Percentages are stored as numbers and shown as percentages.",
        ],
        contact=[_no_refs(contact or "The region's performance and intelligence team.")],
    )
    notes_table = pd.DataFrame(
        {
            "Note number": ["own", "small", "published"],
            "Note text": [
                "Each council's figures are worked out from its own SSDA903 returns (DfE definitions); the "
                "region's from all its councils' returns together.",
                "Small-number rule: " + rule.note(),
                "England and statistical neighbour figures are the DfE's published statistics (Children "
                "looked after in England including adoptions); the neighbours' figure is the unweighted "
                "average of the neighbours' published values.",
            ],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gpt.write_workbook(
            filename=str(path),
            sheets=sheets,
            cover=cover,
            contentsheet_label="Contents" if sheets else None,
            contentsheet_options={"additional_elements": ["subtitles"]} if sheets else {},
            notes_table=notes_table,
            notesheet_label="Notes",
            workbook_options={
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
    from openpyxl import load_workbook

    no_formulas(load_workbook(path)).save(path)
    return path


# --- The graph's call ---------------------------------------------------------------------------------


def build_for_region(
    *,
    region: Any,
    period: Period,
    out_dir: str | Path,
    figures: Mapping[str, Figures],
    pooled: Figures | str | None,
    futures: object | str | None,
    results: list[Any],
) -> Path:
    """``build_regional`` as the region's task graph calls it (``cpkit.region.graph``), from its own
    records: ``region`` (``cpkit.region.settings.Region``: ``title``, ``introduction``, ``councils`` with
    ``slug`` and ``name``) and ``results`` (every council's ``CouncilResult``: ``slug``, ``name``,
    ``status``, ``reason``), in the region's order; a council without a figures table is listed with its
    reason. The region's small-number rule is the strictest of its councils' (``pooled.meta``, from
    ``cpkit.region.pooled.region_config``). Returns the folder the page and workbook were written to."""
    names = {c.slug: c.name for c in getattr(region, "councils", [])}
    names.update({r.slug: r.name for r in results})
    councils: dict[str, Figures | str] = {}
    for r in results:
        if r.slug in figures and isinstance(figures[r.slug], Figures):
            councils[r.slug] = figures[r.slug]
        else:
            councils[r.slug] = r.reason or "its report was not built"
    threshold = pooled.meta.get("small_number_threshold") if isinstance(pooled, Figures) else None
    rule = Rule(int(threshold), f"<{int(threshold)}") if threshold else Rule()
    title = getattr(region, "title", "") or "The region"
    intro = getattr(region, "introduction", "") or ""
    paths = build_regional(
        out_dir,
        title,
        period,
        councils,
        pooled,
        futures,
        names=names,
        rule=rule,
        text={"introduction": intro} if intro else None,
    )
    return paths[0].parent
