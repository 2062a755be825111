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
- **Checked against the councils' own figures** (``_reconcile``, when their tables are given, as the
  task graph gives them): every measure is a numerator over a denominator, so the region's must be the
  councils' sums. Where the pooled returns give otherwise (a council's own settings, such as counting
  temporary moves as placements, which one set of settings for the region cannot follow) the sum is
  used and the measure listed in ``meta["summed"]`` (and logged), so the region's children in care is
  always the sum of the councils' and each percentage their numerators over their denominators.
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
import logging
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
from cpkit.publish.audit import EXACT, INTERVAL
from cpkit.ssda903.model import Data903

# Measures whose figure depends on the child's own council (its boundary, its own provision): summed
# from the councils' figures tables, never worked from the pooled returns with one council's settings.
COUNCIL_RELATIVE = ("inhouse_pct", "placed_inside_pct", "placed_outside_over20_pct")
SEPARATOR = ":"

Returns = Data903 | str | Path
log = logging.getLogger(__name__)


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
    the small-number rule the region's, else the strictest of its councils' (the highest threshold, and
    the ``interval`` disclosure test if any council keeps it)."""
    if not configs:
        raise InputError("no councils' settings: the region needs at least one council")
    pops = [c.population_0_17 for c in configs.values()]
    first = next(iter(configs.values()))
    threshold = small_number_threshold or max(c.small_number_threshold for c in configs.values())
    tests = {c.disclosure_test for c in configs.values()}
    test = INTERVAL if INTERVAL in tests else EXACT
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
        disclosure_test=test,
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
    frame, summed = _reconcile(frame, council_figures, list(data), notes)
    frame = judge(frame, config)[frame.columns]
    meta = {
        **figures.meta,
        "notes": notes,
        "region": name,
        "la_code": code,
        "councils": list(data),
        "summed": summed,
        "parts": _parts(council_figures, list(data), period.year),
        "population_0_17": config.population_0_17,
        "small_number_threshold": config.small_number_threshold,
        "disclosure_test": config.disclosure_test,
    }
    return Figures(frame.reset_index(drop=True), meta)


EMPTY_REASON = "no children in the denominator"  # a council with none adds nothing: the region's stands


def _value(unit: str, numerator: float, denominator: float) -> float:
    """A figure from its numerator and denominator, as ``cpkit.care.indicators`` makes it."""
    if unit == "number":
        return numerator
    if not denominator:
        return math.nan
    scale = {"percent": 100.0, "rate_per_10k": 10_000.0}.get(unit, 1.0)
    return scale * numerator / denominator


def _differs(a: object, b: float) -> bool:
    if pd.isna(a) and pd.isna(b):  # type: ignore[arg-type]
        return False
    return pd.isna(a) or pd.isna(b) or abs(float(a) - b) > 1e-6  # type: ignore[arg-type]


def _reconcile(
    frame: pd.DataFrame, council_figures: Mapping[str, Figures] | None, slugs: list[str], notes: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Check the pooled figures against the councils' own, row by row (every measure is a numerator over
    a denominator, so the region's must be their sums):

    - a figure a council's returns cannot give (not for want of children) is not given for the region;
    - ``COUNCIL_RELATIVE`` figures are the councils' sums (without the councils' tables, not given);
    - any other figure the pooled returns give differently from the sums (a council's own settings, such
      as counting same-carer changes as moves, that one set of settings for the region cannot follow) is
      the councils' sum, and listed (returned, and logged): the region's children in care is always the
      sum of the councils', its percentages always their numerators over their denominators.

    England's published figure is set beside each row from the councils' tables (the same DfE files)."""
    frame = frame.copy()
    have = council_figures is not None and all(s in council_figures for s in slugs)
    rows = (
        {
            s: {(str(r["measure"]), int(r["year"])): r for r in council_figures[s].frame.to_dict("records")}  # type: ignore[index]
            for s in slugs
        }
        if have
        else {}
    )
    summed: list[str] = []
    for i in frame.index:
        m, y, unit = str(frame.at[i, "measure"]), int(frame.at[i, "year"]), str(frame.at[i, "unit"])
        if not have:
            if m in COUNCIL_RELATIVE:
                _set(
                    frame,
                    i,
                    math.nan,
                    math.nan,
                    math.nan,
                    "worked from each council's own figure; the councils' figures tables were not given",
                )
            continue
        own = {s: rows[s].get((m, y)) for s in slugs}
        gap = next(
            (
                (s, "" if r is None else str(r["reason"] or ""))
                for s, r in own.items()
                if r is None or (pd.isna(r["value"]) and str(r["reason"] or "") != EMPTY_REASON)
            ),
            None,
        )
        if gap is not None:
            why = f" ({gap[1]})" if gap[1] else ""
            _set(
                frame, i, math.nan, math.nan, math.nan, f"not given for {gap[0]}{why}, so not for the region"
            )
            continue
        num = sum(0.0 if pd.isna(r["numerator"]) else float(r["numerator"]) for r in own.values())  # type: ignore[index]
        den = (
            math.nan
            if unit == "number"
            else sum(0.0 if pd.isna(r["denominator"]) else float(r["denominator"]) for r in own.values())  # type: ignore[index]
        )
        value = _value(unit, num, den)
        pooled_differs = _differs(frame.at[i, "numerator"], num) or (
            unit != "number" and _differs(frame.at[i, "denominator"], den)
        )
        if m in COUNCIL_RELATIVE or pooled_differs:
            _set(frame, i, value, num, den, "" if not math.isnan(value) else EMPTY_REASON)
            # the DfE year's figure beside the row (a calendar year's is the year to March): the same sum
            dfe_num = sum(
                0.0 if pd.isna(r["dfe_numerator"]) else float(r["dfe_numerator"]) for r in own.values()
            )  # type: ignore[index]
            dfe_den = (
                math.nan
                if unit == "number"
                else sum(
                    0.0 if pd.isna(r["dfe_denominator"]) else float(r["dfe_denominator"])
                    for r in own.values()
                )  # type: ignore[index]
            )
            known = all(not pd.isna(r["dfe_value"]) or not pd.isna(r["dfe_numerator"]) for r in own.values())  # type: ignore[index]
            for col, v in (
                ("dfe_value", _value(unit, dfe_num, dfe_den)),
                ("dfe_numerator", dfe_num),
                ("dfe_denominator", dfe_den),
            ):
                frame.at[i, col] = v if known else math.nan
            if m not in COUNCIL_RELATIVE:
                summed.append(f"{m} {y}")
        england = next((r["england"] for r in own.values() if not pd.isna(r["england"])), math.nan)  # type: ignore[index]
        year = next((r["published_year"] for r in own.values() if not pd.isna(r["published_year"])), math.nan)  # type: ignore[index]
        if pd.isna(frame.at[i, "england"]):
            frame.at[i, "england"] = england
            frame.at[i, "published_year"] = year
    if summed:
        log.warning(
            "the pooled returns and the councils' own figures differ; the councils' sums are used: %s", summed
        )
        notes.append(
            "Where the councils' own settings give their figures differently from one set of settings for "
            f"the region, the region's figure is the sum of the councils' own ({len(summed)} figures)."
        )
    return frame, summed


