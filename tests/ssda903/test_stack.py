"""Stacking returns (cpkit.ssda903.stack): hand-built stacks with worked answers, then third-party samples.

The rule under test: children looked after on each 31 March counted from the stack equal the count
from that year's return alone, and every point where two returns disagree is a listed problem.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cpkit.care.episodes import ceased_in, cla_on, started_in
from cpkit.ssda903 import check_903, load_903

from .helpers import EPISODES, HEADER, csv, write

ROOT = Path(__file__).resolve().parents[2]


def _header(*children: str) -> str:
    return csv(HEADER, *(f"{c},M,01/06/2010,WBRI,,," for c in children))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Two returns, 2023-24 (2024) and 2024-25 (2025), one child per rule:

    C1 open in 2024, absent from 2025 (not restated); C2 open in 2024, restated in 2025 and closed
    01/09/2024; C3 open in 2024 from 10/02/2024, in 2025 from 12/02/2024 (amended start); C4 only in
    2025, from 01/03/2024 (back-dated into 2024's year); C5 only in 2025, 01/01/2024-01/02/2024
    (history 2025 should not hold); C6 in both from 01/05/2023, 2025 changes PLACE U4 -> U6 and
    closes it 01/06/2024.
    """
    root = tmp_path_factory.mktemp("stack")
    write(root / "2023-24" / "header.csv", _header("C1", "C2", "C3", "C6"))
    write(
        root / "2023-24" / "episodes.csv",
        csv(
            EPISODES,
            "C1,01/06/2023,S,C2,N1,U4,PR1,,,,,,",  # row 2
            "C2,01/01/2024,S,C2,N1,U4,PR1,,,,,,",  # row 3
            "C3,10/02/2024,S,C2,N1,U4,PR1,,,,,,",  # row 4
            "C6,01/05/2023,S,C2,N1,U4,PR1,,,,,,",  # row 5
        ),
    )
    write(root / "2024-25" / "header.csv", _header("C2", "C3", "C4", "C5", "C6"))
    write(
        root / "2024-25" / "episodes.csv",
        csv(
            EPISODES,
            "C2,01/01/2024,S,C2,N1,U4,PR1,01/09/2024,E4A,,,,",  # row 2
            "C3,12/02/2024,S,C2,N1,U4,PR1,,,,,,",  # row 3
            "C4,01/03/2024,S,C2,N1,U4,PR1,,,,,,",  # row 4
            "C5,01/01/2024,S,C2,N1,U4,PR1,01/02/2024,E4A,,,,",  # row 5
            "C6,01/05/2023,S,C2,N1,U6,PR1,01/06/2024,E4A,,,,",  # row 6
        ),
    )
    return root, load_903(root)


def _rules(data, rule):
    i = data.issues
    return i[i["rule"] == rule]


def test_children_in_care_each_31_march_equal_each_return_alone(stack):
    root, data = stack
    # 31/3/2024, return 2024 alone: C1, C2, C3, C6 open = 4. From the stack: C1 (closed 1/4/2024, so
    # still in care on 31 March), C2, C3 (one episode from 10/02/2024), C6; C4 starts 1/4/2024 (moved);
    # C5 set aside: 4.
    assert cla_on(load_903(root / "2023-24"), "2024-03-31") == 4
    assert cla_on(data, "2024-03-31") == 4
    # 31/3/2025, return 2025 alone: C3 and C4 open; C2, C5, C6 closed = 2. Stack: C3, C4 = 2 (C1 is
    # not counted: 2025 does not have it). Reading the stack as it stood before gave 3 (C1 kept open).
    assert cla_on(load_903(root / "2024-25"), "2025-03-31") == 2
    assert cla_on(data, "2025-03-31") == 2


