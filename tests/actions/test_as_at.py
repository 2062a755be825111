"""A past year's report shows the action plan as it stood at the period end where the tracker's dates allow
(``cpkit.actions.as_at``), and says plainly when the plan it shows is today's; on hand-built trackers."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cpkit.actions import load_action_plan
from cpkit.actions import present as section
from cpkit.actions.as_at import position
from cpkit.actions.summary import UNKNOWN_THEN, summary
from cpkit.config import Config
from cpkit.present.narrative import Narrative
from cpkit.sections import summary as su

from ..conftest import SAMPLE_DIR
from ..notebook_runs import run_section, shown
from .conftest import HEADER, write_xlsx

END, TODAY = "2022-03-31", "2026-12-06"  # a 2021-22 report made years later, from today's tracker

# The tracker as it stands today, for the 2021-22 report (period end 31 March 2022):
# 1.1 complete now, but its log runs on to Jun-22: its status at the end is not recorded (complete now);
#     due December 2022, after the end: not overdue then.
# 1.2 complete, every update on or before the end: complete then. Due January 2022, but complete.
# 1.3 delayed now, log runs on to May-22: not recorded then, but its work went on, so it was open then
#     and its due date (February 2022) had passed: overdue at the end.
# 1.4 first recorded Mar-23, a year after the end: not on the plan then, left out (today's code said
#     "due 31 December 2024, not yet past its due date" in the 2021-22 report).
# 1.5 no dated update: status then not recorded (in progress now); not judged overdue.
# 1.6 in progress, its one update Oct-21: in progress then; due January 2022: overdue at the end, not
#     marked delayed.
ROWS = [
    HEADER,
    [
        "1.1",
        "Recruit foster carers",
        "Jan-22: campaign started. Jun-22: target reached.",
        "HoS",
        "December 2022",
        "Complete",
    ],
    [
        "1.2",
        "Review sufficiency",
        "Nov-21: scoping. Feb-22: strategy agreed.",
        "HoS",
        "January 2022",
        "Complete",
    ],
    [
        "1.3",
        "Open care leaver hub",
        "Sep-21: site found. May-22: builders late.",
        "LC manager",
        "February 2022",
        "Delayed",
    ],
    [
        "1.4",
        "Participation strategy",
        "Mar-23: started.",
        "Participation lead",
        "31 December 2024",
        "Delayed",
    ],
    ["1.5", "Health passports", "Being designed with young people.", "Nurse", "March 2022", "In progress"],
    ["1.6", "Virtual school audit", "Oct-21: audit booked.", "VSH", "January 2022", "In progress"],
]


@pytest.fixture()
def tracker(tmp_path):
    return write_xlsx(tmp_path / "action_plan.xlsx", ROWS)


def test_the_plan_as_it_stood_at_a_past_period_end(tracker):
    where = position(load_action_plan(tracker, as_of=END), END, today=TODAY)
    plan = where.plan.set_index("ref")
    assert where.as_at_end and where.judged_at == pd.Timestamp(END)
    assert where.left_out == ["1.4 Participation strategy"]
    assert list(plan.index) == ["1.1", "1.2", "1.3", "1.5", "1.6"]
    assert plan["status"].tolist() == [UNKNOWN_THEN, "complete", UNKNOWN_THEN, UNKNOWN_THEN, "in progress"]
    assert plan.loc["1.1", "status_note"] == "complete now"
    assert plan["overdue"].tolist() == [False, False, True, False, True]
    assert [u["text"] for u in plan.loc["1.1", "updates"]] == ["campaign started."]  # Jun-22 left out
    totals = summary(where.plan).iloc[-1]
    assert (totals["complete"], totals["in progress"], totals[UNKNOWN_THEN], totals["total"]) == (1, 1, 3, 5)

    text = " ".join(section.narrative(where.plan, "2021-04-01", END, where.judged_at))
    assert "31 December 2024" not in text and "not yet past its due date" not in text
    assert "1.6 Virtual school audit (due 31 January 2022)" in text  # overdue then, not marked delayed
    assert (
        "1 action whose work went on after 31 March 2022 was past its due date then: 1.3 Open care leaver hub "
        "(due 28 February 2022)." in text
    )
    assert "first recorded after 31 March 2022 is left out" in where.sentence
    assert section.delayed_table(where.plan, where.judged_at).frame["Ref"].tolist() == ["1.3", "1.6"]


def test_the_executive_summary_counts_the_same_plan_and_says_what_it_is(tracker):
    plan = load_action_plan(tracker, as_of=END)
    text, _ = su.action_position(plan, Narrative(config=Config()), position(plan, END, today=TODAY))
    assert text.startswith("The action plan has 5 actions: 1 complete, 1 in progress, 0 delayed")
    assert "For 3 actions, the tracker does not record the status then." in text
    assert "as it stood at 31 March 2022" in text


@pytest.mark.parametrize(
    ("progress", "words"),
    [
        # no dated update anywhere: the tracker cannot show the period end
        (["Work begun.", "Agreed."], "progress updates carry no dates"),
        # every dated update after the period end
        (
            ["Mar-23: begun.", "Apr-23: agreed."],
            "earliest dated update is 1 March 2023, after the period ended",
        ),
    ],
)
def test_when_the_dates_do_not_allow_it_the_plan_is_said_to_be_today_s(tmp_path, progress, words):
    rows = [
        HEADER,
        ["1.1", "Participation strategy", progress[0], "Lead", "31 December 2024", "Delayed"],
        ["1.2", "Health passports", progress[1], "Nurse", "March 2026", "In progress"],
    ]
    plan = load_action_plan(write_xlsx(tmp_path / "t.xlsx", rows), as_of=END)
    where = position(plan, END, today=TODAY)
    assert not where.as_at_end and where.judged_at == pd.Timestamp(TODAY)
    assert words in where.sentence and "as it stands today (6 December 2026)" in where.sentence
    # judged today, the 31 December 2024 action is overdue (today's code: "not yet past its due date")
    assert where.plan.set_index("ref")["overdue"].tolist() == [True, True]
    text = " ".join(section.narrative(where.plan, "2021-04-01", END, where.judged_at))
    # 31 December 2024 to 6 December 2026: 1 year, 11 months and 6 days
    assert "due 31 December 2024, 23 months overdue at 6 December 2026" in text


def test_a_tracker_whose_record_ends_within_the_period_is_that_period_s(tmp_path):
    rows = [HEADER, ["1.1", "Audit", "Oct-21: booked. Mar-22: done.", "VSH", "January 2022", "Complete"]]
    plan = load_action_plan(write_xlsx(tmp_path / "t.xlsx", rows), as_of=END)
    where = position(plan, END, today=TODAY)
    assert where.as_at_end and where.plan is plan
    assert "latest dated update is 1 March 2022, within the period" in where.sentence
    # a period not yet over: the tracker as it stands, nothing said (the section's usual line)
    assert position(plan, "2027-03-31", today=TODAY).sentence == ""


@pytest.mark.slow
def test_a_past_year_s_section_shows_the_plan_as_it_stood(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SAMPLE_DIR / "cpkit.yaml", data / "cpkit.yaml")  # the council's settings; no other input
    write_xlsx(data / "action_plan.xlsx", ROWS)
    html = shown(run_section("06_action_plan", tmp_path / "out", year=2022, data_dir=str(data)))
    assert "not yet past its due date" not in html and "Participation strategy" not in html
    assert "as it stood at 31 March 2022 as far as its dated updates show" in html
    assert "Status then not recorded (delayed now)" in html  # 1.3 in the delayed and overdue table


def test_the_rebuilt_plan_keeps_the_tracker_s_column_types(tracker):
    plan = load_action_plan(tracker, as_of=END)
    rebuilt = position(plan, END, today=TODAY).plan
    for col in ("due", "revised_due", "latest_update_date", "first_update_date", "priority", "new_marker"):
        assert rebuilt[col].dtype == plan[col].dtype, col
