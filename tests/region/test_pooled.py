"""The region's own figures from its councils' pooled returns, and the regional forecast summed future by
future, on hand-built councils whose answers are worked out below."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from cpkit.config import Config, Period
from cpkit.figures import build_figures
from cpkit.forecast.settings import ForecastSettings
from cpkit.region.pooled import (
    council_futures,
    pool_returns,
    pooled_figures,
    region_config,
    regional_forecast,
    regional_futures,
)
from tests.care.conftest import build

YEAR = Period.from_year(2025)
NOWHERE = "/nonexistent-benchmarks"  # no DfE files: own figures only

# Two councils whose children share ids ("1" and "2" in both), one return (2024-25) each.
#   North (population 10,000): 1 fostered since June 2023; 2 fostered from May 2024; 3 placed with
#   parents (P1) from February 2025. At 31 March 2025: 3 in care, 2 fostered (2 of 3, 67%); started in
#   the year: 2 and 3 (2); ceased: none. In-house (PR1, placed with parents left out): 2 of 2.
#   South (population 30,000): 1 fostered from September 2024 by PR2, which South counts as its own
#   provision; 2 in care from April 2022, adopted October 2024. At 31 March 2025: 1 in care, fostered
#   (1 of 1); started: 1; ceased: 1. In-house: 1 of 1 (PR2 is South's).
# The region: 3 + 1 = 4 in care (pooling without the council prefix would merge North's 1 and 2 with
# South's and count 3); fostered 2 + 1 = 3 of 3 + 1 = 4, 75% (the average of the rates, 83%, is wrong);
# per 10,000: 4 x 10,000 / 40,000 = 1.0 (average of 3.0 and 0.33 is 1.67); started 3, ceased 1;
# in-house (2 + 1) of (2 + 1) = 100%, where North's settings applied to South's child would say 2 of 3.
NORTH = [
    ("1", "01/06/2023", None, "S", "C2", "N1", "U1", None),
    ("2", "01/05/2024", None, "S", "C2", "N1", "U1", None),
    ("3", "01/02/2025", None, "S", "C2", "N1", "P1", None),
]
SOUTH = [
    ("1", "01/09/2024", None, "S", "C2", "N1", "U2", None),
    ("2", "01/04/2022", "01/10/2024", "S", "C2", "N1", "U1", "E11"),
]
CONFIGS = {
    "north": Config(la_name="North", la_code="E06000901", population_0_17=10_000),
    "south": Config(
        la_name="South", la_code="E06000902", population_0_17=30_000, inhouse_providers=["PR1", "PR2"]
    ),
}


@pytest.fixture(scope="module")
def returns():
    return {
        "north": build(NORTH, episode_extra={"return_year": [2025] * 3}),
        "south": build(SOUTH, episode_extra={"return_year": [2025] * 2, "PLACE_PROVIDER": ["PR2", "PR1"]}),
    }


@pytest.fixture(scope="module")
def council_figures(returns):
    return {s: build_figures(d, YEAR, CONFIGS[s], NOWHERE) for s, d in returns.items()}


@pytest.fixture(scope="module")
def region(returns, council_figures):
    return pooled_figures(returns, CONFIGS, YEAR, "Northsouth", council_figures=council_figures)


def test_children_in_care_is_the_councils_sum_though_their_ids_clash(region, council_figures):
    assert [council_figures[s].value("cla_at_end") for s in ("north", "south")] == [3, 1]
    assert region.value("cla_at_end") == 4
    assert (region.value("cla_started"), region.value("cla_ceased")) == (3, 1)
    assert region.meta["councils"] == ["north", "south"]
    # each council's parts of it, for the comparison's disclosure ledger
    assert [region.meta["parts"][s]["cla_at_end"][0] for s in ("north", "south")] == [3, 1]


def test_percentages_come_from_summed_numerators_and_denominators(region):
    row = region.get("placed_foster_pct")
    assert (row["numerator"], row["denominator"]) == (3, 4)
    assert row["value"] == pytest.approx(75.0)  # not (66.7 + 100) / 2 = 83.3


def test_rates_are_over_the_councils_summed_population(region):
    row = region.get("cla_rate_10k")
    assert (row["numerator"], row["denominator"]) == (4, 40_000)
    assert row["value"] == pytest.approx(1.0)  # not (3.0 + 0.33) / 2


def test_a_rate_is_not_given_when_a_councils_population_is_missing(returns):
    configs = {**CONFIGS, "south": dataclasses.replace(CONFIGS["south"], population_0_17=None)}
    figures = {s: build_figures(d, YEAR, configs[s], NOWHERE) for s, d in returns.items()}
    region = pooled_figures(returns, configs, YEAR, "Northsouth", council_figures=figures)
    assert math.isnan(region.value("cla_rate_10k"))
    assert "population_0_17" in region.get("cla_rate_10k")["reason"]
    assert region.value("cla_at_end") == 4  # the counts do not need it


def test_council_relative_measures_are_summed_from_the_councils_own(region, returns):
    row = region.get("inhouse_pct")
    assert (row["numerator"], row["denominator"], row["value"]) == (3, 3, 100)
    # Without the councils' tables the region's figure is not given, rather than worked with one
    # council's settings (North's would not count South's PR2 child as in-house: 2 of 3).
    bare = pooled_figures(returns, CONFIGS, YEAR, "Northsouth")
    assert math.isnan(bare.value("inhouse_pct"))
    assert "each council's own figure" in bare.get("inhouse_pct")["reason"]


def test_region_settings_sum_population_and_keep_the_strictest_rule():
    configs = {**CONFIGS, "south": dataclasses.replace(CONFIGS["south"], small_number_threshold=10)}
    config = region_config("Northsouth", configs, code="E12000001")
    assert (config.la_name, config.la_code, config.population_0_17) == ("Northsouth", "E12000001", 40_000)
    assert (config.small_number_threshold, config.suppression_symbol) == (10, "<10")
    assert region_config("R", configs, small_number_threshold=5).small_number_threshold == 5
    # the disclosure test: interval (narrowing gives a small count away) if any council keeps it
    exact = {s: dataclasses.replace(c, disclosure_test="exact") for s, c in CONFIGS.items()}
    assert region_config("R", exact).disclosure_test == "exact"
    one = {**exact, "south": dataclasses.replace(exact["south"], disclosure_test="interval")}
    assert region_config("R", one).disclosure_test == "interval"


def test_only_years_every_council_covers(returns, council_figures):
    # North also sent its 2023-24 return (child 1 was in care at 31 March 2024); South did not, so a
    # regional 2023-24 figure would be North's alone: the region shows 2024-25 only.
    north = build(
        [*NORTH, ("1", "01/06/2023", None, "S", "C2", "N1", "U1", None)],
        episode_extra={"return_year": [2025, 2025, 2025, 2024]},
    )
    assert build_figures(north, YEAR, CONFIGS["north"], NOWHERE).years == [2024, 2025]
    region = pooled_figures({**returns, "north": north}, CONFIGS, YEAR, "Northsouth")
    assert region.years == [2025]


def test_pooled_ids_are_prefixed_per_council(returns):
    pooled = pool_returns(returns)
    assert sorted(pooled.episodes["CHILD"]) == ["north:1", "north:2", "north:3", "south:1", "south:2"]
    assert sorted(pooled.header["CHILD"]) == ["north:1", "north:2", "north:3", "south:1", "south:2"]


# --- The regional forecast ----------------------------------------------------------------------------


def _council(n: int = 60):
    """A council with three years of returns: a child enters every 17 days from April 2022, fostered;
    every third child goes home after 200 days; every fifth moves to a children's home after 100."""
    rows = []
    start = date(2022, 4, 1)
    for i in range(n):
        begin = start + timedelta(days=17 * i)
        child = str(i)
        if i % 5 == 0:
            move = begin + timedelta(days=100)
            rows.append((child, f"{begin:%d/%m/%Y}", f"{move:%d/%m/%Y}", "S", "C2", "N1", "U1", "X1"))
            rows.append((child, f"{move:%d/%m/%Y}", None, "P", "C2", "N1", "K2", None))
        elif i % 3 == 0:
            end = begin + timedelta(days=200)
            end_text = f"{end:%d/%m/%Y}" if end <= date(2025, 3, 31) else None
            rows.append(
                (child, f"{begin:%d/%m/%Y}", end_text, "S", "C2", "N1", "U1", "E4A" if end_text else None)
            )
        else:
            rows.append((child, f"{begin:%d/%m/%Y}", None, "S", "C2", "N1", "U1", None))
    # one file of every episode, read as reaching back to the 2022-23 return (from 1 April 2022)
    return build(rows, episode_extra={"return_year": [2023] * len(rows)})


