"""``load_903``: read a council's SSDA903 extracts (CSV folders, workbooks, several years) into ``Data903``.

What happens to each row, so nothing is lost without a trace:
- Tables are recognised by their column headings (stripped, any case, any order), not file names.
- Rows are numbered as a person counts them in the file: the heading row is row 1, the first data
  row is row 2 (for a workbook tab, the sheet's own row number). ``source_row`` in every table and
  ``row`` in ``issues`` and ``set_aside`` use this numbering.
- Set aside (listed in ``data.set_aside`` with the reason, and counted): completely blank rows; rows
  with no child identifier; rows whose key date (DECOM for episodes, REVIEW, DATE_PLACED, MIS_START,
  SW_DECOM) is blank or unreadable, since such a row cannot be placed in time; rows with extra
  filled fields past the headings; duplicates from stacking returns (below).
- Any other unreadable date becomes blank (``NaT``) and is reported (error for DOB, DECOM, DEC).
- Stacked returns (one sub-folder per collection year, or one file of all episodes): an episode
  (CHILD + DECOM) found in several returns keeps the latest return's version, which carries the later
  DEC/REC; Header keeps one row per child (the latest return's, the last row within a return); other
  tables keep their return year and lose only exact copies within a year. Rows whose return year is
  unknown count as older than any known year.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from cpkit.ssda903 import normalise
from cpkit.ssda903.files import EmptyFileError, RawFrame, discover, read_file
from cpkit.ssda903.issues import (
    HEADING_ROW,
    make_issues,
    make_set_aside,
    tidy_issues,
    tidy_set_aside,
)
from cpkit.ssda903.model import SOURCE_COLUMNS, Data903, empty_table
from cpkit.ssda903.schemas import CRITICAL_DATES, KEY_DATES, REQUIRED
from cpkit.ssda903.tables import (
    DATE_COLUMNS,
    DFE_NAMES,
    PROVENANCE,
    RETURN_YEAR,
    SOURCE_FILE,
    SOURCE_ROW,
    TABLE_COLUMNS,
    TEXT_COLUMNS,
)

log = logging.getLogger(__name__)

PathLike = str | Path
# A file is taken for a table when it has at least this share of the table's columns (and more of
# them than of any other table's), so an export missing a column or two is still read and reported.
MATCH_SHARE = 0.6
# The first year the return used M/F/U for sex; 1/2 after this is reported (and still mapped).
SEX_LETTERS_FROM = 2025


def load_903(path: PathLike | Sequence[PathLike]) -> Data903:
    """Read SSDA903 tables from a folder (searched recursively), a workbook, a CSV file or a list of these.

    Returns the cleaned tables with ``issues`` (problems found reading), ``set_aside`` (rows not
    kept, with reasons) and ``sources`` (one row per file or workbook tab read, with its SHA-256).
    """
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    issues: list[pd.DataFrame] = []
    set_aside: list[pd.DataFrame] = []
    sources: list[dict[str, object]] = []
    pieces: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_COLUMNS}

    for file, root in discover(paths):
        try:
            raws = read_file(file, root)
        except EmptyFileError as err:
            sources.append({"path": str(file), "table": None, "rows": 0, "sha256": err.sha256})
            issues.append(_file_issue(file, "empty_file", str(err)))
            continue
        except TypeError:
            issues.append(_file_issue(file, "file_skipped", f"{file} is not a CSV or xlsx file; skipped"))
            continue
        except (ValueError, OSError, UnicodeError) as err:
            issues.append(_file_issue(file, "file_unreadable", str(err)))
            continue
        for raw in raws:
            table = recognise(list(raw.data.columns))
            sources.append(
                {
                    "path": raw.label,
                    "table": DFE_NAMES.get(table) if table else None,
                    "rows": len(raw.data),
                    "sha256": raw.sha256,
                }
            )
            if table is None:
                found = ", ".join(c for c in raw.data.columns if c) or "(none)"
                issues.append(
                    make_issues(
                        file=raw.label,
                        table=None,
                        row=HEADING_ROW,
                        column=found,
                        value=None,
                        rule="file_unrecognised",
                        message=f"{raw.label}: its columns ({found}) match no SSDA903 table; not read",
                    )
                )
                continue
            frame, found_issues, found_aside = clean_frame(table, raw)
            pieces[table].append(frame)
            issues.append(found_issues)
            set_aside.append(found_aside)

    tables: dict[str, pd.DataFrame] = {}
    for name, frames in pieces.items():
        stacked = _concat(name, frames)
        kept, dedupe_issues, dedupe_aside = dedupe(name, stacked)
        tables[name] = kept
        issues.append(dedupe_issues)
        set_aside.append(dedupe_aside)

    data = Data903(
        tables=tables,
        issues=tidy_issues(issues),
        set_aside=tidy_set_aside(set_aside),
        sources=pd.DataFrame(sources, columns=SOURCE_COLUMNS).astype({"rows": "int64"}),
    )
    log.info(
        "read %d files: %s rows set aside, %s issues",
        len(data.sources),
        len(data.set_aside),
        len(data.issues),
    )
    return data


def _file_issue(file: Path, rule: str, message: str) -> pd.DataFrame:
    """A problem with a whole file (no table, row or column to name)."""
    return make_issues(
        file=str(file), table=None, row=None, column=None, value=None, rule=rule, message=message
    )


def recognise(columns: Sequence[str]) -> str | None:
    """The table whose columns these headings hold (stripped, any case), or None if none or ambiguous."""
    found = {str(c).strip().upper() for c in columns}
    scored = []
    for name, cols in TABLE_COLUMNS.items():
        hit = len(found & set(cols))
        if hit >= max(2, MATCH_SHARE * len(cols)):
            scored.append((hit, hit / len(cols), name))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None
    return scored[0][2]


def clean_frame(table: str, raw: RawFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Normalise one raw frame of a known table: (clean rows, issues, set-aside rows)."""
    label, data = raw.label, raw.data
    # every problem in this frame is about this file and table; row, column and value default to none
    issue = partial(make_issues, file=label, table=table, row=None, column=None, value=None)
    rows = pd.Series(raw.rows, index=data.index)
    issues: list[pd.DataFrame] = _heading_issues(table, raw)
    out: dict[str, pd.Series] = {}
    bad_dates: dict[str, pd.Series] = {}
    for col in TABLE_COLUMNS[table]:
        if col not in data.columns:
            empty = pd.Series(pd.NaT if col in DATE_COLUMNS else None, index=data.index)
            out[col] = empty.astype("datetime64[ns]" if col in DATE_COLUMNS else "str")
        elif col in DATE_COLUMNS:
            out[col], bad_dates[col] = normalise.parse_dates(data[col])
        elif col in TEXT_COLUMNS:
            out[col] = normalise.clean_text(data[col])
        else:
            out[col] = normalise.clean_code(data[col], col)
    frame = pd.DataFrame(out, index=data.index)
    frame[SOURCE_FILE] = label
    frame[SOURCE_ROW] = rows.astype("int64")
    frame[RETURN_YEAR] = pd.Series(raw.return_year, index=data.index, dtype="Int64")

    present = [c for c in TABLE_COLUMNS[table] if c in data.columns]
    blank_row = pd.Series(True, index=data.index)
    for col in present:
        blank_row &= frame[col].isna() & ~bad_dates.get(col, False)
    key = KEY_DATES.get(table)
    for col, bad in bad_dates.items():
        if bad.any():
            keep = " (the row was set aside)" if col == key else ""
            issues.append(
                issue(
                    row=rows[bad],
                    column=col,
                    value=data[col][bad].astype("str"),
                    rule="unparseable_date",
                    severity="error" if col in CRITICAL_DATES else "warning",
                    message=f"{col} is not a date in the form dd/mm/yyyy{keep}",
                )
            )
    if "SEX" in data.columns and raw.return_year is not None and raw.return_year >= SEX_LETTERS_FROM:
        old = data["SEX"].astype("str").str.strip().isin(["1", "2"])
        if old.any():
            issues.append(
                issue(
                    row=rows[old],
                    column="SEX",
                    value=data["SEX"][old].astype("str"),
                    rule="old_code_set",
                    message="SEX 1/2 in a return that uses M/F; read as M/F",
                )
            )

    reason = pd.Series(None, index=data.index, dtype="str")
    reason[blank_row] = "blank row"
    no_child = frame["CHILD"].isna() & reason.isna()
    reason[no_child] = "no child identifier (CHILD)"
    if "CHILD" in data.columns and no_child.any():
        issues.append(
            issue(
                row=rows[no_child],
                column="CHILD",
                rule="missing_child",
                message="CHILD is blank; the row was set aside",
            )
        )
    if key is not None and key in data.columns:
        no_key = frame[key].isna() & reason.isna()
        unreadable = no_key & bad_dates[key]
        reason[unreadable] = f"{key} is not a readable date"
        blank_key = no_key & ~bad_dates[key]
        reason[blank_key] = f"{key} is blank"
        if blank_key.any():
            issues.append(
                issue(
                    row=rows[blank_key],
                    column=key,
                    rule="missing_key_date",
                    message=f"{key} is blank; the row was set aside",
                )
            )
    elif key is not None:  # the file has no key date column at all (reported once, as missing_column)
        reason[reason.isna()] = f"no {key} column in the file"
    if raw.ragged_rows:
        ragged = pd.Series(dict(raw.ragged_rows))
        hit = rows.isin(ragged.index) & reason.isna()
        reason[hit] = "more fields than column headings"
        if hit.any():
            issues.append(
                issue(
                    row=rows[hit],
                    rule="extra_fields",
                    message="the row has more filled fields than the file has headings; "
                    "set aside (a stray comma?)",
                )
            )
    if blank_row.any():
        issues.append(
            issue(
                rule="blank_rows",
                message=f"{int(blank_row.sum())} blank rows skipped",
            )
        )
    if len(data) == 0 or bool(blank_row.all()):
        issues.append(
            issue(
                rule="empty_file",
                message=f"{label} has headings but no rows",
            )
        )
    dropped = reason.notna()
    aside = make_set_aside(file=label, table=table, row=rows[dropped], reason=reason[dropped])
    return frame[~dropped], tidy_issues(issues), aside