def _parts(
    council_figures: Mapping[str, Figures] | None, slugs: list[str], year: int
) -> dict[str, dict[str, list[float]]]:
    """Each council's numerator and denominator per measure for the report year: the parts of the region's
    figures, for the regional comparison's disclosure ledger (a council read but not shown is still a part
    of the region's total, and must not be given back by it). Empty without the councils' tables."""
    if not council_figures:
        return {}
    out: dict[str, dict[str, list[float]]] = {}
    for s in slugs:
        if s not in council_figures:
            continue
        f = council_figures[s].frame
        rows = f[f["year"] == year]
        out[s] = {
            str(m): [float(n), float(d)]
            for m, n, d in zip(rows["measure"], rows["numerator"], rows["denominator"], strict=True)
        }
    return out


def _set(frame: pd.DataFrame, i: object, value: float, num: float, den: float, reason: str) -> None:
    """One row's own figure (and, for the DfE year, the same), with its reason."""
    for col, v in (("value", value), ("numerator", num), ("denominator", den)):
        frame.at[i, col] = v
        frame.at[i, f"dfe_{col}"] = v
    frame.at[i, "reason"] = reason


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


def regional_forecast(futures: Mapping[str, Futures | str | None]) -> Futures | str:
    """The region's futures from every council's (``council_futures``), or the reason there are none: a
    council without a forecast (``None``: returns shorter than a year; or the reason its futures could not
    be drawn) would leave its children out of the region's, which would then look smaller than it is."""
    short = [slug for slug, f in futures.items() if f is None]
    failed = {slug: f for slug, f in futures.items() if isinstance(f, str)}
    if failed:
        slug, why = next(iter(failed.items()))
        return f"{slug}'s forecast could not be made ({why}), so a regional forecast would leave its children out"
    if short:
        return (
            f"the returns of {', '.join(short)} cover less than the year a forecast needs, so a regional "
            "forecast would leave their children out"
        )
    if not futures:
        return "no council's forecast"
    return regional_futures({s: f for s, f in futures.items() if isinstance(f, Futures)})


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
