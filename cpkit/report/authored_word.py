"""A Board part written in Word (``board/2025/foreword.docx``), read as the Markdown file would be.

Officers write in Word, so each written part (``foreword``, ``background``, ``board``, ``coproduction``,
``sufficiency``, ``risk``, ``contact``) may be a ``.docx`` instead of a ``.md`` (one or the other, not
both). What is read (python-docx), in the document's order:

- the first paragraph in the *Title* or *Heading 1* style is the part's title; other headings sit under it
  (*Heading 1* and *Heading 2* as the part's sub-headings, *Heading 3* and below one level lower);
- paragraphs with their **bold** and *italic*, and links (https and mailto only, as in Markdown);
- bulleted and numbered lists (Word's *List Bullet* / *List Number* styles or its list buttons), one level;
- tables, the first row as the header; a paragraph in the *Caption* style just before a table is its
  caption;
- pictures, embedded as ``cpkit.report.pictures`` draws them again, each with its alt text (in Word: right
  click, *Edit Alt Text*); a picture without one is refused, naming the paragraph.

The two table parts may be Word files too (``year_ahead.docx``, ``priorities.docx``): the paragraphs are
the introduction and the one table is the part's, its first row's headings naming the columns
(``TABLE_COLUMNS``: "Area of focus", "Actions to be taken", "Impact"; "Priority", "Champions", "Lead
officers", "Supporters"); a cell's lines or bullets are a list. A heading the kit does not know is refused
with the headings it reads.

Text is data: it is escaped, then passes the kit's allow-list like Markdown. Comments, tracked changes'
deletions, headers and footers are not part of the text. A file Word cannot have written (not a .docx, a
damaged file) is an ``AuthoredError`` naming it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from cpkit.errors import AuthoredError

if TYPE_CHECKING:
    from cpkit.report.authored import Part, PartSpec

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _open(path: Path):  # noqa: ANN202 - a python-docx Document
    """The Word file at ``path``, or an ``AuthoredError`` saying how to save it so the kit can read it."""
    import docx

    try:
        return docx.Document(str(path))
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for a file it cannot open
        raise AuthoredError(
            f"{path}: cannot be read as a Word document ({type(error).__name__}: {error}); save it from Word "
            "as 'Word Document (*.docx)'"
        ) from None


def word_part(spec: PartSpec, path: Path, data_dir: Path) -> Part | None:
    """The part from a Word file; ``None`` when nothing is written in it."""

    from cpkit.present.sanitise import clean_commentary_html
    from cpkit.report.authored import Part

    document = _open(path)
    reader = _Reader(document, path)
    body = reader.read()
    if not body.strip() and not reader.pictures:
        return None
    out = clean_commentary_html(body)
    for token, figure in reader.pictures.items():
        out = out.replace(f"<p>{token}</p>", figure).replace(token, figure)
    return Part(spec.key, reader.title or spec.title, spec.after, out)


class _Reader:
    """Walks the document's body once, writing HTML; pictures become tokens replaced after cleaning."""

    def __init__(self, document, path: Path, tables: bool = True) -> None:  # noqa: ANN001 - python-docx's
        self.document = document
        self.path = path
        self.with_tables = tables  # False: a table part's one table is read apart (``word_table_part``)
        self.title: str | None = None
        self.pictures: dict[str, str] = {}
        self.paragraph_number = 0
        self.tables = 0

    def read(self) -> str:
        from docx.table import Table

        out: list[str] = []
        items: list[str] = []  # the open list's items
        kind = ""  # "ul" or "ol"
        caption: str | None = None
        for block in self.document.iter_inner_content():
            if isinstance(block, Table):
                out += self._close(items, kind)
                items, kind = [], ""
                if self.with_tables:
                    out.append(self._table(block, caption))
                caption = None
                continue
            self.paragraph_number += 1
            style = (block.style.name if block.style is not None else "") or ""
            inner = self._inline(block)
            text = " ".join(block.text.split())
            list_kind = self._list_kind(block, style)
            if list_kind:
                if kind and kind != list_kind:
                    out += self._close(items, kind)
                    items = []
                kind = list_kind
                if inner.strip():
                    items.append(f"<li>{inner}</li>")
                continue
            out += self._close(items, kind)
            items, kind = [], ""
            if caption is not None:  # a caption not followed by a table is an ordinary paragraph
                out.append(f"<p>{html.escape(caption)}</p>")
                caption = None
            level = _heading_level(style)
            if style.lower() in ("title", "heading 1") and self.title is None and not out and text:
                self.title = text
            elif level and text:
                out.append(f"<h{level}>{html.escape(text)}</h{level}>")
            elif style.lower() == "caption" and text:
                caption = text
            elif inner.strip():
                out.append(f"<p>{inner}</p>")
        out += self._close(items, kind)
        if caption is not None:
            out.append(f"<p>{html.escape(caption)}</p>")
        return "".join(out)

    @staticmethod
    def _close(items: list[str], kind: str) -> list[str]:
        return [f"<{kind}>{''.join(items)}</{kind}>"] if items and kind else []

    @staticmethod
    def _list_kind(paragraph, style: str) -> str:  # noqa: ANN001
        lowered = style.lower()
        if lowered.startswith("list number"):
            return "ol"
        if lowered.startswith("list bullet"):
            return "ul"
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:  # Word's list buttons on an ordinary paragraph
            return "ul"
        return ""

    def _inline(self, paragraph) -> str:  # noqa: ANN001 - python-docx's Paragraph
        from docx.text.hyperlink import Hyperlink

        parts = []
        for item in paragraph.iter_inner_content():
            if isinstance(item, Hyperlink):
                words = html.escape(item.text)
                address = item.address or ""
                parts.append(f'<a href="{html.escape(address)}">{words}</a>' if address else words)
                continue
            parts.append(self._run(item))
        return "".join(parts)

    def _run(self, run) -> str:  # noqa: ANN001 - python-docx's Run
        out = ""
        for drawing in run._r.iter(f"{_W}drawing"):
            out += self._picture(drawing)
        text = html.escape(run.text)
        if text.strip():
            if run.bold:
                text = f"<strong>{text}</strong>"
            if run.italic:
                text = f"<em>{text}</em>"
        return out + text

    def _picture(self, drawing) -> str:  # noqa: ANN001 - an lxml element
        from cpkit.report.pictures import figure_html, picture_data

        where = f"{self.path}, paragraph {self.paragraph_number}: picture"
        doc_pr = next(drawing.iter(f"{_WP}docPr"), None)
        alt = (
            " ".join(str(doc_pr.get("descr") or doc_pr.get("title") or "").split())
            if doc_pr is not None
            else ""
        )
        blip = next(drawing.iter(f"{_A}blip"), None)
        rid = blip.get(f"{_R}embed") if blip is not None else None
        if not rid:
            raise AuthoredError(
                f"{where}: linked to a file elsewhere, not inside the document; insert the picture itself "
                "(Insert, Pictures, This Device)"
            )
        if not alt or alt.lower().startswith("a picture containing"):  # Word's automatic guess is no help
            raise AuthoredError(
                f"{where}: no description; in Word right-click the picture, choose Edit Alt Text and say "
                "what it shows, for a reader who cannot see it"
            )
        try:
            uri = picture_data(self.document.part.related_parts[rid].blob)
        except AuthoredError as error:
            raise AuthoredError(f"{where}: refused: {error}") from None
        token = f"cpkitpicture{len(self.pictures)}x"
        self.pictures[token] = figure_html(uri, alt)
        return token

    def _table(self, table, caption: str | None) -> str:  # noqa: ANN001 - python-docx's Table
        self.tables += 1
        rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]
        if not rows:
            return ""
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:]
        )
        name = caption or f"Table {self.tables} of {self.path.name}"
        return (
            f'<div class="cp-table cp-authored-table"><table><caption>{html.escape(name)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )


def _heading_level(style: str) -> int:
    """The HTML level a Word heading style is shown at under the part's own ``<h2>``: 0 if not a heading."""
    lowered = style.lower()
    if lowered == "title":
        return 3
    if lowered.startswith("heading "):
        try:
            number = int(lowered.split()[1])
        except (IndexError, ValueError):
            return 0
        return min(6, max(3, number + 1))
    return 0


# --- the table parts: the year ahead and the priorities, as a Word table -----------------------------------

# Each part's columns: the key, and the headings (lower case) a council's Word table may give it.
TABLE_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "year_ahead": {
        "area": ("area", "area of focus", "areas of focus", "focus", "priority"),
        "actions": ("actions", "action", "actions to be taken", "what we will do"),
        "impact": ("impact", "impacts", "expected impact", "outcome", "outcomes"),
    },
    "priorities": {
        "title": ("priority", "priorities", "title"),
        "champions": ("champions", "champion", "elected member champions", "member champions"),
        "leads": ("leads", "lead", "lead officers", "lead officer"),
        "supporters": ("supporters", "supporter", "supported by"),
    },
}
REQUIRED = {"year_ahead": ("area", "actions", "impact"), "priorities": ("title",)}


