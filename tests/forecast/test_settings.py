"""The ``forecast:`` settings in cpkit.yaml: defaults, scenarios, and clear errors naming file and key."""

from __future__ import annotations

from datetime import date

import pytest

from cpkit.config import Config
from cpkit.errors import ConfigError, InputError
from cpkit.forecast.settings import ForecastSettings, Scenario, parse_forecast_settings

from ..conftest import SAMPLE_DIR


def load(tmp_path, text: str) -> Config:
    path = tmp_path / "cpkit.yaml"
    council = (SAMPLE_DIR / "cpkit.yaml").read_text(encoding="utf-8")  # the settings every council must give
    path.write_text(council + text, encoding="utf-8")
    return Config.load(path)


def test_defaults_without_a_forecast_key():
    s = Config().forecast
    assert (s.window_years, s.horizon_months, s.scenarios) == (3, 24, ())
    assert (s.duration_edges, s.entries_months) == ((6, 24), 12)


def test_the_model_settings_are_read(tmp_path):
    cfg = load(tmp_path, "forecast:\n  duration_edges: [3, 12, 36]\n  entries_months: 0\n")
    assert (cfg.forecast.duration_edges, cfg.forecast.entries_months) == ((3, 12, 36), 0)
    assert load(tmp_path, "forecast:\n  duration_edges: []\n").forecast.duration_edges == ()


def test_scenarios_are_read_with_their_settings(tmp_path):
    cfg = load(
        tmp_path,
        "forecast:\n  horizon_months: 12\n  scenarios:\n"
        "    - {name: Entries down 10%, entries_change: -0.1}\n"
        "    - {name: Step-down, step_downs_per_year: 6}\n"
        "    - {name: New home, new_home_beds: 4, new_home_opens: 2026-01-01}\n",
    )
    assert cfg.forecast.horizon_months == 12
    assert cfg.forecast.scenarios == (
        Scenario("Entries down 10%", entries_change=-0.1),
        Scenario("Step-down", step_downs_per_year=6.0),
        Scenario("New home", new_home_beds=4, new_home_opens=date(2026, 1, 1)),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("forecast:\n  horizon: 12\n", "unknown setting(s) forecast.horizon"),
        ("forecast:\n  horizon_months: 36\n", "forecast.horizon_months must be from 12 to 24"),
        ("forecast:\n  window_years: two\n", "forecast.window_years must be a number"),
        (
            "forecast:\n  scenarios:\n    - {name: Up, entries_change: 5}\n",
            "entries_change must be from -0.9 to 2",
        ),
        ("forecast:\n  scenarios:\n    - {name: Nothing}\n", "changes nothing"),
        ("forecast:\n  scenarios:\n    - {name: Home, new_home_beds: 4}\n", "needs new_home_opens"),
        (
            "forecast:\n  scenarios:\n    - {name: H, new_home_beds: 2, new_home_opens: soon}\n",
            "must be a date",
        ),
        ("forecast:\n  scenarios:\n    - {name: Up, entry_change: 0.1}\n", "unknown setting(s) entry_change"),
        (
            "forecast:\n  scenarios:\n    - {name: A, entries_change: 0.1}\n    - {name: A, entries_change: 0.2}\n",
            "share a name",
        ),
        ("forecast: 3\n", "forecast must be a mapping"),
        ("forecast:\n  duration_edges: [24, 6]\n", "forecast.duration_edges must rise"),
        ("forecast:\n  duration_edges: 6\n", "forecast.duration_edges must be a list"),
        ("forecast:\n  entries_months: 6.5\n", "forecast.entries_months must be a whole number"),
    ],
)
def test_bad_settings_name_the_file_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as err:
        load(tmp_path, text)
    assert str(tmp_path / "cpkit.yaml") in str(err.value)
    assert message in str(err.value)


def test_parse_accepts_settings_already_made():
    s = ForecastSettings(horizon_months=12)
    assert parse_forecast_settings(s) is s
    assert parse_forecast_settings(None) == ForecastSettings()


@pytest.mark.parametrize("edges", [[24, 6], 6, [0, 6]])
def test_bad_duration_edges_are_refused_as_input_not_as_a_bug(edges):
    """The command line prints an InputError as one line; any other ValueError as a bug."""
    with pytest.raises(InputError, match="forecast.duration_edges"):
        parse_forecast_settings({"duration_edges": edges})
