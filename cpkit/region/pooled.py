"""The region's own figures, worked from the councils' returns pooled (never an average of their rates).

``pooled_figures`` reads every council's cleaned SSDA903 tables together as one region's returns and builds
the region's figures table with the kit's own code (``cpkit.figures.build_figures``), so a regional figure
follows the DfE's definition exactly as a council's does:

- **Children are told apart per council.** Two councils can use the same CHILD id, so each council's ids
  are prefixed with its slug (``"north:123"``) before pooling; a child known to two councils counts once
  in each, as in the DfE's own national figures (a child in the care of two councils in a year is in both
  councils' returns).
- **Rates are the region's.** The region's population aged 0-17 is the councils' sum (``region_config``),
  so a rate per 10,000 is the region's children over the region's population; with one council's
  population missing the region's rate is not given (with the reason), never worked from part of it.
- **Counts are the sum of the councils'** and **percentages come from summed numerators and
  denominators**: pooling the returns gives both by construction. Averages and medians (days, SDQ scores,
  miles) are worked over the pooled children, which no sum of the councils' figures could give.
- **Measures relative to each child's own council** (``COUNCIL_RELATIVE``: placed inside the council's
  boundary, outside it and over 20 miles, placed in the council's own provision) depend on which council
  looks after the child, which one pooled set of settings cannot say: their regional figure is the sum of
  the councils' own numerators over the sum of their denominators, from the councils' figures tables.
  Without those tables these measures are not given for the region, with the reason.
- **A figure a council's returns cannot give** (no Missing table, no OC2 rows, a look-back the returns
  do not reach) is not given for the region either: pooled, it would be the other councils' figure under
  the region's name. A council with no children to count adds nothing, and the region's figure stands.
- **Years**: only the years every council's returns cover (``cpkit.figures.report_years`` per council),
  so a regional figure is never short of a council whose returns begin later.

``council_futures`` and ``regional_forecast`` are the regional sufficiency forecast: each council's
simulated futures (``cpkit.forecast``) kept as plain arrays, summed simulation by simulation, so the
region's 80% and 95% ranges are the region's own and not a sum of the councils' ranges (which would
claim that every council has its worst year at once).

Everything here takes and returns small, picklable things (a ``Figures`` table, arrays of simulated
totals): the child-level tables stay in the task that read them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cpkit.config import Config, Period
from cpkit.errors import InputError
from cpkit.figures import Figures, build_figures, report_years
from cpkit.figures.build import judge
from cpkit.ssda903.model import Data903

# Measures whose figure depends on the child's own council (its boundary, its own provision): summed
# from the councils' figures tables, never worked from the pooled returns with one council's settings.
COUNCIL_RELATIVE = ("inhouse_pct", "placed_inside_pct", "placed_outside_over20_pct")
SEPARATOR = ":"

Returns = Data903 | str | Path


def _data(source: Returns) -> Data903:
    """A council's cleaned returns: given, or read back from its SSDA903 cache folder."""
    if isinstance(source, Data903):
        return source
    from cpkit.report.cache import read_903

    folder = Path(source)
    if not folder.is_dir():
        raise InputError(f"{folder}: the council's SSDA903 cache folder is not there (cpkit.report.cache)")
    return read_903(folder)


def pool_returns(councils: Mapping[str, Data903]) -> Data903:
    """One ``Data903`` of every council's tables, each CHILD prefixed ``<slug>:`` so ids stay unique."""
    if not councils:
        raise InputError("no council's returns to pool: the region needs at least one council")
    tables: dict[str, pd.DataFrame] = {}
    names = next(iter(councils.values())).tables.keys()
    for name in names:
        parts = []
        for slug, data in councils.items():
            frame = data.tables[name]
            if len(frame):
                frame = frame.copy()
                ids = [f"{slug}{SEPARATOR}{c}" for c in frame["CHILD"]]
                frame["CHILD"] = pd.Series(ids, index=frame.index, dtype=frame["CHILD"].dtype)
            parts.append(frame)
        filled = [p for p in parts if len(p)]
        tables[name] = pd.concat(filled, ignore_index=True) if filled else parts[0]
    return Data903(tables=tables)


