"""Building the issue and set-aside frames the reader and the checks return, without row loops.

An issue names the file, the table (the DfE's name, as officers know it), the row as a person counts
it in the file (the heading row is row 1, the first data row row 2; 1 for a problem with the file's
headings; missing for a whole-file problem), the column, the offending value, the rule, its severity
a message and the return year it concerns (``year``, missing where unknown).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pandas as pd

from cpkit.ssda903.model import ISSUE_COLUMNS, SET_ASIDE_COLUMNS
from cpkit.ssda903.rules import default_severity
from cpkit.ssda903.tables import DFE_NAMES

HEADING_ROW = 1


def make_issues(
    *,
    file: object,
    table: str | None,
    row: object,
    column: object,
    value: object,
    rule: str,
    message: object,
    severity: str | None = None,
    year: object = None,
) -> pd.DataFrame:
    """Issues from scalars or aligned Series (scalars are repeated); ``table`` is the kit's name;
    ``year`` the return year (a scalar or a Series aligned with the others)."""
    parts = {
        "file": file,
        "table": DFE_NAMES.get(table, table) if table else None,
        "row": row,
        "column": column,
        "value": value,
        "rule": rule,
        "severity": severity or default_severity(rule),
        "message": message,
        "year": year,
    }
    lengths = {len(v) for v in parts.values() if isinstance(v, pd.Series)}
    if not lengths:
        frame = pd.DataFrame([parts])
    else:
        index = next(v.index for v in parts.values() if isinstance(v, pd.Series))
        frame = pd.DataFrame(
            {k: (v.to_numpy() if isinstance(v, pd.Series) else [v] * len(index)) for k, v in parts.items()}
        )
    return tidy_issues([frame])


_TEXT_FIELDS = ("file", "table", "column", "value", "rule", "severity", "message")


@cache
def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c in ("row", "year") else "str") for c in columns})


def tidy_issues(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate issue frames into one with the standard columns and dtypes."""
    frames = [f if "year" in f.columns else f.assign(year=pd.NA) for f in frames if len(f)]
    if not frames:
        return _empty(tuple(ISSUE_COLUMNS)).copy()
    out = (
        frames[0][ISSUE_COLUMNS]
        if len(frames) == 1
        else pd.concat([f[ISSUE_COLUMNS] for f in frames], ignore_index=True)
    )
    out = out.reset_index(drop=True)
    for c in ("row", "year"):
        if out[c].dtype != "Int64":
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
    for c in _TEXT_FIELDS:
        if out[c].dtype != "str":
            out[c] = out[c].astype("str")
    return out


def make_set_aside(*, file: object, table: str, row: object, reason: object) -> pd.DataFrame:
    """Set-aside rows from scalars or aligned Series (aligned by position); ``table`` is the kit's name."""
    parts = {"file": file, "table": DFE_NAMES.get(table, table), "row": row, "reason": reason}
    n = next((len(v) for v in parts.values() if isinstance(v, pd.Series)), 1)
    return pd.DataFrame(
        {
            k: (v.reset_index(drop=True) if isinstance(v, pd.Series) else pd.Series([v] * n, dtype="str"))
            for k, v in parts.items()
        }
    )


def tidy_set_aside(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty(tuple(SET_ASIDE_COLUMNS)).copy()
    out = pd.concat([f[SET_ASIDE_COLUMNS] for f in frames], ignore_index=True)
    if out["row"].dtype != "Int64":
        out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    for c in ("file", "table", "reason"):
        if out[c].dtype != "str":
            out[c] = out[c].astype("str")
    return out
