"""Children looked after who went missing or were away without authorisation in the period (LAIT 161).

DfE: the percentage of children looked after during the year who had at least one missing incident
(MISSING = M) / away from placement without authorisation (A), counted by child. Denominator: children
looked after at any time in the period (short breaks excluded); incidents count when MIS_START is in
the period and the child is in that denominator.
"""

from __future__ import annotations

import pandas as pd

from cpkit.care.common import pct
from cpkit.care.episodes import DateLike, as_timestamp, care_episodes
from cpkit.ssda903.model import Data903


def looked_after_during(data: Data903, start: DateLike, end: DateLike) -> pd.Index:
    """Children in care at any time in [start, end] (an episode starting by ``end``, not ended before ``start``)."""
    s, e = as_timestamp(start), as_timestamp(end)
    eps = care_episodes(data)
    during = (eps["DECOM"] <= e) & (eps["DEC"].isna() | (eps["DEC"] >= s))
    return pd.Index(eps.loc[during, "CHILD"].unique())


def missing_summary(data: Data903, start: DateLike, end: DateLike) -> dict[str, dict[str, float]]:
    """Children with a missing (M) and with an away (A) incident in the period, over children looked after."""
    s, e = as_timestamp(start), as_timestamp(end)
    cla = looked_after_during(data, start, end)
    m = data.missing
    m = m[(m["MIS_START"] >= s) & (m["MIS_START"] <= e) & m["CHILD"].isin(cla)]
    out = {}
    for key, code in (("missing_pct", "M"), ("away_pct", "A")):
        n = int(m.loc[m["MISSING"].eq(code), "CHILD"].nunique())
        out[key] = {"numerator": n, "denominator": len(cla), "pct": pct(n, len(cla))}
    return out
