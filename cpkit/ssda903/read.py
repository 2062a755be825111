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
- Dates: each file column is read by one layout decided from all its values
  (``cpkit.ssda903.normalise``: ISO, dd/mm/yyyy, dd/mm/yy, d-Mon-yy, Excel serials and date cells,
  with or without a time). A column no one layout reads, or one that fits both day-first and
  month-first in a return whose other dates are month-first, is refused: not read, one error naming
  the file, column, row and an example. Any other unreadable date becomes blank (``NaT``) and is
  reported (error for DOB, DECOM, DEC and the key dates).
- Stacked returns (one sub-folder per collection year, or one file of all episodes): an episode
  (CHILD + DECOM) found in several returns keeps the latest return's version, which carries the later
  DEC/REC; Header keeps one row per child (the latest return's, the last row within a return; every
  return's own rows stay in ``returns_header`` for the DfE's rules, which check one return at a time); other
  tables keep their return year and lose only exact copies within a year. Rows whose return year is
  unknown count as older than any known year.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from cpkit.ssda903 import normalise
from cpkit.ssda903.councils import Council, split_councils
from cpkit.ssda903.files import EmptyFileError, RawFrame, discover, read_file, year_for
from cpkit.ssda903.issues import (
    make_issues,
    make_set_aside,
    tidy_issues,
    tidy_set_aside,
)
from cpkit.ssda903.model import SOURCE_COLUMNS, Data903, empty_table
from cpkit.ssda903.schemas import CRITICAL_DATES, KEY_DATES, REQUIRED
from cpkit.ssda903.stack import stack_episodes
from cpkit.ssda903.tables import (
    DATE_COLUMNS,
    DFE_NAMES,
    PROVENANCE,
    RETURN_YEAR,
    SOURCE_FILE,
    SOURCE_ROW,
    TABLE_COLUMNS,
    TEXT_COLUMNS,
    recognise,
)

log = logging.getLogger(__name__)

PathLike = str | Path
# The first year the return used M/F/U for sex; 1/2 after this is reported (and still mapped).
SEX_LETTERS_FROM = 2025


def load_903(
    path: PathLike | Sequence[PathLike],
    la_code: str | Sequence[str] | None = None,
    council: Council | None = None,
) -> Data903:
    """Read SSDA903 tables from a folder (searched recursively), a workbook, a CSV or XML file or a list.

    ``council``: the council the report is for (``Council.from_config``: its name and codes), needed
    only when files hold several councils (regional ``LA``/``YEAR`` files; ``cpkit.ssda903.councils``);
    ``la_code`` gives its codes alone.
    Returns the cleaned tables with ``issues`` (problems found reading and stacking), ``set_aside``
    (rows not kept, with reasons) and ``sources`` (one row per file or table read, with its SHA-256).
    """
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    issues: list[pd.DataFrame] = []
    set_aside: list[pd.DataFrame] = []
    sources: list[dict[str, object]] = []
    pieces: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_COLUMNS}

    raws: list[RawFrame] = []
    for file, root in discover(paths):
        try:
            raws.extend(read_file(file, root))
        except EmptyFileError as err:
            sources.append({"path": str(file), "table": None, "rows": 0, "sha256": err.sha256})
            issues.append(_file_issue(file, "empty_file", str(err), err.year))
        except TypeError:
            issues.append(
                _file_issue(file, "file_skipped", f"{file} is not a CSV, xlsx or XML file; skipped")
            )
        except (ValueError, OSError, UnicodeError) as err:
            issues.append(_file_issue(file, "file_unreadable", str(err), year_for(file, root)[0]))

    raws, council_issues = split_councils(raws, council or la_code)
    issues += council_issues
    settled = settle_years(raws)
    issues += settled + infer_missing_years(raws)
    issues = _settle_file_years(issues, settled)
    layouts = date_layouts(raws)

    for raw in raws:
        table = recognise(list(raw.data.columns))
        sources.append(
            {
                "path": raw.label,
                "table": DFE_NAMES.get(table) if table else None,
                "rows": len(raw.data),
                "sha256": raw.sha256,
                "year": raw.return_year,
            }
        )
        if table is None:
            found = ", ".join(c for c in raw.data.columns if c) or "(none)"
            issues.append(
                make_issues(
                    file=raw.label,
                    table=None,
                    row=raw.heading_row,
                    column=found,
                    value=None,
                    rule="file_unrecognised",
                    message=f"{raw.label}: its columns ({found}) match no SSDA903 table; not read",
                    year=raw.return_year,
                )
            )
            continue
        frame, found_issues, found_aside = clean_frame(table, raw, layouts.get(id(raw)))
        pieces[table].append(frame)
        issues.append(found_issues)
        set_aside.append(found_aside)

    tables: dict[str, pd.DataFrame] = {}
    returns_episodes = returns_header = None
    for name, frames in pieces.items():
        stacked = _concat(name, frames)
        kept, dedupe_issues, dedupe_aside = dedupe(name, stacked)
        if name == "header":  # each return's rows, less exact copies within a return
            returns_header = stacked[~stacked.duplicated([*TABLE_COLUMNS[name], RETURN_YEAR])]
            returns_header = returns_header.reset_index(drop=True)
        if name == "episodes":
            returns_episodes = kept
            kept, stack_issues, stack_aside = stack_episodes(kept)
            dedupe_issues = tidy_issues([dedupe_issues, stack_issues])
            dedupe_aside = tidy_set_aside([dedupe_aside, stack_aside])
        tables[name] = kept
        issues.append(dedupe_issues)
        set_aside.append(dedupe_aside)

    data = Data903(
        tables=tables,
        issues=tidy_issues(issues),
        set_aside=tidy_set_aside(set_aside),
        sources=pd.DataFrame(sources, columns=SOURCE_COLUMNS).astype({"rows": "int64", "year": "Int64"}),
        returns_episodes=returns_episodes,
        returns_header=returns_header,
    )
    log.info(
        "read %d files: %s rows set aside, %s issues",
        len(data.sources),
        len(data.set_aside),
        len(data.issues),
    )
    return data


