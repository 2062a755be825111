"""Sentences in the document's audit (issue 22): the figures a generated sentence prints travel in a
``kind="text"`` block beside the Markdown (``cpkit.publish.text``), keyed like the table cells that print
the same counts, and the report's audit (``cpkit.publish.ledger.audit_blocks``) reads them with the tables.

Every figure is built by hand; what a reader of the blocks can work out is worked in the comments.
"""

from __future__ import annotations

import nbformat
import papermill as pm

from cpkit.present.disclosure import Ledger, Rule
from cpkit.present.narrative import Narrative
from cpkit.present.tables import table_block
from cpkit.publish import figure as published
from cpkit.publish.audit import PINNED, SHOWN_AND_HIDDEN
from cpkit.publish.block import MIME, Block, frame
from cpkit.publish.figure import Figure, Status
from cpkit.publish.ledger import audit_blocks, document_key
from cpkit.publish.read import blocks_of
from cpkit.publish.text import Sentence, forget, gather, register, sentence, text_block

RULE = Rule(5, "<5")


def _published(block: Block, section: str) -> Block:
    """The block as ``blocks_of`` reads it from a notebook: through JSON (hidden values dropped), its
    section in front of its id."""
    back = Block.from_json(block.to_json())
    back.id = f"{section}/{back.id}"
    return back


def _placement_types() -> tuple[Ledger, Block]:
    # foster 12, children's homes 3, other 6, total 21 (printed across the report, so kept). Homes is
    # small ("<5"); with foster and the total printed, 21 - 12 = 9 = homes + other, so other is hidden
    # too ([c]: 0 or 5 and more), and then homes is anything from 1 to 4 (other 8 to 5). Nothing leaks.
    ledger = Ledger(RULE, name="types")
    for key, n in (("foster", 12), ("homes", 3), ("other", 6)):
        ledger.add(key, n)
    ledger.add("total", 21, shared=True)
    ledger.total("total", ["foster", "homes", "other"])
    ledger.resolve()
    rows = [[k, ledger.text(k)] for k in ("foster", "homes", "other", "total")]
    table = table_block(
        frame(rows, columns=["Placement", "Children"]), "Children by placement", ledger=ledger
    )
    return ledger, _published(table, "placements")


def test_a_sentence_printing_a_count_a_table_hides_fails_the_audit():
    ledger, table = _placement_types()
    assert [str(r[1]) for r in table.rows] == ["12", "<5", "[c]", "21"]
    assert audit_blocks([table], 5).ok  # the table alone: homes is 1 to 4, other 5 to 8
    # A sentence worded from the count itself, not from the table's ledger: "6 children lived in other
    # placements", the same figure as the [c] cell (its key). A reader of both: homes = 21 - 12 - 6 = 3.
    said = sentence("6 children lived in other placements.", RULE.words(6, key=ledger.key_of("other")))
    words = _published(text_block([said]), "placements")
    assert words.kind == "text"
    found = audit_blocks([table, words], 5)
    other, homes = (document_key("placements", ledger.key_of(k)) for k in ("other", "homes"))
    assert {(f.key, f.kind) for f in found.findings} == {(other, SHOWN_AND_HIDDEN), (homes, PINNED)}
    assert (
        f"{other} is shown in one place and hidden in another (placements/children-by-placement, "
        in (found.problems()[0])
    )
    # worded from the ledger, the sentence gives the table's status: no number, and nothing to find
    fixed = sentence("Children in other placements: {}.", ledger.words("other"))
    assert str(ledger.words("other")) == "not shown, to protect small numbers"
    assert audit_blocks([table, _published(text_block([fixed]), "placements")], 5).ok


def _ceased_by_month() -> Block:
    # Periods of care that ended, month by month, April to September: 1, 1, 0, 1, 1, 0. The four months
    # with one are "<5" (1 to 4 each); the zeros are shown (a zero identifies no child). The table
    # records that the year's total (not printed in it) is the sum of the months.
    months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep"]
    cells = [
        published.small("<5", 1, 5, key=f"moves:ceased/{m}")
        if n
        else published.shown("0", 0, "count", key=f"moves:ceased/{m}")
        for m, n in zip(months, (1, 1, 0, 1, 1, 0), strict=True)
    ]
    relation = {"moves:ceased": 1, **{f"moves:ceased/{m}": -1 for m in months}}
    block = Block(
        "t", "table", "Ceased by month", ["Measure", *months], [["Ceased", *cells]], relations=[relation]
    )
    return _published(block, "children_in_care")


def test_fewer_than_5_ceased_in_the_year_beside_four_hidden_months_is_found_by_the_audit():
    table = _ceased_by_month()
    # The table alone: each "<5" month is 1 to 4 and the year's total could be 4 to 16: nothing pinned.
    assert audit_blocks([table], 5).ok
    # The section's sentence gives the year's total, the same figure the months add up to (its key):
    # "fewer than 5" is 1 to 4, and four months of at least 1 each make at least 4, so the total is 4
    # and every hidden month is 1 (the leak of issue 22's council of twelve children).
    said = Narrative().say(
        "children_in_care.flows_hidden",
        admissions=RULE.words(7, key="moves:admissions"),
        ceased=RULE.words(4, key="moves:ceased"),
    )
    assert str(said) == "Periods of care that started during the period: 7; that ended: fewer than 5."
    words = _published(text_block([said]), "children_in_care")
    found = audit_blocks([table, words], 5)
    pinned = {f.key for f in found.findings if f.kind == PINNED}
    months = {document_key("children_in_care", f"moves:ceased/{m}") for m in ("Apr", "May", "Jul", "Aug")}
    assert months <= pinned
    assert not found.ok


