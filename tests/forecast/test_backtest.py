"""The back test: the stacks as they stood a year ago, the comparison with the next return, the errors."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.forecast import ForecastSettings
from cpkit.forecast.backtest import accuracy, as_at, backtest

from .conftest import build


def test_as_at_drops_later_episodes_and_reopens_those_that_ended_later():
    """X starts after 31 March 2024 (dropped); Y ended 15 May 2024 (open as at 31 March 2024, no REC);
    Z ended 1 Feb 2024 (kept as it was). The 2025 return's rows count as the 2024 return's."""
    eps = [
        ("X", "01/06/2024", None, "U4"),
        ("Y", "01/01/2024", "15/05/2024", "U4"),
        ("Z", "01/01/2023", "01/02/2024", "K2"),
    ]
    data = build(eps, {c: "01/01/2012" for c in "XYZ"}, return_years=[2025, 2025, 2024])
    then = as_at(data, "2024-03-31").episodes.set_index("CHILD")
    assert sorted(then.index) == ["Y", "Z"]
    assert pd.isna(then.loc["Y", "DEC"]) and pd.isna(then.loc["Y", "REC"])
    assert then.loc["Z", "DEC"] == pd.Timestamp("2024-02-01")
    assert set(then["return_year"]) == {2024}


def test_a_stable_council_is_forecast_exactly_by_both_methods():
    """10 children in foster care throughout 2023-2025, nobody moving: the forecast for 31 March 2025
    from the returns to 2024 is 10, as is last year's figure and the actual."""
    ids = [f"S{i}" for i in range(10)]
    data = build([(c, "01/01/2020", None, "U4") for c in ids], {c: "01/01/2012" for c in ids}, [2025] * 10)
    table = backtest(data, 2025, ForecastSettings(simulations=100, window_years=2)).set_index(
        "placement_group"
    )
    foster = table.loc["Foster placements"]
    assert (foster["actual"], foster["forecast"], foster["same_as_last_year"]) == (10, 10, 10)
    assert foster["inside_80"]
    assert table.loc["All placements", "actual"] == 10
    assert accuracy(table.reset_index()) == {"mape": 0.0, "groups": 1, "inside_80": 1.0}


def test_accuracy_is_the_mean_percentage_error_over_groups_with_children():
    """Errors 10/100 = 10% and 10/50 = 20%: MAPE 15%; the group with no children has no percentage error
    and the all-placements row is not a group; one of the two groups is inside its 80% interval."""
    table = pd.DataFrame(
        {
            "placement_group": ["A", "B", "C", "All placements"],
            "actual": [100, 50, 0, 150],
            "forecast": [110.0, 40.0, 3.0, 153.0],
            "same_as_last_year": [100, 50, 2, 152],
            "inside_80": [True, False, True, True],
        }
    )
    assert accuracy(table) == {"mape": pytest.approx(15.0), "groups": 2, "inside_80": 0.5}
    assert accuracy(table, "same_as_last_year")["mape"] == 0.0
