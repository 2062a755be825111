import docx
import openpyxl
import pytest

from cpkit.actions import load_action_plan
from cpkit.actions.columns import field_for, match_header
from cpkit.errors import ActionPlanError

ACTION = ["1.1", "Recruit foster carers", "Jan-25: campaign launched", "J Bloggs", "March 2025", "Green"]


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        ("RAG Status", "status"),
        ("RAG", "status"),
        ("status", "status"),
        ("RAG (B/G/A/R)", "status"),
        ("By When", "due"),
        ("Due", "due"),
        ("DEADLINE", "due"),
        ("Lead Officer", "lead"),
        ("Lead", "lead"),
        ("Ref", "ref"),
        ("Ref.", "ref"),
        ("No.", "ref"),
        ("Progress Update", "progress"),
        ("Actions", "action"),
        ("Notes to self", None),
        ("", None),
    ],
)
def test_header_wording_and_case(cell, field):
    assert field_for(cell) == field


def test_a_row_needs_an_action_column_and_two_more_to_be_a_header():
    assert match_header(["Ref", "Action", "Status"]) is not None
    assert match_header(["Ref", "Lead", "Status"]) is None
    assert match_header(["", "Action", "Status"]) is None


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".docx"])
def test_header_below_a_title_in_any_order_and_wording(make_tracker, suffix):
    rows = [
        ["Action plan 2024-25"],
        ["RAG", "No.", "Actions", "Update", "Lead", "Deadline"],
        ["Green", "1.1", "Recruit foster carers", "", "J Bloggs", "March 2025"],
    ]
    plan = load_action_plan(make_tracker(rows, suffix), as_of="2025-01-01")
    assert plan[["ref", "action", "lead", "status"]].values.tolist() == [
        ["1.1", "Recruit foster carers", "J Bloggs", "in progress"]
    ]
    assert plan.attrs["set_aside"] == {"before header": 1, "header": 1}


def test_repeated_header_with_new_column_order_is_followed(make_tracker):
    rows = [
        ["Ref", "Action", "Lead", "Status"],
        ["1.1", "First", "A", "Green"],
        ["Status", "Lead", "Action", "Ref."],
        ["Red", "B", "Second", "1.2"],
    ]
    plan = load_action_plan(make_tracker(rows, ".csv"), as_of="2025-01-01")
    assert plan[["ref", "lead", "status"]].values.tolist() == [
        ["1.1", "A", "in progress"],
        ["1.2", "B", "delayed"],
    ]
    assert plan.attrs["set_aside"]["repeated header"] == 1


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".docx"])
def test_no_recognisable_header_names_file_and_columns(make_tracker, suffix):
    path = make_tracker([["Item", "Owner", "Colour"], ["Recruit carers", "J Bloggs", "Green"]], suffix)
    with pytest.raises(ActionPlanError) as err:
        load_action_plan(path)
    message = str(err.value)
    assert str(path) in message and "'Item', 'Owner', 'Colour'" in message


