"""Dates that stop the report year (issue 18), and the figures each would change.

``cpkit.report.prepare.blockers`` asks this module, with or without ``--strict``, about the rows of the
report year's return (``return_year`` equal to the report year; earlier returns never block):

- **a date column that was refused** (``date_column_mixed``, ``date_column_ambiguous``: the reader could
  not tell day from month) in a file of the report year, for a column a figure reads;
- **a date that could not be read** (``unparseable_date``) in a column a figure reads;
- **a date after the return's end** (31 March of the report year: a DECOM in 2030 in the 2025 return),
  in any date column but DUC, which records ahead the day a UASC child's status will cease (the 18th
  birthday, as the DfE's own test returns have it);
- **an overlap of a child's episodes** (one starts before the previous has ended) **that changes a
  figure**: an overlap whose figures are the same either way is listed by ``cpkit check``, not blocking.

Which figures a problem changes is worked out, not guessed: the report year's headline measures
(``cpkit.care.indicators``) are computed for the children concerned as the data stands and again with
each date put right in the ways it could be (an unreadable or late date as the first and as the last
day of the year, since the true day could be either; an overlapped episode ended the day the next
began), and every measure whose value, numerator or denominator differs is named. Only the children
concerned are computed (a few tenths of a second), so a measure is named when it changes for them.
A row whose key date (DECOM) could not be read was set aside by the reader and so is in no figure:
the message says every figure that would count it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cpkit.config import Config, Period
from cpkit.ssda903.model import Data903
from cpkit.ssda903.schemas import KEY_DATES
from cpkit.ssda903.tables import DATE_COLUMNS, DFE_NAMES, RETURN_YEAR, SOURCE_FILE, SOURCE_ROW

# Reader rules for a refused date column and for one unreadable date.
REFUSED_COLUMN_RULES = ("date_column_mixed", "date_column_ambiguous")
_ROWS_SHOWN = 3
_KIT_NAMES = {v: k for k, v in DFE_NAMES.items()}
# Dates a return may hold after its end: DUC, the day a UASC child's status ceases (their 18th birthday).
FUTURE_ALLOWED = frozenset({"DUC"})

Variant = Callable[[Data903], Data903]


@dataclass
class _Problem:
    """One blocking problem waiting for its figures: ``words(figures)`` is its message; ``required``:
    it blocks only when some figure changes (an overlap)."""

    words: Callable[[list[str]], str]
    children: pd.Series
    variants: list[Variant]
    required: bool = False


def date_blockers(data: Data903, period: Period, config: Config | None, unread: frozenset[str]) -> list[str]:
    """Why the report year's dates stop the report (empty when none do); ``unread``: columns no figure
    reads (``prepare.UNREAD_COLUMNS``), whose dates never block.

    The measures are computed once for every child concerned as the data stands, then once per way a
    problem could be put right (with only that problem changed), so a return with many problems costs
    a few computations on a few children, not one per row."""
    reasons = _refused_columns(data, period.year, unread)
    problems = _unreadable(data, period, unread, reasons)
    problems += _after_the_end(data, period, unread)
    problems += _overlaps(data, period)
    if not problems:
        return reasons
    children = pd.concat([p.children for p in problems])
    as_is = _measures(data, children, period, config)
    labels = indicators_labels()
    for p in problems:
        changed: set[str] = set()
        for variant in p.variants:
            other = _measures(variant(data), children, period, config)
            differs = ~((as_is == other) | (as_is.isna() & other.isna())).all(axis=1)
            changed |= set(differs[differs].index)
        figures = [labels[k] for k in labels if k in changed]
        if figures or not p.required:
            reasons.append(p.words(figures))
    return reasons


def _issues_of_year(data: Data903, year: int, rules: tuple[str, ...], unread: frozenset[str]) -> pd.DataFrame:
    i = data.issues
    mask = i["rule"].isin(rules) & (i["severity"] == "error") & ~i["column"].isin(unread)
    return i[mask & (i["year"] == year).fillna(False)]


def _refused_columns(data: Data903, year: int, unread: frozenset[str]) -> list[str]:
    out = []
    for r in _issues_of_year(data, year, REFUSED_COLUMN_RULES, unread).itertuples(index=False):
        out.append(
            f"{r.file} (row {r.row}, column {r.column}): {r.message}. Every figure that reads {r.column} "
            "would be wrong"
        )
    return out


def _unreadable(data: Data903, period: Period, unread: frozenset[str], reasons: list[str]) -> list[_Problem]:
    """Unreadable dates: a key date's row was set aside (a reason now); any other date, a problem."""
    found = _issues_of_year(data, period.year, ("unparseable_date",), unread)
    out = []
    for (file, table, col), rows in found.groupby(["file", "table", "column"], sort=True):
        where = _rows_text(rows["row"])
        if col in KEY_DATES.values():
            reasons.append(
                f"{file} {where}, column {col}: not a date, so the row was set aside and every figure that "
                f"would count it is short (children in care, started, ceased and the shares of the "
                f"{table} table). Correct the date and run again"
            )
            continue
        name = _KIT_NAMES.get(str(table))
        if name is None:
            continue
        frame = data.tables[name]
        hit = (frame[SOURCE_FILE] == file) & frame[SOURCE_ROW].isin(rows["row"].astype("int64"))
        out.append(
            _Problem(
                lambda figures, file=file, where=where, col=col: (
                    f"{file} {where}, column {col}: not a date, so {_would_change(figures)}. Correct the date "
                    "and run again"
                ),
                frame.loc[hit, "CHILD"],
                _put(name, hit, col, _either_end(period)),
            )
        )
    return out


