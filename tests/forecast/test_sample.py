"""On the shipped sample: the forecast starts from the same children the placements section counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpkit.care import placement_mix
from cpkit.forecast import ForecastSettings, forecast
from cpkit.ssda903 import load_903

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"


@pytest.fixture(scope="module")
def sample():
    return load_903(SAMPLE)


def test_the_forecast_starts_from_the_placement_mix(sample):
    f = forecast(sample, "2025-03-31", ForecastSettings(simulations=100, horizon_months=12))
    mix = placement_mix(sample, "2025-03-31").set_index("placement_group")["children"]
    now = f.now()
    for group, n in mix.items():
        assert now[group] == n, group
    assert now["All placements"] == mix.sum()
    history = f.history[f.history["placement_group"] == "All placements"].set_index("month_end")["children"]
    mix_2024 = placement_mix(sample, "2024-03-31")["children"].sum()
    assert history[history.index == "2024-03-31"].iloc[0] == mix_2024
