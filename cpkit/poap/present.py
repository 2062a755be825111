"""The quarter's page as officers read it: one table of indicators with trends, and the exceptions list.

Everything published passes the small-number rule in ``cpkit.poap.page`` (``published_value``): a change,
a direction and a RAG are shown only when both the figures they rest on are; each quarter of the eight-quarter
trend is suppressed on its own, and a suppressed quarter is a gap in the sparkline, named as such in its text
alternative. RAG and direction are always written as words; the colour only repeats them.
"""

from __future__ import annotations

import html

import pandas as pd

from cpkit.config import Config
from cpkit.poap.page import Page, fmt, is_shown, published_value
from cpkit.sections.education import MET, MISSED, NEAR, RAG_CLASSES, direction, rag

SPARK_W, SPARK_H = 96, 22


def _change(row: pd.Series, config: Config) -> str:
    if not (is_shown(row, "", config) and is_shown(row, "previous_", config)):
        return ""
    diff = row["value"] - row["previous_value"]
    if row["unit"] == "percent":
        return f"{diff:+.0f} pts"
    return f"{diff:+,.0f}"


def _trend_values(
    page: Page, measure: str, unit: str, average_of: bool, config: Config
) -> list[tuple[str, float | None]]:
    """(quarter, value shown or None when hidden) for the last eight quarters, oldest first."""
    rows = page.trends[page.trends["measure"] == measure].sort_values("quarter_end")
    out = []
    for r in rows.itertuples(index=False):
        rec = {"value": r.value, "numerator": r.numerator, "denominator": r.denominator, "unit": unit,
               "average_of": average_of}  # fmt: skip
        out.append((r.quarter, float(r.value) if is_shown(rec, "", config) else None))
    return out


def sparkline(points: list[tuple[str, float | None]], unit: str, label: str) -> str:
    """A small inline SVG of the last eight quarters, with the values in its text alternative."""
    known = [v for _, v in points if v is not None]
    if len(known) < 2:
        return "not enough quarters"
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    step = (SPARK_W - 4) / max(1, len(points) - 1)
    segments, current = [], []
    for i, (_, v) in enumerate(points):
        if v is None:
            if current:
                segments.append(current)
            current = []
            continue
        x = 2 + i * step
        y = SPARK_H - 2 - (v - lo) / span * (SPARK_H - 4)
        current.append(f"{x:.1f},{y:.1f}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(s)}" fill="none" stroke="#12436D" stroke-width="1.5"/>'
        for s in segments
    )
    last = points[-1][1]
    dot = ""
    if last is not None:
        x = 2 + (len(points) - 1) * step
        y = SPARK_H - 2 - (last - lo) / span * (SPARK_H - 4)
        dot = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#12436D"/>'
    words = ", ".join(f"{q} {fmt(v, unit) if v is not None else 'suppressed'}" for q, v in points)
    text = html.escape(f"{label}, last eight quarters: {words}")
    return (
        f'<svg class="cp-spark" role="img" aria-label="{text}" width="{SPARK_W}" height="{SPARK_H}" '
        f'viewBox="0 0 {SPARK_W} {SPARK_H}"><title>{text}</title>{lines}{dot}</svg>'
    )


def indicator_table(
    page: Page, config: Config
) -> tuple[pd.DataFrame, dict[str, dict[int, str]], pd.DataFrame]:
    """The page's table (with sparkline markup), its RAG cell classes, and the same table as plain data."""
    q, last = page.period.label, page.period.previous().label
    rows, data_rows, classes = [], [], {"Against target": {}}
    for i, row in enumerate(page.rows.to_dict("records")):
        shown_now, shown_then = is_shown(row, "", config), is_shown(row, "previous_", config)
        trend = _trend_values(page, row["measure"], row["unit"], row["average_of"], config)
        way = (
            direction(row["previous_value"], row["value"], row["polarity"], config)
            if shown_now and shown_then
            else ""
        )
        target = row["target"]
        judged = rag(row["value"], target, row["polarity"], row["unit"]) if shown_now else None
        if judged:
            classes["Against target"][i] = RAG_CLASSES[judged]
        england = fmt(row["england"], row["unit"]) if pd.notna(row["england"]) else ""
        neighbours = fmt(row["neighbours"], row["unit"]) if pd.notna(row["neighbours"]) else ""
        common = {
            "Indicator": row["label"],
            q: published_value(row, "", config),
            last: published_value(row, "previous_", config),
            "Change": _change(row, config),
            "Direction": way,
        }
        tail = {
            "England": england,
            "Neighbours": neighbours,
            "Target": fmt(target, row["unit"]) if pd.notna(target) else "",
            "Against target": judged or "",
            "Source": row["source"],
        }
        rows.append({**common, "Last 8 quarters": sparkline(trend, row["unit"], row["label"]), **tail})
        data_rows.append(
            {**common, **{qq: (fmt(v, row["unit"]) if v is not None else "[c]") for qq, v in trend}, **tail}
        )
    return pd.DataFrame(rows), classes, pd.DataFrame(data_rows)


def headline_sentences(page: Page, config: Config) -> list[str]:
    """Two or three sentences on the quarter's main movements, from the same published figures."""
    by_id = page.rows.set_index("measure")
    out = []
    q, last = page.period.label, page.period.previous().label
    for mid, phrase in (
        ("entered_quarter", "children entered care"),
        ("cla_at_end", "children were in care at the end of the quarter"),
    ):
        if mid not in by_id.index:
            continue
        row = by_id.loc[mid].to_dict() | {"measure": mid}
        now, then = published_value(row, "", config), published_value(row, "previous_", config)
        out.append(f"In {q}, {now} {phrase}, against {then} in {last}.")
    met = sum(
        1
        for row in page.rows.to_dict("records")
        if is_shown(row, "", config) and rag(row["value"], row["target"], row["polarity"], row["unit"]) == MET
    )
    judged = sum(
        1
        for row in page.rows.to_dict("records")
        if is_shown(row, "", config)
        and rag(row["value"], row["target"], row["polarity"], row["unit"]) in (MET, NEAR, MISSED)
    )
    if judged:
        out.append(f"{met} of the {judged} indicators with a local target met it this quarter.")
    return out


def exceptions_caption(page: Page) -> str:
    return f"Action plan exceptions in {page.period.label} ({page.period.long_label})"


def show_indicator_table(page: Page, config: Config) -> None:
    """Display the indicator table; its plain data (each quarter's value in its own column) goes to the
    data download instead of the sparkline markup."""
    from IPython.display import display

    from cpkit.present.tables import DATA_MIME, table_html, table_payload

    frame, classes, data = indicator_table(page, config)
    caption = f"Key indicators, {page.period.label} against {page.period.previous().label}"
    note = (
        f"{config.suppression_symbol} and [c]: figures withheld under the small-number rule (counts from 1 to "
        f"{config.small_number_threshold - 1}, and shares or averages resting on them); a change or direction "
        "is shown only when both figures are. Against target is in words; the colour repeats it."
    )
    display(
        {
            "text/html": table_html(
                frame, caption, classes=classes, note=note, markup_columns={"Last 8 quarters"}
            ),
            DATA_MIME: table_payload(data, caption),
        },
        raw=True,
    )