def test_an_episode_not_restated_is_closed_when_the_next_year_began(stack):
    _, data = stack
    c1 = data.episodes[data.episodes["CHILD"] == "C1"]
    assert c1["DEC"].tolist() == [pd.Timestamp("2024-04-01")] and c1["REC"].isna().all()
    found = _rules(data, "episode_not_restated")
    assert found[["row", "year", "severity"]].values.tolist() == [[2, 2025, "warning"]]
    assert found["file"].iloc[0].endswith("2023-24/episodes.csv")
    # The blank REC is explained by that problem, not reported again as a DEC without a REC.
    problems = check_903(data, year=2025)
    assert not ((problems["rule"] == "dec_without_rec") & (problems["row"] == 2)).any()


def test_an_amended_start_date_is_one_episode_not_an_overlap(stack):
    _, data = stack
    c3 = data.episodes[data.episodes["CHILD"] == "C3"]
    # One episode: 2025's row, with the start 2024 gave (10/02/2024 lies in 2024's year).
    assert len(c3) == 1 and c3["DECOM"].iloc[0] == pd.Timestamp("2024-02-10")
    assert c3["source_file"].iloc[0].endswith("2024-25/episodes.csv") and c3["return_year"].iloc[0] == 2025
    amended = _rules(data, "episode_start_amended")
    assert (
        amended["row"].tolist() == [3] and "12/02/2024 differs from 10/02/2024" in amended["message"].iloc[0]
    )
    problems = check_903(data, year=2025)
    assert not problems["rule"].isin(["overlapping_episodes", "duplicate_episode"]).any()


def test_a_back_dated_episode_starts_when_its_return_year_began(stack):
    _, data = stack
    c4 = data.episodes[data.episodes["CHILD"] == "C4"]
    assert c4["DECOM"].tolist() == [pd.Timestamp("2024-04-01")]
    assert _rules(data, "episode_start_moved")["row"].tolist() == [4]


def test_history_a_later_return_should_not_hold_is_set_aside(stack):
    _, data = stack
    assert "C5" not in set(data.episodes["CHILD"])
    aside = data.set_aside[data.set_aside["table"] == "Episodes"]
    assert any(r.endswith("earlier returns cover") for r in aside["reason"])
    assert _rules(data, "episode_outside_return_year")["row"].tolist() == [5]


def test_same_episode_keeps_the_later_version_and_lists_changed_codes(stack):
    _, data = stack
    c6 = data.episodes[data.episodes["CHILD"] == "C6"]
    assert c6[["PLACE", "REC"]].values.tolist() == [["U6", "E4A"]]
    amended = _rules(data, "episode_amended")
    assert amended["row"].tolist() == [6] and amended["message"].iloc[0].endswith("PLACE")
    # C2 gained only its DEC/REC (it was open in 2024): no disagreement listed.
    assert len(amended) == 1


def test_every_row_is_kept_or_set_aside(stack):
    _, data = stack
    # 4 + 5 episode rows in the files; kept: C1, C2, C3, C4, C6 = 5; set aside: C2 (2024 version),
    # C3 (2024 version), C5, C6 (2024 version) = 4.
    aside = data.set_aside[data.set_aside["table"] == "Episodes"]
    assert len(data.episodes) == 5 and len(aside) == 4


@pytest.mark.parametrize("layout", ["combined", "year folders"])
def test_cs_demand_model_samples_stack_equals_each_return(csdm_samples, layout, tmp_path):
    samples = csdm_samples
    if layout == "combined":
        root = samples / "combined"  # 2017-episodes.csv ... 2021-uasc.csv, as supplied
        alone = {y: sorted(root.glob(f"{y}-*.csv")) for y in range(2017, 2022)}
    else:
        with zipfile.ZipFile(samples / "v1.zip") as z:  # 2017/episodes.csv ...: unpacked in tmp only
            z.extractall(tmp_path)
        root = tmp_path
        alone = {y: root / str(y) for y in range(2017, 2022)}
    data = load_903(root)
    # The files named 2017 hold April 2017 to March 2018: the 2017-18 return (year 2018), and so on.
    assert sorted(data.episodes["return_year"].dropna().unique().tolist()) == [2018, 2019, 2020, 2021, 2022]
    assert len(_rules(data, "year_from_dates")) == 5
    for start, files in alone.items():
        day = f"{start + 1}-03-31"
        assert cla_on(data, day) == cla_on(load_903(files), day), day
    # The samples disagree between years (fake data): each disagreement is listed.
    assert len(_rules(data, "episode_not_restated")) > 0