def region_config(
    name: str,
    configs: Mapping[str, Config],
    *,
    code: str = "",
    small_number_threshold: int | None = None,
    suppression_symbol: str | None = None,
) -> Config:
    """The region's settings: its name and code; population the councils' sum (None if any lacks one);
    district codes every council's (the pooled location figures are replaced, see the module docstring);
    the small-number rule the region's, else the strictest of its councils'."""
    if not configs:
        raise InputError("no councils' settings: the region needs at least one council")
    pops = [c.population_0_17 for c in configs.values()]
    first = next(iter(configs.values()))
    threshold = small_number_threshold or max(c.small_number_threshold for c in configs.values())
    return dataclasses.replace(
        first,
        la_name=name,
        la_code=code,
        la_old_code="",
        region="",
        population_0_17=sum(pops) if all(pops) else None,  # type: ignore[arg-type]
        la_district_codes=sorted({d for c in configs.values() for d in c.la_district_codes}),
        small_number_threshold=threshold,
        suppression_symbol=suppression_symbol or f"<{threshold}",
        statistical_neighbours=[],
        targets={},
        source=None,
    )


def common_years(councils: Mapping[str, Data903], period: Period) -> list[int]:
    """The years every council's returns cover (the report year always)."""
    held = [set(report_years(d, period)) for d in councils.values()]
    return sorted(set.intersection(*held)) if held else [period.year]


def pooled_figures(
    returns: Mapping[str, Returns],
    configs: Mapping[str, Config],
    period: Period,
    name: str,
    *,
    code: str = "",
    council_figures: Mapping[str, Figures] | None = None,
    small_number_threshold: int | None = None,
    data_dir: str | Path | None = None,
) -> Figures:
    """The region's figures table from the councils' pooled returns (see the module docstring).

    ``returns``: slug -> the council's cleaned returns (``Data903``) or its SSDA903 cache folder
    (``cpkit.report.cache.save_903``); only the councils that were read (a failed council is left out, and
    ``meta["councils"]`` says which are in). ``configs``: slug -> the council's settings. ``council_figures``:
    slug -> the council's own figures table, for ``COUNCIL_RELATIVE`` measures and England's figures.
    ``data_dir``: a folder holding the DfE's files under ``benchmarks/`` for the region's own published
    figures (by ``code``); none by default (England's figure is taken from the councils' tables).
    """
    missing = sorted(set(returns) - set(configs))
    if missing:
        raise InputError(f"no settings for council(s) {', '.join(missing)}: each needs its Config")
    data = {slug: _data(src) for slug, src in returns.items()}
    config = region_config(
        name, {s: configs[s] for s in data}, code=code, small_number_threshold=small_number_threshold
    )
    pooled = pool_returns(data)
    years = common_years(data, period)
    folder = Path(data_dir) if data_dir is not None else Path("/nonexistent-cpkit-region-benchmarks")
    figures = build_figures(pooled, period, config, folder, years=years)
    frame = figures.frame
    notes = [n for n in figures.notes if data_dir is not None or "No DfE published figures" not in n]
    frame = _council_relative(frame, council_figures, list(data), notes)
    if council_figures:
        frame = _not_given_for_all(frame, council_figures, list(data))
    if council_figures:
        frame = _england_from_councils(frame, council_figures)
    frame = judge(frame, config)[frame.columns]
    meta = {
        **figures.meta,
        "notes": notes,
        "region": name,
        "la_code": code,
        "councils": list(data),
        "population_0_17": config.population_0_17,
        "small_number_threshold": config.small_number_threshold,
    }
    return Figures(frame.reset_index(drop=True), meta)


def _council_relative(
    frame: pd.DataFrame, council_figures: Mapping[str, Figures] | None, slugs: list[str], notes: list[str]
) -> pd.DataFrame:
    """Replace ``COUNCIL_RELATIVE`` rows by the sum of the councils' numerators over their denominators."""
    frame = frame.copy()
    relative = frame["measure"].isin(COUNCIL_RELATIVE)
    have = council_figures is not None and all(s in council_figures for s in slugs)
    for i in frame.index[relative]:
        m, y = frame.at[i, "measure"], int(frame.at[i, "year"])
        num = den = 0.0
        reason = ""
        if not have:
            reason = "worked from each council's own figure; the councils' figures tables were not given"
        else:
            for s in slugs:
                f = council_figures[s]  # type: ignore[index]
                if not f.has(m, y) or pd.isna(f.get(m, y)["value"]):
                    reason = f"not given for {s} in {y}, so not for the region"
                    break
                r = f.get(m, y)
                num += float(r["numerator"])
                den += float(r["denominator"])
        value = 100.0 * num / den if not reason and den else math.nan
        if not reason and not den:
            reason = "no children in the denominator"
        for col, v in (("value", value), ("numerator", num), ("denominator", den)):
            frame.at[i, col] = v if not reason else math.nan
            frame.at[i, f"dfe_{col}"] = v if not reason else math.nan
        frame.at[i, "reason"] = reason
    return frame


