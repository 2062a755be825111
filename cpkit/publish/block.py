"""A block: one table, chart or passage of a report as published, with its figures typed.

A section shows a block (``cpkit.present.tables.show_table``, ``cpkit.present.charts.show_chart``,
``show_appendix``) and the block travels beside the rendered HTML in the notebook's output under the MIME
type ``MIME`` (pages ignore it), so every writer after the kernel (the workbook first) reads typed figures
from ``cpkit.publish.read.blocks_of`` instead of parsing the HTML or the text.

A cell is a ``Figure`` (a number, with its status) or a plain ``str`` (words: a label, a name, an action).
The id is ``"<section>/<slug of caption>"``, unique within the report: the kernel writes the slug (it keeps
no per-run state, ``cpkit.report.execute``), and ``blocks_of`` prefixes the section and numbers repeats
(``-2``, ``-3``) in output order, so the same run always gives the same ids. The HTML of a table carries
the same slug (``data-block``) so the document's numbering can name a block without matching captions.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from cpkit.publish.figure import Figure

MIME = "application/vnd.cpkit.block+json"
KINDS = ("table", "chart", "text")

Cell = Figure | str


def slug(text: str, limit: int = 60) -> str:
    """ "Children in care at 31 March 2025" -> "children-in-care-at-31-march-2025" (at most ``limit``
    characters, cut at a hyphen)."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out or "block"


def cell_to_json(cell: Any) -> Any:
    """A cell as JSON: a Figure as its dict (hidden values left out), anything else as its text."""
    if isinstance(cell, Figure):
        return cell.to_json()
    return "" if cell is None else str(cell)


def cell_from_json(data: Any) -> Cell:
    if isinstance(data, dict):
        return Figure.from_json(data)
    return "" if data is None else str(data)


@dataclass
class Block:
    """One published table, chart (its data) or passage: caption, columns, typed rows and what they count."""

    id: str
    kind: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)  # registry ids (cpkit/measures.yaml) the block shows
    population: str = ""  # what its counts count ("children in care at 31 March 2025")
    relations: list[dict[str, int]] = field(default_factory=list)  # sum(coef * figure[key]) == 0
    signed: list[str] = field(default_factory=list)  # keys of signed figures (a net change): any whole number
    # percentages printed from two counts: {"numerator": key, "denominator": key, "percent": 80.0, "decimals": 0};
    # a shown percentage Figure that names its counts is added when the block is made (``gather_shares``)
    shares: list[dict[str, Any]] = field(default_factory=list)
    # a chart's text alternative (the picture's description in every output); "" for a table
    alt: str = ""
    # the page's classes of a cell, [row, column, "rag rag-delayed"] (rows of ``rows``, from 0): a RAG
    # status's colour, which the Word file shades the same (it always sits beside the status's words)
    classes: list[tuple[int, int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"block kind {self.kind!r} is not one of {', '.join(KINDS)}")
        self.gather_shares()

    def gather_shares(self) -> list[dict[str, Any]]:
        """Add to ``shares`` every shown percentage among the block's figures that names the counts it
        divides (``Figure.share``), once each. A block does this when it is made (and again when read
        back, which adds nothing), so the percentages a block prints are its shares without a section
        or writer keeping a second list."""
        for fig in self.figures():
            share = fig.share()
            if share is not None and share not in self.shares:
                self.shares.append(share)
        return self.shares

    @property
    def section(self) -> str:
        """The section part of the id ("" before ``blocks_of`` has given it one)."""
        return self.id.split("/", 1)[0] if "/" in self.id else ""

    def figures(self) -> list[Figure]:
        """Every Figure cell, row by row."""
        return [c for row in self.rows for c in row if isinstance(c, Figure)]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "caption": self.caption,
            "columns": [str(c) for c in self.columns],
            "rows": [[cell_to_json(c) for c in row] for row in self.rows],
            "notes": list(self.notes),
            "measures": list(self.measures),
            "population": self.population,
            "relations": [{str(k): int(v) for k, v in r.items()} for r in self.relations],
            "signed": sorted(str(k) for k in self.signed),  # gathered from sets: one order, run after run
            "shares": [dict(x) for x in self.shares],
            "alt": self.alt,
            "classes": [[int(i), int(j), str(c)] for i, j, c in self.classes],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        return cls(
            id=str(data.get("id", "")),
            kind=str(data.get("kind", "table")),
            caption=str(data.get("caption", "")),
            columns=[str(c) for c in data.get("columns", [])],
            rows=[[cell_from_json(c) for c in row] for row in data.get("rows", [])],
            notes=[str(n) for n in data.get("notes", [])],
            measures=[str(m) for m in data.get("measures", [])],
            population=str(data.get("population", "")),
            relations=[{str(k): int(v) for k, v in r.items()} for r in data.get("relations", [])],
            signed=[str(k) for k in data.get("signed", [])],
            shares=[dict(x) for x in data.get("shares", [])],
            alt=str(data.get("alt", "")),
            classes=[(int(i), int(j), str(c)) for i, j, c in data.get("classes", [])],
        )


def frame(data: Any, columns: Any = None, index: Any = None) -> Any:
    """A DataFrame that keeps its Figures: ``pd.DataFrame(data, columns, index, dtype=object)``.

    pandas 3 stores a column whose cells are all ``str`` in its string dtype, which keeps the text and
    drops the ``Figure`` (``pd.DataFrame({"n": [rule.count(3)]}).iloc[0, 0]`` is a plain str). A table of
    figures is built with this, or with ``dtype=object``; ``show_table`` cannot give back a type the frame
    has already lost."""
    import pandas as pd

    return pd.DataFrame(data, columns=columns, index=index, dtype=object)


def typed_cell(value: Any, text: str) -> Cell:
    """A table cell for a block, from the frame's ``value`` and the ``text`` the page prints for it.

    A Figure (from the value or the column's formatter) stays as it is; a raw number or date the page
    printed becomes a shown Figure (unit "number" or "date": the frame does not say more; sections that
    know better pass Figures); anything else is words."""
    if isinstance(text, Figure):
        return text
    if isinstance(value, Figure) and str(value) == str(text):
        return value
    if text == "" or isinstance(value, str | bytes) or value is None:
        return str(text)
    from cpkit.publish.figure import _plain

    plain = _plain(value)
    if plain is None:
        return str(text)
    if isinstance(plain, datetime.date):
        return Figure(str(text), plain, "date")
    if isinstance(plain, int):
        return Figure(str(text), plain, "number", 0)
    return Figure(str(text), plain, "number", 0 if float(plain).is_integer() else 1)


def relations_for(equations: Any, keys: set[str]) -> list[dict[str, int]]:
    """A ledger's equations (``cpkit.present.disclosure.Ledger.equations``) that involve a figure of the
    block, their keys as text."""
    from cpkit.publish.figure import key_text

    out = []
    for eq in equations or ():
        named = {key_text(k): int(c) for k, c in eq.items()}
        if keys & set(named):  # type: ignore[arg-type]
            out.append(named)  # type: ignore[arg-type]
    return out
