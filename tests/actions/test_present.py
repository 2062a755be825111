import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from cpkit.actions import load_action_plan
from cpkit.actions.present import (
    _text_colour,
    appendix_tables,
    delayed_table,
    months_overdue,
    narrative,
    progress_chart,
    progress_data,
    status_class,
    status_label,
)
from cpkit.publish.figure import Status

AS_OF = "2025-03-31"


@pytest.fixture(scope="module")
def plan(hand_worked_files):
    return load_action_plan(hand_worked_files[".csv"], as_of=AS_OF)


def test_chart_alt_text_states_the_counts(plan):
    fig, alt = progress_chart(plan)
    plt.close(fig)
    assert alt.startswith(
        "Bar chart of progress of the 10 actions across 2 priorities: 2 complete, "
        "3 in progress, 2 delayed, 2 awaiting start and 1 status not recognised."
    )
    assert "Priority 1: Promoting success and aspiration: 1 complete and 2 in progress" in alt


def test_chart_segments_carry_their_counts(plan):
    fig, _ = progress_chart(plan)
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "segment"]
    plt.close(fig)
    assert sorted(labels) == sorted(["1", "2", "1", "1", "2", "2", "1"])
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Complete",
        "In progress",
        "Delayed",
        "Awaiting start",
        "Status not recognised",
    ]


def test_narrative(plan):
    text = narrative(plan, "2024-04-01", AS_OF, AS_OF)
    assert text[0] == (
        "There were 10 actions across 2 priorities; 2 are complete, 3 in progress, 2 delayed and "
        "2 awaiting start; 1 action has no status that could be read."
    )
    assert text[1] == "Of the actions in progress, 1 is rated amber (at risk of delay)."
    assert "- 2.1.1 Audit pathway plans: due 31 December 2024, 3 months overdue at 31 March 2025." in text[2]
    assert text[3].startswith(
        "1 other action is past its due date at 31 March 2025 but not marked delayed: "
        "1.1.2 Launch a celebration fund (due 31 December 2024)"
    )
    assert text[4].startswith("3 actions are new between 1 April 2024 and 31 March 2025")


def test_delayed_table_has_status_text_and_colour_class(plan):
    table = delayed_table(plan, AS_OF)
    assert table.frame["Ref"].tolist() == ["1.1.2", "2.1.1", "2.1.3"]
    assert table.frame["Status"].tolist() == ["In progress", "Delayed", "Delayed"]
    assert table.frame["Latest update"].tolist()[1] == "Mar-25: slipped, staff shortage"
    # due 31 December 2024, judged at 31 March 2025: 3 whole months; one number a cell, the unit in the heading
    overdue = table.frame["Overdue (months)"].tolist()
    assert overdue == ["3", "3", "3"] and [(f.value, f.unit) for f in overdue] == [(3, "months")] * 3
    assert "Overdue by" not in table.frame
    assert table.classes["Status"] == {0: "rag rag-in-progress", 1: "rag rag-delayed", 2: "rag rag-delayed"}


def test_appendix_one_table_per_priority(plan):
    tables = appendix_tables(plan)
    assert [t.caption for t in tables] == [
        "Action plan, Priority 1: Promoting success and aspiration",
        "Action plan, Priority 2: Leaving care and preparing for adulthood",
    ]
    assert tables[0].frame["Progress"].iloc[0] == "3/7/23: Venue booked. 15.10.24: Event held, 80 attended."
    assert tables[1].frame["Status"].tolist()[5] == "Not recognised: Purple"
    assert tables[0].note == "Sub-objectives: 1.1 To celebrate achievements."


def test_status_labels_and_classes():
    assert status_label("in progress", "at risk") == "In progress (at risk)"
    assert status_label(None, "", "") == "No status given"
    assert (
        status_class("awaiting start") == "rag rag-awaiting-start" and status_class(None) == "rag rag-unknown"
    )
    # The tracker's Amber ("in progress (at risk)") is shaded amber, never the green of on track.
    assert status_class("in progress", "at risk") == "rag rag-at-risk"
    assert status_class("in progress", "") == "rag rag-in-progress"


