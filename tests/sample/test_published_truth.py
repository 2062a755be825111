"""The sample council's published figures come from the generator's ground truth, not from cpkit.care.

Each test builds simulated children (or OC2/OC3 rows) by hand and works out the published counts in the
comments; none runs the kit's measures.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pandas as pd

from cpkit.benchmarks import load_benchmarks
from cpkit.sample.benchmarks import _health_truth, _leavers_truth, ground_truth, write_benchmarks
from cpkit.sample.care import Child, Episode
from cpkit.sample.placements import Placement

ROOT = Path(__file__).resolve().parents[2]


def _placement(place: str, carer: int) -> Placement:
    return Placement(place, "PR1", "", "", carer)


def _child(child_id: str, dob: date, episodes: list[Episode]) -> Child:
    return Child(child_id, 1, dob, "WBRI", "A123456789012", episodes=episodes)


def _ep(decom, rne, place, carer, dec=None, rec="", ls="C2") -> Episode:
    return Episode(decom, rne, ls, "N1", _placement(place, carer), "", dec=dec, rec=rec)


def children() -> list[Child]:
    """Children 101 (a) to 107 (g); ids are numbers because the generator seeds each child's SDQ by id."""
    d = date
    return [
        # a: in care from 01/01/2020 with carer 1 (U6), U6 -> U4 with the same carer on 01/06/2021 (T); aged
        # 9 at 31/03/2025. Long-term cohort (start <= 30/09/2022) and stable (carer since 01/01/2020 <=
        # 31/03/2023). Placements overlapping 2024-25: the U4 one only.
        _child(
            "101",
            d(2015, 6, 1),
            [
                _ep(d(2020, 1, 1), "S", "U6", 1, d(2021, 6, 1), "X1"),
                _ep(d(2021, 6, 1), "T", "U4", 1),
            ],
        ),
        # b: period starts 30/09/2022 (the last day in the 2.5-year cohort); carer 2 from 01/04/2023 (one day
        # after the 2-year cut-off), carers 3 and 4 in the year: placements 2, 3 and 4 overlap 2024-25 -> 3+.
        _child(
            "102",
            d(2012, 1, 1),
            [
                _ep(d(2022, 9, 30), "S", "U6", 5, d(2023, 4, 1), "X1"),
                _ep(d(2023, 4, 1), "P", "U6", 2, d(2024, 5, 1), "X1"),
                _ep(d(2024, 5, 1), "P", "K2", 3, d(2024, 9, 1), "X1"),
                _ep(d(2024, 9, 1), "P", "U4", 4),
            ],
        ),
        # c: period starts 01/10/2022: one day too late for the long-term cohort; in care at 31/03/2025.
        _child("103", d(2013, 1, 1), [_ep(d(2022, 10, 1), "S", "U4", 6)]),
        # e: placed for adoption with new carers (A6, P) on 01/06/2023 after carer 7 from 01/01/2022: the
        # adoptive placement counts with the one before it, so since 01/01/2022 <= 31/03/2023: stable.
        _child(
            "105",
            d(2020, 1, 1),
            [
                _ep(d(2022, 1, 1), "S", "U6", 7, d(2023, 6, 1), "X1"),
                _ep(d(2023, 6, 1), "P", "A6", 8, ls="E1"),
            ],
        ),
        # f: starts 01/06/2024, leaves 01/12/2024 (E13): one start, one ceased, not in care at 31 March.
        _child("106", d(2010, 1, 1), [_ep(d(2024, 6, 1), "S", "U6", 9, d(2024, 12, 1), "E13")]),
        # g: a short-break child (V3) in care at 31 March: the DfE leaves short breaks out of everything.
        _child("107", d(2010, 1, 1), [_ep(d(2024, 1, 1), "S", "U6", 10, ls="V3")]),
    ]


