"""Cell text as people read it: HTML from SharePoint or web exports turned into plain lines.

Trackers copied out of SharePoint lists or intranet pages carry ``<p>``, ``<ul><li>``, ``<br>`` and
entities such as ``&amp;``; spreadsheet cells carry stray spaces and non-breaking spaces. Every cell
goes through :func:`clean_text` once, so later steps only ever see plain text with one entry a line.
Decoding entities can itself make markup (``&lt;script&gt;`` becomes ``<script>``): that is stripped too
(``cpkit.present.sanitise.plain_text``), so the text stays text wherever it is shown later.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from cpkit.present.sanitise import plain_text

_LOOKS_LIKE_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_BLOCK_TAGS = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table")


def clean_text(value: Any) -> str:
    """Plain text of a cell: markup removed, one paragraph or list item a line, spaces tidied.

    Dates stored as real spreadsheet dates become ``dd/mm/yyyy``, the way English councils write
    them, so the due-date parser sees the same text a reader would.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if _LOOKS_LIKE_HTML.search(text):
        text = plain_text(_html_to_text(text))
    return _tidy(text)


def _html_to_text(text: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all("li"):
        tag.insert(0, "\u2022 ")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.append("\n")
    return soup.get_text()


def _tidy(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = (re.sub(r"[ \t\u2009\u200b]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: the form headers and statuses are compared in."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()