def _file_issue(file: Path, rule: str, message: str, year: int | None = None) -> pd.DataFrame:
    """A problem with a whole file (no table, row or column to name)."""
    return make_issues(
        file=str(file), table=None, row=None, column=None, value=None, rule=rule, message=message, year=year
    )


# A file (or folder of files) with no year in any name is read as one return when at least this
# many of its episodes have an end date and this share of them fall in one collection year.
INFER_MIN_ENDS, INFER_SHARE = 10, 0.95


def infer_missing_years(raws: list[RawFrame]) -> list[pd.DataFrame]:
    """Give a return year to files whose names hold none, when their episodes show one return.

    A return for the year ending 31 March Y holds episodes ending in that year only (an XML return
    such as the DfE-rules validator's ``fake_903.xml`` names no year). When at least
    ``INFER_MIN_ENDS`` episodes have an end date and ``INFER_SHARE`` of them, and of the starts, are
    in or before that year, the files (same XML file, or same folder) are read as return Y (noted as
    ``year_from_dates``). A history of many years (one file of all episodes) stays without a year.
    """
    groups: dict[str, list[RawFrame]] = {}
    for raw in raws:
        if raw.return_year is None:
            key = str(raw.path) if raw.encoding == "xml" else str(raw.path.parent)
            groups.setdefault(key, []).append(raw)
    out = []
    for key, members in groups.items():
        ends, starts = [], []
        for r in members:
            if recognise(list(r.data.columns)) == "episodes" and {"DECOM", "DEC"} <= set(r.data.columns):
                ends.append(normalise.parse_dates(r.data["DEC"])[0].dropna())
                starts.append(normalise.parse_dates(r.data["DECOM"])[0].dropna())
        if not ends:
            continue
        end_years = normalise.collection_year(pd.concat(ends))
        if len(end_years) < INFER_MIN_ENDS:
            continue
        year = int(end_years.mode().iloc[0])
        start_ok = (pd.concat(starts) <= pd.Timestamp(year, 3, 31)).mean()
        if (end_years == year).mean() < INFER_SHARE or start_ok < INFER_SHARE:
            continue
        for r in members:
            r.return_year = year
        out.append(
            make_issues(
                file=key,
                table=None,
                row=None,
                column=None,
                value=None,
                rule="year_from_dates",
                message=f"no year in the file or folder names; the episodes end in the year ending March "
                f"{year}, so read as the {year - 1}-{year % 100:02d} return",
                year=year,
            )
        )
    return out


