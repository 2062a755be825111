"""The document's disclosure ledger: blocks of several sections, read back as a reader has them (hidden
values dropped by the JSON round trip, as from an executed notebook), audited together.

The council has 12 children in care at 31 March 2025, printed by the children-in-care section's sex table
(7 boys, 5 girls) and by the placements section's placement-type table. Every expected finding is worked
in the comments from what a reader of the two tables holds.
"""

from __future__ import annotations

from datetime import date

from cpkit.present.disclosure import CLA, SECONDARY, Ledger, Rule, shared_key
from cpkit.present.tables import table_block
from cpkit.publish.audit import PINNED, SHOWN_AND_HIDDEN
from cpkit.publish.block import Block, frame
from cpkit.publish.ledger import audit_blocks, document_key

RULE = Rule(5, "<5")
TOTAL = shared_key(CLA, date(2025, 3, 31))  # "cla@2025-03-31": the same 12 in every block


def _published(block: Block, section: str) -> Block:
    """The block as ``blocks_of`` reads it from a notebook: through JSON (a hidden value is dropped) and
    with its section in front of its id."""
    back = Block.from_json(block.to_json())
    back.id = f"{section}/{back.id}"
    return back


def _table(ledger: Ledger, parts: list[str], caption: str, section: str) -> Block:
    rows = [[p, ledger.text(p)] for p in parts] + [["Total", ledger.text(TOTAL)]]
    df = frame(rows, columns=["Group", "Children"])
    return _published(table_block(df, caption, ledger=ledger), section)


def _sex_table() -> Block:
    ledger = Ledger(RULE, name="sex")
    ledger.add("boys", 7)
    ledger.add("girls", 5)
    ledger.add(TOTAL, 12, shared=True)
    ledger.total(TOTAL, ["boys", "girls"])
    return _table(ledger.resolve(), ["boys", "girls"], "Children by sex", "children_in_care")


def _placement_table(*, total_known: bool) -> Block:
    # foster 8, children's homes 4: homes is small. A ledger that does not know the 12 is printed
    # elsewhere hides the total (the largest cell last... here the only other cell is foster, 8, and the
    # total, 12: the smaller, foster, goes first) -- see below for what it chooses.
    ledger = Ledger(RULE, name="types")
    ledger.add("foster", 8)
    ledger.add("homes", 4)
    ledger.add(TOTAL, 12, shared=total_known)
    ledger.total(TOTAL, ["foster", "homes"])
    if not total_known:  # the old way: the table protects itself by hiding its own total
        ledger.hide(TOTAL)
    return _table(ledger.resolve(), ["foster", "homes"], "Children by placement type", "placements")


def test_a_count_hidden_in_one_table_and_given_by_another_is_found():
    # The placement table hides its total ([c]) and shows foster 8 beside homes "<5"; the sex table
    # prints the same total, 12. A reader of both: homes = 12 - 8 = 4. Two findings: the total is shown
    # in one block and hidden in another, and homes is pinned.
    blocks = [_sex_table(), _placement_table(total_known=False)]
    cells = {str(r[0]): r[1] for r in blocks[1].rows}
    assert (str(cells["foster"]), str(cells["homes"]), str(cells["Total"])) == ("8", "<5", "[c]")
    assert cells["homes"].value is None  # the reader's view: no hidden value travels
    found = audit_blocks(blocks, 5)
    homes = document_key("placements", "types:homes")
    assert {(f.key, f.kind) for f in found.findings} == {(TOTAL, SHOWN_AND_HIDDEN), (homes, PINNED)}
    words = found.problems()
    assert (
        f"{TOTAL} is shown in one place and hidden in another "
        "(children_in_care/children-by-sex, placements/children-by-placement-type)"
    ) in words
    assert f"{homes} can be worked out exactly (placements/children-by-placement-type)" in words
    assert found.summary() == "disclosure audit: 2 counts hidden, 2 recoverable"


def test_the_same_council_with_one_ledger_for_the_shared_total_passes():
    # The placement ledger knows the total is printed (a shared key): it keeps it and hides foster
    # instead: [c] + "<5" = 12, so foster is 8 to 11 and homes 1 to 4, every value still possible.
    blocks = [_sex_table(), _placement_table(total_known=True)]
    cells = {str(r[0]): str(r[1]) for r in blocks[1].rows}
    assert cells == {"foster": "[c]", "homes": "<5", "Total": "12"}
    found = audit_blocks(blocks, 5)
    assert found.ok, found.problems()
    assert found.summary() == "disclosure audit: 2 counts hidden, none recoverable"


