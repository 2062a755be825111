"""Issue 22, "nothing parses a figure back from text": every number a section publishes is a typed Figure.

The small council's report (about thirty children cut from the sample, ``small_council``: small counts,
secondary suppression and withheld breakdowns all occur) is built once with every section; each executed
notebook's blocks (``cpkit.publish.read.blocks_of``, the typed record beside each table and chart's HTML)
are read back, and every cell that reads as a number ("12", "45%", "+1.7", "<5", "[c]", "n/a") must be a
``Figure`` carrying its value, unit and status, so the workbook and the charts never work a figure back from
its text. A plain ``str`` cell is words (a label, a name, an action's reference). The figures themselves are
not checked here (each section's tests do that on hand-built data); what is checked is that none travels
as bare text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cpkit.config import Config, find_config
from cpkit.publish.block import Block
from cpkit.publish.figure import Figure, Status
from cpkit.publish.read import blocks_of
from cpkit.report.runner import ANALYST_DIR

# A cell that a reader (or a spreadsheet) would take for a figure: a number with or without sign,
# thousands separators, decimals or a % sign, the GSS shorthand, or the "n/a" of a year no return covers.
NUMBER = re.compile(r"^\s*(?:[+\-\u2212\u2013]?\d[\d,]*(?:\.\d+)?%?|\[(?:c|x|z|low)\]|n/a)\s*$")


def looks_like_a_number(text: str, symbol: str) -> bool:
    return bool(NUMBER.match(text)) or text.strip() == symbol


def untyped(block: Block, symbol: str) -> list[tuple[int, str, str]]:
    """(row, column, text) of each cell after the first column (the row's label: words, or an action's
    reference such as "5.2") that reads as a number but is a plain ``str``."""
    return [
        (i, block.columns[j], str(cell))
        for i, row in enumerate(block.rows)
        for j, cell in enumerate(row)
        if j > 0 and not isinstance(cell, Figure) and looks_like_a_number(str(cell), symbol)
    ]


def test_the_checker_tells_words_from_figures():
    block = Block(
        "s/t",
        "table",
        "t",
        ["Ref", "Action", "Children", "Share", "Change", "Hidden", "Overdue"],
        [["5.2", "Recruit 20 carers", "12", "45%", "+1.7", "<5", Figure("3", 3, "months")]],
    )
    assert [c for _, c, _ in untyped(block, "<5")] == ["Children", "Share", "Change", "Hidden"]


@pytest.mark.xdist_group("small_council")
def test_every_number_in_every_block_of_the_small_council_is_a_typed_figure(
    small_council: Path, small_council_data: Path
):
    report = small_council
    analyst = report.parent / ANALYST_DIR / report.name
    notebooks = sorted(analyst.glob("*.ipynb"))
    assert notebooks, f"no executed notebooks in {analyst}"
    symbol = Config.load(find_config(small_council_data)).suppression_symbol
    blocks = [b for nb in notebooks for b in blocks_of(nb)]
    # every section with tables records them (the action plan, the scorecard, the data quality checks...)
    sections = {b.section for b in blocks if b.kind == "table"}
    assert {
        "01_children_in_care",
        "02_placements",
        "03_health",
        "07_scorecard",
        "08_data_quality",
    } <= sections
    found = {b.id: untyped(b, symbol)[:3] for b in blocks if untyped(b, symbol)}
    assert not found, f"cells that read as numbers but are plain text: {found}"
    figures = [f for b in blocks for f in b.figures()]
    # the small council hides figures: they travel typed, hidden, without their value
    hidden = [f for f in figures if f.hidden]
    assert hidden and all(f.value is None for f in hidden)
    assert {f.status for f in hidden} == {Status.SMALL, Status.SECONDARY}
    # and a shown count or percentage carries the number it prints (at the precision printed)
    shown = [f for f in figures if f.status == Status.SHOWN and f.unit in ("count", "percent")]
    assert shown and all(float(str(f).replace(",", "").rstrip("%")) == f.published_value for f in shown)