def test_a_filled_sentence_carries_its_figures_and_the_output_gathers_them_once():
    forget()
    narrative = Narrative()
    part = RULE.n_of_m(38, 90, keys=("need:N1/c", "cla_started@2024-25"))
    # "38 of 90 (42%)": 38/90 = 42.2%, printed 42; the share of the two keyed counts is recorded
    assert str(part) == "38 of 90 (42%)"
    assert [(str(f), f.key) for f in part.figures] == [
        ("38", "need:N1/c"),
        ("90", "cla_started@2024-25"),
        ("42%", None),
    ]
    share = {"numerator": "need:N1/c", "denominator": "cla_started@2024-25", "percent": 42.0, "decimals": 0}
    assert part.figures[2].share() == share  # the percentage names the two counts it divides
    top = narrative.say("children_in_care.entries_top", need="abuse or neglect", n_of_m=part)
    assert isinstance(top, Sentence) and top.figures == part.figures
    other = narrative.say("children_in_care.ethnicity_not_recorded", n=RULE.words(12))
    shown = " ".join(["This section covers 2024-25.", other, top])  # plain str: the subclass is lost
    assert not isinstance(shown, Sentence)
    gathered = gather(shown)
    assert gathered == [other, top]  # in the order shown, each once
    assert gather(shown) == []  # shown once, recorded once
    block = text_block(gathered)
    assert block is not None and block.kind == "text"
    assert [r[0] for r in block.rows] == [str(other), str(top)]
    assert [str(c) for c in block.rows[1][1:]] == ["38", "90", "42%"]
    assert block.rows[0][1:] == [RULE.words(12), "", ""]  # padded to one width
    assert block.shares == [share]


def test_a_part_a_table_hides_is_not_printed_in_words_either():
    # A table hides a group's count to protect another figure ([c]: 0, or 5 and more). "0 of 90 (0%)"
    # would print a hidden 0, and "some of the 90" would say it is not 0, so 5 or more: both tell more
    # than the [c]. The sentence says it is not shown, and carries the figure as hidden under its key.
    for n in (0, 12):
        said = RULE.n_of_m(n, 90, hidden=True, keys=("g", "t"))
        assert str(said) == "not shown, to protect small numbers"
        assert [(f.status, f.key, f.hidden) for f in said.figures] == [(Status.SECONDARY, "g", True)]


def test_a_short_or_figureless_sentence_is_not_registered():
    forget()
    register(Sentence("12", [RULE.words(12)]))  # too short to be found with certainty
    register(Sentence("No figures in this one at all.", []))
    assert gather("12 children. No figures in this one at all.") == []


BODY = """from cpkit.present import show_markdown
from cpkit.present.disclosure import Rule
from cpkit.present.narrative import Narrative
rule = Rule(5, "<5")
narrative = Narrative()
said = [
    narrative.say("children_in_care.flows_hidden", admissions=rule.words(7, key="moves:admissions"),
                  ceased=rule.words(3, key="moves:ceased")),
    narrative.say("children_in_care.exits_top", reason="adopted",
                  n_of_m=rule.n_of_m(38, 90, keys=("reasons:Adopted/c", "cla_ceased@2024-25"))),
]
show_markdown("This section covers 2024-25. " + " ".join(said))
show_markdown("No figures here.")
"""


def test_an_executed_section_gives_its_sentences_figures_back_in_a_text_block(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(BODY)]
    source, out = tmp_path / "src.ipynb", tmp_path / "01_children_in_care.ipynb"
    nbformat.write(nb, str(source))
    pm.execute_notebook(str(source), str(out), kernel_name="python3", progress_bar=False, start_timeout=120)
    blocks = blocks_of(out)
    assert len(blocks) == 1  # the second output prints no figure: Markdown alone
    block = blocks[0]
    assert block.kind == "text" and block.id.startswith("01_children_in_care/text-periods-of-care")
    assert [r[0] for r in block.rows] == [
        "Periods of care that started during the period: 7; that ended: fewer than 5.",
        "The most common reason for leaving care was adopted: 38 of 90 (42%).",
    ]
    figures = [c for r in block.rows for c in r[1:] if isinstance(c, Figure)]
    assert [(str(f), f.status, f.key, f.value) for f in figures] == [
        ("7", Status.SHOWN, "moves:admissions", 7),
        ("fewer than 5", Status.SMALL, "moves:ceased", None),  # the true 3 stays in the kernel
        ("38", Status.SHOWN, "reasons:Adopted/c", 38),
        ("90", Status.SHOWN, "cla_ceased@2024-25", 90),
        ("42%", Status.SHOWN, None, 42),
    ]
    assert block.shares == [
        {
            "numerator": "reasons:Adopted/c",
            "denominator": "cla_ceased@2024-25",
            "percent": 42.0,
            "decimals": 0,
        }
    ]
    # the page prints the Markdown once; the block's MIME type is not rendered
    outputs = nbformat.read(str(out), as_version=4).cells[0].outputs
    markdown = [o for o in outputs if "text/markdown" in o.get("data", {})]
    assert len(markdown) == 2 and MIME in markdown[0]["data"] and MIME not in markdown[1]["data"]
    assert markdown[0]["data"]["text/markdown"].count("fewer than 5") == 1
