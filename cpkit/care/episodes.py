"""Shared episode logic: which episodes count, periods of care, who is in care on a day.

Every care measure starts here so that "in care", "started" and "ceased" mean the same thing in each.

- *In care at the end of day D*: an episode with ``DECOM <= D`` and (``DEC`` blank or ``DEC > D``) — the
  DfE's rule for the 31 March count (LAIT 332; SSDA903 guidance). A child is counted once however many
  episodes match.
- *Short breaks*: episodes under legal status V3/V4 are left out unless ``include_short_breaks=True``, as in
  the DfE's statistics ("children looked after exclude those looked after under a series of short-term
  placements").
- *Period of care*: a run of a child's episodes where each starts on (or before) the day the previous one
  ended — in a clean return, the X1 joins. Periods are built from the dates, not from REC/RNE, so that
  the stock and the flows always reconcile (see ``monthly_movements``). Where the codes and the dates
  disagree (REC X1 with no episode starting that day; REC set while DEC is blank; a period starting
  without RNE S) the dates win; ``continuity_issues`` lists those episodes so that nothing is hidden.
- *Stacked returns* repeat the episodes that span a year end; a child's episodes with the same DECOM are
  kept once, from the latest return (which holds the latest DEC and REC).
- A child moving from a short break (V3/V4) to another legal status therefore *starts* a period of care
  on the day of the change, and a child moving from care onto a short-break status *ceases* — both as
  the DfE counts them once short breaks are set aside.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from cpkit.ssda903.model import Data903

SHORT_BREAK_LS: tuple[str, ...] = ("V3", "V4")
DateLike = str | date | pd.Timestamp

# An open episode's end, as a number: later than any real date.
_OPEN = np.iinfo("int64").max

T = TypeVar("T")
_cache: dict[tuple[tuple[int, ...], str], tuple[tuple[weakref.ref, ...], Any]] = {}


def as_timestamp(value: DateLike) -> pd.Timestamp:
    """A day as a Timestamp; strings may be ISO ("2025-03-31") or the return's dd/mm/YYYY."""
    if isinstance(value, str) and "/" in value:
        return pd.Timestamp(pd.to_datetime(value, format="%d/%m/%Y"))
    return pd.Timestamp(value).normalize()


def memo(frame: pd.DataFrame | tuple[pd.DataFrame, ...], name: str, build: Callable[[], T]) -> T:
    """Compute ``build()`` once per (``frame`` object, ``name``): the measures share derived tables.

    Keyed by the frame's identity and checked through a weak reference, so a new or replaced Episodes
    table is never served a stale result. ``frame`` may be a tuple of the frames a result is built from
    (the OC3 table and the Header): a new or replaced one of them builds it again. Callers must not
    modify what they get back.
    """
    frames = frame if isinstance(frame, tuple) else (frame,)
    key = (tuple(id(f) for f in frames), name)
    hit = _cache.get(key)
    if hit is not None and all(ref() is f for ref, f in zip(hit[0], frames, strict=True)):
        return hit[1]
    result = build()
    # each reference drops the entry when its frame goes: a long-lived process (a Dask worker of ``cpkit
    # region`` prepares council after council) must not keep every council's derived tables
    _cache[key] = (tuple(weakref.ref(f, lambda _, key=key: _cache.pop(key, None)) for f in frames), result)
    return result


def care_episodes(data: Data903, include_short_breaks: bool = False) -> pd.DataFrame:
    """The episodes that count, one per child and start date, with their period of care.

    Returns the Episodes columns plus ``period`` (a number unique per child's period of care, in date
    order), ``period_start`` and ``period_end`` (NaT while open), sorted by CHILD and DECOM. Episodes with
    no DECOM cannot be placed in time and are left out (the reader sets such rows aside already); an
    episode ending before it starts is treated as lasting no time. The result is cached per Episodes
    frame, so measures may call this freely; do not modify what it returns.
    """
    return memo(
        data.episodes,
        f"care_episodes:{include_short_breaks}",
        lambda: _build_care_episodes(data.episodes, include_short_breaks),
    )


