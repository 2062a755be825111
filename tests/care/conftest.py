"""Builders for hand-made SSDA903 tables used by the care indicator tests.

``Data903.from_frames`` currently fails on blank code values under pandas 3 (``str.map`` turns ``None``
into NaN before ``.upper()``), so these builders clean the frames themselves, the way the reader does:
code columns as the ``str`` dtype with NaN for blank, dates parsed from dd/mm/YYYY.
"""

from __future__ import annotations

import pandas as pd

from cpkit.ssda903.model import Data903
from cpkit.ssda903.tables import DATE_COLUMNS, PROVENANCE, TABLE_COLUMNS

EPISODE_FIELDS = ["CHILD", "DECOM", "DEC", "RNE", "LS", "CIN", "PLACE", "REC"]


def clean(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A hand-built table in the kit's cleaned form (all columns, dtypes, provenance)."""
    out = pd.DataFrame(index=range(len(frame)))
    for col in TABLE_COLUMNS[name]:
        values = frame[col] if col in frame else pd.Series([None] * len(frame), dtype=object)
        values = values.reset_index(drop=True)
        if col in DATE_COLUMNS:
            out[col] = pd.to_datetime(values, format="%d/%m/%Y").astype("datetime64[ns]")
        else:
            out[col] = values.astype(object).where(values.notna(), None).astype("str")
    out["source_file"] = frame["source_file"].to_numpy() if "source_file" in frame else f"{name}.csv"
    out["source_row"] = range(1, len(frame) + 1)
    years = frame["return_year"].to_numpy() if "return_year" in frame else [pd.NA] * len(frame)
    out["return_year"] = pd.array(years, dtype="Int64")
    return out[list(TABLE_COLUMNS[name]) + list(PROVENANCE)]


def episodes_frame(rows: list[tuple], **extra: list) -> pd.DataFrame:
    """Rows as (CHILD, DECOM, DEC, RNE, LS, CIN, PLACE, REC); None for blank; extra columns by keyword."""
    frame = pd.DataFrame(rows, columns=EPISODE_FIELDS, dtype=object)
    for col, values in extra.items():
        frame[col] = values
    if "PLACE_PROVIDER" not in frame:
        frame["PLACE_PROVIDER"] = "PR1"
    return frame


def build(
    rows: list[tuple],
    header: list[tuple] | None = None,
    episode_extra: dict | None = None,
    **tables: pd.DataFrame,
) -> Data903:
    """A Data903 from episode rows; header rows as (CHILD, SEX, DOB, ETHNIC), default for every child."""
    eps = episodes_frame(rows, **(episode_extra or {}))
    if header is None:
        header = [(c, "M", "01/01/2010", "WBRI") for c in dict.fromkeys(eps["CHILD"])]
    head = pd.DataFrame(header, columns=["CHILD", "SEX", "DOB", "ETHNIC"], dtype=object)
    cleaned = {"episodes": clean("episodes", eps), "header": clean("header", head)}
    cleaned.update({name: clean(name, frame) for name, frame in tables.items()})
    return Data903(tables=cleaned)
