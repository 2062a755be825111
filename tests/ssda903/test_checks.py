"""check_903: each rule fires on a broken file and names file, row and column; a clean file passes."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.ssda903 import blocking, check_903, load_903, rule_description, summarise
from cpkit.ssda903.model import ISSUE_COLUMNS
from cpkit.ssda903.rules import RULES

from .helpers import CLEAN_EPISODES, CLEAN_HEADER, EPISODES, HEADER, csv, write


def problems_for(tmp_path, header=CLEAN_HEADER, episodes=CLEAN_EPISODES, year=2025, folder="2024-25", **more):
    write(tmp_path / folder / "header.csv", header)
    write(tmp_path / folder / "episodes.csv", episodes)
    for name, text in more.items():
        write(tmp_path / folder / f"{name}.csv", text)
    return check_903(load_903(tmp_path), year)


def only(problems, rule):
    found = problems[problems["rule"] == rule]
    assert len(found), f"{rule} did not fire: {problems['rule'].tolist()}"
    return found


def test_clean_files_give_no_problems(tmp_path):
    problems = problems_for(tmp_path)
    assert list(problems.columns) == ISSUE_COLUMNS
    assert problems.empty, problems.to_string()
    assert not blocking(problems)


def test_missing_value(tmp_path):
    p = problems_for(tmp_path, header=csv(HEADER, "C1,,01/06/2012,,,,"))
    found = only(p, "missing_value").set_index("column")
    assert found.loc["SEX", "severity"] == "error" and found.loc["ETHNIC", "severity"] == "warning"
    assert found.loc["SEX", "row"] == 2 and found.loc["SEX", "file"].endswith("header.csv")
    assert found.loc["SEX", "table"] == "Header"
    assert blocking(p)


def test_missing_column_is_not_repeated_for_every_row(tmp_path):
    p = problems_for(tmp_path, header=csv("CHILD,SEX,DOB,UPN,MOTHER,MC_DOB", "C1,M,01/06/2012,,,"))
    assert only(p, "missing_column")[["column", "severity"]].values.tolist() == [["ETHNIC", "warning"]]
    assert "missing_value" not in set(p["rule"])


def test_unknown_code_and_code_out_of_year(tmp_path):
    episodes = csv(
        EPISODES,
        "C1,01/05/2024,S,C2,N1,H5,PR1,01/08/2024,X1,,,,",  # H5 withdrawn from 2024-25: warning
        "C1,01/08/2024,P,C9,N1,U6,PR4,01/02/2025,E4A,,,,",  # C9 was never a legal status: error
    )
    p = problems_for(tmp_path, episodes=episodes)
    old = only(p, "code_out_of_year")
    assert old[["row", "column", "value", "severity"]].values.tolist() == [[2, "PLACE", "H5", "warning"]]
    assert "2025" in old["message"].iloc[0]
    bad = only(p, "unknown_code")
    assert bad[["row", "column", "value", "severity"]].values.tolist() == [[3, "LS", "C9", "error"]]


def test_h5_is_fine_in_its_own_year_and_year_argument_used_without_return_year(tmp_path):
    # No year folder: the episode ended in 2023-24 (DEC 01/08/2023), when H5 was valid.
    episodes = csv(EPISODES, "C1,01/05/2023,S,C2,N1,H5,PR1,01/08/2023,E4A,,,,")
    header = csv(HEADER, "C1,M,01/06/2012,WBRI,,,")
    p = problems_for(tmp_path, header=header, episodes=episodes, folder="any", year=2025)
    assert "code_out_of_year" not in set(p["rule"])
    # An open H5 episode counts in the reporting year, when H5 no longer exists.
    p = problems_for(
        tmp_path / "b",
        header=header,
        folder="any",
        year=2025,
        episodes=csv(EPISODES, "C1,01/05/2023,S,C2,N1,H5,PR1,,,,,,"),
    )
    assert only(p, "code_out_of_year")["row"].tolist() == [2]


def test_episode_ends_before_start_dec_rec_pairing_and_provider(tmp_path):
    episodes = csv(
        EPISODES,
        "C1,01/05/2024,S,C2,N1,U4,PR1,01/04/2024,E4A,,,,",  # row 2: ends before it starts
        "C2,01/05/2024,S,C2,N1,U4,PR1,01/06/2024,,,,,",  # row 3: DEC without REC
        "C3,01/05/2024,S,C2,N1,P1,PR0,,E13,,,,",  # row 4: REC without DEC
        "C4,01/05/2024,S,C2,N1,U4,PR0,,,,,,",  # row 5: PR0 but not P1
    )
    header = csv(HEADER, *[f"C{i},M,01/06/2012,WBRI,,," for i in range(1, 5)])
    p = problems_for(tmp_path, header=header, episodes=episodes)
    assert only(p, "episode_ends_before_start")[["row", "column"]].values.tolist() == [[2, "DEC"]]
    assert only(p, "dec_without_rec")[["row", "column"]].values.tolist() == [[3, "REC"]]
    assert only(p, "rec_without_dec")[["row", "column"]].values.tolist() == [[4, "DEC"]]
    assert only(p, "provider_place_mismatch")[["row", "severity"]].values.tolist() == [[5, "warning"]]


def test_overlapping_and_duplicate_episodes(tmp_path):
    episodes = csv(
        EPISODES,
        "C1,01/05/2024,S,C2,N1,U4,PR1,01/09/2024,X1,,,,",  # row 2
        "C1,01/08/2024,P,C2,N1,U6,PR1,,,CARPL,,,",  # row 3: starts before row 2 ends
        "C2,01/05/2024,S,C2,N1,U4,PR1,,,,,,",  # row 4: open...
        "C2,01/05/2024,S,C2,N1,U6,PR1,,,,,,",  # row 5: ...and a second start that day
        "C3,01/05/2024,S,C2,N1,U4,PR1,,,,,,",  # row 6: open, then
        "C3,01/07/2024,P,C2,N1,U6,PR1,,,CARPL,,,",  # row 7: a new one: overlaps the open one
    )
    header = csv(HEADER, *[f"C{i},M,01/06/2012,WBRI,,," for i in range(1, 4)])
    p = problems_for(tmp_path, header=header, episodes=episodes)
    assert only(p, "overlapping_episodes")["row"].tolist() == [3, 7]
    dup = only(p, "duplicate_episode")
    assert dup["row"].tolist() == [5] and "row 4" in dup["message"].iloc[0]
    assert only(p, "x1_without_next")["row"].tolist() == [2]  # C1's next episode starts 01/08, not 01/09


def test_children_missing_from_header_or_episodes_and_ages(tmp_path):
    header = csv(
        HEADER,
        "C1,M,01/06/2012,WBRI,,,",
        "C2,F,01/06/2000,WBRI,,,",
        "C3,F,01/06/2025,WBRI,,,",
        "C4,M,01/06/2012,WBRI,,,",
    )
    episodes = csv(
        EPISODES,
        "C1,01/05/2024,S,C2,N1,U4,PR1,,,,,,",
        "C2,01/06/2018,S,C2,N1,U4,PR1,01/06/2024,E17,,,,",  # 18th birthday 01/06/2018: starts at 18
        "C3,01/05/2024,S,C2,N1,U4,PR1,,,,,,",  # before birth
        "C5,01/05/2024,S,C2,N1,U4,PR1,,,,,,",  # no header row
    )
    p = problems_for(tmp_path, header=header, episodes=episodes)
    assert only(p, "child_not_in_header")[["row", "value", "table"]].values.tolist() == [
        [5, "C5", "Episodes"]
    ]
    assert only(p, "child_without_episodes")[["row", "value", "table"]].values.tolist() == [
        [5, "C4", "Header"]
    ]
    assert only(p, "episode_before_birth")["row"].tolist() == [4]
    assert only(p, "started_after_18")["row"].tolist() == [3]


def test_date_after_return_year_and_missing_episode_dates(tmp_path):
    episodes = csv(EPISODES, "C1,01/05/2025,S,C2,N1,U4,PR1,,,,,,")  # starts after 31/03/2025
    missing = csv("CHILD,DOB,MISSING,MIS_START,MIS_END", "C1,01/06/2012,M,10/05/2025,09/05/2025")
    p = problems_for(tmp_path, episodes=episodes, missing=missing)
    assert only(p, "date_after_return_year")[["row", "column"]].values.tolist() == [[2, "DECOM"]]
    found = only(p, "missing_ends_before_start")
    assert found[["row", "column", "table"]].values.tolist() == [[2, "MIS_END", "Missing"]]


def test_format_rules_and_sdq_range(tmp_path):
    header = csv(HEADER, "C1,M,01/06/2012,WBRI,12345,,")
    episodes = csv(EPISODES, "C1,01/05/2024,S,C2,N1,U4,PR1,,,,NOT A POSTCODE,S2 2BB,SC1")
    oc2 = csv(
        "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
        "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
        "C1,01/06/2012,41,,0,,1,1,1,0,,",
        "C1,01/06/2012,12,,0,,1,2,1,0,,",
    )
    p = problems_for(tmp_path, header=header, episodes=episodes, oc2=oc2)
    assert only(p, "upn_format")[["column", "row"]].values.tolist() == [["UPN", 2]]
    assert only(p, "postcode_format")[["column", "value"]].values.tolist() == [
        ["HOME_POST", "NOT A POSTCODE"]
    ]
    assert only(p, "urn_format")["value"].tolist() == ["SC1"]
    assert only(p, "sdq_score_range")[["row", "severity"]].values.tolist() == [[2, "error"]]
    assert only(p, "unknown_code")[["row", "column", "table"]].values.tolist() == [[3, "TEETH_CHECK", "OC2"]]


def test_missing_essential_table(tmp_path):
    write(tmp_path / "header.csv", CLEAN_HEADER)
    p = check_903(load_903(tmp_path))
    assert only(p, "missing_table")["table"].tolist() == ["Episodes"] and blocking(p)


def test_reading_issues_are_included_and_errors_come_first(tmp_path):
    episodes = csv(
        EPISODES,
        "C1,01/05/2024,S,C2,N1,U4,PR1,,,,,,",
        "C1,01/05/2024,S,C2,N1,U4,PR1,,,,,,",
        "C1,xx,S,C2,N1,U4,PR1,,,,,,",
    )
    p = problems_for(tmp_path, episodes=episodes)
    assert {"duplicate_row", "unparseable_date"} <= set(p["rule"])
    sev = p["severity"].tolist()
    assert sev == sorted(sev, key=["error", "warning", "info"].index)


def test_summarise_counts_and_never_shows_values(tmp_path):
    header = csv(HEADER, "C1,M,01/06/2012,WBRI,,,", "C2,M,01/06/2012,WBRI,,,", "C3,M,01/06/2012,WBRI,,,")
    p = problems_for(tmp_path, header=header)  # C2 and C3 have no episodes
    s = summarise(p)
    assert list(s.columns) == ["table", "rule", "severity", "count", "description"]
    assert s[["table", "rule", "severity", "count"]].values.tolist() == [
        ["Header", "child_without_episodes", "warning", 2]
    ]
    assert s["description"].iloc[0] == rule_description("child_without_episodes")
    assert "C2" not in s.to_string()
    assert summarise(p.iloc[0:0]).empty


def test_every_rule_has_a_sentence_and_unknown_rules_are_refused():
    for rule in RULES.values():
        assert rule.description.endswith(".") and rule.severity in {"error", "warning", "info"}
    with pytest.raises(KeyError, match="no_such_rule"):
        rule_description("no_such_rule")


def test_checks_accept_hand_built_data():
    from cpkit.ssda903 import Data903

    data = Data903.from_frames(
        header=pd.DataFrame({"CHILD": ["1"], "SEX": ["F"], "DOB": ["01/01/2015"], "ETHNIC": ["WBRI"]}),
        episodes=pd.DataFrame(
            {
                "CHILD": ["1"],
                "DECOM": ["01/05/2024"],
                "RNE": ["S"],
                "LS": ["C2"],
                "CIN": ["N1"],
                "PLACE": ["U4"],
                "PLACE_PROVIDER": ["PR1"],
            }
        ),
    )
    assert check_903(data, 2025).empty


def test_reason_for_new_episode_fits_the_previous_ending(tmp_path):
    episodes = csv(
        EPISODES,
        "C1,01/05/2024,S,C2,N1,U4,PR1,01/06/2024,X1,,,,",  # row 2
        "C1,01/06/2024,S,C2,N1,U6,PR1,01/07/2024,E13,,,,",  # row 3: S after X1 -> wrong
        "C1,01/09/2024,P,C2,N1,U6,PR1,,,,,,",  # row 4: back in care after a gap, not S -> wrong
        "C2,01/05/2024,S,C2,N1,U4,PR1,01/06/2024,X1,,,,",  # row 5
        "C2,01/06/2024,P,C2,N1,U6,PR1,,,CARPL,,,",  # row 6: fine
    )
    header = csv(HEADER, "C1,M,01/06/2012,WBRI,,,", "C2,M,01/06/2012,WBRI,,,")
    p = problems_for(tmp_path, header=header, episodes=episodes)
    assert only(p, "rne_mismatch")[["row", "column", "severity"]].values.tolist() == [
        [3, "RNE", "warning"],
        [4, "RNE", "warning"],
    ]


def test_sex_u_only_from_2024_25(tmp_path):
    # 2023-24 return: 1 -> M is fine, U did not exist yet; in 2024-25 U is fine.
    write(
        tmp_path / "2023-24" / "header.csv", csv(HEADER, "C1,1,01/06/2012,WBRI,,,", "C2,U,01/06/2012,WBRI,,,")
    )
    write(tmp_path / "2024-25" / "header.csv", csv(HEADER, "C3,U,01/06/2012,WBRI,,,"))
    p = check_903(load_903(tmp_path))
    found = only(p, "code_out_of_year")
    assert found[["row", "column", "value"]].values.tolist() == [[3, "SEX", "U"]]
    assert found["file"].iloc[0].endswith("2023-24/header.csv")


def test_a_care_leaver_and_an_other_placement_are_not_gaps_in_the_return(tmp_path):
    """C9 is a care leaver: a Header row and an OC3 row, no episodes in the returns read (the DfE's
    rule INT06 wants every OC3 child in the Header), so not "child_without_episodes"; C4 has neither,
    so it is. C1's first placement is Z1 ("other"), which takes no provider (DfE rule 178); C2's U6
    does (row 3)."""
    header = csv(
        HEADER,
        "C1,M,01/06/2012,WBRI,,,",
        "C2,M,01/06/2012,WBRI,,,",
        "C4,M,01/06/2012,WBRI,,,",
        "C9,F,01/06/2005,WBRI,,,",
    )
    episodes = csv(
        EPISODES,
        "C1,01/05/2024,S,C2,N1,Z1,,,,,,,",
        "C2,01/05/2024,S,C2,N1,U6,,,,,,,",
    )
    oc3 = csv("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM", "C9,01/06/2005,YES,F2,U1")
    p = problems_for(tmp_path, header=header, episodes=episodes, oc3=oc3)
    assert only(p, "child_without_episodes")["value"].tolist() == ["C4"]
    blank = only(p, "missing_value")
    assert blank[["column", "row"]].values.tolist() == [["PLACE_PROVIDER", 3]]