def _heading_issues(table: str, raw: RawFrame) -> list[pd.DataFrame]:
    """Missing and extra columns, the file's encoding: problems with the file rather than its rows."""
    label, cols = raw.label, list(raw.data.columns)
    out = []
    expected = TABLE_COLUMNS[table]
    for col in expected:
        if col not in cols:
            severity = "error" if col in REQUIRED[table] else "warning"
            out.append(
                make_issues(
                    file=label,
                    table=table,
                    row=HEADING_ROW,
                    column=col,
                    value=None,
                    rule="missing_column",
                    severity=severity,
                    message=f"{label} has no {col} column; read as blank",
                )
            )
    extra = [c for c in cols if c not in expected] + [f"{c} (repeated)" for c in raw.duplicate_headings]
    if extra:
        names = ", ".join(c or "(no heading)" for c in extra)
        out.append(
            make_issues(
                file=label,
                table=table,
                row=HEADING_ROW,
                column=names,
                value=None,
                rule="extra_columns",
                message=f"{label}: extra columns ignored: {names}",
            )
        )
    if raw.encoding == "cp1252":
        out.append(
            make_issues(
                file=label,
                table=table,
                row=None,
                column=None,
                value=None,
                rule="encoding_fallback",
                message=f"{label} read as Windows-1252 text",
            )
        )
    return out


