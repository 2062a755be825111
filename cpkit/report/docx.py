"""``annual-report.docx``: the single document as a Word file officers can edit and paste into the
council's committee template.

Made with python-docx from the same HTML as ``annual-report.html`` (same numbering, same suppressed
figures), walking its elements in order:

- headings become Word's own heading styles (the document's ``<h1>`` is the Title, ``<h2>`` Heading 1 and so
  on), so the navigation pane, a table of contents field and the committee template's styles work;
- tables become Word tables whose first row is marked as a header row (``w:tblHeader``: repeated on each
  page and announced by screen readers), with the caption above in Word's Caption style and any note below;
- charts become pictures (the PNG from the page) with their alt text in the picture's description, and
  their caption below in the Caption style;
- paragraphs, lists, the analyst's commentary (still labelled) and notes keep their order and words.

Text is only ever added as text runs, never interpreted: a tracker cell cannot become a field or a link.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_NAME = "annual-report.docx"
TEXT_WIDTH = Cm(16)  # A4 with 2.5 cm margins
MAX_PICTURE_HEIGHT = Cm(20)
_BLOCKS = {"p", "ul", "ol", "table", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "dl"}
_SKIP_CLASSES = {"cp-skip", "cp-masthead"}  # page furniture: the skip link, the web header line


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


class _Writer:
    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.orientation = WD_ORIENT.PORTRAIT
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.5))
        self.doc.styles["Normal"].font.name = "Arial"
        self.doc.styles["Normal"].font.size = Pt(11)
        self.sections_seen = 0

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
        paragraph = self.doc.add_paragraph(style=style)
        _inline(paragraph, element)

    def items(self, element: Tag) -> None:
        style = "List Number" if element.name == "ol" else "List Bullet"
        for item in element.find_all("li", recursive=False):
            paragraph = self.doc.add_paragraph(style=style)
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

    def table(self, element: Tag) -> None:
        from cpkit.report.pdf import layout

        self._orientation(layout(element) != "portrait")
        caption = element.find("caption")
        if caption is not None:
            self.doc.add_paragraph(_text(caption), style="Caption")
        rows = [tr for tr in element.find_all("tr") if tr.find_parent("table") is element]
        grid = [tr.find_all(["th", "td"], recursive=False) for tr in rows]
        width = max((len(r) for r in grid), default=0)
        if not width:
            return
        table = self.doc.add_table(rows=len(grid), cols=width)
        table.style = "Table Grid"
        for i, cells in enumerate(grid):
            for j, cell in enumerate(cells):
                target = table.cell(i, j)
                target.text = ""
                run = target.paragraphs[0].add_run(_text(cell))
                run.bold = cell.name == "th" or None
                run.font.size = Pt(9)
        header_rows = len(element.find("thead").find_all("tr")) if element.find("thead") else 1
        for row in table.rows[: max(1, header_rows)]:
            _mark_header_row(row)
        note = element.find_next_sibling("p")
        if note is None or "cp-table-note" not in _classes(note):
            self._orientation(False)  # otherwise after the note, which belongs on the table's page

    def _after_note(self) -> None:
        self._orientation(False)

    def figure(self, element: Tag) -> None:
        img = element.find("img")
        src = str(img.get("src", "")) if img is not None else ""
        alt = " ".join(str(img.get("alt", "")).split()) if img is not None else ""
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
        if caption is not None:
            self.doc.add_paragraph(_text(caption), style="Caption")

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
        if _classes(element) & _SKIP_CLASSES or element.name in ("nav", "script", "style"):
            if element.name == "nav" and "cp-toc" in _classes(element):
                self.children(element)  # the contents list stays: it is part of the document
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
            notes = {"cp-note", "cp-table-note", "cp-banner"}
            self.paragraph(element, "Quote" if _classes(element) & notes else None)
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


def write_docx(document: str, path: Path, title: str | None = None, author: str | None = None) -> Path:
    """Write the document's HTML as a Word file at ``path``."""
    soup = BeautifulSoup(document, "html.parser")
    writer = _Writer()
    writer.block(soup.find("body") or soup)
    props = writer.doc.core_properties
    props.title = title or (_text(soup.title) if soup.title else "Corporate Parenting annual report")
    props.author = author or "cpkit"
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.doc.save(str(path))
    return path
