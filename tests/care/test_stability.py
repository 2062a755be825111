"""Three or more placements (LAIT 372) and long-term stability (LAIT 393), on hand-built episodes."""

from __future__ import annotations

import pandas as pd

from cpkit.care.adoption import adopted_children
from cpkit.care.stability import (
    long_term_stability,
    long_term_stability_children,
    placement_counts,
    three_plus_placements,
)
from cpkit.config import Config, StabilitySettings
from tests.care.conftest import build

START, END = "2024-04-01", "2025-03-31"
# CHILD, DECOM, DEC, RNE, LS, CIN, PLACE, REC
ROWS = [
    # S1: open at the start, two moves: 3.
    ("S1", "01/01/2024", "01/06/2024", "S", "C2", "N1", "U4", "X1"),
    ("S1", "01/06/2024", "01/09/2024", "P", "C2", "N1", "K2", "X1"),
    ("S1", "01/09/2024", None, "P", "C2", "N1", "U4", None),
    # S2: first placement ended 31/03/2024, before the year: 2.
    ("S2", "01/01/2024", "31/03/2024", "S", "C2", "N1", "U4", "X1"),
    ("S2", "31/03/2024", "01/05/2024", "P", "C2", "N1", "U5", "X1"),
    ("S2", "01/05/2024", None, "P", "C2", "N1", "U6", None),
    # S3: a week's holiday (T2) and back to the same carer: 1 (3 if temporary moves count).
    ("S3", "01/05/2024", "01/07/2024", "S", "C2", "N1", "U4", "X1"),
    ("S3", "01/07/2024", "08/07/2024", "P", "C2", "N1", "T2", "X1"),
    ("S3", "08/07/2024", None, "P", "C2", "N1", "U4", None),
    # S4: placed for adoption with the current foster carer (A5): 1.
    ("S4", "01/05/2024", "01/10/2024", "S", "C2", "N1", "U4", "X1"),
    ("S4", "01/10/2024", None, "T", "E1", "N1", "A5", None),
    # S5: a placement lasting no time is not counted: U4, (K2 0 days), U4 = 2.
    ("S5", "01/05/2024", "01/06/2024", "S", "C2", "N1", "U4", "X1"),
    ("S5", "01/06/2024", "01/06/2024", "P", "C2", "N1", "K2", "X1"),
    ("S5", "01/06/2024", None, "P", "C2", "N1", "U4", None),
    # S6: new carer then same-carer change (T): 3 (2 if same-carer changes do not count).
    ("S6", "01/05/2024", "01/06/2024", "S", "C2", "N1", "U4", "X1"),
    ("S6", "01/06/2024", "01/07/2024", "P", "C2", "N1", "U5", "X1"),
    ("S6", "01/07/2024", None, "T", "C2", "N1", "U5", None),
    # S7: leaves and returns, placements in both periods count: 3.
    ("S7", "01/05/2024", "01/06/2024", "S", "V2", "N1", "U4", "E13"),
    ("S7", "01/09/2024", "01/10/2024", "S", "V2", "N1", "U4", "X1"),
    ("S7", "01/10/2024", None, "P", "V2", "N1", "K2", None),
    # S8: not in care at the end; S9: short breaks only.
    ("S8", "01/05/2024", "01/06/2024", "S", "V2", "N1", "U4", "E13"),
    ("S8", "01/06/2024", "01/07/2024", "S", "V2", "N1", "U4", "E13"),
    ("S9", "01/01/2025", None, "S", "V3", "N2", "U4", None),
]


def test_placement_counts_default_settings():
    got = placement_counts(build(ROWS), START, END).set_index("CHILD")["placements"].to_dict()
    assert got == {"S1": 3, "S2": 2, "S3": 1, "S4": 1, "S5": 2, "S6": 3, "S7": 3}


def test_three_plus_default():
    # S1, S6, S7 of the seven children in care at 31 March.
    assert three_plus_placements(build(ROWS), START, END) == {
        "numerator": 3,
        "denominator": 7,
        "pct": 300 / 7,
    }