def _build_care_episodes(episodes: pd.DataFrame, include_short_breaks: bool) -> pd.DataFrame:
    eps = episodes[episodes["DECOM"].notna()]
    if not include_short_breaks:
        eps = eps[~eps["LS"].isin(SHORT_BREAK_LS)]
    # One episode per child and start day: the latest return's, and within a return the one still
    # running at the end of that day (an episode that began and ended that day, before a placement
    # or legal status change the same day, lasted no time), whatever the rows' order in the file.
    order = ["CHILD", "DECOM", "return_year", "_runs_to", "source_row"]
    runs_to = (
        eps["DEC"]
        .fillna(pd.Timestamp.max)
        .where(eps["DEC"].isna() | (eps["DEC"] >= eps["DECOM"]), eps["DECOM"])
    )
    eps = eps.assign(_runs_to=runs_to).sort_values(order, na_position="first", kind="stable")
    eps = eps.drop_duplicates(["CHILD", "DECOM"], keep="last").drop(columns="_runs_to").reset_index(drop=True)
    dec = eps["DEC"].where(eps["DEC"].isna() | (eps["DEC"] >= eps["DECOM"]), eps["DECOM"])
    eps["DEC"] = dec

    child = eps["CHILD"].to_numpy()
    start = eps["DECOM"].to_numpy().astype("int64")
    end = np.where(eps["DEC"].isna().to_numpy(), _OPEN, eps["DEC"].to_numpy().astype("int64"))
    new_child = np.ones(len(eps), dtype=bool)
    new_child[1:] = child[1:] != child[:-1]
    # Latest end reached so far within the child: an episode starting after it opens a new period.
    reach = pd.Series(end).groupby(np.cumsum(new_child)).cummax().to_numpy()
    prev_reach = np.empty_like(reach)
    if len(reach):
        prev_reach[0] = _OPEN
        prev_reach[1:] = reach[:-1]
    new_period = new_child | (start > prev_reach)
    period = np.cumsum(new_period) - 1
    eps["period"] = period

    grouped = pd.Series(end).groupby(period)
    period_end_num = grouped.transform("max").to_numpy()
    eps["period_start"] = eps.groupby("period")["DECOM"].transform("min")
    eps["period_end"] = pd.Series(
        np.where(period_end_num == _OPEN, np.datetime64("NaT"), period_end_num.astype("datetime64[ns]"))
    ).astype("datetime64[ns]")
    return eps


def periods_of_care(data: Data903, include_short_breaks: bool = False) -> pd.DataFrame:
    """One row per period of care: CHILD, period, start, end (NaT while open), end_reason, episodes.

    ``end_reason`` is the REC of the episode that ends the period (the one reaching its end date), and
    ``first_rne``/``first_cin``/``first_ls`` describe its first episode (the DfE's entry characteristics).
    """
    return memo(
        data.episodes,
        f"periods_of_care:{include_short_breaks}",
        lambda: _build_periods(care_episodes(data, include_short_breaks)),
    )


def _build_periods(eps: pd.DataFrame) -> pd.DataFrame:
    cols = ["CHILD", "period", "start", "end", "end_reason", "first_rne", "first_cin", "first_ls", "episodes"]
    if eps.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}).astype(
            {"start": "datetime64[ns]", "end": "datetime64[ns]", "period": "int64", "episodes": "int64"}
        )
    first = eps.drop_duplicates("period", keep="first").set_index("period")
    # The last episode to end (open counts as latest): the last row of the period after sorting by end.
    end_num = eps["DEC"].to_numpy().astype("int64")
    end_num = np.where(eps["DEC"].isna().to_numpy(), _OPEN, end_num)
    last = (
        eps.assign(_end=end_num)
        .sort_values(["period", "_end", "DECOM"], kind="stable")
        .drop_duplicates("period", keep="last")
        .set_index("period")
    )
    out = pd.DataFrame(
        {
            "CHILD": first["CHILD"],
            "start": first["period_start"],
            "end": first["period_end"],
            "end_reason": last["REC"].where(last["DEC"].notna()),
            "first_rne": first["RNE"],
            "first_cin": first["CIN"],
            "first_ls": first["LS"],
            "episodes": eps.groupby("period").size(),
        }
    )
    return out.rename_axis("period").reset_index()[cols]


