"""The SDQ counts under one document key (issue 22): the checks table ("SDQ completed"), the SDQ table (each
band's "Number" and "Out of") and the SDQ band table print the same children; each count is one figure in
the report's audit, as it is one figure to a reader. Figures built by hand, worked in the comments."""

from __future__ import annotations

from cpkit.config import Config, Period
from cpkit.present.tables import table_block
from cpkit.publish.block import Block
from cpkit.publish.ledger import audit_blocks
from cpkit.sections import health
from tests.sections.test_sentence_figures import _year

PERIOD = Period.from_year(2025)
NOW = "2024-25"


def _blocks(figs: dict) -> dict[str, Block]:
    """The three SDQ tables as the section shows them, read back as the report's audit reads them."""
    config = Config()
    tables = {
        "checks": health.checks_table(figs, PERIOD, config),
        "sdq": health.sdq_table(figs, PERIOD, config),
        "bands": health.sdq_band_table(figs, PERIOD, config),
    }
    out = {}
    for name, table in tables.items():
        block = table_block(table, name, ledger=health.sdq_ledger(figs, config, PERIOD))
        back = Block.from_json(block.to_json())
        back.id = f"03_health/{name}"
        out[name] = back
    return out


def _cell(block: Block, label: str, column: str):
    row = next(r for r in block.rows if str(r[0]) == label)
    return row[block.columns.index(column)]


def test_each_sdq_count_is_one_figure_in_every_table_that_prints_it():
    # 2024-25: 50 children aged 5 to 16, 40 with a score (10 without), 25 normal + 8 borderline + 7 a
    # cause for concern; 2023-24: 48, 36, 20 + 9 + 7. No count is small and no complement is: all shown.
    figs = {"previous": _year(48, 36, 20, 9, 7), "current": _year(50, 40, 25, 8, 7)}
    blocks = _blocks(figs)
    concern_label = health.SDQ["sdq_concern_pct"]
    completed = health.CHECKS["sdq_received_pct"]
    # the 7 a cause for concern: the band table's cell and the SDQ table's "Number" are one key
    in_bands = _cell(blocks["bands"], concern_label, f"Children, {NOW}")
    in_sdq = _cell(blocks["sdq"], concern_label, f"Number, {NOW}")
    assert (in_bands.value, in_sdq.value) == (7, 7) and in_bands.key == in_sdq.key
    # the 40 with a score: the checks table's "Number" is each band's "Out of" in the SDQ table
    scored = _cell(blocks["checks"], completed, f"Number, {NOW}")
    assert scored.value == 40
    assert {_cell(blocks["sdq"], health.SDQ[k], f"Out of, {NOW}").key for k in health.SDQ_BANDS} == {
        scored.key
    }
    # the 50 children: the band table's Total is the checks table's "Out of"
    total = _cell(blocks["bands"], "Total", f"Children, {NOW}")
    assert total.value == 50 and total.key == _cell(blocks["checks"], completed, f"Out of, {NOW}").key
    # the audit names one figure for each: the 7 is printed in both tables under one key
    found = audit_blocks(blocks.values(), 5)
    assert found.ok, found.problems()
    assert found.where[in_sdq.key] == ["03_health/sdq", "03_health/bands"]
    assert found.where[scored.key] == ["03_health/checks", "03_health/sdq"]


def test_the_sdq_table_does_not_print_the_scores_received_the_band_table_hides():
    # 2024-25: 30 children aged 5 to 16, 27 with a score, so 3 without ("<5"); 27 = 15 + 8 + 4 ("<5").
    # With the 30 printed, the 27 would give the 3 back, so the SDQ ledger hides the 27 ([c]). The SDQ
    # table printed it as each band's "Out of" (27) under a key of its own, so the audit never saw one
    # count shown there and hidden in the checks table; now it is one key, and hidden in both.
    figs = {"previous": _year(30, 24, 16, 5, 3), "current": _year(30, 27, 15, 8, 4)}
    blocks = _blocks(figs)
    out_of = [_cell(blocks["sdq"], health.SDQ[k], f"Out of, {NOW}") for k in health.SDQ_BANDS]
    assert [str(c) for c in out_of] == ["[c]", "[c]", "[c]"]
    assert str(_cell(blocks["checks"], health.CHECKS["sdq_received_pct"], f"Number, {NOW}")) == "[c]"
    found = audit_blocks(blocks.values(), 5)
    assert found.ok, found.problems()
