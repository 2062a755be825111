"""The small-number rule applied where figures leave for publication.

Counts from 1 to ``threshold - 1`` are shown as the council's symbol (default "<5", after the DfE's
practice of suppressing counts under 5); zero is shown. A percentage whose numerator or denominator is
suppressed is suppressed too. Where a row of counts has a published total, a single suppressed cell could
be worked back from the total and the other cells, so the next smallest cell is suppressed as well
(secondary suppression). Measures compute with true numbers; only presentation suppresses.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def is_small(n: object, threshold: int) -> bool:
    """True for a count that the rule hides: 1 <= n < threshold."""
    if n is None or pd.isna(n):  # type: ignore[arg-type]
        return False
    return 0 < float(n) < threshold  # type: ignore[arg-type]


def suppress_value(n: object, threshold: int = 5, symbol: str = "<5") -> str:
    """A single count as published text."""
    if n is None or pd.isna(n):  # type: ignore[arg-type]
        return ""
    return symbol if is_small(n, threshold) else f"{int(round(float(n))):,}"  # type: ignore[arg-type]


def suppress_pct(
    pct: object,
    numerator: object,
    denominator: object,
    threshold: int = 5,
    symbol: str = "<5",
    decimals: int = 0,
) -> str:
    """A percentage as published text: hidden when its numerator or denominator is hidden."""
    if pct is None or pd.isna(pct):  # type: ignore[arg-type]
        return ""
    if is_small(numerator, threshold) or is_small(denominator, threshold):
        return "c"  # the DfE's symbol for a confidential (suppressed) figure
    return f"{float(pct):.{decimals}f}%"  # type: ignore[arg-type]


def suppress_counts(
    df: pd.DataFrame,
    columns: Sequence[str],
    threshold: int = 5,
    symbol: str = "<5",
    *,
    total_column: str | None = None,
    axis: str = "row",
) -> pd.DataFrame:
    """Return a copy with ``columns`` as published text, with secondary suppression.

    ``axis="row"``: each row's cells in ``columns`` add up to ``total_column`` (when given) so a lone hidden
    cell in a row is protected by also hiding the row's next smallest non-zero cell. ``axis="column"``: the
    same down each column (a table whose last row is the total).
    """
    values = df[list(columns)].apply(pd.to_numeric, errors="coerce")
    hide = values.apply(lambda s: s.map(lambda v: is_small(v, threshold)))
    if total_column is not None or axis == "column":
        hide = _secondary(values, hide, axis)
    out = df.copy()
    for col in columns:
        out[col] = [
            symbol if h else suppress_value(v, threshold, symbol)
            for v, h in zip(values[col], hide[col], strict=True)
        ]
    if total_column is not None and total_column not in columns:
        out[total_column] = [suppress_value(v, threshold, symbol) for v in df[total_column]]
    return out


def _secondary(values: pd.DataFrame, hide: pd.DataFrame, axis: str) -> pd.DataFrame:
    """Hide the next smallest cell wherever exactly one cell of a line (row or column) is hidden."""
    hide = hide.copy()
    frame = values if axis == "row" else values.T
    mask = hide if axis == "row" else hide.T
    mask = mask.copy()
    for idx in frame.index:
        line, flags = frame.loc[idx], mask.loc[idx]
        if flags.sum() == 1:
            candidates = line[(~flags) & (line > 0)].sort_values()
            if len(candidates):
                mask.loc[idx, candidates.index[0]] = True
    return mask if axis == "row" else mask.T
