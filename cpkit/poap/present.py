"""The quarter's page as officers read it: one table of indicators with trends, and the exceptions list.

Everything published passes the small-number rule through ``Page.published`` (``cpkit.poap.page``): a change,
a direction and a RAG are shown only when both the figures they rest on are; each quarter of the eight-quarter
trend is suppressed on its own, and a suppressed quarter is a gap in the sparkline, named as such in its text
alternative. RAG and direction are always written as words; the colour only repeats them.
"""

from __future__ import annotations

import html

import pandas as pd

from cpkit.config import Config
from cpkit.poap.page import FIGURE_UNIT, Page, counts_children, fmt
from cpkit.present import judgement
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.figure import Figure

SPARK_W, SPARK_H = 96, 22
RAG_CLASS = {judgement.GREEN: "rag rag-green", judgement.AMBER: "rag rag-amber", judgement.RED: "rag rag-red"}


def _direction(then: float | None, now: float | None, row: dict, config: Config) -> str:
    """The one judgement rule's direction ("Better ↑", "About the same →"), at the printed precision."""
    if now is None or then is None:
        return ""
    way = judgement.direction(
        then,
        now,
        row["polarity"],
        judgement.decimals_for(row["unit"], row.get("decimals")),
        judgement.Thresholds.from_config(config),
    )
    return way.label


def _rag(now: float | None, row: dict, config: Config) -> str:
    """Green / Amber / Red against the local target by the one rule ("" without a target or a figure)."""
    if now is None:
        return ""
    return judgement.rag(
        now, row["target"], row["polarity"], row["unit"], judgement.decimals_for(row["unit"], row.get("decimals")),
        judgement.Thresholds.from_config(config),
    )  # fmt: skip


CHANGE = "Change (points)"


def _change(page: Page, row: dict) -> Figure | str:
    """The change since last year: "+3" (percentage points for a percentage, the unit in the heading and
    the note; number for a count), "" unless both its ends are shown."""
    now, then = (
        page.published.value(row["measure"], page.quarter),
        page.published.value(row["measure"], page.last_year),
    )
    if now is None or then is None:
        return ""  # a change is shown only when both its ends are
    diff = now - then
    unit = "points" if row["unit"] == "percent" else FIGURE_UNIT.get(row["unit"], "number")
    return judgement.printed_change(diff, 0, unit)


def _trend(page: Page, measure: str) -> list[tuple[str, float | None]]:
    """(quarter, value where published else None) for the last eight quarters, oldest first."""
    rows = page.trends[page.trends["measure"] == measure].sort_values("quarter_end")
    return [(q, page.published.value(measure, q)) for q in rows["quarter"]]


def sparkline(points: list[tuple[str, float | None]], unit: str, label: str) -> str:
    """A small inline SVG of the last eight quarters, with the values in its text alternative."""
    known = [v for _, v in points if v is not None]
    if len(known) < 2:
        return "not enough quarters"
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    step = (SPARK_W - 4) / max(1, len(points) - 1)

    def xy(i: int, v: float) -> str:
        return f"{2 + i * step:.1f},{SPARK_H - 2 - (v - lo) / span * (SPARK_H - 4):.1f}"

    segments, current = [], []
    for i, (_, v) in enumerate(points):
        if v is None:  # a withheld quarter is a gap, not a guess
            if current:
                segments.append(current)
            current = []
        else:
            current.append(xy(i, v))
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(seg)}" fill="none" stroke="#12436D" stroke-width="1.5"/>'
        for seg in segments
    )
    last = points[-1][1]
    dot = ""
    if last is not None:
        x, y = xy(len(points) - 1, last).split(",")
        dot = f'<circle cx="{x}" cy="{y}" r="2" fill="#12436D"/>'
    words = ", ".join(f"{q} {fmt(v, unit) if v is not None else 'withheld'}" for q, v in points)
    text = html.escape(f"{label}, last eight quarters: {words}")
    return (
        f'<svg class="cp-spark" role="img" aria-label="{text}" width="{SPARK_W}" height="{SPARK_H}" '
        f'viewBox="0 0 {SPARK_W} {SPARK_H}"><title>{text}</title>{lines}{dot}</svg>'
    )


