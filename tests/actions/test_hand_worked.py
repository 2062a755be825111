"""The HAND_WORKED tracker (conftest.py), whose answers were worked out by hand, in all three file types.

Actions: 1.1.1 complete; 1.1.2 Green (due Q3 2024/25 = 31 Dec 2024, so overdue at 31 Mar 2025 but not
marked delayed); 1.2 Amber (in progress, at risk; no lead; marked new); 2.1.1 Red (due Dec 24);
"21.2" (repaired to 2.1.2; due Nov 2024 revised to Spring 2025 = 31 Mar 2025, not overdue on that day);
2.1.3 not started (no due date); 2.1.3 again (duplicate) delayed, due 26 Dec 2024; 2.2.1 complete
(status only in the date cell); 2.2.2 "Purple" (unmapped); 2.2.3 awaiting start (due "TBC").
"""

from datetime import date

import pandas as pd
import pytest

from cpkit.actions import load_action_plan, new_actions, problems, summary

AS_OF = "2025-03-31"


@pytest.fixture(scope="module", params=[".xlsx", ".csv", ".docx"])
def plan(request, hand_worked_files):
    return load_action_plan(hand_worked_files[request.param], as_of=AS_OF)


def test_one_row_per_action_with_refs_in_order(plan):
    assert list(plan["ref"]) == [
        "1.1.1",
        "1.1.2",
        "1.2",
        "2.1.1",
        "2.1.2",
        "2.1.3",
        "2.1.3",
        "2.2.1",
        "2.2.2",
        "2.2.3",
    ]
    assert list(plan["priority"]) == [1, 1, 1, 2, 2, 2, 2, 2, 2, 2]
    assert plan["priority_title"].iloc[0] == "Promoting success and aspiration"
    assert plan["priority_title"].iloc[3] == "Leaving care and preparing for adulthood"
    assert plan["objective"].iloc[0] == "1.1 To celebrate achievements"
    assert plan["objective"].iloc[3] == "2.1 To improve the quality of pathway plans"
    assert plan["objective"].iloc[7] == ""  # 2.2.1 is not under 2.1, and the tracker has no 2.2 heading


def test_counts_by_priority_and_status(plan):
    s = summary(plan)
    assert s.columns.tolist() == [
        "priority",
        "priority_title",
        "complete",
        "in progress",
        "delayed",
        "awaiting start",
        "status not recognised",
        "total",
    ]
    assert s.iloc[0, 2:].tolist() == [1, 2, 0, 0, 0, 3]
    assert s.iloc[1, 2:].tolist() == [1, 1, 2, 2, 1, 7]
    assert s.iloc[2, 1:].tolist() == ["All priorities", 2, 3, 2, 2, 1, 10]


def test_dates_and_statuses(plan):
    by_ref = plan.drop_duplicates("ref").set_index("ref")
    assert by_ref.loc["1.1.2", "due"] == pd.Timestamp(2024, 12, 31)
    assert by_ref.loc["2.1.2", "due"] == pd.Timestamp(2024, 11, 30)
    assert by_ref.loc["2.1.2", "revised_due"] == pd.Timestamp(2025, 3, 31)
    assert by_ref.loc["2.2.1", "status"] == "complete" and by_ref.loc["2.2.1", "due"] == pd.Timestamp(
        2024, 11, 30
    )
    assert by_ref.loc["1.2", "status_note"] == "at risk"
    assert by_ref.loc["1.1.1", "status_note"] == "now business as usual"
    assert pd.isna(by_ref.loc["2.2.2", "status"])
    assert list(plan.loc[plan["overdue"], "ref"]) == ["1.1.2", "2.1.1", "2.1.3"]


def test_html_and_update_logs(plan):
    row = plan.set_index("ref").loc["1.1.2"]
    assert row["action"] == "Launch a celebration fund"
    assert row["progress"] == "\u2022 Jan-25: Criteria drafted\n\u2022 Feb-25: Panel agreed & launched"
    assert [(u["date"], u["text"]) for u in row["updates"]] == [
        (date(2025, 1, 1), "Criteria drafted"),
        (date(2025, 2, 1), "Panel agreed & launched"),
    ]
    assert row["latest_update"] == "Panel agreed & launched"


def test_rows_set_aside_are_counted(plan):
    assert plan.attrs["set_aside"] == {
        "before header": 1,
        "blank": 2,
        "header": 1,
        "repeated header": 1,
        "priority title": 2,
        "champions and leads": 1,
        "sub-objective": 2,
        "note": 1,
    }
    assert plan.attrs["champions"] == {1: "Champions: Cllr A Smith; Leads: J Bloggs"}
    assert [r["written"] + ">" + r["repaired"] for r in plan.attrs["ref_repairs"]] == ["21.2>2.1.2"]


def test_problems_list(plan):
    found = problems(plan)
    assert sorted(zip(found["ref"], found["problem"], strict=True)) == sorted(
        [
            ("1.2", "missing lead"),
            ("2.1.3", "missing due date"),
            ("2.2.3", "unparseable due date"),
            ("2.2.2", "unmapped status"),
            ("2.1.3", "duplicate ref"),
            ("2.1.3", "duplicate ref"),
            ("1.1.2", "overdue but not marked delayed"),
            ("2.1.2", "repaired ref"),
            ("", "row set aside (note)"),
        ]
    )
    assert found["location"].str.endswith("row 15").any()  # the repaired ref names its row
    assert set(found["file"]) == {plan.attrs["source"].rsplit("/", 1)[-1]}


def test_new_actions_in_the_period(plan):
    # 1.1.1 first update 3/7/23 (before), 2.1.1 Dec-23 (before); 1.1.2 Jan-25, 1.2 (new) and 2.1.3's 5.2.25.
    new = new_actions(plan, "2024-04-01", AS_OF)
    assert list(plan.loc[new, "ref"]) == ["1.1.2", "1.2", "2.1.3"]


def test_overdue_defaults_to_today(hand_worked_files):
    plan = load_action_plan(hand_worked_files[".csv"])
    assert plan.attrs["as_of"] == date.today().isoformat()
    assert plan.set_index("ref").loc["1.2", "overdue"] == (date.today() > date(2025, 5, 31))
