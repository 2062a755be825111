"""``annual-report.docx``: the single document as a Word file officers can edit and paste into the
council's committee template.

Made with python-docx in the order of ``annual-report.html`` (same numbering), walking its elements; the
figures come from the sections' typed blocks (``cpkit.publish``), never from the page's text:

- headings become Word's own heading styles (the document's ``<h1>`` is the Title, ``<h2>`` Heading 1 and so
  on), so the navigation pane, a table of contents field and the committee template's styles work;
- a section's table (its ``data-block`` names the block, ``cpkit.present.tables.table_html``) is written
  from its ``Block``: the caption (with the document's "Table N" from ``cpkit.report.document.Numbered``),
  the columns, every cell's text as the page prints it (a hidden figure's symbol, "<5" or "[c]", is the
  Figure's own text, so a figure the block hides cannot appear in Word whatever the HTML says), the RAG
  shading the block records beside a status's words, and its notes; the first row is marked as a header
  row (``w:tblHeader``: repeated on each page and announced by screen readers), the first column is the
  row headers, and a column of figures is right-aligned, as on the page. Its page orientation is chosen
  from the block's text by the PDF's own rule (``cpkit.report.pdf.layout``);
- a chart with a block is its picture (the PNG the page shows: a picture, not a figure) with the block's
  alt text in the picture's description and the block's caption below in the Caption style;
- the Board's own tables (priorities, the year ahead: words an officer wrote, no block), charts without
  data, paragraphs, lists, the analyst's commentary (still labelled) and notes are the document's words,
  written once by the kernels and the authored parts, and keep their order and words.

``write_docx`` without blocks (the committee cover report, the quarterly page) writes every table from its
HTML, as those pages are made; with blocks, a table or chart whose block is missing stops the file
(``ValueError``) rather than fall back to the page's text.

So that a clerk can map it onto the council's own template rather than retype it, everything is done with
named styles, never with formatting set on runs: table text is the "Table Text" style and header cells
"Table Heading" (9 pt, which a template can change in one place), a column of figures "Table Figure" and
"Table Figure Heading" (the same, right-aligned), notes, the data banner and table notes "Note"; bullets and numbered lists are Word's own list styles, also inside table cells (the year ahead's
actions stay one bullet each). Every page has the document's title in its header and "Page N of M" in its
footer (PAGE and NUMPAGES fields); the contents is a Word table-of-contents field over Headings 1-2, which
Word fills when the file is opened (the document asks it to update its fields). A status cell keeps its
RAG colour as cell shading, the same colours as the web page's (read from ``report.css``), beside the
words, which carry the meaning.

Text is only ever added as text runs, never interpreted: a tracker cell cannot become a field or a link.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup, NavigableString, Tag
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from cpkit.publish.figure import Figure

if TYPE_CHECKING:
    from cpkit.publish.block import Block
    from cpkit.report.document import Numbered

DOCX_NAME = "annual-report.docx"
TEXT_WIDTH = Cm(16)  # A4 with 2.5 cm margins
MAX_PICTURE_HEIGHT = Cm(20)
_BLOCKS = {"p", "ul", "ol", "table", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "dl"}
# page furniture (the skip link, the web header line) and the print-only copy of a transposed table
_SKIP_CLASSES = {"cp-skip", "cp-masthead", "cp-print-only"}
NOTE_STYLE, TABLE_TEXT_STYLE, TABLE_HEADING_STYLE = "Note", "Table Text", "Table Heading"
TABLE_FIGURE_STYLE, TABLE_FIGURE_HEADING_STYLE = "Table Figure", "Table Figure Heading"
_NOTE_CLASSES = {"cp-note", "cp-table-note", "cp-banner"}


def rag_fills() -> dict[str, str]:
    """The RAG classes' shading (``rag-delayed`` -> ``F6D7D2``), from the web page's stylesheet: one home
    for the colours, so the Word file and the page cannot drift apart."""
    from cpkit.report.render import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    return {k: v.upper() for k, v in re.findall(r"\.(rag-[a-z-]+) \{ background: #([0-9a-fA-F]{6})", css)}


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:  # noqa: ANN001 - python-docx
    """A Word field (PAGE, NUMPAGES, TOC ...) at the end of ``paragraph``, showing ``placeholder`` until
    Word updates it: begin, the instruction, separate, the shown text, end."""
    run = paragraph.add_run()

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    run._r.append(shown)
    char("end")


def _shade(cell, fill: str) -> None:  # noqa: ANN001 - python-docx cell
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _text(element: Tag | NavigableString) -> str:
    return " ".join(element.get_text(" ", strip=True).split()) if isinstance(element, Tag) else str(element)


def _classes(element: Tag) -> set[str]:
    return set(element.get("class") or [])


def _mark_header_row(row) -> None:  # noqa: ANN001 - python-docx row
    """Word's "Repeat as header row at the top of each page": the row is the table's header."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _inline(paragraph, element: Tag) -> None:  # noqa: ANN001 - python-docx paragraph
    """The element's text as runs, bold and italic kept."""
    for node in element.descendants:
        if not isinstance(node, NavigableString) or not str(node):
            continue
        text = re.sub(r"\s+", " ", str(node))
        if not text.strip() and not paragraph.runs:
            continue
        parents = {p.name for p in node.parents}
        run = paragraph.add_run(text)
        run.bold = bool(parents & {"strong", "b", "th"}) or None
        run.italic = bool(parents & {"em", "i"}) or None