def test_a_leak_planted_in_a_third_block_is_caught():
    # A chart in a third section plots foster care at 8 under the placement ledger's key: with the 12
    # printed, homes = 12 - 8 again.
    ledger = Ledger(RULE, name="types")
    ledger.add("foster", 8)
    chart = _published(
        table_block(frame([["foster", ledger.text("foster")]], columns=["Type", "Children"]), "Chart data"),
        "placements",
    )
    blocks = [_sex_table(), _placement_table(total_known=True), chart]
    found = audit_blocks(blocks, 5)
    foster = document_key("placements", "types:foster")
    homes = document_key("placements", "types:homes")
    assert {(f.key, f.kind) for f in found.findings} == {(foster, SHOWN_AND_HIDDEN), (homes, PINNED)}


def test_keys_of_two_sections_do_not_meet_unless_shared():
    # Two sections each have a ledger named "types" with a "homes" of 4 (different children): the keys
    # differ by section, so one section's figures are never read as the other's.
    assert document_key("placements", "types:homes") != document_key("health", "types:homes")
    assert document_key("health", TOTAL) == TOTAL


def test_ledgers_of_different_figures_under_the_same_keys_do_not_share_a_namespace():
    # One ledger per year (or per column) with the same keys: last year's "Under 1" is not this year's.
    # The same ledger built again for another view (same figures, same relations) names them the same.
    def built(n: int) -> Ledger:
        ledger = Ledger(RULE)
        ledger.add("Under 1", n)
        ledger.add("1 to 4", 10)
        ledger.add("All", n + 10)
        ledger.total("All", ["Under 1", "1 to 4"])
        return ledger

    assert built(3).key_of("Under 1") != built(6).key_of("Under 1")
    assert built(3).key_of("Under 1") == built(3).key_of("Under 1")
    assert built(3).key_of(TOTAL) == TOTAL  # a shared key is the document's, whatever the ledger


def test_a_ledgers_namespace_follows_its_figures_as_published_after_it_was_asked():
    # The namespace is worked out once and kept while the ledger is unchanged (every figure's key asks for
    # it); it must still follow the ledger: a figure added after it was asked (a new status), and a figure
    # a section hides by hand in the status it has (children in care hides a month's flow that way), give
    # the name of a ledger built that way from the start. 20 = 12 + 8, nothing small: all shown first.
    def built(*, homes: bool = False) -> Ledger:
        ledger = Ledger(RULE)
        ledger.add("Foster", 12)
        ledger.add("Other", 8)
        ledger.add("All", 20)
        ledger.total("All", ["Foster", "Other"])
        if homes:
            ledger.add("Homes", 9)
        return ledger

    asked = built()
    first = asked.key_of("Foster")
    asked.add("Homes", 9)
    assert asked.key_of("Foster") != first
    assert asked.key_of("Foster") == built(homes=True).key_of("Foster")
    by_hand = built()
    assert by_hand.key_of("Foster") == first
    by_hand.status["Foster"] = SECONDARY  # hidden in place, as children_in_care's period ledger does
    assert by_hand.key_of("Foster") != first


def test_figures_that_contradict_each_other_stop_the_audit():
    # The sex table says 7 + 5 = 12; a second table prints the same shared total as 13: one key, two
    # values. And a block whose relation says boys + girls = 12 while it prints 7 and 6 fits no numbers.
    sex = _sex_table()
    other = Ledger(RULE, name="other")
    other.add(TOTAL, 13, shared=True)
    wrong = _published(
        table_block(frame([["All", other.text(TOTAL)]], columns=["Group", "Children"]), "Wrong total"),
        "placements",
    )
    found = audit_blocks([sex, wrong], 5)
    assert not found.ok
    twice, relation = found.problems()
    assert twice == (
        "the published figures contradict each other: "
        f"{TOTAL} (children_in_care/children-by-sex, placements/wrong-total), printed with two values"
    )
    # read as 13 (the last printed), boys 7 + girls 5 no longer make the total
    assert relation.startswith("the published figures contradict each other: the figures do not satisfy")


