"""Accessible HTML tables: a caption, real header cells with scope, no empty corner cell.

pandas' own HTML has an empty corner header cell and no caption (both accessibility failures), so the kit
writes the few lines of HTML itself. Values are formatted here and nowhere else, so a table in the report
and in the Excel download read the same.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Mapping

import pandas as pd
from IPython.display import display

from cpkit.present.judgement import printed
from cpkit.publish.block import MIME as BLOCK_MIME
from cpkit.publish.block import Block, frame, relations_for, slug, typed_cell
from cpkit.publish.figure import Figure
from cpkit.publish.text import section_state

Formatter = Callable[[object], str]


def _fmt(value: object) -> str:
    if isinstance(value, Figure):
        return value  # the formatter that made it already chose its text
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return printed(value, 0 if value.is_integer() else 1)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, pd.Timestamp):
        return f"{value.day} {value.strftime('%b %Y')}"
    return str(value)


# A cell reads as a figure when it starts with one (after a sign, a comparison or a currency mark) or is
# one of the GSS symbols and dashes that stand in for a figure; a column of nothing else is right-aligned.
_FIGURE = re.compile(r"^[+\-−–±<>≤≥~£(\s]*\d|^\[[a-z]+\]$|^[-–—]$")


def _is_text_column(texts: list[str]) -> bool:
    """Whether a column holds words (an action, a status, a name) rather than figures: such a column is
    left-aligned (``cp-text``), as text is read, instead of lined up on the right as figures are."""
    filled = [t.strip() for t in texts if t.strip()]
    return bool(filled) and not all(_FIGURE.match(t) for t in filled)


def table_html(
    df: pd.DataFrame,
    caption: str,
    *,
    row_header: bool = True,
    formats: Mapping[str, Formatter] | None = None,
    note: str | None = None,
    classes: Mapping[str, Mapping[int, str]] | None = None,
    markup_columns: Collection[str] = (),
    block: str | None = None,
) -> str:
    """HTML for ``df`` with ``caption``; the first column is the row header when ``row_header``.

    ``block`` (the id of the typed block shown with it, ``cpkit.publish.block``) is written on the
    ``<table>`` as ``data-block``, so the document can name the block of each numbered table.

    ``markup_columns`` hold markup the kit itself drew (an inline SVG sparkline with its text alternative),
    inserted as it is; every other cell is escaped, so text from input files stays text.

    ``formats`` maps column names to functions giving the cell text; ``classes`` maps a column to
    {row position: CSS class} (used for RAG colours, which always sit beside a text label); ``note`` is a
    line under the table (definitions, exclusions, suppression).
    """
    if not caption or not caption.strip():
        raise ValueError("every table needs a caption that says what it shows")
    formats = formats or {}
    classes = classes or {}
    cols = [str(c) for c in df.columns]
    texts = [[formats.get(col, _fmt)(v) for v in df.iloc[:, j]] for j, col in enumerate(df.columns)]
    text_column = [
        j > 0 and col not in markup_columns and _is_text_column(texts[j]) for j, col in enumerate(df.columns)
    ]
    text_class = ' class="cp-text"'
    head = "".join(
        f'<th scope="col"{text_class if text_column[j] else ""}>{html.escape(c)}</th>'
        for j, c in enumerate(cols)
    )
    rows = []
    for i in range(len(df)):
        cells = []
        for j, col in enumerate(df.columns):
            text = texts[j][i]
            text = text if col in markup_columns else html.escape(text)
            css = " ".join(c for c in (classes.get(col, {}).get(i), "cp-text" if text_column[j] else "") if c)
            attr = f' class="{css}"' if css else ""
            if j == 0 and row_header:
                cells.append(f'<th scope="row"{attr}>{text}</th>')
            else:
                cells.append(f"<td{attr}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    foot = f'<p class="cp-table-note">{html.escape(note)}</p>' if note else ""
    return (
        # tabindex: a table wider than the page scrolls in its box, and a keyboard user must reach it to
        # scroll it (axe-core's scrollable-region-focusable; WCAG 2.1.1)
        f'<div class="cp-table" tabindex="0"><table{_block_attribute(block)}><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{foot}</div>"
    )


def _block_attribute(block: str | None) -> str:
    return f' data-block="{html.escape(block)}"' if block else ""


def block_slug(caption: str) -> str:
    """The id a block of this caption gets in the running section: the caption's slug, "-2", "-3" for a
    caption met again in the same section.

    The names met so far are kept in the kernel's user namespace, which the runner clears before each
    section (``%reset``, ``cpkit.report.execute``), so they are the section's and nothing carries over;
    outside IPython every block gets the plain slug (``blocks_of`` numbers repeats when it reads them)."""
    wanted = slug(caption)
    seen = section_state("_cpkit_blocks", {})
    if seen is None:
        return wanted
    seen[wanted] = seen.get(wanted, 0) + 1
    return wanted if seen[wanted] == 1 else f"{wanted}-{seen[wanted]}"


# A table's or chart's typed block travels beside its HTML in the notebook output under BLOCK_MIME
# (``cpkit.publish.block.MIME``), which pages ignore; the report's writers read it back
# (``cpkit.publish.read.blocks_of``).


def table_block(
    df: pd.DataFrame,
    caption: str,
    *,
    kind: str = "table",
    formats: Mapping[str, Formatter] | None = None,
    note: str | None = None,
    measures: Collection[str] = (),
    population: str = "",
    ledger: object = None,
    block_id: str | None = None,
    classes: Mapping[str, Mapping[int, str]] | None = None,
) -> Block:
    """The table as a typed block (``cpkit.publish.block``): a Figure cell stays typed, a raw number or date
    becomes a shown Figure with the text the page prints, words stay words. ``ledger`` (a
    ``cpkit.present.disclosure.Ledger``, or the table's ``attrs["ledger"]``) gives the relations between the
    block's figure keys; ``classes`` (as ``table_html``'s: a RAG status's colour) go with their cells."""
    formats = formats or {}
    positions = {col: j for j, col in enumerate(df.columns)}
    cell_classes = [
        (int(i), positions[col], str(css))
        for col, by_row in (classes or {}).items()
        if col in positions
        for i, css in sorted(by_row.items())
        if css
    ]
    rows: list[list[Figure | str]] = []
    for record in df.itertuples(index=False):
        rows.append(
            [
                typed_cell(value, formats.get(col, _fmt)(value))
                for col, value in zip(df.columns, record, strict=True)
            ]
        )
    keys = {c.key for row in rows for c in row if isinstance(c, Figure) and c.key}
    relations: list[dict[str, int]] = []
    signed: list[str] = []
    shares: list[dict] = []
    if ledger is None:  # a section's table may carry the ledger its cells come from
        ledger = df.attrs.get("ledger")
    # and the registry measures it shows and what its counts count (set where the table is built)
    measures = measures or tuple(df.attrs.get("measures", ()))
    population = population or str(df.attrs.get("population", ""))
    if ledger is not None:  # a Ledger's equations over the document keys its figures carry
        named = ledger.relations() if hasattr(ledger, "relations") else getattr(ledger, "equations", None)
        relations = relations_for(named, keys)
        signed = sorted(keys & set(ledger.signed_keys())) if hasattr(ledger, "signed_keys") else []
        shares = [x for x in getattr(ledger, "shares", []) if {x["numerator"], x["denominator"]} & keys]
    return Block(
        id=block_id or slug(caption),
        kind=kind,
        caption=caption,
        columns=[str(c) for c in df.columns],
        rows=rows,
        notes=[note] if note else [],
        measures=list(measures),
        population=population,
        relations=relations,
        signed=signed,
        shares=shares,
        classes=cell_classes,
    )


def show_table(
    df: pd.DataFrame,
    caption: str,
    *,
    measures: Collection[str] = (),
    population: str = "",
    ledger: object = None,
    block_id: str | None = None,
    **kwargs: object,
) -> None:
    """Display ``df`` as an accessible table (see ``table_html`` for the options), with its typed block
    (``table_block``) beside the HTML for the writers that follow."""
    block_id = block_id or block_slug(caption)
    html_text = table_html(df, caption, block=block_id, **kwargs)  # type: ignore[arg-type]
    formats = kwargs.get("formats")
    block = table_block(
        df,
        caption,
        formats=formats,  # type: ignore[arg-type]
        note=kwargs.get("note"),  # type: ignore[arg-type]
        measures=measures,
        population=population,
        ledger=ledger,
        block_id=block_id,
        classes=kwargs.get("classes"),  # type: ignore[arg-type]
    )
    display({"text/html": html_text, BLOCK_MIME: block.to_json()}, raw=True)


def show_appendix(title: str, tables: list, level: int = 2) -> None:
    """Show tables as an appendix: one ``<section class="cp-appendix">`` with its own heading.

    ``tables`` are objects with ``frame``, ``caption`` and optionally ``classes``, ``note``. The single
    annual-report document moves every appendix section after the last section; each table's published
    data still goes to the Excel download (one empty-HTML output per table carrying the data).
    """
    anchor = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")
    ids = [block_slug(t.caption) for t in tables]
    parts = [
        table_html(
            t.frame,
            t.caption,
            classes=getattr(t, "classes", None),
            note=getattr(t, "note", None),
            block=block_id,
        )
        for t, block_id in zip(tables, ids, strict=True)
    ]
    display(
        {
            "text/html": f'<section class="cp-appendix" aria-labelledby="{anchor}">'
            f'<h{level} id="{anchor}">{html.escape(title)}</h{level}>{"".join(parts)}</section>'
        },
        raw=True,
    )
    for t, block_id in zip(tables, ids, strict=True):
        block = table_block(
            t.frame,
            t.caption,
            note=getattr(t, "note", None),
            block_id=block_id,
            classes=getattr(t, "classes", None),
        )
        display(
            {"text/html": "", BLOCK_MIME: block.to_json()},
            raw=True,
        )


def block_html(block: Block, caption: str | None = None) -> str:
    """A typed block (``cpkit.publish.block``) as the report prints a table: ``table_html`` over its cells
    (a Figure prints its own text, words are escaped), its notes under it, ``data-block`` its id.
    ``caption``: as numbered in the document ("Table 3: ..."), by default the block's own; a cell's
    classes (``Block.classes``, a RAG status's colour) as the page gave them."""
    classes: dict[str, dict[int, str]] = {}
    for i, j, css in block.classes:
        classes.setdefault(block.columns[j], {})[i] = css
    return table_html(
        frame(block.rows, columns=block.columns),
        caption or block.caption,
        note=" ".join(n for n in block.notes if n) or None,
        classes=classes,
        block=block.id.split("/", 1)[-1],
    )