def test_three_plus_settings():
    data = build(ROWS)
    temp = Config(stability=StabilitySettings(count_temporary_moves=True))
    assert three_plus_placements(data, START, END, temp)["numerator"] == 4  # S3 now 3
    same = Config(stability=StabilitySettings(count_same_carer_changes=False))
    assert three_plus_placements(data, START, END, same)["numerator"] == 2  # S6 now 2


# Long-term stability at 31/03/2025: period start <= 30/09/2022, placement start <= 31/03/2023.
LT_ROWS = [
    ("L1", "01/01/2022", None, "S", "C2", "N1", "U4", None),  # stable
    ("L2", "01/01/2022", "01/06/2023", "S", "C2", "N1", "U4", "X1"),  # moved within two years
    ("L2", "01/06/2023", None, "P", "C2", "N1", "U5", None),
    ("L3", "01/01/2022", "01/02/2024", "S", "C2", "N1", "U4", "X1"),  # adopted by the foster carer: stable
    ("L3", "01/02/2024", None, "T", "E1", "N1", "A5", None),
    ("L4", "01/01/2020", None, "S", "C2", "N1", "U4", None),  # 16 on the day: out
    ("L5", "01/10/2022", None, "S", "C2", "N1", "U4", None),  # in care one day short of 2.5 years: out
    ("L6", "30/09/2022", None, "S", "C2", "N1", "U4", None),  # exactly 2.5 years: in, stable
    ("L7", "01/01/2022", "01/05/2023", "S", "C1", "N1", "U4", "X1"),  # legal status change only: stable
    ("L7", "01/05/2023", None, "L", "C2", "N1", "U4", None),
    # L8: U6 -> U4 with the same carer (RNE T) on 01/02/2024: the carer is kept, stable since 01/01/2022,
    # even though the default 3+ placements settings count T as a new placement.
    ("L8", "01/01/2022", "01/02/2024", "S", "C2", "N1", "U6", "X1"),
    ("L8", "01/02/2024", None, "T", "C2", "N1", "U4", None),
    # L9: new carer on 31/03/2023 (the cut-off day itself): stable. L10: on 01/04/2023: not.
    ("L9", "01/01/2022", "31/03/2023", "S", "C2", "N1", "U6", "X1"),
    ("L9", "31/03/2023", None, "P", "C2", "N1", "U4", None),
    ("L10", "01/01/2022", "01/04/2023", "S", "C2", "N1", "U6", "X1"),
    ("L10", "01/04/2023", None, "P", "C2", "N1", "U4", None),
    # L11: placed for adoption with *new* adopters (A6, RNE B) on 01/06/2024; the placement before it
    # started 01/03/2023 (new carer): combined since 01/03/2023 <= 31/03/2023: stable, whoever the carer.
    ("L11", "01/01/2022", "01/03/2023", "S", "C2", "N1", "U6", "X1"),
    ("L11", "01/03/2023", "01/06/2024", "P", "C2", "N1", "U4", "X1"),
    ("L11", "01/06/2024", None, "B", "E1", "N1", "A6", None),
    # L12: the same, but the placement before the adoptive one started 01/05/2023: not stable.
    ("L12", "01/01/2022", "01/05/2023", "S", "C2", "N1", "U6", "X1"),
    ("L12", "01/05/2023", "01/06/2024", "P", "C2", "N1", "U4", "X1"),
    ("L12", "01/06/2024", None, "B", "E1", "N1", "A6", None),
]
LT_HEADER = [
    (c, "M", "01/01/2015", "WBRI")
    for c in ("L1", "L2", "L3", "L5", "L6", "L7", "L8", "L9", "L10", "L11", "L12")
] + [("L4", "M", "31/03/2009", "WBRI")]


def test_long_term_stability():
    data = build(LT_ROWS, LT_HEADER)
    kids = long_term_stability_children(data, END).set_index("CHILD")["stable"].to_dict()
    assert kids == {
        "L1": True,
        "L2": False,
        "L3": True,
        "L6": True,
        "L7": True,
        "L8": True,
        "L9": True,
        "L10": False,
        "L11": True,
        "L12": False,
    }
    # 7 stable of 10 (L4 is 16, L5 started a day late).
    assert long_term_stability(data, END) == {
        "numerator": 7,
        "denominator": 10,
        "pct": 70.0,
        "unknown_history": 0,
    }