def test_an_episode_left_open_by_mistake_ends_when_the_next_began(tmp_path):
    # 2024 return: C7 has an episode from 01/06/2023 with no end date and a K2 episode from 01/01/2024
    # (the first end date was never entered). 2025 restates only the K2 episode: the first ended,
    # care continuing, on 01/01/2024 (X1), so C7 is looked after without a break (counts 1 and 1).
    write(tmp_path / "2024" / "header.csv", _header("C7"))
    write(
        tmp_path / "2024" / "episodes.csv",
        csv(EPISODES, "C7,01/06/2023,S,C2,N1,U4,PR1,,,,,,", "C7,01/01/2024,P,C2,N1,K2,PR4,,,CREQB,,,"),
    )
    write(tmp_path / "2025" / "header.csv", _header("C7"))
    write(tmp_path / "2025" / "episodes.csv", csv(EPISODES, "C7,01/01/2024,P,C2,N1,K2,PR4,,,CREQB,,,"))
    data = load_903(tmp_path)
    e = data.episodes.sort_values("DECOM")
    assert e[["DEC", "REC"]].astype("object").fillna("-").values.tolist() == [
        [pd.Timestamp("2024-01-01"), "X1"],
        ["-", "-"],
    ]
    assert cla_on(data, "2024-03-31") == 1 and cla_on(data, "2025-03-31") == 1
    note = data.issues[data.issues["rule"] == "episode_not_restated"]
    assert note["row"].tolist() == [2] and note["message"].iloc[0].endswith("01/01/2024")


def test_an_amended_start_pairs_with_the_latest_open_episode(tmp_path):
    # 2024: C8 left an episode from 01/06/2022 open by mistake and has K2 from 01/10/2023, open.
    # 2025 restates the K2 episode with its start corrected to 02/10/2023. The K2 episodes are one
    # (starting 01/10/2023, as 2024 said); the 2022 episode ends, care continuing, when that began.
    write(tmp_path / "2024" / "header.csv", _header("C8"))
    write(
        tmp_path / "2024" / "episodes.csv",
        csv(EPISODES, "C8,01/06/2022,S,C2,N1,U4,PR1,,,,,,", "C8,01/10/2023,P,C2,N1,K2,PR4,,,CREQB,,,"),
    )
    write(tmp_path / "2025" / "header.csv", _header("C8"))
    write(tmp_path / "2025" / "episodes.csv", csv(EPISODES, "C8,02/10/2023,P,C2,N1,K2,PR4,,,CREQB,,,"))
    data = load_903(tmp_path)
    e = data.episodes.sort_values("DECOM")
    assert e[["DECOM", "PLACE", "REC"]].astype("object").fillna("-").values.tolist() == [
        [pd.Timestamp("2022-06-01"), "U4", "X1"],
        [pd.Timestamp("2023-10-01"), "K2", "-"],
    ]
    assert e["DEC"].iloc[0] == pd.Timestamp("2023-10-01")
    assert cla_on(data, "2024-03-31") == 1 and cla_on(data, "2025-03-31") == 1


# Same-day episode pairs restated by a later return (issue 18): a child whose placement changed the
# day care began has two episodes starting that day; CHILD and DECOM no longer name one episode.


def _same_day_stack(root: Path, later: list[str]) -> Path:
    """2024 return: C1 starts care 01/05/2023 in U4 and moves to U6 that day (rows 2 and 3), C2 is
    looked after from 01/06/2023 (row 4). ``later``: the 2025 return's three episode rows."""
    write(root / "2024" / "header.csv", _header("C1", "C2"))
    write(
        root / "2024" / "episodes.csv",
        csv(
            EPISODES,
            "C1,01/05/2023,S,C2,N1,U4,PR1,01/05/2023,X1,,,,",  # row 2
            "C1,01/05/2023,P,C2,N1,U6,PR1,,,CARPL,,,",  # row 3
            "C2,01/06/2023,S,C2,N1,U4,PR1,,,,,,",  # row 4
        ),
    )
    write(root / "2025" / "header.csv", _header("C1", "C2"))
    write(root / "2025" / "episodes.csv", csv(EPISODES, *later))
    return root


