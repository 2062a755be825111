"""Health of children looked after 12 months or more (OC2): checks, immunisations, SDQ, offending, substance misuse.

Cohort (DfE; LAIT 3, 162, 202, 239): children looked after at 31 March of the return year who had been
looked after continuously for at least 12 months; continuity is broken if during the year (1 April to
31 March) any episode starts with RNE S, ceases with REC other than X1, or is under legal status V3/V4.
The cohort is computed from Episodes (a period of care started on or before 31 March of the year before,
still open at the end of 31 March, and no V3/V4 episode overlapping the year). Only what happened between
1 April and 31 March counts: with stacked returns, a child who left care after that 31 March stays in.

OC2 rows are those of the return year (``return_year``). OC2 rows for children not in the computed cohort
are left out of the figures and listed by ``oc2_mismatches``; cohort children with no OC2 row stay in the
denominators as not having the check (nothing was recorded for them), and are listed too.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from cpkit.care.common import age_on, pct, rows_for_year, with_header
from cpkit.care.episodes import SHORT_BREAK_LS, care_episodes, in_care_mask
from cpkit.ssda903.model import Data903

SDQ_BANDS = (("sdq_normal_pct", 0, 13), ("sdq_borderline_pct", 14, 16), ("sdq_concern_pct", 17, 40))
# Ages (at 31 March, inclusive) the DfE asks each check of: development assessments under 5, the SDQ 5-16.
DEVELOPMENT_UNDER = 5
SDQ_AGES = (5, 16)


# The cohort in words, for the report's notes (``oc2_cohort`` computes it).
OC2_COHORT = (
    "children looked after continuously for 12 months or more at 31 March (continuity is broken by an "
    "episode in the year that starts a period of care, ends one, or is a short break, legal status "
    + ", ".join(SHORT_BREAK_LS)
    + ")"
)


def oc2_cohort(data: Data903, year: int) -> pd.DataFrame:
    """Children looked after continuously for 12 months or more at 31 March ``year``: CHILD, DOB, age."""
    end = pd.Timestamp(date(year, 3, 31))
    start = pd.Timestamp(date(year - 1, 4, 1))
    eps = care_episodes(data)
    on = eps[in_care_mask(eps, end) & (eps["period_start"] < start)]
    all_eps = care_episodes(data, include_short_breaks=True)
    overlaps = (all_eps["DECOM"] <= end) & (all_eps["DEC"].isna() | (all_eps["DEC"] >= start))
    # Both tests are bounded by the year: a child who left care (or came back) after this 31 March, as a
    # later return in a stack shows, was still continuously looked after in this year.
    started = all_eps["RNE"].eq("S") & all_eps["DECOM"].between(start, end)
    ceased = all_eps["DEC"].between(start, end) & all_eps["REC"].ne("X1")
    # A period of care that *ends* here with REC X1 and no next episode is a ceasing too (``care_episodes``
    # goes by the dates), but the cohort already requires the child in care at the end of 31 March.
    broken = overlaps & (all_eps["LS"].isin(SHORT_BREAK_LS) | started | ceased)
    children = pd.Index(on["CHILD"].unique()).difference(pd.Index(all_eps.loc[broken, "CHILD"].unique()))
    cohort = with_header(pd.DataFrame({"CHILD": children.to_numpy()}), data, ("DOB",))
    cohort["age"] = age_on(cohort["DOB"], end)
    return cohort


def _cohort_with_oc2(data: Data903, year: int) -> pd.DataFrame:
    cohort = oc2_cohort(data, year)
    oc2 = rows_for_year(data.oc2, year).drop_duplicates("CHILD", keep="last").drop(columns="DOB")
    return cohort.merge(oc2, on="CHILD", how="left", indicator=True)


def oc2_mismatches(data: Data903, year: int) -> pd.DataFrame:
    """OC2 rows for children outside the computed cohort, and cohort children with no OC2 row."""
    cohort = set(oc2_cohort(data, year)["CHILD"])
    oc2 = rows_for_year(data.oc2, year)
    extra = oc2.loc[~oc2["CHILD"].isin(cohort), ["CHILD", "source_file", "source_row"]]
    extra = extra.assign(reason="OC2 row for a child not looked after continuously for 12 months")
    missing = pd.DataFrame({"CHILD": sorted(cohort - set(oc2["CHILD"]))})
    missing = missing.assign(reason="in the 12-month cohort but no OC2 row")
    return pd.concat([extra, missing], ignore_index=True)


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].eq("1").fillna(False).astype(bool)


def health_outcomes(data: Data903, year: int) -> dict[str, dict[str, float]]:
    """Headline OC2 measures for return ``year``, each numerator / denominator / pct (or value).

    - health_assessment_pct, teeth_check_pct, immunisations_pct, substance_misuse_pct: flag 1 / cohort;
    - health_surveillance_pct: HEALTH_CHECK 1 / cohort aged under 5 at 31 March;
    - convicted_pct: CONVICTED 1 / cohort aged 10 to 17;
    - sdq_received_pct: SDQ score recorded / cohort aged 5 to 16 (DfE: ages 5-16 inclusive);
      sdq_average: mean score of those (LAIT 162); sdq_*_pct: bands 0-13, 14-16, 17-40 of those scored.
    """
    c = _cohort_with_oc2(data, year)
    age = c["age"].astype("float")
    out: dict[str, dict[str, float]] = {}

    def share(key: str, mask: pd.Series, column: str) -> None:
        num, den = int((_flag(c, column) & mask).sum()), int(mask.sum())
        out[key] = {"numerator": num, "denominator": den, "pct": pct(num, den)}

    everyone = pd.Series(True, index=c.index)
    share("health_assessment_pct", everyone, "HEALTH_ASSESSMENT")
    share("teeth_check_pct", everyone, "TEETH_CHECK")
    share("immunisations_pct", everyone, "IMMUNISATIONS")
    share("health_surveillance_pct", (age < DEVELOPMENT_UNDER).fillna(False), "HEALTH_CHECK")
    share("convicted_pct", ((age >= 10) & (age <= 17)).fillna(False), "CONVICTED")
    share("substance_misuse_pct", everyone, "SUBSTANCE_MISUSE")

    sdq_age = ((age >= SDQ_AGES[0]) & (age <= SDQ_AGES[1])).fillna(False)
    score = pd.to_numeric(c["SDQ_SCORE"], errors="coerce").where(sdq_age)
    score = score.where((score >= 0) & (score <= 40))
    scored = int(score.notna().sum())
    out["sdq_received_pct"] = {
        "numerator": scored,
        "denominator": int(sdq_age.sum()),
        "pct": pct(scored, int(sdq_age.sum())),
    }
    out["sdq_average"] = {
        "numerator": float(score.sum()),
        "denominator": scored,
        "pct": float(score.mean()) if scored else math.nan,
    }
    for key, low, high in SDQ_BANDS:
        n = int(((score >= low) & (score <= high)).sum())
        out[key] = {"numerator": n, "denominator": scored, "pct": pct(n, scored)}
    return out


def sdq_bands(data: Data903, year: int) -> pd.DataFrame:
    """Children aged 5-16 in the OC2 cohort by SDQ band (Normal, Borderline, Concern, No score)."""
    h = health_outcomes(data, year)
    rows = [
        ("Normal (0-13)", h["sdq_normal_pct"]["numerator"]),
        ("Borderline (14-16)", h["sdq_borderline_pct"]["numerator"]),
        ("Cause for concern (17-40)", h["sdq_concern_pct"]["numerator"]),
        ("No score", h["sdq_received_pct"]["denominator"] - h["sdq_received_pct"]["numerator"]),
    ]
    out = pd.DataFrame(rows, columns=["band", "children"])
    total = out["children"].sum()
    out["pct"] = out["children"] * 100.0 / total if total else np.nan
    return out
