"""The Board's report and the technical annex made from the same section pages (``build_documents``).

Three small section pages rendered with the kit's real template: a Board section with two cells tagged
``annex`` (a method and its back test), a whole section marked for the annex (trends), and a Board section
that links to the trends. Each table note ends with the small-number rule, as the sections' notes do.
"""

from __future__ import annotations

import functools
import re

import nbformat
import pytest
from bs4 import BeautifulSoup

from cpkit.config import Config, Period
from cpkit.present.disclosure import rule_note
from cpkit.report.document import build_documents
from cpkit.report.render import render_notebook
from cpkit.report.sections import Section, section_from_notebook
from cpkit.report.site import page_meta

from .test_document import assert_headings_in_order, heading_levels, internal_links_resolve

PERIOD = Period.from_year(2025)
CONFIG = Config(la_name="Test Council", sample=True)
RULE = rule_note(CONFIG)


def _table(caption: str, note: str) -> str:
    return (
        f'<div class="cp-table"><table><caption>{caption}</caption><thead><tr><th scope="col">A</th></tr>'
        f'</thead><tbody><tr><td>7</td></tr></tbody></table><p class="cp-table-note">{note}</p></div>'
    )


def _page(section: Section, cells: list[tuple[str, str, bool]]) -> str:
    """A section page from (kind, content, tagged annex) cells, through the real nbconvert template."""
    nb = nbformat.v4.new_notebook()
    for kind, content, annex in cells:
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(content)
        else:
            cell = nbformat.v4.new_code_cell("")
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": content})]
        if annex:
            cell.metadata["tags"] = ["annex"]
        nb.cells.append(cell)
    return render_notebook(nb, section.title, page_meta(CONFIG, PERIOD))


ALPHA = Section("01_alpha", "Placements", "First.")
TRENDS = Section("02_trends", "Five-year trends", "Second.", annex=True)
BETA = Section("03_beta", "Care leavers", "Third.")


@pytest.fixture(scope="module")
def documents():
    pages = [
        (
            ALPHA,
            _page(
                ALPHA,
                [
                    ("markdown", "# Placements\n\nWhere children lived.", False),
                    ("html", _table("Placement types", f"Counts of children. {RULE}"), False),
                    ("markdown", "### How the forecast is made", True),
                    ("html", "<p>A simulation of admissions.</p>" + _table("Back test", RULE), True),
                    ("markdown", "## Distance from home\n\nMost lived nearby.", False),
                ],
            ),
        ),
        (
            TRENDS,
            _page(
                TRENDS,
                [
                    ("markdown", '# Five-year trends\n\n## Stability\n\n<p id="x">Up.</p>', False),
                    ("html", _table("Trend table", f"Years as published. {RULE}"), False),
                ],
            ),
        ),
        (
            BETA,
            _page(BETA, [("markdown", "# Care leavers\n\nSee [the trends](02_trends.html#x).", False)]),
        ),
    ]
    made = build_documents(pages, CONFIG, PERIOD, page_meta(CONFIG, PERIOD))
    return (
        BeautifulSoup(made.report, "html.parser"),
        BeautifulSoup(made.annex, "html.parser"),
        made.numbered,
    )


def test_the_analysts_material_is_in_the_annex_and_not_in_the_report(documents):
    report, annex, _ = documents
    text = report.get_text(" ")
    for gone in (
        "More in the technical annex published with this report: How the forecast is made",
        "Where children lived",
        "Most lived nearby",
    ):
        assert gone in text
    for moved in ("A simulation of admissions", "Back test", "Trend table", "Up."):
        assert moved not in text, moved
        assert moved in annex.get_text(" "), moved
    assert [h.get_text() for h in report.find("main").find_all("h2")] == [
        "Contents",
        "About the figures",
        "Placements",
        "Care leavers",
    ]
    about = " ".join(report.find(class_="cp-about").get_text(" ").split())
    assert "technical annex published with this report holds the detail" in about
    assert "How the forecast is made; Five-year trends" in about
    # the annex: the forecast method under its section's title, then the whole trends section (section order)
    assert [h.get_text() for h in annex.find("main").find_all("h2")] == [
        "Contents",
        "About the figures",
        "Placements",
        "Five-year trends",
    ]
    assert "technical annex" in annex.find("h1").get_text()
    assert [a["href"] for a in annex.find("nav").find_all("a")] == ["#01_alpha-annex", "#02_trends"]
    assert [a.get_text() for a in report.find("nav").find_all("a")] == ["Placements", "Care leavers"]
    for soup, where in ((report, "report"), (annex, "annex")):
        assert_headings_in_order(heading_levels(soup), where)
        assert internal_links_resolve(soup) == [], where
    assert "See the trends" in " ".join(report.get_text(" ").split()), "a link to the annex is kept as text"


def test_tables_are_numbered_in_each_document_and_the_annex_has_its_own_series(documents):
    report, annex, numbered = documents
    assert [c.get_text() for c in report.find_all("caption")] == ["Table 1: Placement types"]
    assert [c.get_text() for c in annex.find_all("caption")] == [
        "Table A1: Back test",
        "Table A2: Trend table",
    ]
    # the workbook names its sheets from these labels, in this order
    assert [(n.label, n.section) for n in numbered] == [
        ("Table 1", "01_alpha"),
        ("Table A1", "01_alpha"),
        ("Table A2", "02_trends"),
    ]