def test_unreadable_inputs(tmp_path):
    with pytest.raises(ActionPlanError, match="cannot read .pdf"):
        load_action_plan(tmp_path / "plan.pdf")
    with pytest.raises(ActionPlanError, match="file not found"):
        load_action_plan(tmp_path / "plan.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(ActionPlanError, match="bad.xlsx: could not be read"):
        load_action_plan(bad)


def test_structure_rows_name_the_actions_below(make_tracker):
    rows = [
        ["Ref", "Action", "Progress", "Lead", "By When", "Status"],
        ["Priority 3: Suitable accommodation and placement sufficiency"],
        ["Champions: Cllr B Jones, Cllr C Patel. Leads: Head of Placements"],
        ["3.1 To increase in-house foster placements"],
        ["3.1.1", "Open a new children's home", "", "K Ali", "Q4 2025/26", "On track"],
        ["3.2", "To reduce distance from home", "", "", "", ""],
        ["3.2.1", "Review out-of-area placements", "", "K Ali", "Dec 25", "Amber"],
        ["3.3", "Commission supported lodgings", "", "", "", ""],
    ]
    plan = load_action_plan(make_tracker(rows), as_of="2025-01-01")
    assert plan["ref"].tolist() == ["3.1.1", "3.2.1", "3.3"]  # 3.3 has no sub-actions: it is an action
    assert set(plan["priority"]) == {3}
    assert set(plan["priority_title"]) == {"Suitable accommodation and placement sufficiency"}
    assert plan["objective"].tolist() == [
        "3.1 To increase in-house foster placements",
        "3.2 To reduce distance from home",
        "",
    ]
    assert plan.attrs["set_aside"]["sub-objective"] == 2
    assert "Cllr B Jones" in plan.attrs["champions"][3]


def test_ref_typo_is_repaired_and_reported(make_tracker):
    rows = [
        ["Ref", "Action", "Lead", "RAG"],
        ["3. Priority 3 - Accommodation"],
        ["3.1.3", "A", "X", "Green"],
        ["31.4", "B", "X", "Green"],
        ["3.2.1", "C", "X", "Green"],
    ]
    plan = load_action_plan(make_tracker(rows, ".csv"), as_of="2025-01-01")
    assert plan["ref"].tolist() == ["3.1.3", "3.1.4", "3.2.1"]
    assert plan["ref_as_written"].tolist()[1] == "31.4"
    assert plan.attrs["ref_repairs"] == [{"location": "row 4", "written": "31.4", "repaired": "3.1.4"}]


def test_html_cells_from_sharepoint(make_tracker):
    rows = [
        ["Ref", "Action", "Progress Update", "RAG Status"],
        [
            "1.1",
            "<div>Hold <i>awards</i> &amp; events</div>",
            "<p>3/7/25 Venue booked</p><p>15.7.25 Invitations sent</p>",
            "<p>Complete&nbsp;- BAU</p>",
        ],
    ]
    row = load_action_plan(make_tracker(rows, ".csv")).iloc[0]
    assert row["action"] == "Hold awards & events"
    assert row["progress"] == "3/7/25 Venue booked\n15.7.25 Invitations sent"
    assert (row["status"], row["status_note"]) == ("complete", "BAU")
    assert str(row["latest_update_date"].date()) == "2025-07-15"


def test_xlsx_merged_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Action", "Lead Officer", "By When", "RAG Status"])
    ws.append(["1. Promoting success and aspiration"])
    ws.merge_cells("A2:E2")  # title across the table
    ws.append(["1.1", "First", "J Bloggs", "Oct 2025", "Green"])
    ws.append(["1.2", "Second", None, "Oct 2025", "Green"])
    ws.merge_cells("C3:C4")  # one lead for both actions
    ws.append([None, "Third", "K Ali", "Oct 2025", "Green"])
    ws.merge_cells("A4:A5")  # a ref merged down repeats, and problems() reports the duplicate
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    plan = load_action_plan(path)
    assert plan["lead"].tolist() == ["J Bloggs", "J Bloggs", "K Ali"]
    assert plan["priority_title"].tolist() == ["Promoting success and aspiration"] * 3
    assert plan["ref"].tolist() == ["1.1", "1.2", "1.2"]


def test_xlsx_real_dates_and_several_sheets(tmp_path):
    from datetime import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Ref", "Action", "Due", "RAG"])
    ws.append(["1.1", "First", datetime(2025, 10, 15), "Blue"])
    key = wb.create_sheet("Key")
    key.append(["Blue", "Complete"])
    path = tmp_path / "dates.xlsx"
    wb.save(path)
    plan = load_action_plan(path)
    assert plan["due_text"].tolist() == ["15/10/2025"] and str(plan["due"].iloc[0].date()) == "2025-10-15"
    assert plan["location"].tolist() == ["sheet 'Plan' row 2"]
    # The Key sheet has no header: its row is counted and listed, not read as an action.
    assert plan.attrs["set_aside"]["table without header"] == 1
    assert plan.attrs["set_aside_rows"][0]["location"] == "sheet 'Key' row 1"


def test_docx_tables_split_across_pages_and_merged_titles(tmp_path):
    document = docx.Document()
    first = document.add_table(rows=3, cols=4)
    for cell, text in zip(first.rows[0].cells, ["Ref", "Action", "Lead", "RAG Status"], strict=True):
        cell.text = text
    title = first.cell(1, 0).merge(first.cell(1, 3))
    title.text = "Priority 2 - Leaving care"
    for cell, text in zip(first.rows[2].cells, ["2.1", "First", "P Jones", "Red"], strict=True):
        cell.text = text
    document.add_paragraph("continued")
    second = document.add_table(rows=1, cols=4)  # the next page: no header of its own
    for cell, text in zip(second.rows[0].cells, ["2.2", "Second", "S Lee", "Not started"], strict=True):
        cell.text = text
    path = tmp_path / "paper.docx"
    document.save(str(path))
    plan = load_action_plan(path)
    assert plan[["ref", "priority", "priority_title", "status"]].values.tolist() == [
        ["2.1", 2, "Leaving care", "delayed"],
        ["2.2", 2, "Leaving care", "awaiting start"],
    ]
    assert plan["location"].tolist() == ["table 1 row 3", "table 2 row 1"]


def test_lone_text_that_is_not_structure_is_set_aside_and_listed(make_tracker):
    rows = [
        ["Ref", "Action", "Lead", "RAG"],
        ["Updated by the Board secretary in March"],
        ["1.1", "First", "A", "Green"],
    ]
    plan = load_action_plan(make_tracker(rows, ".csv"))
    assert len(plan) == 1
    assert plan.attrs["set_aside_rows"] == [
        {"location": "row 2", "reason": "note", "text": "Updated by the Board secretary in March"}
    ]
