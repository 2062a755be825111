"""Back test: fit on the returns up to 31 March of year Y-1, forecast to 31 March Y, compare with year Y.

The test a performance lead would apply: had the kit been run a year ago, how close would it have been?
Per DfE placement group: the actual number in care at 31 March Y (from the year-Y return), the forecast's
central figure and 80% interval, and the "same as last year" baseline (the number at 31 March Y-1).
``accuracy`` gives the mean absolute percentage error over the groups with children at 31 March Y (a group
with none has no percentage error) and the share of actuals inside the 80% interval.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from cpkit.care.episodes import DateLike, as_timestamp
from cpkit.care.placements import placement_mix
from cpkit.forecast.history import GROUPS
from cpkit.forecast.project import ALL_PLACEMENTS, forecast
from cpkit.forecast.settings import ForecastSettings
from cpkit.ssda903.model import Data903

BACKTEST_COLUMNS = [
    "placement_group",
    "actual",
    "forecast",
    "lo80",
    "hi80",
    "lo95",
    "hi95",
    "inside_80",
    "same_as_last_year",
]


def collection_years(data: Data903) -> list[int]:
    """The collection years the stacked Episodes come from (empty when the files did not say)."""
    return sorted(int(y) for y in data.episodes["return_year"].dropna().unique())


def as_at(data: Data903, day: DateLike) -> Data903:
    """The stacked returns as they stood at the end of ``day``: what the council knew then.

    The reader keeps each episode once, from the latest return, so a back test cannot simply drop the
    later returns (the episodes they carried on would go too). Instead: episodes starting after ``day``
    are dropped; an episode ending after ``day`` is open (DEC and REC blank); no row is from a return
    later than the collection year ``day`` falls in. Other tables are kept whole (the reader kept only the
    latest Header row, and a date of birth does not change; the forecast reads nothing else). Corrections a later return made to earlier dates are kept (a small leak, and the only
    way to do this from one stack).
    """
    d = as_timestamp(day)
    year = d.year + (1 if d.month > 3 else 0)  # the collection year (1 April to 31 March) holding ``day``
    tables = {}
    for name, table in data.tables.items():
        t = table
        if name == "episodes":
            t = t[t["DECOM"] <= d].copy()
            later = t["DEC"] > d
            t.loc[later, "DEC"] = pd.NaT
            t.loc[later, "REC"] = None
            t["return_year"] = t["return_year"].clip(upper=year)
        tables[name] = t.reset_index(drop=True)
    return Data903(tables=tables)


def stock_by_group(data: Data903, day: pd.Timestamp) -> pd.Series:
    """Children in care at ``day`` per DfE placement group (the kit's placement mix)."""
    return (
        placement_mix(data, day).set_index("placement_group")["children"].reindex(list(GROUPS), fill_value=0)
    )


def backtest(
    data: Data903,
    year: int,
    settings: ForecastSettings | None = None,
    fit_data: Data903 | None = None,
    last_year: Data903 | None = None,
) -> pd.DataFrame:
    """Forecast 31 March ``year`` from what was known at 31 March ``year - 1``; compare with ``data``.

    ``data``: the returns holding 31 March ``year`` (the actual). ``fit_data``: the returns up to
    ``year - 1`` (default: ``as_at(data, 31 March year - 1)``). Columns ``BACKTEST_COLUMNS``; one row per
    placement group and one for all placements. ``last_year``: the return holding 31 March ``year - 1`` for
    the "same as last year" baseline (default ``fit_data``; give the year's own return where stacking keeps
    children an older return lost, so the baseline is that return's own count).
    """
    settings = dataclasses.replace(settings or ForecastSettings(), horizon_months=12, scenarios=())
    as_of, target = pd.Timestamp(year - 1, 3, 31), pd.Timestamp(year, 3, 31)
    fit_data = fit_data if fit_data is not None else as_at(data, as_of)
    result = forecast(fit_data, as_of, settings)
    at = result.at(target).set_index("placement_group")
    act = stock_by_group(data, target)
    last = stock_by_group(last_year if last_year is not None else fit_data, as_of)
    table = pd.DataFrame({"actual": act, "same_as_last_year": last})
    table.loc[ALL_PLACEMENTS] = table.sum()
    for col in ("lo80", "hi80", "lo95", "hi95"):
        table[col] = at[col]
    table["forecast"] = at["central"]
    table["inside_80"] = (table["actual"] >= table["lo80"]) & (table["actual"] <= table["hi80"])
    return table.rename_axis("placement_group").reset_index()[BACKTEST_COLUMNS]


def accuracy(table: pd.DataFrame, column: str = "forecast") -> dict[str, float]:
    """MAPE (%) of ``column`` against actual over groups with children, and the share inside the 80% band.

    The all-placements row is left out of both (it is the groups added up).
    """
    groups = table[table["placement_group"] != ALL_PLACEMENTS]
    used = groups[groups["actual"] > 0]
    if used.empty:
        return {"mape": float("nan"), "groups": 0, "inside_80": float("nan")}
    ape = (used[column] - used["actual"]).abs() / used["actual"] * 100.0
    out = {"mape": float(ape.mean()), "groups": len(used)}
    out["inside_80"] = float(np.mean(used["inside_80"])) if "inside_80" in used else float("nan")
    return out