def test_the_small_number_rule_is_said_once_per_document_and_specific_notes_stay(documents):
    report, annex, _ = documents
    for soup in (report, annex):
        text = " ".join(soup.get_text(" ").split())
        assert text.count(" ".join(RULE.split())) == 1
        assert "About the figures" in text
    notes = [p.get_text() for p in report.find_all("p", class_="cp-table-note")]
    assert notes == ["Counts of children. "], "the specific part of a note stays, the rule goes"
    assert [p.get_text() for p in annex.find_all("p", class_="cp-table-note")] == ["Years as published. "], (
        "a note that was only the rule goes"
    )


def test_no_annex_when_nothing_is_marked_for_it():
    page = _page(BETA, [("markdown", "# Care leavers\n\nText.", False)])
    made = build_documents([(BETA, page)], CONFIG, PERIOD, page_meta(CONFIG, PERIOD))
    assert made.annex is None
    assert "technical annex" not in made.report


def test_the_shipped_notebooks_mark_trends_data_quality_and_the_forecast_method_for_the_annex():
    from cpkit.resources import NOTEBOOKS_DIR

    assert section_from_notebook(NOTEBOOKS_DIR / "07_trends.ipynb").annex
    assert section_from_notebook(NOTEBOOKS_DIR / "08_data_quality.ipynb").annex
    assert not section_from_notebook(NOTEBOOKS_DIR / "02_placements.ipynb").annex
    nb = nbformat.read(str(NOTEBOOKS_DIR / "02_placements.ipynb"), as_version=4)
    tagged = [c.source for c in nb.cells if "annex" in c.metadata.get("tags", [])]
    assert any(re.search(r"backtest_table", s) for s in tagged) and any(
        "forecast is made" in s for s in tagged
    )


# --- the sample's report (one build for the suite: tests/report/conftest.py) ----------------------------

MAX_BOARD_PAGES = 25  # the Board's report at committee length (issue 20)
# What must not reach a published document: a file name, a command or option, a code path, a setting's name
# or a spreadsheet row number. The kit's own name may appear (the footer says which version made it).
CODE = re.compile(
    r"\b[\w-]+\.(?:ya?ml|xlsx|xls|csv|docx|ipynb|py|md|json|html)\b"  # a file name
    r"|\bcpkit[/.]\w|\bcpkit (?:check|report|board|init)\b"  # a code path or a command
    r"|(?<![\w-])--[a-z]|`"  # an option, Markdown code
    r"|\b[a-z]+_[a-z0-9_]+\b"  # a setting or function name (snake_case)
    r"|\brow \d+"  # a spreadsheet row
)


def _text(path) -> str:
    return " ".join(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())


@functools.cache
def _pdf(path) -> tuple[str, ...]:
    """Each page's text; read once for the file (two tests read both sample PDFs: about 2.6 s each time)."""
    import pypdf

    return tuple(page.extract_text() for page in pypdf.PdfReader(path).pages)


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_the_sample_board_report_is_at_committee_length_and_the_annex_holds_the_analysts_material(
    sample_report,
):
    from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME
    from cpkit.report.pdf import ANNEX_PDF_NAME, PDF_NAME

    pages = _pdf(sample_report / PDF_NAME)
    assert len(pages) <= MAX_BOARD_PAGES, f"the Board's report is {len(pages)} pages"
    annex = " ".join(" ".join(_pdf(sample_report / ANNEX_PDF_NAME)).split())
    report = _text(sample_report / DOCUMENT_NAME)
    for held in ("Five-year trends", "Back test", "Data quality", "How the forecast is made"):
        assert held in annex, held
    for gone in ("Back test:", "Rows set aside while reading", "Action plan, Priority 1"):
        assert gone not in report, gone
    assert "Scorecard" in report and "technical annex published with this report" in report
    assert (sample_report / ANNEX_NAME).is_file()


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_no_file_name_command_or_code_reaches_either_sample_document(sample_report):
    from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME
    from cpkit.report.pdf import ANNEX_PDF_NAME, PDF_NAME

    for name in (DOCUMENT_NAME, ANNEX_NAME):
        text = _text(sample_report / name)
        found = sorted({text[max(0, m.start() - 40) : m.end() + 20] for m in CODE.finditer(text)})
        assert found == [], f"{name}: {found}"
    for name in (PDF_NAME, ANNEX_PDF_NAME):
        text = " ".join(_pdf(sample_report / name))
        assert not re.search(r"\.(?:ya?ml|xlsx|csv)\b|\bcpkit check\b", text), name


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_the_small_number_rule_is_said_once_in_each_sample_document(sample_report):
    from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME
    from cpkit.report.runner import SAMPLE_DIR

    rule = " ".join(rule_note(Config.for_data(SAMPLE_DIR, None)).split())
    for name in (DOCUMENT_NAME, ANNEX_NAME):
        assert _text(sample_report / name).count(rule) == 1, name


def test_a_table_sent_to_the_annex_alone_is_named_by_its_caption_where_it_was():
    # a cell tagged annex holding one table and no heading: the report's line names the table
    page = _page(
        BETA,
        [
            ("markdown", "# Care leavers\n\n## Activity\n\nMost were working.", False),
            ("html", _table("Care leavers by activity", RULE), True),
        ],
    )
    made = build_documents([(BETA, page)], CONFIG, PERIOD, page_meta(CONFIG, PERIOD))
    report = BeautifulSoup(made.report, "html.parser")
    note = report.find("p", class_="cp-annex-note")
    assert (
        note.get_text() == "More in the technical annex published with this report: Care leavers by activity."
    )
    assert note.find_previous("p").get_text() == "Most were working."
    assert report.find("table") is None
    assert "Table A1: Care leavers by activity" in BeautifulSoup(made.annex, "html.parser").get_text()