SETTINGS = dataclasses.replace(ForecastSettings(), simulations=300, horizon_months=12)


@pytest.fixture(scope="module")
def futures():
    data = _council()
    config = Config(la_name="Twin", la_code="E06000903", population_0_17=20_000, forecast=SETTINGS)
    return {
        "east": council_futures(data, YEAR, config, key="east"),
        "west": council_futures(data, YEAR, config, key="west"),
    }


def test_councils_draw_their_own_futures_reproducibly(futures):
    east, west = futures["east"], futures["west"]
    assert east.sims.shape == (300, 12, len(east.groups))
    # Same data, different councils: the same starting point, different (independent) futures.
    assert east.now == west.now and sum(east.now) > 0
    assert not np.array_equal(east.sims, west.sims)
    again = council_futures(_council(), YEAR, Config(la_code="E06000903", forecast=SETTINGS), key="east")
    assert np.array_equal(again.sims, east.sims)


def test_the_regions_range_is_its_own_not_a_sum_of_ranges(futures):
    region = regional_futures(futures)
    last = -1
    totals = {s: f.totals()[:, last] for s, f in futures.items()}
    summed = region.totals()[:, last]
    # simulation by simulation
    assert np.array_equal(summed, totals["east"] + totals["west"])
    # the mean is the sum of the means
    assert summed.mean() == pytest.approx(totals["east"].mean() + totals["west"].mean())

    def width(x):
        lo, hi = np.quantile(x, [0.10, 0.90])
        return hi - lo

    # two independent councils' ups and downs partly cancel: the region's 80% range is narrower than
    # the councils' ranges added up (for independent equal councils, about 1/sqrt(2) of it)
    assert width(summed) < 0.9 * (width(totals["east"]) + width(totals["west"]))
    assert region.now == tuple(a + b for a, b in zip(futures["east"].now, futures["west"].now, strict=True))