def test_stock_flows_and_stability_from_the_simulated_children():
    truth = ground_truth(children(), 2025, seed=1)
    cla, lt = "Children looked after on 31 March each year", "Living with the same carer for at least 2 years"
    long_term = "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"
    # In care at 31/03/2025: a, b, c, e (f left, g is a short break) = 4.
    assert truth[("numbers", cla)] == 4
    # Started in 2024-25: f = 1; ceased: f = 1.
    assert truth[("numbers", "Children starting to be looked after each year")] == 1
    assert truth[("numbers", "Children ceasing to be looked after each year")] == 1
    # Three or more placements in the year: b only.
    assert truth[("stability", "CLA on 31 March", "With 3 or more placements during the year")] == 1
    assert truth[("stability", "CLA on 31 March", "Total children")] == 4
    # Long-term cohort: a, b, e (c started 01/10/2022); stable: a (same carer through U6 -> U4) and e
    # (adoptive placement with the placement before it) = 2 of 3.
    assert truth[("stability", long_term, "Total children")] == 3
    assert truth[("stability", long_term, lt)] == 2


def test_a_placement_open_on_1_april_counts_when_its_episode_then_is_a_legal_status_change():
    # h: with carer 11 (U3) from 01/01/2020; a legal status change only (RNE L, same placement) on
    # 01/01/2024, so the episode open on 1 April 2024 continues a placement from before the year; carer 12
    # (K2) from 01/06/2024, carer 13 (U4) from 01/10/2024. Placements overlapping 2024-25: U3 (open on
    # 1 April), K2 and U4 = 3, so 3 or more (LAIT 372: placements open at the start of the year count).
    # The generator counted 2 (it took the U3 episode in the year for a repeat of the one before it).
    d = date
    h = _child(
        "108",
        d(2012, 1, 1),
        [
            _ep(d(2020, 1, 1), "S", "U3", 11, d(2024, 1, 1), "X1", ls="C1"),
            _ep(d(2024, 1, 1), "L", "U3", 11, d(2024, 6, 1), "X1"),
            _ep(d(2024, 6, 1), "P", "K2", 12, d(2024, 10, 1), "X1"),
            _ep(d(2024, 10, 1), "P", "U4", 13),
        ],
    )
    truth = ground_truth([h], 2025, seed=1)
    assert truth[("stability", "CLA on 31 March", "With 3 or more placements during the year")] == 1