def test_a_percentage_printed_from_the_ledger_gives_back_a_count_it_divides():
    # Foster care is hidden ([c], 8) beside children's homes "<5" (4) of the 12, but the table prints
    # foster's share, "67%": 8/12 is 66.7% (67%), 7/12 58% and 9/12 75%, so foster is 8 and homes 4.
    # Ledger.share records the printed share in the block; the audit reads it with the counts.
    ledger = Ledger(RULE, name="types")
    ledger.add("foster", 8)
    ledger.add("homes", 4)
    ledger.add(TOTAL, 12, shared=True)
    ledger.total(TOTAL, ["foster", "homes"])
    ledger.resolve()
    share = ledger.share("foster", TOTAL)
    assert str(ledger.text("foster")) == "[c]" and str(share) == "[c]"  # hidden with its count
    # a table that prints the share anyway (as a section computing it outside the ledger would)
    ledger.shares.append({"numerator": ledger.key_of("foster"), "denominator": TOTAL, "percent": 67.0})
    rows = [["foster", ledger.text("foster"), "67%"], ["homes", ledger.text("homes"), ""]]
    rows.append(["Total", ledger.text(TOTAL), "100%"])
    block = _published(
        table_block(frame(rows, columns=["Type", "Children", "%"]), "Types", ledger=ledger), "placements"
    )
    assert block.shares == [{"numerator": "types:foster", "denominator": TOTAL, "percent": 67.0}]
    found = audit_blocks([_sex_table(), block], 5)
    assert (document_key("placements", "types:homes"), PINNED) in {(f.key, f.kind) for f in found.findings}
    # without the printed share the same two tables pass
    ledger.shares.clear()
    clean = _published(
        table_block(frame(rows, columns=["Type", "Children", "%"]), "Types", ledger=ledger), "placements"
    )
    assert audit_blocks([_sex_table(), clean], 5).ok


def test_a_share_the_ledger_prints_is_recorded_and_one_it_hides_is_not():
    # 7 boys of 12 is 58% (no small count in part, whole or complement): printed and recorded; girls
    # 5 of 12 is 42%, printed too. A ledger whose part is small hides the share and records nothing.
    sex = Ledger(RULE, name="sex")
    sex.add("boys", 7)
    sex.add("girls", 5)
    sex.add(TOTAL, 12, shared=True)
    sex.total(TOTAL, ["boys", "girls"])
    assert str(sex.share("boys", TOTAL)) == "58%"
    assert sex.shares == [{"numerator": "sex:boys", "denominator": TOTAL, "percent": 58.0, "decimals": 0}]
    small = Ledger(RULE, name="small")
    small.add("a", 3)
    small.add("b", 9)
    small.add("T", 12)
    small.total("T", ["a", "b"])
    assert str(small.share("a", "T")) == "[c]" and small.shares == []


def _foster_row() -> dict:
    """The figures table's placed_foster_pct row for 2024-25 as the scorecard and the trends print it:
    8 of the 20 children in care at 31 March 2025 is 40% (keys from ``cpkit.figures.keys``)."""
    from cpkit.config import Period
    from cpkit.figures.keys import row_keys

    numerator, denominator = row_keys("placed_foster_pct", "percent", Period.from_year(2025))
    return {
        "measure": "placed_foster_pct",
        "value": 40.0,
        "unit": "percent",
        "decimals": 0,
        "numerator": 8,
        "denominator": 20,
        "numerator_key": numerator,
        "denominator_key": denominator,
    }