@cache
def _empty_table(name: str) -> pd.DataFrame:
    return empty_table(name)


def _concat(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty_table(name).copy()
    out = pd.concat(frames, ignore_index=True)
    cols = list(TABLE_COLUMNS[name]) + list(PROVENANCE)
    out = out[cols]
    for c in TABLE_COLUMNS[name]:
        if c in DATE_COLUMNS:
            out[c] = out[c].astype("datetime64[ns]")
    out[RETURN_YEAR] = out[RETURN_YEAR].astype("Int64")
    return out


def dedupe(name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Remove the duplicates stacking creates (see the module docstring): (kept, issues, set aside).

    Works on integer codes (child, dates, year) so a stack of a million rows takes well under a
    second; whole rows are compared only where child, year and dates already agree.
    """
    if frame.empty:
        return frame, tidy_issues([]), tidy_set_aside([])
    n = len(frame)
    cols = list(TABLE_COLUMNS[name])
    year = frame[RETURN_YEAR].fillna(-1).to_numpy(dtype="int64")
    child = pd.factorize(frame["CHILD"])[0]
    dates = [frame[c].to_numpy(dtype="datetime64[ns]").view("int64") for c in cols if c in DATE_COLUMNS]
    reason = np.full(n, None, dtype=object)
    issues = []

    # Exact copies within one return year, whatever the table.
    cheap_key = pd.DataFrame({"child": child, "year": year, **{f"d{i}": d for i, d in enumerate(dates)}})
    candidate = cheap_key.duplicated(keep=False).to_numpy()
    copy = np.zeros(n, dtype=bool)
    if candidate.any():
        sub = frame.loc[candidate, cols]
        full_key = pd.Series(
            pd.util.hash_pandas_object(sub, index=False).to_numpy() ^ year[candidate].astype("uint64")
        )
        pos = np.flatnonzero(candidate)
        is_copy = full_key.duplicated(keep="first").to_numpy()
        if is_copy.any():
            copy[pos[is_copy]] = True
            first_pos = pd.Series(pos[~is_copy], index=full_key[~is_copy].to_numpy())
            first_pos = first_pos[~first_pos.index.duplicated()]
            original = first_pos.reindex(full_key[is_copy].to_numpy()).to_numpy()
            where = (
                "exact copy of "
                + frame[SOURCE_FILE].iloc[original].astype("str").to_numpy()
                + " row "
                + frame[SOURCE_ROW].iloc[original].astype("str").to_numpy()
            )
            reason[copy] = where
            issues.append(
                make_issues(
                    file=frame.loc[copy, SOURCE_FILE],
                    table=name,
                    row=frame.loc[copy, SOURCE_ROW],
                    column=None,
                    value=None,
                    rule="duplicate_row",
                    message=pd.Series(where + "; set aside", dtype="str"),
                )
            )

    if name in ("episodes", "header"):
        key = child.astype("int64")
        if name == "episodes":  # one integer per (child, start day): grouping on it is fastest
            day = frame["DECOM"].to_numpy(dtype="datetime64[D]").astype("int64")
            key = key * (int(day.max() - day.min()) + 1) + (day - day.min())
        latest = pd.Series(year).groupby(key).transform("max").to_numpy()
        older = (year < latest) & ~copy
        if older.any():
            label = "episode" if name == "episodes" else "Header row"
            words = {y: f"{label} superseded by the {y} return" for y in np.unique(latest[older])}
            reason[older] = pd.Series(latest[older]).map(words).to_numpy()
        if name == "header":
            live = ~copy & ~older
            twice = np.zeros(n, dtype=bool)
            twice[np.flatnonzero(live)] = pd.Series(child[live]).duplicated(keep="last").to_numpy()
            if twice.any():
                reason[twice] = "another Header row for this child later in the same return"
                issues.append(
                    make_issues(
                        file=frame.loc[twice, SOURCE_FILE],
                        table=name,
                        row=frame.loc[twice, SOURCE_ROW],
                        column="CHILD",
                        value=frame.loc[twice, "CHILD"],
                        rule="duplicate_child",
                        message="this child has a later, different Header row in the same return; this row was "
                        "set aside",
                    )
                )
    dropped = np.not_equal(reason, None)
    if not dropped.any():
        return frame.reset_index(drop=True), tidy_issues(issues), tidy_set_aside([])
    aside = make_set_aside(
        file=frame.loc[dropped, SOURCE_FILE],
        table=name,
        row=frame.loc[dropped, SOURCE_ROW],
        reason=pd.Series(reason[dropped], dtype="str"),
    )
    kept = frame.loc[~dropped].reset_index(drop=True)
    return kept, tidy_issues(issues), aside


__all__ = ["load_903", "recognise", "clean_frame", "dedupe"]
