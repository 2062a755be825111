"""Monthly state histories: where each child was at each month end (placement group and age, or out of care).

A child is *in care at a month end* by the kit's one rule (``cpkit.care.episodes``: DECOM <= day and DEC
blank or after it; short breaks V3/V4 left out; one row per child, the later-starting episode where two
overlap), and their state is the DfE placement group of that episode's PLACE (``cpkit.care.codes``) and
their age in completed months on the day (from the Header's DOB; a birthday on the last day of the month
counts, as in ``cpkit.care.common.age_on``). Ages in months, not bands, are kept so the projection can age
children exactly: a child moves band at the month end on or after their 1st, 5th, 10th and 16th birthday
and leaves care at 18 (216 months).

*Lost children.* When stacked returns hold an open episode from an earlier return and the child is in no
later return, the later return says they were no longer looked after, but not when they left. Counting them
as still in care (as a plain stack would) inflates the stock year after year; counting them as leaving at
the year end invents a leaving date. The history takes the honest middle: the child is in care up to the
31 March of that return and *unobserved* after it (``censor``); the transition rates skip their unobserved
months. ``attrs``-style counts (``lost``, ``no_dob``, ``over_18``) say how many children each rule touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cpkit.care.codes import AGE_BANDS, OTHER_PLACEMENTS, PLACEMENT_GROUPS
from cpkit.care.episodes import DateLike, as_timestamp, care_episodes
from cpkit.ssda903.model import Data903

GROUPS: tuple[str, ...] = tuple(PLACEMENT_GROUPS)
BANDS: tuple[str, ...] = tuple(b[0] for b in AGE_BANDS)
LEAVE_AGE_MONTHS = 18 * 12
OUT = -1  # state code: not in care at the month end
_GROUP_INDEX = {code: GROUPS.index(group) for group, codes in PLACEMENT_GROUPS.items() for code in codes}
_OTHER = GROUPS.index(OTHER_PLACEMENTS)

# Band of each age in months 0..215 (the DfE bands: under 1, 1-4, 5-9, 10-15, 16-17).
BAND_OF_AGE = np.zeros(LEAVE_AGE_MONTHS, dtype=np.int8)
for _i, (_label, _low, _high) in enumerate(AGE_BANDS):
    BAND_OF_AGE[_low * 12 : (_high + 1) * 12] = _i


def month_ends(first: DateLike, last: DateLike) -> pd.DatetimeIndex:
    """The month ends from the one on or after ``first`` to the one on or before ``last``."""
    return pd.date_range(as_timestamp(first), as_timestamp(last), freq="ME").as_unit("ns")


def age_in_months(dob: np.ndarray, day: pd.Timestamp) -> np.ndarray:
    """Completed months of age at the end of ``day`` for datetime64 ``dob`` (NaT gives a negative number)."""
    d = pd.DatetimeIndex(dob)
    months = (day.year - d.year) * 12 + (day.month - d.month) - (d.day > day.day).astype("int64")
    return np.asarray(months.fillna(-(10**6)), dtype="int64")


def group_index(place: pd.Series) -> np.ndarray:
    """Index into ``GROUPS`` of each PLACE code; blank or unknown codes are Other placements."""
    return place.map(_GROUP_INDEX).fillna(_OTHER).to_numpy(dtype="int8")


@dataclass
class StateHistory:
    """Month-end states of every child seen in care between two month ends.

    ``state[c, m]`` is the placement group index (``GROUPS``) of child ``c`` at ``months[m]``, or ``OUT``;
    ``age[c, m]`` their age in completed months (meaningful where in care); ``censor[c]`` the last month
    index at which child ``c`` is observed (``len(months) - 1`` unless their return lost them).
    """

    months: pd.DatetimeIndex
    children: np.ndarray  # CHILD ids, one per row of state
    state: np.ndarray  # int8 [children, months]
    age: np.ndarray  # int16 [children, months]
    censor: np.ndarray  # int [children]
    counts: dict[str, int] = field(default_factory=dict)
    _clock: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    def frame(self) -> pd.DataFrame:
        """The tidy table: CHILD, month_end, placement_group, age_band, age_months (in-care rows only)."""
        c, m = np.nonzero(self.state >= 0)
        ages = self.age[c, m]
        return pd.DataFrame(
            {
                "CHILD": self.children[c],
                "month_end": self.months[m],
                "placement_group": np.asarray(GROUPS, dtype=object)[self.state[c, m]],
                "age_band": np.asarray(BANDS, dtype=object)[BAND_OF_AGE[ages]],
                "age_months": ages.astype("int64"),
            }
        )

    def months_in_group(self) -> np.ndarray:
        """``clock[c, m]``: how many month ends child ``c`` had already spent in their placement group at
        ``months[m]`` without a break (0 at the first month end after entering care or changing group).

        Counted from the first month of the history, so a child in the same group since before it reads
        ``m`` at month ``m``: the forecast starts its history a lead-in before the fitting window, long
        enough for the longest clock it distinguishes.
        """
        if self._clock is None:  # fitting and the projection's start both read it: worked out once
            clock = np.zeros(self.state.shape, dtype=np.int16)
            for m in range(1, self.state.shape[1]):
                same = (self.state[:, m] >= 0) & (self.state[:, m] == self.state[:, m - 1])
                clock[:, m] = np.where(same, np.minimum(clock[:, m - 1] + 1, 32767), 0)
            self._clock = clock
        return self._clock

    def stock(self, m: int = -1) -> pd.DataFrame:
        """Children in care at month ``m`` by placement group and age band (every combination listed)."""
        on = self.state[:, m] >= 0
        g = self.state[on, m].astype("int64")
        b = BAND_OF_AGE[self.age[on, m]].astype("int64")
        counts = np.bincount(g * len(BANDS) + b, minlength=len(GROUPS) * len(BANDS))
        idx = pd.MultiIndex.from_product([GROUPS, BANDS], names=["placement_group", "age_band"])
        return pd.Series(counts, index=idx, name="children").reset_index()


def state_history(data: Data903, first: DateLike, last: DateLike) -> StateHistory:
    """Where every child was at each month end from ``first`` to ``last`` (see the module docstring)."""
    months = month_ends(first, last)
    if len(months) == 0:
        raise ValueError(f"no month end between {first} and {last}")
    eps = care_episodes(data)
    counts = {"lost": 0, "no_dob": 0, "over_18": 0}
    cols = ["CHILD", "DECOM", "DEC", "PLACE", "return_year"]
    eps = eps[cols].copy()
    dec = eps["DEC"].copy()
    censor_day = pd.Series(pd.NaT, index=eps.index, dtype="datetime64[ns]")
    ry = eps["return_year"]
    if ry.notna().any():
        latest_by_child = ry.groupby(eps["CHILD"]).transform("max")
        lost = dec.isna() & ry.notna() & (ry < ry.max()) & (latest_by_child == ry)
        if lost.any():
            ends = pd.to_datetime(ry[lost].astype("int64").astype(str) + "-03-31").astype("datetime64[ns]")
            censor_day[lost] = ends.to_numpy()
            dec[lost] = (ends + pd.Timedelta(days=1)).to_numpy()
            counts["lost"] = int(eps.loc[lost, "CHILD"].nunique())

    me = months.to_numpy().astype("int64")
    start = eps["DECOM"].to_numpy().astype("int64")
    end = np.where(dec.isna().to_numpy(), np.iinfo("int64").max, dec.to_numpy().astype("int64"))
    i0 = np.searchsorted(me, start, side="left")
    i1 = np.searchsorted(me, end, side="left")
    n = np.maximum(i1 - i0, 0)
    keep = n > 0
    child_ids, child_code = np.unique(eps["CHILD"].to_numpy(dtype=str), return_inverse=True)
    ep_child, ep_first, ep_n = child_code[keep], i0[keep], n[keep]
    ep_group = group_index(eps["PLACE"])[keep]
    rows = np.repeat(np.arange(len(ep_n)), ep_n)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(ep_n) - ep_n, ep_n)
    month = ep_first[rows] + offset
    child = ep_child[rows]

    # Episodes are sorted by CHILD then DECOM: where two overlap at a month end, the later-starting one
    # (the last written) describes the child, as in ``in_care_on``.
    used, child_row = np.unique(child, return_inverse=True)
    state = np.full((len(used), len(months)), OUT, dtype=np.int8)
    flat = child_row.astype("int64") * len(months) + month
    last = len(flat) - 1 - np.unique(flat[::-1], return_index=True)[1]
    state.reshape(-1)[flat[last]] = ep_group[rows[last]]

    ids = child_ids[used]
    dob = _dob(data, ids)
    age = np.empty((len(ids), len(months)), dtype=np.int64)
    for m, day in enumerate(months):
        age[:, m] = age_in_months(dob, day)
    no_dob = pd.isna(dob)
    counts["no_dob"] = int(no_dob.sum())
    over = ((state >= 0) & (age >= LEAVE_AGE_MONTHS)).any(axis=1) & ~no_dob
    counts["over_18"] = int(over.sum())
    state[(age >= LEAVE_AGE_MONTHS) | (age < 0)] = OUT
    ok = ~no_dob
    ids, state, age = ids[ok], state[ok], age[ok]

    censor = np.full(len(ids), len(months) - 1, dtype=np.int64)
    lost_days = censor_day.dropna()
    if len(lost_days):
        last_seen = pd.Series(lost_days.to_numpy(), index=eps.loc[lost_days.index, "CHILD"].to_numpy())
        last_seen = last_seen.groupby(level=0).max()
        pos = pd.Index(ids).get_indexer(last_seen.index)
        found = pos >= 0
        censor[pos[found]] = (
            np.searchsorted(me, last_seen.to_numpy().astype("int64")[found], side="right") - 1
        )
    return StateHistory(months, ids, state, np.clip(age, 0, 32767).astype(np.int16), censor, counts)


def _dob(data: Data903, ids: np.ndarray) -> np.ndarray:
    """Each child's DOB from the Header (the latest return's row), NaT where missing."""
    head = data.header.sort_values(["return_year", "source_row"], na_position="first", kind="stable")
    dob = head.drop_duplicates("CHILD", keep="last").set_index("CHILD")["DOB"]
    return dob.reindex(ids).to_numpy(dtype="datetime64[ns]")
