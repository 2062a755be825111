"""Small helpers every measure uses: ages, shares, joining the header, the headline result record."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cpkit.care.codes import AGE_18_PLUS, AGE_BANDS, NOT_RECORDED
from cpkit.care.episodes import DateLike, as_timestamp, memo
from cpkit.ssda903.model import Data903


@dataclass(frozen=True)
class Headline:
    """One headline figure before the registry's label, unit and polarity are attached."""

    indicator: str
    value: float
    numerator: float = math.nan
    denominator: float = math.nan
    definition: str = ""
    reason: str = ""  # why the value is NaN, when it is
    # Children counted whose figure needs a date from before the first return that the data does not
    # hold (``cpkit.care.history``); the year is then not given for a measure with a ``lookback``.
    unknown_history: int = 0


def pct(numerator: float, denominator: float) -> float:
    """Percentage, NaN when there is nobody to count (never a division by zero)."""
    return 100.0 * numerator / denominator if denominator else math.nan


def age_on(dob: pd.Series, day: DateLike) -> pd.Series:
    """Completed years of age at the end of ``day`` (a birthday on ``day`` counts); NA for unknown DOB."""
    d = as_timestamp(day)
    before_birthday = (dob.dt.month > d.month) | ((dob.dt.month == d.month) & (dob.dt.day > d.day))
    age = d.year - dob.dt.year - before_birthday.astype("int64")
    return age.astype("Int64")


def age_band(age: pd.Series) -> pd.Series:
    """The DfE age band for each age (``Not recorded`` when unknown, ``18 and over`` beyond 17)."""
    out = pd.Series(NOT_RECORDED, index=age.index, dtype="str")
    known = age.notna()
    vals = age.fillna(-1).astype("int64")
    for label, low, high in AGE_BANDS:
        out = out.mask(known & (vals >= low) & (vals <= high), label)
    return out.mask(known & (vals >= 18), AGE_18_PLUS)


def band_order() -> list[str]:
    return [b[0] for b in AGE_BANDS] + [AGE_18_PLUS, NOT_RECORDED]


def with_header(
    frame: pd.DataFrame, data: Data903, columns: tuple[str, ...] = ("SEX", "DOB", "ETHNIC")
) -> pd.DataFrame:
    """Add Header columns by CHILD (one Header row per child: the latest return's, if stacked)."""
    return frame.join(header_by_child(data)[list(columns)], on="CHILD")


def header_by_child(data: Data903) -> pd.DataFrame:
    """One Header row per child (the latest return's, if stacked), indexed by CHILD; built once per
    Header table (the measures join it some 35 times for five years); do not modify it."""
    return memo(data.header, "header_by_child", lambda: _header_by_child(data.header))


def _header_by_child(header: pd.DataFrame) -> pd.DataFrame:
    head = header.sort_values(["return_year", "source_row"], na_position="first", kind="stable")
    return head.drop_duplicates("CHILD", keep="last").set_index("CHILD")


def count_share(values: pd.Series, order: list[str] | None = None, name: str = "group") -> pd.DataFrame:
    """Children per value and their share (%): columns ``name``, children, pct; blank is Not recorded."""
    vals = values.astype("object").where(values.notna(), NOT_RECORDED)
    counts = vals.value_counts()
    if order is not None:
        extra = [k for k in counts.index if k not in order]
        counts = counts.reindex(list(order) + sorted(extra), fill_value=0)
    else:
        counts = counts.sort_index()
    total = int(counts.sum())
    out = pd.DataFrame({name: counts.index.astype("str"), "children": counts.to_numpy().astype("int64")})
    out["pct"] = out["children"] * 100.0 / total if total else np.nan
    return out.reset_index(drop=True)


def rows_for_year(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of a return table (OC2, OC3, AD1...) for collection ``year``.

    A table read from a single return may have no ``return_year``; then all its rows are taken as the
    year's (there is nothing else they could belong to).
    """
    ry = table["return_year"]
    if ry.notna().any():
        return table[ry.eq(year).fillna(False)]
    return table