def _oc2(dob: str, **flags: str) -> dict[str, str]:
    row = dict.fromkeys(
        ["SDQ_SCORE", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT"], ""
    )
    row.update({"SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": ""})
    return {"DOB": dob, **row, **flags}


def test_health_counts_from_the_rows_written():
    rows = [
        _oc2("01/06/2022", HEALTH_ASSESSMENT="1", TEETH_CHECK="0", HEALTH_CHECK="1"),  # aged 2
        _oc2("01/01/2014", HEALTH_ASSESSMENT="1", SDQ_SCORE="13", CONVICTED="1"),  # aged 11
        _oc2("01/01/2012", HEALTH_ASSESSMENT="0", SDQ_SCORE="17", SUBSTANCE_MISUSE="1",
             INTERVENTION_OFFERED="1", INTERVENTION_RECEIVED="0"),  # aged 13, refused the offer
        _oc2("01/01/2008", SDQ_SCORE=""),  # aged 17: outside SDQ ages, inside 10-17
    ]  # fmt: skip
    t = _health_truth(rows, date(2025, 3, 31))
    ha = "Health assessments: Children looked after all ages"
    sdq = "Ages 5 to 16 years with SDQ score"
    conv = "Convictions: Children looked after Ages 10 to 17 years"
    sm = "Substance misuse: Children looked after all ages"
    assert t[("health", ha, "Had their annual health assessment")] == 2  # rows 1 and 2
    assert t[("health", ha, "Total all ages")] == 4
    assert t[("health", "Development assessments: Children looked after ages 0 to 4 years",
              "Development assessments up to date")] == 1  # fmt: skip
    # Aged 5-16: rows 2 and 3, both scored: 13 (normal) and 17 (concern); average 15.0.
    assert t[("health", sdq, "Total ages 5 to 16 years")] == 2
    assert (
        t[("health", sdq, "SDQ score is normal")] == 1
        and t[("health", sdq, "SDQ score is a cause for concern")] == 1
    )
    assert t[("_sdq_average",)] == 15.0
    # Aged 10-17: rows 2, 3, 4; convicted: row 2.
    assert t[("health", conv, "Total ages 10 to 17 years")] == 3
    assert (
        t[
            (
                "health",
                conv,
                "Convicted or subject to youth cautions, or youth conditional cautions during the year",
            )
        ]
        == 1
    )
    assert t[("health", sm, "Offered intervention but refused it")] == 1


def test_leavers_counts_follow_the_dfe_exclusions():
    rows = [
        {"DOB": "01/06/2005", "IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "U1"},  # 19: HE, suitable
        {"DOB": "01/06/2004", "IN_TOUCH": "YES", "ACTIV": "G5", "ACCOM": "G1"},  # 20: NEET, abroad
        {"DOB": "01/06/2004", "IN_TOUCH": "NO", "ACTIV": "0", "ACCOM": "0"},  # 20: not in touch
        {"DOB": "01/06/2004", "IN_TOUCH": "DIED", "ACTIV": "0", "ACCOM": "0"},  # excluded
    ]
    t = _leavers_truth(rows, date(2025, 3, 31))
    g = "19 to 21 years"
    # Activity: 3 young people (DIED left out): EET 1, NEET 1, not known 1.
    assert t[("activity", g, "Total")] == 3
    assert t[("activity", g, "Total in education, employment or training")] == 1
    assert t[("activity", g, "Total not in education, employment or training")] == 1
    assert t[("activity", g, "Total information not known")] == 1
    # Suitability: the one abroad (G) is left out: 2, of whom 1 suitable and 1 no information.
    assert t[("accommodation", g, "Suitability total")] == 2
    assert t[("accommodation", g, "Accommodation considered suitable")] == 1
    assert t[("accommodation", g, "No information")] == 1


def test_written_release_carries_the_truth_for_the_sample_council(tmp_path):
    truth = {2025: {("numbers", "Children looked after on 31 March each year"): 321}}
    write_benchmarks(tmp_path, truth=truth)
    bench = load_benchmarks(tmp_path)
    row = bench[
        (bench["old_la_code"] == "999") & (bench["year"] == 2025) & (bench["measure"] == "cla_at_end")
    ]
    assert row["value"].tolist() == [321]


def test_the_sample_generator_never_calls_the_measures():
    # The published figures must not come from the code they are used to check.
    for path in (ROOT / "cpkit" / "sample").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        } | {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        assert not {m for m in imported if m.startswith(("cpkit.care", "cpkit.ssda903.read"))}, path


def test_shipped_sample_shows_small_differences_not_a_copy():
    # Own (kit) and published (generator) agree on most of the 2025 figures but not all: a realistic check.
    from cpkit.care import indicators
    from cpkit.ssda903 import load_903

    sample = ROOT / "data" / "sample"
    own = indicators(load_903(sample / "ssda903"), 2025).set_index("indicator")
    bench = load_benchmarks(sample / "benchmarks")
    pub = bench[(bench["old_la_code"] == "999") & (bench["year"] == 2025)].set_index("measure")
    both = [m for m in own.index if m in pub.index and pd.notna(pub.at[m, "numerator"])]
    same = [m for m in both if own.at[m, "numerator"] == pub.at[m, "numerator"]]
    assert 0 < len(both) - len(same) <= len(both) // 3


def test_long_term_stability_truth_counts_a_move_into_fostering_for_adoption_as_a_change():
    # h: carer 11 from 01/01/2020 (U4), the same carer approved as adopters (U5, RNE T) on 01/06/2024.
    # The DfE counts the move into U5 as a placement change (data guidance, placement stability footnote
    # 2): the clock starts 01/06/2024, after 31/03/2023, so h is in the cohort but not stable. i: the same
    # move on 01/02/2023, before the cut-off: stable.
    d = date
    kids = [
        _child(
            "108",
            d(2015, 1, 1),
            [_ep(d(2020, 1, 1), "S", "U4", 11, d(2024, 6, 1), "X1"), _ep(d(2024, 6, 1), "T", "U5", 11)],
        ),
        _child(
            "109",
            d(2015, 1, 1),
            [_ep(d(2020, 1, 1), "S", "U4", 12, d(2023, 2, 1), "X1"), _ep(d(2023, 2, 1), "T", "U5", 12)],
        ),
    ]
    truth = ground_truth(kids, 2025, seed=1)
    long_term = "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"
    assert truth[("stability", long_term, "Total children")] == 2
    assert truth[("stability", long_term, "Living with the same carer for at least 2 years")] == 1