def _settle_file_years(issues: list[pd.DataFrame], settled: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Empty or unreadable files named with a bare year that ``settle_years`` moved on get its year too."""
    moved = {(f, int(y) - 1) for s in settled for f, y in zip(s["file"], s["year"], strict=True)}
    if not moved:
        return issues
    out = []
    for frame in issues:
        if len(frame) and frame["rule"].isin(["empty_file", "file_unreadable"]).any():
            frame = frame.copy()
            parent = frame["file"].map(lambda f: str(Path(str(f)).parent))
            hit = [(p, y) in moved for p, y in zip(parent, frame["year"].fillna(-1).astype(int), strict=True)]
            frame.loc[hit, "year"] = frame.loc[hit, "year"] + 1
        out.append(frame)
    return out


# A bare year names the return ending in it when at most this share of its episodes start or end
# after 31 March of that year (a few mistyped dates); otherwise the return starting in it.
LATE_START_SHARE = 0.1


def settle_years(raws: list[RawFrame]) -> list[pd.DataFrame]:
    """Decide what a bare year in a name ("2019", ``2019-episodes.csv``) means, from the episodes' dates.

    Councils and tools use a bare year both for the year a return ends in (cpkit's convention: the
    2025 folder holds the 2024-25 return) and the year it starts in (the cs-demand-model samples'
    ``2017-episodes.csv`` holds April 2017 to March 2018). A return for the year ending 31 March Y has
    no episode starting or ending after that day, so when more than ``LATE_START_SHARE`` of the
    episodes named Y start or end later, the files named Y (same folder) are the return ending in Y + 1. Names without
    episodes follow the decision of the others; each decision is noted (rule ``year_from_dates``).
    """
    groups: dict[tuple[str, int], list[RawFrame]] = {}
    for raw in raws:
        if raw.year_ambiguous and raw.return_year is not None:
            groups.setdefault((str(raw.path.parent), raw.return_year), []).append(raw)
    decided: dict[tuple[str, int], bool] = {}
    for key, members in groups.items():
        # each episode's latest date (its end, else its start): none falls after the year it ends in
        latest = []
        for r in members:
            if "DECOM" in r.data.columns and recognise(list(r.data.columns)) == "episodes":
                start = normalise.parse_dates(r.data["DECOM"])[0]
                end = normalise.parse_dates(r.data["DEC"])[0] if "DEC" in r.data.columns else start
                latest.append(end.fillna(start).where(end.isna() | (end >= start), start))
        dates = pd.concat(latest).dropna() if latest else pd.Series(dtype="datetime64[ns]")
        if len(dates):
            decided[key] = bool((dates > pd.Timestamp(key[1], 3, 31)).mean() > LATE_START_SHARE)
    votes = list(decided.values())
    default = bool(votes) and sum(votes) > len(votes) / 2
    out = []
    for key, members in groups.items():
        if not decided.get(key, default):
            continue
        year = key[1]
        for raw in members:
            raw.return_year = year + 1
        names = sorted({r.year_source or str(year) for r in members})
        out.append(
            make_issues(
                file=key[0],
                table=None,
                row=None,
                column=None,
                value=None,
                rule="year_from_dates",
                message=f"{', '.join(names)}: episodes run from April {year} to March {year + 1}, so these "
                f"files were read as the {year}-{(year + 1) % 100:02d} return (year ending March {year + 1})",
                year=year + 1,
            )
        )
    return out


ColumnDates = dict[str, tuple[normalise.DateSurvey, normalise.DateLayout]]


def date_layouts(raws: list[RawFrame]) -> dict[int, ColumnDates]:
    """Every date column's survey and layout, keyed by ``id(raw)`` then column.

    A column is first decided on its own values; then a column that fits both day-first and
    month-first is refused when another date column of the same return (same folder and return year,
    which takes in every tab of a workbook) was proven month-first (``normalise.decide_layout``).
    """
    out: dict[int, ColumnDates] = {}
    month_first: dict[tuple[str, int | None], str] = {}
    for raw in raws:
        table = recognise(list(raw.data.columns))
        if table is None:
            continue
        found: ColumnDates = {}
        for col in TABLE_COLUMNS[table]:
            if col in DATE_COLUMNS and col in raw.data.columns:
                survey = normalise.survey_dates(raw.data[col])
                layout = normalise.decide_layout(survey, raw.data[col])
                found[col] = (survey, layout)
                if layout.order == normalise.MONTH_FIRST and layout.example:
                    pos, value = layout.example
                    month_first.setdefault(
                        _scope(raw), f"{raw.label} column {col} ({value} at row {raw.rows[pos]})"
                    )
        out[id(raw)] = found
    for raw in raws:
        elsewhere = month_first.get(_scope(raw))
        if elsewhere is None or id(raw) not in out:
            continue
        for col, (survey, layout) in out[id(raw)].items():
            if layout.order == normalise.DAY_FIRST:
                out[id(raw)][col] = (survey, normalise.decide_layout(survey, raw.data[col], elsewhere))
    return out


def _scope(raw: RawFrame) -> tuple[str, int | None]:
    """The files one system wrote together: the same folder and return year."""
    return str(raw.path.parent), raw.return_year


def clean_frame(
    table: str, raw: RawFrame, layouts: ColumnDates | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Normalise one raw frame of a known table: (clean rows, issues, set-aside rows).

    ``layouts``: the date columns' surveys and layouts from ``date_layouts`` (decided here from the
    frame alone when not given)."""
    label, data = raw.label, raw.data
    # every problem in this frame is about this file and table; row, column and value default to none
    issue = partial(
        make_issues, file=label, table=table, row=None, column=None, value=None, year=raw.return_year
    )
    rows = pd.Series(raw.rows, index=data.index)
    issues: list[pd.DataFrame] = _heading_issues(table, raw)
    out: dict[str, pd.Series] = {}
    bad_dates: dict[str, pd.Series] = {}
    refused: dict[str, normalise.DateLayout] = {}
    forms: dict[str, str] = {}  # each date column's forms in words, for messages
    for col in TABLE_COLUMNS[table]:
        if col not in data.columns:
            empty = pd.Series(pd.NaT if col in DATE_COLUMNS else None, index=data.index)
            out[col] = empty.astype("datetime64[ns]" if col in DATE_COLUMNS else "str")
        elif col in DATE_COLUMNS:
            if layouts is not None and col in layouts:
                survey, layout = layouts[col]
            else:
                survey = normalise.survey_dates(data[col])
                layout = normalise.decide_layout(survey, data[col])
            out[col], bad_dates[col] = survey.read(layout.order, data.index)
            forms[col] = survey.describe(layout.order)
            issues += _layout_issues(col, survey, layout, issue, rows)
            if layout.refused:
                refused[col] = layout
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
        if bad.any() and col not in refused:
            keep = " (the row was set aside)" if col == key else ""
            issues.append(
                issue(
                    row=rows[bad],
                    column=col,
                    value=data[col][bad].astype("str"),
                    rule="unparseable_date",
                    severity="error" if col in CRITICAL_DATES else "warning",
                    message=f"{col} is not a date (the column's dates are {forms[col]}){keep}",
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
        reason[unreadable] = (
            f"{key} column not read (its date layout is refused)"
            if key in refused
            else f"{key} is not a readable date"
        )
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
        # A return with no adoptions has an empty AD1 table; an Episodes or Header table without rows
        # means the report would say "no children", so that is an error.
        needed = table in ("header", "episodes")
        issues.append(
            issue(
                rule="table_without_rows",
                severity="error" if needed else "info",
                message=f"{label} has the {DFE_NAMES[table]} headings but no rows"
                + ("; the report needs this table" if needed else ""),
            )
        )
    dropped = reason.notna()
    aside = make_set_aside(file=label, table=table, row=rows[dropped], reason=reason[dropped])
    return frame[~dropped], tidy_issues(issues), aside


def _layout_issues(
    col: str, survey: normalise.DateSurvey, layout: normalise.DateLayout, issue: partial, rows: pd.Series
) -> list[pd.DataFrame]:
    """A refused date column (one error at the example's row), or a note of a layout that is not the
    DfE's dd/mm/yyyy (month first, two-digit years), so an analyst can see how the column was read."""
    example_row = int(rows.iloc[layout.example[0]]) if layout.example else None
    value = layout.example[1] if layout.example else None
    if layout.refused:
        return [
            issue(
                row=example_row,
                column=col,
                value=value,
                rule=layout.rule,
                severity="error",
                message=f"{col} {layout.reason}; the column was not read (e.g. row {example_row}: {value}). "
                "Export its dates as dd/mm/yyyy or yyyy-mm-dd",
            )
        ]
    notes = []
    if layout.order == normalise.MONTH_FIRST:
        notes.append(
            f"written month first ({value} at row {example_row} has no such month), so read as mm/dd"
        )
    if survey.two_digit.any():
        notes.append(
            f"has two-digit years, read 00-{normalise.CENTURY_PIVOT - 1} as 20xx and "
            f"{normalise.CENTURY_PIVOT}-99 as 19xx"
        )
    if not notes:
        return []
    return [
        issue(
            row=None,
            column=col,
            rule="date_layout",
            message=f"{col} ({survey.describe(layout.order)}) {' and '.join(notes)}",
        )
    ]


def _heading_issues(table: str, raw: RawFrame) -> list[pd.DataFrame]:
    """Missing and extra columns, the file's form: problems with the file rather than its rows."""
    label, cols = raw.label, list(raw.data.columns)
    note = partial(make_issues, file=label, table=table, value=None, year=raw.return_year)
    out = []
    expected = TABLE_COLUMNS[table]
    unknown = [c for c in cols if c and c not in expected]
    for col in expected:
        if col not in cols:
            severity = "error" if col in REQUIRED[table] else "warning"
            # a heading that is nearly this column's name is most likely it, misspelt
            near = difflib.get_close_matches(col, unknown, n=1, cutoff=0.8)
            hint = f" (is {near[0]!r} it, misspelt? rename the heading)" if near else ""
            out.append(
                note(
                    row=raw.heading_row,
                    column=col,
                    rule="missing_column",
                    severity=severity,
                    message=f"{label} has no {col} column{hint}; read as blank",
                )
            )
    extra = [c for c in cols if c not in expected] + [f"{c} (repeated)" for c in raw.duplicate_headings]
    if extra:
        names = ", ".join(c or "(no heading)" for c in extra)
        out.append(
            note(
                row=raw.heading_row,
                column=names,
                rule="extra_columns",
                message=f"{label}: extra columns ignored: {names}",
            )
        )
    if raw.encoding in ("cp1252", "latin-1", "utf-16"):
        words = {"cp1252": "Windows-1252 (Excel) text", "latin-1": "Latin-1 text", "utf-16": "UTF-16 text"}
        out.append(
            note(
                row=None,
                column=None,
                rule="encoding_fallback",
                message=f"{label} read as {words[raw.encoding]}",
            )
        )
    if raw.heading_row > 1:
        out.append(
            note(
                row=raw.heading_row,
                column=None,
                rule="title_rows",
                message=f"{label}: the headings are on row {raw.heading_row}; the rows above were skipped",
            )
        )
    if raw.delimiter != ",":
        name = {";": "semicolons", "\t": "tabs", "|": "pipes"}.get(raw.delimiter, repr(raw.delimiter))
        out.append(
            note(row=None, column=None, rule="delimiter", message=f"{label}: fields separated by {name}")
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

    # Episodes across returns follow the stacking rules of ``cpkit.ssda903.stack`` (applied after this).
    if name == "header":
        key = child.astype("int64")
        latest = pd.Series(year).groupby(key).transform("max").to_numpy()
        older = (year < latest) & ~copy
        if older.any():
            words = {y: f"Header row superseded by the {y} return" for y in np.unique(latest[older])}
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
