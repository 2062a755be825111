"""Build small trackers in each file type from a list of rows, so each test states its own mess."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

Rows = list[list[str]]


def write_xlsx(path: Path, rows: Rows) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([cell if cell != "" else None for cell in row])
    wb.save(path)
    return path


def write_csv(path: Path, rows: Rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def write_docx(path: Path, rows: Rows) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Corporate Parenting Board: action plan")
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for row, table_row in zip(rows, table.rows, strict=True):
        for text, cell in zip(row, table_row.cells, strict=False):
            cell.text = text
    document.save(str(path))
    return path


WRITERS = {".xlsx": write_xlsx, ".csv": write_csv, ".docx": write_docx}


@pytest.fixture
def make_tracker(tmp_path: Path) -> Callable[..., Path]:
    """make_tracker(rows, suffix=".xlsx") -> path of a tracker file holding those rows."""
    counter = iter(range(1000))

    def make(rows: Rows, suffix: str = ".xlsx") -> Path:
        return WRITERS[suffix](tmp_path / f"tracker{next(counter)}{suffix}", rows)

    return make


HEADER = ["Ref", "Action", "Progress Update", "Lead Officer", "By When", "RAG Status"]

# A tracker in the shapes people really produce; the expected answers are worked out by hand in
# test_hand_worked.py.
HAND_WORKED: Rows = [
    ["Corporate Parenting Action Plan 2024-25", "", "", "", "", ""],
    ["", "", "", "", "", ""],
    HEADER,
    ["1. Priority 1 - Promoting success and aspiration", "", "", "", "", ""],
    ["Champions: Cllr A Smith; Leads: J Bloggs", "", "", "", "", ""],
    ["1.1 To celebrate achievements", "", "", "", "", ""],
    [
        "1.1.1",
        "Hold an annual awards event",
        "3/7/23 Venue booked.\n15.10.24 Event held, 80 attended.",
        "J Bloggs",
        "October 2024",
        "Complete - now business as usual",
    ],
    [
        "1.1.2",
        "<p>Launch a <b>celebration</b> fund</p>",
        "<ul><li>Jan-25: Criteria drafted</li><li>Feb-25: Panel agreed &amp; launched</li></ul>",
        "A Khan",
        "Q3 2024/25",
        "Green",
    ],
    ["1.2", "Create a mentoring scheme (new)", "20/10/2024 Scoping started", "", "End of May 2025", "Amber"],
    ["", "", "", "", "", ""],
    ["Ref.", "ACTIONS", "Update", "Lead", "Deadline", "RAG"],
    ["2", "Leaving care and preparing for adulthood", "", "", "", ""],
    ["2.1", "To improve the quality of pathway plans", "", "", "", ""],
    [
        "2.1.1",
        "Audit pathway plans",
        "Dec-23: audit started\nMar-25: slipped, staff shortage",
        "P Jones",
        "Dec 24",
        "Red",
    ],
    ["21.2", "Train personal advisers", "", "P Jones", "Oct/Nov 2024 Spring 2025", "On track"],
    ["2.1.3", "Set up a care leavers' hub", "", "P Jones", "", "Not started"],
    [
        "2.1.3",
        "Review the local offer",
        "5.2.25 Draft out for comment",
        "S Lee",
        "26th December 2024",
        "Delayed",
    ],
    ["2.2.1", "Council tax exemption to 25", "", "S Lee", "Complete Nov 2024", ""],
    ["2.2.2", "Peer support groups", "", "S Lee", "Ongoing", "Purple"],
    ["2.2.3", "Extend staying put", "", "S Lee", "TBC", "Awaiting start"],
    ["Key: Blue = complete, Green = on track", "", "", "", "", ""],
]


@pytest.fixture
def hand_worked() -> Rows:
    return [list(r) for r in HAND_WORKED]


@pytest.fixture(scope="session")
def hand_worked_files(tmp_path_factory) -> dict[str, Path]:
    """The HAND_WORKED tracker written once as .xlsx, .csv and .docx."""
    folder = tmp_path_factory.mktemp("hand_worked")
    return {suffix: write(folder / f"tracker{suffix}", HAND_WORKED) for suffix, write in WRITERS.items()}
