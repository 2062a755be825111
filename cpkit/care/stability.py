"""Placement stability: three or more placements in the year (LAIT 372) and long-term stability (LAIT 393).

The 3+ placements measure rests on "does this episode start a new placement?", answered by
``placement_starts`` with the choices the DfE leaves to the council in ``config.stability``. Long-term
stability asks a different question, "since when has the child lived with this carer?" (``carer_starts``,
``long_term_starts``, ``carer_since``), which the DfE defines exactly, so it takes no settings.
"""

from __future__ import annotations

import pandas as pd

from cpkit.care.codes import (
    ADOPTION_PLACEMENTS,
    ADOPTION_WITH_CURRENT_CARER,
    FOSTERING_FOR_ADOPTION,
    LEGAL_ONLY_RNE,
    NEW_CARER_RNE,
    SAME_CARER_RNE,
    TEMPORARY_PLACEMENTS,
)
from cpkit.care.common import age_on, pct, with_header
from cpkit.care.episodes import DateLike, as_timestamp, care_episodes, in_care_mask, memo
from cpkit.care.history import coverage_start, cut_short
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
    the end of the period of care. Built once per Episodes table and settings (every year's 3+ placements
    reads it); do not modify it.
    """
    settings = (config or Config()).stability
    eps = care_episodes(data)
    name = f"placements:{settings.count_same_carer_changes}:{settings.count_temporary_moves}"
    return memo(eps, name, lambda: _placements(eps, settings))


def _placements(eps: pd.DataFrame, settings: StabilitySettings) -> pd.DataFrame:
    flag = placement_starts(eps, settings)
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


def carer_starts(eps: pd.DataFrame) -> pd.Series:
    """True where an episode (from ``care_episodes``) starts the child's time with a new carer.

    The carer changes with the first episode of a period of care (RNE S, or whatever the first episode
    says: the dates decide periods) and with RNE P or B (placement and carer change); RNE T and U (a change
    of placement with the same carer, e.g. U6 to U4 when the carers are approved long-term) and L (legal
    status only) keep the carer. A blank or unrecognised RNE changes the carer only if PLACE changes.
    This is the DfE's "same carer" (CLA release data guidance, placement stability notes) and does not
    depend on the 3+ placements settings.
    """
    return memo(eps, "carer_starts", lambda: _carer_starts(eps))


def _carer_starts(eps: pd.DataFrame) -> pd.Series:
    rne = eps["RNE"]
    first = ~eps["period"].eq(eps["period"].shift(1))
    known = list(NEW_CARER_RNE) + list(SAME_CARER_RNE) + list(LEGAL_ONLY_RNE) + ["S"]
    unknown_change = ~rne.isin(known) & eps["PLACE"].ne(eps["PLACE"].shift(1))
    return (first | rne.isin(NEW_CARER_RNE) | unknown_change).astype(bool)


def long_term_starts(eps: pd.DataFrame) -> pd.Series:
    """True where an episode starts the clock of LAIT 393's "living with the same carer": a new carer
    (``carer_starts``), or a move into a fostering-for-adoption placement (PLACE U2 or U5 after an episode
    with another PLACE), which restarts it even with the same carer (RNE T or U).

    The DfE's data guidance, la_cla_placement_stability.csv footnote 2 (2023 release, data-guidance.txt
    line 1363; the same footnote on the national 2.5-year table, line 1335): since the 2020 publication the
    figures "include children in fostering placements with relative(s) or friend(s) or other foster
    carers who is/are also an approved adopter(s) - fostering for adoption/concurrent planning (placement
    codes U2 and U5) as a placement change". A legal status change (RNE L) or a same-carer move that stays
    in U2/U5 is not a move into it. ``carer_starts`` itself does not apply this rule: A10 asks when the
    child moved in with the carers who adopted them, and a same-carer move into U5 is not a move.
    """
    return memo(eps, "long_term_starts", lambda: _long_term_starts(eps))


def _long_term_starts(eps: pd.DataFrame) -> pd.Series:
    same_period = eps["period"].eq(eps["period"].shift(1))
    into_ffa = (
        eps["PLACE"].isin(FOSTERING_FOR_ADOPTION) & eps["PLACE"].ne(eps["PLACE"].shift(1)) & same_period
    )
    return (carer_starts(eps) | into_ffa).astype(bool)


def carer_since(eps: pd.DataFrame) -> pd.Series:
    """For each episode, the day the child's placement started as LAIT 393 counts it: the day the child
    started living with the carer of that episode, or moved into a fostering-for-adoption placement
    after it (``long_term_starts``).

    For an episode in a placement for adoption (A3-A6), the day the placement *before* the adoptive
    placement started instead, whoever its carer: the DfE counts "their adoptive placement and their
    previous placement combined" (LAIT 393). The adoptive placement starts at the first of a run of A3-A6
    episodes; if it is the first placement of the period, its own start.
    """
    starts = long_term_starts(eps)
    since = eps["DECOM"].where(starts).groupby(eps["period"]).ffill()
    adoptive = eps["PLACE"].isin(ADOPTION_PLACEMENTS)
    same_period_prev = eps["period"].eq(eps["period"].shift(1))
    run_start = adoptive & ~(adoptive.shift(1, fill_value=False) & same_period_prev)
    # The carer start of the episode just before the adoptive placement (its own carer start if none).
    before = since.shift(1).where(same_period_prev)
    combined = before.where(run_start).fillna(since.where(run_start))
    combined = combined.where(run_start).groupby(eps["period"]).ffill()
    return since.where(~adoptive, combined).astype("datetime64[ns]")


def long_term_stability_children(data: Data903, day: DateLike) -> pd.DataFrame:
    """Children in LAIT 393's denominator at ``day`` and whether they are in its numerator.

    Denominator: children in care at the end of ``day``, aged under 16 that day, looked after
    continuously for 2.5 years or more: their period of care started on or before the day 30 months
    earlier (30 September two and a half years before a 31 March). Numerator (``stable``): living with
    the same carer for 2 years or more: the carer's placement started on or before the day two years
    earlier (31 March two years before), the carer kept through RNE T, U and L except that a move into
    a fostering-for-adoption placement (U2, U5) starts the clock again (``long_term_starts``); a child
    placed for adoption counts the adoptive placement together with the placement before it
    (``carer_since``). Source: CLA release data guidance, placement stability footnotes 2 and 3. Columns:
    CHILD, period_start, carer_since, age, stable.

    ``attrs["unknown_history"]``: children under 16 in care that day whose place in the measure depends
    on a start before the first return that the data does not hold (``cpkit.care.history``): a cut-short
    period starting after the 30-month day (in or out of the denominator?), or a cut-short carer start
    after the two-year day (in or out of the numerator?). The figure is not to be given when any is.
    """
    d = as_timestamp(day)
    eps = care_episodes(data)
    first_day = coverage_start(data)
    # the same for every day: once per Episodes table and first day
    eps = memo(eps, f"carer_since_cut:{first_day}", lambda: _with_carer_since(eps, first_day))
    on = eps[in_care_mask(eps, d)].drop_duplicates("CHILD", keep="last")
    on = with_header(on[["CHILD", "period_start", "carer_since", "period_cut", "carer_cut"]], data, ("DOB",))
    on["age"] = age_on(on["DOB"], d)
    under_16 = (on["age"] < 16).fillna(False).to_numpy(dtype=bool)
    long_enough = (on["period_start"] <= d - pd.DateOffset(months=30)).to_numpy(dtype=bool)
    stable = (on["carer_since"] <= d - pd.DateOffset(years=2)).to_numpy(dtype=bool)
    unsure = (on["period_cut"].to_numpy(dtype=bool) & ~long_enough) | (
        long_enough & on["carer_cut"].to_numpy(dtype=bool) & ~stable
    )
    out = on[under_16 & long_enough].drop(columns=["DOB", "period_cut", "carer_cut"]).reset_index(drop=True)
    out["stable"] = stable[under_16 & long_enough]
    out.attrs["unknown_history"] = int((under_16 & unsure).sum())
    return out


def _with_carer_since(eps: pd.DataFrame, first_day: pd.Timestamp | None) -> pd.DataFrame:
    """``eps`` with ``carer_since`` and its cut-short flags (``cut_short`` reads ``carer_since``)."""
    eps = eps.assign(carer_since=carer_since(eps))
    return eps.join(cut_short(eps, first_day))


def long_term_stability(data: Data903, day: DateLike) -> dict[str, float]:
    """LAIT 393 at ``day``: numerator, denominator, pct and unknown_history (see
    ``long_term_stability_children``)."""
    kids = long_term_stability_children(data, day)
    num, den = int(kids["stable"].sum()), len(kids)
    return {
        "numerator": num,
        "denominator": den,
        "pct": pct(num, den),
        "unknown_history": kids.attrs["unknown_history"],
    }


__all__ = [
    "carer_since",
    "carer_starts",
    "long_term_stability",
    "long_term_starts",
    "long_term_stability_children",
    "placement_counts",
    "placement_starts",
    "placements",
    "three_plus_placements",
]