def _after_the_end(data: Data903, period: Period, unread: frozenset[str]) -> list[_Problem]:
    end = pd.Timestamp(period.year, 3, 31)
    out = []
    for name, frame in data.tables.items():
        if frame.empty or RETURN_YEAR not in frame.columns:
            continue
        this_year = (frame[RETURN_YEAR] == period.year).fillna(False)
        for col in [c for c in frame.columns if c in DATE_COLUMNS - FUTURE_ALLOWED and c not in unread]:
            hit = this_year & (frame[col] > end).fillna(False)
            if not hit.any():
                continue
            for file, rows in frame.loc[hit, [SOURCE_FILE, SOURCE_ROW]].groupby(SOURCE_FILE, sort=True):
                mask = hit & (frame[SOURCE_FILE] == file)
                where = _rows_text(rows[SOURCE_ROW])
                out.append(
                    _Problem(
                        lambda figures, file=file, where=where, col=col: (
                            f"{file} {where}, column {col}: after the end of the return (31 March "
                            f"{period.year}), so {_would_change(figures)}. Correct the date and run again"
                        ),
                        frame.loc[mask, "CHILD"],
                        _put(name, mask, col, _either_end(period)),
                    )
                )
    return out


def _overlaps(data: Data903, period: Period) -> list[_Problem]:
    e = data.episodes
    if e.empty or RETURN_YEAR not in e.columns:
        return []
    child = pd.factorize(e["CHILD"])[0]
    order = np.lexsort((e["DECOM"].to_numpy(), child))
    s = e.take(order)
    same_child = pd.Series(child[order], index=s.index).pipe(lambda c: c.eq(c.shift()))
    prev_dec = s["DEC"].shift()
    overlap = (
        same_child
        & ~s["DECOM"].eq(s["DECOM"].shift())
        & (prev_dec.isna() | (prev_dec > s["DECOM"]))
        & (s[RETURN_YEAR] == period.year).fillna(False)
    )
    if not overlap.any():
        return []
    later = s.index[overlap.to_numpy()]
    earlier = s.index[np.flatnonzero(overlap.to_numpy()) - 1]

    def ended_when_next_began(d: Data903) -> Data903:
        ep = d.episodes.copy()
        ep.loc[earlier, "DEC"] = e.loc[later, "DECOM"].to_numpy()
        ep.loc[earlier, "REC"] = ep.loc[earlier, "REC"].fillna("X1")
        return _with(d, "episodes", ep)

    rows = ", ".join(
        f"{e.at[a, SOURCE_FILE]} row {e.at[a, SOURCE_ROW]} starts before "
        + ("" if e.at[a, SOURCE_FILE] == e.at[b, SOURCE_FILE] else f"{e.at[b, SOURCE_FILE]} ")
        + f"row {e.at[b, SOURCE_ROW]} has ended"
        for a, b in list(zip(later, earlier, strict=True))[:_ROWS_SHOWN]
    )
    more = f" and {len(later) - _ROWS_SHOWN} more" if len(later) > _ROWS_SHOWN else ""
    return [
        _Problem(
            lambda figures: (
                f"overlapping episodes (column DECOM): {rows}{more}; read as they stand, against the earlier "
                f"episode ending when the next began, {_would_change(figures)}. Correct the dates (DEC of "
                "the earlier episode, or DECOM of the later) and run again"
            ),
            e.loc[later, "CHILD"],
            [ended_when_next_began],
            required=True,
        )
    ]


def _either_end(period: Period) -> list[pd.Timestamp]:
    return [pd.Timestamp(period.year - 1, 4, 1), pd.Timestamp(period.year, 3, 31)]


def _put(table: str, mask: pd.Series, col: str, days: list[pd.Timestamp]) -> list[Variant]:
    """One variant per day: ``col`` of the ``mask`` rows of ``table`` set to that day."""

    def put(day: pd.Timestamp) -> Variant:
        def variant(d: Data903) -> Data903:
            frame = d.tables[table].copy()
            frame.loc[mask[mask].index, col] = day
            return _with(d, table, frame)

        return variant

    return [put(day) for day in days]


def _measures(data: Data903, children: pd.Series, period: Period, config: Config | None) -> pd.DataFrame:
    """The report year's measures for ``children`` alone: value, numerator and denominator by id."""
    from cpkit.care.indicators import indicators

    kind = period.kind if period.kind in ("financial", "calendar") else "financial"
    table = indicators(_only(data, children), period.year, kind, config)
    return table.set_index("indicator")[["value", "numerator", "denominator"]].round(9)


def indicators_labels() -> dict[str, str]:
    from cpkit.measures import registry

    return {m.id: m.label for m in registry()}


def _only(data: Data903, children: pd.Series) -> Data903:
    keep = set(children.dropna().astype("str"))
    tables = {
        name: frame[frame["CHILD"].astype("str").isin(keep)] if len(frame) else frame
        for name, frame in data.tables.items()
    }
    return Data903(tables=tables, issues=data.issues, set_aside=data.set_aside, sources=data.sources)


def _with(data: Data903, table: str, frame: pd.DataFrame) -> Data903:
    tables = dict(data.tables)
    tables[table] = frame
    return Data903(tables=tables, issues=data.issues, set_aside=data.set_aside, sources=data.sources)


def _rows_text(rows: pd.Series) -> str:
    rows = sorted(int(r) for r in rows.dropna().unique())
    shown = ", ".join(str(r) for r in rows[:_ROWS_SHOWN])
    more = f" and {len(rows) - _ROWS_SHOWN} more" if len(rows) > _ROWS_SHOWN else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


def _would_change(figures: list[str]) -> str:
    if not figures:
        return "no headline figure changes for this child alone, but the return is wrong"
    return "it would change: " + "; ".join(figures)
