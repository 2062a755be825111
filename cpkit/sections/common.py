"""Helpers shared by the care sections: two-year comparisons, tables and charts under the small-number rule.

Each care section sets this year against the last (``Period.previous``); these functions turn a pair of
figures into the sentence, the table row and the chart bar, so every section words and hides figures the
same way.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from datetime import date, timedelta

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cpkit.config import Config, Period
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.disclosure import (
    NOT_SHOWN,
    SECONDARY_SYMBOL,
    Rule,
    breakdown_ledger,
    is_small,
    withheld_reason,
)
from cpkit.present.judgement import printed, printed_change
from cpkit.present.narrative import Narrative, fmt_pct
from cpkit.publish import figure as published
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.figure import Figure as Published
from cpkit.publish.text import with_relations
from cpkit.ssda903.model import Data903

Figure = dict[str, float]  # numerator, denominator, pct: the care library's headline shape
PCT_SYMBOL = SECONDARY_SYMBOL  # a hidden percentage, change or average: "[c]" (cpkit.present.disclosure)
WITHHELD = "withheld"  # a breakdown's status for a group whose table is withheld (``breakdown_table``)
NO_GROUP = "no children in the group it is a share of"


def hidden_figure(value: object, unit: str = "percent", decimals: int = 0, why: str = "") -> Published:
    """A share, change or average hidden to protect a small count: printed ``[c]``, typed SECONDARY (its
    value stays in the kernel, ``cpkit.publish.figure``)."""
    return published.secondary(
        PCT_SYMBOL,
        None if value is None or pd.isna(value) else value,  # type: ignore[arg-type]
        unit,
        decimals,
        why=why or "based on a small count, or on a count hidden to protect one",
    )


def return_year(period: Period) -> int:
    """The OC2/OC3 collection year a report uses: the year ending 31 March ``period.year``.

    Health and care leaver figures belong to a collection year, as the DfE collects them; a calendar-year
    report uses the return for the year ending 31 March of its year, the latest complete one inside it.
    """
    return period.year


def return_label(year: int) -> str:
    """2025 -> "2024-25" (the year ending 31 March 2025)."""
    return Period.from_year(year).label


def when(period: Period) -> tuple[str, str]:
    """The two collection years a health or care leaver table compares: ("2023-24", "2024-25")."""
    year = return_year(period)
    return return_label(year - 1), return_label(year)


def collection_phrases(period: Period) -> When:
    """ "in 2023-24", "in 2024-25" for the two collection years a health or care leaver sentence compares,
    needing the earlier year's return (from 1 April of its first year)."""
    year = return_year(period)
    return When((f"in {return_label(year - 1)}", f"in {return_label(year)}"), date(year - 2, 4, 1))


def benchmark_note(benchmarks: pd.DataFrame | None, period: Period) -> str:
    """Where the England and neighbour figures come from and which year they are (``Figures.benchmarks``),
    and, when a comparator has no figures, that it is missing: a table never loses its England or
    neighbour column without a word."""
    if benchmarks is None:
        return (
            " England and statistical-neighbour figures are not shown: no DfE published figures for "
            f"{period.label} or an earlier year were supplied."
        )
    label = benchmarks.attrs["label"]
    year = benchmarks.attrs["year"]
    neighbours = int(benchmarks.attrs.get("neighbours", 0))
    england = benchmarks["england"].notna().any() if "england" in benchmarks else False
    if england and neighbours:
        text = (
            f" England and statistical-neighbour figures are the DfE's published figures for the year ending "
            f"31 March {year} ({label}); the neighbour figure is the average of the "
            f"{neighbours} statistical neighbours' published values."
        )
    elif england:
        text = (
            f" England figures are the DfE's published figures for the year ending 31 March {year} ({label}); "
            "no statistical neighbours' figures were found in the files supplied, so none is shown."
        )
    elif neighbours:
        text = (
            f" The neighbour figure is the average of the {neighbours} statistical neighbours' values published "
            f"by the DfE for the year ending 31 March {year} ({label}); the files supplied hold no England "
            "figures, so none is shown."
        )
    else:
        return (
            f" The DfE files supplied for {label} hold neither England nor statistical-neighbour figures, so "
            "none is shown."
        )
    if period.kind == "calendar" or year != period.year:
        text += f" They are the latest published and do not cover exactly the same period as {period.label}."
    return text


