"""Hand-built SSDA903 histories for the forecast tests (the kit's cleaned form, built in code)."""

from __future__ import annotations

import pandas as pd

from cpkit.ssda903.model import Data903
from cpkit.ssda903.tables import DATE_COLUMNS, PROVENANCE, TABLE_COLUMNS


def _clean(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=range(len(frame)))
    for col in TABLE_COLUMNS[name]:
        values = frame[col] if col in frame else pd.Series([None] * len(frame), dtype=object)
        values = values.reset_index(drop=True)
        if col in DATE_COLUMNS:
            out[col] = pd.to_datetime(values, format="%d/%m/%Y").astype("datetime64[ns]")
        else:
            out[col] = values.astype(object).where(values.notna(), None).astype("str")
    out["source_file"] = f"{name}.csv"
    out["source_row"] = range(2, len(frame) + 2)
    years = frame["return_year"].to_numpy() if "return_year" in frame else [pd.NA] * len(frame)
    out["return_year"] = pd.array(years, dtype="Int64")
    return out[list(TABLE_COLUMNS[name]) + list(PROVENANCE)]


def build(episodes: list[tuple], dobs: dict[str, str], return_years: list[int] | None = None) -> Data903:
    """Episodes as (CHILD, DECOM, DEC or None, PLACE); every child's DOB as dd/mm/YYYY.

    Legal status C2 and RNE S for all (the forecast reads only dates, PLACE and DOB); ``return_years``
    gives each episode row its collection year where a test needs stacked returns.
    """
    eps = pd.DataFrame(episodes, columns=["CHILD", "DECOM", "DEC", "PLACE"], dtype=object)
    eps["RNE"], eps["LS"], eps["CIN"], eps["PLACE_PROVIDER"] = "S", "C2", "N1", "PR1"
    eps["REC"] = [None if d is None else "E8" for d in eps["DEC"]]
    if return_years is not None:
        eps["return_year"] = return_years
    head = pd.DataFrame({"CHILD": list(dobs), "DOB": list(dobs.values()), "SEX": "1", "ETHNIC": "WBRI"})
    return Data903(tables={"episodes": _clean("episodes", eps), "header": _clean("header", head)})
