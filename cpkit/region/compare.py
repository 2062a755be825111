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
``<out_dir>/regional-comparison.html`` and the same tables to ``regional-comparison-data.xlsx``.

One publish layer with the council's report (``cpkit.publish``): every published figure is a typed
``Figure`` (value, unit, decimals, status: shown, small, secondary, not available ``[x]``, not applicable
``[z]``), every table a ``Block`` of them, made once; the page renders the blocks with the report's own
table renderer (``cpkit.present.tables.block_html``) and the workbook is written by the report's own
writer (``cpkit.report.workbook.write_tables``: the Analysis Function's standard with ``gptables``, the
council workbook's cover, notes and shorthand), numbers from the typed values, never parsed back from
text. The page prints a small count as the region's symbol ("<5"); the workbook holds GSS ``[c]``.

Disclosure. Every published figure passes the one rule (``cpkit.present.disclosure``) at the region's
threshold and by its disclosure test (``Rule.test``: under ``interval``, the default, a small count a
reader can narrow is open like one worked out exactly). The councils' counts and the region's total of
them are one relation (region = the sum of the councils), as are the councils' numerators and
complements of each percentage (a percentage printed beside a published denominator gives its numerator
back): they go into a ``Ledger`` per relation
(``regional_ledger``), whose secondary suppression hides enough councils' figures that no small count can
be worked out from the region's total (a council read into the region but not shown is an implicit part of
it, protected the same way). The exact audit is made once per relation, as its hidden figures are chosen
(``Ledger.resolve`` keeps it, ``Ledger.left``), and read before anything is written (``audit``); a figure
it still finds open is hidden with the region's total. A rate per 10,000 is hidden with
its count (the population is published); an average with a small group; a comparison word ("better",
"higher") with its figure; a hidden figure is never ranked. A count is compared with its statistical
neighbours' average only: beside the region's total or England's it is smaller by construction (``[z]``).
"""

from __future__ import annotations

import html
import math
import re
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
from cpkit.present.disclosure import PRIMARY, Ledger, Rule
from cpkit.present.figure_text import figure_unit, fmt_published, fmt_value
from cpkit.publish import figure as published
from cpkit.publish.audit import INTERVAL
from cpkit.publish.block import Block
from cpkit.publish.block import slug as slug_of
from cpkit.publish.figure import SHORTHAND, Figure, Status, key_text

HTML_NAME = "regional-comparison.html"
WORKBOOK_NAME = "regional-comparison-data.xlsx"
REGION = "_region"  # the region's own key among the councils' in the ledger
SECTION = "regional"  # the blocks' section ("regional/<slug>")
LEAGUE_UNITS = frozenset({"percent", "rate_per_10k"})  # never counts: they rank councils by size
# A rate's count, by the measure that publishes the count: the same figure, one key in the ledger.
RATE_COUNTS = {
    "cla_rate_10k": "cla_at_end",
    "cla_started_rate_10k": "cla_started",
    "cla_ceased_rate_10k": "cla_ceased",
}


# --- Figures: each published cell typed once, read by the page and the workbook alike -------------------

NOT_GIVEN = "not given: the data do not give this figure, or it is not published"
NO_SUCH = (
    "not applicable: the region has no statistical neighbours and is not compared with itself, and a "
    "count is compared with its statistical neighbours' only"
)


def absent(applicable: bool = True, unit: str = "number") -> Figure:
    """No figure: not available ``[x]``, or not applicable ``[z]`` (the region has no neighbours); the
    page prints nothing. ``unit``: the figures-table unit of the column it stands in."""
    if applicable:
        return published.not_available(figure_unit(unit), NOT_GIVEN)
    return published.not_applicable(figure_unit(unit), NO_SUCH)


def hidden_cell(
    rule: Rule, value: object, unit: str, decimals: int = 0, *, small: bool = False, key: object = None
) -> Figure:
    """A hidden figure: on the page the small-count symbol (``small``) or ``[c]``; in the workbook always
    the GSS ``[c]`` (``Figure.shorthand``), as in the council's own workbook. Its value stays here."""
    if small:
        return published.small(rule.symbol, value, rule.threshold, figure_unit(unit), key)
    return published.secondary(rule.secondary, value, figure_unit(unit), decimals, key)