def day_label(d: date) -> str:
    """date(2025, 3, 31) -> "31 March 2025"."""
    return f"{d.day} {d.strftime('%B %Y')}"


class When(tuple):
    """How a sentence names the two periods (or days) it compares, and ``needs``: the first day the returns
    must cover for the earlier figure to exist (the earlier period's start; for a day, the day after it,
    as a return starting 1 April holds who was in care at the end of 31 March). The comparison helpers
    (``compare_share``, ``compare_counts``) write no comparison when the returns start later
    (``Narrative.covers``)."""

    needs: date | None

    def __new__(cls, phrases: tuple[str, str], needs: date | None = None) -> When:
        obj = super().__new__(cls, phrases)
        obj.needs = needs
        return obj


def year_phrases(period: Period) -> When:
    """ "in 2023-24", "in 2024-25": how a sentence names the two periods compared."""
    return When((f"in {period.previous().label}", f"in {period.label}"), period.previous().start)


def date_phrases(period: Period) -> When:
    """ "at 31 March 2024", "at 31 March 2025": how a sentence names the two days compared."""
    day_after = period.previous().end + timedelta(days=1)
    return When((f"at {day_label(period.previous().end)}", f"at {day_label(period.end)}"), day_after)


def period_labels(period: Period) -> tuple[str, str]:
    return period.previous().label, period.label


def end_labels(period: Period) -> tuple[str, str]:
    return day_label(period.previous().end), day_label(period.end)


def hidden(fig: Figure, threshold: int) -> bool:
    """True when a share cannot be published: its numerator, denominator or complement is a small count
    (``Rule.share_hidden``), or it has none."""
    den = fig.get("denominator", 0)
    return (
        not den
        or pd.isna(den)
        or pd.isna(fig.get("pct"))
        or Rule(threshold).share_hidden(fig.get("numerator"), den)
    )


def compare_share(
    narrative: Narrative,
    measure: str,
    previous: Figure,
    current: Figure,
    when: tuple[str, str],
    hidden_in_table: tuple[bool, bool] = (False, False),
) -> str:
    """ "{measure} rose, from 38 of 90 (42%) in 2023-24 to 45 of 96 (47%) in 2024-25."

    The direction word compares the two percentages (``Narrative.change``); when either year's share is
    hidden by the small-number rule no direction is given, so it cannot be worked back.
    ``hidden_in_table`` (previous, current): a table of the section hides that year's numerator to
    protect another figure, so the sentence does not give it either (``NOT_SHOWN``). A figure's
    ``"keys"`` (numerator, denominator), when it has them, are the document keys of the table cells that
    print the same counts (``Ledger.key_of``): the sentence's figures are then the tables' in the audit,
    with the table's ``"relations"``; ``"withheld"``: the table withholds that year's breakdown, so no
    part of it is given in words either (``share_keys`` sets all three); ``"base_hidden"``: a table
    hides the group the share is of, so neither it nor the share is given.
    """
    t = narrative.config.small_number_threshold
    now = _share_words(narrative, current, hidden_in_table[1])
    if not narrative.covers(getattr(when, "needs", None)):
        return narrative.no_previous(measure, now, when[1], when[0])
    then = _share_words(narrative, previous, hidden_in_table[0])
    based = any(f.get("base_hidden") or f.get("withheld") for f in (previous, current))
    if hidden(previous, t) or hidden(current, t) or any(hidden_in_table) or based:
        if then == now == NOT_SHOWN:
            return narrative.say("children_in_care.not_shown", measure=measure)
        return narrative.say(
            "children_in_care.compare_hidden",
            measure=measure,
            then=then,
            now=now,
            previous=when[0],
            current=when[1],
        )
    change = narrative.change(float(previous["pct"]), float(current["pct"]), 0)
    return narrative.say(
        "children_in_care.compare",
        measure=measure,
        change=change,
        then=then,
        now=now,
        previous=when[0],
        current=when[1],
    )


def _share_words(narrative: Narrative, fig: Figure, hidden_in_table: bool) -> str:
    """One year of ``compare_share``: "38 of 90 (42%)", worded by ``Rule.n_of_m`` under the figure's keys
    and with its table's relations; ``NOT_SHOWN`` for a year whose breakdown the table withholds."""
    if fig.get("withheld") or fig.get("base_hidden"):  # no part of it, or its group hidden in a table
        return NOT_SHOWN
    phrase = narrative.n_of_m(
        int(fig["numerator"]),
        int(fig["denominator"]),
        hidden=hidden_in_table,
        keys=fig.get("keys", (None, None)),  # type: ignore[arg-type]
    )
    return with_relations(phrase, fig.get("relations", ()))  # type: ignore[arg-type]


