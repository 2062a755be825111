"""All headline care measures for a period in one tidy table; ids and metadata from the measure registry.

One row per measure in ``cpkit.measures.registry()`` (``cpkit/measures.yaml``). Each measure is computed
by exactly one *step* below, registered with ``@step("id", ...)``: a step computes the measures that share
a cohort (the OC2 cohort's health figures, the placement mix...) and returns one ``Headline`` per id it
declares. Adding a measure is one registry entry plus one step (or one more id in an existing step);
``tests/care/test_indicators.py`` checks that every registry id has exactly one step.

A measure the data cannot support (a table it needs is absent, no OC2 rows for the year, no postcodes...)
keeps its row with value NaN and the reason, so a scorecard never silently loses a line. A table whose file
was read but held no rows (no UASC children, no missing incidents) is present: its measures are zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cpkit.care.adoption import adoption_timings, three_year_window
from cpkit.care.codes import EXIT_REC, PLACEMENT_GROUP_IDS
from cpkit.care.common import Headline, pct, rows_for_year
from cpkit.care.episodes import cla_on, in_care_on
from cpkit.care.flows import children_ceased, children_started
from cpkit.care.health import health_outcomes
from cpkit.care.history import before_returns_reason, coverage_start, window_reason
from cpkit.care.leavers import leaver_outcomes
from cpkit.care.location import FAR, headline_location, new_placement_distances, returns_lookup
from cpkit.care.missing import missing_summary
from cpkit.care.placements import inhouse_share, placement_mix
from cpkit.care.stability import long_term_stability, three_plus_placements
from cpkit.care.stock import uasc_flags
from cpkit.config import Config, Period
from cpkit.errors import InputError
from cpkit.measures import THEMES, Measure, registry
from cpkit.present.disclosure import Rule
from cpkit.ssda903.model import Data903
from cpkit.ssda903.tables import DFE_NAMES

COLUMNS = [
    "indicator",
    "label",
    "theme",
    "period",
    "value",
    "numerator",
    "denominator",
    "unit",
    "polarity",
    "definition",
    "reason",
    "short_label",
    "decimals",
]
__all__ = ["COLUMNS", "STEPS", "THEMES", "Inputs", "indicators", "load_measures", "step", "write_indicators"]


@dataclass(frozen=True)
class Inputs:
    """What every step may use: the data, the collection year, the period and the settings."""

    data: Data903
    year: int
    period: Period
    config: Config
    lookup: pd.DataFrame | None


StepFunction = Callable[[Inputs], list[Headline]]
STEPS: list[tuple[tuple[str, ...], StepFunction]] = []


def step(*ids: str) -> Callable[[StepFunction], StepFunction]:
    """Register a function as the one that computes the measures ``ids`` (one ``Headline`` per id)."""

    def register(fn: StepFunction) -> StepFunction:
        STEPS.append((ids, fn))
        return fn

    return register


def load_measures() -> pd.DataFrame:
    """The measure registry (``cpkit.measures.registry``) as a table, one row per measure in report order.

    Columns: indicator, theme, label, short_label, unit, decimals, polarity, lait, definition, source,
    tables (comma separated).
    """
    rows = [
        {
            "indicator": m.id,
            "theme": m.theme,
            "label": m.label,
            "short_label": m.short_label,
            "unit": m.unit,
            "decimals": m.decimals,
            "polarity": m.polarity,
            "lait": m.lait,
            "definition": m.definition,
            "source": m.source,
            "tables": ",".join(m.tables),
        }
        for m in registry()
    ]
    return pd.DataFrame(rows)


def _share(key: str, fig: dict[str, float], reason: str = "") -> Headline:
    unknown = int(fig.get("unknown_history", 0))
    return Headline(
        key, fig["pct"], fig["numerator"], fig["denominator"], reason=reason, unknown_history=unknown
    )


def _rate(key: str, count: int, population: int | None) -> Headline:
    if not population:
        return Headline(key, math.nan, count, math.nan, reason="config.population_0_17 is not set")
    return Headline(key, count * 10_000 / population, count, population)


# ---- children in care ------------------------------------------------------------------------------------
@step(
    "cla_at_end",
    "cla_rate_10k",
    "cla_started",
    "cla_started_rate_10k",
    "cla_ceased",
    "cla_ceased_rate_10k",
)
def _stock_and_flows(i: Inputs) -> list[Headline]:
    n = cla_on(i.data, i.period.end)
    started = len(children_started(i.data, i.period.start, i.period.end))
    ceased = len(children_ceased(i.data, i.period.start, i.period.end))
    pop = i.config.population_0_17
    return [
        Headline("cla_at_end", n, n),
        _rate("cla_rate_10k", n, pop),
        Headline("cla_started", started, started),
        _rate("cla_started_rate_10k", started, pop),
        Headline("cla_ceased", ceased, ceased),
        _rate("cla_ceased_rate_10k", ceased, pop),
    ]


@step("uasc_at_end", "uasc_pct")
def _uasc(i: Inputs) -> list[Headline]:
    on = in_care_on(i.data, i.period.end)
    uasc = int(uasc_flags(i.data, on["CHILD"], i.period.end).sum())
    return [Headline("uasc_at_end", uasc, uasc), Headline("uasc_pct", pct(uasc, len(on)), uasc, len(on))]


# ---- placements -------------------------------------------------------------------------------------------
@step(*PLACEMENT_GROUP_IDS.values())
def _placement_groups(i: Inputs) -> list[Headline]:
    mix = placement_mix(i.data, i.period.end).set_index("placement_group")
    n = int(mix["children"].sum())
    return [
        Headline(key, mix.loc[group, "pct"] if n else math.nan, mix.loc[group, "children"], n)
        for group, key in PLACEMENT_GROUP_IDS.items()
    ]


@step("inhouse_pct")
def _inhouse(i: Inputs) -> list[Headline]:
    inh = inhouse_share(i.data, i.period.end, i.config).iloc[0]
    return [Headline("inhouse_pct", inh["pct"], inh["inhouse"], inh["children"])]


@step("placements_3plus_pct", "long_term_stability_pct")
def _stability(i: Inputs) -> list[Headline]:
    return [
        _share("placements_3plus_pct", three_plus_placements(i.data, i.period.start, i.period.end, i.config)),
        _share("long_term_stability_pct", long_term_stability(i.data, i.period.end)),
    ]


@step("placed_inside_pct", "placed_outside_over20_pct", "new_placements_over20_pct")
def _location(i: Inputs) -> list[Headline]:
    keys = ("placed_inside_pct", "placed_outside_over20_pct", "new_placements_over20_pct")
    eps = i.data.episodes
    if eps["HOME_POST"].isna().all() and eps["PL_POST"].isna().all():
        return [Headline(k, math.nan, reason="no home or placement postcodes in Episodes") for k in keys]
    lookup = i.lookup
    try:
        if lookup is None:
            lookup = returns_lookup(i.data)
        figs = headline_location(i.data, i.period.end, i.config, lookup)
        new = new_placement_distances(i.data, i.period.start, i.period.end, i.config, lookup)
    except (ImportError, OSError) as exc:  # the postcode directory could not be read
        return [Headline(k, math.nan, reason=f"postcode directory unavailable: {exc}") for k in keys]
    far = int((new["band"] == FAR).sum())
    return [
        _share(keys[0], figs[keys[0]]),
        _share(keys[1], figs[keys[1]]),
        Headline(keys[2], pct(far, len(new)), far, len(new)),
    ]


@step("missing_pct")
def _missing(i: Inputs) -> list[Headline]:
    return [_share("missing_pct", missing_summary(i.data, i.period.start, i.period.end)["missing_pct"])]


# ---- health and care leavers (the collection year's OC2 / OC3 rows) ------------------------------------
_HEALTH = (
    "health_assessment_pct",
    "teeth_check_pct",
    "immunisations_pct",
    "health_surveillance_pct",
    "sdq_received_pct",
    "sdq_average",
    "sdq_normal_pct",
    "sdq_borderline_pct",
    "sdq_concern_pct",
    "convicted_pct",
    "substance_misuse_pct",
)
_LEAVERS = (
    "leavers_in_touch_17_18_pct",
    "leavers_in_touch_19_21_pct",
    "leavers_suitable_accom_17_18_pct",
    "leavers_suitable_accom_19_21_pct",
    "leavers_eet_17_18_pct",
    "leavers_eet_19_21_pct",
    "leavers_higher_education_19_21_pct",
    "leavers_neet_17_18_pct",
    "leavers_neet_19_21_pct",
    "leavers_staying_put_18_pct",
    "leavers_staying_put_19_20_pct",
)


@step(*_HEALTH)
def _health(i: Inputs) -> list[Headline]:
    if rows_for_year(i.data.oc2, i.year).empty:
        return [Headline(k, math.nan, reason=f"no OC2 rows for return year {i.year}") for k in _HEALTH]
    figs = health_outcomes(i.data, i.year)
    return [_share(k, figs[k]) for k in _HEALTH]


@step(*_LEAVERS)
def _leavers(i: Inputs) -> list[Headline]:
    if rows_for_year(i.data.oc3, i.year).empty:
        return [Headline(k, math.nan, reason=f"no OC3 rows for return year {i.year}") for k in _LEAVERS]
    figs = leaver_outcomes(i.data, i.year)
    return [_share(k, figs[k]) for k in _LEAVERS]


# ---- exits and adoption -----------------------------------------------------------------------------------
@step("adopted", "ceased_adopted_pct", "ceased_sgo_pct", "ceased_returned_home_pct")
def _exits(i: Inputs) -> list[Headline]:
    """Exits by destination, of children ceasing in the period (each by their last exit)."""
    ceased = children_ceased(i.data, i.period.start, i.period.end)
    n = len(ceased)
    adopted = int(ceased["reason_group"].eq("Adopted").sum())
    out = [Headline("adopted", adopted, adopted), Headline("ceased_adopted_pct", pct(adopted, n), adopted, n)]
    for key in ("ceased_sgo_pct", "ceased_returned_home_pct"):
        k = int(ceased["end_reason"].isin(EXIT_REC[key]).sum())
        out.append(Headline(key, pct(k, n), k, n))
    return out


@step("adoption_a1_days", "adoption_a10_days", "adoption_a2_days")
def _adoption_timings(i: Inputs) -> list[Headline]:
    start3, end3 = three_year_window(i.period.end)
    out = []
    for key, fig in adoption_timings(i.data, start3, end3).items():
        reason = "" if fig["denominator"] else "no adoptions with the dates needed in the three years"
        out.append(_share(key, fig, reason))
    return out


# ---- the table --------------------------------------------------------------------------------------------
def _present(data: Data903, table: str) -> bool:
    """The table has rows, or the reader found its file with no rows (a council with no UASC children
    sends an empty UASC table: that is a zero, not a gap)."""
    if data.has(table):
        return True
    found = data.sources["table"].dropna() if "table" in data.sources else pd.Series(dtype=object)
    return DFE_NAMES[table] in set(found)


def _missing_tables(data: Data903, tables: tuple[str, ...]) -> list[str]:
    # Header is only descriptive (DOB for ages): measures run without it and say so through their values.
    return [DFE_NAMES[t] for t in tables if t != "header" and not _present(data, t)]


def _history_checked(h: Headline, m: Measure, i: Inputs, first_day) -> Headline:
    """``h``, or NaN with the reason when the returns cannot give the measure's look-back (the rule in
    ``cpkit.measures``): the window it counts starts before the first return, or a child it counts needs
    a date from before it that the data does not hold."""
    if m.lookback is None or first_day is None:
        return h
    window = pd.Timestamp(m.lookback.window_start(i.period.end))
    if m.lookback.months and window < first_day:  # even "no adoptions": there may have been, before
        return Headline(m.id, math.nan, reason=window_reason(first_day, window, m.lookback.months))
    if h.unknown_history and not math.isnan(float(h.value)):
        reason = before_returns_reason(first_day, Rule.of(i.config).words(h.unknown_history))
        return Headline(m.id, math.nan, reason=reason)
    return h


def indicators(
    data: Data903,
    year: int,
    period: str = "financial",
    config: Config | None = None,
    postcode_lookup: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every headline care measure for ``year`` as one tidy table (columns ``COLUMNS``), registry order.

    Stock figures are at the end of the period (31 March, or 31 December for ``calendar``); flows and
    stability cover the period; health (OC2) and care leavers (OC3) use the return for collection year
    ``year`` (the year ending 31 March ``year``) whatever the period kind, as the DfE collects them; the
    adoption timings are three-year averages to the period end. ``postcode_lookup`` replaces the ONS
    postcode directory (see ``cpkit.care.location``). A measure whose tables (registry ``tables``) are not
    in the data is NaN with the reason, without running its step.
    """
    config = config or Config()
    inputs = Inputs(data, year, Period.from_year(year, period), config, postcode_lookup)
    measures = {m.id: m for m in registry()}
    results: dict[str, Headline] = {}
    for ids, fn in STEPS:
        absent = {k: _missing_tables(data, measures[k].tables) for k in ids if k in measures}
        if any(not tables for tables in absent.values()):  # the step can give at least one of its measures
            results.update({h.indicator: h for h in fn(inputs)})
        for k, tables in absent.items():
            if tables:
                reason = f"no {', '.join(tables)} table in the data"
                results[k] = Headline(k, math.nan, reason=reason)
    first_day = coverage_start(data)
    rows = []
    for m in measures.values():
        h = results.get(m.id) or Headline(m.id, math.nan, reason="not computed by cpkit.care")
        h = _history_checked(h, m, inputs, first_day)
        value = float(h.value)
        reason = h.reason or ("" if not math.isnan(value) else "no children in the denominator")
        rows.append(
            {
                "indicator": m.id,
                "label": m.label,
                "theme": m.theme,
                "period": inputs.period.label,
                "value": value,
                "numerator": float(h.numerator),
                "denominator": float(h.denominator),
                "unit": m.unit,
                "polarity": m.polarity,
                "definition": m.definition,
                "reason": reason,
                "short_label": m.short_label,
                "decimals": m.decimals,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def write_indicators(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the indicators table to .csv or .xlsx (chosen by the file's suffix)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix.lower() == ".xlsx":
        df.to_excel(path, index=False, sheet_name="indicators")
    else:
        raise InputError(f"{path}: write .csv or .xlsx")
    return path
