"""Regional files whose LA column names councils by name or code (cpkit.ssda903.councils, issue 18)."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.ssda903 import Council, CouncilChoiceError, load_903, match_council
from cpkit.ssda903.councils import normalise_name

from .helpers import EPISODES, csv, write

HILLINGDON = Council(name="Hillingdon", code="E09000017", old_code="312")


def _hub(tmp_path, hillingdon: str = "HILLINGDON"):
    """A hub's stacked episodes: Hillingdon's C1 (2024, restated closed in 2025) and C2 (2025), and a
    Southwark and a Bromley child, each also called C1 in their council's own records."""
    return write(
        tmp_path / "ssda903_episodes.csv",
        csv(
            "LA," + EPISODES + ",YEAR",
            f"{hillingdon},C1,01/05/2023,S,C2,N1,U4,PR1,,,,,,,2024",  # row 2
            "SOUTHWARK,C1,01/07/2023,S,C2,N1,U4,PR1,,,,,,,2024",  # row 3
            f"{hillingdon},C1,01/05/2023,S,C2,N1,U4,PR1,01/06/2024,E4A,,,,,2025",  # row 4
            f"{hillingdon},C2,01/02/2025,S,C2,N1,U6,PR1,,,,,,,2025",  # row 5
            "BROMLEY,C1,01/08/2024,S,C2,N1,U4,PR1,,,,,,,2025",  # row 6
        ),
    )


def test_a_hub_file_naming_councils_is_read_for_the_council_named_in_the_settings(tmp_path):
    # Refused before: "holds councils BROMLEY, HILLINGDON, SOUTHWARK but not the council chosen".
    _hub(tmp_path)
    data = load_903(tmp_path, council=HILLINGDON)
    e = data.episodes.sort_values("CHILD")
    # Hillingdon's rows 4 and 5 (row 2 is C1's 2024 version, superseded by row 4).
    assert e[["CHILD", "source_row", "return_year"]].values.tolist() == [["C1", 4, 2025], ["C2", 5, 2025]]
    assert not (data.issues["rule"] == "council_not_in_file").any()
    said = data.issues[data.issues["rule"] == "council_matched"]["message"].tolist()
    assert len(said) == 1 and "found by la_name ('HILLINGDON')" in said[0] and "3 rows" in said[0]
    other = data.issues[data.issues["rule"] == "other_councils"]["message"].iloc[0]
    assert other.startswith("2 rows of other councils (BROMLEY, SOUTHWARK)")


@pytest.mark.parametrize(
    ("written", "setting"),
    [
        ("London Borough of Hillingdon", "la_name"),
        ("hillingdon", "la_name"),
        ("E09000017", "la_code"),
        ("e09000017", "la_code"),
        ("312", "la_old_code"),
        ("312.0", "la_old_code"),
    ],
)
def test_each_setting_matches_ignoring_case_and_punctuation_and_is_named(tmp_path, written, setting):
    _hub(tmp_path, written)
    data = load_903(tmp_path, council=HILLINGDON)
    assert sorted(data.episodes["CHILD"]) == ["C1", "C2"]
    said = data.issues[data.issues["rule"] == "council_matched"]["message"].iloc[0]
    assert f"found by {setting} ({written!r})" in said


def test_a_council_the_hub_file_does_not_hold_is_refused_naming_every_setting_tried(tmp_path):
    _hub(tmp_path)
    data = load_903(tmp_path, council=Council(name="Harrow", code="E09000015", old_code="310"))
    found = data.issues[data.issues["rule"] == "council_not_in_file"]
    assert found["severity"].tolist() == ["error"] and data.episodes.empty
    message = found["message"].iloc[0]
    assert "BROMLEY, HILLINGDON, SOUTHWARK" in message
    assert "la_name Harrow, la_code E09000015, la_old_code 310" in message


def test_a_hub_file_naming_councils_with_no_council_chosen_is_refused(tmp_path):
    _hub(tmp_path)
    with pytest.raises(CouncilChoiceError, match="BROMLEY, HILLINGDON, SOUTHWARK"):
        load_903(tmp_path)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kingston upon Hull, City of", "KINGSTON-UPON-HULL"),
        ("Kingston upon Hull City Council", "kingston upon hull"),
        ("Bristol, City of", "City of Bristol"),
        ("Windsor & Maidenhead", "Royal Borough of Windsor and Maidenhead"),
        ("Herefordshire, County of", "HEREFORDSHIRE"),
        ("St. Helens", "ST HELENS"),
        ("Council of the Isles of Scilly", "Isles of Scilly"),
    ],
)
def test_names_written_differently_are_one_council(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kingston upon Hull", "Kingston upon Thames"), ("Hull", "Kingston upon Hull"), ("Bristol", "Bromley")],
)
def test_different_councils_and_partial_names_stay_apart(a, b):
    assert normalise_name(a) != normalise_name(b)


def test_match_council_says_which_settings_matched_each_value():
    la = pd.Series(["HILLINGDON", "312", "SOUTHWARK", None, "E09000017"])
    found = match_council(la, HILLINGDON)
    assert found.rows.tolist() == [True, True, False, False, True]
    assert found.matched_by == {"la_name": ["HILLINGDON"], "la_code": ["E09000017"], "la_old_code": ["312"]}
