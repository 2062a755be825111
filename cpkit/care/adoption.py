"""Adoption: children adopted, and the adoption scorecard timings A1, A10 and A2.

DfE adoption scorecard definitions (SSDA903 guidance; ``shared/reference/ssda903.md``):
- adopted: children ceasing to be looked after with REC E11/E12 in the period;
- A1: average days from entering care (the start of the period of care that ended in adoption) to
  moving in with the adoptive family (PlacedAdoption DATE_PLACED, else the first A3-A6 episode);
- A10: A1 with the clock stopped when the child moved in with the foster carers who adopted them
  (AD1 FOSTER_CARE = 1: the start of the placement that became the adoptive one, see
  ``cpkit.care.stability.placement_starts``);
- A2: average days from placement order (first LS E1 or D1 in that period) to the match with the
  adoptive family (AD1 DATE_MATCH), zero where the match came first. Children without the dates needed
  are left out of that average and counted in ``missing_dates``.
The scorecard reports three-year averages; ``adoption_timings`` takes any window.
"""

from __future__ import annotations

import math

import pandas as pd

from cpkit.care.codes import ADOPTED_REC, ADOPTION_PLACEMENTS, PLACEMENT_ORDER_LS
from cpkit.care.episodes import DateLike, as_timestamp, care_episodes
from cpkit.care.flows import children_ceased
from cpkit.care.stability import placement_starts
from cpkit.config import Config
from cpkit.ssda903.model import Data903


def _latest(table: pd.DataFrame) -> pd.DataFrame:
    ordered = table.sort_values(["return_year", "source_row"], na_position="first", kind="stable")
    return ordered.drop_duplicates("CHILD", keep="last").set_index("CHILD")


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """``values`` (dates indexed by CHILD or period) for each key, as datetimes even when empty."""
    values = values[~values.index.duplicated(keep="first")]
    found = values.reindex(keys.to_numpy()).set_axis(keys.index)
    return found.astype("datetime64[ns]")


def adopted_children(
    data: Data903, start: DateLike, end: DateLike, config: Config | None = None
) -> pd.DataFrame:
    """Children adopted in [start, end], one row each with entered, placed, placed_a10, order, match dates
    and days_a1, days_a10, days_a2."""
    ceased = children_ceased(data, start, end)
    adopted = ceased[ceased["end_reason"].isin(ADOPTED_REC)][["CHILD", "period", "start", "end"]]
    eps = care_episodes(data)
    flag = placement_starts(eps, (config or Config()).stability)
    eps = eps.assign(placement_start=eps["DECOM"].where(flag).groupby(eps["period"]).ffill())
    eps = eps[eps["period"].isin(set(adopted["period"]))]
    first_adoptive = eps[eps["PLACE"].isin(ADOPTION_PLACEMENTS)].drop_duplicates("period").set_index("period")
    order = eps[eps["LS"].isin(PLACEMENT_ORDER_LS)].drop_duplicates("period").set_index("period")["DECOM"]
    placed = _latest(data.placed_adoption)["DATE_PLACED"]
    ad1 = _latest(data.ad1)

    out = adopted.rename(columns={"start": "entered", "end": "adopted"}).reset_index(drop=True)
    out["placed"] = _lookup(out["CHILD"], placed).fillna(_lookup(out["period"], first_adoptive["DECOM"]))
    by_carer = out["CHILD"].map(ad1["FOSTER_CARE"]).eq("1").fillna(False).to_numpy(dtype=bool)
    carer_start = _lookup(out["period"], first_adoptive["placement_start"])
    out["placed_a10"] = out["placed"].where(
        ~by_carer, carer_start.where(carer_start < out["placed"], out["placed"])
    )
    out["order"] = _lookup(out["period"], order)
    out["match"] = _lookup(out["CHILD"], ad1["DATE_MATCH"])
    out["days_a1"] = (out["placed"] - out["entered"]).dt.days
    out["days_a10"] = (out["placed_a10"] - out["entered"]).dt.days
    out["days_a2"] = (out["match"] - out["order"]).dt.days.clip(lower=0)
    return out


def adoption_timings(
    data: Data903, start: DateLike, end: DateLike, config: Config | None = None
) -> dict[str, dict[str, float]]:
    """A1, A10 and A2 over children adopted in [start, end]: value (average days), children, missing_dates."""
    kids = adopted_children(data, start, end, config)
    out = {}
    for key, col in (
        ("adoption_a1_days", "days_a1"),
        ("adoption_a10_days", "days_a10"),
        ("adoption_a2_days", "days_a2"),
    ):
        known = kids[col].dropna()
        out[key] = {
            "numerator": float(known.sum()),
            "denominator": len(known),
            "pct": float(known.mean()) if len(known) else math.nan,
            "missing_dates": len(kids) - len(known),
        }
    return out


def three_year_window(end: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The three years ending on ``end``, as the adoption scorecard averages them."""
    e = as_timestamp(end)
    return e - pd.DateOffset(years=3) + pd.Timedelta(days=1), e
