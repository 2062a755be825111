"""The sufficiency forecast from a council's stacked returns: tidy tables, no drawing.

``forecast(data, as_of, settings)`` fits the model (``cpkit.forecast.model``) on the ``window_years`` before
``as_of`` and projects children in care at each month end for ``horizon_months``, by placement group and
age band, for the baseline and each scenario in the settings. Everything returned is a tidy table a section
can publish (after suppression) or a workbook can hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from cpkit.care.episodes import DateLike, as_timestamp
from cpkit.forecast import model
from cpkit.forecast.history import BAND_OF_AGE, BANDS, GROUPS, StateHistory, state_history
from cpkit.forecast.settings import ForecastSettings, Scenario
from cpkit.ssda903.model import Data903

BASELINE = "Baseline"
ALL_AGES = "All ages"
ALL_PLACEMENTS = "All placements"
EXTERNAL_HOMES = "Secure and children's homes places from other providers"


@dataclass
class Forecast:
    """A forecast and what it was made from.

    ``projection``: scenario, month_end, placement_group, age_band, central, expected, lo95, lo80, median,
    hi80, hi95 (group totals have age_band "All ages"; the grand total is "All placements"). ``central`` is
    the figure the report publishes: the median of the simulated futures (half are above it, half below),
    the point forecast that the back test's mean absolute percentage error is smallest for, and one a
    manager reads as the likeliest number. ``expected`` is the exact mean under the estimated rates; it runs
    above the median for small groups, whose futures are skewed (a group of 4 cannot fall by more than 4
    but can rise by more). Medians are worked out for each row, so a table's groups need not add up to its
    total's. ``history``: month_end,
    placement_group, children over the fitting window. ``rates`` and ``entries``: the estimated monthly
    transition rates and entries (``cpkit.forecast.model``). ``notes``: the window used and how many
    children each data rule touched (lost by a later return, no date of birth, in care past 18).
    """

    as_of: pd.Timestamp
    settings: ForecastSettings
    projection: pd.DataFrame
    history: pd.DataFrame
    rates: pd.DataFrame
    entries: pd.DataFrame
    notes: dict[str, object] = field(default_factory=dict)

    def at(self, month_end: DateLike, scenario: str = BASELINE) -> pd.DataFrame:
        """Group totals at one month end: placement_group, central and the interval columns."""
        p = self.projection
        day = as_timestamp(month_end)
        rows = p[(p["scenario"] == scenario) & (p["month_end"] == day) & (p["age_band"] == ALL_AGES)]
        return rows.drop(columns=["scenario", "month_end", "age_band"]).reset_index(drop=True)

    def now(self) -> pd.Series:
        """Children in care at ``as_of`` per placement group (and All placements)."""
        h = self.history[self.history["month_end"] == self.as_of].set_index("placement_group")["children"]
        return h


def data_start(data: Data903) -> pd.Timestamp | None:
    """The first day the stacked returns cover (1 April before the earliest return's 31 March), if known."""
    ry = data.episodes["return_year"].dropna()
    if ry.empty:
        return None
    return pd.Timestamp(int(ry.min()) - 1, 4, 1)


def forecast(
    data: Data903,
    as_of: DateLike,
    settings: ForecastSettings | None = None,
    inhouse_homes: int = 0,
) -> Forecast:
    """Project children in care by placement group and age band from ``as_of`` (a month end).

    ``inhouse_homes``: children in the council's own secure or children's homes at ``as_of``; with a
    scenario's new home it gives the line of places the council would still buy from other providers.
    """
    settings = settings or ForecastSettings()
    end = as_timestamp(as_of)
    history, w0, fitted, start_age, start_group, start_clock, months = _fit(data, end, settings)
    edges = settings.duration_edges

    matrix = model.transition_matrix(fitted)
    lam, dist = model.entry_profile(fitted)
    rng = np.random.default_rng(settings.seed)
    frames = []
    runs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    homes_now = float((start_group == model.HOMES).sum())
    for scenario in (Scenario(BASELINE), *settings.scenarios):
        if scenario.name == BASELINE or scenario.step_downs_per_year or scenario.entries_change:
            mat = model.adjust(matrix, scenario.step_downs_per_year, homes_now)
            lam_s = lam * (1 + scenario.entries_change)
            central = model.expected_path(
                start_age, start_group, start_clock, mat, edges, lam_s, dist, len(months)
            )
            sims = model.simulate(
                start_age,
                start_group,
                start_clock,
                fitted,
                len(months),
                settings.simulations,
                rng,
                scenario.entries_change,
                scenario.step_downs_per_year,
            )
            runs[scenario.name] = (central, sims)
        else:  # a new home alone changes who provides the places, not how many children need one
            central, sims = runs[BASELINE]
        frames.append(_tidy(scenario.name, months, central, sims))
        if scenario.new_home_beds:
            frames.append(_external_homes(scenario.name, months, central, sims, inhouse_homes, scenario))
    if any(s.new_home_beds for s in settings.scenarios):
        frames.insert(1, _external_homes(BASELINE, months, *runs[BASELINE], inhouse_homes, None))
    projection = pd.concat(frames, ignore_index=True)
    return Forecast(
        as_of=end,
        settings=settings,
        projection=projection,
        history=_history_table(history, w0),
        rates=model.rates_table(fitted),
        entries=model.entries_table(fitted),
        notes={
            "window_start": history.months[w0],
            "window_months": fitted.months,
            "children_in_window": int((history.state[:, w0:] >= 0).any(axis=1).sum()),
            "entries_per_month": lam,
            **history.counts,
        },
    )


def _fit(
    data: Data903, end: pd.Timestamp, settings: ForecastSettings
) -> tuple[StateHistory, int, model.Fitted, np.ndarray, np.ndarray, np.ndarray, pd.DatetimeIndex]:
    """The state history, the fitted window, the children in care at ``end`` (age, group, months in the
    group) and the month ends ahead: what ``forecast`` and ``simulated_futures`` start from."""
    if end != end + pd.offsets.MonthEnd(0):
        raise ValueError(f"the forecast starts at a month end, not {end.date()}")
    first = end - pd.DateOffset(years=settings.window_years)
    start = data_start(data)
    if start is not None and start > first:
        first = start + pd.offsets.MonthEnd(0) if start.day != 1 else start - pd.Timedelta(days=1)
    # The history starts a lead-in before the window so that every child's months in their placement
    # group are known up to the longest class; only the window's month pairs are counted.
    edges = settings.duration_edges
    lead_in = first - pd.DateOffset(months=edges[-1] if edges else 0) + pd.offsets.MonthEnd(0)
    history = state_history(data, lead_in, end)
    w0 = int(history.months.get_loc(first))
    fitted = model.fit(
        history,
        first_pair=w0,
        prior_months=settings.prior_months,
        edges=edges,
        entries_months=settings.entries_months,
    )
    now = history.state[:, -1] >= 0
    start_age = history.age[now, -1].astype(np.int64)
    start_group = history.state[now, -1].astype(np.int64)
    start_clock = history.months_in_group()[now, -1].astype(np.int64)
    months = pd.date_range(end + pd.offsets.MonthEnd(1), periods=settings.horizon_months, freq="ME").as_unit(
        "ns"
    )
    return history, w0, fitted, start_age, start_group, start_clock, months


def simulated_futures(
    data: Data903, as_of: DateLike, settings: ForecastSettings, rng: np.random.Generator
) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    """The baseline's simulated futures as arrays, for summing councils' futures into a region's
    (``cpkit.region.pooled``): the month ends, children in care now per placement group, and the
    simulated children in care [simulation, month, group, band], drawn from ``rng``."""
    end = as_timestamp(as_of)
    _, _, fitted, start_age, start_group, start_clock, months = _fit(data, end, settings)
    sims = model.simulate(start_age, start_group, start_clock, fitted, len(months), settings.simulations, rng)
    now = np.bincount(start_group, minlength=len(GROUPS))[: len(GROUPS)]
    return months, now, sims


def _tidy(name: str, months: pd.DatetimeIndex, central: np.ndarray, sims: np.ndarray) -> pd.DataFrame:
    """Rows for group x band, group x all ages and all placements x all ages."""
    pieces = []
    views = (
        (central, sims, list(GROUPS), list(BANDS)),
        (central.sum(axis=2)[..., None], sims.sum(axis=3)[..., None], list(GROUPS), [ALL_AGES]),
        (
            central.sum(axis=(1, 2))[:, None, None],
            sims.sum(axis=(2, 3))[..., None, None],
            [ALL_PLACEMENTS],
            [ALL_AGES],
        ),
    )
    for c, s, groups, bands in views:
        q = model.quantiles(s)  # [quantile, month, group, band]
        m, g, b = np.meshgrid(
            np.arange(len(months)), np.arange(len(groups)), np.arange(len(bands)), indexing="ij"
        )
        frame = pd.DataFrame(
            {
                "scenario": name,
                "month_end": months[m.ravel()],
                "placement_group": np.asarray(groups, dtype=object)[g.ravel()],
                "age_band": np.asarray(bands, dtype=object)[b.ravel()],
                "expected": c.ravel(),
            }
        )
        for i, col in enumerate(model.QUANTILE_COLUMNS):
            frame[col] = q[i].ravel()
        frame.insert(4, "central", frame["median"])
        pieces.append(frame)
    return pd.concat(pieces, ignore_index=True)


def _external_homes(
    name: str,
    months: pd.DatetimeIndex,
    central: np.ndarray,
    sims: np.ndarray,
    inhouse_homes: int,
    scenario: Scenario | None,
) -> pd.DataFrame:
    """Places in secure and children's homes the council would still buy: children in homes less in-house beds."""
    capacity = np.full(len(months), float(inhouse_homes))
    if scenario is not None and scenario.new_home_opens is not None:
        opens = pd.Timestamp(scenario.new_home_opens)
        capacity += np.where(months >= opens, scenario.new_home_beds, 0)
    homes_c = central[:, model.HOMES, :].sum(axis=1)
    homes_s = sims[:, :, model.HOMES, :].sum(axis=2)
    ext_s = np.maximum(homes_s - capacity[None, :], 0)
    q = np.quantile(ext_s, model.QUANTILES, axis=0)
    frame = pd.DataFrame(
        {
            "scenario": name,
            "month_end": months,
            "placement_group": EXTERNAL_HOMES,
            "age_band": ALL_AGES,
            "expected": np.maximum(homes_c - capacity, 0),
        }
    )
    for i, col in enumerate(model.QUANTILE_COLUMNS):
        frame[col] = q[i]
    frame.insert(4, "central", frame["median"])
    return frame


def _history_table(history: StateHistory, w0: int = 0) -> pd.DataFrame:
    """Children in care at each month end of the window (from month ``w0``) by placement group, with All
    placements."""
    g = np.where(history.state[:, w0:] >= 0, history.state[:, w0:], len(GROUPS)).astype(np.int64)
    counts = np.stack([np.bincount(g[:, m], minlength=len(GROUPS) + 1)[:-1] for m in range(g.shape[1])])
    frame = pd.DataFrame(counts, index=history.months[w0:], columns=list(GROUPS))
    frame[ALL_PLACEMENTS] = frame.sum(axis=1)
    out = (
        frame.rename_axis("month_end")
        .reset_index()
        .melt("month_end", var_name="placement_group", value_name="children")
    )
    return out.astype({"children": "int64"})


def age_band_of(age_months: np.ndarray) -> np.ndarray:
    """DfE age band labels for ages in months (under 18)."""
    return np.asarray(BANDS, dtype=object)[BAND_OF_AGE[age_months]]


def month_label(day: pd.Timestamp | date) -> str:
    """ "March 2027"."""
    return pd.Timestamp(day).strftime("%B %Y")
