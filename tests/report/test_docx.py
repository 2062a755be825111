"""``annual-report.docx``: Word headings, tables with marked header rows, pictures with alt text, captions.

Opened with python-docx as an officer's Word would open it: first a small hand-made document whose every
element we know, then the sample report against its own ``annual-report.html``.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from cpkit.report.docx import DOCX_NAME, rag_fills, write_docx


def _png() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _headings(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def _alts(doc) -> list[str]:
    return [shape._inline.docPr.get("descr") for shape in doc.inline_shapes]


def _header_marked(table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


SMALL = f"""<!DOCTYPE html><html lang="en"><head><title>Test report</title></head><body>
<a class="cp-skip" href="#content">Skip to main content</a>
<main id="content"><div class="cp-cover"><h1>Annual report</h1></div>
<section class="cp-doc-section"><h2 id="a">Children in care</h2><p>There were <strong>468</strong> children.</p>
<h3>Monthly movements</h3>
<figure class="cp-figure"><img src="{_png()}" alt="Children in care rose from 450 to 468 in the year" />
<figcaption>Figure 1: Children in care</figcaption></figure>
<div class="cp-table"><table><caption>Table 1: Ages</caption><thead><tr><th scope="col">Age</th>
<th scope="col">Children</th></tr></thead><tbody><tr><th scope="row">Under 1</th><td>=cmd|x</td></tr></tbody>
</table><p class="cp-table-note">Counts from 1 to 4 are shown as &lt;5.</p></div>
<div class="cp-commentary"><p class="cp-commentary-title">Commentary from the analyst</p><p>Words.</p></div>
</section>
<section class="cp-doc-section"><h2 id="b">Scorecard</h2>
<div class="cp-table"><table><caption>Table 2: Wide</caption><thead><tr>
{"".join(f'<th scope="col">Column number {i} heading</th>' for i in range(10))}</tr></thead><tbody><tr>
{"".join(f"<td>a value of twenty chars {i}</td>" for i in range(10))}</tr></tbody></table></div>
<ul><li>First point</li><li>Second point</li></ul></section></main></body></html>"""


def test_small_document_becomes_word_headings_tables_and_pictures(tmp_path: Path):
    doc = Document(str(write_docx(SMALL, tmp_path / DOCX_NAME)))
    assert _headings(doc) == [
        ("Title", "Annual report"),
        ("Heading 1", "Children in care"),
        ("Heading 2", "Monthly movements"),
        ("Heading 1", "Scorecard"),
    ]
    assert _alts(doc) == ["Children in care rose from 450 to 468 in the year"]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["Figure 1: Children in care", "Table 1: Ages", "Table 2: Wide"]
    assert len(doc.tables) == 2 and all(_header_marked(t) for t in doc.tables)
    ages = doc.tables[0]
    assert [c.text for c in ages.rows[0].cells] == ["Age", "Children"]
    assert ages.cell(1, 1).text == "=cmd|x", "text stays text: a Word table cell holds no field"
    texts = [p.text for p in doc.paragraphs]
    assert "Counts from 1 to 4 are shown as <5." in texts
    assert "Commentary from the analyst" in texts and "There were 468 children." in texts
    assert [p.text for p in doc.paragraphs if p.style.name == "List Bullet"] == [
        "First point",
        "Second point",
    ]
    # the wide table (10 columns of 20-character text) gets a landscape section, as in the PDF
    assert any(s.orientation == WD_ORIENT.LANDSCAPE and s.page_width > s.page_height for s in doc.sections)
    assert "Skip to main content" not in texts
    assert doc.core_properties.title == "Test report"


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_docx_has_the_documents_headings_tables_and_alt_text(sample_report: Path):
    path = sample_report / DOCX_NAME
    assert path.exists(), "make report must write annual-report.docx"
    doc = Document(str(path))
    soup = BeautifulSoup((sample_report / "annual-report.html").read_text(encoding="utf-8"), "html.parser")
    sections = [h.get_text(" ", strip=True) for h in soup.select("section.cp-doc-section > h2")]
    level1 = [text for style, text in _headings(doc) if style == "Heading 1"]
    assert [t for t in level1 if t in sections] == sections, "every section is a Heading 1, in order"
    tables = soup.find_all("table")
    assert len(doc.tables) == len(tables)
    assert all(_header_marked(t) for t in doc.tables)
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert [" ".join(t.caption.get_text().split()) for t in tables] == [
        c for c in captions if c.startswith("Table")
    ]
    html_alts = [" ".join(str(img["alt"]).split()) for img in soup.select("figure img")]
    assert _alts(doc) == html_alts and all(len(a.split()) >= 4 for a in html_alts)


CLERK = """<!DOCTYPE html><html lang="en"><head><title>Anytown: Corporate Parenting annual report 2024-25</title>
</head><body><main><div class="cp-cover"><h1>Annual report</h1></div>
<nav class="cp-toc" aria-labelledby="toc-heading"><h2 id="toc-heading">Contents</h2>
<ol><li><a href="#a">Children in care</a></li></ol></nav>
<section class="cp-doc-section"><h2 id="a">Children in care</h2>
<p class="cp-note">Counts from 1 to 4 are shown as &lt;5.</p>
<div class="cp-table"><table><caption>Table 1: Delayed actions</caption><thead><tr><th scope="col">Ref</th>
<th scope="col" class="cp-text">Status</th></tr></thead><tbody>
<tr><th scope="row">1.1</th><td class="rag rag-delayed cp-text">Delayed</td></tr>
<tr><th scope="row">1.2</th><td class="rag rag-at-risk cp-text">In progress (at risk)</td></tr></tbody></table></div>
<div class="cp-table"><table><caption>Table 2: The year ahead</caption><thead><tr><th scope="col">Area</th>
<th scope="col">Actions to be taken</th></tr></thead><tbody><tr><th scope="row">Fostering</th>
<td><ul><li>Recruit 20 carers</li><li>Open a hub</li></ul></td></tr></tbody></table></div>
</section></main></body></html>"""


def _fields(part) -> list[str]:  # noqa: ANN001 - a python-docx part's XML element
    return [" ".join(t.text.split()) for t in part.iter(qn("w:instrText"))]


def test_a_clerk_gets_page_numbers_a_contents_field_named_styles_lists_and_rag_shading(tmp_path: Path):
    doc = Document(str(write_docx(CLERK, tmp_path / DOCX_NAME)))
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "Anytown: Corporate Parenting annual report 2024-25"
    assert _fields(section.footer._element) == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text.startswith("Page ")
    assert _fields(doc.element.body) == ['TOC \\o "1-2" \\h \\z \\u'], "the contents is Word's own field"
    settings = doc.settings.element.find(qn("w:updateFields"))
    assert settings is not None and settings.get(qn("w:val")) == "true"
    assert "Children in care" not in [p.text for p in doc.paragraphs if p.style.name.startswith("List")]
    # notes in a named style a template can restyle (they were Word's "Quote")
    assert [p.style.name for p in doc.paragraphs if p.text.startswith("Counts from")] == ["Note"]
    # table text in the table styles, no size set on any run (the template's table styles can then apply)
    status, year_ahead = doc.tables
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    assert all(run.font.size is None for run in paragraph.runs)
    assert status.cell(0, 0).paragraphs[0].style.name == "Table Heading"
    assert status.cell(1, 1).paragraphs[0].style.name == "Table Text"
    # RAG as colour and word: the shading is the web page's colour for the class
    fills = rag_fills()
    shading = [c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in (status.cell(1, 1), status.cell(2, 1))]
    assert shading == [fills["rag-delayed"], fills["rag-at-risk"]] and shading[0] != shading[1]
    assert [status.cell(1, 1).text, status.cell(2, 1).text] == ["Delayed", "In progress (at risk)"]
    # the year ahead's actions stay one bullet each (they were merged into one sentence)
    actions = year_ahead.cell(1, 1).paragraphs
    assert [(p.style.name, p.text) for p in actions] == [
        ("List Bullet", "Recruit 20 carers"),
        ("List Bullet", "Open a hub"),
    ]


# --- tables and charts from their blocks (issue 22: no figure in a Word table is read from the HTML) ---


def _cells(table) -> list[list[str]]:  # noqa: ANN001 - python-docx table
    return [[c.text for c in row.cells] for row in table.rows]


def _fill(cell) -> str | None:  # noqa: ANN001 - python-docx cell
    tc_pr = cell._tc.tcPr
    shd = tc_pr.find(qn("w:shd")) if tc_pr is not None else None
    return shd.get(qn("w:fill")) if shd is not None else None


def _placements_block():
    from cpkit.publish.block import Block
    from cpkit.publish.figure import Figure, Status

    # 6 children: foster care 5 shown; children's homes 1, printed "<5" (a small count; its value is not
    # kept in the block); the total 6. The status column is words with the page's RAG class on row 0.
    homes = Figure("<5", None, "count", status=Status.SMALL, reason="a count from 1 to 4")
    return Block(
        id="02_placements/children-by-placement",
        kind="table",
        caption="Children by placement",
        columns=["Placement", "Children", "Share", "Status"],
        rows=[
            ["Foster care", Figure("5", 5, "count"), Figure("83%", 83.3, "percent"), "Delayed"],
            ["Children's homes", homes, Figure("[c]", None, "percent", status=Status.SECONDARY), ""],
            ["Total", Figure("6", 6, "count"), Figure("100%", 100, "percent"), ""],
        ],
        notes=["Counts from 1 to 4 are shown as <5."],
        classes=[(0, 3, "rag rag-delayed")],
    )


def _chart_block():
    from cpkit.publish.block import Block
    from cpkit.publish.figure import Figure

    return Block(
        id="02_placements/placements-chart",
        kind="chart",
        caption="Children by placement, 31 March 2025",
        columns=["Placement", "Children"],
        rows=[["Foster care", Figure("5", 5, "count")]],
        alt="Most children in care live with foster carers",
    )


# The page as it might read after someone edited the HTML once the kernels had run: the hidden count is
# printed as 1, the total as 7, the note and caption reworded, the RAG class moved, the chart's alt text
# and caption changed. The Word file must show the blocks, not these.
TAMPERED = f"""<!DOCTYPE html><html lang="en"><head><title>Test report</title></head><body><main>
<section class="cp-doc-section" data-section="02_placements"><h2 id="p">Placements</h2>
<p>Most children live with foster carers.</p>
<figure class="cp-figure" data-block="placements-chart"><img src="{_png()}" alt="Something else entirely here" />
<figcaption>Figure 1: A changed caption</figcaption></figure>
<div class="cp-table"><table data-block="children-by-placement"><caption>Table 1: A changed caption</caption>
<thead><tr><th scope="col">Placement</th><th scope="col">Children</th><th scope="col">Share</th>
<th scope="col" class="cp-text">Status</th></tr></thead><tbody>
<tr><th scope="row">Foster care</th><td>5</td><td>83%</td><td class="cp-text">On track</td></tr>
<tr><th scope="row">Children's homes</th><td>1</td><td>17%</td><td class="rag rag-complete cp-text">Done</td></tr>
<tr><th scope="row">Total</th><td>7</td><td>100%</td><td class="cp-text"></td></tr></tbody></table>
<p class="cp-table-note">A changed note.</p></div>
<p>After the table.</p></section></main></body></html>"""


def _numbered():
    from cpkit.report.document import Numbered

    return [
        Numbered("Figure", 1, "02_placements", "x", "x", block="02_placements/placements-chart"),
        Numbered("Table", 1, "02_placements", "x", "x", block="02_placements/children-by-placement"),
    ]


def test_word_tables_and_charts_come_from_their_blocks_not_the_pages_text(tmp_path: Path):
    blocks = [_placements_block(), _chart_block()]
    doc = Document(str(write_docx(TAMPERED, tmp_path / DOCX_NAME, blocks=blocks, numbered=_numbered())))
    (table,) = doc.tables
    # cell for cell the block's text: the small count stays "<5" and its share "[c]" though the page says
    # 1 and 17%, and the total is the block's 6 (7 on the page)
    assert _cells(table) == [
        ["Placement", "Children", "Share", "Status"],
        ["Foster care", "5", "83%", "Delayed"],
        ["Children's homes", "<5", "[c]", ""],
        ["Total", "6", "100%", ""],
    ]
    assert _header_marked(table)
    # figures right-aligned in their own named styles, words and row headers as before
    styles = [[c.paragraphs[0].style.name for c in row.cells] for row in table.rows]
    assert styles[0] == ["Table Heading", "Table Figure Heading", "Table Figure Heading", "Table Heading"]
    assert styles[2] == ["Table Heading", "Table Figure", "Table Figure", "Table Text"]
    assert doc.styles["Table Figure"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # the RAG shading is the block's (row 0's Delayed), not the page's class on row 1
    fills = rag_fills()
    assert [_fill(table.cell(i, 3)) for i in (1, 2, 3)] == [fills["rag-delayed"], None, None]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["Figure 1: Children by placement, 31 March 2025", "Table 1: Children by placement"]
    assert _alts(doc) == ["Most children in care live with foster carers"]
    texts = [p.text for p in doc.paragraphs]
    assert "Counts from 1 to 4 are shown as <5." in texts and "A changed note." not in texts
    assert [p.style.name for p in doc.paragraphs if p.text.startswith("Counts from")] == ["Note"]
    # the prose around them is the document's
    assert "Most children live with foster carers." in texts and "After the table." in texts


def test_a_table_whose_block_is_missing_stops_the_word_file(tmp_path: Path):
    # the chart's block is there, the table's is not: no falling back to the page's "1" and "7"
    with pytest.raises(ValueError, match="children-by-placement"):
        write_docx(TAMPERED, tmp_path / DOCX_NAME, blocks=[_chart_block()], numbered=_numbered())


def _document_blocks(report: Path, soup: BeautifulSoup) -> tuple[list, list]:
    """The block of each of the document's tables (None for the Board's own tables of words), and every
    block of the report."""
    from cpkit.publish.read import blocks_of

    analyst = report.parent / "_analyst" / report.name
    blocks = {b.id: b for nb in sorted(analyst.glob("*.ipynb")) for b in blocks_of(nb)}
    out = []
    for table in soup.find_all("table"):
        local = table.get("data-block")
        section = table.find_parent(attrs={"data-section": True})
        out.append(blocks[f"{section['data-section']}/{local}"] if local else None)
    return out, list(blocks.values())


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_word_tables_equal_their_blocks_cell_for_cell(sample_report: Path, tmp_path: Path):
    from cpkit.publish.figure import Figure

    html = (sample_report / "annual-report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    expected, blocks = _document_blocks(sample_report, soup)
    assert sum(b is not None for b in expected) >= 15, "the sample's tables carry their blocks"
    doc = Document(str(sample_report / DOCX_NAME))
    assert len(doc.tables) == len(expected)
    shaded = 0
    for table, block in zip(doc.tables, expected, strict=True):
        if block is None:
            continue
        assert _cells(table) == [block.columns, *([str(c) for c in row] for row in block.rows)], block.id
        for i, j, css in block.classes:
            (name,) = [c for c in css.split() if c != "rag"]
            assert _fill(table.cell(i + 1, j)) == rag_fills()[name], (block.id, i, j)
            shaded += 1
        # a column of figures (blank cells aside) is right-aligned, its heading too, as on the page
        for j in range(1, len(block.columns)):
            filled = [row[j] for row in block.rows if str(row[j]).strip()]
            if filled and all(isinstance(c, Figure) for c in filled):
                styles = {table.cell(i, j).paragraphs[0].style.name for i in range(1, len(block.rows) + 1)}
                assert styles == {"Table Figure"}, (block.id, j)
                assert table.cell(0, j).paragraphs[0].style.name == "Table Figure Heading"
    assert shaded >= 5, "the delayed actions and the scorecard keep their RAG shading"
    # a page edited after the kernels ran: every body cell of every table says 999; the Word file written
    # from the same blocks still holds the blocks' figures
    for td in soup.find_all("td"):
        td.string = "999"
    tampered = Document(str(write_docx(str(soup), tmp_path / DOCX_NAME, blocks=blocks)))
    for table, block in zip(tampered.tables, expected, strict=True):
        if block is not None:
            assert _cells(table) == [block.columns, *([str(c) for c in row] for row in block.rows)], block.id
    # each chart of the document is described by its block's alt text, captioned by its block
    by_id = {b.id: b for b in blocks}
    charts = [
        by_id[f"{f.find_parent(attrs={'data-section': True})['data-section']}/{f['data-block']}"]
        for f in soup.find_all("figure", attrs={"data-block": True})
    ]
    assert len(charts) >= 5 and all(b.kind == "chart" and b.alt for b in charts)
    assert _alts(doc) == [" ".join(b.alt.split()) for b in charts]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert [c.split(": ", 1)[1] for c in captions] == [b.caption for b in charts]
