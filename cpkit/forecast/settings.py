"""The forecast's settings (the ``forecast:`` key of ``cpkit.yaml``) and its scenarios, validated.

Kept apart from the model so that ``cpkit.config`` can import it without importing pandas-heavy code.
Every check raises ``ValueError`` naming the key; ``cpkit.config`` adds the file name.

```yaml
forecast:
  window_years: 3        # years of history the rates are estimated from
  horizon_months: 24     # how far ahead (12 to 24)
  simulations: 500       # simulated futures behind the 80% and 95% intervals
  seed: 14               # the same data and settings give the same intervals
  entries_months: 12     # entries a month are counted over the latest 12 months (0: the whole window)
  duration_edges: [6, 24] # months in a placement group at which a child's rates change class
  scenarios:
    - name: Entries up 10%
      entries_change: 0.10          # a share: -0.1 is 10% fewer children entering care
    - name: Step-down programme
      step_downs_per_year: 6        # extra moves a year from children's homes to foster care
    - name: New in-house home
      new_home_beds: 4              # a new in-house children's home's places
      new_home_opens: 2026-01-01
```
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cpkit.errors import InputError

MIN_HORIZON, MAX_HORIZON = 12, 24


@dataclass(frozen=True)
class Scenario:
    """One "what if": each setting left at its default changes nothing.

    ``entries_change``: a share added to the number of children entering care each month (0.1 = 10% more,
    -0.1 = 10% fewer). ``step_downs_per_year``: extra moves a year from secure and children's homes to
    foster care (a step-down programme), on top of the moves the history shows. ``new_home_beds`` and
    ``new_home_opens``: a new in-house children's home; it does not change how many children need a
    children's home, only how many of those places the council must buy from other providers.
    """

    name: str
    entries_change: float = 0.0
    step_downs_per_year: float = 0.0
    new_home_beds: int = 0
    new_home_opens: date | None = None


@dataclass(frozen=True)
class ForecastSettings:
    """How the sufficiency forecast is made (``cpkit.forecast``); defaults suit a council of 200-2,000."""

    window_years: int = 3
    horizon_months: int = 24
    simulations: int = 500
    seed: int = 14
    # Pseudo child-months of the placement group's all-ages rates added to each age band's own: a band with
    # few children borrows strength from the group instead of jumping to 0% or 100%. 24 (two child-years)
    # was chosen from the back tests in benchmarks/bench_forecast.py (0, 6 and 24 tried; see README).
    prior_months: float = 24.0
    # Months in the current placement group at which a child's rates change class: under 6, 6 to 23, 24
    # or more. Children settled in a placement group move and leave far less often than those new to it,
    # so one rate for all over-predicts churn (see cpkit.forecast.model and README "The sufficiency
    # forecast"); () gives the memoryless model.
    duration_edges: tuple[int, ...] = (6, 24)
    # The number of children entering care a month is counted over the latest ``entries_months`` months
    # (their ages and placements over the whole window), so a rise or fall in entries shows within a
    # year instead of being averaged over the window; 0 counts over the whole window.
    entries_months: int = 12
    scenarios: tuple[Scenario, ...] = field(default_factory=tuple)


def _number(value: Any, key: str, low: float, high: float, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{key} must be a number, not {value!r}")
    if integer and int(value) != value:
        raise InputError(f"{key} must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise InputError(f"{key} must be from {low:g} to {high:g}, not {value!r}")
    return int(value) if integer else float(value)


def _scenario(raw: Any, where: str) -> Scenario:
    if not isinstance(raw, dict):
        raise InputError(f"{where} must be a mapping with a name, not {raw!r}")
    known = {f.name for f in dataclasses.fields(Scenario)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InputError(
            f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{where}.name must be some text naming the scenario")
    opens = raw.get("new_home_opens")
    if opens is not None and not isinstance(opens, date):
        try:
            opens = date.fromisoformat(str(opens))
        except ValueError:
            raise InputError(
                f"{where}.new_home_opens must be a date like 2026-01-01, not {opens!r}"
            ) from None
    beds = _number(raw.get("new_home_beds", 0), f"{where}.new_home_beds", 0, 100, integer=True)
    if beds and opens is None:
        raise InputError(f"{where}: new_home_beds needs new_home_opens (the date the home opens)")
    out = Scenario(
        name=" ".join(name.split()),
        entries_change=_number(raw.get("entries_change", 0.0), f"{where}.entries_change", -0.9, 2.0),
        step_downs_per_year=_number(
            raw.get("step_downs_per_year", 0.0), f"{where}.step_downs_per_year", 0, 500
        ),
        new_home_beds=int(beds),
        new_home_opens=opens,
    )
    if out == Scenario(out.name):
        raise InputError(
            f"{where} ({out.name!r}) changes nothing: set entries_change, step_downs_per_year or new_home_beds"
        )
    return out


def _edges(raw: Any) -> tuple[int, ...]:
    key = "forecast.duration_edges"
    if not isinstance(raw, (list, tuple)):
        raise InputError(f"{key} must be a list of months like [6, 24], not {raw!r}")
    edges = tuple(int(_number(v, key, 1, 120, integer=True)) for v in raw)
    if list(edges) != sorted(set(edges)):
        raise InputError(f"{key} must rise, each month once, not {list(raw)!r}")
    return edges


def parse_forecast_settings(raw: Any) -> ForecastSettings:
    """Validate the ``forecast:`` mapping into settings (a key left out keeps ``ForecastSettings``'
    default); ``InputError`` names the bad key."""
    if raw is None:
        return ForecastSettings()
    if isinstance(raw, ForecastSettings):
        return raw
    if not isinstance(raw, dict):
        raise InputError(f"forecast must be a mapping of settings, not {raw!r}")
    known = {f.name for f in dataclasses.fields(ForecastSettings)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InputError(
            f"unknown setting(s) forecast.{', forecast.'.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    scenarios_raw = raw.get("scenarios") or []
    if not isinstance(scenarios_raw, list):
        raise InputError("forecast.scenarios must be a list of scenarios")
    scenarios = tuple(_scenario(s, f"forecast.scenarios[{i}]") for i, s in enumerate(scenarios_raw))
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise InputError(f"forecast.scenarios: two scenarios share a name ({names})")
    d = ForecastSettings()
    return ForecastSettings(
        window_years=int(
            _number(raw.get("window_years", d.window_years), "forecast.window_years", 1, 10, integer=True)
        ),
        horizon_months=int(
            _number(
                raw.get("horizon_months", d.horizon_months),
                "forecast.horizon_months",
                MIN_HORIZON,
                MAX_HORIZON,
                integer=True,
            )
        ),
        simulations=int(
            _number(raw.get("simulations", d.simulations), "forecast.simulations", 50, 20000, integer=True)
        ),
        seed=int(_number(raw.get("seed", d.seed), "forecast.seed", 0, 2**32 - 1, integer=True)),
        prior_months=_number(raw.get("prior_months", d.prior_months), "forecast.prior_months", 0, 1000),
        entries_months=int(
            _number(
                raw.get("entries_months", d.entries_months), "forecast.entries_months", 0, 120, integer=True
            )
        ),
        duration_edges=_edges(raw.get("duration_edges", d.duration_edges)),
        scenarios=scenarios,
    )