def largest_part(narrative: Narrative, table: pd.DataFrame, group: object, n: int, m: int) -> str | None:
    """ "38 of 90 (42%)" for the largest group of a ``breakdown_table`` this year, under the table's keys
    and with its relations; None when the table hides or withholds that group's count: naming the
    largest group of a breakdown whose count is hidden says how the other groups compare (with 6
    children, a largest group of 5 or more leaves at most 1 to the rest), so no sentence is written."""
    if table_hidden(table, group)[1]:
        return None
    phrase = narrative.n_of_m(n, m, keys=table_keys(table, group, "current"))
    return with_relations(phrase, table.attrs.get("relations", ()))


def count_words(
    narrative: Narrative, n: float, hidden_in_table: bool = False, key: object = None
) -> Published:
    """A count for a sentence: "183", "fewer than 5", or "not shown, to protect small numbers" when a
    table hides it to protect another figure (a Figure; ``key`` the document key of the table cell that
    prints the same count)."""
    return Rule.of(narrative.config).words(n, key=key, hidden=hidden_in_table)  # type: ignore[arg-type]


def compare_counts(
    narrative: Narrative,
    measure: str,
    previous: int,
    current: int,
    when: tuple[str, str],
    hidden_in_table: tuple[bool, bool] = (False, False),
    keys: tuple[str | None, str | None] = (None, None),
) -> str:
    """ "{measure} rose, from 183 in 2023-24 to 200 in 2024-25" (no direction if either count is hidden,
    by the small-number rule or, ``hidden_in_table``, by a table protecting another figure). ``keys``
    (previous, current): the counts' document keys, those of the tables that print them (a breakdown's
    Total: ``shared_key("cla_started", "2024-25")``), so the report's audit holds them as one figure."""
    t = narrative.config.small_number_threshold
    if not narrative.covers(getattr(when, "needs", None)):
        return narrative.no_previous(
            measure, count_words(narrative, current, hidden_in_table[1], keys[1]), when[1], when[0]
        )
    values = dict(
        then=count_words(narrative, previous, hidden_in_table[0], keys[0]),
        now=count_words(narrative, current, hidden_in_table[1], keys[1]),
        previous=when[0],
        current=when[1],
    )
    if is_small(previous, t) or is_small(current, t) or any(hidden_in_table):
        if values["then"] == values["now"] == NOT_SHOWN:
            return narrative.say("children_in_care.not_shown", measure=measure)
        return narrative.say("children_in_care.compare_hidden", measure=measure, **values)
    return narrative.say(
        "children_in_care.compare", measure=measure, change=narrative.change(previous, current, 0), **values
    )


def table_hidden(table: pd.DataFrame, group: object) -> tuple[bool, bool]:
    """(previous, current): whether a ``breakdown_table`` hides ``group``'s count in each year."""
    status = table.attrs.get("hidden", {})
    return bool(status.get((group, "previous"))), bool(status.get((group, "current")))


def table_keys(table: pd.DataFrame, group: object, when: str) -> tuple[str | None, str | None]:
    """(part, total): the document keys of a ``breakdown_table``'s cells for ``group`` and the Total in
    ``when`` ("previous" or "current"), so a sentence's "38 of 90" are the same figures as the table's
    in the report's audit; None where the table has no such figure."""
    keys = table.attrs.get("keys", {})
    return keys.get((group, when)), keys.get(("Total", when))


def measure_keys(
    previous: Figure, current: Figure, measure_id: str, periods: tuple[Period, Period]
) -> tuple[Figure, Figure]:
    """A figures-table percentage's two years with ``"keys"``: the document keys ``measure_table``'s
    "Number" and "Out of" print its counts under (``cpkit.figures.keys``), for ``compare_share``, so a
    sentence's "38 of 90" are the measure table's figures in the report's audit."""
    prev, cur = _share_keys(measure_id, periods, False)
    return {**previous, "keys": prev}, {**current, "keys": cur}  # type: ignore[dict-item]