def test_same_day_episodes_restated_with_a_new_cin_pair_one_to_one(tmp_path):
    # The 2025 return restates both of C1's episodes with CIN N2 (crashed: "All arrays must be of
    # the same length"). Kept: the U4 episode as 2024 told it (it ended in 2024's year), the U6
    # episode as 2025 tells it, C2 from 2025; the 2025 versions of each differ in CIN only.
    root = _same_day_stack(
        tmp_path,
        [
            "C1,01/05/2023,S,C2,N2,U4,PR1,01/05/2023,X1,,,,",  # row 2
            "C1,01/05/2023,P,C2,N2,U6,PR1,,,CARPL,,,",  # row 3
            "C2,01/06/2023,S,C2,N1,U4,PR1,,,,,,",  # row 4
        ],
    )
    data = load_903(root)
    e = data.episodes.sort_values(["CHILD", "DEC"])
    assert e[["CHILD", "PLACE", "CIN", "return_year"]].values.tolist() == [
        ["C1", "U4", "N1", 2024],
        ["C1", "U6", "N2", 2025],
        ["C2", "U4", "N1", 2025],
    ]
    amended = _rules(data, "episode_amended").sort_values("row")
    # the U4 episode's note is on 2024's row (its version is kept), the U6 one's on 2025's row
    assert amended[["row", "year"]].values.tolist() == [[2, 2025], [3, 2025]]
    assert all(m.endswith("CIN") for m in amended["message"])
    # 31 March 2024: C1 and C2 (2 from the 2024 return alone); 31 March 2025: the same 2.
    assert cla_on(data, "2024-03-31") == 2 and cla_on(data, "2025-03-31") == 2
    assert len(data.set_aside[data.set_aside["table"] == "Episodes"]) == 3  # one version of each


def test_same_day_episodes_pair_by_their_order_in_the_day_not_their_rows(tmp_path):
    # The 2025 return lists C1's running (U6) episode first and ends it 01/09/2024 (E4A). Pairing
    # by row order would match 2024's U4 row (ended 01/05/2023) with 2025's U6 row and keep 2024's
    # version for the care 2024 covers: C1 would have no episode open on 31 March 2024 and no
    # leaving in 2024-25. Paired by the order within the day (the episode ending the day it began
    # comes first), the figures are those of each return alone:
    # 31/3/2024 C1, C2 = 2; 31/3/2025 C2 = 1; ceased in 2024-25: C1 = 1; started in 2023-24: C1, C2.
    root = _same_day_stack(
        tmp_path,
        [
            "C1,01/05/2023,P,C2,N1,U6,PR1,01/09/2024,E4A,CARPL,,,",  # row 2
            "C1,01/05/2023,S,C2,N1,U4,PR1,01/05/2023,X1,,,,",  # row 3
            "C2,01/06/2023,S,C2,N1,U4,PR1,,,,,,",  # row 4
        ],
    )
    data = load_903(root)
    assert cla_on(data, "2024-03-31") == 2 and cla_on(data, "2025-03-31") == 1
    assert ceased_in(data, "2024-04-01", "2025-03-31")["CHILD"].tolist() == ["C1"]
    assert sorted(started_in(data, "2023-04-01", "2024-03-31")["CHILD"]) == ["C1", "C2"]
    c1 = data.episodes[data.episodes["CHILD"] == "C1"].sort_values("DEC")
    assert c1[["PLACE", "REC", "return_year"]].values.tolist() == [["U4", "X1", 2024], ["U6", "E4A", 2025]]
    assert not _rules(data, "episode_amended").size  # the U6 episode only gained its end


