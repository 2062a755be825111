"""The action plan section of the report: progress chart with alt text, narrative, tables.

Status is always written as text; colour only repeats it. Table cells carry the CSS classes
``rag rag-complete`` / ``rag-in-progress`` / ``rag-delayed`` / ``rag-awaiting-start`` / ``rag-unknown``
(the report's stylesheet gives them light fills under dark text). The chart uses the Analysis Function
palette, labels each segment with its count in a colour of enough contrast, and names the statuses
in a legend; its alt text is generated from the same counts.

"New" actions: marked new in the tracker, or whose first dated update falls in the reporting period
(see :func:`cpkit.actions.summary.new_actions`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date

import matplotlib.pyplot as plt
import pandas as pd
from dateutil.relativedelta import relativedelta

from cpkit.actions.read import effective_due
from cpkit.actions.statuses import STATUSES
from cpkit.actions.summary import NOT_MAPPED, UNKNOWN_THEN, new_actions, summary
from cpkit.present.sanitise import escape_markdown
from cpkit.publish import figure as published
from cpkit.publish.figure import Figure, Status

# Analysis Function categorical colours (dark blue, turquoise, orange) and a neutral grey.
CHART_COLOURS = {
    "complete": "#12436D",
    "in progress": "#28A197",
    "delayed": "#F46A25",
    "awaiting start": "#BFBFBF",
    UNKNOWN_THEN: "#E5E5E5",
    NOT_MAPPED: "#FFFFFF",
}
DARK_TEXT, LIGHT_TEXT = "#0B0C0C", "#FFFFFF"


@dataclass
class Table:
    """What ``cpkit.present.show_table`` needs: the frame, caption, RAG classes by column and a note."""

    frame: pd.DataFrame
    caption: str
    classes: dict[str, dict[int, str]] = field(default_factory=dict)
    note: str | None = None


def long_date(d: date | pd.Timestamp) -> str:
    """ "31 March 2025": how the narrative writes a date."""
    return f"{d.day} {d.strftime('%B %Y')}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def status_label(status: object, note: str = "", written: str = "") -> str:
    """The status as the report prints it: "In progress (at risk)"; unreadable ones say what was written."""
    if not isinstance(status, str):
        return f"Not recognised: {written}" if written else "No status given"
    label = status[0].upper() + status[1:]
    return f"{label} ({note})" if note else label


def status_class(status: object, note: object = "") -> str:
    """CSS classes for a status cell (the colour beside the text, never instead of it). An action in
    progress but "at risk" (the tracker's Amber) is shaded amber, not the green of on track: a reader who
    scans the colours must not take an at-risk action for a safe one."""
    name = status.replace(" ", "-") if isinstance(status, str) and status != UNKNOWN_THEN else "unknown"
    if name == "in-progress" and isinstance(note, str) and "at risk" in note:
        name = "at-risk"
    return f"rag rag-{name}"


def _status_classes(rows: pd.DataFrame) -> dict[int, str]:
    """The Status column's classes, row by row (``rows`` numbered from 0)."""
    pairs = zip(rows["status"], rows["status_note"], strict=True)
    return {i: status_class(status, note) for i, (status, note) in enumerate(pairs)}


def _text_colour(hex_colour: str) -> str:
    """Dark or white text, whichever has the higher WCAG contrast on the fill."""

    def lum(h: str) -> float:
        rgb = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    fill = lum(hex_colour)
    on_white = (1.05) / (fill + 0.05)
    on_dark = (fill + 0.05) / (lum(DARK_TEXT) + 0.05)
    return LIGHT_TEXT if on_white > on_dark else DARK_TEXT


def _status_counts(counts: pd.Series, columns: list[str]) -> str:
    parts = [f"{int(counts[c])} {c}" for c in columns if int(counts[c])]
    return _join(parts) if parts else "no actions"


# Layout of the progress chart, in inches: each priority's name sits on its own line(s) above its bar, so
# the bars always get the chart's whole width whatever the number or length of the priorities.
CHART_WIDTH = 8.0
BAR_HEIGHT = 0.36
LINE_HEIGHT = 0.22  # one line of a priority's name at 10 pt
ROW_GAP = 0.22
NAME_WRAP = 88  # characters per line of a priority's name at 10 pt across the chart's width
SEGMENT_LABEL_PAD = 4  # pixels: a count is drawn inside its segment only if it fits with this margin


def progress_data(plan: pd.DataFrame) -> pd.DataFrame:
    """The progress chart's data as published in the download: a row per priority and one for all of
    them, the actions in each status, under headings in words ("Priority title", "In progress")."""
    names = {"priority": "Priority", "priority_title": "Priority title", "total": "Total"}
    return summary(plan).rename(columns=lambda c: names.get(str(c), str(c)[:1].upper() + str(c)[1:]))


def progress_chart(plan: pd.DataFrame) -> tuple[plt.Figure, str]:
    """Bars by priority, stacked by status (colour, count label, legend); and alt text from the numbers.

    Readable at any number of priorities and actions: the figure grows with the priorities, names are
    written above their bars (never squeezing the bars), a count is drawn inside its segment only where it
    fits (so labels never overlap; every count is in the alt text and the chart's data table), and each
    bar ends with its total.
    """
    from cpkit.present.charts import chart_style

    table = summary(plan, total=False)
    statuses = [c for c in table.columns if c in STATUSES or c in (UNKNOWN_THEN, NOT_MAPPED)]
    names = [
        textwrap.fill(_priority_name(r.priority, r.priority_title), NAME_WRAP) for r in table.itertuples()
    ]
    # y positions from the top, in inches: name lines, then the bar, then a gap
    tops, y, bars = [], 0.0, []
    for name in names:
        lines = name.count("\n") + 1
        tops.append(y)
        bars.append(y + lines * LINE_HEIGHT + BAR_HEIGHT / 2)
        y += lines * LINE_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = max(y, 1.0)
    totals_by_row = table[statuses].sum(axis=1)
    widest = max(int(totals_by_row.max()) if len(table) else 0, 1)
    with chart_style():
        fig, ax = plt.subplots(figsize=(CHART_WIDTH, height + 1.4), layout="constrained")
        left = pd.Series(0, index=table.index)
        segments = []
        for status in statuses:
            colour = CHART_COLOURS[status]
            values = table[status]
            drawn = ax.barh(
                bars,
                values,
                left=left,
                height=BAR_HEIGHT,
                color=colour,
                edgecolor=DARK_TEXT,
                linewidth=0.6,
                label=status[0].upper() + status[1:],
            )
            segments += [(patch, int(v), colour) for patch, v in zip(drawn.patches, values, strict=True) if v]
            left = left + values
        for top, name in zip(tops, names, strict=True):
            ax.text(0, top, name, va="top", ha="left", fontsize=10, color=DARK_TEXT, gid="priority")
        for bar_y, total in zip(bars, totals_by_row, strict=True):
            ax.text(
                total + widest * 0.01, bar_y, f"{int(total)}", va="center", ha="left", fontsize=9, gid="total"
            )
        ax.set_ylim(height, 0)
        ax.set_xlim(0, widest * 1.08)
        ax.set_yticks([])
        ax.set_xlabel("Number of actions")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.spines["left"].set_visible(False)
        fig.legend(
            *ax.get_legend_handles_labels(),
            loc="outside lower center",
            ncol=min(len(statuses), 5),
            frameon=False,
            fontsize=9,
        )
        _segment_labels(fig, ax, segments)
    totals = summary(plan).iloc[-1]
    by_priority = "; ".join(
        f"{_priority_name(row['priority'], row['priority_title'])}: {_status_counts(row, statuses)}"
        for _, row in table.iterrows()
    )
    alt = (
        f"Bar chart of progress of the {_count(int(totals['total']), 'action')} across "
        f"{_count(len(table), 'priority', 'priorities')}: {_status_counts(totals, statuses)}. "
        f"By priority, {by_priority}."
    )
    return fig, alt


def _segment_labels(fig: plt.Figure, ax: plt.Axes, segments: list) -> None:
    """Each segment's count inside it, where the text fits with a margin: never over a neighbour."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    for patch, value, colour in segments:
        x, y = patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2
        label = ax.text(
            x, y, str(value), ha="center", va="center", fontsize=9, color=_text_colour(colour), gid="segment"
        )
        room = patch.get_window_extent(renderer)
        need = label.get_window_extent(renderer)
        if need.width + 2 * SEGMENT_LABEL_PAD > room.width or need.height > room.height:
            label.remove()


def _priority_name(number: object, title: str) -> str:
    if pd.isna(number):
        return title or "No priority"
    return f"Priority {int(number)}: {title}" if title else f"Priority {int(number)}"


def _how_long(due: pd.Timestamp, as_of: pd.Timestamp) -> str:
    gap = relativedelta(as_of.date(), due.date())
    months = gap.years * 12 + gap.months
    if months >= 1:
        return _count(months, "month")
    days = (as_of - due).days
    return _count(days, "day")


def narrative(
    plan: pd.DataFrame, start: date | str, end: date | str, as_of: date | str | pd.Timestamp
) -> list[str]:
    """The section's paragraphs (Markdown): counts, delayed actions and by how long, overdue, new.

    Their counts are of the Board's actions, not of children: no child can be worked out from them, so
    they are printed as they are (never "fewer than 5"), carry no document key and are not registered
    for the report's disclosure audit (``cpkit.publish.text``), which searches counts of children."""
    as_of_ts = pd.Timestamp(as_of).normalize()
    totals = summary(plan).iloc[-1]
    counts = [f"{int(totals[s])} {'are ' if i == 0 else ''}{s}" for i, s in enumerate(STATUSES)]
    n_priorities = plan["priority"].nunique()
    text = [
        f"There were {_count(len(plan), 'action')} across {_count(n_priorities, 'priority', 'priorities')}; "
        f"{_join(counts)}."
    ]
    then = int((plan["status"] == UNKNOWN_THEN).sum())
    if then:
        text[0] = (
            text[0][:-1] + f"; for {_count(then, 'action')} the tracker does not record the status then."
        )
    unknown = int(plan["status"].isna().sum())
    if unknown:
        text[0] = (
            text[0][:-1] + f"; {_count(unknown, 'action has', 'actions have')} no status that could be read."
        )
    at_risk = int(((plan["status"] == "in progress") & plan["status_note"].str.contains("at risk")).sum())
    if at_risk:
        text.append(
            f"Of the actions in progress, {_count(at_risk, 'is', 'are')} rated amber (at risk of delay)."
        )
    delayed = plan[plan["status"] == "delayed"]
    if len(delayed):
        lines = [f"{_count(len(delayed), 'action is', 'actions are')} delayed:"]
        lines += [f"- {_action_name(row)}: {_delay_phrase(row, as_of_ts)}." for _, row in delayed.iterrows()]
        text.append("\n".join(lines))
    else:
        text.append("No action is marked delayed.")
    late = plan[plan["overdue"] & ~plan["status"].isin(["delayed", UNKNOWN_THEN])]
    if len(late):
        names = [
            f"{_action_name(row)} (due {long_date(due)})"
            for (_, row), due in zip(late.iterrows(), effective_due(late), strict=True)
        ]
        other = "other " if len(delayed) else ""
        text.append(
            f"{len(late)} {other}{'action is' if len(late) == 1 else 'actions are'} past "
            f"{'its' if len(late) == 1 else 'their'} due date at {long_date(as_of_ts)} but not marked "
            f"delayed: {_join(names)}."
        )
    went_on = plan[plan["overdue"] & (plan["status"] == UNKNOWN_THEN)]
    if len(went_on):
        names = [
            f"{_action_name(row)} (due {long_date(due)})"
            for (_, row), due in zip(went_on.iterrows(), effective_due(went_on), strict=True)
        ]
        text.append(
            f"{_count(len(went_on), 'action')} whose work went on after {long_date(as_of_ts)} "
            f"{'was' if len(went_on) == 1 else 'were'} past {'its' if len(went_on) == 1 else 'their'} due "
            f"date then: {_join(names)}."
        )
    new = plan[new_actions(plan, start, end)]
    if len(new):
        text.append(
            f"{_count(len(new), 'action is', 'actions are')} new between {long_date(pd.Timestamp(start))} and "
            f"{long_date(pd.Timestamp(end))} (marked new, or first updated then): "
            f"{_join([_action_name(r) for _, r in new.iterrows()])}."
        )
    return [t[0].upper() + t[1:] for t in text]


def _action_name(row: pd.Series) -> str:
    """The action as the narrative (Markdown) names it: the tracker's words, escaped so they stay words."""
    return escape_markdown(f"{row['ref']} {row['action']}".strip() if row["ref"] else row["action"])


def _delay_phrase(row: pd.Series, as_of: pd.Timestamp) -> str:
    due, revised = row["due"], row["revised_due"]
    if pd.isna(due):
        return f"no due date given (lead: {escape_markdown(row['lead']) or 'not named'})"
    phrase = f"due {long_date(due)}"
    current = due if pd.isna(revised) else revised
    if not pd.isna(revised):
        phrase += f", revised to {long_date(revised)}"
    if current < as_of:
        phrase += f", {_how_long(current, as_of)} overdue at {long_date(as_of)}"
    else:
        phrase += ", not yet past its due date"
    return phrase


def _latest(row: pd.Series) -> str:
    """The latest entry with its date as written ("Feb-25: ..."): a month-only date is not given a day."""
    dated = [u for u in row["updates"] if u["date"] is not None]
    if not dated:
        return row["latest_update"]
    latest = max(reversed(dated), key=lambda u: u["date"])
    return f"{latest['written']}: {latest['text']}"


def _due_cell(row: pd.Series) -> Figure | str:
    """The due date as a date Figure ("31 Dec 2024"), or the tracker's words where it gives no date."""
    if pd.isna(row["due"]):
        return row["due_text"] or "Not given"
    return Figure(f"{row['due'].day} {row['due'].strftime('%b %Y')}", row["due"], "date")


def _revised_cell(row: pd.Series) -> Figure:
    """The revised due date, or nothing (not applicable: the date was not revised)."""
    if pd.isna(row["revised_due"]):
        return published.not_applicable("date", "the due date was not revised")
    return Figure(
        f"{row['revised_due'].day} {row['revised_due'].strftime('%b %Y')}", row["revised_due"], "date"
    )


NOT_OVERDUE = "Not overdue"
UNDER_A_MONTH = "under 1"


def months_overdue(due: pd.Timestamp, as_of: pd.Timestamp) -> Figure:
    """Whole months an action is past ``due`` at ``as_of`` (the table's "Overdue (months)": one number a
    cell, the unit in the heading), a ``Figure`` in months: "under 1" for fewer than a month (GSS [low]:
    it rounds to zero), "Not overdue" when not past it (not applicable, [z])."""
    if pd.isna(due) or due >= as_of:
        return published.not_applicable("months", "not past its due date", NOT_OVERDUE)
    gap = relativedelta(as_of.date(), due.date())
    months = gap.years * 12 + gap.months
    if months >= 1:
        return published.shown(f"{months}", months, "months")
    days = (as_of - due).days
    return Figure(UNDER_A_MONTH, days / 30.44, "months", 0, Status.LOW, f"{days} days: under a month")


def delayed_table(plan: pd.DataFrame, as_of: date | str | pd.Timestamp) -> Table:
    """Delayed and overdue actions with lead, due date (and the revised one), whole months overdue, status
    and latest update: one value a cell, so the workbook holds the months as a number."""
    as_of_ts = pd.Timestamp(as_of).normalize()
    rows = plan[(plan["status"] == "delayed") | plan["overdue"]].reset_index(drop=True)
    due = effective_due(rows)
    frame = pd.DataFrame(
        {
            "Ref": rows["ref"],
            "Action": rows["action"],
            "Lead": rows["lead"].replace("", "Not named"),
            "Due": pd.Series([_due_cell(r) for _, r in rows.iterrows()], dtype=object),
            "Revised due": pd.Series([_revised_cell(r) for _, r in rows.iterrows()], dtype=object),
            "Overdue (months)": pd.Series([months_overdue(d, as_of_ts) for d in due], dtype=object),
            "Status": [
                status_label(r["status"], r["status_note"], r["status_text"]) for _, r in rows.iterrows()
            ],
            "Latest update": [_latest(r) for _, r in rows.iterrows()],
        }
    )
    classes = {"Status": _status_classes(rows)}
    return Table(frame, f"Delayed and overdue actions at {long_date(as_of_ts)}", classes)


def _log(updates: list[dict]) -> str:
    """The progress log on one line, dates as written: "3/7/25: text. Jan-26: text." (no line breaks in
    report tables)."""
    parts = []
    for u in updates:
        text = u["text"].replace("\n", " ")
        text = text if text.endswith((".", "!", "?")) or not text else text + "."
        parts.append(f"{u['written']}: {text}" if u["written"] else text)
    return " ".join(parts)


def appendix_tables(plan: pd.DataFrame) -> list[Table]:
    """The whole plan, one table per priority, sub-objectives named in the note under it."""
    tables = []
    for number, rows in plan.groupby("priority", dropna=False, sort=True):
        rows = rows.reset_index(drop=True)
        title = next((t for t in rows["priority_title"] if t), "")
        frame = pd.DataFrame(
            {
                "Ref": rows["ref"],
                "Action": rows["action"],
                "Progress": [_log(u) for u in rows["updates"]],
                "Lead": rows["lead"],
                "By when": rows["due_text"],
                "Status": [
                    status_label(r["status"], r["status_note"], r["status_text"]) for _, r in rows.iterrows()
                ],
            }
        )
        objectives = [o for o in dict.fromkeys(rows["objective"]) if o]
        note = ("Sub-objectives: " + "; ".join(objectives) + ".") if objectives else None
        classes = {"Status": _status_classes(rows)}
        tables.append(Table(frame, f"Action plan, {_priority_name(number, title)}", classes, note))
    return tables


def problems_note(plan: pd.DataFrame) -> str:
    """One sentence on what the loader set aside, so the reader knows nothing was dropped unseen."""
    aside = plan.attrs.get("set_aside", {})
    structure = sum(aside.get(k, 0) for k in ("priority title", "sub-objective", "champions and leads"))
    other = sum(
        v for k, v in aside.items() if k not in ("priority title", "sub-objective", "champions and leads")
    )
    return (
        f"The tracker's {structure} heading rows (priorities, sub-objectives, champions) were used to "
        f"group the actions; {other} other rows (titles, blank rows, repeated headers, notes) were set aside."
    )