def share_keys(table: pd.DataFrame, group: object, figures: dict[str, Figure]) -> dict[str, Figure]:
    """``figures`` ({"previous": share, "current": share}) with each year's ``"keys"`` (the table cells
    that print its numerator, ``group``, and denominator, the Total), the table's ``"relations"``, and
    whether the table withholds that year's breakdown (``"withheld"``), for ``compare_share``."""
    status = table.attrs.get("hidden", {})
    return {
        k: {  # type: ignore[misc]
            **f,
            "keys": table_keys(table, group, k),
            "relations": table.attrs.get("relations", []),
            "withheld": status.get((group, k)) == WITHHELD or k in table.attrs.get("withheld_years", ()),
        }
        for k, f in figures.items()
    }


def share_text(fig: Figure, config: Config, decimals: int = 0) -> Published:
    """A share as published: "47%", or the hidden symbol when its counts are suppressed; blank (not
    applicable, GSS [z]) for a share of no one. A ``Figure`` (``cpkit.publish.figure``)."""
    if hidden(fig, config.small_number_threshold):
        if not fig.get("denominator"):
            return published.not_applicable("percent", NO_GROUP)
        return hidden_figure(fig.get("pct"), "percent", decimals)
    return fmt_pct(float(fig["pct"]), decimals)  # type: ignore[return-value]


def change_text(previous: Figure, current: Figure, config: Config, unit: str = "pp") -> Published:
    """The change between two shares in percentage points ("+4.2"), hidden if either share is."""
    t = config.small_number_threshold
    if hidden(previous, t) or hidden(current, t):
        if not (previous.get("denominator") and current.get("denominator")):
            return published.not_applicable("points", NO_GROUP)
        return hidden_figure(None, "points", 1)
    return printed_change(float(current["pct"]) - float(previous["pct"]), 1, "points")


NOT_COVERED = (
    "n/a"  # a year no return covers: its counts would be children still in care later, not the year's
)


def mark_uncovered(tables: dict[str, pd.DataFrame], data: Data903, period: Period) -> dict[str, pd.DataFrame]:
    """Mark the previous period's counts as not covered when the returns start after it began (a report
    from one return): what they hold for it is only the children still in care once the returns start, so
    ``breakdown_table`` shows it as n/a, never as a number (the sentences say why: ``Narrative.covers``)."""
    from cpkit.care.history import coverage_start

    first = coverage_start(data)
    if first is not None and first.date() > period.previous().start:
        tables["previous"] = tables["previous"].assign(children=0)
        tables["previous"].attrs["not_covered"] = True
    return tables


