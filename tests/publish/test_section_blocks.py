"""The section tables' blocks carry typed figures, the registry measures they show and what they count.

Hand-built figures (issue 22): a two-year breakdown and a measure table from the shared section helpers,
turned into blocks as ``show_table`` records them (``cpkit.present.tables.table_block``). Each hidden cell is
a hidden Figure (never the text "[c]" alone), a share of no one is "not applicable", and the block names
the registry measures and the population without the notebook saying so.
"""

from __future__ import annotations

import pandas as pd

from cpkit.config import Config
from cpkit.present.tables import table_block
from cpkit.publish.figure import Figure, Status
from cpkit.sections.common import breakdown_table, measure_table


def fig(n: int, m: int) -> dict[str, float]:
    return {"numerator": n, "denominator": m, "pct": 100.0 * n / m if m else float("nan")}


def test_a_breakdown_block_is_typed_cell_by_cell_and_says_what_it_counts():
    # 2024: a 10, b 3, c 7 (total 20): b is a small count (<5) and c, the next smallest, is hidden with it
    # ([c]) so b cannot be worked back from the total; their shares are hidden with them.
    prev = pd.DataFrame({"g": ["a", "b", "c"], "children": [10, 3, 7]})
    cur = pd.DataFrame({"g": ["a", "b", "c"], "children": [12, 6, 8]})
    table = breakdown_table(
        {"previous": prev, "current": cur}, "g", None, ("31 March 2024", "31 March 2025"), Config(), "Group"
    )
    block = table_block(table, "Children in care by group")
    rows = {row[0]: row[1:] for row in block.rows}
    b_count, b_share = rows["b"][0], rows["b"][1]
    c_count, c_share = rows["c"][0], rows["c"][1]
    assert isinstance(b_count, Figure) and (b_count, b_count.status) == ("<5", Status.SMALL)
    assert (c_count, c_count.status, c_share.status, b_share.status) == (
        "[c]",
        Status.SECONDARY,
        Status.SECONDARY,
        Status.SECONDARY,
    )
    # a hidden figure's value never leaves the kernel; a shown one travels at its printed precision
    assert b_count.to_json()["value"] is None and c_share.to_json()["value"] is None
    a_share = rows["a"][1]
    assert (a_share, a_share.unit, a_share.to_json()["value"]) == ("50%", "percent", 50)
    assert block.population == "children in care at 31 March 2024 and 31 March 2025"


def test_a_measure_table_block_names_its_registry_measures_and_types_its_gaps():
    # health assessments 40/50 (80%) -> 45/50 (90%): change +10.0 points; dental checks of no one this year
    rows = [
        ("Annual health assessment", "health_assessment_pct", fig(40, 50), fig(45, 50)),
        ("Dental check", "teeth_check_pct", fig(30, 50), fig(0, 0)),
    ]
    table = measure_table(rows, ("2023-24", "2024-25"), Config())
    block = table_block(table, "Health checks")
    assert block.measures == ["health_assessment_pct", "teeth_check_pct"]
    health, teeth = block.rows
    change = health[block.columns.index("Change (points)")]
    assert (change, change.unit, change.value) == ("+10.0", "points", 10.0)
    none = teeth[block.columns.index("2024-25")]
    assert isinstance(none, Figure) and none.status == Status.NOT_APPLICABLE and str(none) == ""


def test_a_block_renders_as_the_page_printed_its_table():
    # block_html (the regional comparison's tables) is the report's own renderer over a block: the block
    # of a table with a small count, a hidden one, a figure not given, words and a RAG colour gives the
    # very HTML the section's page printed for the table
    from cpkit.present.disclosure import Rule
    from cpkit.present.tables import block_html, table_html
    from cpkit.publish import frame
    from cpkit.publish.figure import not_available

    rule = Rule()
    df = frame(
        {
            "Council": ["Ayton", "Beeford", "Catton"],
            "Children": [rule.count(3), rule.count(20, hidden=True), rule.count(30)],
            "Neighbours": [not_available("count"), rule.count(12), rule.count(15)],
            "Status": ["On track", "Delayed", "Complete"],
        }
    )
    classes = {"Status": {1: "rag rag-amber"}}
    page = table_html(df, "Children in care", note="A note.", classes=classes, block="children-in-care")
    block = table_block(df, "Children in care", note="A note.", classes=classes, block_id="children-in-care")
    assert block_html(block) == page
    assert "<td>&lt;5</td>" in page and "<td>[c]</td>" in page and 'class="rag rag-amber' in page
