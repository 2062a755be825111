"""The Excel download: one sheet per published table or chart data, numbered as in the document."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from cpkit.config import Config, Period
from cpkit.present.tables import DATA_MIME
from cpkit.report.document import DOCUMENT_NAME, Numbered
from cpkit.report.execute import SectionRun
from cpkit.report.sections import Section, discover
from cpkit.report.workbook import HEADER_ROW, MAX_SHEET_NAME, WORKBOOK_NAME, build_workbook, cell_value

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


def _rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=HEADER_ROW, values_only=True)]


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
                    {"caption": "Every action", "columns": ["Ref"], "rows": [["1.1"]]},
                ],
            ),
            True,
            1.0,
        ),
    ]
    numbered = [  # as the document numbers them: the appendix table (Table 2) comes last
        Numbered("Figure", 1, "01_a", "Children in care", "Children in care"),
        Numbered("Table", 1, "01_a", "Ages", "Ages"),
        Numbered("Table", 2, "02_b", "Every action", "Every action"),
    ]
    config = Config(la_name="Test Council", small_number_threshold=5, suppression_symbol="<5")
    path = build_workbook(tmp_path / WORKBOOK_NAME, [a, b], runs, numbered, config, PERIOD)
    return load_workbook(path)


def test_sheets_follow_the_document_numbering_with_a_contents_sheet_first(workbook):
    assert workbook.sheetnames == ["Contents", "Figure 1", "Table 1", "Table 2", "Data 1"]
    contents = workbook["Contents"]
    text = " ".join(str(c) for row in contents.iter_rows(values_only=True) for c in row if c)
    assert "<5 is a count from 1 to 4" in text and "[c] is a figure hidden" in text
    assert "1 April 2024 to 31 March 2025" in text
    listed = [r for r in contents.iter_rows(min_row=7, values_only=True)]
    assert listed == [
        ("Figure 1", "Figure 1", "Children in care (the data behind the chart)", "Alpha"),
        ("Table 1", "Table 1", "Ages", "Alpha"),
        ("Table 2", "Table 2", "Every action", "Beta"),
        (
            "Data 1",
            "not in the document",
            "Not shown on the page",
            "Beta",
        ),  # a payload the document does not show: unnumbered
    ]
    assert contents["A8"].hyperlink.location == "'Table 1'!A1"


def test_each_sheet_holds_the_published_values_numbers_as_numbers(workbook):
    ages = workbook["Table 1"]
    assert ages["A1"].value == "Table 1: Ages" and ages["A2"].value == "Section: Alpha"
    assert _rows(ages) == [
        ("Age", "Children", "%"),
        ("Under 1", "<5", "c"),
        ("1 to 4", 12, 0.045),
        ("Total", 7, 1.0),
    ]
    assert ages.cell(HEADER_ROW + 2, 3).number_format == "0.0%"
    assert _rows(workbook["Figure 1"])[1:] == [("Apr 2024", 450), ("May 2024", 1445)]
    assert _rows(workbook["Data 1"])[1:] == [("007",)], "a code with a leading zero stays text"


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
    assert len(set(names)) == len(names) == 4 and all(len(n) <= MAX_SHEET_NAME for n in names)


# --- the sample report ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_workbook_reads_the_same_as_the_document(sample_report):
    """Every table sheet has the same caption, headings and cells as the document's table of that number."""
    wb = load_workbook(sample_report / WORKBOOK_NAME)
    soup = BeautifulSoup((sample_report / DOCUMENT_NAME).read_text(encoding="utf-8"), "html.parser")
    doc_tables = {}
    for table in soup.find_all("table"):
        number, _, caption = table.caption.get_text().partition(": ")
        doc_tables[number] = (
            caption,
            [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")],
        )
    listed = list(wb["Contents"].iter_rows(min_row=7, values_only=True))
    assert [r[0] for r in listed] == wb.sheetnames[1:]
    titles = {s.title for s in discover()}
    assert {r[3] for r in listed} <= titles
    compared = 0
    for name, number, caption, _ in listed:
        if not number.startswith("Table"):
            continue
        doc_caption, doc_rows = doc_tables[number]
        assert caption == doc_caption
        sheet_rows = [[v for v in row] for row in wb[name].iter_rows(min_row=HEADER_ROW, values_only=True)]
        assert sheet_rows[0] == doc_rows[0], f"{name}: headings differ from the document"
        expected = [[cell_value(t) for t in row] for row in doc_rows[1:]]
        got = [[("" if v is None else v) for v in row][: len(doc_rows[0])] for row in sheet_rows[1:]]
        assert got == expected, f"{name}: cells differ from the document's {number}"
        compared += 1
    assert compared >= 1
    tables_in_document = {n for n in doc_tables if n.startswith("Table")}
    assert {r[1] for r in listed if r[1].startswith("Table")} == tables_in_document, (
        "every table of the document has its sheet"
    )
