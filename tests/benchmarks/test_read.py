"""Reading DfE release files: real releases 2023-2025 and small hand-built files."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cpkit.benchmarks import load_benchmarks
from cpkit.benchmarks.mapping import measure_info, normalise_label, undefined_measures
from cpkit.errors import BenchmarkError
from tests.benchmarks.conftest import LOOKED_AFTER, NUMBERS_HEADER, geo

pytestmark = pytest.mark.dfe


@pytest.fixture(scope="module")
def bench(real_bench):
    return real_bench


def one(bench, measure, year, old_code=None, level="Local authority", region=None):
    rows = bench[
        (bench["measure"] == measure) & (bench["year"] == year) & (bench["geographic_level"] == level)
    ]
    if old_code is not None:
        rows = rows[rows["old_la_code"] == old_code]
    if region is not None:
        rows = rows[rows["region_code"] == region]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_every_id_the_mapping_produces_is_defined():
    assert undefined_measures() == set()
    info = measure_info()
    assert set(info["polarity"]) <= {"high", "low", "neutral"}
    assert info.loc["placements_3plus_pct", "in_registry"] and not info.loc["stability_cohort", "in_registry"]


def test_labels_of_three_releases_normalise_to_one_key():
    assert normalise_label("Children looked after at 31 March each year") == normalise_label(
        "Children looked after on 31 March each year"
    )
    assert normalise_label("Aged 17 to 18") == normalise_label("17 to 18 years") == "17 to 18 years"
    assert normalise_label("Accommodation considered not suitable") == "accommodation considered unsuitable"


def test_barnsley_england_and_region_for_three_plus_placements_2025(bench):
    # ees_2025_release/la_cla_placement_stability.csv, Barnsley 2025: "With 3 or more placements during the
    # year" children_count 50, children_percent 14; "Total children" 366 (the DfE's denominator: 50/366=13.7%).
    barnsley = one(bench, "placements_3plus_pct", 2025, "370")
    assert (barnsley.value, barnsley.numerator, barnsley.denominator) == (14, 50, 366)
    assert barnsley.new_la_code == "E08000016" and barnsley.status == "ok"
    assert barnsley.release == "ees_2025_release"
    assert one(bench, "placements_3plus_pct", 2025, level="National").value == 10
    assert one(bench, "placements_3plus_pct", 2025, level="Regional", region="E12000003").value == 11


def test_counts_and_rates_from_the_numbers_file(bench):
    # England 2025: 81,770 children looked after on 31 March, 67 per 10,000 of 12,183,016 children.
    england = one(bench, "cla_at_end", 2025, level="National")
    assert england.value == 81770 and math.isnan(england.numerator)
    rate = one(bench, "cla_rate_10k", 2025, level="National")
    assert (rate.value, rate.numerator, rate.denominator) == (67, 81770, 12183016)


def test_newest_release_wins_and_says_what_it_replaced(bench):
    # Barnsley 3+ placements 2023: 9% in the 2023 release, revised to 11% in the 2024 and 2025 releases.
    row = one(bench, "placements_3plus_pct", 2023, "370")
    assert row.value == 11 and row.release == "ees_2025_release"
    assert row.superseded == "ees_2024_release=11; ees_2023_release=9"


def test_same_measure_id_in_each_release_despite_new_column_and_label_names(dfe_dir):
    # 2023: "number"/"age"="Aged 17 to 18"/"Accommodation considered not suitable"/"at 31 March";
    # 2025: "care_leaver_count"/"care_leaver_age"="17 to 18 years"/"...unsuitable"/"on 31 March".
    wanted = {
        "cla_at_end",
        "long_term_stability_pct",
        "leavers_eet_17_18_pct",
        "leavers_unsuitable_accom_17_18_pct",
        "sdq_average",
        "health_assessment_pct",
    }
    barnsley_2023 = {}
    for release in ("ees_2023_release", "ees_2024_release", "ees_2025_release"):
        got = load_benchmarks(dfe_dir / release)
        assert wanted <= set(got["measure"]), release
        assert got.attrs["unmapped"] == []
        rows = got[(got["old_la_code"] == "370") & (got["year"] == 2023) & (got["measure"] == "cla_at_end")]
        barnsley_2023[release] = rows["value"].item()
    # Each release revises the year before: Barnsley's 2023 count was 400, then 399, then 398.
    assert barnsley_2023 == {"ees_2023_release": 400, "ees_2024_release": 399, "ees_2025_release": 398}


def test_school_moves_are_a_year_behind_their_release(dfe_dir):
    got = load_benchmarks(dfe_dir / "ees_2025_release")
    assert got.loc[got["measure"] == "school_moves_midyear_pct", "year"].max() == 2024
    assert got.loc[got["measure"] == "placements_3plus_pct", "year"].max() == 2025


def test_suppressed_cells_are_missing_with_their_code_never_zero(bench):
    assert set(bench["status"]) <= {"ok", "c", "k", "x", "z", "u", "low", "missing"}
    suppressed = bench[bench["status"] != "ok"]
    assert len(suppressed) > 100 and suppressed["value"].isna().all()
    # Barnsley 2023 care leavers 19-21 in touch: published as "z" (not applicable).
    row = one(bench, "leavers_in_touch_19_21_pct", 2023, "370")
    assert row.status == "z" and math.isnan(row.value)


def test_sdq_bands_are_shares_of_children_with_a_score(bench):
    # The DfE's SDQ bands are percentages of "SDQ score was received", not of all children aged 5-16.
    received = one(bench, "sdq_received_pct", 2025, "370")
    normal = one(bench, "sdq_normal_pct", 2025, "370")
    assert normal.denominator == received.numerator
    assert abs(normal.numerator / normal.denominator * 100 - normal.value) < 0.5


def test_over_20_miles_is_inside_plus_outside(bench):
    # Derived: (inside > 20 miles + outside > 20 miles) / total new placements; Barnsley's inside count is
    # suppressed in 2025, so the sum is missing with that code.
    row = one(bench, "new_placements_over20_pct", 2025, "370")
    assert math.isnan(row.value) and row.status == "c"
    england = one(bench, "new_placements_over20_pct", 2025, level="National")
    inside = one(bench, "new_placements_inside_over20_pct", 2025, level="National").numerator
    outside = one(bench, "new_placements_outside_over20_pct", 2025, level="National").numerator
    assert england.numerator == inside + outside
    assert england.value == round((inside + outside) / england.denominator * 100, 1)


def test_non_release_files_are_skipped_and_listed(bench):
    assert any(s.endswith("PROVENANCE_ees_files.csv") for s in bench.attrs["skipped"])


# Hand-built files -------------------------------------------------------------------------------------


def test_each_suppression_code_and_blank(write_csv, tmp_path):
    rows = [
        f"{geo(2025, 'Local authority', f'E0600090{i}', f'95{i}', f'N{i}')},{LOOKED_AFTER},1000,{v},{v}"
        for i, v in enumerate(["c", "k", "x", "z", "u", "low", "", "12"])
    ]
    write_csv("r/numbers.csv", NUMBERS_HEADER, rows)
    got = load_benchmarks(tmp_path / "r")
    at_end = got[got["measure"] == "cla_at_end"].set_index("old_la_code")
    assert at_end["status"].to_dict() == {
        "950": "c",
        "951": "k",
        "952": "x",
        "953": "z",
        "954": "u",
        "955": "low",
        "956": "missing",
        "957": "ok",
    }
    assert at_end["value"].isna().sum() == 7 and at_end.loc["957", "value"] == 12


def test_bad_cell_names_file_row_and_column(write_csv, tmp_path):
    rows = [
        f"{geo(2025, 'National')},{LOOKED_AFTER},1000,80,67",
        f"{geo(2025, 'Regional')},{LOOKED_AFTER},1000,n/a,60",
    ]
    path = write_csv("r/numbers.csv", NUMBERS_HEADER, rows)
    with pytest.raises(BenchmarkError, match=rf"{path}: row 3, column 'children_count': 'n/a'"):
        load_benchmarks(tmp_path / "r")


def test_unknown_label_is_reported_not_silently_dropped(write_csv, tmp_path):
    rows = [
        f"{geo(2025, 'National')},{LOOKED_AFTER},1000,80,67",
        f"{geo(2025, 'National')},Children looked after in a new way,1000,5,1",
    ]
    write_csv("r/numbers.csv", NUMBERS_HEADER, rows)
    got = load_benchmarks(tmp_path / "r")
    assert got.attrs["unmapped"] == ["numbers.csv: 'children looked after in a new way' (1 rows)"]
    assert set(got["measure"]) == {"cla_at_end", "cla_rate_10k"}


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(BenchmarkError, match="benchmark folder not found"):
        load_benchmarks(tmp_path / "nowhere")


def test_adoption_timing_durations_are_months_not_errors(tmp_path):
    """The national adoption-timing file gives durations as "YY:MM" (years:months, per its data guidance)."""
    from cpkit.benchmarks.read import _parse_figures

    raw = pd.Series(["00:10", "01:02", "c", "12"])
    values, status = _parse_figures(raw, tmp_path / "timings.csv", "number")
    assert list(values[[0, 1, 3]]) == [10, 14, 12] and math.isnan(values[2])
    assert list(status) == ["ok", "ok", "c", "ok"]


def test_release_with_the_national_adoption_timings_loads(dfe_dir):
    got = load_benchmarks(dfe_dir / "ees_2025_release_full")
    assert len(got) > 0
