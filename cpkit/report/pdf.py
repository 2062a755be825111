"""``annual-report.pdf``: the single document laid out on A4 pages by WeasyPrint.

Committee papers are published as PDF. Printing the HTML from a browser clipped wide tables, printed the
scroll bar and had no page numbers, so the kit lays the document out itself with a paged-media engine:

- **WeasyPrint, not headless Chromium.** WeasyPrint implements the CSS paged-media rules a committee paper
  needs (page-margin boxes for the running header and "Page 3 of 40", named pages so a wide table gets a
  landscape page of its own, ``break-after: avoid`` so no heading is left alone at a page foot, table
  headers repeated on every page), installs from PyPI with the rest of the kit, needs only Debian's Pango
  libraries (``make report`` installs them where it can) and writes tagged PDF (``pdf_tags``) for screen
  readers. Chromium would need a browser and a driver at report time, not only for the tests, and its
  page-margin boxes are limited to a header and footer template.
- **No clipped table.** Each table's width is estimated from its text (characters per column, long text
  wrapped at a cap). A table too wide for a portrait page gets a landscape page (``page: landscape``) and a
  smaller type; one with more columns than even that holds is *transposed* (columns become rows), so every
  column of every table is on the page.
- Charts are sized to the page (never wider than the text block, never taller than most of a page), and a
  figure or a table row is never split between pages.

The PDF is made from the same HTML as ``annual-report.html`` (same numbering, same suppressed figures):
this module only adds the print stylesheet and the layout decisions.
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from cpkit.errors import PdfUnavailable

PDF_NAME = "annual-report.pdf"
ANNEX_PDF_NAME = "technical-annex.pdf"

# How many characters of table text fit across the text block at the portrait table type size (9 pt).
# A4 is 210 x 297 mm; 15 mm side margins leave 180 mm portrait (267 mm landscape). At 9 pt Arial an
# average character is about 1.75 mm wide; cell padding costs about 3 characters a column. A wider table
# goes landscape at 7.5 pt (about 180 characters), where its long text wraps further within the cells.
PORTRAIT_CHARS = 100
# A table a little wider stays on the portrait page in 8 pt type (about 112 characters): a landscape page
# of its own for a few characters more cost a part-empty page before and after it, which at committee
# length (``cpkit.report.document``: at most 25 pages) the Board's report cannot spare.
COMPACT_CHARS = 112
CELL_PADDING_CHARS = 3
WRAP_AT = 25  # long text wraps: a column is never counted wider than this many characters
WRAP_TIGHT = 15  # ... and in the compact layout, where long text may wrap into a narrower column
MIN_WORD = 12  # ... but never narrower than its longest word (up to this many characters)
_HEADING_NAMES = ("h1", "h2", "h3", "h4", "h5", "h6")
SHORT_TEXT = 1200  # characters: a part of text this short beside a landscape section joins its pages
MAX_LANDSCAPE_COLUMNS = 16  # more columns than this are transposed even if the text would fit

PRINT_CSS = """
@page {
  size: A4 portrait;
  font-family: Arial, "Liberation Sans", Helvetica, sans-serif;
  margin: 20mm 15mm 18mm 15mm;
  @top-left { content: string(masthead); font-size: 8pt; color: #505a5f; }
  @top-right { content: string(section); font-size: 8pt; color: #505a5f; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #505a5f; }
  @bottom-left { content: string(sample); font-size: 8pt; color: #505a5f; }
}
@page :first { @top-left { content: none; } @top-right { content: none; } }
@page landscape { size: A4 landscape; margin: 20mm 15mm 18mm 15mm; }
html { font-size: 10.5pt; }
body { max-width: none; margin: 0; padding: 0; line-height: 1.3; font-size: 10.5pt; }
.cp-skip, nav[aria-label="Report sections"] { display: none; }
.cp-front { break-after: page; }
nav.cp-toc { display: block; }
nav.cp-toc ol { padding-left: 1.5em; }
nav.cp-toc a::after { content: leader('.') " " target-counter(attr(href), page); }
.cp-masthead { string-set: masthead content(); }
.cp-banner { string-set: sample "Synthetic sample data: describes no real children"; }
.cp-doc-section > h2:first-of-type, .cp-doc-appendix > h2 { string-set: section content(); }
h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
h2 { font-size: 16pt; } h3 { font-size: 13pt; } h4 { font-size: 11pt; }
p { orphans: 3; widows: 3; }
.cp-cover { break-after: page; border-bottom: none; padding-top: 40mm; }
.cp-cover h1 { font-size: 26pt; }
.cp-doc-section { break-before: auto; border-top: none; margin-top: 1.4em; }
.cp-table { overflow: visible; margin: 0.6em 0; }
table { font-size: 8.5pt; width: auto; max-width: 100%; break-inside: auto; page-break-inside: auto; }
thead { display: table-header-group; }
tr, th, td { break-inside: avoid; page-break-inside: avoid; }
th, td { padding: 0.15em 0.4em; overflow-wrap: break-word; }

.cp-figure { break-inside: avoid; page-break-inside: avoid; margin: 0.6em 0; }
.cp-figure img { display: block; max-width: 100%; max-height: 75mm; width: auto; height: auto; }
figcaption { break-before: avoid; }
.cp-landscape { page: landscape; }
.cp-landscape table { font-size: 7pt; }
.cp-compact table { font-size: 8pt; }
.cp-landscape-run { page: landscape; }
.cp-transposed-note { font-size: 8pt; color: #505a5f; }
.cp-commentary, .cp-authored-box { break-inside: avoid; }
.cp-authored + .cp-authored { break-before: auto; margin-top: 1.5em; }
a { color: #0b0c0c; text-decoration: none; }
"""


def _cells(row: Tag) -> list[Tag]:
    return row.find_all(["th", "td"], recursive=False)


def _rows(table: Tag) -> list[list[str]]:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        rows.append([" ".join(c.get_text(" ", strip=True).split()) for c in _cells(tr)])
    return rows


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _column_chars(text: str, header: bool, wrap: int = WRAP_AT) -> int:
    """How wide a cell's text needs its column. A header wraps between words, so it needs only its longest
    word; a body cell wants its whole text up to ``WRAP_AT`` characters (long text wraps) and no less than
    its longest word (up to ``MIN_WORD``: a longer word may break)."""
    if header:
        return min(_longest_word(text), MIN_WORD)
    return max(min(len(text), wrap), min(_longest_word(text), MIN_WORD))


def table_width(table: Tag | list[list[str]], wrap: int = WRAP_AT) -> tuple[int, int]:
    """(columns, estimated characters across) for a table, from its header and body text, with long text
    wrapping at ``wrap`` characters. ``table`` is the HTML table, or its rows' texts, the header row first
    (a writer that lays a table out from its block, ``cpkit.report.docx``)."""
    rows = _rows(table) if isinstance(table, Tag) else table
    n = max((len(r) for r in rows), default=0)
    widths = [0] * n
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            widths[j] = max(widths[j], _column_chars(text, header=i == 0, wrap=wrap))
    return n, sum(widths) + CELL_PADDING_CHARS * n


def layout(table: Tag | list[list[str]]) -> str:
    """ "portrait", "compact" (portrait in smaller type), "landscape" or "transpose" for one table (the
    HTML table, or its rows' texts as ``table_width`` takes them)."""
    columns, chars = table_width(table)
    if columns > MAX_LANDSCAPE_COLUMNS:
        return "transpose"
    if chars <= PORTRAIT_CHARS:
        return "portrait"
    if chars <= COMPACT_CHARS or table_width(table, WRAP_TIGHT)[1] <= COMPACT_CHARS:
        return "compact"  # a little too wide, or wide only for long text that can wrap further
    return "landscape"


def transpose(soup: BeautifulSoup, table: Tag) -> Tag:
    """The same table with rows and columns swapped: the old header row becomes the first column of row
    headers, each old row a column. Caption kept; the cells' text is copied, not re-derived."""
    rows = [r for r in table.find_all("tr") if r.find_parent("table") is table]
    grid = [_cells(r) for r in rows]
    n = max((len(r) for r in grid), default=0)
    new = soup.new_tag("table", attrs={"class": "cp-transposed"})
    caption = table.find("caption")
    if caption is not None:
        new.append(copy.copy(caption))
    thead, tbody = soup.new_tag("thead"), soup.new_tag("tbody")
    new.append(thead)
    new.append(tbody)
    for j in range(n):
        tr = soup.new_tag("tr")
        for i, row in enumerate(grid):
            text = row[j].get_text(" ", strip=True) if j < len(row) else ""
            if j == 0:
                cell = soup.new_tag("th", attrs={"scope": "col"})
            elif i == 0:
                cell = soup.new_tag("th", attrs={"scope": "row"})
            else:
                cell = soup.new_tag("td")
                if j < len(row) and row[j].get("class"):
                    cell["class"] = row[j]["class"]
            cell.string = text
            tr.append(cell)
        (thead if j == 0 else tbody).append(tr)
    return new


def mark_for_paper(soup: BeautifulSoup, keep_screen: bool = False) -> None:
    """Make each top-level table's paper layout decision (``layout``) in ``soup``: a wide table's holder
    is marked ``cp-landscape`` (its own landscape page), or ``cp-compact`` (portrait, smaller type) when it is only a little too wide; a table with too many columns is transposed.

    ``keep_screen`` is for the HTML a reader may print from a browser: the transposed copy is added
    *beside* the original, marked ``cp-print-only`` (the original ``cp-screen-only``), so the screen still
    shows the table as made and the printout shows every column. Without it (the PDF) the copy replaces
    the original."""
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None or "cp-transposed" in (table.get("class") or []):
            continue
        choice = layout(table)
        holder = (
            table.parent
            if table.parent is not None and "cp-table" in (table.parent.get("class") or [])
            else None
        )
        if choice == "transpose":
            new = transpose(soup, table)
            note = soup.new_tag("p", attrs={"class": "cp-transposed-note"})
            note.string = "This table is printed with its rows and columns swapped so that every column fits."
            if keep_screen:
                original = holder if holder is not None else table
                original["class"] = [*(original.get("class") or []), "cp-screen-only"]
                copy_holder = soup.new_tag("div", attrs={"class": "cp-table cp-print-only"})
                copy_holder.append(new)
                copy_holder.append(note)
                original.insert_after(copy_holder)
                holder = copy_holder
            else:
                table.replace_with(new)
                new.insert_after(note)
            table = new
            choice = layout(new) if layout(new) != "transpose" else "landscape"
        if choice == "compact":
            target = holder if holder is not None else table
            target["class"] = [*(target.get("class") or []), "cp-compact"]
        if choice == "landscape":
            target = holder if holder is not None else table
            target["class"] = [*(target.get("class") or []), "cp-landscape"]


def paper_ready(document: str) -> str:
    """The single document's HTML as it is published: the screen unchanged, and the paper layout marked
    for a reader who prints it from a browser (the print rules in ``report.css`` put ``cp-landscape``
    tables on landscape A4 pages and print only the transposed copy of a table too wide for any page)."""
    soup = BeautifulSoup(document, "html.parser")
    mark_for_paper(soup, keep_screen=True)
    return str(soup)


def landscape_sections(soup: BeautifulSoup) -> None:
    """Once a section of the document turns to landscape pages for a wide table, it stays landscape to its
    end (``cp-landscape-run``), from the heading and lines that introduce the table, or from the
    section's start when nothing but text comes before the table; short parts of text only next to it
    (a contact, a risk statement) go with it. Turning the page for the table alone left a chart after it,
    or the lines before it, alone on a part-empty portrait page, and could leave the table's heading at
    the foot of the page before it."""

    def short(part: Tag) -> bool:
        return part.find(["figure", "table"]) is None and len(part.get_text(" ", strip=True)) <= SHORT_TEXT

    for section in soup.select("section.cp-doc-section"):
        wide = section.find(class_="cp-landscape")
        if wide is None:
            continue
        top = wide
        while top.parent is not None and top.parent is not section:
            top = top.parent
        start, whole = top, True
        for before in top.find_previous_siblings():
            if before.name in ("figure", "table") or before.find(["figure", "table"]) is not None:
                whole = False
                break
        if not whole:
            for before in top.find_previous_siblings():
                start = before
                if before.name in _HEADING_NAMES:
                    break
        run = [start, *start.find_next_siblings()] if not whole else [section]
        if whole:
            for before in section.find_previous_siblings("section"):
                if not short(before):
                    break
                run.append(before)
        for after in section.find_next_siblings("section"):
            if not short(after):
                break
            run.append(after)
        for element in run:
            element["class"] = [*(element.get("class") or []), "cp-landscape-run"]


def _print_soup(document: str) -> BeautifulSoup:
    soup = BeautifulSoup(document, "html.parser")
    mark_for_paper(soup)
    landscape_sections(soup)
    head = soup.find("head")
    style = soup.new_tag("style", attrs={"media": "print"})
    style.string = PRINT_CSS
    if head is not None:
        head.append(style)
    else:
        soup.insert(0, style)
    return soup


def print_html(document: str) -> str:
    """The document's HTML with the layout decisions made for paper: wide tables marked landscape or
    transposed. The screen HTML is not changed."""
    return str(_print_soup(document))


PICTURE_SCHEME = "cpkit-picture:"  # a chart handed to WeasyPrint as its pixels (``_charts_as_rgb``)


def _charts_as_rgb(soup: BeautifulSoup) -> dict[str, bytes]:
    """The charts of ``soup`` handed to WeasyPrint as RGB PNGs: each ``<img>`` whose ``data:`` URI is a
    256-colour PNG (``cpkit.present.charts`` reduces every chart to one) gets a ``cpkit-picture:<hash>``
    address instead (one picture, one address, whichever document it is in), and the returned map gives
    its pixels in RGB, compressed at zlib's fastest level.

    Why: a PDF image's pixels are RGB. Given the 256-colour PNG, WeasyPrint converts it to RGB and
    encodes that as a PNG (zlib's default level) only to decode it again when it writes the page; given
    an RGB PNG it keeps the file as it is until then. Each picture's pixels, and so the PDF's image (which
    WeasyPrint encodes itself in both cases), are the same: only the work between goes (about a tenth of
    the Board report's PDF). A picture of any other kind (a photo of the Board's chair, a PNG with a
    transparent colour) is left to WeasyPrint as it was."""
    import base64
    import binascii
    import hashlib
    import io

    from PIL import Image, UnidentifiedImageError

    prefix = "data:image/png;base64,"
    pictures: dict[str, bytes] = {}
    for img in soup.find_all("img"):
        src = img.get("src")
        if not isinstance(src, str) or not src.startswith(prefix):
            continue
        try:
            with Image.open(io.BytesIO(base64.b64decode(src[len(prefix) :]))) as image:
                if image.mode != "P" or "transparency" in image.info:
                    continue
                out = io.BytesIO()
                image.convert("RGB").save(out, "PNG", compress_level=1)
        except (binascii.Error, UnidentifiedImageError, OSError, ValueError):
            continue  # WeasyPrint reports a picture it cannot read, as it did before
        address = PICTURE_SCHEME + hashlib.sha1(src.encode("ascii", "replace")).hexdigest()  # noqa: S324 - a name
        pictures[address] = out.getvalue()
        img["src"] = address
    return pictures


def _picture_fetcher(soup: BeautifulSoup) -> object | None:
    """WeasyPrint's fetcher of the document's resources, answering the addresses ``_charts_as_rgb`` gives
    the charts of ``soup``, and anything else as WeasyPrint's own does; None (WeasyPrint's own, the
    ``data:`` URIs kept) where there is no chart, or where this WeasyPrint has no fetcher class to build
    on (an older one)."""
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:
        return None
    pictures = _charts_as_rgb(soup)
    if not pictures:
        return None

    class Pictures(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if url in pictures:
                return URLFetcherResponse(url, pictures[url], {"Content-Type": "image/png"})
            return super().fetch(url, headers)

    return Pictures()


def write_pdf(document: str, path: Path, title: str | None = None) -> Path:
    """Lay out the document's HTML on A4 pages and write the PDF to ``path``."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: Pango's shared libraries are not installed
        raise PdfUnavailable(
            f"{path.name} was not made: WeasyPrint could not load ({error}). Install Pango "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0; `make report` does this as root)."
        ) from error
    soup = _print_soup(document)
    fetcher = _picture_fetcher(soup)
    path.parent.mkdir(parents=True, exist_ok=True)
    with no_cycle_collection():
        HTML(string=str(soup), base_url=None, url_fetcher=fetcher).write_pdf(
            str(path), pdf_tags=True, media_type="print"
        )
    return path


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector held off while a writer makes a document, and set as it was after.

    Used round WeasyPrint's layout and round the writers of the run's process (``cpkit.report.site``),
    whose heap holds the whole run besides. Laying out the Board report makes hundreds of thousands of objects that live until the PDF is
    written (the document tree, its styles, the boxes of every page), so the collector, which starts on
    every 700 new objects, scanned them all again and again, finding almost nothing to free:
    about a fifth of the annex's PDF and a tenth of the Board report's. Their memory is the same either
    way until the document is written (a writer process's peak rose from 127 to 140 MB for the Board
    report); what is left over is collected once the collector runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
