"""A council beside England, region and neighbours: real releases and hand-built files."""

from __future__ import annotations

import math

import pytest

from cpkit.benchmarks import compare, load_benchmarks
from tests.benchmarks.conftest import LOOKED_AFTER, NUMBERS_HEADER, geo

# Barnsley's ten neighbours in the DfE 2025 model (sn_model_2025_wide.csv, row 370).
BARNSLEY_SN = ["372", "384", "357", "371", "332", "894", "840", "390", "807", "394"]


@pytest.fixture(scope="module")
def bench(real_bench):
    return real_bench


@pytest.fixture(scope="module")
def barnsley_2025(bench):
    return compare(bench, "370", 2025, BARNSLEY_SN).set_index("measure")


@pytest.mark.dfe
def test_neighbour_average_by_hand(barnsley_2025):
    # 3+ placements 2025 (%), published: Rotherham 13, Wakefield 10, Tameside 6, Doncaster 11, Dudley 7,
    # Telford 13, Durham 9, Gateshead 7, Redcar 9, Sunderland 9 -> 94 / 10 = 9.4.
    row = barnsley_2025.loc["placements_3plus_pct"]
    assert row.neighbour_avg == pytest.approx(9.4) and row.neighbour_n == 10
    assert (row.la_value, row.la_numerator, row.la_denominator) == (14, 50, 366)
    assert (row.england, row.region) == (10, 11)
    # 14% is the highest of the 14 councils in the files; lower is better, so rank 14 of 14, quartile D.
    assert (row["rank"], row.ranked, row.quartile, row.polarity) == (14, 14, "D", "low")
    # 2024: 12% -> change +2 points.
    assert (row.previous_value, row.change) == (12, 2)


@pytest.mark.dfe
def test_suppressed_neighbours_are_skipped_and_the_count_drops(barnsley_2025):
    # Convicted 2025 (%): Dudley, Tameside, Gateshead "c"; the rest Doncaster 2, Rotherham 2, Wakefield 0,
    # Sunderland 3, Redcar 8, Durham 3, Telford 3 -> 21 / 7 = 3.0.
    row = barnsley_2025.loc["convicted_pct"]
    assert row.neighbour_n == 7 and row.neighbour_avg == pytest.approx(3.0) and row.neighbours_listed == 10


@pytest.mark.dfe
def test_new_code_gives_the_same_answer_as_the_old(bench, barnsley_2025):
    new = compare(bench, "E08000016", 2025, ["E08000018", *BARNSLEY_SN[1:]]).set_index("measure")
    assert (
        new.loc["placements_3plus_pct", "neighbour_avg"]
        == barnsley_2025.loc["placements_3plus_pct", "neighbour_avg"]
    )
    assert new.loc["cla_at_end", "la_value"] == 366


@pytest.mark.dfe
def test_council_missing_from_the_files_gives_missing_values(bench):
    # Cumberland (E06000063, created April 2023) is not among the councils in these files.
    got = compare(bench, "E06000063", 2025, BARNSLEY_SN)
    assert len(got) > 50 and got["la_value"].isna().all() and set(got["la_status"]) == {"absent"}
    assert got["england"].notna().any()


@pytest.mark.dfe
def test_ties_share_the_best_rank(bench):
    # Health assessments 2025: ties are ranked "min" (1, 2, 2, 4): check on the published values directly.
    got = compare(bench, "370", 2025).set_index("measure")
    values = bench[
        (bench["measure"] == "health_assessment_pct")
        & (bench["year"] == 2025)
        & (bench["geographic_level"] == "Local authority")
    ]["value"].dropna()
    better = (values > got.loc["health_assessment_pct", "la_value"]).sum()
    assert got.loc["health_assessment_pct", "rank"] == better + 1
    assert got.loc["health_assessment_pct", "neighbour_n"] == 0  # no neighbours given


# Hand-built: councils created or recoded in 2023 -------------------------------------------------------


def _numbers(year, code, old, name, count):
    return f"{geo(year, 'Local authority', code, old, name)},{LOOKED_AFTER},10000,{count},{count}"


def test_new_and_recoded_councils(write_csv, tmp_path):
    rows = [
        # Cumbria (909) until 2023; Cumberland (942, E06000063) from 2024.
        _numbers(2023, "E10000006", "909", "Cumbria", 700),
        _numbers(2024, "E06000063", "942", "Cumberland", 480),
        _numbers(2025, "E06000063", "942", "Cumberland", 460),
        # North Yorkshire kept its old code 815 but was recoded E10000023 -> E06000065 in April 2023.
        _numbers(2022, "E10000023", "815", "North Yorkshire", 430),
        _numbers(2023, "E06000065", "815", "North Yorkshire", 460),
        *(f"{geo(y, 'National')},{LOOKED_AFTER},1000000,{80000 + y},70" for y in (2022, 2023, 2024, 2025)),
    ]
    write_csv("release/numbers.csv", NUMBERS_HEADER, rows)
    bench = load_benchmarks(tmp_path / "release")

    def at_end(la, year):
        return compare(bench, la, year).set_index("measure").loc["cla_at_end"]

    first = at_end("E06000063", 2024)
    assert first.la_value == 480 and math.isnan(first.previous_value) and math.isnan(first.change)
    before = at_end("E06000063", 2023)
    assert math.isnan(before.la_value) and before.la_status == "absent" and before.england == 82023
    assert at_end("942", 2025).change == -20
    recoded = at_end("E06000065", 2023)
    assert (recoded.la_value, recoded.previous_value, recoded.change) == (460, 430, 30)
