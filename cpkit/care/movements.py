"""Month-by-month movement into and out of care: the table in every Corporate Parenting annual report."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cpkit.care.episodes import periods_of_care
from cpkit.ssda903.model import Data903

MOVEMENT_COLUMNS = ["month", "start", "end", "admissions", "ceased", "net"]


def monthly_movements(
    data: Data903, start: str, end: str, include_short_breaks: bool = False
) -> pd.DataFrame:
    """Children in care at the start and end of each month, admissions, ceased and net change.

    ``start``/``end`` are months "YYYY-MM" (inclusive). Per month:
    ``start`` children in care at the end of the day before the 1st; ``end`` at the end of the last day
    (the LAIT 332 rule applied on those days); ``admissions`` periods of care starting in the month
    (the DfE's "started to be looked after", RNE S); ``ceased`` periods ending in the month (an episode
    ending with REC other than X1); ``net`` = end - start.

    Admissions and ceased count *periods of care*, not distinct children: a child who leaves and comes
    back within a month is one admission and one cessation, which is what makes the table add up:
    ``end = start + admissions - ceased`` and ``end(m) = start(m+1)`` hold exactly (periods of a child
    never overlap, see ``cpkit.care.episodes``). Short breaks (V3/V4) are excluded unless asked for, so a
    child moving from V3 to a care order is an admission on the day of the change.
    """
    months = pd.period_range(pd.Period(start, "M"), pd.Period(end, "M"), freq="M")
    if len(months) == 0:
        raise ValueError(f"no months from {start} to {end}")
    periods = periods_of_care(data, include_short_breaks)
    p_start = periods["start"].to_numpy()
    p_end = periods["end"].to_numpy()
    open_ = np.isnat(p_end)

    def stock(day: pd.Timestamp) -> int:
        d = np.datetime64(day, "ns")
        return int(((p_start <= d) & (open_ | (p_end > d))).sum())

    firsts = months.to_timestamp(how="start")
    lasts = months.to_timestamp(how="end").normalize()
    start_counts = [stock(f - pd.Timedelta(days=1)) for f in firsts]
    end_counts = [stock(last) for last in lasts]
    adm = periods["start"].dt.to_period("M").value_counts()
    ceased = periods.loc[~open_, "end"].dt.to_period("M").value_counts()
    out = pd.DataFrame(
        {
            "month": [m.strftime("%Y-%m") for m in months],
            "start": start_counts,
            "end": end_counts,
            "admissions": [int(adm.get(m, 0)) for m in months],
            "ceased": [int(ceased.get(m, 0)) for m in months],
        }
    )
    out["net"] = out["end"] - out["start"]
    return out[MOVEMENT_COLUMNS]