def number_cell(value: float, unit: str, decimals: int, key: object = None) -> Figure:
    """A shown figure: its text as the report prints it (``fmt_value``), its value, unit and decimals;
    the workbook stores it as printed (``Figure.published_value``: half away from zero, the kit's one
    rounding rule), so page and workbook agree at an exact half."""
    return published.shown(fmt_value(value, unit, decimals), value, figure_unit(unit), decimals, key)


def published_cell(value: object, unit: str) -> Figure:
    """A DfE published figure (England, the neighbours' average) at its published precision."""
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return absent(unit=unit)
    return fmt_published(float(value), unit)  # type: ignore[arg-type]


def table(caption: str, columns: list[str], rows: list[list[Figure | str]], note: str, **more: Any) -> Block:
    """A published table of the comparison as a ``Block`` (``cpkit.publish``): a cell is a ``Figure`` or
    words; its id is given when the document numbers it (``Document.number``)."""
    return Block(slug_of(caption), "table", caption, columns, rows, notes=[note] if note else [], **more)


@dataclass
class Document:
    """The regional comparison in order: (heading level, heading, fragments) sections, every table a
    ``Block``, numbered "Table 1", "Table 2" in order (``labels``, by block id) for the page and the
    workbook alike."""

    title: str
    parts: list[tuple[int, str, list[str | Block]]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def add(self, level: int, heading: str, *items: str | Block) -> None:
        self.parts.append((level, heading, list(items)))

    @property
    def tables(self) -> list[Block]:
        return [t for _, _, items in self.parts for t in items if isinstance(t, Block)]

    def number(self) -> None:
        """Give each table its id ("regional/<slug>", "-2" for a caption met again) and its number."""
        seen: dict[str, int] = {}
        for i, block in enumerate(self.tables, start=1):
            local = slug_of(block.caption)
            seen[local] = seen.get(local, 0) + 1
            block.id = f"{SECTION}/{local}" + (f"-{seen[local]}" if seen[local] > 1 else "")
            self.labels[block.id] = f"Table {i}"


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
        self.left: list[Hashable] = []  # what the audit found still open when last resolved

    def ledger(self, key: tuple[str, str, str]) -> Ledger:
        return self.groups.setdefault(key[:2], Ledger(self.rule))  # type: ignore[arg-type]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and key[:2] in self.groups and key in self.groups[key[:2]].values

    def hidden(self, key: tuple[str, str, str]) -> bool:
        return key in self and self.groups[key[:2]].hidden(key)

    def resolve(self) -> Ledgers:
        """Protect each relation; where the audit still finds a small count open (nothing left to hide
        among the councils), hide the region's figure of that relation too. Each ``Ledger.resolve``
        audits its choice once (``Ledger.left``); what is still open after the last is ``left``, the
        document's audit (``audit``), so no relation is searched again to publish."""
        left: list[Hashable] = []
        for ledger in self.groups.values():
            ledger.resolve()
            for _ in range(2):
                if not ledger.left:
                    break
                for eq in ledger.equations:
                    for k in eq:
                        if isinstance(k, tuple) and k[-1] == REGION:
                            ledger.hide(k)
                ledger.resolve()
            left += ledger.left
        self.left = left
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
    """The disclosure audit over every figure of the regional document: the small counts a reader could
    still work out (empty when the document is safe), as the audit of ``Ledgers.resolve`` found them
    (``regional_ledger`` resolves; each relation is searched once, when its hidden figures are chosen)."""
    return list(ledgers.left)


def council_figure(row: Mapping | None, slug: str, ledger: Ledgers, rule: Rule) -> Figure:
    """A council's (or the region's) own figure for the report year, through the rule and the ledger."""
    if row is None:
        return absent()
    m, unit, decimals = str(row["measure"]), str(row["unit"]), int(row["decimals"])
    value = float(row["value"])
    if unit == "number":
        key = key_text(("count", m, slug))
        if rule.is_small(value):
            return hidden_cell(rule, value, unit, small=True, key=key)
        if ledger.hidden(("count", m, slug)):
            return hidden_cell(rule, value, unit, key=key)
        return number_cell(value, unit, decimals, key)
    if unit == "rate_per_10k":
        if ledger.hidden(("count", _count_key(m), slug)) or ledger.hidden(("count", m, slug)):
            return hidden_cell(rule, value, unit, decimals)
        if rule.is_small(row["numerator"]):
            return hidden_cell(rule, value, unit, decimals)
        return number_cell(value, unit, decimals)
    if unit == "percent":
        keys = [("num", m, slug), ("cmp", m, slug)]
        if rule.share_hidden(row["numerator"], row["denominator"]) or any(ledger.hidden(k) for k in keys):
            return hidden_cell(rule, value, unit, decimals)
        return number_cell(value, unit, decimals)
    # averages (days, scores, miles): hidden when the group averaged over is small
    if not rule.average(value, row["denominator"], decimals).shown:
        return (
            hidden_cell(rule, value, unit, decimals) if not pd.isna(row["denominator"]) else absent(unit=unit)
        )
    return number_cell(value, unit, decimals)


def _shown(cell: Figure) -> bool:
    return isinstance(cell, Figure) and cell.shown and cell.value is not None


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
) -> Block | None:
    """Every council beside the region, England and its statistical neighbours for one measure."""
    frames = [*councils.values(), *([pooled] if pooled is not None else [])]
    info = _label(frames, measure)
    if info is None:
        return None
    label, unit, polarity, _ = info
    t = judgement.Thresholds()
    region_row = _row(pooled, measure) if pooled is not None else None
    region_cell = (
        council_figure(region_row, REGION, ledger, rule) if region_row is not None else absent(unit=unit)
    )
    rows: list[list[Figure | str]] = []
    # A count beside the region's total or England's is smaller by construction: "lower" would say nothing
    # (a count is compared with its statistical neighbours' average only, councils of its kind).
    count = unit == "number"
    for slug, f in councils.items():
        row = _row(f, measure)
        own = council_figure(row, slug, ledger, rule) if row is not None else absent(unit=unit)
        full = f.get(measure) if f.has(measure) else None
        neighbours = (
            published_cell(full["neighbour_avg"], unit)
            if full is not None and int(full["neighbour_n"] or 0) > 0
            else absent(unit=unit)
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
                names.get(slug, slug),
                own,
                neighbours,
                absent(False) if count else _versus_words(vs_region) if vs_region else absent(),
                absent(False) if count else _versus_words(vs_england) if vs_england else absent(),
                _versus_words(vs_neighbours) if vs_neighbours else absent(),
            ]
        )
    vs_region_england = (
        _versus_words(str(region_row["vs_england"])) if region_row is not None and _shown(region_cell) else ""
    )
    rows.append(
        [
            f"{region_label} (region)",
            region_cell,
            absent(False, unit),
            absent(False),
            absent(False) if count else vs_region_england if vs_region_england else absent(),
            absent(False),
        ]
    )
    england, year = _england([*([pooled] if pooled is not None else []), *councils.values()], measure)
    rows.append(
        [
            f"England ({year})" if year else "England",
            published_cell(england, unit),
            absent(False, unit),
            *[absent(False) for _ in range(3)],
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
    return table(label, columns, rows, note, measures=[measure])


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
) -> Block | None:
    """Councils ranked on one rate or percentage (never a count), as printed; a hidden figure is not
    ranked. The council's name is the row's header (what a screen reader announces), its rank beside it. Best first where the measure has a better direction, else highest first (and the table says
    the order is not a judgement)."""
    info = _label(list(councils.values()), measure)
    if info is None or info[1] not in LEAGUE_UNITS:
        return None
    label, unit, polarity, _ = info
    ranked, unranked = [], []
    for slug, f in councils.items():
        row = _row(f, measure)
        cell = council_figure(row, slug, ledger, rule) if row is not None else absent(unit=unit)
        (ranked if _shown(cell) else unranked).append((slug, cell))
    if not ranked:
        return None
    # ranked on the figures as printed (``published_value``): 10.04% and 9.96% printed 10% share a rank
    sign = 1 if polarity == "low" else -1
    ranked.sort(key=lambda p: (sign * float(p[1].published_value), names.get(p[0], p[0])))  # type: ignore[arg-type]
    rows: list[list[Figure | str]] = []
    previous, rank = None, 0
    for i, (slug, cell) in enumerate(ranked, start=1):
        if cell.published_value != previous:
            rank, previous = i, cell.published_value
        rows.append([names.get(slug, slug), published.shown(str(rank), rank, "number"), cell])
    for slug, cell in sorted(unranked, key=lambda p: names.get(p[0], p[0])):
        status = Status.SECONDARY if cell.hidden else Status.NOT_AVAILABLE
        why = "its figure is not shown, so it is not ranked" if cell.hidden else "no figure to rank"
        rows.append([names.get(slug, slug), Figure("not ranked", None, "number", 0, status, why), cell])
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
    return table(
        f"League table: {label}",
        ["Council", "Rank", _unit_heading(label, unit)],
        rows,
        note,
        measures=[measure],
    )


def trends_table(pooled: Figures, measures: list[str], ledger: Ledgers, rule: Rule) -> Block | None:
    """The region's own figures for every year held, oldest first (the report year's as in the
    comparison tables)."""
    years = pooled.years
    rows: list[list[Figure | str]] = []
    used: list[str] = []
    for m in measures:
        series = pooled.series(m)
        if series.empty:
            continue
        first = series.iloc[0]
        unit = str(first["unit"])
        cells: list[Figure | str] = [str(first["label"])]
        for y in years:
            r = series[series["year"] == y]
            row = None if r.empty or pd.isna(r.iloc[0]["value"]) else r.iloc[0]
            if row is None:
                cells.append(absent(unit=unit))
            elif y == pooled.report_year:
                cells.append(council_figure(row, REGION, ledger, rule))
            else:
                cells.append(council_figure(row, REGION, Ledgers(rule), rule))
        rows.append(cells)
        used.append(m)
    if not rows:
        return None
    labels = [Period.from_year(y, pooled.period.kind).label for y in years]
    return table(
        f"The region's figures, {labels[0]} to {labels[-1]}",
        ["Measure", *labels],
        rows,
        "Worked from the councils' returns together, year by year. Percentages are shown with a %, "
        "rates per 10,000 children aged 0-17. " + rule.note(),
        measures=used,
    )


def forecast_tables(futures, rule: Rule, hide_total: bool = False) -> list[Block]:  # noqa: ANN001 - Futures
    """The region's forecast per placement group: children now, and at 12 and 24 months (or the horizon)
    the middle of the summed futures and its 80% range. ``hide_total``: the region's children in care is
    hidden in the comparison, so the forecast's children now in all placements (the same figure) is too."""
    from cpkit.forecast.project import ALL_PLACEMENTS
    from cpkit.present.disclosure import suppress_frame
    from cpkit.region.pooled import forecast_table

    forecast = forecast_table(futures)
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
    rows: list[list[Figure | str]] = []
    for g in groups:
        n = int(now.at[g, "now"])
        status = now_status.at[g, "now"]
        cells: list[Figure | str] = [
            g,
            hidden_cell(rule, n, "number", small=status == PRIMARY)
            if status
            else number_cell(n, "number", 0),
        ]
        for m in picks:
            r = forecast[(forecast["placement_group"] == g) & (forecast["month_end"] == m)].iloc[0]
            for col in ("median", "lo80", "hi80"):
                v = int(math.floor(float(r[col]) + 0.5))
                # a forecast is an expectation, not children: a number, shown as a small count when small
                cells.append(
                    published.small(rule.symbol, v, rule.threshold, "number")
                    if rule.is_small(v)
                    else published.shown(f"{v:,}", v, "number", 0)
                )
        rows.append(cells)
    del now_text
    note = (
        "The region's forecast is every council's simulated futures added up, future by future, so its "
        "range is the region's own, narrower than the councils' ranges added together. The forecast is the "
        "middle of those futures; the 80% range holds the middle 80% of them. Forecasts are expectations, "
        "not children: each small one is shown as a small count. " + rule.note()
    )
    return [table("The region's sufficiency forecast by placement type", columns, rows, note)]


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
    doc.number()
    return doc, ledger


def document_html(doc: Document, meta: dict[str, object]) -> str:
    """The page: the kit's template (``cpkit.report.render``), headings in order, each table rendered from
    its block by the report's own table renderer (``cpkit.present.tables.block_html``)."""
    from cpkit.present.tables import block_html
    from cpkit.report.render import page_from_html

    fragments = [f"<h1>{html.escape(doc.title)}</h1>"]
    for level, heading, items in doc.parts:
        body = []
        for item in items:
            if isinstance(item, Block):
                body.append(block_html(item, f"{doc.labels[item.id]}: {item.caption}"))
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
    left = audit(ledger)  # the audit made as the hidden figures were chosen: nothing is searched again
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
    """The document's tables by the report's own workbook writer (``cpkit.report.workbook.write_tables``):
    Cover, Contents, Notes, one table per sheet numbered as on the page, numbers as numbers from the typed
    figures and GSS shorthand for the rest, in the same layout as a council's workbook."""
    from cpkit.report.workbook import Sheet, WorkbookText, write_tables

    sheets = [
        Sheet(doc.labels[b.id], b, f"{doc.labels[b.id]}: {b.caption}", [f"Note: {n}" for n in b.notes if n])
        for b in doc.tables
    ]
    when = published or date.today()
    text = WorkbookText(
        title=f"{name}: regional comparison {period.label}: data tables",
        intro=[
            f"The data behind every table of {name}'s regional comparison, one table per sheet, numbered "
            "as in the document.",
            f"Period covered: {period.long_label}.",
            "Source: each council's SSDA903 returns to the Department for Education; England and "
            "statistical neighbours from the DfE's 'Children looked after in England including adoptions'.",
            f"Published: {when.day} {when:%B %Y}.",
        ],
        source=f"Source: the councils of {name}, SSDA903 returns, {period.long_label}; DfE.",
        contact=contact or "The region's performance and intelligence team.",
        rule=rule,
        own="Each council's figures are worked out from its own SSDA903 returns (DfE definitions); the "
        "region's from all its councils' returns together.",
        published="England and statistical neighbour figures are the DfE's published statistics (Children "
        "looked after in England including adoptions); the neighbours' figure is the unweighted average of "
        "the neighbours' published values.",
        about=[
            "Each figure is stored as a number at the precision the comparison shows it. Percentages are "
            "stored as numbers and shown as percentages. A column heading names the unit of its figures; "
            "where the rows are different measures, a Unit column names each row's.",
        ],
        meaning={SHORTHAND[Status.NOT_APPLICABLE]: NO_SUCH},
    )
    return write_tables(path, sheets, text)


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
    ``cpkit.region.pooled.region_config``: threshold and disclosure test, which its ledgers and audit
    apply; ``interval`` when the region's figures are missing). Returns the folder the page and workbook
    were written to."""
    names = {c.slug: c.name for c in getattr(region, "councils", [])}
    names.update({r.slug: r.name for r in results})
    councils: dict[str, Figures | str] = {}
    for r in results:
        if r.slug in figures and isinstance(figures[r.slug], Figures):
            councils[r.slug] = figures[r.slug]
        else:
            councils[r.slug] = r.reason or "its report was not built"
    meta = pooled.meta if isinstance(pooled, Figures) else {}
    threshold = meta.get("small_number_threshold")
    test = str(meta.get("disclosure_test") or INTERVAL)
    rule = Rule(int(threshold), f"<{int(threshold)}", test=test) if threshold else Rule(test=test)
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
