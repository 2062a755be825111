"""Placement stability: three or more placements in the year (LAIT 372) and long-term stability (LAIT 393).

Both rest on one question, "does this episode start a new placement?", answered by ``placement_starts``
with the choices the DfE leaves to the council in ``config.stability``.
"""

from __future__ import annotations

import pandas as pd

from cpkit.care.codes import ADOPTION_WITH_CURRENT_CARER, NEW_CARER_RNE, SAME_CARER_RNE, TEMPORARY_PLACEMENTS
from cpkit.care.common import age_on, pct, with_header
from cpkit.care.episodes import DateLike, as_timestamp, care_episodes, in_care_mask, memo
from cpkit.config import Config, StabilitySettings
from cpkit.ssda903.model import Data903

_DAY = pd.Timedelta(days=1)


def placement_starts(eps: pd.DataFrame, settings: StabilitySettings | None = None) -> pd.Series:
    """True where an episode (from ``care_episodes``) starts a new placement.

    - the first episode of a period of care starts a placement;
    - RNE P or B (new carer) does; RNE T or U (same carer) does if ``count_same_carer_changes``; RNE L
      (legal status only) does not; a blank or unknown RNE does if PLACE differs from the episode before;
    - a move to placed for adoption with the current foster carer (A3, A5) does not (LAIT 372 and 393);
    - unless ``count_temporary_moves``, a temporary move (T0-T4) does not, nor does the return from it to
      the placement the child had before (same PLACE, provider and postcode).
    """
    settings = settings or StabilitySettings()
    name = f"placement_starts:{settings.count_same_carer_changes}:{settings.count_temporary_moves}"
    return memo(eps, name, lambda: _placement_starts(eps, settings))


def _placement_starts(eps: pd.DataFrame, settings: StabilitySettings) -> pd.Series:
    rne = eps["RNE"]
    first = ~eps["period"].eq(eps["period"].shift(1))
    change_rne = list(NEW_CARER_RNE) + (list(SAME_CARER_RNE) if settings.count_same_carer_changes else [])
    known_rne = list(NEW_CARER_RNE) + list(SAME_CARER_RNE) + ["L"]
    starts = rne.isin(change_rne) | (~rne.isin(known_rne) & eps["PLACE"].ne(eps["PLACE"].shift(1)))
    starts = starts & ~eps["PLACE"].isin(ADOPTION_WITH_CURRENT_CARER)
    if not settings.count_temporary_moves:
        temporary = eps["PLACE"].isin(TEMPORARY_PLACEMENTS)
        key = (
            eps["PLACE"].fillna("") + "|" + eps["PLACE_PROVIDER"].fillna("") + "|" + eps["PL_POST"].fillna("")
        )
        same_period_2 = eps["period"].eq(eps["period"].shift(2))
        returning = temporary.shift(1, fill_value=False) & same_period_2 & key.eq(key.shift(2))
        starts = starts & ~temporary & ~returning
    return (first | starts).astype(bool)


def placements(data: Data903, config: Config | None = None) -> pd.DataFrame:
    """One row per placement: CHILD, period, start, end (NaT while open), PLACE, days (NaN while open).

    A placement runs from an episode that starts one (``placement_starts``) to the next such episode or
    the end of the period of care.
    """
    config = config or Config()
    eps = care_episodes(data)
    flag = placement_starts(eps, config.stability)
    pl = eps.loc[flag, ["CHILD", "period", "DECOM", "PLACE", "period_end"]].rename(columns={"DECOM": "start"})
    next_start = pl["start"].shift(-1).where(pl["period"].eq(pl["period"].shift(-1)))
    pl["end"] = next_start.fillna(pl["period_end"]).astype("datetime64[ns]")
    pl["days"] = (pl["end"] - pl["start"]).dt.days
    return pl.drop(columns="period_end").reset_index(drop=True)


def placement_counts(
    data: Data903, start: DateLike, end: DateLike, config: Config | None = None
) -> pd.DataFrame:
    """Children in care at the end of ``end`` with the number of placements they had in [start, end].

    LAIT 372: placements of 24 hours or more (a placement lasting less than a day is not counted);
    placements open at the start (ending on or after ``start``) and at the end of the period count;
    placements in an earlier period of care within the year count too. Columns: CHILD, placements.
    """
    s, e = as_timestamp(start), as_timestamp(end)
    eps = care_episodes(data)
    cohort = pd.Index(eps.loc[in_care_mask(eps, e), "CHILD"].unique())
    pl = placements(data, config)
    long_enough = pl["days"].isna() | (pl["days"] >= 1)
    in_window = (pl["start"] <= e) & (pl["end"].isna() | (pl["end"] >= s))
    counted = pl[long_enough & in_window & pl["CHILD"].isin(cohort)]
    counts = counted.groupby("CHILD").size().reindex(cohort, fill_value=0)
    return counts.rename("placements").rename_axis("CHILD").reset_index()


def three_plus_placements(
    data: Data903, start: DateLike, end: DateLike, config: Config | None = None
) -> dict[str, float]:
    """Children in care at ``end`` with three or more placements during [start, end] (LAIT 372).

    Returns numerator, denominator (children in care at the end of the period, short breaks excluded)
    and pct. Settings: ``config.stability.count_same_carer_changes`` and ``count_temporary_moves``.
    """
    counts = placement_counts(data, start, end, config)
    num, den = int((counts["placements"] >= 3).sum()), len(counts)
    return {"numerator": num, "denominator": den, "pct": pct(num, den)}


def long_term_stability_children(data: Data903, day: DateLike, config: Config | None = None) -> pd.DataFrame:
    """Children in LAIT 393's denominator at ``day`` and whether they are in its numerator.

    Denominator: children in care at the end of ``day``, aged under 16 at the day, looked after
    continuously for 2.5 years or more (period of care starting on or before the day 30 months earlier).
    Numerator (``stable``): their current placement started on or before the day two years earlier; a
    move to placed for adoption with the same carers continues the placement (the DfE's "adoptive
    placement together with their previous placement"). Columns: CHILD, period_start, placement_start,
    age, stable.
    """
    d = as_timestamp(day)
    eps = care_episodes(data)
    flag = placement_starts(eps, (config or Config()).stability)
    placement_start = eps["DECOM"].where(flag).groupby(eps["period"]).ffill()
    eps = eps.assign(placement_start=placement_start)
    on = eps[in_care_mask(eps, d)].drop_duplicates("CHILD", keep="last")
    on = with_header(on[["CHILD", "period_start", "placement_start"]], data, ("DOB",))
    on["age"] = age_on(on["DOB"], d)
    eligible = (on["age"] < 16).fillna(False) & (on["period_start"] <= d - pd.DateOffset(months=30))
    out = on[eligible.to_numpy(dtype=bool)].drop(columns="DOB").reset_index(drop=True)
    out["stable"] = (out["placement_start"] <= d - pd.DateOffset(years=2)).to_numpy(dtype=bool)
    return out


def long_term_stability(data: Data903, day: DateLike, config: Config | None = None) -> dict[str, float]:
    """LAIT 393 at ``day``: numerator, denominator and pct (see ``long_term_stability_children``)."""
    kids = long_term_stability_children(data, day, config)
    num, den = int(kids["stable"].sum()), len(kids)
    return {"numerator": num, "denominator": den, "pct": pct(num, den)}


__all__ = [
    "long_term_stability",
    "long_term_stability_children",
    "placement_counts",
    "placement_starts",
    "placements",
    "three_plus_placements",
]
