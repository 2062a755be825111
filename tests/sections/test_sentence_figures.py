"""The sections' sentences in the report's audit (issue 22): each sentence's figures carry the keys of the
table cells that print the same counts, so a sentence that gives back a count a table hides is found.
Figures built by hand; what a reader can work out is worked in the comments."""

from __future__ import annotations

from cpkit.config import Config, Period
from cpkit.present.narrative import Narrative
from cpkit.publish.block import Block
from cpkit.publish.ledger import audit_blocks
from cpkit.publish.text import text_block
from cpkit.sections import health


def _share(n: int, m: int) -> dict[str, float]:
    return {"numerator": n, "denominator": m, "pct": 100 * n / m if m else float("nan")}


def _year(cohort: int, received: int, normal: int, borderline: int, concern: int) -> dict:
    """One year of the OC2 figures: 45 in the 12-month cohort (40 with each check), and the SDQ: the 5-16
    cohort, those with a score, and the three bands of the scores received."""
    return {
        "health_assessment_pct": _share(40, 45),
        "teeth_check_pct": _share(40, 45),
        "immunisations_pct": _share(40, 45),
        "health_surveillance_pct": _share(0, 0),
        "sdq_received_pct": _share(received, cohort),
        "sdq_normal_pct": _share(normal, received),
        "sdq_borderline_pct": _share(borderline, received),
        "sdq_concern_pct": _share(concern, received),
        "sdq_average": {"numerator": 0, "denominator": received, "pct": 14.0},
    }


def _published(block: Block) -> Block:
    back = Block.from_json(block.to_json())
    back.id = f"03_health/{back.id}"
    return back


def test_the_sdq_concern_sentence_does_not_print_the_scores_received_the_tables_hide():
    # 2024-25: 30 children aged 5 to 16, 27 with a score, so 3 without ("<5"); 27 = 15 normal + 8
    # borderline + 4 a cause for concern ("<5"). With the 30 printed, the 27 would give the 3 back
    # (30 - 27), so the SDQ ledger hides the 27 ([c]), and the borderline 8 with it.
    figs = {"previous": _year(30, 24, 16, 5, 3), "current": _year(30, 27, 15, 8, 4)}
    ledger = health.sdq_ledger(figs, Config(), Period.from_year(2025))  # keyed as the tables print them
    assert ledger.hidden(("received", "current")) and ledger.hidden(("none", "current"))
    said = health.sentences(figs, Period.from_year(2025), Narrative())
    concern = said[5]
    # Before: "...a cause for concern: fewer than 5 of 27 in 2024-25" printed the hidden 27, and with it
    # the 3 without a score. Now neither the share nor its group is given for that year.
    assert "of 27" not in " ".join(said)
    assert concern == (
        "The share of SDQ scores that were a cause for concern: not shown, to protect small numbers in "
        "2024-25, compared with fewer than 5 of 24 in 2023-24."
    )
    # the sentences' figures are the SDQ ledger's: no key is printed in one and hidden in another, and
    # the audit of the sentences with the ledger's relations finds nothing
    words = _published(text_block(said))
    keyed = {f.key: f.status for f in words.figures() if f.key}
    assert keyed[ledger.key_of(("received", "previous"))] == "shown"
    found = audit_blocks([words], 5)
    assert found.ok, found.problems()


def test_the_stability_sentences_print_the_stability_tables_counts_under_its_keys():
    # 2024-25: 12 of 60 children had three or more placements (20%); 2023-24: 9 of 50 (18%). The table's
    # "Number" and "Out of" and the sentence's "12 of 60" are one figure each in the report's audit.
    from cpkit.present.tables import table_block
    from cpkit.sections import placements

    period = Period.from_year(2025)
    figs = {
        "previous": {"placements_3plus_pct": _share(9, 50), "long_term_stability_pct": _share(20, 30)},
        "current": {"placements_3plus_pct": _share(12, 60), "long_term_stability_pct": _share(22, 30)},
    }
    table = table_block(placements.stability_table(figs, period, Config()), "Stability")
    said = placements.stability_sentences(figs, period, Narrative())
    assert said[0] == (
        "The share of children in care with three or more placements during the year rose, from "
        "9 of 50 (18%) in 2023-24 to 12 of 60 (20%) in 2024-25."
    )
    words = text_block(said)
    printed = {(str(f), f.key) for f in words.figures() if f.unit == "count"}
    in_table = {(str(f), f.key) for f in table.figures() if f.unit == "count" and f.key}
    assert {("12", k) for s, k in in_table if s == "12"} and printed >= {
        p for p in in_table if p[0] in ("12", "60")
    }
    assert audit_blocks([_published(table), _published(words)], 5).ok


def test_the_ethnicity_sentences_print_the_ethnicity_tables_counts_under_its_keys():
    # 20 children, all aged 10 to 15 (born 2012) and in care since May 2022, so in care at both 31 Marches:
    # 7 from an ethnic minority background (AIND), 8 White British, 5 with none recorded (NOBT). The share
    # is 7 of the 15 recorded (47%); 20 = 15 recorded + 5 not. The sentences' "7 of 15" are the ethnicity
    # table's 7 and the share's base, and "5 children had no ethnicity recorded" is tied to the table's
    # 20 by children = recorded + not recorded, so the audit reads them with the table.
    from cpkit.present.tables import table_block
    from cpkit.sections import children_in_care as cic
    from tests.care.conftest import build

    period = Period.from_year(2025)
    kids = [f"C{i:02d}" for i in range(1, 21)]
    ethnic = ["AIND"] * 7 + ["WBRI"] * 8 + ["NOBT"] * 5
    data = build(
        [(c, "01/05/2022", None, "S", "C2", "N1", "U4", None) for c in kids],
        [(c, "1", "01/01/2012", e) for c, e in zip(kids, ethnic, strict=True)],
    )
    profile = cic.profile(data, period)
    table = cic.ethnic_minority_table(profile["ethnic_minority"], period, Config())
    said = cic.profile_sentences(profile, period, Narrative())
    share, top, unrecorded = said[2:5]
    assert share == (
        "The share of children in care from ethnic minority backgrounds stayed about the same, from 7 of 15 "
        "(47%) at 31 March 2024 to 7 of 15 (47%) at 31 March 2025."
    )
    assert (
        top
        == "The share from ethnic minority backgrounds was highest for children aged 10 to 15: 7 of 15 (47%)."
    )
    assert unrecorded == "5 children had no ethnicity recorded and are left out of these shares."
    cells = table.set_index("Age band")
    seven = cells.at["All ages", "Ethnic minority, 31 March 2025"]
    base = cells.at["All ages", "%, 31 March 2025"].denominator
    children = cells.at["All ages", "Children, 31 March 2025"].key
    assert [(str(f), f.key) for f in share.figures if f.key][2:] == [("7", seven.key), ("15", base)]
    (five,) = unrecorded.figures
    assert five.value == 5 and {children: 1, base: -1, five.key: -1} in unrecorded.relations
    words = _published(text_block([share, top, unrecorded]))
    words.id = "01_children_in_care/text-ethnicity"
    found = audit_blocks([words, _in_section(table_block(table, "Ethnicity"))], 5)
    assert found.ok, found.problems()


def _in_section(block: Block) -> Block:
    back = Block.from_json(block.to_json())
    back.id = f"01_children_in_care/{back.id}"
    return back