def word_table_part(spec: PartSpec, path: Path, data_dir: Path) -> Part | None:
    """The year ahead or the priorities from a Word file: its paragraphs are the introduction and its
    one table the part's table, recognised by the header row's headings (``TABLE_COLUMNS``); a cell's
    paragraphs or bullets are a list (several actions, several champions). ``None`` when nothing is
    written."""

    from cpkit.present.sanitise import clean_commentary_html
    from cpkit.report.authored import priorities_part, year_ahead_part

    document = _open(path)
    if len(document.tables) != 1:
        raise AuthoredError(
            f"{path}: expected one table (with the headings {_headings(spec.key)}), found "
            f"{len(document.tables)}"
        )
    reader = _Reader(document, path, tables=False)
    intro = clean_commentary_html(reader.read())
    for token, figure in reader.pictures.items():
        intro = intro.replace(f"<p>{token}</p>", figure).replace(token, figure)
    rows = _table_rows(document.tables[0], spec.key, path)
    title = reader.title or spec.title
    if spec.key == "year_ahead":
        made = [
            (
                " ".join(r["area"]),
                r["actions"] if len(r["actions"]) > 1 else " ".join(r["actions"]),
                " ".join(r["impact"]),
            )
            for r in rows
        ]
        return year_ahead_part(spec, title, intro, made)
    if not rows:
        return None
    people = [
        {
            "number": "",
            "title": " ".join(r["title"]),
            **{k: r.get(k, []) for k in ("champions", "leads", "supporters")},
        }
        for r in rows
    ]
    part = priorities_part(spec, people, f"From {path.name}.", intro)
    return type(part)(part.key, title, part.after, part.body)