def breakdown_table(
    tables: dict[str, pd.DataFrame],
    key: str,
    labels: dict[str, str] | None,
    when: tuple[str, str],
    config: Config,
    name: str,
    population: str = "children in care",
    preposition: str = "at",
    total_keys: tuple[str | None, str | None] = (None, None),
    part_keys: tuple[Mapping[str, str] | None, Mapping[str, str] | None] = (None, None),
    shared_parts: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Two ``count_share`` tables (previous, current) side by side: count and % per group, and a total row.

    Groups with no children in either year are left out. The total row is published (the report prints
    it elsewhere too: the headline, the scorecard, the other breakdowns of the same children), so a small
    cell is protected by hiding other groups (``breakdown_status``); a % is hidden wherever its count is.
    Where nothing can protect it (two groups, "<5" and "[c]" adding up to a total printed elsewhere) the
    breakdown is withheld: the table is one cell of words saying why (``withheld_reason``;
    ``attrs["withheld"]`` holds it) and every group counts as hidden for the sentences.
    ``attrs["hidden"]`` maps (group, "previous"/"current") to the cell's status, so a sentence about the
    same figure can be worded without it. ``population``: what the totals count ("children in care"), and
    ``preposition`` how ``when`` follows it ("at" a day, "in" a year). ``total_keys`` (previous, current):
    the totals' shared document keys (``shared_key``: children in care on the day, printed across the
    report), so the report's audit takes them as the same figure wherever they are printed; ``part_keys``
    (previous, current; group -> key) the document keys other sections give a group's count (a measure's
    numerator, ``cpkit.figures.keys``), and ``shared_parts`` the groups whose count other sections print
    as a count under that key (kept: one status for the report, ``breakdown_ledger``). The cells are the ledger's figures and ``attrs["ledger"]`` its
    relations (``show_table`` records them); each % names its count and the total (``Figure.numerator``,
    ``denominator``), so the audit reads it with them.
    """
    prev = tables["previous"].set_index(key)["children"]
    cur = tables["current"].set_index(key)["children"]
    groups = list(dict.fromkeys(list(cur.index) + list(prev.index)))
    frame = pd.DataFrame({"p": prev.reindex(groups, fill_value=0), "c": cur.reindex(groups, fill_value=0)})
    frame = frame[(frame["p"] > 0) | (frame["c"] > 0)]
    frame.loc["Total"] = frame.sum()
    frame = frame.astype("int64")
    rule = Rule.of(config)
    uncovered = bool(tables["previous"].attrs.get("not_covered"))
    parts = [g for g in frame.index if g != "Total"]
    ledger, withheld = breakdown_ledger(
        {
            col: ({g: int(frame.at[g, col]) for g in parts}, int(frame.at["Total", col]))
            for col in ("p", "c")
            if not (col == "p" and uncovered)
        },
        rule,
        total_keys=dict(zip(("p", "c"), total_keys, strict=True)),
        part_keys=dict(zip(("p", "c"), part_keys, strict=True)),
        shared_parts=shared_parts,
    )
    status = ledger.status
    hidden = {  # (group, "previous"/"current") -> status, for sentences about the same figures
        (g, k): status.get((g, col), "")
        for g in frame.index
        for col, k in (("p", "previous"), ("c", "current"))
    }
    keys = {  # (group, "previous"/"current") -> the figure's document key, for the same sentences
        (g, k): ledger.key_of((g, col))
        for g in frame.index
        for col, k in (("p", "previous"), ("c", "current"))
        if (g, col) in ledger.values
    }
    if withheld:
        years = [
            (int(frame.at["Total", col]), f"{preposition} {when[i]}")
            for i, col in enumerate(("p", "c"))
            if col in withheld
        ]
        out = pd.DataFrame({name: [withheld_reason(years, population, rule)]})
        out.attrs["population"] = f"{population} {preposition} {when[0]} and {when[1]}"
        out.attrs["withheld"] = out.iloc[0, 0]
        out.attrs["hidden"] = {k: (v or WITHHELD) if k[0] != "Total" else v for k, v in hidden.items()}
        out.attrs["keys"] = keys
        out.attrs["withheld_years"] = [
            k for col, k in (("p", "previous"), ("c", "current")) if col in withheld
        ]
        # how the parts add up is known even where they are not printed: a sentence that gives one (the
        # year not withheld) carries it to the audit
        out.attrs["relations"] = ledger.relations()
        return out
    out = pd.DataFrame({name: [(labels or {}).get(g, g) for g in frame.index]})
    for col, label in (("p", when[0]), ("c", when[1])):
        total = int(frame.loc["Total", col])
        if col == "p" and uncovered:  # no return covers the year: no figure, not a zero or a part
            out[f"Children, {label}"] = typed_column([not_covered("count")] * len(out))
            out[f"%, {label}"] = typed_column([not_covered("percent")] * len(out))
            continue
        flags = [status.get((g, col), "") for g in frame.index]
        # object dtype: the cells stay typed Figures (a str column would make them plain text)
        out[f"Children, {label}"] = typed_column([ledger.text((g, col)) for g in frame.index])
        out[f"%, {label}"] = typed_column(
            [
                (
                    hidden_figure(100 * n / total if total else None)
                    if flag
                    else (
                        fmt_pct(100 * n / total) if total else published.not_applicable("percent", NO_GROUP)
                    )
                ).with_counts(ledger.key_of((g, col)), ledger.key_of(("Total", col)))
                for g, flag, n in zip(frame.index, flags, frame[col], strict=True)
            ]
        )
    out.attrs["hidden"] = hidden
    out.attrs["keys"] = keys
    out.attrs["relations"] = ledger.relations()
    out.attrs["ledger"] = ledger
    out.attrs["population"] = f"{population} {preposition} {when[0]} and {when[1]}"  # the block's
    return out


def typed_column(cells: list) -> pd.Series:
    """A table column that keeps its ``Figure`` cells (pandas 3 would store a column of ``str`` in its
    string dtype and drop the type: ``cpkit.publish.block.frame``)."""
    return pd.Series(cells, dtype=object)


def not_covered(unit: str) -> Published:
    """A year no return covers: "n/a" on the page, not available (GSS [x]) in the workbook."""
    return published.not_available(
        unit, "no return supplied covers the year, so its figures cannot be worked out", text=NOT_COVERED
    )


def paired_bar_chart(
    categories: list[str],
    previous: list[float | None],
    current: list[float | None],
    labels: tuple[str, str],
    xlabel: str,
    title: str,
    value_format: str = "{}%",
) -> plt.Figure:
    """Horizontal bars, last year hatched and this year solid, each labelled with its value.

    Years are told apart by hatching, legend and position as well as colour; a hidden (suppressed)
    value has no bar and is labelled "c".
    """
    colours = af_colours(2)
    y = np.arange(len(categories))
    height = 0.38
    with chart_style():
        fig, ax = plt.subplots(figsize=(9, 0.8 * len(categories) + 1.8))
        top = max([v for v in list(previous) + list(current) if v is not None and not pd.isna(v)] + [1])
        for offset, values, label, colour, hatch in (
            (-height / 2, previous, labels[0], colours[1], "//"),
            (height / 2, current, labels[1], colours[0], None),
        ):
            clean = [0 if v is None or pd.isna(v) else v for v in values]
            bars = ax.barh(
                y + offset, clean, height, label=label, color=colour, hatch=hatch, edgecolor="white"
            )
            for bar, v in zip(bars, values, strict=True):
                text = PCT_SYMBOL if v is None or pd.isna(v) else value_format.format(printed(v))
                ax.annotate(
                    f"{text} ({label})" if len(categories) == 1 else text,
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                )
        ax.set_yticks(y, [textwrap.fill(c, 26) for c in categories])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.2)
        ax.set_xlabel(xlabel)
        ax.set_title(textwrap.fill(title, 60), loc="left", fontsize=12)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.14), ncol=2, frameon=False)
        fig.tight_layout()
    return fig


def _share_keys(
    measure_id: str | None, periods: tuple[Period, Period] | None, average: bool
) -> tuple[tuple[str | None, str | None], tuple[str | None, str | None]]:
    """(previous, current) (numerator key, denominator key) of a ``measure_table`` row's share, or Nones
    where it names no registry percentage (an average, no ``periods``)."""
    from cpkit.figures.keys import row_keys
    from cpkit.measures import registry

    ids = {m.id: m.unit for m in registry()}
    if average or periods is None or not measure_id or ids.get(measure_id) != "percent":
        return (None, None), (None, None)
    prev, cur = (row_keys(measure_id, "percent", p) for p in periods)
    return prev, cur


def measure_table(
    rows: list[tuple[str, str | None, Figure, Figure]],
    when: tuple[str, str],
    config: Config,
    benchmarks: pd.DataFrame | None = None,
    averages: tuple[str, ...] = (),
    masked: dict[str, tuple[bool, bool]] | None = None,
    periods: tuple[Period, Period] | None = None,
    keys: Mapping[str, tuple[tuple[str | None, str | None], tuple[str | None, str | None]]] | None = None,
    bases: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """One row per measure: last year, this year, change, this year's counts, and England and neighbours.

    ``periods`` (previous, current): the periods the two columns' figures are the figures table's rows
    for, so each share names its counts by their document keys (``cpkit.figures.keys``: the measure's
    numerator, the children in care on the day for a share of them) and so do "Number" and "Out of": the
    report's audit reads them with the same figures the scorecard and the trends print.

    ``masked`` maps a label to (previous, current): that year's count is hidden in another table of the
    section to protect a small one, so its share, its "Number" and the change are hidden here too.

    ``keys`` maps a label to its (previous, current) (numerator key, denominator key) where a ledger of
    the section protects the same counts (the SDQ ledger: ``cpkit.sections.health.sdq_keys``; the SDQ
    bands' base is the children with a score), instead of the registry's; that ledger then decides
    whether "Number" is hidden (``masked``), not the complement rule. ``bases`` maps a label to
    (previous, current): that year's base is hidden in another table, so its share (a shown count over
    it gives it back), the change and this year's "Out of" are hidden too; an average keeps its value.

    ``rows`` are (label, benchmark measure id or None, previous figure, current figure). Labels in
    ``averages`` are averages (value to one decimal, "Out of" the children it averages over), not shares.
    ``benchmarks`` (from the figures table, ``Figures.benchmarks``) adds the published England and
    statistical-neighbour figures for the measure; its ``attrs["year"]`` names their year.
    """
    t = config.small_number_threshold
    out: dict[str, list] = {k: [] for k in ("Measure", when[0], when[1], "Change (points)")}
    out[f"Number, {when[1]}"], out[f"Out of, {when[1]}"] = [], []
    bench_cols = {}
    if benchmarks is not None:
        year = benchmarks.attrs.get("label", "")
        bench_cols = {"england": f"England, {year}", "neighbour_avg": f"Statistical neighbours, {year}"}
        for col in bench_cols.values():
            out[col] = []
    rule = Rule.of(config)
    masked = masked or {}
    keys_given, bases = keys or {}, bases or {}
    for label, bench_id, prev, cur in rows:
        average = label in averages
        unit = "score" if average else "percent"
        mask = masked.get(label, (False, False))
        base = bases.get(label, (False, False))
        keys = keys_given.get(label) or _share_keys(bench_id, periods, average)
        out["Measure"].append(label)
        for col, fig, hide, (num, den) in (
            (when[0], prev, mask[0] or (base[0] and not average), keys[0]),
            (when[1], cur, mask[1] or (base[1] and not average), keys[1]),
        ):
            cell = (
                rule.average(fig["pct"], fig["denominator"], unit=unit)
                if average
                else share_text(fig, config)
            )
            cell = hidden_figure(fig["pct"], unit, 1 if average else 0) if hide and cell else cell
            out[col].append(cell.with_counts(num, den) if num and isinstance(cell, Published) else cell)
        num, den = keys[1]
        if (any(mask) or any(base)) and not average:
            out["Change (points)"].append(hidden_figure(None, "points", 1))
            out[f"Number, {when[1]}"].append(rule.count(cur["numerator"], mask[1], key=num))
        elif average:
            both = (
                prev["denominator"]
                and cur["denominator"]
                and not (is_small(prev["denominator"], t) or is_small(cur["denominator"], t))
            )
            out["Change (points)"].append(
                printed_change(cur["pct"] - prev["pct"], 1, "score")
                if both
                else published.not_applicable("score", "an average of no one, or of a small group")
            )
            out[f"Number, {when[1]}"].append(
                published.not_applicable("count", "an average has no count of children who met it")
            )
        else:
            out["Change (points)"].append(change_text(prev, cur, config))
            # "Number" beside "Out of" gives the complement: hidden ([c]) when that is a small count;
            # a row whose counts a ledger names (``keys``) is that ledger's to protect (``masked``)
            complement = cur["denominator"] - cur["numerator"] if cur["denominator"] else 0
            small_rest = rule.is_small(complement) and label not in keys_given
            out[f"Number, {when[1]}"].append(rule.count(cur["numerator"], small_rest, key=num))
        out[f"Out of, {when[1]}"].append(rule.count(cur["denominator"], base[1], key=den))
        for key, col in bench_cols.items():
            value = benchmarks[key].get(bench_id, np.nan) if bench_id else np.nan
            out[col].append(
                published.not_available(unit, "the DfE has not published this figure")
                if pd.isna(value)
                else (printed(value, 1, "score") if average else fmt_pct(value))
            )
    table = typed_frame(out)
    table.attrs["measures"] = [b for _, b, _, _ in rows if b]  # registry ids: the block's measures
    return table


def coverage_warning(data: Data903, period: Period) -> str:
    """A warning when the returns supplied end before the period does (e.g. a calendar year to December
    with returns only to March), so readers know the later months are not in the figures; else ""."""
    years = data.episodes["return_year"].dropna()
    if years.empty:
        return ""
    data_end = date(int(years.max()), 3, 31)
    if data_end >= period.end:
        return ""
    return (
        f"**Note:** the SSDA903 returns supplied run to {day_label(data_end)}, before the end of this period "
        f"({day_label(period.end)}). Figures for later dates show the position recorded at {day_label(data_end)} "
        "and counts over the period miss anything after it."
    )


def percent_chart(
    labels: list[str],
    previous: list[float | None],
    current: list[float | None],
    years: tuple[str, str],
    *,
    xlabel: str,
    title: str,
    subject: str,
) -> tuple[plt.Figure, str]:
    """Paired bars of two years' percentages, and alt text giving this year's figures (hidden ones left out)."""
    fig = paired_bar_chart(labels, previous, current, years, xlabel=xlabel, title=title)
    parts = [
        f"{label[0].lower()}{label[1:]} {fmt_pct(v)}"
        for label, v in zip(labels, current, strict=True)
        if v is not None
    ]
    alt = f"Bar chart of {subject} in {years[0]} and {years[1]}. In {years[1]}: " + "; ".join(parts) + "."
    return fig, alt
