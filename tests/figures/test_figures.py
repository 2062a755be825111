"""The figures table on hand-built returns and DfE files whose answers are worked out below, its cache
round trip, and the notebook hook (a section run by hand builds the same table as the prepare step)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cpkit.config import Config, Period
from cpkit.figures import Figures, build_figures, load_figures, report_years, save_figures
from cpkit.figures.build import dfe_year
from cpkit.publish.figure import Status
from cpkit.sample import sample_config
from tests.benchmarks.conftest import LOOKED_AFTER, NUMBERS_HEADER, geo
from tests.care.conftest import build

CONFIG = sample_config()  # the sample council: la_old_code 999, population_0_17 64,000

# Two returns (2023-24 and 2024-25). A in care throughout; B from January 2024, adopted June 2024; C from
# May 2024; D from February 2025.
#   at 31 March 2024: A, B -> 2 children;  at 31 March 2025: A, C, D -> 3 children.
ROWS = [
    ("A", "01/06/2022", None, "S", "C2", "N1", "U1", None),
    ("B", "01/01/2024", "01/06/2024", "S", "C2", "N1", "U1", "E11"),
    ("C", "01/05/2024", None, "S", "C2", "N1", "U1", None),
    ("D", "01/02/2025", None, "S", "V2", "N1", "U1", None),
]
RETURN_YEARS = [2025, 2025, 2025, 2025]


@pytest.fixture()
def data():
    rows = [*ROWS, ("A", "01/06/2022", None, "S", "C2", "N1", "U1", None)]
    # A's open episode is in the 2023-24 return too: the earliest return is 2024.
    return build(rows, episode_extra={"return_year": [*RETURN_YEARS, 2024]})


def test_years_are_those_the_returns_cover(data):
    # The 2023-24 return covers from 1 April 2023: 2024 and 2025, not 2023 (which starts April 2022).
    assert report_years(data, Period.from_year(2025)) == [2024, 2025]
    # A calendar 2025 report: 2024 (from 1 January 2024, after 1 April 2023) and 2025.
    assert report_years(data, Period.from_year(2025, "calendar")) == [2024, 2025]
    # Never more than five years.
    many = build(ROWS, episode_extra={"return_year": [2015, 2025, 2025, 2025]})
    assert report_years(many, Period.from_year(2025)) == [2021, 2022, 2023, 2024, 2025]


@pytest.fixture()
def data_dir(tmp_path):
    # The council (999) published 3 for 2025 (as its return says) and 4 for 2024 (its return says 2: the
    # published figure differs). England 80,000 and 81,000; councils 801 and 802 for the ranks.
    rows = [
        f"{geo(2025, 'Local authority', 'E06000999', '999', 'Sample')},{LOOKED_AFTER},64000,3,0.5",
        f"{geo(2024, 'Local authority', 'E06000999', '999', 'Sample')},{LOOKED_AFTER},64000,4,0.6",
        f"{geo(2025, 'Local authority', 'E06000801', '801', 'Other')},{LOOKED_AFTER},10000,50,50",
        f"{geo(2025, 'Local authority', 'E06000802', '802', 'Third')},{LOOKED_AFTER},10000,40,40",
        f"{geo(2025, 'National')},{LOOKED_AFTER},1000000,80000,80",
        f"{geo(2024, 'National')},{LOOKED_AFTER},1000000,81000,81",
    ]
    folder = tmp_path / "data" / "benchmarks"
    folder.mkdir(parents=True)
    (folder / "numbers.csv").write_text("\n".join([NUMBERS_HEADER, *rows]) + "\n", encoding="utf-8")
    return tmp_path / "data"


def test_own_published_and_judgement_by_hand(data, data_dir):
    figures = build_figures(data, Period.from_year(2025), CONFIG, data_dir)
    assert figures.years == [2024, 2025]
    now, then = figures.get("cla_at_end"), figures.get("cla_at_end", 2024)
    assert (now["value"], then["value"]) == (3, 2)
    # 2 -> 3 is +50%: a rise; the measure has no better direction, so "Higher".
    assert (now["previous_value"], now["change_kind"], now["direction_label"]) == (2, "rise", "Higher \u2191")
    # Published: 3 in 2025 (matches the return), 4 in 2024 (differs); England as published.
    assert (now["published"], now["own_vs_published"], now["england"]) == (3, "matches", 80000)
    assert (then["published"], then["own_vs_published"], then["england"]) == (4, "differs", 81000)
    # A count is not ranked. Nor is the rate per 10,000 (3 x 10,000 / 64,000 = 0.47 own; 0.5 published):
    # it has no better direction (LAIT 124 polarity "-", neutral in the registry), so ranking the published
    # rates 50, 40, 0.5 highest first would call the highest the best.
    assert pd.isna(now["rank"]) and now["rank_text"] == ""
    rate = figures.get("cla_rate_10k")
    assert rate["value"] == pytest.approx(0.46875)
    assert pd.isna(rate["rank"]) and rate["ranked"] == 0 and rate["rank_text"] == ""
    assert pd.isna(rate["quartile"]) and "neither better nor worse" in rate["quartile_note"]
    # The first year held has no previous year, so no direction.
    assert math.isnan(then["previous_value"]) and then["direction_label"] == ""
    # Published figures for the DfE year ending 31 March 2025.
    bench = figures.benchmarks()
    assert bench.attrs["year"] == 2025 and bench.loc["cla_at_end", "england"] == 80000


def test_calendar_report_sets_the_dfe_year_beside_the_published_figure(data, data_dir):
    # Calendar 2025 ends 31 December 2025: A, C, D still in care -> 3; the DfE year (to 31 March 2025) is 3.
    # Calendar 2024 (31 December 2024): A, C -> 2 (B left in June); the DfE year 2024 (31 March 2024): A, B
    # -> 2. The published 2024 figure (4) is compared with the DfE-year figure.
    figures = build_figures(data, Period.from_year(2025, "calendar"), CONFIG, data_dir)
    then = figures.get("cla_at_end", 2024)
    assert (then["value"], then["dfe_value"], then["published"]) == (2, 2, 4)
    assert then["period"] == "2024" and then["own_vs_published"] == "differs"


def test_without_published_files_the_note_says_so(data, tmp_path):
    figures = build_figures(data, Period.from_year(2025), CONFIG, tmp_path)
    assert figures.get("cla_at_end")["published_status"] == "absent"
    assert figures.benchmarks() is None
    assert any("No DfE published figures" in n for n in figures.notes)


def test_without_returns_own_figures_are_empty_with_a_reason(data_dir):
    figures = build_figures(None, Period.from_year(2025), CONFIG, data_dir)
    row = figures.get("cla_at_end")
    assert math.isnan(row["value"]) and row["reason"] == "no SSDA903 returns in the data folder"
    assert row["published"] == 3


def test_cache_round_trip(data, data_dir, tmp_path):
    figures = build_figures(data, Period.from_year(2025), CONFIG, data_dir)
    save_figures(figures, tmp_path / "cache")
    back = load_figures(tmp_path / "cache")
    assert isinstance(back, Figures) and back.meta == figures.meta
    pd.testing.assert_frame_equal(back.frame, figures.frame)
    assert load_figures(tmp_path / "elsewhere") is None


def test_get_names_what_is_missing(data, data_dir):
    figures = build_figures(data, Period.from_year(2025), CONFIG, data_dir)
    with pytest.raises(KeyError, match="no_such_measure.*2025"):
        figures.get("no_such_measure")
    assert figures.figure("cla_at_end", 2019) == {
        "numerator": 0,
        "denominator": 0,
        "pct": pytest.approx(math.nan, nan_ok=True),
    }


def test_report_before_the_release_sits_beside_the_latest_published_year(data, data_dir):
    # Only the 2024 figures published (the 2025 rows removed): the 2024-25 row sits beside the DfE's 2023-24
    # figures, and its own-versus-published check uses the council's own 2023-24 figure (2 against 4).
    numbers = data_dir / "benchmarks" / "numbers.csv"
    lines = numbers.read_text(encoding="utf-8").splitlines()
    numbers.write_text("\n".join(x for x in lines if not x.startswith("2025")) + "\n", encoding="utf-8")
    row = build_figures(data, Period.from_year(2025), CONFIG, data_dir).get("cla_at_end")
    assert (row["value"], row["published_year"], row["england"]) == (3, 2024, 81000)
    assert (row["dfe_value"], row["published"], row["own_vs_published"]) == (2, 4, "differs")


def test_dfe_year_is_the_latest_published_by_the_end_of_the_period():
    assert dfe_year(Period.from_year(2025), [2023, 2024, 2025]) == 2025
    # A calendar 2025 report (to 31 December 2025) with the 2025 release not yet out: the year to March 2024.
    assert dfe_year(Period.from_year(2025, "calendar"), [2023, 2024]) == 2024
    # Nothing published by March 2022.
    assert dfe_year(Period.from_year(2022), [2023]) is None


def test_a_notebook_run_by_hand_builds_the_table_the_prepare_step_caches(root, tmp_path):
    # The runner's prepare step caches the table; a section opened without a cache (an analyst in JupyterLab)
    # builds it from the data folder: the two must be the same table.
    from cpkit.config import find_config
    from cpkit.report.context import open_section
    from cpkit.report.prepare import prepare_data

    sample = root / "data" / "sample"
    config = Config.load(find_config(sample))
    cache, _ = prepare_data(sample, tmp_path / "cache", Period.from_year(2025), config)
    cached = open_section(
        "07_scorecard", year=2025, period="financial", data_dir=str(sample), cache_dir=str(cache)
    )
    by_hand = open_section("07_scorecard", year=2025, period="financial", data_dir=str(sample))
    assert (cache / "figures.parquet").exists()
    pd.testing.assert_frame_equal(cached.figures.frame, by_hand.figures.frame)
    assert cached.figures.meta == by_hand.figures.meta and cached.figures.years == [
        2021,
        2022,
        2023,
        2024,
        2025,
    ]
    # The postcode look-up is made once too (the placements section's distance table reads it): the same
    # tables as a section that looks the postcodes up itself.
    from cpkit.sections import placements

    assert cached.postcodes is not None and by_hand.postcodes is None
    with_cache = placements.location(cached.data, cached.period, cached.config, cached.postcodes)
    looked_up = placements.location(by_hand.data, by_hand.period, by_hand.config, by_hand.postcodes)
    assert with_cache["current"]["children"].sum() > 400  # the sample's children in care, all placed
    for when in ("previous", "current"):
        pd.testing.assert_frame_equal(with_cache[when], looked_up[when])


def test_own_against_published_is_flagged_in_every_year_it_differs_not_only_the_report_year(data, data_dir):
    # Children in care: published 4 for 2023-24 where the return gives 2 (differs), 3 for 2024-25 (matches).
    # The scorecard's check looks at the report year only; the trends name every year that differs and
    # show the published series beside the council's own.
    from cpkit.sections.trends import PUBLISHED, trend_sentence, trend_table

    figures = build_figures(data, Period.from_year(2025), CONFIG, data_dir)
    sentence = trend_sentence(figures, "cla_at_end", CONFIG)
    assert (
        "The DfE's published figure for the council is not the one worked out from its returns in 2023-24;"
        in (sentence)
    )
    table = trend_table(figures, ["cla_at_end"], CONFIG).set_index("Series")
    # the published figure where it differs, "matches" where it does not (as the scorecard's check cell):
    # the council's own counts are small and hidden, and a "3" beside them would give 2024-25's away
    assert table.loc[PUBLISHED, ["2023-24", "2024-25"]].tolist() == ["4", "matches"]
    # a matching year holds no second figure: the word is a typed not-applicable figure (GSS [z] in the
    # workbook), never text among the year's figures
    differs, matches = table.loc[PUBLISHED, ["2023-24", "2024-25"]]
    assert (differs.status, differs.value) == (Status.SHOWN, 4)
    assert (matches.status, matches.value, matches.shorthand()) == (Status.NOT_APPLICABLE, None, "[z]")
    assert table.loc["Council", ["2023-24", "2024-25"]].tolist() == ["<5", "<5"]


def test_a_measures_series_is_its_rows_oldest_first_whoever_changed_the_last_one():
    # The series is cut from the table once per measure and handed out as a copy: a section that changes
    # what it was given (a column it adds) does not change the next section's, and a table given a new
    # frame is cut again. Rows by hand: children in care 2025 (476) before 2024 (477), a rate between.
    def rows(cla_2025: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "measure": ["cla", "cla_rate", "cla"],
                "year": [2025, 2025, 2024],
                "value": [cla_2025, 74.4, 477.0],
            }
        )

    figures = Figures(rows(476.0), {"year": 2025})
    first = figures.series("cla")
    assert first["year"].tolist() == [2024, 2025] and first["value"].tolist() == [477.0, 476.0]
    first["value"] = 0.0
    first["note"] = "changed by a caller"
    again = figures.series("cla")
    assert again["value"].tolist() == [477.0, 476.0] and "note" not in again
    figures.frame = rows(480.0)
    assert figures.series("cla")["value"].tolist() == [477.0, 480.0]
