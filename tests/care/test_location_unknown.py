"""Placement postcodes the ONS directory does not hold count as not known, and most unknown is said aloud.

Hand-made: four children in care at 31 March 2025, all with home postcode S1 1AA. A small look-up stands
in for the ONS directory (the tests never load the real one): S1 1AA and S2 2BB are in district E08000019,
so child 1 (placed at S2 2BB) is inside the boundary; children 2 and 3 have postcodes of the right shape
that the directory does not hold (ZZ9 9ZZ, S99 9XX); child 4 has none. So 3 of 4 placement postcodes are
not known: 75%, over the one-half line (``MOSTLY_UNKNOWN``).
"""

from __future__ import annotations

import pandas as pd

from cpkit.care.location import (
    INSIDE,
    NOT_KNOWN,
    headline_location,
    home_district_warning,
    location_summary,
    unknown_placements,
    unknown_postcode_sentence,
    unknown_postcode_warning,
)
from cpkit.config import Config
from cpkit.sections.placements import location_figures

from .conftest import build

LOOKUP = pd.DataFrame(
    {
        "postcode": ["S11AA", "S22BB"],
        "easting": [435000.0, 436000.0],
        "northing": [387000.0, 388000.0],
        "district": ["E08000019", "E08000019"],
    }
)
CONFIG = Config(la_district_codes=["E08000019"])
DAY = "31/03/2025"


def data():
    rows = [(c, "01/04/2024", None, "S", "C2", "N1", "U1", None) for c in ("1", "2", "3", "4")]
    return build(
        rows,
        episode_extra={"HOME_POST": ["S1 1AA"] * 4, "PL_POST": ["S2 2BB", "ZZ9 9ZZ", "S99 9XX", None]},
    )


def test_postcodes_not_in_the_directory_count_as_not_known():
    summary = location_summary(data(), DAY, CONFIG, LOOKUP)
    by_boundary = summary.groupby("boundary")["children"].sum()
    assert by_boundary[INSIDE] == 1 and by_boundary[NOT_KNOWN] == 3
    assert unknown_placements(summary) == (3, 4)


def test_most_unknown_gives_a_warning_sentence_and_a_check_note():
    summary = location_summary(data(), DAY, CONFIG, LOOKUP)
    sentence = unknown_postcode_sentence(summary, "31 March 2025")
    assert "for 75% of the children in care at 31 March 2025" in sentence
    note = unknown_postcode_warning(data(), DAY, CONFIG, LOOKUP)
    assert note.startswith("3 of 4 children in care at 31 March 2025") and "most are unknown" in note


def test_a_few_unknown_give_no_warning_sentence():
    # with S99 9XX and ZZ9 9ZZ in the directory only child 4 (no postcode) is unknown: 1 of 4, 25%
    more = pd.concat(
        [
            LOOKUP,
            pd.DataFrame(
                {
                    "postcode": ["ZZ99ZZ", "S999XX"],
                    "easting": [1.0, 2.0],
                    "northing": [1.0, 2.0],
                    "district": ["E07000001", "E08000019"],
                }
            ),
        ]
    )
    summary = location_summary(data(), DAY, CONFIG, more)
    assert unknown_placements(summary) == (1, 4)
    assert unknown_postcode_sentence(summary, "31 March 2025") == ""
    assert "most are unknown" not in unknown_postcode_warning(data(), DAY, CONFIG, more)


def test_district_codes_of_another_council_are_warned():
    # ten children from S1 1AA (district E08000019); settings naming E06000123 instead
    rows = [(str(c), "01/04/2024", None, "S", "C2", "N1", "U1", None) for c in range(10)]
    many = build(rows, episode_extra={"HOME_POST": ["S1 1AA"] * 10, "PL_POST": ["S2 2BB"] * 10})
    wrong = Config(la_district_codes=["E06000123"])
    warning = home_district_warning(many, DAY, wrong, LOOKUP)
    assert "none of the 10 home postcodes" in warning and "most are in E08000019" in warning
    assert home_district_warning(many, DAY, CONFIG, LOOKUP) == ""
    # fewer than ten found: too few to judge
    assert home_district_warning(data(), DAY, wrong, LOOKUP) == ""