EMPTY_REASON = "no children in the denominator"  # a council with none adds nothing: the region's stands


def _not_given_for_all(
    frame: pd.DataFrame, council_figures: Mapping[str, Figures], slugs: list[str]
) -> pd.DataFrame:
    """The region's figure is not given where a council's own is not (its returns lack the table, or the
    history the measure looks back over), except for having no children to count: pooled, the region's
    figure would be the other councils' alone, or would count that council's children from a history cut
    short, under the region's name."""
    frame = frame.copy()
    tables = {
        s: council_figures[s].frame.set_index(["measure", "year"]) for s in slugs if s in council_figures
    }
    for i in frame.index:
        if pd.isna(frame.at[i, "value"]):
            continue
        key = (frame.at[i, "measure"], int(frame.at[i, "year"]))
        for s, table in tables.items():
            if key not in table.index:
                continue
            own = table.loc[key]
            own = own.iloc[0] if isinstance(own, pd.DataFrame) else own
            reason = str(own["reason"] or "")
            if pd.isna(own["value"]) and reason != EMPTY_REASON:
                for col in (
                    "value",
                    "numerator",
                    "denominator",
                    "dfe_value",
                    "dfe_numerator",
                    "dfe_denominator",
                ):
                    frame.at[i, col] = math.nan
                frame.at[i, "reason"] = f"not given for {s} ({reason}), so not for the region"
                break
    return frame


def _england_from_councils(frame: pd.DataFrame, council_figures: Mapping[str, Figures]) -> pd.DataFrame:
    """England's published figure and its year beside the region's rows, from the councils' tables (the
    same DfE files give every council the same England figure)."""
    frame = frame.copy()
    for f in council_figures.values():
        table = f.frame.set_index(["measure", "year"])
        for col in ("england", "published_year"):
            known = [
                table[col].get((m, y), math.nan) for m, y in zip(frame["measure"], frame["year"], strict=True)
            ]
            frame[col] = frame[col].where(
                frame[col].notna(), pd.Series(known, index=frame.index, dtype=float)
            )
    return frame


# --- The regional sufficiency forecast ------------------------------------------------------------------


@dataclass(frozen=True)
class Futures:
    """One council's (or the region's) simulated futures: children in care per placement group.

    ``sims``: int32 [simulation, month, group], months ``months`` (month ends after ``as_of``), groups
    ``groups`` (``cpkit.forecast.history.GROUPS``); ``now``: children in care per group at ``as_of``;
    ``councils``: whose futures these are (one slug, or every council summed).
    """

    as_of: pd.Timestamp
    months: tuple[pd.Timestamp, ...]
    groups: tuple[str, ...]
    now: tuple[int, ...]
    sims: np.ndarray
    councils: tuple[str, ...] = ()

    def totals(self) -> np.ndarray:
        """Children in care in all placements [simulation, month]."""
        return self.sims.sum(axis=2)