def test_futures_of_different_shapes_are_refused(futures):
    from cpkit.errors import InputError

    short = dataclasses.replace(futures["west"], sims=futures["west"].sims[:100])
    with pytest.raises(InputError, match="simulations"):
        regional_futures({"east": futures["east"], "west": short})


def test_no_futures_from_returns_shorter_than_a_year():
    # The 2024-25 return covers from 1 April 2024: nine months to 31 December 2024, short of the year the
    # sufficiency section asks for, so no futures (as the council's own report has no forecast).
    data = build(NORTH, episode_extra={"return_year": [2025] * 3})
    assert council_futures(data, Period.from_year(2024, "calendar"), CONFIGS["north"]) is None


def test_no_regional_forecast_while_a_council_has_none(futures):
    # a region summed without the council would look smaller than it is: the reason instead
    reason = regional_forecast({**futures, "north": None})
    assert isinstance(reason, str) and "north" in reason
    assert regional_forecast(futures).councils == ("east", "west")
    # a council whose futures could not be drawn (its task failed) is named with the reason
    failed = regional_forecast({**futures, "north": "worker lost three times"})
    assert (
        isinstance(failed, str) and "north's forecast could not be made (worker lost three times)" in failed
    )


def test_a_figure_one_councils_returns_cannot_give_is_not_the_regions(returns):
    # North sends a Missing table (child 1 missing in June 2024: 1 of North's 3 children), South none: its
    # missing_pct is not given. Pooled, the region's would be North's 1 over all 5 children (20%), a figure
    # of North's children under the region's name: it is not given, and says why.
    missing = pd.DataFrame(
        {
            "CHILD": ["1"],
            "DOB": ["01/01/2010"],
            "MISSING": ["M"],
            "MIS_START": ["01/06/2024"],
            "MIS_END": ["02/06/2024"],
        }
    )
    north = build(NORTH, episode_extra={"return_year": [2025] * 3}, missing=missing)
    data = {**returns, "north": north}
    figures = {s: build_figures(d, YEAR, CONFIGS[s], NOWHERE) for s, d in data.items()}
    assert figures["north"].value("missing_pct") == pytest.approx(100 / 3)
    assert math.isnan(figures["south"].value("missing_pct"))
    region = pooled_figures(data, CONFIGS, YEAR, "Northsouth", council_figures=figures)
    assert math.isnan(region.value("missing_pct"))
    assert region.get("missing_pct")["reason"].startswith("not given for south (no Missing table")
    assert region.value("cla_at_end") == 4  # the rest stand


def test_where_a_councils_own_settings_differ_the_region_sums_the_councils_figures():
    # North counts temporary moves (PLACE T0) as placements; South does not (count_temporary_moves).
    # South's child 1 is fostered (U2) from September 2024, has a temporary move (T0) in October and is back
    # in November: 3 placements North's way, 1 South's way. North's children have 1 placement each.
    #   North 0 of 3 with 3+ placements; South, its own way, 0 of 1: the region 0 of 4 (0%).
    #   Pooled under one set of settings (North's, the first) South's child would count: 1 of 4 (25%),
    #   a figure neither council publishes. The councils' sum is used, and the measure listed.
    south = build(
        [
            ("1", "01/09/2024", "01/10/2024", "S", "C2", "N1", "U2", "X1"),
            ("1", "01/10/2024", "01/11/2024", "P", "C2", "N1", "T0", "X1"),
            ("1", "01/11/2024", None, "P", "C2", "N1", "U2", None),
            ("2", "01/04/2022", "01/10/2024", "S", "C2", "N1", "U1", "E11"),
        ],
        episode_extra={"return_year": [2025] * 4, "PLACE_PROVIDER": ["PR2", "PR2", "PR2", "PR1"]},
    )
    stability = dataclasses.replace(CONFIGS["north"].stability, count_temporary_moves=True)
    configs = {**CONFIGS, "north": dataclasses.replace(CONFIGS["north"], stability=stability)}
    data = {"north": build(NORTH, episode_extra={"return_year": [2025] * 3}), "south": south}
    figures = {s: build_figures(d, YEAR, configs[s], NOWHERE) for s, d in data.items()}
    assert [figures[s].get("placements_3plus_pct")["numerator"] for s in ("north", "south")] == [0, 0]
    region = pooled_figures(data, configs, YEAR, "Northsouth", council_figures=figures)
    row = region.get("placements_3plus_pct")
    assert (row["numerator"], row["denominator"], row["value"]) == (0, 4, 0)
    assert region.meta["summed"] == ["placements_3plus_pct 2025"]
    assert region.value("cla_at_end") == 4
