"""Local KPIs: the figures the SSDA903 return cannot give (reviews on time, visits, PEPs, attendance...).

Councils keep these in a spreadsheet; the kit reads a tidy CSV or xlsx with one row per indicator and
period, and checks it hard because a typo here goes straight into a Board paper: every problem is reported
with the file, row and column, all at once, so the file can be fixed in one pass.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd

from cpkit.config import Period
from cpkit.errors import InputError, KpiError

REQUIRED = ["indicator", "period", "value", "unit", "polarity", "theme"]
OPTIONAL = ["numerator", "denominator", "target", "source"]
UNITS = {"number", "percent", "rate_per_10k", "days", "score", "miles"}
POLARITIES = {"high", "low", "neutral"}
THEMES = {
    "children in care",
    "placements",
    "health",
    "education",
    "care leavers",
    "fostering",
    "adoption",
    "participation",
}
_MAX_LISTED = 25

_FINANCIAL = re.compile(r"^(\d{4})-(\d{2})$")  # 2024-25
_QUARTER = re.compile(r"^(\d{4})-(\d{2}) ?Q([1-4])$")  # 2024-25 Q1 (financial quarters: Q1 = April-June)
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")  # 2025-03 (checked before _FINANCIAL)
_CALENDAR = re.compile(r"^(\d{4})$")  # 2025


def parse_period(text: str) -> tuple[date, date]:
    """First and last day of a KPI period: "2024-25", "2024-25 Q3", "2025-03" or "2025".

    "2025-03" is read as March 2025 (a month) and "2024-25" as the financial year: the two-digit part of a
    financial year is always the next year's, which no month number between 01 and 12 can be after 2012.
    """
    text = str(text).strip()
    if m := _QUARTER.match(text):
        start_year, q = int(m.group(1)), int(m.group(3))
        _check_next(start_year, m.group(2), text)
        first_month = 4 + 3 * (q - 1)
        year = start_year + (first_month > 12)
        month = (first_month - 1) % 12 + 1
        return date(year, month, 1), _month_end(year, month + 2)
    if m := _FINANCIAL.match(text):
        start_year = int(m.group(1))
        if int(m.group(2)) == (start_year + 1) % 100:
            return date(start_year, 4, 1), date(start_year + 1, 3, 31)
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        return date(year, month, 1), _month_end(year, month)
    if m := _CALENDAR.match(text):
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    raise InputError(f"{text!r} is not a period: use 2024-25 (financial year), 2024-25 Q1, 2025-03 or 2025")


def _check_next(start_year: int, two_digits: str, text: str) -> None:
    if int(two_digits) != (start_year + 1) % 100:
        raise InputError(f"{text!r}: the years of a financial year must follow each other (2024-25)")


def _month_end(year: int, month: int) -> date:
    return (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date()


def _read(path: Path) -> pd.DataFrame:
    """The file's cells as stripped text; ``KpiError`` naming the file for anything unreadable.

    A CSV may be comma-, semicolon- or tab-separated (Excel in many locales saves with semicolons): the
    separator is the one of those the heading row holds most of.
    """
    if not path.exists():
        raise KpiError(f"{path}: KPI file not found")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str)
        elif suffix == ".csv":
            text = path.read_bytes().decode("utf-8-sig")
            if not text.strip():
                raise KpiError(
                    f"{path}: the KPI file is empty; it needs a heading row ({', '.join(REQUIRED)})"
                )
            heading = text.splitlines()[0]
            sep = max([",", ";", "\t"], key=heading.count)
            _check_widths(path, text, sep)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
        else:
            raise KpiError(f"{path}: KPI file must be .csv or .xlsx")
    except KpiError:
        raise
    except UnicodeDecodeError as exc:
        raise KpiError(f"{path}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KpiError(f"{path}: cannot be read as a table ({first})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise KpiError(
            f"{path}: row 1: missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED + OPTIONAL)}"
        )
    if frame.empty:
        raise KpiError(f"{path}: the KPI file has headings but no rows")
    for col in OPTIONAL:
        if col not in frame.columns:
            frame[col] = ""
    return frame.fillna("").map(lambda v: str(v).strip())


def _check_widths(path: Path, text: str, sep: str) -> None:
    """``KpiError`` naming each row with more cells than the heading row.

    pandas would otherwise take the first column as an index (when every row has one cell too many) and
    report each value one column to the left: "87,4" written without quotes in a comma-separated file
    splits into two cells, so the row is named and the likely cause given.
    """
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    width = len(rows[0])
    problems = [
        f"{path}: row {i + 1}: {len(cells)} cells but the heading row has {width}{_split_hint(cells, width)}"
        for i, cells in enumerate(rows[1:], start=1)
        if len(cells) > width and any(c.strip() for c in cells[width:])
    ]
    if problems:
        listed = problems[:_MAX_LISTED]
        more = f"\n... and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
        raise KpiError(
            f"{len(problems)} problem(s) in the KPI file:\n" + "\n".join(listed) + more, count=len(problems)
        )


def _split_hint(cells: list[str], width: int) -> str:
    """The likely cause: neighbouring whole numbers that were one value split at a comma ("87", "4")."""
    pairs = [
        f"{a},{b}"
        for a, b in zip(cells, cells[1:], strict=False)
        if re.fullmatch(r"\d+", a.strip()) and re.fullmatch(r"\d+%?", b.strip())
    ][: len(cells) - width]
    if not pairs:
        return "; put a value holding the separator in quotes"
    return (
        f"; a value written with a comma ({', '.join(pairs)}?) was split in two: write decimals with a "
        'point (87.4), and put a thousands separator in quotes ("1,234")'
    )


_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?%?$")  # 1,234 or 12,345.6: thousands separators


def _number(text: str) -> float | None:
    """A figure as written in a spreadsheet: "85", "85.5", "85%", "1,234"; never a decimal comma.

    "8,5" is refused rather than read as 85 (the thousands separator) or 8.5 (a guess): the file says
    which it means by writing 8.5.
    """
    if text == "":
        return None
    if "," in text:
        if not _THOUSANDS.match(text):
            point = text.replace(",", ".") if text.count(",") == 1 else "8.5"
            raise InputError(
                f"{text!r} has a comma that is not a thousands separator: write decimals with a point "
                f"({point})"
            )
        text = text.replace(",", "")
    return float(text.rstrip("%"))


# How far a value may be from what its numerator and denominator give (rounding to whole numbers).
_TOLERANCE = 0.5
_SCALE = {"percent": 100.0, "rate_per_10k": 10_000.0}


def load_kpis(path: str | Path, period: Period | None = None) -> pd.DataFrame:
    """The KPI file as a tidy table, checked row by row; ``KpiError`` lists every problem found.

    With ``period`` (the report's), the rows used are those in that period or the one before it (last
    year's figures are the comparison). A KPI file grows year by year, so rows wholly before or after that
    window belong to other reports: they are set aside, counted and listed in ``attrs["set_aside"]`` (row,
    period, reason), never silently dropped. A row that straddles the window's edge (a calendar-year figure
    in a financial-year report, say) is an error: it cannot be compared like for like.
    Adds period_start, period_end and ``current`` (True for rows in the reporting period).
    """
    path = Path(path)
    frame = _read(path)
    problems: list[str] = []
    records = []
    window = (period.previous().start, period.end) if period else None
    for i, row in enumerate(frame.to_dict("records")):
        where = f"{path}: row {i + 2}"
        rec = dict(row)
        bad = _check_row(row, rec, where, window)
        problems.extend(bad)
        records.append(rec)
    dupes = frame[frame.duplicated(["indicator", "period"], keep=False)]
    for i in dupes.index:
        problems.append(
            f"{path}: row {i + 2}, column 'period': {frame.at[i, 'indicator']!r} appears more than "
            f"once for {frame.at[i, 'period']!r}"
        )
    if problems:
        listed = problems[:_MAX_LISTED]
        more = f"\n... and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
        raise KpiError(
            f"{len(problems)} problem(s) in the KPI file:\n" + "\n".join(listed) + more, count=len(problems)
        )
    out = pd.DataFrame(records)
    set_aside: list[dict[str, object]] = []
    if window is not None:
        outside = (out["period_end"] < window[0]) | (out["period_start"] > window[1])
        set_aside = [
            {
                "row": i + 2,
                "period": out.at[i, "period"],
                "reason": "another year's figure (not this report's)",
            }
            for i in out.index[outside]
        ]
        out = out[~outside].reset_index(drop=True)
    for col in ("value", "numerator", "denominator", "target"):
        out[col] = pd.to_numeric(out[col]).astype(float)
    out["current"] = (
        (out["period_start"] >= period.start) & (out["period_end"] <= period.end) if period else True
    )
    cols = [
        "indicator",
        "theme",
        "period",
        "period_start",
        "period_end",
        "value",
        "numerator",
        "denominator",
        "target",
        "unit",
        "polarity",
        "source",
        "current",
    ]
    result = out[cols + [c for c in out.columns if c not in cols]]
    result.attrs["set_aside"] = set_aside
    return result


def _check_row(
    row: dict[str, str], rec: dict[str, object], where: str, window: tuple[date, date] | None
) -> list[str]:
    """Problems with one row (an empty list if none); fills ``rec`` with parsed values."""
    problems = []
    if not row["indicator"]:
        problems.append(f"{where}, column 'indicator': blank")
    unit, polarity, theme = row["unit"].lower(), row["polarity"].lower(), row["theme"].lower()
    rec.update(unit=unit, polarity=polarity, theme=theme)
    if unit not in UNITS:
        problems.append(f"{where}, column 'unit': {row['unit']!r} is not one of {', '.join(sorted(UNITS))}")
    if polarity not in POLARITIES:
        problems.append(f"{where}, column 'polarity': {row['polarity']!r} is not one of high, low, neutral")
    if theme not in THEMES:
        problems.append(
            f"{where}, column 'theme': {row['theme']!r} is not one of {', '.join(sorted(THEMES))}"
        )
    try:
        start, end = parse_period(row["period"])
        rec.update(period_start=start, period_end=end)
        wholly_outside = window and (end < window[0] or start > window[1])
        if window and not wholly_outside and not (window[0] <= start and end <= window[1]):
            problems.append(
                f"{where}, column 'period': {row['period']!r} straddles the edge of the reporting year "
                f"and the year before ({window[0]:%d %B %Y} to {window[1]:%d %B %Y})"
            )
    except ValueError as exc:
        rec.update(period_start=None, period_end=None)
        problems.append(f"{where}, column 'period': {exc}")
    for col in ("value", "numerator", "denominator", "target"):
        try:
            rec[col] = _number(row[col])
        except ValueError as exc:
            rec[col] = None
            reason = str(exc) if "comma" in str(exc) else f"{row[col]!r} is not a number"
            problems.append(f"{where}, column {col!r}: {reason}")
            continue
        if rec[col] is not None and rec[col] < 0:
            problems.append(f"{where}, column {col!r}: {row[col]!r} is negative")
        if unit == "percent" and col in ("value", "target") and rec[col] is not None and rec[col] > 100:
            problems.append(f"{where}, column {col!r}: {row[col]!r} is a percentage over 100")
    if row["value"] == "":
        problems.append(
            f"{where}, column 'value': missing (a KPI with no figure cannot be reported; "
            "leave the row out or give the figure)"
        )
    num, den = rec["numerator"], rec["denominator"]
    if isinstance(num, float) and isinstance(den, float) and num > den and unit == "percent":
        problems.append(f"{where}, column 'numerator': {num:g} is more than the denominator {den:g}")
    elif isinstance(num, float) and isinstance(den, float) and den == 0 and unit in _SCALE:
        problems.append(f"{where}, column 'denominator': 0, so there is no {unit} to give")
    elif isinstance(num, float) and isinstance(den, float) and unit in _SCALE:
        implied = num / den * _SCALE[unit]
        value = rec["value"]
        if isinstance(value, float) and abs(value - implied) > _TOLERANCE:
            problems.append(
                f"{where}, column 'value': {value:g} contradicts numerator {num:g} / denominator {den:g} "
                f"= {implied:.1f}; correct whichever is wrong"
            )
    return problems


# The one rule for which row of the KPI file is a year's figure (``year_figures``).
NO_FULL_YEAR = "no full-year figure"
YEAR_FIGURE_COLUMNS = ["value", "numerator", "denominator", "target", "period", "period_start", "period_end"]


def year_figure(rows: pd.DataFrame, period: Period) -> pd.Series | None:
    """The row that is one indicator's figure for ``period``, or None when no row falls in it.

    The rule, applied in one place because the scorecard, the executive summary and the education section
    must print the same figure for the same year:

    1. the row whose period is exactly ``period`` (the full-year row, "2024-25" in a 2024-25 report);
    2. failing that, the row inside the period that ends latest (the longest of those that end together:
       the year to date before its last quarter), labelled as what it is: its ``period_text`` says
       "2024-25 Q4; no full-year figure", so a quarter is never printed as the year. Councils keep some
       indicators only as quarter-end snapshots (plans up to date, care leavers' accommodation), whose
       last quarter is the nearest figure to the year's; a reader is told which it is.

    Adds ``whole`` (True for a full-year row) and ``period_text`` (what the report prints beside the figure).
    """
    inside = rows[(rows["period_start"] >= period.start) & (rows["period_end"] <= period.end)]
    if inside.empty:
        return None
    whole = inside[(inside["period_start"] == period.start) & (inside["period_end"] == period.end)]
    if len(whole):
        row = whole.iloc[0].copy()
        row["whole"], row["period_text"] = True, str(row["period"])
        return row
    ordered = inside.sort_values(["period_end", "period_start"], ascending=[False, True], kind="stable")
    row = ordered.iloc[0].copy()
    row["whole"], row["period_text"] = False, f"{row['period']}; {NO_FULL_YEAR}"
    return row


def like_for_like(current: pd.Series, previous: pd.Series) -> bool:
    """True when ``previous`` covers the same part of the year before as ``current`` does of its year.

    A full year against a full year, Q4 against Q4; a Q4 figure against a full year is not compared (no
    change or direction of travel), because a quarter-end snapshot and a year's total are different things.
    """
    start, end = current["period_start"], current["period_end"]
    return previous["period_start"] == date(start.year - 1, start.month, start.day) and previous[
        "period_end"
    ] == _month_end(end.year - 1, end.month)


def year_figures(kpis: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per indicator (in file order), its figure for ``period`` and for the year before, by ``year_figure``.

    ``kpis`` is ``load_kpis``' table (any window: rows outside the two years are ignored). Columns:
    indicator, theme, unit, polarity; value, numerator, denominator, target, period, period_start,
    period_end, whole and period_text for this year, the same prefixed ``previous_`` for the year before
    (NaN / "" where there is none), and ``comparable`` (``like_for_like``). An indicator with a figure for
    the year before only is kept with no current value, so a reader can be told it has gone.
    """
    prev_period = period.previous()
    # ``load_kpis`` lists the rows it set aside in ``attrs``, which pandas deep-copies into every frame and
    # row taken from the table: that copying was half this function's time, and the scorecard, the
    # executive summary and the cover report each call it. Worked on a shallow copy without them.
    kpis = kpis.copy(deep=False)
    kpis.attrs = {}
    rows = []
    for name, group in kpis.groupby("indicator", sort=False):
        cur = year_figure(group, period)
        old = year_figure(group, prev_period)
        if cur is None and old is None:
            continue
        first = cur if cur is not None else old
        rec: dict[str, object] = {
            "indicator": name,
            "theme": first["theme"],
            "unit": first["unit"],
            "polarity": first["polarity"],
        }
        for prefix, row in (("", cur), ("previous_", old)):
            for col in YEAR_FIGURE_COLUMNS:
                rec[prefix + col] = (
                    row[col] if row is not None else (None if "period" in col else float("nan"))
                )
            rec[prefix + "whole"] = bool(row["whole"]) if row is not None else False
            rec[prefix + "period_text"] = row["period_text"] if row is not None else ""
        rec["comparable"] = cur is not None and old is not None and like_for_like(cur, old)
        rows.append(rec)
    cols = ["indicator", "theme", "unit", "polarity"]
    for prefix in ("", "previous_"):
        cols += [prefix + c for c in YEAR_FIGURE_COLUMNS + ["whole", "period_text"]]
    out = pd.DataFrame(rows, columns=cols + ["comparable"])
    for prefix in ("", "previous_"):
        for col in ("value", "numerator", "denominator", "target"):
            out[prefix + col] = pd.to_numeric(out[prefix + col]).astype(float)
    return out
