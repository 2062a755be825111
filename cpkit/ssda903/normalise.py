"""Normalising raw SSDA903 values: the one place that decides what a date or a code looks like.

Every function is vectorised (pyarrow string kernels under pandas' ``str`` dtype). Date parsing
works on the distinct values only (a million episode rows hold a few thousand distinct dates), which
is what keeps a national-scale load fast.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from cpkit.ssda903 import codes as codelists

# Text date forms accepted, tried in this order. dd/mm/YYYY is the DfE's; the others are what
# spreadsheet and database exports produce. Two-digit years are refused: 01/04/99 is ambiguous.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
# A time of day after the date ("2024-04-01 00:00:00", "2024-04-01T00:00", "01/04/2024 00:00").
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d*)?)?$")
# Excel serial day numbers accepted as dates: 10000 is 18 May 1927, 80000 is 10 January 2119. A
# bare number outside this range is more likely a typo than a date, so it is reported instead.
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 10_000, 80_000
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL = re.compile(r"^\d{5}(\.0*)?$")


def _as_text(values: pd.Series) -> pd.Series:
    return values if values.dtype == "str" else values.astype("str")


def clean_text(values: pd.Series) -> pd.Series:
    """Strip spaces; blank becomes missing. For identifiers and postcodes."""
    s = _as_text(values).str.strip()
    return s.where(s != "", None)


def blank_mask(values: pd.Series) -> pd.Series:
    """True where a cell is empty: missing, or only spaces."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.isna()
    return clean_text(values).isna()


# A whole number a spreadsheet wrote as a decimal ("1.0", "2.00"): codes are never decimals.
_WHOLE_DECIMAL = r"^(\d+)\.0+$"


def clean_code(values: pd.Series, column: str | None = None) -> pd.Series:
    """Strip, upper-case, blank to missing, "1.0" to "1" (a spreadsheet's number: MOTHER, flags,
    NB_ADOPTR, SDQ_SCORE), and map old spellings (SEX 1 -> M) for ``column``."""
    s = clean_text(values).str.upper()
    s = s.str.replace(_WHOLE_DECIMAL, r"\1", regex=True)
    name = codelists.list_for_column(column) if column else None
    mapping = codelists.aliases(name) if name else {}
    return s.replace(mapping) if mapping else s


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates in any accepted form.

    Returns ``(dates, bad)``: ``dates`` is ``datetime64[ns]`` with ``NaT`` for blank or unparseable
    cells; ``bad`` is True where a non-blank cell could not be read as a date (the caller reports it).
    Accepts text in ``DATE_FORMATS`` (with or without a time), Excel serial numbers (as text or
    numbers) and real datetimes (from xlsx).
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values.astype("datetime64[ns]")
        return out, pd.Series(False, index=values.index)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if values.dtype == "str":  # CSV: all text, no per-value type tests needed
        text = pd.Series(uniques, dtype="str")
        parsed = _parse_text(text)
        blank_u = (text.str.strip() == "").to_numpy()
    else:
        parsed = _parse_distinct(list(uniques))
        blank_u = np.array([isinstance(v, str) and not v.strip() for v in uniques], dtype=bool)
    known = codes >= 0
    safe = np.where(known, codes, 0)
    nat = np.datetime64("NaT", "ns")
    taken = np.where(known, parsed[safe] if len(parsed) else nat, nat)
    dates = pd.Series(taken.astype("datetime64[ns]"), index=values.index)
    blank = ~known | (blank_u[safe] if len(blank_u) else True)
    bad = dates.isna().to_numpy() & ~blank
    return dates, pd.Series(bad, index=values.index)


def _parse_distinct(values: list[object]) -> np.ndarray:
    """Parse distinct raw values (text, numbers or datetimes, from xlsx) into a datetime64[ns] array."""
    out = np.full(len(values), np.datetime64("NaT", "ns"), dtype="datetime64[ns]")
    text_pos: list[int] = []
    text: list[str] = []
    for i, v in enumerate(values):
        if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
            out[i] = np.datetime64(pd.Timestamp(v).normalize().to_datetime64(), "ns")
        elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            if not np.isnan(v) and EXCEL_SERIAL_MIN <= v <= EXCEL_SERIAL_MAX and float(v).is_integer():
                out[i] = (_EXCEL_EPOCH + pd.Timedelta(days=int(v))).to_datetime64()
        elif isinstance(v, str):
            text_pos.append(i)
            text.append(v)
    if text:
        out[np.array(text_pos)] = _parse_text(pd.Series(text, dtype="str"))
    return out


def _parse_text(text: pd.Series) -> np.ndarray:
    """Parse distinct date texts: each accepted format in turn, then Excel serial numbers."""
    s = text.str.strip().str.replace(_TIME_SUFFIX, "", regex=True)
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = result.isna()
        if not todo.any():
            break
        result[todo] = pd.to_datetime(s[todo], format=fmt, errors="coerce")
    serial = (result.isna() & s.str.match(_SERIAL)).fillna(False)
    if serial.any():
        n = pd.to_numeric(s[serial]).astype("int64")
        n = n[(n >= EXCEL_SERIAL_MIN) & (n <= EXCEL_SERIAL_MAX)]
        result[n.index] = _EXCEL_EPOCH + pd.to_timedelta(n, unit="D")
    return result.to_numpy(dtype="datetime64[ns]")


def collection_year(dates: pd.Series) -> pd.Series:
    """The return year a date falls in (1 April to 31 March): 2024-05-01 -> 2025, 2025-03-31 -> 2025."""
    year = dates.dt.year + (dates.dt.month >= 4).astype("int64")
    return year.astype("Int64")
