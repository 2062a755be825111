"""Adoption: children adopted, and the adoption scorecard timings A1, A10 and A2.

DfE adoption scorecard definitions (SSDA903 guidance; ``shared/reference/ssda903.md``):
- adopted: children ceasing to be looked after with REC E11/E12 in the period;
- A1: average days from entering care (the start of the period of care that ended in adoption) to
  moving in with the adoptive family: the start of the first placed-for-adoption episode (PLACE A3-A6)
  of that period. PlacedAdoption ``DATE_PLACED`` is *not* used: it is the date of the decision that the
  child should be placed for adoption, not the day the child moved;
- A10: A1 with the clock stopped on the day the child moved in with the foster carers who went on to
  adopt them (AD1 ``FOSTER_CARE`` = 1): the start of the carer's placement that the adoptive placement
  continued, found by walking back from the first A3-A6 episode through same-carer changes (RNE T, U, L;
  ``cpkit.care.stability.carer_starts``). Without FOSTER_CARE = 1, A10 = A1;
- A2: average days from placement order (the first episode of that period under LS E1 or D1) to the
  match with the adoptive family (AD1 ``DATE_MATCH``), zero where the match came first.
Children without the dates needed (no A3-A6 episode, no placement order, no AD1 row) are left out of that
average and counted in ``missing_dates``. A child whose period of care began before the first return
loaded (``cpkit.care.history``: its first held episode started before then and is not RNE S) has no known
entry date, and one whose placement order came with that first episode none known order date: they are
counted in ``unknown_history``, and the year is then not given (``cpkit.care.indicators``). The scorecard reports three-year averages
(``three_year_window``); ``adoption_timings`` takes any window. AD1 is read from the latest return
holding the child.
"""

from __future__ import annotations

import math

import pandas as pd

from cpkit.care.codes import ADOPTED_REC, ADOPTION_PLACEMENTS, PLACEMENT_ORDER_LS
from cpkit.care.episodes import DateLike, as_timestamp, care_episodes, memo
from cpkit.care.flows import children_ceased
from cpkit.care.history import coverage_start, cut_short
from cpkit.care.stability import carer_starts
from cpkit.ssda903.model import Data903


def _latest(table: pd.DataFrame) -> pd.DataFrame:
    ordered = table.sort_values(["return_year", "source_row"], na_position="first", kind="stable")
    return ordered.drop_duplicates("CHILD", keep="last").set_index("CHILD")


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """``values`` (dates indexed by CHILD or period) for each key, as datetimes even when empty."""
    values = values[~values.index.duplicated(keep="first")]
    found = values.reindex(keys.to_numpy()).set_axis(keys.index)
    return found.astype("datetime64[ns]")


def adopted_children(data: Data903, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Children adopted in [start, end], one row each: CHILD, period, entered, adopted, placed (first A3-A6
    episode), carer_start (start of that placement's carer), foster_care (AD1 FOSTER_CARE = 1),
    placed_a10, order, match, days_a1, days_a10, days_a2, entry_known (the period of care's start is in
    the data, not cut short by the first return), order_known (likewise the placement order's date)."""
    ceased = children_ceased(data, start, end)
    adopted = ceased[ceased["end_reason"].isin(ADOPTED_REC)][["CHILD", "period", "start", "end"]]
    eps = care_episodes(data)
    eps = memo(  # the same for every window: once per Episodes table
        eps,
        "carer_start",
        lambda: eps.assign(carer_start=eps["DECOM"].where(carer_starts(eps)).groupby(eps["period"]).ffill()),
    )
    eps = eps[eps["period"].isin(set(adopted["period"]))]
    eps = eps.assign(cut=cut_short(eps, coverage_start(data))["period_cut"])
    first_adoptive = eps[eps["PLACE"].isin(ADOPTION_PLACEMENTS)].drop_duplicates("period").set_index("period")
    under_order = eps[eps["LS"].isin(PLACEMENT_ORDER_LS)].drop_duplicates("period").set_index("period")
    order = under_order["DECOM"]
    # An order first seen on a cut-short period's first episode may have been made before it.
    order_cut = under_order["cut"] & under_order["DECOM"].eq(under_order["period_start"])
    period_cut = eps.drop_duplicates("period").set_index("period")["cut"]
    ad1 = _latest(data.ad1)

    out = adopted.rename(columns={"start": "entered", "end": "adopted"}).reset_index(drop=True)
    out["placed"] = _lookup(out["period"], first_adoptive["DECOM"])
    out["carer_start"] = _lookup(out["period"], first_adoptive["carer_start"])
    out["foster_care"] = out["CHILD"].map(ad1["FOSTER_CARE"]).eq("1").fillna(False).astype(bool)
    out["placed_a10"] = out["placed"].where(~out["foster_care"], out["carer_start"])
    out["order"] = _lookup(out["period"], order)
    out["match"] = _lookup(out["CHILD"], ad1["DATE_MATCH"])
    out["days_a1"] = (out["placed"] - out["entered"]).dt.days
    out["days_a10"] = (out["placed_a10"] - out["entered"]).dt.days
    out["days_a2"] = (out["match"] - out["order"]).dt.days.clip(lower=0)
    out["entry_known"] = ~out["period"].map(period_cut).eq(True)
    out["order_known"] = ~out["period"].map(order_cut).eq(True)
    return out


def adoption_timings(data: Data903, start: DateLike, end: DateLike) -> dict[str, dict[str, float]]:
    """A1, A10 and A2 over children adopted in [start, end]: numerator (total days), denominator
    (children with the dates), pct (the average days), missing_dates, unknown_history (children with
    the dates whose entry to care, or placement order for A2, is before the first return and not known:
    their days are too few, so the average is not to be given)."""
    kids = adopted_children(data, start, end)
    out = {}
    for key, col, history in (
        ("adoption_a1_days", "days_a1", "entry_known"),
        ("adoption_a10_days", "days_a10", "entry_known"),
        ("adoption_a2_days", "days_a2", "order_known"),
    ):
        known = kids[col].dropna()
        out[key] = {
            "numerator": float(known.sum()),
            "denominator": len(known),
            "pct": float(known.mean()) if len(known) else math.nan,
            "missing_dates": len(kids) - len(known),
            "unknown_history": int((kids[col].notna() & ~kids[history]).sum()),
        }
    return out


def three_year_window(end: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The three years ending on ``end``, as the adoption scorecard averages them."""
    e = as_timestamp(end)
    return e - pd.DateOffset(years=3) + pd.Timedelta(days=1), e