def test_the_stylesheet_shades_at_risk_amber_and_on_track_green():
    from cpkit.report.render import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    shade = dict(re.findall(r"\.rag-([a-z-]+) \{ background: (#[0-9a-f]{6})", css))
    assert shade["at-risk"] == shade["amber"] != shade["in-progress"] == shade["green"]


def test_segment_text_contrast():
    assert _text_colour("#12436D") == "#FFFFFF" and _text_colour("#BFBFBF") == "#0B0C0C"


def _many_priorities(n_priorities: int, seed: int = 7) -> pd.DataFrame:
    """A tracker with ``n_priorities`` long-named priorities and uneven counts: some statuses with one
    action beside others with forty, the case where labels used to collide."""
    rng = np.random.default_rng(seed)
    rows = []
    statuses = ["complete", "in progress", "delayed", "awaiting start"]
    for p in range(1, n_priorities + 1):
        title = f"Priority title number {p} about improving outcomes for children in care and care leavers"
        counts = rng.choice([0, 1, 1, 2, 3, 40], size=4)
        for status, count in zip(statuses, counts, strict=True):
            rows += [{"priority": p, "priority_title": title, "status": status}] * int(count)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n_priorities", [1, 6, 25])
def test_chart_labels_never_overlap_and_bars_keep_the_width(n_priorities):
    plan = _many_priorities(n_priorities)
    fig, _ = progress_chart(plan)
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    ax = fig.axes[0]
    texts = [t for t in ax.texts if t.get_text()]
    boxes = [(t.get_gid(), t.get_text(), t.get_window_extent(renderer)) for t in texts]
    overlaps = [
        (a[:2], b[:2])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[2].overlaps(b[2]) and a[2].intersection(a[2], b[2]).width > 0.5
    ]
    assert not overlaps, f"labels overlap: {overlaps[:5]}"
    for patch in ax.patches:  # every count drawn sits inside its own segment
        room = patch.get_window_extent(renderer)
        inside = [t for t in texts if t.get_gid() == "segment" and room.contains(*t.get_position())]
        for t in inside:
            box = t.get_window_extent(renderer)
            assert room.x0 <= box.x0 and box.x1 <= room.x1
    assert ax.get_window_extent(renderer).width > 0.8 * fig.bbox.width, "the bars get the chart's width"
    assert len([t for t in texts if t.get_gid() == "priority"]) == n_priorities
    totals = [int(t.get_text()) for t in texts if t.get_gid() == "total"]
    assert sum(totals) == len(plan)
    plt.close(fig)


def test_months_overdue_is_one_number_in_whole_months():
    as_of = pd.Timestamp("2025-03-31")
    # 30 November 2024 to 31 March 2025: 4 months and 1 day -> 4 whole months, a number in months
    four = months_overdue(pd.Timestamp("2024-11-30"), as_of)
    assert (four, four.value, four.unit, four.status) == ("4", 4, "months", Status.SHOWN)
    # 12 days late: not a whole month, said in words rather than printed as 0 (which would read "on time");
    # typed [low] (rounds to zero months) for the workbook
    under = months_overdue(pd.Timestamp("2025-03-19"), as_of)
    assert (under, under.status) == ("under 1", Status.LOW)
    late = months_overdue(pd.Timestamp("2025-04-30"), as_of)
    assert (late, late.status) == ("Not overdue", Status.NOT_APPLICABLE)
    assert months_overdue(pd.NaT, as_of).status == Status.NOT_APPLICABLE


def test_the_progress_charts_data_has_headings_in_words():
    # two actions under priority 1 (one complete, one delayed): the download's sheet reads "Priority title",
    # "Complete", "Delayed", "Total", not the frame's own column names
    plan = pd.DataFrame(
        {
            "priority": [1, 1],
            "priority_title": ["Health", "Health"],
            "status": ["complete", "delayed"],
        }
    )
    data = progress_data(plan)
    assert {"Priority", "Priority title", "Complete", "Delayed", "Total"} <= set(data.columns)
    assert data.loc[0, "Total"] == 2 and data.loc[0, "Priority title"] == "Health"
