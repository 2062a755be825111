"""Health (OC2), care leavers (OC3), location, adoption and missing, on hand-built tables."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.care.adoption import adopted_children, adoption_timings
from cpkit.care.health import health_outcomes, oc2_cohort, oc2_mismatches
from cpkit.care.leavers import leaver_outcomes, leavers_breakdown
from cpkit.care.location import location_summary, new_placement_distances, placement_locations
from cpkit.care.missing import missing_summary
from cpkit.config import Config
from tests.care.conftest import build

# ---- Health: cohort at 31/03/2025 = period started by 31/03/2024, in care at the end, no break in the year.
HEALTH_ROWS = [
    ("h1", "01/01/2023", None, "S", "C2", "N1", "U4", None),
    ("h2", "31/03/2024", None, "S", "C2", "N1", "U4", None),  # started the day before the year: in
    ("h3", "01/04/2024", None, "S", "C2", "N1", "U4", None),  # started on the first day: out
    ("h4", "01/01/2020", "01/06/2024", "S", "C2", "N1", "U4", "X1"),  # a short break in the year: out
    ("h4", "01/06/2024", "01/07/2024", "P", "V3", "N1", "U4", "X1"),
    ("h4", "01/07/2024", None, "P", "C2", "N1", "U4", None),
    ("h5", "01/01/2023", None, "S", "C2", "N1", "U4", None),  # no OC2 row
    ("h6", "01/01/2022", None, "S", "C2", "N1", "U4", None),
    ("h7", "01/01/2022", None, "S", "C2", "N1", "U4", None),  # 17 on the day: outside SDQ ages
    ("h8", "01/01/2020", "01/02/2025", "S", "C2", "N1", "U4", "E13"),  # left: out
]
HEALTH_HEADER = [
    ("h1", "M", "01/01/2015", "WBRI"),
    ("h2", "F", "01/06/2021", "WBRI"),
    ("h3", "F", "01/01/2012", "WBRI"),
    ("h4", "F", "01/01/2009", "WBRI"),
    ("h5", "M", "01/01/2013", "WBRI"),
    ("h6", "M", "01/01/2011", "WBRI"),
    ("h7", "F", "31/03/2008", "WBRI"),
    ("h8", "M", "01/01/2012", "WBRI"),
]
OC2_COLS = [
    "CHILD",
    "DOB",
    "SDQ_SCORE",
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "return_year",
]
OC2 = pd.DataFrame(
    [
        ("h1", "01/01/2015", "12", "0", None, "0", "1", "1", 2025),
        ("h2", "01/06/2021", None, None, "1", "1", "0", "1", 2025),
        ("h3", "01/01/2012", "30", "0", None, "1", "1", "1", 2025),  # not in the cohort
        ("h6", "01/01/2011", "20", "1", None, "1", "1", "1", 2025),
        ("h7", "31/03/2008", "15", "0", None, "0", "0", "0", 2025),
        ("h1", "01/01/2015", "40", "1", None, "0", "0", "0", 2024),  # last year's return: ignored
    ],
    columns=OC2_COLS,
)


@pytest.fixture
def health_data():
    return build(HEALTH_ROWS, HEALTH_HEADER, oc2=OC2)


def test_oc2_cohort(health_data):
    assert sorted(oc2_cohort(health_data, 2025)["CHILD"]) == ["h1", "h2", "h5", "h6", "h7"]
    mism = oc2_mismatches(health_data, 2025)
    assert sorted(mism["CHILD"]) == ["h3", "h5"]


def test_health_outcomes(health_data):
    h = health_outcomes(health_data, 2025)
    # Cohort of 5 (h5 has no OC2 row and counts as not checked). Assessment h1 h2 h6 = 3.
    assert (h["health_assessment_pct"]["numerator"], h["health_assessment_pct"]["denominator"]) == (3, 5)
    assert h["teeth_check_pct"]["numerator"] == 2  # h1, h6
    assert h["immunisations_pct"]["numerator"] == 2  # h2, h6
    assert h["health_surveillance_pct"] == {"numerator": 1, "denominator": 1, "pct": 100.0}  # h2 aged 3
    assert h["convicted_pct"] == {"numerator": 1, "denominator": 4, "pct": 25.0}  # h6 of h1 h5 h6 h7
    # SDQ ages 5-16: h1 (10), h5 (12), h6 (14); scores 12 and 20 (h7's 15 is at 17, not counted).
    assert h["sdq_received_pct"]["numerator"] == 2 and h["sdq_received_pct"]["denominator"] == 3
    assert h["sdq_average"]["pct"] == pytest.approx(16.0)
    assert h["sdq_normal_pct"]["pct"] == 50.0 and h["sdq_concern_pct"]["pct"] == 50.0
    assert h["sdq_borderline_pct"]["numerator"] == 0


# ---- Care leavers, return 2025: age at 31/03/2025.
OC3 = pd.DataFrame(
    [
        ("c1", "15/06/2006", "YES", "F2", "Z1", 2025),  # 18, staying put
        ("c2", "01/01/2007", "YES", "G5", "B2", 2025),  # 18, NEET, unsuitable
        ("c3", "01/01/2008", "NO", None, "R0", 2025),  # 17
        ("c4", "01/01/2005", "YES", "F1", "U1", 2025),  # 20, higher education
        ("c5", "01/01/2004", "DIED", None, None, 2025),  # excluded
        ("c6", "01/01/2006", "REFU", None, None, 2025),  # 19, refuses contact: counts, not in touch
        ("c7", "01/01/2003", "YES", "F2", "U1", 2025),  # 22: other ages
        ("c8", "01/01/2006", "RHOM", "F2", "B1", 2025),  # excluded
    ],
    columns=["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM", "return_year"],
)
LEAVER_ROWS = [
    ("c1", "01/01/2020", "15/06/2024", "S", "C2", "N1", "U4", "E17"),  # ceased in foster care at 18
    ("c2", "01/01/2020", "01/01/2025", "S", "C2", "N1", "K2", "E5"),  # ceased at 18 in a children's home
]
LEAVER_HEADER = [("c1", "F", "15/06/2006", "WBRI"), ("c2", "M", "01/01/2007", "WBRI")]


def test_leaver_outcomes():
    out = leaver_outcomes(build(LEAVER_ROWS, LEAVER_HEADER, oc3=OC3), 2025)
    # 17-18: c1 c2 c3. In touch c1 c2; suitable c1 (Z1); EET c1; NEET c2.
    assert out["leavers_in_touch_17_18_pct"]["numerator"] == 2
    assert out["leavers_in_touch_17_18_pct"]["denominator"] == 3
    assert [out[f"leavers_{k}_17_18_pct"]["numerator"] for k in ("suitable_accom", "eet", "neet")] == [
        1,
        1,
        1,
    ]
    # 19-21: c4 c6 (c5 died, c8 returned home, c7 is 22). c4 in touch, suitable, EET, higher education.
    for key in ("in_touch", "suitable_accom", "eet", "higher_education"):
        assert out[f"leavers_{key}_19_21_pct"] == {"numerator": 1, "denominator": 2, "pct": 50.0}
    assert out["leavers_neet_19_21_pct"]["numerator"] == 0
    # Staying put: c1 ceased in U4 on the 18th birthday and lives with former carers; c2 left a home.
    assert out["leavers_staying_put_18_pct"] == {"numerator": 1, "denominator": 1, "pct": 100.0}


def test_leavers_breakdown_lists_exclusions():
    got = leavers_breakdown(build(LEAVER_ROWS, LEAVER_HEADER, oc3=OC3), 2025)
    excluded = got[got["activity"].str.startswith("Excluded")]
    assert excluded.set_index("age_group")["young_people"].to_dict() == {"19-21": 2}
    assert got["young_people"].sum() == 8


# ---- Location with an injected postcode table (grid references in metres).
LOOKUP = pd.DataFrame(
    {
        "postcode": ["AA11AA", "AA11AB", "BB11AA", "BB11AB"],
        "easting": [0.0, 3000.0, 40000.0, 32186.0],
        "northing": [0.0, 4000.0, 0.0, 0.0],
        "district": ["LA", "LA", "OTHER", "OTHER"],
    }
)
LOC_ROWS = [
    ("l1", "01/05/2024", None, "S", "C2", "N1", "U4", None),
    ("l2", "01/01/2024", None, "S", "C2", "N1", "U4", None),
    ("l3", "01/01/2024", None, "S", "C2", "N1", "U4", None),
    ("l4", "01/01/2024", None, "S", "C2", "N1", "U4", None),
    ("l5", "01/01/2024", None, "S", "C2", "N1", "U4", None),
]
LOC_EXTRA = {
    "HOME_POST": ["AA1 1AA", "AA1 1AA", "AA1 1AA", None, "AA1 1AA"],
    "PL_POST": ["aa1 1ab", "BB1 1AA", "BB1 1AB", "BB1 1AA", "CC1 1CC"],
}
LA = Config(la_district_codes=["LA"])


def test_distances_and_boundary():
    data = build(LOC_ROWS, episode_extra=LOC_EXTRA)
    loc = placement_locations(data, "2025-03-31", LA, LOOKUP).set_index("CHILD")
    # 5000 m = 3.1 miles; 40000 m = 24.9; 32186 m = 20.0 (not over 20); unknown postcodes: not known.
    assert loc["miles"].loc[["l1", "l2", "l3"]].tolist() == [3.1, 24.9, 20.0]
    assert loc["band"].tolist() == [
        "20 miles or less",
        "Over 20 miles",
        "20 miles or less",
        "Not known",
        "Not known",
    ]
    assert loc["boundary"].tolist() == [
        "Inside boundary",
        "Outside boundary",
        "Outside boundary",
        "Outside boundary",
        "Not known",
    ]
    summary = location_summary(data, "2025-03-31", LA, LOOKUP).set_index(["boundary", "band"])
    assert summary.loc[("Outside boundary", "Over 20 miles"), "children"] == 1
    assert summary["children"].sum() == 5
    new = new_placement_distances(data, "2024-04-01", "2025-03-31", LA, LOOKUP)
    assert new["CHILD"].tolist() == ["l1"]


def test_real_postcode_directory():
    # S1 1AA (435732, 387312) to S10 2TN (434120, 387290): 1612.2 m = 1.0 miles.
    data = build(
        [("p1", "01/01/2024", None, "S", "C2", "N1", "U4", None)],
        episode_extra={"HOME_POST": ["S1 1AA"], "PL_POST": ["S10 2TN"]},
    )
    loc = placement_locations(data, "2025-03-31", Config(la_district_codes=["E08000039"]))
    assert loc[["miles", "boundary"]].iloc[0].tolist() == [1.0, "Inside boundary"]


# ---- Adoption, year 2024-25.
ADOPTION_ROWS = [
    ("ad1", "01/01/2023", "01/06/2023", "S", "C1", "N1", "U4", "X1"),
    ("ad1", "01/06/2023", "01/03/2024", "L", "E1", "N1", "U4", "X1"),  # placement order 01/06/2023
    ("ad1", "01/03/2024", "01/09/2024", "P", "E1", "N1", "A4", "E11"),  # moved in with adopters 01/03/2024
    ("ad2", "01/01/2023", "01/04/2023", "S", "C2", "N1", "U4", "X1"),
    ("ad2", "01/04/2023", "01/10/2023", "P", "C2", "N1", "U4", "X1"),  # the carers who adopt
    ("ad2", "01/10/2023", "01/01/2024", "L", "E1", "N1", "U4", "X1"),
    ("ad2", "01/01/2024", "01/12/2024", "T", "E1", "N1", "A5", "E12"),
    ("ad3", "01/01/2023", "01/05/2024", "S", "C2", "N1", "U4", "E45"),
    ("ad4", "01/01/2023", "01/05/2024", "S", "C2", "N1", "U4", "E4A"),
]
AD1 = pd.DataFrame(
    {
        "CHILD": ["ad1", "ad2"],
        "DOB": ["01/01/2020", "01/01/2020"],
        "DATE_MATCH": ["01/02/2024", "01/09/2023"],
        "FOSTER_CARE": ["0", "1"],
    }
)
# DATE_PLACED is the date of the *decision* to place for adoption (01/11/2023), not the move (01/03/2024):
# the timings must not use it.
PLACED = pd.DataFrame({"CHILD": ["ad1"], "DOB": ["01/01/2020"], "DATE_PLACED": ["01/11/2023"]})


def test_adoption_timings():
    data = build(ADOPTION_ROWS, ad1=AD1, placed_adoption=PLACED)
    kids = adopted_children(data, "2024-04-01", "2025-03-31").set_index("CHILD")
    # ad1: A1 = A10 = 01/01/2023 -> 01/03/2024 = 425 days; A2 = 01/06/2023 -> 01/02/2024 = 245.
    # ad2: A1 = 01/01/2023 -> 01/01/2024 (first A5 episode) = 365; A10 stops at 01/04/2023 = 90;
    #      matched before the placement order: A2 = 0.
    assert kids[["days_a1", "days_a10", "days_a2"]].loc["ad1"].tolist() == [425, 425, 245]
    assert kids[["days_a1", "days_a10", "days_a2"]].loc["ad2"].tolist() == [365, 90, 0]
    t = adoption_timings(data, "2024-04-01", "2025-03-31")
    assert t["adoption_a1_days"]["pct"] == 395.0
    assert t["adoption_a10_days"]["pct"] == 257.5
    assert t["adoption_a2_days"]["pct"] == 122.5


def test_missing():
    data = build(
        [
            ("m1", "01/01/2024", None, "S", "C2", "N1", "U4", None),
            ("m2", "01/01/2024", None, "S", "C2", "N1", "U4", None),
            ("m3", "01/01/2024", "01/04/2024", "S", "C2", "N1", "U4", "E13"),
        ],  # in care on the first day
        missing=pd.DataFrame(
            {
                "CHILD": ["m1", "m2", "m2", "m4"],
                "DOB": ["01/01/2015"] * 4,
                "MISSING": ["M", "A", "M", "M"],
                "MIS_START": ["01/05/2024", "01/05/2024", "01/03/2024", "01/05/2024"],
            }
        ),
    )
    # m2's M incident is before the year; m4 was not looked after.
    out = missing_summary(data, "2024-04-01", "2025-03-31")
    assert out["missing_pct"]["numerator"] == 1 and out["missing_pct"]["denominator"] == 3
    assert out["away_pct"]["numerator"] == 1


def test_a10_needs_the_same_carers():
    # ad5 has FOSTER_CARE 1 but moved to the adopters with a change of carer (RNE P): the adoptive
    # placement did not continue a foster placement, so the clock stops at the move, A10 = A1:
    # 01/01/2023 -> 01/07/2024 = 365 + 182 = 547 days.
    rows = [
        ("ad5", "01/01/2023", "01/07/2024", "S", "C2", "N1", "U4", "X1"),
        ("ad5", "01/07/2024", "01/12/2024", "P", "E1", "N1", "A6", "E11"),
    ]
    ad1 = pd.DataFrame(
        {"CHILD": ["ad5"], "DOB": ["01/01/2020"], "DATE_MATCH": ["01/06/2024"], "FOSTER_CARE": ["1"]}
    )
    kids = adopted_children(build(rows, ad1=ad1), "2024-04-01", "2025-03-31").set_index("CHILD")
    assert kids.loc["ad5", ["days_a1", "days_a10"]].tolist() == [547, 547]
    # Placement order (E1) from 01/07/2024, matched 01/06/2024, before it: A2 = 0.
    assert kids.loc["ad5", "days_a2"] == 0


def test_oc2_cohort_keeps_a_child_who_left_after_31_march():
    # Stacked returns up to 2025, asked for 2024 (cohort at 31/03/2024, year 01/04/2023-31/03/2024).
    # k1 left on 01/06/2024 (E4A), after that 31 March: in. k2 left on 01/02/2024 and came back
    # 15/02/2024: ceased in the year, out. k3 started on 31/03/2023: in.
    rows = [
        ("k1", "01/01/2021", "01/06/2024", "S", "C2", "N1", "U4", "E4A"),
        ("k2", "01/01/2021", "01/02/2024", "S", "C2", "N1", "U4", "E13"),
        ("k2", "15/02/2024", None, "S", "C2", "N1", "U4", None),
        ("k3", "31/03/2023", None, "S", "C2", "N1", "U4", None),
    ]
    oc2 = pd.DataFrame(
        {"CHILD": ["k1", "k3"], "DOB": "01/01/2015", "HEALTH_ASSESSMENT": ["1", "0"], "return_year": 2024}
    )
    data = build(rows, oc2=oc2)
    assert sorted(oc2_cohort(data, 2024)["CHILD"]) == ["k1", "k3"]
    # The calendar 2024 report takes the same collection year's cohort: 1 of 2.
    from cpkit.care import indicators

    row = indicators(data, 2024, "calendar").set_index("indicator").loc["health_assessment_pct"]
    assert (row["numerator"], row["denominator"]) == (1, 2)


def test_suitable_accommodation_leaves_out_abroad_deported_unknown():
    # 19-21 at 31/03/2025: G1 abroad, H2 deported, R1 residence not known: out of the suitability
    # denominator; U1 suitable, B2 unsuitable, 0 not in touch (no information): 1 of 3.
    oc3 = pd.DataFrame(
        {
            "CHILD": [f"c{i}" for i in range(6)],
            "DOB": "01/05/2005",
            "IN_TOUCH": ["YES", "YES", "YES", "YES", "YES", "NO"],
            "ACTIV": ["F2", "F2", "F2", "F2", "G5", "0"],
            "ACCOM": ["G1", "H2", "R1", "U1", "B2", "0"],
            "return_year": 2025,
        }
    )
    out = leaver_outcomes(build([], oc3=oc3), 2025)
    assert out["leavers_suitable_accom_19_21_pct"] == {"numerator": 1, "denominator": 3, "pct": 100 / 3}
    # The other measures keep all six.
    assert out["leavers_in_touch_19_21_pct"]["denominator"] == 6
