"""What the returns supplied cannot tell: the time before the first of them.

A return holds the episodes open during its year, so the oldest return loaded shows a child already in
care on its first day (1 April) by the one episode open then, with that episode's start date, and none of
the episodes before it. When that episode does not start the period of care (its RNE is not S) the
period began earlier, on a day the data does not hold: the ``period_start`` the kit works out for it is
the start of the episode, not of the child's time in care. Such a period is *cut short*, and so is its
carer's start when the carer's placement is that first episode (unless its RNE, P or B, says the carer
changed then).

A measure that reaches back (A1, A10 and A2 to the start of the period of care or its placement order,
long-term stability to the period's and the carer's start; ``lookback`` in ``cpkit/measures.yaml``) asks
which of the children it counts depend on a cut-short date, and the year is not given when any does
(``cpkit.care.indicators``): a shortened time in care gives a figure that looks like an answer and is not.
Data with no collection years (hand-built tables) is taken as holding every child's whole history.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from cpkit.care.codes import ADOPTION_PLACEMENTS, NEW_CARER_RNE
from cpkit.ssda903.model import Data903

PERIOD_START_RNE = "S"


def coverage_start(data: Data903 | None) -> pd.Timestamp | None:
    """The first day the returns cover: 1 April before the earliest collection year loaded (None when
    no table says which year it is from)."""
    if data is None:
        return None
    found = [data.tables[t]["return_year"] for t in ("episodes", "oc2", "oc3") if t in data.tables]
    years = pd.concat(found).dropna() if found else pd.Series(dtype="Int64")
    if not len(years):
        return None
    return pd.Timestamp(date(int(years.min()) - 1, 4, 1))


def day_words(day: pd.Timestamp | date) -> str:
    """1 April 2018."""
    d = pd.Timestamp(day)
    return f"{d.day} {d.strftime('%B %Y')}"


def cut_short(eps: pd.DataFrame, first_day: pd.Timestamp | None) -> pd.DataFrame:
    """For each episode (``care_episodes`` order), whether its period's and its carer's starts are cut short.

    Columns ``period_cut`` (the period's first episode held started before ``first_day`` with an RNE
    other than S) and ``carer_cut`` (``carer_since`` is that first episode's start, and the period is cut
    short, unless its RNE is P or B, a new carer; an adoptive first episode always is, as the placement
    before it, which long-term stability counts with it, is not held). ``carer_since`` must be a column of
    ``eps`` for ``carer_cut``; without it ``carer_cut`` is ``period_cut``. All False without ``first_day``.
    """
    out = pd.DataFrame(index=eps.index)
    if first_day is None or eps.empty:
        out["period_cut"] = False
        out["carer_cut"] = False
        return out
    # The period's first episode's codes on every row (a blank RNE stays blank: it does not say S).
    is_first = eps["period"].ne(eps["period"].shift(1))
    first = pd.DataFrame(
        {c: eps[c].fillna("").where(is_first).groupby(eps["period"]).ffill() for c in ("RNE", "PLACE")}
    )
    period_cut = (eps["period_start"] < first_day) & first["RNE"].ne(PERIOD_START_RNE)
    out["period_cut"] = period_cut.fillna(False).astype(bool)
    if "carer_since" not in eps:
        out["carer_cut"] = out["period_cut"]
        return out
    new_carer = first["RNE"].isin(NEW_CARER_RNE) & ~first["PLACE"].isin(ADOPTION_PLACEMENTS)
    since_first = eps["carer_since"].eq(eps["period_start"])
    out["carer_cut"] = (out["period_cut"] & since_first & ~new_carer).fillna(False).astype(bool)
    return out


def before_returns_reason(first_day: pd.Timestamp, unknown: str) -> str:
    """Why a year is not given: "needs care histories from before the first return (1 April 2018): 33
    children it counts were in care then, and when their time in care (or with their carer) began is not
    in the data". ``unknown`` is the count as a sentence gives it (the small-number rule's words)."""
    return (
        f"needs care histories from before the first return ({day_words(first_day)}): {unknown} "
        f"{'child it counts was' if unknown == '1' else 'children it counts were'} already in care then, and when their "
        "time in care (or with their carer) began is not in the data"
    )


def window_reason(first_day: pd.Timestamp, window_start: pd.Timestamp, months: int) -> str:
    """ "counts the 3 years from 1 April 2016; the first return starts 1 April 2018"."""
    span = f"{months // 12} years" if months % 12 == 0 else f"{months} months"
    return (
        f"counts the {span} from {day_words(window_start)}, and the first return supplied starts "
        f"{day_words(first_day)}"
    )


__all__ = ["before_returns_reason", "coverage_start", "cut_short", "day_words", "window_reason"]