def _headings(key: str) -> str:
    return ", ".join(f"'{aliases[0].title()}'" for aliases in TABLE_COLUMNS[key].values())


def _table_rows(table, key: str, path: Path) -> list[dict[str, list[str]]]:  # noqa: ANN001 - python-docx's
    """The table's rows as {column: the cell's lines}, the header row naming the columns."""
    grid = [[[" ".join(p.text.split()) for p in cell.paragraphs] for cell in row.cells] for row in table.rows]
    if not grid:
        return []
    columns: list[str | None] = []
    for number, cell in enumerate(grid[0], start=1):
        heading = " ".join(" ".join(cell).split()).lower().rstrip(":")
        column = next((k for k, aliases in TABLE_COLUMNS[key].items() if heading in aliases), None)
        if column is None and heading:
            raise AuthoredError(
                f"{path}: the table's column {number} is headed '{heading}', which the kit does not know; the "
                f"headings it reads are {_headings(key)}"
            )
        columns.append(column)
    missing = [k for k in REQUIRED[key] if k not in columns]
    if missing:
        raise AuthoredError(
            f"{path}: the table has no column headed {', '.join(repr(TABLE_COLUMNS[key][k][0].title()) for k in missing)}"
            f" in its first row; the headings it reads are {_headings(key)}"
        )
    rows = []
    for number, row in enumerate(grid[1:], start=2):
        found: dict[str, list[str]] = {}
        for column, cell in zip(columns, row, strict=False):
            if column is not None:
                found.setdefault(column, [])
                found[column] += [line for line in cell if line and line not in found[column]]
        if not any(found.values()):
            continue  # an empty row
        for k in REQUIRED[key]:
            if not found.get(k):
                raise AuthoredError(
                    f"{path}: the table's row {number} has nothing under '{TABLE_COLUMNS[key][k][0].title()}'"
                )
        rows.append(found)
    return rows