# Fostering for adoption (U2, U5) at 31/03/2025: the DfE counts a move into an FfA placement as a
# placement change, even with the same carer (CLA release data guidance, la_cla_placement_stability.csv
# footnote 2, "... (placement codes U2 and U5) as a placement change"). All in care since 01/01/2022
# (before 30/09/2022) and born 2015 (under 16): all in the denominator. Cut-off for the placement:
# it must have started on or before 31/03/2023.
FFA_ROWS = [
    # F1: same foster carers (RNE T) become approved adopters, U4 -> U5 on 01/06/2024: the clock restarts
    # on 01/06/2024, after 31/03/2023: not stable (same carer since 2022 would have said stable).
    ("F1", "01/01/2022", "01/06/2024", "S", "C2", "N1", "U4", "X1"),
    ("F1", "01/06/2024", None, "T", "E1", "N1", "U5", None),
    # F2: the same move on 01/02/2023, before the cut-off: stable.
    ("F2", "01/01/2022", "01/02/2023", "S", "C2", "N1", "U1", "X1"),
    ("F2", "01/02/2023", None, "U", "E1", "N1", "U2", None),
    # F3: in U5 from the start; a legal status change (RNE L, still U5) on 01/05/2024 is not a move into
    # FfA: stable since 01/01/2022.
    ("F3", "01/01/2022", "01/05/2024", "S", "C2", "N1", "U5", "X1"),
    ("F3", "01/05/2024", None, "L", "E1", "N1", "U5", None),
    # F4: U4 -> U5 (same carer) on 01/06/2024, then placed for adoption with those carers (A5) on
    # 01/01/2025: the adoptive placement and the one before it (the U5 from 01/06/2024) combined are under
    # two years: not stable.
    ("F4", "01/01/2022", "01/06/2024", "S", "C2", "N1", "U4", "X1"),
    ("F4", "01/06/2024", "01/01/2025", "T", "E1", "N1", "U5", "X1"),
    ("F4", "01/01/2025", None, "T", "E1", "N1", "A5", None),
]
FFA_HEADER = [(c, "F", "01/01/2015", "WBRI") for c in ("F1", "F2", "F3", "F4")]


def test_long_term_stability_move_into_fostering_for_adoption_is_a_placement_change():
    data = build(FFA_ROWS, FFA_HEADER)
    kids = long_term_stability_children(data, END).set_index("CHILD")
    assert kids["stable"].to_dict() == {"F1": False, "F2": True, "F3": True, "F4": False}
    assert kids.loc["F1", "carer_since"] == pd.Timestamp("2024-06-01")
    assert kids.loc["F4", "carer_since"] == pd.Timestamp("2024-06-01")
    # 2 stable (F2, F3) of 4.
    assert long_term_stability(data, END) == {
        "numerator": 2,
        "denominator": 4,
        "pct": 50.0,
        "unknown_history": 0,
    }


def test_a10_still_walks_back_through_a_same_carer_move_into_fostering_for_adoption():
    # The FfA rule is LAIT 393's alone: A10 asks when the child moved in with the carers who adopted
    # them. fa1 lived with them from 01/01/2023 (U4), same carers in U5 from 01/06/2023 (RNE T), placed
    # for adoption with them (A5, RNE T) 01/01/2024, adopted 01/12/2024. A1 = 01/01/2023 -> 01/01/2024 =
    # 365 days; A10 stops at 01/01/2023: 0 days.
    rows = [
        ("fa1", "01/01/2023", "01/06/2023", "S", "C2", "N1", "U4", "X1"),
        ("fa1", "01/06/2023", "01/01/2024", "T", "E1", "N1", "U5", "X1"),
        ("fa1", "01/01/2024", "01/12/2024", "T", "E1", "N1", "A5", "E12"),
    ]
    ad1 = pd.DataFrame(
        {"CHILD": ["fa1"], "DOB": ["01/01/2020"], "DATE_MATCH": ["01/09/2023"], "FOSTER_CARE": ["1"]}
    )
    kids = adopted_children(build(rows, ad1=ad1), START, END).set_index("CHILD")
    assert kids.loc["fa1", ["days_a1", "days_a10"]].tolist() == [365, 0]