def in_care_mask(episodes: pd.DataFrame, day: DateLike) -> pd.Series:
    """True for episodes open at the end of ``day``: DECOM <= day and (DEC blank or DEC > day)."""
    d = as_timestamp(day)
    return (episodes["DECOM"] <= d) & (episodes["DEC"].isna() | (episodes["DEC"] > d))


def in_care_on(data: Data903, day: DateLike, include_short_breaks: bool = False) -> pd.DataFrame:
    """The children in care at the end of ``day``, one row each: their episode open that day.

    Where overlapping episodes (a data error) leave a child with two open episodes, the later-starting
    one describes the child. Columns are those of ``care_episodes``.
    """
    eps = care_episodes(data, include_short_breaks)
    open_eps = eps[in_care_mask(eps, day)]
    return open_eps.drop_duplicates("CHILD", keep="last").reset_index(drop=True)


def cla_on(data: Data903, day: DateLike, include_short_breaks: bool = False) -> int:
    """Number of children looked after at the end of ``day`` (LAIT 332 rule; children, not episodes)."""
    eps = care_episodes(data, include_short_breaks)
    return int(eps.loc[in_care_mask(eps, day), "CHILD"].nunique())


def started_in(
    data: Data903, start: DateLike, end: DateLike, include_short_breaks: bool = False
) -> pd.DataFrame:
    """Periods of care starting between ``start`` and ``end`` inclusive (the DfE's "started", RNE S)."""
    p = periods_of_care(data, include_short_breaks)
    return p[(p["start"] >= as_timestamp(start)) & (p["start"] <= as_timestamp(end))].reset_index(drop=True)


def ceased_in(
    data: Data903, start: DateLike, end: DateLike, include_short_breaks: bool = False
) -> pd.DataFrame:
    """Periods of care ending between ``start`` and ``end`` inclusive (REC other than X1)."""
    p = periods_of_care(data, include_short_breaks)
    ended = p["end"].notna() & (p["end"] >= as_timestamp(start)) & (p["end"] <= as_timestamp(end))
    return p[ended].reset_index(drop=True)


def continuity_issues(data: Data903, include_short_breaks: bool = False) -> pd.DataFrame:
    """Episodes whose codes disagree with the dates the measures go by, one row each with the reason.

    Reasons: ``X1 but no episode starts that day`` (counted as ceasing); ``REC other than X1 but an
    episode starts that day`` (counted as continuing); ``REC set but DEC blank`` (counted as open);
    ``period starts without RNE S`` (counted as starting).
    """
    eps = care_episodes(data, include_short_breaks)
    same_period_next = eps["period"].eq(eps["period"].shift(-1))
    ends = eps["DEC"].notna()
    # The period continues past this episode's end if the period's end is later (or open).
    continues = ends & (eps["period_end"].isna() | (eps["period_end"] > eps["DEC"]))
    continues = continues | (ends & same_period_next & eps["DECOM"].shift(-1).eq(eps["DEC"]))
    reasons = {
        "X1 but no episode starts that day": ends & eps["REC"].eq("X1") & ~continues,
        "REC other than X1 but an episode starts that day": ends
        & eps["REC"].notna()
        & eps["REC"].ne("X1")
        & continues,
        "REC set but DEC blank": eps["DEC"].isna() & eps["REC"].notna(),
        "period starts without RNE S": eps["DECOM"].eq(eps["period_start"])
        & eps["RNE"].ne("S")
        & ~eps["period"].eq(eps["period"].shift(1)),
    }
    cols = ["CHILD", "DECOM", "DEC", "RNE", "REC", "source_file", "source_row"]
    frames = [eps.loc[m, cols].assign(reason=r) for r, m in reasons.items()]
    return pd.concat(frames, ignore_index=True)
