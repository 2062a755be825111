"""Section 7, the scorecard: every headline measure on one page, this year against last, target, England
and statistical neighbours, grouped by theme.

Nothing is computed here. The figures come from the run's figures table through ``cpkit.figures.headline``
(own figures, published figures, ranks and the judgement, made once in the prepare step) and the council's
local KPI file; the judgement rule is ``cpkit.present.judgement``; the text of a figure is
``cpkit.present.figure_text``; the chart is ``cpkit.sections.scorecard_chart``. This module lays out the
table, its note and the theme sentences.
"""

from __future__ import annotations

import pandas as pd

from cpkit.config import Config
from cpkit.figures.headline import Headline, gather
from cpkit.present import comparators
from cpkit.present.disclosure import rule_note
from cpkit.present.figure_text import (
    PERIOD_COVERED,
    figure_unit,
    fmt_published,
    fmt_value,
    join_names,
    lower_first,
    own_and_published,
    period_covered,
    published_flag,
    quartile_text,
    shown,
    upper_first,
    visible,
)
from cpkit.present.judgement import Thresholds, amber_words
from cpkit.present.narrative import Narrative
from cpkit.publish import figure as published
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.figure import Figure

RAG_CLASS = {"Green": "rag rag-green", "Amber": "rag rag-amber", "Red": "rag rag-red"}

__all__ = ["Headline", "gather", "introduction", "scorecard_table", "table_note", "theme_sentences"]


def _rank_cells(row: pd.Series) -> tuple[Figure, Figure, str]:
    """The rank, how many councils were ranked (typed ``Figure`` cells) and the quartile (words), each its
    own cell ("9", "21", ""); not applicable without a rank (no better direction, or no published figure)."""
    if pd.isna(row["rank"]) or not row["ranked"]:
        why = "not ranked: no better direction, or no published figure to rank"
        return published.not_applicable("number", why), published.not_applicable("count", why), ""
    rank, ranked = int(row["rank"]), int(row["ranked"])
    return (
        published.shown(f"{rank}", rank, "number"),
        published.shown(f"{ranked}", ranked, "count"),
        quartile_text(row),
    )


NOT_AVAILABLE = "n/a"


def _own(row: pd.Series, config: Config, which: str = "") -> str:
    """The council's figure as printed, or "n/a" where the data cannot give it for a reason the table's
    note gives (``not_available_note``), e.g. a measure reaching back before the first return. A count
    carries its document key and a percentage the keys of its counts (the row's, ``cpkit.figures.keys``:
    children in care at 31 March is the Total of the other sections' breakdowns), so the report's audit
    reads them with the same figures printed elsewhere."""
    reason = str(row.get(f"{which}reason", "") or "")
    if pd.isna(row[f"{which}value"]) and reason:
        return published.not_available(figure_unit(str(row["unit"])), reason, NOT_AVAILABLE)
    return shown(row, config, which, period=False)


def not_available_note(card: Headline) -> str:
    """ "n/a: not available. Days from care to an adoptive family (A1), 2023-24: counts the 3 years ..." for
    every figure the table shows as n/a, so a gap is never a silent blank."""
    p = card.period
    items = []
    for _, row in card.frame.iterrows():
        for which, label in (("previous_", p.previous().label), ("", p.label)):
            reason = str(row.get(f"{which}reason", "") or "")
            if pd.isna(row[f"{which}value"]) and reason:
                items.append(f"{upper_first(str(row['short']))}, {label}: {reason}")
    if not items:
        return ""
    return "n/a: the data cannot give the figure. " + "; ".join(items) + "."