def test_inside_share_is_of_children_whose_placement_is_known():
    # Five children at 31 March 2025, home S1 1AA: a and b placed at S2 2BB (inside E08000019); c at
    # M1 1AA (E08000003, outside: 50 km east-west and 10 km north-south from home, sqrt(50000^2 + 10000^2)
    # = 50,990 m / 1609.3 = 31.7 miles, over 20); d at a postcode the directory lacks, e with none.
    # Inside: 2 of the 3 whose placement is known = 66.7% (measures.yaml; the DfE's locality table gives
    # inside as a share of inside + outside), not 2 of 5 = 40%. LAIT 87 (outside and over 20 miles) stays
    # of all five: 1 of 5 = 20%.
    lookup = pd.concat(
        [
            LOOKUP,
            pd.DataFrame(
                {
                    "postcode": ["M11AA"],
                    "easting": [385000.0],
                    "northing": [397000.0],
                    "district": ["E08000003"],
                }
            ),
        ]
    )
    rows = [(c, "01/04/2024", None, "S", "C2", "N1", "U1", None) for c in "abcde"]
    places = ["S2 2BB", "S2 2BB", "M1 1AA", "ZZ9 9ZZ", None]
    d = build(rows, episode_extra={"HOME_POST": ["S1 1AA"] * 5, "PL_POST": places})
    figs = headline_location(d, DAY, CONFIG, lookup)
    assert figs["placed_inside_pct"] == {"numerator": 2, "denominator": 3, "pct": 200 / 3}
    assert figs["placed_outside_over20_pct"] == {"numerator": 1, "denominator": 5, "pct": 20.0}
    # The placements section's sentence reads the same figure as the figures table.
    summary = location_summary(d, DAY, CONFIG, lookup)
    assert location_figures({"current": summary})["current"]["placed_inside_pct"]["denominator"] == 3


def _ten_children() -> dict[str, pd.DataFrame]:
    """The location summaries of the ten children of the next test, on 31 March 2024 and 2025."""
    lookup = pd.concat(
        [
            LOOKUP,
            pd.DataFrame(
                {
                    "postcode": ["M11AA"],
                    "easting": [385000.0],
                    "northing": [397000.0],
                    "district": ["E08000003"],
                }
            ),
        ]
    )
    rows, home, place = [], [], []
    for i in range(10):
        c = f"k{i}"
        where = "M1 1AA" if i >= 8 else "S2 2BB"
        if i < 2:  # moves on 01/04/2024 to a placement with no postcode
            rows += [
                (c, "01/04/2023", "01/04/2024", "S", "C2", "N1", "U1", "X1"),
                (c, "01/04/2024", None, "P", "C2", "N1", "U1", None),
            ]
            home += ["S1 1AA"] * 2
            place += [where, None]
        else:
            rows.append((c, "01/04/2023", None, "S", "C2", "N1", "U1", None))
            home.append("S1 1AA")
            place.append(where)
    d = build(rows, episode_extra={"HOME_POST": home, "PL_POST": place})
    tables = {
        "previous": location_summary(d, "2024-03-31", CONFIG, lookup),
        "current": location_summary(d, "2025-03-31", CONFIG, lookup),
    }
    return tables


def test_inside_share_sentence_does_not_give_away_a_hidden_not_known_count():
    # Ten children in care on both 31 March 2024 and 31 March 2025, home S1 1AA. At 31/03/2024 eight are
    # placed inside (S2 2BB) and two outside (M1 1AA), none unknown. On 01/04/2024 two of the inside ones
    # move to a placement with no postcode. At 31/03/2025: inside 6, outside 2, not known 2. The table
    # hides "not known" (2, under 5); the children in care (10) are published, so "6 of 8 (75%)" would
    # give the 2 away: this year's share is not shown, last year's (no one unknown) is.
    from cpkit.config import Period
    from cpkit.present.narrative import Narrative
    from cpkit.sections.placements import location_sentences

    tables = _ten_children()
    sentence = location_sentences(tables, Period.from_year(2025), Narrative(config=CONFIG))[0]
    assert "of 8" not in sentence and "75%" not in sentence
    assert "not shown, to protect small numbers" in sentence
    # Last year no one was unknown: its base (10) hides nothing (2 outside: "all but fewer than 5").
    assert "all but fewer than 5 of 10 at 31 March 2024" in sentence


def test_the_location_sentences_print_the_location_tables_counts_under_its_keys():
    # The same ten children: at 31 March 2025 two are outside the boundary and over 20 miles away (M1 1AA
    # from S1 1AA), "<5" in the location table. The sentence's "fewer than 5 of 10" is that cell and all
    # the table's children (10), one figure each in the report's audit, which finds nothing.
    from cpkit.config import Period
    from cpkit.present.narrative import Narrative
    from cpkit.present.tables import table_block
    from cpkit.publish.ledger import audit_blocks
    from cpkit.publish.text import text_block
    from cpkit.sections.placements import location_sentences, location_table

    tables = _ten_children()
    period = Period.from_year(2025)
    table = table_block(
        location_table(tables, period, CONFIG), "Where placed", block_id="02_placements/where"
    )
    said = location_sentences(tables, period, Narrative(config=CONFIG))
    assert said[1].startswith(
        "The share placed outside the boundary and more than 20 miles from home: fewer than 5 of 10"
    )
    words = text_block(said, block_id="02_placements/words")
    far = next(f for f in words.figures() if str(f) == "fewer than 5")
    assert far.key in {f.key for f in table.figures() if str(f) == "<5"}
    assert audit_blocks([table, words], 5).ok
