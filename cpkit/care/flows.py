"""Children starting and ceasing to be looked after in a period, with entry needs and exit reasons.

Counts are of *children*, as the DfE counts them in "Children looked after in England including
adoptions" (LAIT 376 started, 392 ceased): a child who started twice in the period counts once, described
by their first start; a child who ceased twice counts once, by the *last* time they ceased ("relate to the
last time the child ceased to be looked after during the year"). ``monthly_movements`` counts periods of
care instead, so that its table adds up.
"""

from __future__ import annotations

import pandas as pd

from cpkit.care.codes import CATEGORY_OF_NEED, NOT_RECORDED, OTHER_REASON, REC_GROUPS
from cpkit.care.common import count_share
from cpkit.care.episodes import DateLike, ceased_in, started_in
from cpkit.ssda903.model import Data903

_REC_TO_GROUP = {code: group for group, codes in REC_GROUPS.items() for code in codes}


def children_started(
    data: Data903, start: DateLike, end: DateLike, include_short_breaks: bool = False
) -> pd.DataFrame:
    """One row per child who started to be looked after in [start, end]: their first period that started."""
    return started_in(data, start, end, include_short_breaks).drop_duplicates("CHILD", keep="first")


def children_ceased(
    data: Data903, start: DateLike, end: DateLike, include_short_breaks: bool = False
) -> pd.DataFrame:
    """One row per child who ceased to be looked after in [start, end]: their last period that ended."""
    ceased = ceased_in(data, start, end, include_short_breaks).sort_values(["CHILD", "end"], kind="stable")
    ceased = ceased.drop_duplicates("CHILD", keep="last").reset_index(drop=True)
    ceased["reason_group"] = rec_group(ceased["end_reason"])
    return ceased


def rec_group(rec: pd.Series) -> pd.Series:
    """The DfE reason-ceased group of each REC code; unknown or blank codes go to ``Other``."""
    return rec.map(_REC_TO_GROUP).fillna(OTHER_REASON).astype("str")


def entries_by_category_of_need(data: Data903, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Children starting to be looked after in the period by category of need at entry (CIN N1-N8).

    The category is that of the first episode of the child's first period of care starting in the period.
    """
    cin = children_started(data, start, end)["first_cin"]
    out = count_share(cin, list(CATEGORY_OF_NEED), "category_of_need")
    out.insert(1, "description", out["category_of_need"].map(CATEGORY_OF_NEED).fillna(NOT_RECORDED))
    return out


def exits_by_reason(data: Data903, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Children ceasing to be looked after in the period by grouped reason (REC of their last exit).

    Groups: ``cpkit.care.codes.REC_GROUPS`` (the DfE's reason groups; anything unrecognised is Other), which
    the section's note (``cpkit.sections.children_in_care.exits_note``) writes out code by code.
    """
    return count_share(children_ceased(data, start, end)["reason_group"], list(REC_GROUPS), "reason")