def test_a_figures_table_percentage_gives_back_a_count_another_table_hides():
    # 20 children in care at 31 March 2025 (cla@2025-03-31, printed): foster 8, homes 3 ("<5"), other 9.
    # The placement table's ledger protects homes by hiding the smallest other part, foster (8 < 9), as
    # [c]; foster's count is placed_foster_pct's numerator (its document key, ``alias``). The table alone
    # says foster + homes = 11 with foster 0 or 5 and more, so foster 7 to 10 and homes 1 to 4: no leak.
    # The scorecard prints the figures table's row, "40%" (8 of 20: no small part, whole or complement,
    # so the rule alone prints it). 40% of 20 means 100n/20 in [39.5, 40.5): n = 8 only (7 is 35%, 9 is
    # 45%), so homes = 20 - 8 - 9 = 3: pinned.
    from cpkit.present.figure_text import shown

    row = _foster_row()
    pct = shown(row, RULE)
    assert (str(pct), pct.denominator) == ("40%", TOTAL)
    scorecard = _published(
        table_block(frame([["Children in foster care", pct]], columns=["Indicator", "2024-25"]), "Scorecard"),
        "scorecard",
    )
    assert scorecard.shares == [
        {"numerator": row["numerator_key"], "denominator": TOTAL, "percent": 40.0, "decimals": 0}
    ]

    def placements(*, kept: bool) -> Block:
        ledger = Ledger(RULE, name="types")
        ledger.add(
            "foster", 8, **({"shared": row["numerator_key"]} if kept else {"alias": row["numerator_key"]})
        )
        ledger.add("homes", 3)
        ledger.add("other", 9)
        ledger.add(TOTAL, 20, shared=True)
        ledger.total(TOTAL, ["foster", "homes", "other"])
        return _table(ledger.resolve(), ["foster", "homes", "other"], "Placement type", "placements")

    leaky = placements(kept=False)
    assert [str(r[1]) for r in leaky.rows] == ["[c]", "<5", "9", "20"]
    assert audit_blocks([leaky], 5).ok  # the table on its own gives nothing away
    found = audit_blocks([leaky, scorecard], 5)
    assert found.shares == 1
    assert (document_key("placements", "types:homes"), PINNED) in {(f.key, f.kind) for f in found.findings}
    # The fix at the source: the count whose share the report prints is published with it (the ledger
    # keeps it, ``shared``), so the table protects homes by hiding other instead: foster 8 printed,
    # homes + other = 12 with other 0 or 5 and more, so homes 1 to 4 whatever "40%" says.
    fixed = placements(kept=True)
    assert [str(r[1]) for r in fixed.rows] == ["8", "<5", "[c]", "20"]
    assert audit_blocks([fixed, scorecard], 5).ok


def test_a_breakdown_whose_part_s_share_is_printed_elsewhere_is_protected_with_that_share_in_view():
    # 150 children in care at 31 March 2025 (cla@2025-03-31, printed across the report): foster 30,
    # kinship 117, children's homes 3 ("<5"). The scorecard prints foster's share from the figures table,
    # "20%" (30 of 150: no small part, group or complement, so the rule prints it whatever the placement
    # table hides): 100n/150 in [19.5, 20.5) means n in [29.25, 30.75), so 30 only.
    # Before, the placement table chose with counts alone: homes is given by 150 - 30 - 117, so it hid the
    # smallest other part, foster (30 < 117): foster + homes = 33, foster 29 to 32 and homes 1 to 4 for a
    # reader of the table; with the scorecard's 20% foster is 30 and homes 3, pinned: the report refused.
    # (A total above 100 was outside the old special case, a part kept when its share pins it.)
    # Now the share is in protect's model: hiding foster protects nothing, so kinship is hidden instead:
    # 150 = 30 + [c] + <5, kinship + homes = 120 with kinship 0 or 5 and more, so homes 1 to 4 (kinship
    # 119 to 116) whatever "20%" says: published, foster 30 shown, and the document audit finds nothing.
    from cpkit.config import Period
    from cpkit.figures.keys import row_keys
    from cpkit.present.disclosure import breakdown_ledger
    from cpkit.present.figure_text import shown

    numerator, denominator = row_keys("placed_foster_pct", "percent", Period.from_year(2025))
    assert denominator == TOTAL
    row = {
        **_foster_row(),
        "value": 20.0,
        "numerator": 30,
        "denominator": 150,
        "numerator_key": numerator,
    }
    pct = shown(row, RULE)
    assert str(pct) == "20%"
    scorecard = _published(
        table_block(frame([["Children in foster care", pct]], columns=["Indicator", "2024-25"]), "Scorecard"),
        "scorecard",
    )
    parts = {"foster": 30, "kinship": 117, "homes": 3}
    for rule in (RULE, Rule(5, "<5", test="exact")):
        ledger, withheld = breakdown_ledger(
            {"c": (parts, 150)}, rule, total_keys={"c": TOTAL}, part_keys={"c": {"foster": numerator}}
        )
        assert withheld == []
        cells = [ledger.text((p, "c")) for p in parts] + [ledger.text(("Total", "c"))]
        assert [str(c) for c in cells] == ["30", "[c]", "<5", "150"]
        assert cells[0].key == numerator  # foster's count is the share's numerator for the audit
        rows = [[p, c] for p, c in zip([*parts, "Total"], cells, strict=True)]
        table = _published(
            table_block(frame(rows, columns=["Placement type", "Children"]), "Placement type", ledger=ledger),
            "placements",
        )
        found = audit_blocks([table, scorecard], 5, test=rule.test)
        assert found.ok and found.shares == 1, found.problems()
