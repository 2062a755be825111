"""Stock breakdowns, entries and exits, placement mix and in-house share, on hand-built episodes."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.care.episodes import cla_on, in_care_on
from cpkit.care.flows import children_ceased, entries_by_category_of_need, exits_by_reason
from cpkit.care.placements import inhouse_comparison, inhouse_share, placement_mix
from cpkit.care.stock import (
    ethnic_minority_by_age,
    stock_by_age,
    stock_by_category_of_need,
    stock_by_legal_status,
    stock_by_sex,
    uasc_on,
)
from cpkit.config import Config
from cpkit.errors import ConfigError
from tests.care.conftest import build, clean

DAY = "2025-03-31"
# CHILD, DECOM, DEC, RNE, LS, CIN, PLACE, REC
STOCK_ROWS = [
    ("a", "01/07/2024", None, "S", "C2", "N1", "U4", None),
    ("b", "01/01/2024", None, "S", "V2", "N4", "K2", None),
    ("c", "01/01/2024", None, "S", "C1", "N1", "U4", None),
    ("d", "01/01/2024", None, "S", "E1", "N2", "A4", None),
    ("e", "01/01/2024", "31/03/2025", "S", "C2", "N1", "U4", "E13"),  # leaves on the day: not counted
    ("f", "01/01/2024", None, "S", "V3", "N2", "U4", None),  # short breaks: excluded
    ("g", "01/01/2024", None, "S", "J1", "N6", "R5", None),
    ("h", "01/01/2024", None, "S", "V2", "N8", "K3", None),
]
PROVIDERS = ["PR1", "PR4", "PR1", "PR4", "PR4", "PR1", "PR4", None]
# CHILD, SEX, DOB, ETHNIC
HEADER = [
    ("a", "F", "01/06/2024", "WBRI"),  # 0 on the day
    ("b", "M", "31/03/2021", "MWBC"),  # 4th birthday on the day: 4
    ("c", "1", "01/04/2015", "WBRI"),  # 10th birthday the day after: 9; old-style sex code 1
    ("d", "F", "31/03/2009", None),  # 16th birthday on the day: 16
    ("e", "F", "01/01/2012", "BAFR"),
    ("f", "M", "01/01/2012", "WBRI"),
    ("g", "M", "01/05/2011", "AOTH"),  # 13
    ("h", "2", "01/01/2008", "WBRI"),  # 17
]
UASC = pd.DataFrame(
    {
        "CHILD": ["g", "h"],
        "SEX": ["M", "F"],
        "DOB": ["01/05/2011", "01/01/2008"],
        "DUC": ["01/04/2025", "31/03/2025"],
    }
)


@pytest.fixture
def stock_data():
    return build(STOCK_ROWS, HEADER, episode_extra={"PLACE_PROVIDER": PROVIDERS}, uasc=UASC)


def as_dict(frame: pd.DataFrame, key: str, value: str = "children") -> dict:
    return dict(zip(frame[key], frame[value], strict=True))


def test_stock_by_age(stock_data):
    # In care: a b c d g h (e left on the day, f is V3). Bands: a<1, b 1-4, c 5-9, g 10-15, d h 16-17.
    got = as_dict(stock_by_age(stock_data, DAY), "age_band")
    assert got == {
        "Under 1": 1,
        "1 to 4": 1,
        "5 to 9": 1,
        "10 to 15": 1,
        "16 to 17": 2,
        "18 and over": 0,
        "Not recorded": 0,
    }


def test_stock_by_sex_maps_old_codes(stock_data):
    # a F, b M, c 1->M, d F, g M, h 2->F.
    assert as_dict(stock_by_sex(stock_data, DAY), "sex") == {"M": 3, "F": 3, "U": 0}


def test_ethnic_minority_share_by_age(stock_data):
    # Known: a WBRI, b MWBC, c WBRI, g AOTH, h WBRI; d not recorded. Minority b, g: 2 of 5 known = 40%.
    got = ethnic_minority_by_age(stock_data, DAY).set_index("age_band")
    assert got.loc["All ages", ["children", "ethnic_minority", "not_recorded"]].tolist() == [6, 2, 1]
    assert got.loc["All ages", "pct"] == pytest.approx(40.0)
    assert got.loc["1 to 4", "pct"] == pytest.approx(100.0)
    # 16-17: d (not recorded) and h (WBRI): 0 of 1 known.
    assert got.loc["16 to 17", ["children", "ethnic_minority", "not_recorded"]].tolist() == [2, 0, 1]
    assert got.loc["16 to 17", "pct"] == pytest.approx(0.0)


def test_legal_status_and_need(stock_data):
    ls = as_dict(stock_by_legal_status(stock_data, DAY), "legal_status")
    assert {k: v for k, v in ls.items() if v} == {"C1": 1, "C2": 1, "E1": 1, "J1": 1, "V2": 2}
    cin = as_dict(stock_by_category_of_need(stock_data, DAY), "category_of_need")
    assert {k: v for k, v in cin.items() if v} == {"N1": 2, "N2": 1, "N4": 1, "N6": 1, "N8": 1}


def test_uasc_uses_duc(stock_data):
    # g's DUC is after the day: UASC; h's DUC is the day itself: no longer UASC.
    got = as_dict(uasc_on(stock_data, DAY), "uasc")
    assert got == {"UASC": 1, "Not UASC": 5}


def test_placement_mix(stock_data):
    got = as_dict(placement_mix(stock_data, DAY), "placement_group")
    assert got["Foster placements"] == 2  # a, c
    assert got["Secure homes and children's homes"] == 1  # b K2
    assert got["Supported accommodation and independent living"] == 1  # h K3
    assert got["Placed for adoption"] == 1  # d A4
    assert got["Other residential settings"] == 1  # g R5
    assert got["Other placements"] == 0


def test_unrecognised_place_goes_to_other_and_is_counted():
    data = build([("x", "01/01/2024", None, "S", "C2", "N1", "Q9", None)])
    mix = placement_mix(data, DAY).set_index("placement_group")
    assert mix.loc["Other placements", ["children", "unrecognised"]].tolist() == [1, 1]


def test_inhouse_share_and_comparison(stock_data):
    # 31/03/2025: a PR1, b PR4, c PR1, d PR4, g PR4, h blank -> 2 of 6 = 33.3%, 1 not recorded.
    share = inhouse_share(stock_data, DAY).set_index("placement_group")
    assert share.loc["All placements", ["children", "inhouse", "provider_not_recorded"]].tolist() == [6, 2, 1]
    assert share.loc["Foster placements", "pct"] == pytest.approx(100.0)
    # 30/06/2024: b c d e g h in care (a not yet, f V3); in-house c only -> 1 of 6.
    comp = inhouse_comparison(stock_data, "2024-06-30", DAY)
    assert comp["inhouse"].tolist() == [1, 2]
    assert comp["change_pp"].iloc[1] == pytest.approx(100 / 3 - 100 / 6)
    # A council whose own provision is coded PR1 and PR2: b? no (PR4); still 2 of 6.
    other = inhouse_share(stock_data, DAY, Config(inhouse_providers=["PR4"])).iloc[0]
    assert other["inhouse"] == 3


# CHILD, DECOM, DEC, RNE, LS, CIN, PLACE, REC
FLOW_ROWS = [
    ("p", "01/05/2024", "01/06/2024", "S", "V2", "N1", "U4", "E13"),  # leaves and returns
    ("p", "01/09/2024", "01/12/2024", "S", "C2", "N5", "U4", "E11"),
    ("q", "01/01/2024", "10/04/2024", "S", "C2", "N4", "U4", "E45"),  # entered before the year
    ("r", "01/04/2024", None, "S", "V2", "N2", "U4", None),  # starts on the first day
    ("s", "01/04/2024", "01/06/2024", "S", "V3", "N2", "U4", "X1"),  # V3 then a care order
    ("s", "01/06/2024", None, "L", "C2", "N2", "U4", None),
    (
        "t",
        "31/03/2024",
        "31/03/2025",
        "S",
        "V2",
        "N1",
        "U4",
        "E4A",
    ),  # starts the day before, leaves on the last
    ("u", "01/02/2024", "01/05/2024", "S", "V2", "N1", "U4", "E99"),  # unknown reason
]


def test_entries_by_category_of_need():
    # Started in 2024-25: p (first start N1; counted once), r N2, s N2 (V3 -> C2 on 01/06). t started 31/03/2024.
    got = as_dict(
        entries_by_category_of_need(build(FLOW_ROWS), "2024-04-01", "2025-03-31"), "category_of_need"
    )
    assert {k: v for k, v in got.items() if v} == {"N1": 1, "N2": 2}


def test_exits_by_reason_uses_last_exit():
    # Ceased: p last exit E11 (adopted, not E13), q E45 SGO, t E4A returned home, u E99 other. r, s open.
    data = build(FLOW_ROWS)
    got = as_dict(exits_by_reason(data, "2024-04-01", "2025-03-31"), "reason")
    assert {k: v for k, v in got.items() if v} == {
        "Adopted": 1,
        "Special guardianship order": 1,
        "Returned home to parents or relatives": 1,
        "Other": 1,
    }
    assert (
        children_ceased(data, "2024-04-01", "2025-03-31").set_index("CHILD").loc["p", "end_reason"] == "E11"
    )


def test_inhouse_denominator_setting():
    # At 31/03/2025: i1 U4 PR1, i2 K2 PR4, i3 P1 PR0 (with parents), i4 U4 PR1.
    rows = [
        ("i1", "01/01/2024", None, "S", "C2", "N1", "U4", None),
        ("i2", "01/01/2024", None, "S", "C2", "N1", "K2", None),
        ("i3", "01/01/2024", None, "S", "C2", "N1", "P1", None),
        ("i4", "01/01/2024", None, "S", "C2", "N1", "U4", None),
    ]
    data = build(rows, episode_extra={"PLACE_PROVIDER": ["PR1", "PR4", "PR0", "PR1"]})
    # Default excluding_parents: i3 left out: 2 of 3.
    default = inhouse_share(data, DAY).iloc[0]
    assert (default["inhouse"], default["children"]) == (2, 3)
    # "all": 2 of 4.
    every = inhouse_share(data, DAY, Config(inhouse_denominator="all")).iloc[0]
    assert (every["inhouse"], every["children"]) == (2, 4)
    with pytest.raises(ConfigError, match="inhouse_denominator"):
        inhouse_share(data, DAY, Config(inhouse_denominator="parents"))


def test_inhouse_denominator_is_checked_when_the_config_is_read(tmp_path):
    path = tmp_path / "cpkit.yaml"
    path.write_text("inhouse_denominator: everyone\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="inhouse_denominator: expected one of all, excluding_parents"):
        Config.load(path)


def test_p3_and_s1_in_the_dfe_groups():
    # The DfE: residential employment (P3) goes with independent living, residential schools (S1) with
    # other placements (CLA release data guidance, placement type note 3).
    rows = [
        ("g1", "01/01/2024", None, "S", "C2", "N1", "P3", None),
        ("g2", "01/01/2024", None, "S", "C2", "N1", "S1", None),
    ]
    mix = as_dict(placement_mix(build(rows), DAY), "placement_group")
    assert mix["Supported accommodation and independent living"] == 1
    assert mix["Other placements"] == 1
    assert mix["Other residential settings"] == 0


def test_uasc_from_the_latest_return():
    # u1: UASC in the 2024 return (DUC blank), the 2025 return gives DUC 01/06/2024.
    # u2: a UASC row in the 2024 return only; the 2025 return holds the child without one (corrected).
    rows = [
        ("u1", "01/06/2023", None, "S", "V2", "N1", "K2", None),
        ("u2", "01/06/2023", None, "S", "V2", "N1", "K2", None),
    ]
    header = pd.DataFrame(
        {
            "CHILD": ["u1", "u2", "u1", "u2"],
            "SEX": "M",
            "DOB": "01/01/2008",
            "ETHNIC": "OOTH",
            "return_year": [2024, 2024, 2025, 2025],
        }
    )
    uasc = pd.DataFrame(
        {
            "CHILD": ["u1", "u2", "u1"],
            "SEX": "M",
            "DOB": "01/01/2008",
            "DUC": [None, None, "01/06/2024"],
            "return_year": [2024, 2024, 2025],
        }
    )
    data = build(rows, uasc=uasc)
    data.tables["header"] = clean("header", header)
    # 31/03/2024: u1 (DUC after the day); not u2. 31/03/2025: neither.
    assert as_dict(uasc_on(data, "2024-03-31"), "uasc")["UASC"] == 1
    assert as_dict(uasc_on(data, DAY), "uasc")["UASC"] == 0


def test_a_same_day_change_counts_the_episode_running_at_the_end_of_the_day_whatever_the_row_order():
    # a and b each start care 01/02/2025 in U4 and move to U6 the same day (the U4 episode begins and
    # ends that day, X1). a's return lists the U4 episode first, b's lists it last. Both are looked
    # after on 31 March 2025, in U6 (reading the last row of the day left b out: 1 child, not 2).
    data = build(
        [
            ("a", "01/02/2025", "01/02/2025", "S", "C2", "N1", "U4", "X1"),
            ("a", "01/02/2025", None, "P", "C2", "N1", "U6", None),
            ("b", "01/02/2025", None, "P", "C2", "N1", "U6", None),
            ("b", "01/02/2025", "01/02/2025", "S", "C2", "N1", "U4", "X1"),
        ]
    )
    assert cla_on(data, DAY) == 2
    assert in_care_on(data, DAY)["PLACE"].tolist() == ["U6", "U6"]


def test_uasc_history_stands_when_a_later_return_holds_the_child_as_a_care_leaver():
    # u3: UASC in the 2024 return with DUC 01/12/2024 (the 18th birthday); the 2026 return holds the
    # young person only as a care leaver (a Header row, no UASC row: the DfE's rule 104 forbids a DUC
    # before the year). u2 as above: the later return holds the child in care without a UASC row, a
    # correction. On 31/03/2024 u3 was UASC, u2 was not: 1 of 2.
    rows = [
        ("u3", "01/06/2023", None, "S", "V2", "N1", "K2", None),
        ("u2", "01/06/2023", None, "S", "V2", "N1", "K2", None),
    ]
    header = pd.DataFrame(
        {
            "CHILD": ["u3", "u2", "u3", "u2"],
            "SEX": "M",
            "DOB": ["01/12/2006", "01/01/2008", "01/12/2006", "01/01/2008"],
            "ETHNIC": "OOTH",
            "return_year": [2024, 2024, 2026, 2025],
        }
    )
    uasc = pd.DataFrame(
        {
            "CHILD": ["u3", "u2"],
            "SEX": "M",
            "DOB": ["01/12/2006", "01/01/2008"],
            "DUC": ["01/12/2024", None],
            "return_year": [2024, 2024],
        }
    )
    data = build(rows, uasc=uasc)
    data.tables["header"] = clean("header", header)
    assert as_dict(uasc_on(data, "2024-03-31"), "uasc")["UASC"] == 1
