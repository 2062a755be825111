"""Monthly movements and the shared episode logic, on hand-built episodes."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.care.episodes import cla_on, continuity_issues, in_care_on, periods_of_care
from cpkit.care.movements import monthly_movements
from tests.care.conftest import build

# CHILD, DECOM, DEC, RNE, LS, CIN, PLACE, REC
ROWS = [
    ("A", "01/01/2024", None, "S", "C2", "N1", "U4", None),  # crosses the period start, open
    ("B", "01/05/2024", "31/05/2024", "S", "V2", "N4", "U4", "E13"),  # enters on the 1st, leaves on the 31st
    ("C", "10/04/2024", "20/04/2024", "S", "C1", "N1", "U4", "X1"),  # same-day X1 change
    ("C", "20/04/2024", None, "P", "C1", "N1", "K2", None),
    ("D", "05/06/2024", "10/06/2024", "S", "V2", "N5", "U4", "E4A"),  # leaves and returns in June
    ("D", "20/06/2024", None, "S", "V2", "N5", "U4", None),
    ("E", "01/04/2024", "15/05/2024", "S", "V3", "N2", "U4", "X1"),  # short break, then a care order
    ("E", "15/05/2024", None, "L", "C2", "N2", "U4", None),
    ("F", "01/03/2024", "30/04/2024", "S", "E1", "N1", "A4", "E11"),  # leaves on the last day of April
    ("G", "01/01/2024", "31/03/2024", "S", "V2", "N1", "U4", "E13"),  # left the day before the window
    ("H", "01/02/2024", None, "S", "C2", "N1", "U4", "E8"),  # REC set but DEC blank: still open
    ("I", "01/04/2024", None, "S", "C2", "N1", "U4", None),  # enters on the first day of the window
    ("J", "01/04/2024", "03/04/2024", "S", "V4", "N2", "U4", "E8"),  # short break only: never counted
]


@pytest.fixture
def data():
    return build(ROWS)


def test_monthly_movements_worked_example(data):
    # Start of April = end of 31 March: A, F, H (G's DEC 31/03 is not after 31/03) -> 3.
    # April: admissions C (10/04), I (01/04) = 2; ceased F (30/04) = 1; end A C H I = 4.
    # May: admissions B (01/05), E (15/05, V3 -> C2 counts as starting) = 2; ceased B (31/05) = 1; end 5.
    # June: D starts twice = 2 admissions, ceases once = 1; end A C H I E D = 6.
    got = monthly_movements(data, "2024-04", "2024-06")
    expected = pd.DataFrame(
        {
            "month": ["2024-04", "2024-05", "2024-06"],
            "start": [3, 4, 5],
            "end": [4, 5, 6],
            "admissions": [2, 2, 2],
            "ceased": [1, 1, 1],
            "net": [1, 1, 1],
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_identities_hold(data):
    got = monthly_movements(data, "2023-12", "2024-08")
    assert (got["end"] == got["start"] + got["admissions"] - got["ceased"]).all()
    assert (got["end"].iloc[:-1].to_numpy() == got["start"].iloc[1:].to_numpy()).all()


def test_short_breaks_on_request(data):
    # With V3/V4 kept, E is in care from 01/04 (one period V3 -> C2 joined by X1) and J from 01/04 to 03/04.
    # April admissions: C, I, E, J = 4; ceased F, J = 2; start 3, end 5.  May: B only = 1 admission.
    got = monthly_movements(data, "2024-04", "2024-05", include_short_breaks=True)
    assert got["admissions"].tolist() == [4, 1]
    assert got["ceased"].tolist() == [2, 1]
    assert got["end"].tolist() == [5, 5]


def test_x1_without_next_episode_counts_as_leaving():
    # X1 on 10/04 but the next episode starts 12/04: the dates say the child was out of care on 10-11 April.
    data = build(
        [
            ("K", "01/03/2024", "10/04/2024", "S", "C2", "N1", "U4", "X1"),
            ("K", "12/04/2024", None, "P", "C2", "N1", "U4", None),
        ]
    )
    got = monthly_movements(data, "2024-04", "2024-04")
    assert got.iloc[0][["start", "end", "admissions", "ceased"]].tolist() == [1, 1, 1, 1]
    reasons = set(continuity_issues(data)["reason"])
    assert "X1 but no episode starts that day" in reasons
    assert "period starts without RNE S" in reasons


def test_stacked_returns_keep_latest_version():
    # The same episode in the 2025 return (closed 30/06/2024), then in the 2024 return (still open):
    # the later return wins whatever the row order.
    data = build(
        [
            ("L", "01/01/2024", "30/06/2024", "S", "C2", "N1", "U4", "E13"),
            ("L", "01/01/2024", None, "S", "C2", "N1", "U4", None),
        ],
        episode_extra={"return_year": [2025, 2024]},
    )
    assert cla_on(data, "2024-06-29") == 1
    assert cla_on(data, "2024-06-30") == 0
    assert len(periods_of_care(data)) == 1


def test_cla_on_and_in_care_on(data):
    # End of 15/05/2024: A, C (K2 episode), E (C2 episode from 15/05), H, I, B = 6; F left 30/04.
    assert cla_on(data, "2024-05-15") == 6
    assert cla_on(data, "15/05/2024") == 6
    on = in_care_on(data, "2024-05-15").set_index("CHILD")
    assert on.loc["C", "PLACE"] == "K2"
    assert on.loc["E", "LS"] == "C2"
    # Short breaks included: E's V3 episode ends 15/05 so the C2 one is still the open one; J has ended.
    assert cla_on(data, "2024-04-02", include_short_breaks=True) == cla_on(data, "2024-04-02") + 2


def test_rec_without_dec_is_flagged(data):
    issues = continuity_issues(data)
    assert issues.loc[issues["reason"] == "REC set but DEC blank", "CHILD"].tolist() == ["H"]


def test_bad_range():
    with pytest.raises(ValueError):
        data = build([("A", "01/01/2024", None, "S", "C2", "N1", "U4", None)])
        monthly_movements(data, "2024-05", "2024-04")
