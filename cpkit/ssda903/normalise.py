"""Normalising raw SSDA903 values: the one place that decides what a date or a code looks like.

Every function is vectorised (pyarrow string kernels under pandas' ``str`` dtype). Date parsing
works on the distinct values only (a million episode rows hold a few thousand distinct dates), which
is what keeps a national-scale load fast.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from cpkit.ssda903 import codes as codelists


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


# --- Dates -----------------------------------------------------------------------------------------
#
# One rule per file column, decided from all of the column's values (``survey_dates`` then
# ``decide_layout``), never cell by cell: read cell by cell, 03/04/2024 in a US column is 3 April
# beside 04/13/2024 read as nothing, and a report is published from half the dates.
#
# The forms read:
# - ISO ``yyyy-mm-dd`` (also with ``/`` or ``.``, or none: ``20240401``), ``d-Mon-yy`` and
#   ``d-Mon-yyyy`` (``11-Aug-24``, ``1 August 2024``), Excel serial day numbers (as text, whole numbers
#   or with a time fraction) and real date cells of a workbook: their form says which part is the day,
#   so each is read as it is, and they may sit beside the column's d/m/y numbers;
# - numbers separated by ``/``, ``-`` or ``.`` with the year last (``11/08/2024``, ``11/08/24``): the
#   column's order decides which is the day (below);
# - any of these with a time after it (``01/04/2024 13:45``, ``2024-04-01T00:00:00Z``, ``4/1/2024 1:45 PM``),
#   which is dropped: the return records days.
#
# Day-first or month-first: the DfE return is day-first by specification (dd/mm/yyyy), so a column
# whose every d/m/y value fits day-first is read day-first. A value that fits only month-first
# (08/13/2024: no 13th month) proves the column is a US export, and the whole column is read
# month-first. When a column holds values that fit only day-first and others that fit only
# month-first, no one rule reads it all: if the rows of one order are at most ``STRAY_SHARE`` of
# the rows that prove an order (a clerk typing 12/25/2024 once in a column of 13/06/2024s), the
# column is read in the other order and those rows are unreadable dates, each named; otherwise the
# column is refused (``date_column_mixed``: two exports in one file). A column refused outright would
# lose every date of an earlier year's return over one typing slip. And a column whose values fit
# both orders is refused (``date_column_ambiguous``) when another date column of the same return (the
# same file, workbook or folder of the same year) is proven month-first: that system writes US dates,
# and reading this column day-first would swap day and month wherever both are 12 or under.
#
# Two-digit years: 00-69 are 2000-2069 and 70-99 are 1970-1999 (``CENTURY_PIVOT``). No child in a
# return was born before 1970 and no date of a return is after 2069, so every date of birth and
# episode date reads right; a date typed a century out (``30`` for 2030) stays in the future, where
# the checks find it, rather than becoming 1930. A four-digit year must be 1900 to 2099.

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
# The largest share of a column's order-proving rows that may prove the other order and be read as
# slips (unreadable dates) rather than refuse the column.
STRAY_SHARE = 0.05
CENTURY_PIVOT = 70
YEAR_MIN, YEAR_MAX = 1900, 2099
# Excel serial day numbers accepted as dates: 10000 is 18 May 1927, 80000 is 10 January 2119. A
# bare number outside this range is more likely a typo than a date, so it is reported instead.
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 10_000, 80_000
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# A time of day after the date ("2024-04-01 00:00:00", "2024-04-01T00:00Z", "4/1/2024 1:45 PM").
_TIME_SUFFIX = re.compile(
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)$"
)
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_ISO_BASIC = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})")
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_NAMED = re.compile(r"(\d{1,2})[-/. ]*([A-Za-z]{3,9})\.?[-/., ]*(\d{4}|\d{2})")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d*)?")
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
_NAT = np.datetime64("NaT", "ns")

# How each form is named in messages.
_FORM_WORDS = {
    "iso": "yyyy-mm-dd",
    "named": "d-Mon-yy",
    "serial": "Excel serial numbers",
    "cell": "Excel date cells",
    "dmy4": "dd/mm/yyyy",
    "dmy2": "dd/mm/yy",
    "mdy4": "mm/dd/yyyy",
    "mdy2": "mm/dd/yy",
}


def _year(text: str) -> int | None:
    y = int(text)
    if len(text) == 2:
        return y + (2000 if y < CENTURY_PIVOT else 1900)
    return y if YEAR_MIN <= y <= YEAR_MAX else None


def _day(year: int | None, month: int, day: int) -> np.datetime64:
    if year is None:
        return _NAT
    try:
        return np.datetime64(dt.date(year, month, day), "ns")
    except ValueError:
        return _NAT


def _serial(number: float) -> np.datetime64:
    if np.isnan(number) or not EXCEL_SERIAL_MIN <= number <= EXCEL_SERIAL_MAX:
        return _NAT
    return (_EXCEL_EPOCH + pd.Timedelta(days=int(number))).to_datetime64()


@dataclass(frozen=True)
class DateSurvey:
    """A column of dates surveyed once over its distinct values, before its layout is decided.

    ``codes`` gives each row's distinct value (-1 for missing); per distinct value: ``fixed`` is the
    date where the value's form says which part is the day (ISO, a month name, a serial number, a real
    date), ``day_first`` / ``month_first`` the two readings of a d/m/y value (NaT where that reading is
    no date), ``two_digit`` marks d/m/yy values and ``blank`` empty cells.
    """

    codes: np.ndarray
    values: list[object]
    fixed: np.ndarray
    day_first: np.ndarray
    month_first: np.ndarray
    numeric: np.ndarray
    two_digit: np.ndarray
    blank: np.ndarray
    forms: frozenset[str]

    def first_row(self, mask: np.ndarray) -> int | None:
        """Position (0-based, in the column) of the first row whose distinct value is in ``mask``."""
        if not mask.any():
            return None
        hit = np.flatnonzero(mask[np.where(self.codes >= 0, self.codes, 0)] & (self.codes >= 0))
        return int(hit[0]) if len(hit) else None

    @property
    def day_only(self) -> np.ndarray:
        return self.numeric & ~np.isnat(self.day_first) & np.isnat(self.month_first)

    @property
    def month_only(self) -> np.ndarray:
        return self.numeric & np.isnat(self.day_first) & ~np.isnat(self.month_first)

    @property
    def either(self) -> np.ndarray:
        return self.numeric & ~np.isnat(self.day_first) & ~np.isnat(self.month_first)

    def read(self, order: str | None, index: pd.Index) -> tuple[pd.Series, pd.Series]:
        """``(dates, bad)`` for the rows, reading d/m/y values in ``order`` (None: the column is
        refused, so no cell is read and every non-blank one is ``bad``)."""
        if order is None:
            parsed = np.full(len(self.values), _NAT, dtype="datetime64[ns]")
        else:
            pick = self.day_first if order == DAY_FIRST else self.month_first
            parsed = np.where(self.numeric, pick, self.fixed)
        known = self.codes >= 0
        safe = np.where(known, self.codes, 0)
        taken = np.where(known, parsed[safe], _NAT) if len(parsed) else np.full(len(safe), _NAT)
        dates = pd.Series(taken.astype("datetime64[ns]"), index=index)
        blank = ~known | (self.blank[safe] if len(self.blank) else True)
        bad = dates.isna().to_numpy() & ~blank
        return dates, pd.Series(bad, index=index)

    def describe(self, order: str | None) -> str:
        """The forms found, in words ("dd/mm/yy", "mm/dd/yyyy and Excel date cells")."""
        words = []
        for form in ("dmy4", "dmy2", "iso", "named", "serial", "cell"):
            if form not in self.forms:
                continue
            if form.startswith("dmy") and order == MONTH_FIRST:
                form = "mdy" + form[3:]
            words.append(_FORM_WORDS.get(form, form))
        return " and ".join(words) if words else "no dates"


@lru_cache(maxsize=1 << 16)
def _text_reading(v: str) -> tuple[str | None, np.datetime64, np.datetime64, np.datetime64, bool, bool]:
    """One text value's readings: ``(form, fixed, day_first, month_first, two_digit, blank)`` (form None:
    not a date; a d/m/y form has both readings, the others ``fixed``). Kept for the process: the same
    few thousand date texts recur in every column and every stacked return of a load (27,641 readings of
    4,262 texts in the sample), and a reading never depends on the column."""
    text = _TIME_SUFFIX.sub("", v.strip())
    if not text:
        return None, _NAT, _NAT, _NAT, False, True
    if m := _NUMERIC.fullmatch(text):
        a, b, year = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        two_digit = len(m.group(4)) == 2
        return "dmy2" if two_digit else "dmy4", _NAT, _day(year, b, a), _day(year, a, b), two_digit, False
    fixed, form = _NAT, None
    if m := _ISO.fullmatch(text):
        fixed, form = _day(_year(m.group(1)), int(m.group(3)), int(m.group(4))), "iso"
    elif m := _ISO_BASIC.fullmatch(text):
        fixed, form = _day(_year(m.group(1)), int(m.group(2)), int(m.group(3))), "iso"
    elif (m := _NAMED.fullmatch(text)) and m.group(2).lower() in _MONTHS:
        fixed, form = _day(_year(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))), "named"
    elif _SERIAL_TEXT.fullmatch(text):
        fixed, form = _serial(float(text)), "serial"
    return form, fixed, _NAT, _NAT, False, False


def survey_dates(values: pd.Series) -> DateSurvey:
    """Survey a raw column (text from CSV or XML; text, numbers or datetimes from a workbook)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.astype(object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    n = len(uniques)
    fixed = np.full(n, _NAT, dtype="datetime64[ns]")
    day_first = np.full(n, _NAT, dtype="datetime64[ns]")
    month_first = np.full(n, _NAT, dtype="datetime64[ns]")
    numeric = np.zeros(n, dtype=bool)
    two_digit = np.zeros(n, dtype=bool)
    blank = np.zeros(n, dtype=bool)
    forms: set[str] = set()
    for i, v in enumerate(uniques):
        if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)) and not pd.isna(v):
            fixed[i] = np.datetime64(pd.Timestamp(v).normalize().to_datetime64(), "ns")
            forms.add("cell")
        elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            fixed[i] = _serial(float(v))
            forms.add("serial")
        elif isinstance(v, str):
            form, fixed[i], day_first[i], month_first[i], two_digit[i], blank[i] = _text_reading(v)
            if form is not None:
                forms.add(form)
                numeric[i] = form in ("dmy2", "dmy4")
    return DateSurvey(
        codes, list(uniques), fixed, day_first, month_first, numeric, two_digit, blank, frozenset(forms)
    )


