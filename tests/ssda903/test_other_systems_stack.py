"""Returns written the way other systems write them, stacked (issue 18): the fixtures in
``tests/fixtures/other_systems/`` (see its README) read end to end, figures worked out by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpkit import cli
from cpkit.care.episodes import ceased_in, cla_on, started_in
from cpkit.ssda903 import Council, load_903
from cpkit.ssda903.stack import year_sources

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "other_systems"
STACKED = FIXTURES / "stacked_same_day_restated"
REGIONAL = FIXTURES / "regional_council_names"


@pytest.fixture(scope="module")
def stacked():
    return load_903(STACKED)


# Worked by hand from the four returns (README of the fixtures has the story of each child):
# 31 March 2023: A1 (U6 from 14/06/2022), C3 = 2. 2024: A1, C3, B2 (from 03/03/2024) = 3.
# 2025: A1 left 20/09/2024; B2, C3, D4 (from 01/02/2025) = 3. 2026: B2 left 10/01/2026; C3, D4, E5 = 3.
# Started (periods of care): 2022-23 A1, C3; 2023-24 B2; 2024-25 D4; 2025-26 E5.
# Ceased: 2024-25 A1; 2025-26 B2.
@pytest.mark.parametrize(
    ("year", "in_care", "started", "ceased"),
    [
        (2023, 2, ["A1", "C3"], []),
        (2024, 3, ["B2"], []),
        (2025, 3, ["D4"], ["A1"]),
        (2026, 3, ["E5"], ["B2"]),
    ],
)
def test_stacked_figures_are_the_ones_worked_by_hand(stacked, year, in_care, started, ceased):
    start, end = f"{year - 1}-04-01", f"{year}-03-31"
    assert cla_on(stacked, end) == in_care
    assert sorted(started_in(stacked, start, end)["CHILD"]) == started
    assert sorted(ceased_in(stacked, start, end)["CHILD"]) == ceased
    # each year's count is the one its own return gives alone
    assert cla_on(load_903(STACKED / str(year)), end) == in_care


def test_stacked_returns_say_which_return_each_years_figures_came_from(stacked):
    # A1's U4 episode (14/06/2022, ended that day): CIN N1 in 2022-23's return, N2 in 2023-24's and
    # 2024-25's (2 problems on the 2023 row, 1 on the 2024 row's U6 twin: 3 for 2022-23). D4's U6
    # episode: RNE P in 2024-25's return, S in 2025-26's (1 for 2024-25).
    found = year_sources(stacked.episodes, stacked.issues, stacked.sources)
    assert found[["year", "return_year", "disagreements", "later_returns"]].values.tolist() == [
        [2023, 2023, 3, "2024, 2025"],
        [2024, 2024, 0, ""],
        [2025, 2025, 1, "2026"],
        [2026, 2026, 0, ""],
    ]


def test_cpkit_check_says_which_return_each_years_figures_came_from(tmp_path, capsys):
    data = _council_folder(tmp_path, "Anytown", "E06000123", "123", source=STACKED)
    assert cli.main(["check", "--data", str(data), "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "2022-23: the 2022-23 return; the 2023-24 return, the 2024-25 return told 3 of its episodes" in out
    assert "2024-25: the 2024-25 return; the 2025-26 return told 1 of its episodes differently" in out
    assert "  2023-24: the 2023-24 return\n" in out


def _council_folder(tmp_path: Path, name: str, code: str, old_code: str, source: Path = REGIONAL) -> Path:
    data = tmp_path / "council"
    shutil.copytree(source, data / "ssda903")
    (data / "cpkit.yaml").write_text(
        f'la_name: {name}\nla_code: {code}\nla_old_code: "{old_code}"\nregion: London\n'
        f"la_district_codes: [{code}]\npopulation_0_17: 70000\n",
        encoding="utf-8",
    )
    return data


def test_a_hub_file_naming_councils_builds_hillingdons_figures(tmp_path, capsys):
    # Hillingdon's H1 (01/05/2023, left 01/06/2024), H2 (15/09/2024), H3 (10/01/2024); Southwark's and
    # Bromley's own H1 and H2 are other children. 31 March 2024: H1, H3 = 2; 2025: H2, H3 = 2 (3 if
    # Southwark's H1 were read as Hillingdon's). Started 2024-25: H2; ceased 2024-25: H1.
    data = _council_folder(tmp_path, "Hillingdon", "E09000017", "312")
    assert cli.main(["check", "--data", str(data), "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "found by la_name ('HILLINGDON')" in out
    read = load_903(data / "ssda903", council=Council(name="Hillingdon", code="E09000017", old_code="312"))
    assert cla_on(read, "2024-03-31") == 2 and cla_on(read, "2025-03-31") == 2
    assert started_in(read, "2024-04-01", "2025-03-31")["CHILD"].tolist() == ["H2"]
    assert ceased_in(read, "2024-04-01", "2025-03-31")["CHILD"].tolist() == ["H1"]


def test_a_hub_file_without_the_council_is_refused(tmp_path, capsys):
    data = _council_folder(tmp_path, "Harrow", "E09000015", "310")
    assert cli.main(["check", "--data", str(data), "--year", "2025"]) == 1
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert "holds councils BROMLEY, HILLINGDON, SOUTHWARK but not the council chosen" in said
    assert "la_name Harrow, la_code E09000015, la_old_code 310" in said