def _figure_columns(block: Block) -> set[int]:
    """The columns (after the row headers) that hold figures only, blank cells aside: right-aligned, as the
    page lines up a column of figures (``cpkit.present.tables``)."""
    out = set()
    for j in range(1, len(block.columns)):
        cells = [row[j] for row in block.rows if j < len(row) and str(row[j]).strip()]
        if cells and all(isinstance(c, Figure) for c in cells):
            out.add(j)
    return out


class _Writer:
    def __init__(self, blocks: Iterable[Block] | None = None, numbered: Iterable[Numbered] = ()) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.orientation = WD_ORIENT.PORTRAIT
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.5))
        self.doc.styles["Normal"].font.name = "Arial"
        self.doc.styles["Normal"].font.size = Pt(11)
        self._styles()
        self.fills = rag_fills()
        self.sections_seen = 0
        self._style_ids: dict[str, str | None] = {}
        # the sections' blocks by id (None: every table from its HTML) and the Board report's labels
        self.blocks = {b.id: b for b in blocks} if blocks is not None else None
        self.labels = {n.block: n.label for n in numbered if n.block and not n.series}
        self._written: set[int] = set()  # elements already written from a block (a table's note)

    def _style(self, paragraph, name: str) -> None:  # noqa: ANN001 - python-docx paragraph
        """``paragraph.style = name``, with the style's id looked up once per name (python-docx searches
        the styles part for the name and for the default style on every assignment)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        paragraph._p.style = self._style_ids[name]

    def _paragraph(self, text: str = "", style: str | None = None):  # noqa: ANN202 - python-docx paragraph
        """``doc.add_paragraph(text, style)`` with the style's id looked up once (:meth:`_style`)."""
        paragraph = self.doc.add_paragraph(text)
        if style is not None:
            self._style(paragraph, style)
        return paragraph

    def _styles(self) -> None:
        """The named styles the document uses besides Word's own (see the module docstring)."""
        styles = self.doc.styles
        names = {s.name for s in styles}
        for name, base, size, bold, grey in (
            (NOTE_STYLE, "Normal", 9, False, True),
            (TABLE_TEXT_STYLE, "Normal", 9, False, False),
            (TABLE_HEADING_STYLE, TABLE_TEXT_STYLE, 9, True, False),
            (TABLE_FIGURE_STYLE, TABLE_TEXT_STYLE, 9, False, False),
            (TABLE_FIGURE_HEADING_STYLE, TABLE_HEADING_STYLE, 9, True, False),
            ("TOC Heading", "Normal", 16, True, False),
        ):
            if name in names:
                continue
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles[base]
            style.font.size = Pt(size)
            style.font.bold = bold or None
            if grey:
                style.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
            if name.startswith("Table"):
                style.paragraph_format.space_after = Pt(0)
            if name in (TABLE_FIGURE_STYLE, TABLE_FIGURE_HEADING_STYLE):
                style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def furniture(self, title: str) -> None:
        """The running header (the document's title) and "Page N of M" footer, on every page (later page
        sections are linked to the first), and fields updated when Word opens the file."""
        section = self.doc.sections[0]
        section.header.paragraphs[0].text = title
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.doc.settings.element.append(update)

    def contents(self, element: Tag) -> None:
        """The contents as Word's own field over Headings 1-2 (the HTML's list of links is not copied:
        Word builds the entries and their page numbers)."""
        heading = element.find(["h1", "h2", "h3"])
        self._paragraph(_text(heading) if heading is not None else "Contents", "TOC Heading")
        _field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "Right-click and choose Update Field.")
        self.doc.add_page_break()

    def heading(self, element: Tag) -> None:
        level = int(element.name[1])
        text = _text(element)
        if not text:
            return
        if level == 2 and element.parent is not None and "cp-doc-section" in _classes(element.parent):
            self.sections_seen += 1
            if self.sections_seen > 1 and self.doc.sections[-1].orientation == WD_ORIENT.PORTRAIT:
                self.doc.add_page_break()
            self._orientation(False)
        self.doc.add_heading(text, level=0 if level == 1 else min(level - 1, 9))

    def paragraph(self, element: Tag, style: str | None = None) -> None:
        if not _text(element):
            return
        paragraph = self._paragraph(style=style)
        _inline(paragraph, element)

    def items(self, element: Tag) -> None:
        style = "List Number" if element.name == "ol" else "List Bullet"
        for item in element.find_all("li", recursive=False):
            paragraph = self._paragraph(style=style)
            _inline(paragraph, item)

    def _orientation(self, landscape: bool) -> None:
        """Start a new page section in the orientation asked for (a wide table gets a landscape page,
        as in the PDF)."""
        current = self.doc.sections[-1]
        if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        short, long = sorted((section.page_width, section.page_height))
        section.page_width, section.page_height = (long, short) if landscape else (short, long)

    def _block(self, element: Tag) -> Block | None:
        """The block a table or chart of the document shows (its ``data-block`` in its section), or None
        for one with no block (the Board's own words) or when the file is written from HTML alone."""
        local = str(element.get("data-block") or "")
        if self.blocks is None or not local:
            return None
        owner = element.find_parent(attrs={"data-section": True})
        block_id = f"{owner['data-section']}/{local}" if owner is not None else local
        block = self.blocks.get(block_id)
        if block is None:
            raise ValueError(
                f"the document shows block {block_id!r}, which is not among the blocks the Word file was "
                "given: its figures cannot be written from the page's text"
            )
        return block

    def _caption(self, block: Block) -> None:
        label = self.labels.get(block.id)
        self._paragraph(f"{label}: {block.caption}" if label else block.caption, "Caption")

    def block_table(self, element: Tag, block: Block) -> None:
        """A section's table from its block (see the module docstring): nothing of it is read from the
        HTML but where it stands, and its note there is skipped (the block's notes are written)."""
        from cpkit.report.pdf import layout

        texts = [list(block.columns), *([str(c) for c in row] for row in block.rows)]
        self._orientation(layout(texts) != "portrait")
        self._caption(block)
        width = max(len(r) for r in texts)
        if not width:
            return
        table = self.doc.add_table(rows=len(texts), cols=width)
        table.style = "Table Grid"
        figures = _figure_columns(block)
        shading = {(i + 1, j): css for i, j, css in block.classes}
        targets = table._cells  # listed once (see ``table``)
        for i, row in enumerate(texts):
            for j, text in enumerate(row):
                if i == 0:
                    style = TABLE_FIGURE_HEADING_STYLE if j in figures else TABLE_HEADING_STYLE
                else:  # the first column holds the row headers, as on the page (``table_html``)
                    style = (
                        TABLE_HEADING_STYLE
                        if j == 0
                        else TABLE_FIGURE_STYLE
                        if j in figures
                        else TABLE_TEXT_STYLE
                    )
                target = targets[i * width + j]
                paragraph = target.paragraphs[0]
                self._style(paragraph, style)
                if text:
                    paragraph.add_run(text)
                for name in shading.get((i, j), "").split():
                    if name in self.fills:
                        _shade(target, self.fills[name])
        _mark_header_row(table.rows[0])
        for note in block.notes:
            if note.strip():
                self._paragraph(note, NOTE_STYLE)
        note = element.find_next_sibling("p")
        if note is not None and "cp-table-note" in _classes(note):
            self._written.add(id(note))
        self._orientation(False)

    def table(self, element: Tag) -> None:
        from cpkit.report.pdf import layout

        block = self._block(element)
        if block is not None:
            self.block_table(element, block)
            return
        self._orientation(layout(element) != "portrait")
        caption = element.find("caption")
        if caption is not None:
            self._paragraph(_text(caption), "Caption")
        rows = [tr for tr in element.find_all("tr") if tr.find_parent("table") is element]
        grid = [tr.find_all(["th", "td"], recursive=False) for tr in rows]
        width = max((len(r) for r in grid), default=0)
        if not width:
            return
        table = self.doc.add_table(rows=len(grid), cols=width)
        table.style = "Table Grid"
        # the cells listed once: python-docx's ``table.cell(i, j)`` lists every cell of the table on each
        # call, which made the Word file's big tables quadratic (seconds for the sample's report)
        targets = table._cells
        for i, cells in enumerate(grid):
            for j, cell in enumerate(cells):
                self._cell(targets[i * width + j], cell)
        header_rows = len(element.find("thead").find_all("tr")) if element.find("thead") else 1
        for row in table.rows[: max(1, header_rows)]:
            _mark_header_row(row)
        note = element.find_next_sibling("p")
        if note is None or "cp-table-note" not in _classes(note):
            self._orientation(False)  # otherwise after the note, which belongs on the table's page

    def _cell(self, target, cell: Tag) -> None:  # noqa: ANN001 - python-docx cell
        """A table cell's words in the table styles; a list in it stays a list (one bullet an item); a
        RAG class becomes the cell's shading."""
        style = TABLE_HEADING_STYLE if cell.name == "th" else TABLE_TEXT_STYLE
        first = target.paragraphs[0]
        self._style(first, style)
        lists = cell.find_all(["ul", "ol"])
        loose = " ".join(
            _text(n) for n in cell.children if not (isinstance(n, Tag) and n.name in ("ul", "ol"))
        ).strip()
        if not lists:
            first.add_run(_text(cell))
        else:
            if loose:
                first.add_run(loose)
            for block in lists:
                for k, item in enumerate(block.find_all("li", recursive=False)):
                    paragraph = (
                        first if not loose and block is lists[0] and k == 0 else target.add_paragraph()
                    )
                    self._style(paragraph, "List Number" if block.name == "ol" else "List Bullet")
                    paragraph.add_run(_text(item))
        for name in _classes(cell):
            if name in self.fills:
                _shade(target, self.fills[name])

    def _after_note(self) -> None:
        self._orientation(False)

    def figure(self, element: Tag) -> None:
        """A chart or picture: the page's PNG, described by its alt text, its caption below. A chart with
        a block takes both from the block (a block read from a notebook made before charts recorded their
        alt text takes the page's)."""
        img = element.find("img")
        src = str(img.get("src", "")) if img is not None else ""
        alt = " ".join(str(img.get("alt", "")).split()) if img is not None else ""
        block = self._block(element)
        if block is not None:
            alt = " ".join(block.alt.split()) or alt
        if src.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")):  # charts; officers' photos
            data = base64.b64decode(src.split(",", 1)[1])
            picture = self._picture(data)
            shape = picture.runs[-1]._r.xpath(".//wp:docPr")
            for doc_pr in shape:
                doc_pr.set("descr", alt)
                doc_pr.set("title", alt[:250])
        elif alt:
            self.doc.add_paragraph(f"[Image not included: {alt}]")
        caption = element.find("figcaption")
        if block is not None:
            self._caption(block)
        elif caption is not None:
            self._paragraph(_text(caption), "Caption")

    def _picture(self, data: bytes):  # noqa: ANN202 - python-docx paragraph
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            w, h = image.size
        width = TEXT_WIDTH
        if h and w and width * h / w > MAX_PICTURE_HEIGHT:
            width = int(MAX_PICTURE_HEIGHT * w / h)
        self.doc.add_picture(io.BytesIO(data), width=width)
        return self.doc.paragraphs[-1]

    def block(self, element: Tag) -> None:
        """Write one element and, for containers, what it holds, in order."""
        if id(element) in self._written:
            return
        if _classes(element) & _SKIP_CLASSES or element.name in ("nav", "script", "style"):
            if element.name == "nav" and "cp-toc" in _classes(element):
                self.contents(element)  # the contents stays, as Word's own contents field
            return
        if element.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(element)
        elif element.name == "table":
            self.table(element)
        elif element.name == "figure":
            self.figure(element)
        elif element.name in ("ul", "ol"):
            self.items(element)
        elif element.name == "p":
            self.paragraph(element, NOTE_STYLE if _classes(element) & _NOTE_CLASSES else None)
            if "cp-table-note" in _classes(element):
                self._after_note()
        elif element.name == "dl":
            for term in element.find_all(["dt", "dd"]):
                self.paragraph(term)
        elif element.name in ("div", "section", "main", "header", "footer", "body", "aside", "nav"):
            self.children(element)
        elif _text(element):
            self.paragraph(element)

    def children(self, element: Tag) -> None:
        loose: list[NavigableString | Tag] = []

        def flush() -> None:
            text = " ".join(_text(n) for n in loose).strip()
            if text:
                self.doc.add_paragraph(text)
            loose.clear()

        for child in element.children:
            if isinstance(child, Tag) and _classes(child) & _SKIP_CLASSES:
                continue
            if isinstance(child, Tag) and (child.name in _BLOCKS or child.find(list(_BLOCKS))):
                flush()
                self.block(child)
            elif isinstance(child, Tag) or str(child).strip():
                loose.append(child)
        flush()


def write_docx(
    document: str,
    path: Path,
    title: str | None = None,
    author: str | None = None,
    *,
    blocks: Iterable[Block] | None = None,
    numbered: Iterable[Numbered] = (),
) -> Path:
    """Write the document as a Word file at ``path``: its words and order from the HTML, each section's
    table and chart from its block in ``blocks`` (every block of the report, as ``blocks_of`` reads them;
    None writes the tables from the HTML), numbered as ``numbered`` (``cpkit.report.document.Documents``;
    the Board report's, series "")."""
    soup = BeautifulSoup(document, "html.parser")
    writer = _Writer(blocks, numbered)
    title = title or (_text(soup.title) if soup.title else "Corporate Parenting annual report")
    writer.furniture(title)
    writer.block(soup.find("body") or soup)
    props = writer.doc.core_properties
    props.title = title
    props.author = author or "cpkit"
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.doc.save(str(path))
    return path
