"""A council beside England, region and neighbours: real releases and hand-built files."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cpkit.benchmarks import compare, load_benchmarks
from cpkit.benchmarks.compare import _ranks, quartile_note
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
    # 14% is the highest of the 14 councils in the files; lower is better, so rank 14 of 14. Fourteen
    # councils are too few for a quartile (it would not be LAIT's national quartile): none, and a note.
    assert (row["rank"], row.ranked, row.polarity) == (14, 14, "low")
    assert row.rank_text == "ranked 14 of 14 councils"
    assert pd.isna(row.quartile) and "only 14 councils" in row.quartile_note
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


@pytest.mark.dfe
def test_counts_are_not_ranked(barnsley_2025):
    # 366 children in care is a size, not a performance: no rank, no quartile, and the note says why.
    row = barnsley_2025.loc["cla_at_end"]
    assert pd.isna(row["rank"]) and row.ranked == 0 and pd.isna(row.quartile) and row.rank_text == ""
    assert row.quartile_note.startswith("not ranked: only rates and percentages")


@pytest.mark.dfe
def test_full_release_ranks_out_of_the_councils_present_with_quartiles(dfe_dir):
    # The full 2025 release has every council. Ranks are out of those with a published value for the
    # measure, and with 100 or more of them the quartile is given: ceil(4 x rank / ranked).
    bench = load_benchmarks(dfe_dir / "ees_2025_release_full")
    got = compare(bench, "370", 2025).set_index("measure")
    row = got.loc["placements_3plus_pct"]
    las = bench[
        (bench["measure"] == "placements_3plus_pct")
        & (bench["year"] == 2025)
        & (bench["geographic_level"] == "Local authority")
    ]
    values = las.drop_duplicates("old_la_code")["value"].dropna()
    assert row.ranked == len(values) >= 100
    # Lower is better: rank = 1 + councils with a lower published value.
    assert row["rank"] == 1 + int((values < row.la_value).sum())
    assert row.quartile == "ABCD"[math.ceil(4 * row["rank"] / row.ranked) - 1]
    assert row.rank_text == f"ranked {row['rank']} of {row.ranked} councils" and row.quartile_note == ""


def _rates(year, rows):
    return [
        f"{geo(year, 'Local authority', code, old, old)},{LOOKED_AFTER},10000,{n},{rate}"
        for code, old, n, rate in rows
    ]


def _rate_rows(bench: pd.DataFrame) -> pd.DataFrame:
    """The councils' published rates per 10,000 of 2025, with the id ``compare`` ranks by."""
    la = bench[(bench["geographic_level"] == "Local authority") & (bench["year"] == 2025)]
    return la[la["measure"] == "cla_rate_10k"].assign(_id=la["old_la_code"])


def test_a_measure_with_no_better_direction_is_not_ranked(write_csv, tmp_path):
    # Three councils: rates 50, 60, 60 per 10,000. The rate has no better direction (LAIT 124 polarity
    # "-", neutral in the registry), so no council is ranked on it: ranking highest first would put 60
    # "first" as if it were best. Counts (cla_at_end) are not ranked at all either.
    rows = _rates(
        2025, [("E06000001", "801", 50, 50), ("E06000002", "802", 60, 60), ("E06000003", "803", 60, 60)]
    )
    write_csv("release/numbers.csv", NUMBERS_HEADER, rows)
    bench = load_benchmarks(tmp_path / "release")
    for la in ("801", "802"):
        rate = compare(bench, la, 2025).set_index("measure").loc["cla_rate_10k"]
        assert pd.isna(rate["rank"]) and rate.ranked == 0 and rate.rank_text == "" and pd.isna(rate.quartile)
        assert "neither better nor worse" in rate.quartile_note and rate.rank_order == ""
    got = compare(bench, "801", 2025).set_index("measure")
    assert pd.isna(got.loc["cla_at_end", "rank"]) and got.loc["cla_at_end", "ranked"] == 0


def test_hand_built_ranks_and_no_quartile_below_100_councils(write_csv, tmp_path):
    # The same three rates ranked as if higher were better (polarity high): 50 is rank 3 of 3, the two 60s
    # share rank 1; as if lower were better, 50 is rank 1. Three councils are too few for a quartile.
    rows = _rates(
        2025, [("E06000001", "801", 50, 50), ("E06000002", "802", 60, 60), ("E06000003", "803", 60, 60)]
    )
    write_csv("release/numbers.csv", NUMBERS_HEADER, rows)
    rates = _rate_rows(load_benchmarks(tmp_path / "release"))
    units = pd.Series({"cla_rate_10k": "rate_per_10k"})
    high = _ranks(rates, pd.Series({"cla_rate_10k": "high"}), units).set_index("_id")
    assert high["rank"].to_dict() == {"801": 3, "802": 1, "803": 1} and set(high["ranked"]) == {3}
    assert high["quartile"].isna().all()
    low = _ranks(rates, pd.Series({"cla_rate_10k": "low"}), units).set_index("_id")
    assert low["rank"].to_dict() == {"801": 1, "802": 2, "803": 2}
    assert _ranks(rates, pd.Series({"cla_rate_10k": "neutral"}), units).empty
    assert "only 3 councils" in quartile_note("rate_per_10k", 3, 3, "high")


def test_hand_built_quartiles_from_100_councils(write_csv, tmp_path):
    # 100 councils with rates 1..100, ranked as if higher were better. Rate 100 is rank 1 (A); rate 75 is
    # rank 26: ceil(4 x 26 / 100) = ceil(1.04) = 2 -> B; rate 76 is rank 25: ceil(1.0) = 1 -> A; rate 1 is D.
    rows = _rates(2025, [(f"E06{i:06d}", f"{100 + i}", i, i) for i in range(1, 101)])
    write_csv("release/numbers.csv", NUMBERS_HEADER, rows)
    rates = _rate_rows(load_benchmarks(tmp_path / "release"))
    ranks = _ranks(
        rates, pd.Series({"cla_rate_10k": "high"}), pd.Series({"cla_rate_10k": "rate_per_10k"})
    ).set_index("_id")

    def at(old):
        return ranks.loc[old, "rank"], ranks.loc[old, "quartile"]

    assert at("200") == (1, "A")
    assert at("175") == (26, "B")
    assert at("176") == (25, "A")
    assert at("101") == (100, "D")
    assert quartile_note("rate_per_10k", 100, 100, "high") == ""