def test_same_day_episodes_a_later_return_tells_differently_are_listed(tmp_path):
    # 2025 tells C1's start day as one U4 episode (RNE S, open) where 2024 has two (U4 ending that
    # day, then U6... here both U4: a legal status change, V2 then C2). Neither the order within the
    # day, PLACE (U4 twice) nor row order (2 rows against 1) pairs them: all three rows are listed as
    # unresolved, 2024's ended row kept for its year, 2025's open row for the care after, 2024's open
    # row set aside. Counts: 31/3/2024 C1, C2 = 2 (2024 alone: 2); 31/3/2025: 2 (2025 alone: 2).
    write(tmp_path / "2024" / "header.csv", _header("C1", "C2"))
    write(
        tmp_path / "2024" / "episodes.csv",
        csv(
            EPISODES,
            "C1,01/05/2023,S,V2,N1,U4,PR1,01/05/2023,X1,,,,",  # row 2
            "C1,01/05/2023,L,C2,N1,U4,PR1,,,,,,",  # row 3
            "C2,01/06/2023,S,C2,N1,U4,PR1,,,,,,",  # row 4
        ),
    )
    write(tmp_path / "2025" / "header.csv", _header("C1", "C2"))
    write(
        tmp_path / "2025" / "episodes.csv",
        csv(EPISODES, "C1,01/05/2023,S,C2,N1,U4,PR1,,,,,,", "C2,01/06/2023,S,C2,N1,U4,PR1,,,,,,"),
    )
    data = load_903(tmp_path)
    found = _rules(data, "episode_match_unresolved")
    assert sorted(zip(found["file"].str[-17:], found["row"], strict=True)) == [
        ("2024/episodes.csv", 2),
        ("2024/episodes.csv", 3),
        ("2025/episodes.csv", 2),
    ]
    assert (found["column"] == "DECOM").all() and (found["severity"] == "warning").all()
    assert "the returns before 2025 have 2 episodes" in found["message"].iloc[0]
    c1 = data.episodes[data.episodes["CHILD"] == "C1"].sort_values("DEC")
    assert c1[["LS", "return_year"]].values.tolist() == [["V2", 2024], ["C2", 2025]]
    assert cla_on(data, "2024-03-31") == 2 and cla_on(data, "2025-03-31") == 2
    # cpkit check lists them with file, row and column
    problems = check_903(data, year=2025)
    assert (problems["rule"] == "episode_match_unresolved").sum() == 3


def test_an_unresolved_day_the_later_return_ends_early_keeps_the_earlier_years_count(tmp_path):
    # 2024 has two open U4 episodes of C1 from 01/05/2023 (CIN N1 and N2: a duplicate by mistake);
    # 2025 has one, ended 01/06/2023 (in 2024's year). They cannot be paired (same order within the
    # day, same PLACE, 2 rows against 1). 2025's row is set aside (2024 covers its year); 2024's rows
    # are not restated by 2025, so they end on 01/04/2024. 31/3/2024: C1 = 1 (2024 alone: 1); 31/3/2025:
    # 0 (2025 alone: 0). Setting all three aside would lose C1 from 2024's count.
    write(tmp_path / "2024" / "header.csv", _header("C1"))
    write(
        tmp_path / "2024" / "episodes.csv",
        csv(EPISODES, "C1,01/05/2023,S,C2,N1,U4,PR1,,,,,,", "C1,01/05/2023,S,C2,N2,U4,PR1,,,,,,"),
    )
    write(tmp_path / "2025" / "header.csv", _header("C1"))
    write(
        tmp_path / "2025" / "episodes.csv", csv(EPISODES, "C1,01/05/2023,S,C2,N1,U4,PR1,01/06/2023,E4A,,,,")
    )
    data = load_903(tmp_path)
    assert cla_on(data, "2024-03-31") == 1 and cla_on(data, "2025-03-31") == 0
    assert len(_rules(data, "episode_match_unresolved")) == 3
    assert data.episodes["DEC"].tolist() == [pd.Timestamp("2024-04-01")] * 2