@dataclass(frozen=True)
class DateLayout:
    """How a column's d/m/y values are read: ``order`` (None when refused), or why it is refused.

    ``rule`` and ``reason`` name a refusal (``date_column_mixed``, ``date_column_ambiguous``);
    ``example`` is the row position and value that shows it (or, for a column read month-first, the
    value that proves it).
    """

    order: str | None
    rule: str | None = None
    reason: str | None = None
    example: tuple[int, str] | None = None

    @property
    def refused(self) -> bool:
        return self.rule is not None


def _example(survey: DateSurvey, values: pd.Series, mask: np.ndarray) -> tuple[int, str] | None:
    pos = survey.first_row(mask)
    return None if pos is None else (pos, str(values.iloc[pos]).strip())


def decide_layout(
    survey: DateSurvey, values: pd.Series, month_first_elsewhere: str | None = None
) -> DateLayout:
    """The column's one rule (see the comment above ``DAY_FIRST``).

    ``month_first_elsewhere`` describes another column of the same return proven month-first
    ("episodes.csv column DECOM, 08/13/2024 at row 5"): a column that fits both orders is then refused.
    """
    day_only, month_only = survey.day_only, survey.month_only
    if day_only.any() and month_only.any():
        d, m = _example(survey, values, day_only), _example(survey, values, month_only)
        rows = np.bincount(survey.codes[survey.codes >= 0], minlength=len(survey.values))
        day_rows, month_rows = int(rows[day_only].sum()), int(rows[month_only].sum())
        if min(day_rows, month_rows) <= STRAY_SHARE * (day_rows + month_rows):
            if day_rows > month_rows:
                return DateLayout(DAY_FIRST, example=d)
            return DateLayout(MONTH_FIRST, example=m)
        return DateLayout(
            None,
            "date_column_mixed",
            f"holds dates that fit only day-first ({d[1]}) and others that fit only month-first ({m[1]}): "
            "no one layout reads the column",
            m,
        )
    if month_only.any():
        return DateLayout(MONTH_FIRST, example=_example(survey, values, month_only))
    if month_first_elsewhere and survey.either.any() and not day_only.any():
        e = _example(survey, values, survey.either)
        return DateLayout(
            None,
            "date_column_ambiguous",
            f"fits both dd/mm and mm/dd in every row, and {month_first_elsewhere} is written month "
            "first: cannot tell which is the day",
            e,
        )
    return DateLayout(DAY_FIRST, example=_example(survey, values, day_only))


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse one column of dates by its own layout (``survey_dates`` and ``decide_layout``).

    Returns ``(dates, bad)``: ``dates`` is ``datetime64[ns]`` with ``NaT`` for blank or unreadable
    cells; ``bad`` is True where a non-blank cell could not be read (every one, when the column is
    refused). The reader (``cpkit.ssda903.read``) decides with the rest of the return in view.
    """
    survey = survey_dates(values)
    layout = decide_layout(survey, values)
    return survey.read(layout.order, values.index)


def collection_year(dates: pd.Series) -> pd.Series:
    """The return year a date falls in (1 April to 31 March): 2024-05-01 -> 2025, 2025-03-31 -> 2025."""
    year = dates.dt.year + (dates.dt.month >= 4).astype("int64")
    return year.astype("Int64")
