"""region.yaml, the councils' settings and the hub split, on hand-written files (no report run: fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpkit.cli import main
from cpkit.errors import RegionError
from cpkit.region.hub import split_hub
from cpkit.region.settings import choose, load_region

REGION = """\
title: Test region
defaults:
  population_0_17: 10000
  small_number_threshold: 5
  la_district_codes: [E08000019]
councils:
  - la_name: North Borough
    la_code: E06000901
    la_old_code: "901"
  - la_name: South Borough
    la_code: E06000902
    la_old_code: "902"
    population_0_17: 20000
"""


def _council_folder(root: Path, name: str, cpkit_yaml: str | None = None) -> Path:
    folder = root / name
    (folder / "ssda903" / "2025").mkdir(parents=True)
    if cpkit_yaml is not None:
        (folder / "cpkit.yaml").write_text(cpkit_yaml, encoding="utf-8")
    return folder


def test_a_councils_own_cpkit_yaml_wins_over_region_yaml_which_wins_over_defaults(tmp_path):
    (tmp_path / "region.yaml").write_text(REGION, encoding="utf-8")
    _council_folder(
        tmp_path, "north-borough", "la_name: North Borough\nla_old_code: '901'\npopulation_0_17: 31000\n"
    )
    _council_folder(tmp_path, "south-borough")
    region = load_region(tmp_path)
    north, south = region.councils
    assert (north.slug, south.slug) == ("north-borough", "south-borough")
    # north: population from its own file (31000), not the defaults' 10000; its code from region.yaml
    assert north.config().population_0_17 == 31000 and north.config().la_code == "E06000901"
    # south: no file of its own; its entry's 20000 wins over the defaults' 10000
    assert south.config().population_0_17 == 20000 and south.config().small_number_threshold == 5
    assert region.title == "Test region" and not region.hub


def test_region_yaml_mistakes_are_all_named_with_their_lines(tmp_path):
    (tmp_path / "region.yaml").write_text(
        "title: T\ncouncilz: []\ncouncils:\n  - la_code: E06000901\n  - la_name: South Borough\n"
        "    la_old_code: '902'\n    population_0_17: -5\n    la_district_codes: [E08000019]\n",
        encoding="utf-8",
    )
    _council_folder(tmp_path, "south-borough")
    with pytest.raises(RegionError) as caught:
        load_region(tmp_path)
    message = str(caught.value)
    assert "line 2: unknown key 'councilz'" in message
    assert "line 4: a council needs its la_name" in message  # the first entry, at line 4
    assert "line 5: council South Borough:" in message and "population_0_17" in message


def test_a_region_yaml_that_is_not_yaml_names_its_line(tmp_path):
    (tmp_path / "region.yaml").write_text("title: Ours: the North\ncouncils: []\n", encoding="utf-8")
    with pytest.raises(RegionError) as caught:
        load_region(tmp_path)
    assert "region.yaml: not valid YAML, line 1: a colon followed by a space inside a sentence" in str(
        caught.value
    )


def test_councils_are_chosen_by_name_folder_or_either_code(tmp_path):
    (tmp_path / "region.yaml").write_text(REGION, encoding="utf-8")
    _council_folder(tmp_path, "north-borough")
    _council_folder(tmp_path, "south-borough")
    region = load_region(tmp_path)
    assert [c.slug for c in choose(region, ["902"])] == ["south-borough"]
    assert [c.slug for c in choose(region, ["NORTH BOROUGH", "e06000902"])] == [
        "north-borough",
        "south-borough",
    ]
    with pytest.raises(RegionError, match="Westshire not in the region"):
        choose(region, ["Westshire"])


def test_a_hub_without_region_yaml_is_refused(tmp_path):
    (tmp_path / "ssda903").mkdir()
    with pytest.raises(RegionError, match="region.yaml must list the councils"):
        load_region(tmp_path)


def test_the_hub_split_gives_each_council_its_own_rows_with_every_column(tmp_path):
    hub = tmp_path / "hub"
    (hub / "ssda903").mkdir(parents=True)
    (hub / "region.yaml").write_text(REGION, encoding="utf-8")
    (hub / "benchmarks").mkdir()
    (hub / "north-borough" / "board").mkdir(parents=True)  # North's own Board files, beside the hub
    # rows: North by its name in two spellings, South by its DfE code, a council not in the region
    (hub / "ssda903" / "header.csv").write_text(
        'LA,YEAR,CHILD,SEX\nNorth Borough,2025,1,1\nE06000902,2025,2,2\n"NORTH-BOROUGH",2024,3,1\n'
        "Westshire,2025,4,2\n902,2024,5,1\n",
        encoding="utf-8",
    )
    (hub / "ssda903" / "notes.txt").write_text("not a table", encoding="utf-8")
    region = load_region(hub)
    assert region.hub
    out = split_hub(hub, region.councils, tmp_path / "work")
    north = (out["north-borough"] / "ssda903" / "header.csv").read_text(encoding="utf-8").splitlines()
    south = (out["south-borough"] / "ssda903" / "header.csv").read_text(encoding="utf-8").splitlines()
    assert north == ["LA,YEAR,CHILD,SEX", "North Borough,2025,1,1", "NORTH-BOROUGH,2024,3,1"]
    assert south == ["LA,YEAR,CHILD,SEX", "E06000902,2025,2,2", "902,2024,5,1"]
    assert (out["north-borough"] / "board").is_dir() and not (out["south-borough"] / "board").exists()
    assert (out["south-borough"] / "benchmarks").resolve() == (hub / "benchmarks").resolve()
    assert (out["south-borough"] / "ssda903" / "notes.txt").exists()  # not a stacked table: linked whole


def test_a_council_no_hub_row_matches_is_told_which_la_values_there_are(tmp_path):
    hub = tmp_path / "hub"
    (hub / "ssda903").mkdir(parents=True)
    (hub / "region.yaml").write_text(REGION, encoding="utf-8")
    (hub / "ssda903" / "header.csv").write_text("LA,YEAR,CHILD\nE06000901,2025,1\n", encoding="utf-8")
    out = split_hub(hub, load_region(hub).councils, tmp_path / "work")
    assert isinstance(out["north-borough"], Path)
    assert "no row of the hub's files" in out["south-borough"] and "E06000901" in out["south-borough"]


def test_the_command_refuses_a_folder_with_no_region_in_it_at_once(tmp_path, capsys):
    assert main(["region", "--year", "2025", "--data", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert "neither a hub's returns" in capsys.readouterr().err
    code = main(["region", "--year", "2025", "--data", str(tmp_path), "--out", "o", "--scheduler", "a b"])
    assert code == 2
    both = ["--scheduler", "tcp://10.0.0.5:8786", "--workers", "2"]
    assert main(["region", "--year", "2025", "--data", str(tmp_path), "--out", "o", *both]) == 2
    assert "--workers sets the local cluster's size" in capsys.readouterr().err
