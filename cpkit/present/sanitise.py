"""Text from input files is data, never code: the one home for making it inert where it leaves.

HTML. Council inputs reach the report's pages as tracker cells (often pasted from SharePoint with their
markup), the analyst's commentary (Markdown, which allows raw HTML) and narrative templates a council
may override. Escaping at every place they are used is easy to forget once, so the pages are also
cleaned at the edge: every HTML or Markdown output of a section notebook passes through
:func:`clean_page_html` when it is rendered (``cpkit.report.render``), whatever produced it. The cleaning
is done by `nh3 <https://nh3.readthedocs.io>`_, the Python binding of the Rust ``ammonia`` sanitiser (a
real HTML5 parser, maintained, fast), with allow-lists kept here:

- tags: structure, tables, lists, figures and text-level markup only; ``script``, ``style``,
  ``template``, ``iframe``, ``object``, ``embed`` and their content are dropped, as are forms and media;
- attributes: ``class``, ``id``, ``lang``, ``title``, ``role``, ``aria-*``, ``data-*`` (the document marks
  sections with it; nothing reads it without script), table ``scope``/spans, ``href`` and image
  ``src``/``alt`` only; no event handler (``onclick``...) and no ``style`` (CSS can load remote
  resources);
- links: ``https:``, ``mailto:``, links within the report (relative or ``#``); never ``javascript:``,
  ``data:`` or ``http:``; every link gets ``rel="noopener noreferrer"``;
- images: only the kit's own embedded charts (``data:image/png;base64,...``) and inline SVG shapes
  (sparklines) without links, references or ``url(...)``; nothing a page would fetch from elsewhere.

Analyst commentary is cleaned more strictly (:func:`clean_commentary_html`: no images at all) and tracker
cells become plain text (:func:`plain_text`): markup that only appears once entities are decoded
(``&lt;script&gt;`` becoming ``<script>``) is stripped with its content, so a later step that treats the
text as Markdown cannot make it live.

Spreadsheets and CSV files: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is taken by Excel (and LibreOffice) as a formula, so a tracker cell such as
``=HYPERLINK("http://..."&A1, ...)`` would become live in the download. Following OWASP's CSV injection
guidance, such text is prefixed with a single quote in CSV (:func:`safe_cell`, :func:`safe_frame`), and an
Excel workbook is saved with every such cell stored as text (:func:`no_formulas`). Numbers are numbers and
are left alone (a negative number is not text).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_TEXT_TAGS = {
    *("p", "br", "hr", "span", "strong", "em", "b", "i", "u", "s", "mark", "small", "sub", "sup", "wbr"),
    *("code", "pre", "kbd", "samp", "var", "blockquote", "q", "cite", "dfn", "abbr", "del", "ins", "time"),
}
_LIST_TAGS = {"ul", "ol", "li", "dl", "dt", "dd"}
_TABLE_TAGS = {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_STRUCTURE = {"div", "section", "article", "aside", "header", "footer", "figure", "figcaption", "nav"}
_STRUCTURE |= {"details", "summary"}
# Inline drawings (the Performance on a Page's sparklines): shapes only; no <use>, <image>, <a>,
# <foreignObject> or animation, and no attribute that could point elsewhere (href, url(...)).
_SVG_TAGS = {"svg", "g", "title", "desc", "polyline", "polygon", "line", "circle", "ellipse", "rect", "path"}
_SVG_ATTRIBUTES = {
    *("width", "height", "viewBox", "preserveAspectRatio", "points", "d", "transform"),
    *("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry"),
    *("fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "opacity"),
}
# Dropped with everything inside them (a script's code must not be left as visible text either).
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript"})

PAGE_TAGS = frozenset(
    _TEXT_TAGS | _LIST_TAGS | _TABLE_TAGS | _HEADINGS | _STRUCTURE | _SVG_TAGS | {"a", "img"}
)
COMMENTARY_TAGS = frozenset(_TEXT_TAGS | _LIST_TAGS | _TABLE_TAGS | _HEADINGS | {"a"})

_GENERIC_ATTRIBUTES = {"class", "id", "lang", "title", "role"}
_ATTRIBUTES = {
    "*": _GENERIC_ATTRIBUTES,
    "a": {"href"},
    "div": {
        "tabindex"
    },  # "0" only (the attribute filter): a wide table's scrolling box, reachable by keyboard
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "headers"},
    "td": {"colspan", "rowspan", "headers"},
    "ol": {"start"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    **{tag: _SVG_ATTRIBUTES for tag in _SVG_TAGS},
}
_EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def _link_allowed(value: str) -> bool:
    """https and mailto links, and links within the report (relative or fragment); nothing else."""
    value = value.strip()
    if value.startswith("//") or value.startswith("\\"):
        return False  # protocol-relative: a remote address in disguise
    scheme = _SCHEME.match(value)
    return scheme is None or scheme.group(1).lower() in ("https", "mailto")


def _make_filter(images: bool):  # noqa: ANN202 - nh3's callback type
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if "url(" in value.replace(" ", "").lower():
            return None  # an SVG paint or a CSS value fetching something
        if attribute == "tabindex":
            return value if value.strip() == "0" else None  # in the reading order, never ahead of it
        if attribute == "href":
            return value if _link_allowed(value) else None
        if tag == "img" and attribute == "src":
            return value if images and _EMBEDDED_IMAGE.match(value.strip()) else None
        return value

    return attribute_filter


def _clean(fragment: str, tags: frozenset[str], images: bool) -> str:
    return nh3.clean(
        fragment,
        tags=set(tags),
        clean_content_tags=set(_DROPPED_WITH_CONTENT | ({"svg", "math"} - tags)),
        attributes={k: set(v) for k, v in _ATTRIBUTES.items() if k == "*" or k in tags},
        generic_attribute_prefixes={"aria-", "data-"},  # data-* is inert without script
        attribute_filter=_make_filter(images),
        url_schemes={"https", "mailto", "data"},  # data: only survives the filter on an embedded image
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def clean_page_html(fragment: str) -> str:
    """An HTML fragment made safe for a report page: the allow-lists above, embedded charts kept."""
    return _clean(fragment, PAGE_TAGS, images=True)


def clean_commentary_html(fragment: str) -> str:
    """The analyst's commentary (already rendered from Markdown): text, lists, tables and https links;
    no images, no script, no frames, no styles."""
    return _clean(fragment, COMMENTARY_TAGS, images=False)


def plain_text(text: str) -> str:
    """``text`` with any markup removed, as plain characters (``a < b`` stays ``a < b``).

    Markup is removed with its content where it is executable (script, style, iframe...), else the tag
    only. Repeated until nothing changes, so markup hidden behind one more level of entities does not
    survive either (``&amp;lt;script&amp;gt;``).
    """
    for _ in range(5):
        if "<" not in text:
            return text
        cleaned = html.unescape(
            nh3.clean(text, tags=set(), clean_content_tags=set(_DROPPED_WITH_CONTENT), strip_comments=True)
        )
        if cleaned == text:
            return text
        text = cleaned
    return html.escape(text)  # still changing after five rounds: show it, never run it


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>&!|~:])")  # links, images, emphasis, code, tags, autolinks
_MARKDOWN_LINE_START = re.compile(r"^(\s*\d*)(#|>|[+-](?=\s)|(?<=\d)[.)](?=\s))")  # headings, quotes, lists


def escape_markdown(text: str) -> str:
    """Input text to put inside generated Markdown, on one line: the characters that would make a link,
    an image, emphasis, code, a tag or an autolink (``https://``) are backslash-escaped, as is a heading,
    quote or list marker at its start, so a tracker's ``[link](https://...)``, ``![image](...)`` or
    ``<b>`` shows as written. Line breaks become spaces (a sentence names an action on one line)."""
    text = " ".join(str(text).split("\n"))
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", text)


def safe_cell(value: object) -> object:
    """``value`` made safe for a spreadsheet or CSV cell: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) passed through :func:`safe_cell`, for CSV."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(safe_cell).astype(object)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def no_formulas(workbook: Workbook) -> Workbook:
    """Store every cell that openpyxl would write as a formula as text instead, shown as written.

    The report's workbooks never hold formulas of their own, so any cell that looks like one came from
    input text. Call it once, just before saving. The cell keeps its exact text; Excel's quote-prefix
    flag marks it as text so editing it does not turn it into a formula either.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
                ):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return workbook
