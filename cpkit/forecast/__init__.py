"""The sufficiency forecast: children in care by placement group and age band, 12 to 24 months ahead.

Pure functions from ``Data903`` to tidy tables (never draws): ``state_history`` (where each child was at
each month end), ``forecast`` (rates, entries, the projection with 80% and 95% intervals, scenarios) and
``backtest`` (fit to one year, compare with the next year's return). ``cpkit.forecast.settings`` holds the
``forecast:`` settings and is imported by ``cpkit.config``; the rest is loaded on first use so that import
stays light and free of cycles.
"""

from __future__ import annotations

from typing import Any

from cpkit.forecast.settings import ForecastSettings, Scenario, parse_forecast_settings

_LAZY = {
    "Forecast": "cpkit.forecast.project",
    "forecast": "cpkit.forecast.project",
    "StateHistory": "cpkit.forecast.history",
    "state_history": "cpkit.forecast.history",
    "backtest": "cpkit.forecast.backtest",
    "accuracy": "cpkit.forecast.backtest",
}

__all__ = ["ForecastSettings", "Scenario", "parse_forecast_settings", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cpkit.forecast' has no attribute {name!r}")