def indicator_table(
    page: Page, config: Config
) -> tuple[pd.DataFrame, dict[str, dict[int, str]], pd.DataFrame]:
    """The page's table (with sparkline markup), its RAG cell classes, and the same table as plain data."""
    q, last = page.quarter, page.last_year
    pub = page.published
    rows, data_rows, classes = [], [], {"Against target": {}}
    for i, row in enumerate(page.rows.to_dict("records")):
        mid = row["measure"]
        now, then = pub.value(mid, q), pub.value(mid, last)
        way = _direction(then, now, row, config)
        judged = _rag(now, row, config)
        if judged:
            classes["Against target"][i] = RAG_CLASS[judged]
        trend = _trend(page, mid)
        common = {
            "Indicator": row["label"],
            q: pub.text(mid, q),
            last: pub.text(mid, last),
            CHANGE: _change(page, row),
            "Direction": way,
        }
        tail = {
            "England": fmt(row["england"], row["unit"]) if pd.notna(row["england"]) else "",
            "Neighbours": fmt(row["neighbours"], row["unit"]) if pd.notna(row["neighbours"]) else "",
            "Target": fmt(row["target"], row["unit"]) if pd.notna(row["target"]) else "",
            "Against target": judged or "",
            "Source": row["source"],
        }
        rows.append({**common, "Last 8 quarters": sparkline(trend, row["unit"], row["label"]), **tail})
        data_rows.append({**common, **{qq: pub.text(mid, qq) for qq, _ in trend}, **tail})
    return typed_frame(rows), classes, typed_frame(data_rows)


def headline_sentences(page: Page, config: Config) -> list[str]:
    """Sentences on the quarter's main movements, from the same published figures (a withheld figure is
    worded without its number, and no direction is given for it)."""
    pub, q, last = page.published, page.quarter, page.last_year
    out = []
    for mid, phrase in (
        ("entered_quarter", "children entered care"),
        ("cla_at_end", "children were in care at the end of the quarter"),
    ):
        now, then = pub.value(mid, q), pub.value(mid, last)
        if now is None:
            out.append(
                f"In {q}, the number of {phrase.split(' ', 1)[0]} who {phrase.split(' ', 1)[1]} is withheld under the small-number rule."
            )
        elif then is None:
            out.append(f"In {q}, {fmt(now, 'number')} {phrase}.")
        else:
            out.append(f"In {q}, {fmt(now, 'number')} {phrase}, against {fmt(then, 'number')} in {last}.")
    judged = [_rag(pub.value(r["measure"], q), r, config) for r in page.rows.to_dict("records")]
    judged = [j for j in judged if j]
    if judged:
        met = judged.count(judgement.GREEN)
        out.append(f"{met} of the {len(judged)} indicators with a local target met it this quarter.")
    return out


def exceptions_caption(page: Page) -> str:
    return f"Action plan exceptions in {page.period.label} ({page.period.long_label})"


def show_indicator_table(page: Page, config: Config) -> None:
    """Display the indicator table; its plain data (each quarter's value in its own column) goes to the
    data download instead of the sparkline markup."""
    from IPython.display import display

    from cpkit.present.tables import BLOCK_MIME, block_slug, table_block, table_html

    frame, classes, data = indicator_table(page, config)
    caption = f"Key indicators, {page.quarter} against {page.last_year}"
    households = [r for r in page.rows["measure"] if r and not counts_children(r)]
    covers = (
        " The rule covers counts of children; counts of foster carer households are shown in full."
        if households
        else ""
    )
    note = (
        f"{page.published.rule.note()}{covers} A change or direction is shown only when both its figures are; "
        "a change is in percentage points for a percentage and in number for a count. "
        f"Against target: Green meets it, Amber is {judgement.amber_words(judgement.Thresholds.from_config(config))}, "
        "Red is further short; in words, the colour repeats it."
    )
    block = block_slug(caption)
    display(
        {
            "text/html": table_html(
                frame, caption, classes=classes, note=note, markup_columns={"Last 8 quarters"}, block=block
            ),
            BLOCK_MIME: table_block(data, caption, note=note, block_id=block).to_json(),
        },
        raw=True,
    )
