"""The shipped synthetic release: deterministic, readable by the loader, and showing the awkward cases."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cpkit.benchmarks import compare, load_benchmarks, statistical_neighbours
from cpkit.config import Config
from cpkit.sample.benchmarks import councils, write_benchmarks

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    return load_benchmarks(SAMPLE)


def test_generator_writes_every_shipped_file(tmp_path):
    # Byte-for-byte identity of the shipped files is checked with the whole sample (tests/test_cli.py), since
    # the sample council's published counts come from the simulation behind its SSDA903 returns.
    written = write_benchmarks(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in SAMPLE.iterdir())


def test_sample_reads_with_every_label_known(bench):
    assert bench.attrs["unmapped"] == []
    assert sorted(bench["year"].unique()) == [2020, 2021, 2022, 2023, 2024, 2025]  # school moves lag a year
    assert {"c", "z", "ok"} <= set(bench["status"])


def test_sample_council_against_its_ten_neighbours(bench):
    neighbours = statistical_neighbours(Config(), SAMPLE)
    assert len(neighbours) == 10
    got = compare(bench, Config().la_code, 2025, neighbours).set_index("measure")
    row = got.loc["placements_3plus_pct"]
    assert row.neighbour_n == 10 and not math.isnan(row.la_value)
    # "Neighbour C" has a suppressed conviction count in 2025, so at most nine neighbours are averaged.
    assert got.loc["convicted_pct", "neighbour_n"] <= 9
    # The council created in 2023 is a neighbour: in 2022 only nine neighbours have figures.
    earlier = compare(bench, "999", 2022, neighbours).set_index("measure")
    assert earlier.loc["cla_at_end", "neighbour_n"] == 9


def test_new_council_has_no_rows_before_it_existed(bench):
    created = councils()[-1]
    years = bench.loc[bench["new_la_code"] == created.new_code, "year"]
    assert years.min() == 2023