def council_seed(seed: int, key: str) -> np.random.SeedSequence:
    """The council's own random stream: the forecast's ``seed`` with the council's key, so two councils'
    futures are independent (one seed for all would give every council the same draws) and a rerun
    gives the same futures."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    return np.random.SeedSequence([int(seed), digest])


def council_futures(
    data: Returns,
    period: Period,
    config: Config,
    *,
    key: str | None = None,
    simulations: int | None = None,
    horizon_months: int | None = None,
) -> Futures | None:
    """The council's simulated futures from the end of ``period`` (the baseline, no scenario), or None
    when its returns cover less than the year the forecast needs (``cpkit.sections.sufficiency``).

    The model, window and settings are the council's own (``config.forecast``); ``simulations`` and
    ``horizon_months`` may be set by the region so that every council's futures can be summed. ``key``
    (default the council's code, else its name) seeds the council's own stream (``council_seed``).
    """
    from cpkit.forecast.history import GROUPS
    from cpkit.forecast.project import simulated_futures
    from cpkit.sections.sufficiency import MIN_HISTORY_MONTHS

    data = _data(data)
    settings = config.forecast
    changes = {}
    if simulations is not None:
        changes["simulations"] = int(simulations)
    if horizon_months is not None:
        changes["horizon_months"] = int(horizon_months)
    settings = dataclasses.replace(settings, scenarios=(), **changes)
    end = period.end_ts
    from cpkit.forecast.project import data_start

    start = data_start(data)
    known_from = start if start is not None else data.episodes["DECOM"].min()
    if pd.isna(known_from) or (end - known_from).days < MIN_HISTORY_MONTHS * 30:
        return None
    rng = np.random.default_rng(council_seed(settings.seed, key or config.la_code or config.la_name))
    months, now, sims = simulated_futures(data, end, settings, rng)
    return Futures(
        as_of=end,
        months=tuple(months),
        groups=tuple(GROUPS),
        now=tuple(int(n) for n in now),
        sims=sims.sum(axis=3).astype(np.int32),
        councils=(key or config.la_code or config.la_name,),
    )


def regional_futures(futures: Mapping[str, Futures]) -> Futures:
    """The councils' futures summed simulation by simulation (simulation s of the region is simulation s
    of every council added up), so the region's range is its own. Every council's futures must share the
    start, months and number of simulations (``council_futures``' ``simulations``, ``horizon_months``)."""
    if not futures:
        raise InputError("no council's forecast to sum")
    items = list(futures.items())
    first = items[0][1]
    for slug, f in items[1:]:
        if f.as_of != first.as_of or f.months != first.months or f.sims.shape != first.sims.shape:
            raise InputError(
                f"{slug}'s forecast starts {f.as_of.date()} with {f.sims.shape[0]} simulations over "
                f"{len(f.months)} months, {items[0][0]}'s {first.as_of.date()} with {first.sims.shape[0]} "
                f"over {len(first.months)}: give every council the region's simulations and horizon"
            )
    sims = np.sum([f.sims.astype(np.int64) for _, f in items], axis=0)
    now = np.sum([np.asarray(f.now, dtype=np.int64) for _, f in items], axis=0)
    return Futures(
        as_of=first.as_of,
        months=first.months,
        groups=first.groups,
        now=tuple(int(n) for n in now),
        sims=sims,
        councils=tuple(slug for slug, _ in items),
    )


def regional_forecast(futures: Mapping[str, Futures | None]) -> Futures | str:
    """The region's futures from every council's (``council_futures``), or the reason there are none: a
    council without a forecast (returns shorter than a year) would leave its children out of the
    region's, which would then look smaller than it is."""
    short = [slug for slug, f in futures.items() if f is None]
    if short:
        return (
            f"the returns of {', '.join(short)} cover less than the year a forecast needs, so a regional "
            "forecast would leave their children out"
        )
    if not futures:
        return "no council's forecast"
    return regional_futures({s: f for s, f in futures.items() if f is not None})


def forecast_table(futures: Futures) -> pd.DataFrame:
    """Per placement group and all placements, each month: mean, median and the 80% and 95% ranges of the
    simulated futures (columns month_end, placement_group, mean, lo95, lo80, median, hi80, hi95)."""
    from cpkit.forecast.model import QUANTILE_COLUMNS, QUANTILES
    from cpkit.forecast.project import ALL_PLACEMENTS

    rows = []
    views = [(g, futures.sims[:, :, i]) for i, g in enumerate(futures.groups)]
    views.append((ALL_PLACEMENTS, futures.totals()))
    for group, sims in views:
        q = np.quantile(sims, QUANTILES, axis=0)  # [quantile, month]
        mean = sims.mean(axis=0)
        for m, month in enumerate(futures.months):
            row = {"month_end": month, "placement_group": group, "mean": float(mean[m])}
            row.update({c: float(q[k, m]) for k, c in enumerate(QUANTILE_COLUMNS)})
            rows.append(row)
    return pd.DataFrame(rows)