def scorecard_table(card: Headline, config: Config) -> tuple[pd.DataFrame, dict[str, dict[int, str]]]:
    """The published scorecard (text cells, small numbers hidden) and the RAG colour classes.

    A theme row heads each group, so the table reads by theme without colour or indentation. One value a
    cell: the neighbours' average and how many councils it averages, a rank and how many were ranked, a
    local figure and the period it covers (where not the column's year), and where own data and the DfE's
    published figure differ, the two figures, are separate columns; the "Period covered", "Quartile" and
    the two own-against-published figure columns are there only when some row fills them.
    """
    frame, period = card.frame, card.period
    bench = f" ({card.bench_label}, published)" if card.bench_label else ""
    check_label = card.bench_label if card.bench_differs else ""
    labels = (period.previous().label, period.label)
    cols: dict[str, list[str]] = {
        "Indicator": [],
        labels[0]: [],
        labels[1]: [],
        PERIOD_COVERED: [],
        "Direction of travel": [],
        "Target": [],
        "RAG against target": [],
        f"England{bench}": [],
        f"Statistical neighbours{bench}": [],
        NEIGHBOURS_AVERAGED: [],
        f"Rank among councils{bench}": [],
        COUNCILS_RANKED: [],
        "Quartile": [],
        "Own data against published": [],
        OWN_CHECKED + (f" ({check_label})" if check_label else ""): [],
        PUBLISHED_OWN: [],
    }
    keys = list(cols)
    classes: dict[int, str] = {}
    for theme, rows in frame.groupby("theme", sort=False):
        cols["Indicator"].append(upper_first(str(theme)))
        for k in keys[1:]:
            cols[k].append("")
        for _, row in rows.iterrows():
            both = visible(row, config) and visible(row, config, "previous_")
            status = row["rag"] if visible(row, config) else ""
            if status:
                classes[len(cols["Indicator"])] = RAG_CLASS[status]
            n = int(row["neighbour_n"]) if not pd.isna(row["neighbour_n"]) else 0
            values = [
                row["label"],
                _own(row, config, "previous_"),
                _own(row, config),
                period_covered(row, labels),
                row["direction_label"] if both else "",
                fmt_value(row["target"], row["unit"], int(row["decimals"]))
                if pd.notna(row["target"])
                else published.not_applicable(figure_unit(str(row["unit"])), "no target set"),
                status,
                fmt_published(row["england"], row["unit"]),
                fmt_value(row["neighbour_avg"], row["unit"], 1 if row["unit"] != "number" else 0)
                if n
                else "",
                published.shown(f"{n}", n, "count")
                if n
                else published.not_available("count", "no statistical neighbour's figure is published"),
                *_rank_cells(row),
                published_flag(row, config, check_label),
                *own_and_published(row, config),
            ]
            for k, v in zip(keys, values, strict=True):
                cols[k].append(v)
    table = typed_frame(cols)
    optional = (PERIOD_COVERED, "Quartile", keys[-2], PUBLISHED_OWN)  # there only when some row fills them
    empty = [c for c in optional if not table[c].astype(bool).any()]
    table = table.drop(columns=empty)
    # the registry measures it shows (an SSDA903 row's indicator is its registry id; a local KPI has
    # none), for the block
    table.attrs["measures"] = [
        str(i) for i, src in zip(frame["indicator"], frame["source"], strict=True) if src == "SSDA903"
    ]
    return table, {"RAG against target": classes}


NEIGHBOURS_AVERAGED = "Neighbours averaged"
COUNCILS_RANKED = "Councils ranked"
# where own data and the published figure differ, each in its own column (the year where it is not 2024-25)
OWN_CHECKED = "From the council's return"
PUBLISHED_OWN = "Published by the DfE"


