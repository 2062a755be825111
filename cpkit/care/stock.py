"""Who is in care on a day, broken down: age band, sex, ethnicity, legal status, category of need, UASC.

Every breakdown counts *children* in care at the end of the day (LAIT 332 rule, see
``cpkit.care.episodes``), short breaks (V3/V4) excluded unless asked for, and returns one row per
group with ``children`` and ``pct`` (share of all children in care that day). Source: DfE "Children
looked after in England including adoptions", national and local authority tables at 31 March.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cpkit.care.codes import (
    AGE_BANDS,
    CATEGORY_OF_NEED,
    ETHNICITY_NOT_KNOWN,
    LEGAL_STATUS,
    NOT_RECORDED,
    WHITE_BRITISH,
)
from cpkit.care.common import age_band, age_on, band_order, count_share, with_header
from cpkit.care.episodes import DateLike, as_timestamp, in_care_on
from cpkit.ssda903.model import Data903


def children_on(data: Data903, day: DateLike, include_short_breaks: bool = False) -> pd.DataFrame:
    """Children in care at the end of ``day`` with their open episode, Header details, age and age band."""
    on = with_header(in_care_on(data, day, include_short_breaks), data)
    on["age"] = age_on(on["DOB"], day)
    on["age_band"] = age_band(on["age"])
    return on


def stock_by_age(data: Data903, day: DateLike, include_short_breaks: bool = False) -> pd.DataFrame:
    """Children in care by age band at ``day`` (age at the day from Header DOB; DfE bands)."""
    return count_share(children_on(data, day, include_short_breaks)["age_band"], band_order(), "age_band")


def stock_by_sex(data: Data903, day: DateLike, include_short_breaks: bool = False) -> pd.DataFrame:
    """Children in care by sex at ``day`` (Header SEX; 1/2 before 2024-25 are shown as M/F)."""
    sex = children_on(data, day, include_short_breaks)["SEX"].replace({"1": "M", "2": "F"})
    return count_share(sex, ["M", "F", "U"], "sex")


def stock_by_ethnicity(data: Data903, day: DateLike, include_short_breaks: bool = False) -> pd.DataFrame:
    """Children in care by ethnic code at ``day`` (Header ETHNIC, the DfE's 18+ codes)."""
    return count_share(children_on(data, day, include_short_breaks)["ETHNIC"], None, "ethnicity")


def ethnic_minority_by_age(data: Data903, day: DateLike, include_short_breaks: bool = False) -> pd.DataFrame:
    """Share of children from ethnic minority backgrounds (any code but WBRI) per age band, and overall.

    Children with no ethnicity recorded, blank or recorded as refused or not yet obtained
    (``ETHNICITY_NOT_KNOWN``: REFU, NOBT), are counted in ``not_recorded`` and left out of the share's
    denominator (a council cannot say which background they are from; the DfE publishes them as their own
    groups). Columns: age_band, children, ethnic_minority, not_recorded, pct.
    """
    on = children_on(data, day, include_short_breaks)
    known = on["ETHNIC"].notna() & ~on["ETHNIC"].isin(ETHNICITY_NOT_KNOWN)
    minority = known & on["ETHNIC"].ne(WHITE_BRITISH)
    frame = pd.DataFrame({"age_band": on["age_band"], "minority": minority, "known": known})
    grouped = frame.groupby("age_band").agg(
        children=("known", "size"), ethnic_minority=("minority", "sum"), known=("known", "sum")
    )
    standard = [b for b in band_order() if b in grouped.index or b in {label for label, _, _ in AGE_BANDS}]
    grouped = grouped.reindex(standard, fill_value=0)
    total = pd.DataFrame(grouped.sum()).T.set_axis(["All ages"])
    out = pd.concat([grouped, total]).astype("int64")
    out["not_recorded"] = out["children"] - out["known"]
    out["pct"] = np.where(
        out["known"] > 0, 100.0 * out["ethnic_minority"] / out["known"].replace(0, 1), np.nan
    )
    return out.drop(columns="known").rename_axis("age_band").reset_index()


def stock_by_legal_status(data: Data903, day: DateLike, include_short_breaks: bool = False) -> pd.DataFrame:
    """Children in care by legal status of their open episode at ``day`` (LS code and its name)."""
    out = count_share(children_on(data, day, include_short_breaks)["LS"], list(LEGAL_STATUS), "legal_status")
    out.insert(1, "description", out["legal_status"].map(LEGAL_STATUS).fillna(NOT_RECORDED))
    return out


def stock_by_category_of_need(
    data: Data903, day: DateLike, include_short_breaks: bool = False
) -> pd.DataFrame:
    """Children in care by category of need of their open episode at ``day`` (CIN N1-N8)."""
    cin = children_on(data, day, include_short_breaks)["CIN"]
    out = count_share(cin, list(CATEGORY_OF_NEED), "category_of_need")
    out.insert(1, "description", out["category_of_need"].map(CATEGORY_OF_NEED).fillna(NOT_RECORDED))
    return out


def uasc_flags(data: Data903, children: pd.Series, day: DateLike) -> pd.Series:
    """True for each child who was an unaccompanied asylum-seeking child at the end of ``day``.

    A child is UASC on the day if the *latest* return holding the child (in Header or UASC) has a UASC row
    for them whose DUC (date UASC status ceased) is blank or after the day (DfE; LAIT 334). Earlier
    returns in a stack are history: a UASC row the latest return no longer carries, or one it has since
    given a DUC, does not make the child UASC. Except a row whose DUC fell before the latest return's
    year began: that return holds the child (a care leaver's Header row) but must not repeat a status
    that ended before its year (DfE rule 104), so the earlier row still tells the child's past.
    A table with no ``return_year`` is one return.
    """
    d = as_timestamp(day)
    uasc = data.uasc
    latest = pd.concat([data.header[["CHILD", "return_year"]], uasc[["CHILD", "return_year"]]])
    latest = latest.dropna(subset=["return_year"]).groupby("CHILD")["return_year"].max()
    ry = uasc["CHILD"].map(latest)
    from_latest = ry.isna() | uasc["return_year"].isna() | uasc["return_year"].eq(ry).fillna(False)
    year_start = pd.to_datetime((ry - 1).astype("Int64").astype("string") + "-04-01", errors="coerce")
    from_latest |= (uasc["DUC"] < year_start).fillna(False)
    current = uasc.loc[from_latest & (uasc["DUC"].isna() | (uasc["DUC"] > d)), "CHILD"]
    return children.isin(set(current)).to_numpy()


def uasc_on(data: Data903, day: DateLike, include_short_breaks: bool = False) -> pd.DataFrame:
    """Children in care at ``day`` who were UASC, and all children: rows UASC / Not UASC with pct."""
    on = children_on(data, day, include_short_breaks)
    flag = pd.Series(np.where(uasc_flags(data, on["CHILD"], day), "UASC", "Not UASC"), dtype="str")
    return count_share(flag, ["UASC", "Not UASC"], "uasc")
