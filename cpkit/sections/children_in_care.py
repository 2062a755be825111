"""Section 1, children in care: the month-by-month count and the movement table.

Every figure in the sentences comes from the same movements table the section prints, so the words
and the table cannot disagree.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cpkit.config import Config
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.narrative import Narrative, fmt_number, fmt_pct
from cpkit.present.suppression import is_small, suppress_value

ROW_LABELS = {
    "start": "Children in care at the start of the month",
    "end": "Children in care at the end of the month",
    "admissions": "Admissions (periods of care that started)",
    "ceased": "Ceased (periods of care that ended)",
    "net": "Net change",
}


def month_label(month: str) -> str:
    """ "2024-04" -> "Apr 2024"."""
    return pd.Period(month, "M").strftime("%b %Y")


def movement_table(movements: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The movement table as published: one column per month, counts under the small-number rule.

    A month's admissions or ceased below the threshold is hidden; because start + admissions - ceased
    = end, hiding only one of the two would let a reader work it back, so both are hidden then.
    """
    t, sym = config.small_number_threshold, config.suppression_symbol
    columns: dict[str, list[str]] = {"Measure": list(ROW_LABELS.values())}
    for row in movements.itertuples(index=False):
        hide_flows = is_small(row.admissions, t) or is_small(row.ceased, t)
        cells = [
            suppress_value(row.start, t, sym),
            suppress_value(row.end, t, sym),
            _flow(row.admissions, hide_flows, t, sym),
            _flow(row.ceased, hide_flows, t, sym),
            f"{row.net:+d}" if row.net else "0",
        ]
        columns[month_label(row.month)] = cells
    return pd.DataFrame(columns)


def _flow(n: int, hide: bool, threshold: int, symbol: str) -> str:
    if hide and n != 0:
        return symbol
    return suppress_value(n, threshold, symbol)


def stock_chart(movements: pd.DataFrame, la_name: str) -> tuple[plt.Figure, str]:
    """Line chart of children in care at the end of each month, and alt text stating its message."""
    labels = [month_label(m) for m in movements["month"]]
    values = movements["end"].tolist()
    with chart_style():
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.plot(labels, values, marker="o", color=af_colours(1)[0], linewidth=2)
        ax.set_ylim(0, max(values + [1]) * 1.15)
        ax.set_ylabel("Children in care")
        ax.set_title(f"Children in care at the end of each month, {la_name}", loc="left")
        for x, y in ((labels[0], values[0]), (labels[-1], values[-1])):
            ax.annotate(fmt_number(y), (x, y), textcoords="offset points", xytext=(0, 8), ha="center")
        ax.tick_params(axis="x", labelrotation=45)
        fig.tight_layout()
    low = movements.loc[movements["end"].idxmin()]
    high = movements.loc[movements["end"].idxmax()]
    alt = (
        f"Line chart of the number of children in care at the end of each month from {labels[0]} to "
        f"{labels[-1]}. It went from {fmt_number(values[0])} to {fmt_number(values[-1])}; the lowest was "
        f"{fmt_number(low['end'])} in {month_label(low['month'])} and the highest {fmt_number(high['end'])} in "
        f"{month_label(high['month'])}."
    )
    return fig, alt


def headline_sentences(movements: pd.DataFrame, narrative: Narrative) -> list[str]:
    """The section's sentences: change over the period, flows, busiest month, the short-breaks rule."""
    first, last = int(movements["start"].iloc[0]), int(movements["end"].iloc[-1])
    diff = last - first
    change = narrative.change(first, last)
    if change == narrative.templates["change"]["stable"]:
        opening = narrative.say(
            "children_in_care.stock_flat",
            change=change,
            start=narrative.count(first),
            end=narrative.count(last),
        )
    else:
        pct = fmt_pct(100 * diff / first, 1) if first else "n/a"
        opening = narrative.say(
            "children_in_care.stock_change",
            change=change,
            start=narrative.count(first),
            end=narrative.count(last),
            diff=f"{diff:+,d}",
            pct=pct,
        )
    admissions, ceased = int(movements["admissions"].sum()), int(movements["ceased"].sum())
    flows = narrative.say(
        "children_in_care.flows",
        admissions=narrative.count(admissions),
        ceased=narrative.count(ceased),
        avg_admissions=fmt_number(admissions / len(movements), 1),
    )
    sentences = [opening, flows]
    busiest = movements.loc[movements["admissions"].idxmax()]
    if busiest["admissions"] > 0 and not is_small(
        busiest["admissions"], narrative.config.small_number_threshold
    ):
        sentences.append(
            narrative.say(
                "children_in_care.busiest",
                month=month_label(busiest["month"]),
                n=narrative.count(int(busiest["admissions"])),
            )
        )
    return sentences