def table_note(card: Headline, config: Config) -> str:
    """Definitions, sources, the judgement rule and which year the published figures are for."""
    p = card.period
    t = Thresholds.from_config(config)
    parts = [
        f"Figures for {p.previous().label} and {p.label} are the council's own: SSDA903 measures are worked out "
        "from its returns (the DfE's definitions, as the kit's measure registry sets them out) and local measures come from its KPI file.",
        "Direction of travel compares the two years as printed: better or worse where a higher or lower "
        f"figure is the better one, higher or lower where neither is; a change under {t.stable:.0%} of last "
        "year's figure is about the same.",
        f"RAG against target: Green meets the target; Amber is {amber_words(t)}; Red is further off.",
    ]
    if card.frame.apply(lambda r: bool(period_covered(r, (p.previous().label, p.label))), axis=1).any():
        parts.append(
            f"{PERIOD_COVERED}: the period a local measure's figures are for, where it is not the column's year "
            "(a part of the year when the KPI file has no full-year figure)."
        )
    if card.bench_year:
        parts.append(
            f"England, statistical neighbours (the average of the neighbours' published values; how many were "
            f"published is under {NEIGHBOURS_AVERAGED}) and rank (out of the {COUNCILS_RANKED.lower()}) are the DfE's published figures for the year ending 31 March "
            f"{card.bench_year} ({card.bench_label}). Rates and percentages with a better direction only are "
            "ranked, 1 being the best, out of the councils with a published figure; a measure where a higher "
            "figure is neither better nor worse (such as the rate per 10,000 children) has no rank."
        )
        notes = sorted({n for n in card.frame["quartile_note"].dropna() if n.startswith("no quartile")})
        if notes:
            parts.append(upper_first(notes[0].replace("no quartile: ", "No quartile is given: ")) + ".")
        if card.bench_differs:
            parts.append(
                f"The published figures do not cover exactly {p.label}; the own-data check compares the "
                f"council's figure for {card.bench_label} with the published one."
            )
        parts.append(
            "Own data against published: where the council's figure, rounded as the DfE rounds, is not the "
            f"published figure, it says Differs and both are shown, under {OWN_CHECKED} and {PUBLISHED_OWN}; "
            "a gap usually means the return was amended after submission or the local extract differs from it."
        )
    parts.append(rule_note(config))
    gaps = not_available_note(card)
    if gaps:
        parts.append(gaps)
    missing = comparators.missing_note(card.frame, card.bench_label)
    return " ".join(parts + ([missing] if missing else []) + card.notes + [c.text for c in card.contrasts])


def theme_sentences(card: Headline, narrative: Narrative) -> list[str]:
    """One plain-English line per theme, from the figures in the table."""
    config = narrative.config
    out = []
    for theme, rows in card.frame.groupby("theme", sort=False):
        # (verdict, comparators judged) -> names: "better than England and statistical neighbours" only
        # where both are published for the measure, else "better than statistical neighbours".
        groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        met = total = 0
        red: list[str] = []
        for _, row in rows.iterrows():
            if not visible(row, config):
                continue
            where = comparators.standing(row)
            if where.verdict:
                groups.setdefault((where.verdict, where.against), []).append(lower_first(row["short"]))
            status = row["rag"]
            if status:
                total += 1
                met += status == "Green"
                if status == "Red":
                    red.append(lower_first(row["short"]))
        order = {"better": 0, "worse": 1, "mixed": 2}
        parts = [
            narrative.say(f"scorecard.{verdict}", names=join_names(names))
            if against == (comparators.ENGLAND, comparators.NEIGHBOURS)
            else narrative.say(
                f"scorecard.{verdict}_one",
                against=comparators.against_words(against),
                names=join_names(names),
            )
            for (verdict, against), names in sorted(
                groups.items(), key=lambda kv: (order[kv[0][0]], -len(kv[0][1]))
            )
        ]
        if total:
            parts.append(
                narrative.say(
                    "scorecard.targets",
                    met=met,
                    total=total,
                    measures="measure" if total == 1 else "measures",
                )
            )
            if red:
                parts.append(narrative.say("scorecard.red", names=join_names(red)))
        if not parts:
            parts.append(narrative.say("scorecard.nothing"))
        text = "; ".join(parts)
        out.append(narrative.say("scorecard.theme", theme=upper_first(str(theme)), text=text))
    return out


def introduction(card: Headline, narrative: Narrative) -> str:
    """What the section covers and, when they differ, which DfE year it is compared with.

    It prints no figure (periods only), and ``theme_sentences``' counts are of measures ("2 of 3
    measures met their target"), not of children: neither carries a figure for the report's disclosure
    audit (``cpkit.publish.text``); the figures they speak of are the scorecard table's, audited there."""
    text = f"This scorecard covers {card.period.long_label}, against {card.period.previous().label}."
    if card.bench_differs:
        text += " " + narrative.say(
            "scorecard.calendar_note",
            period=card.period.label,
            bench=f"the year ending 31 March {card.bench_year} ({card.bench_label})",
        )
    return text
