"""Due dates ("By When") and update dates written as free text.

People write "October 2025", "End of May 2026", "26th December 2025", "Dec 25", "Jan-26",
"End of spring term 2026", "Q3 2025/26", "Oct/Nov 2025 Spring 2026", "Ongoing" or
"Complete Nov 2025". The rules, chosen because a due date is a deadline:

* A month without a day means the **end** of that month ("Dec 25" is December 2025, not 25 December:
  a two-digit number after a month is a year).
* A month range ("Oct/Nov 2025") ends at the end of its last month.
* School terms and seasons end at the end of the month the English school term ends in:
  autumn -> 31 December, spring -> 31 March (the lead's fixed rule, not Easter, so the date never
  moves with the church calendar), summer -> 31 July. "Spring term 2025/26" is the spring of 2026.
* "Q1".."Q4" are financial quarters (Q1 = April to June): "Q3 2025/26" ends 31 December 2025.
  "Q3 2025" (one year) means the financial year starting in 2025.
* A financial year alone ("2025/26") ends on 31 March; a year alone ("by 2026") on 31 December.
* Two dates ("Oct/Nov 2025 Spring 2026", "March 2025 revised June 2025") are the original and the
  revised due date; two joined by "-" or "to" are a span, due at its end.
* "Ongoing", "Annually", "BAU" and the like are ongoing (no date, not an error); a status written in
  the date cell ("Complete Nov 2025") is returned as a hint for an empty status cell.

Each date found also carries the first day it covers, which is what a dated progress update uses
("Jan-26: ..." was written some time from 1 January 2026).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from cpkit.actions.statuses import StatusReading, classify_status
from cpkit.actions.text import normalise

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


MON = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
YEAR = r"20\d{2}|'?\d{2}"
TERM_END_MONTH = {"autumn": 12, "spring": 3, "summer": 7}
TERM_START_MONTH = {"autumn": 9, "spring": 1, "summer": 4}
ONGOING = (
    "ongoing",
    "on going",
    "continuous",
    "continual",
    "annually",
    "annual",
    "monthly",
    "quarterly",
    "termly",
    "weekly",
    "as required",
    "as needed",
    "bau",
    "business as usual",
    "rolling",
    "n a",
)
_SPAN_JOINERS = {"-", "\u2013", "\u2014", "to", "until", "till", "through"}


@dataclass(frozen=True)
class DateMatch:
    """A date expression found in text: where it is, and the first and last day it covers."""

    start: int
    end: int
    first: date
    last: date


def _year(text: str) -> int:
    text = text.lstrip("'")
    return int(text) if len(text) == 4 else 2000 + int(text)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _fy(y1: str, y2: str | None) -> int | None:
    """First calendar year of a financial/academic year "2025/26"; None if the years do not follow on."""
    first = _year(y1)
    if y2 is not None and _year(y2) != first + 1:
        return None
    return first


def _quarter(m: re.Match[str]) -> tuple[date, date] | None:
    """Financial quarter: Q1 is April to June of the financial year's first calendar year."""
    first_year = _fy(m["y1"], m.groupdict().get("y2"))
    if first_year is None:
        return None
    start_month = 4 + 3 * (int(m["q"]) - 1)
    year = first_year + (start_month > 12)
    start_month = (start_month - 1) % 12 + 1
    return date(year, start_month, 1), _month_end(year, start_month + 2)


def _term(m: re.Match[str]) -> tuple[date, date] | None:
    term = m["term"].lower()
    year = _year(m["y1"])
    if m["y2"] is not None:  # academic year: autumn in its first calendar year, spring/summer in its second
        if _fy(m["y1"], m["y2"]) is None:
            return None
        year += term != "autumn"
    return date(year, TERM_START_MONTH[term], 1), _month_end(year, TERM_END_MONTH[term])


def _numeric(m: re.Match[str]) -> tuple[date, date] | None:
    d = date(_year(m["y"]), int(m["m"]), int(m["d"]))
    return d, d


def _day_month(m: re.Match[str]) -> tuple[date, date] | None:
    d = date(_year(m["y"]), _month(m["mon"]), int(m["d"]))
    return d, d


def _month_range(m: re.Match[str]) -> tuple[date, date] | None:
    year, m1, m2 = _year(m["y"]), _month(m["mon1"]), _month(m["mon2"])
    first_year = year - 1 if m1 > m2 else year
    return date(first_year, m1, 1), _month_end(year, m2)


def _month_year(m: re.Match[str]) -> tuple[date, date] | None:
    year, month = _year(m["y"]), _month(m["mon"])
    return date(year, month, 1), _month_end(year, month)


def _financial_year(m: re.Match[str]) -> tuple[date, date] | None:
    first_year = _fy(m["y1"], m["y2"])
    return None if first_year is None else (date(first_year, 4, 1), date(first_year + 1, 3, 31))


def _year_only(m: re.Match[str]) -> tuple[date, date] | None:
    year = int(m["y"])
    return date(year, 1, 1), date(year, 12, 31)


_F = re.IGNORECASE
# Most specific first: a span claimed by an earlier pattern is not read again by a later one.
_PATTERNS = [
    (
        "quarter",
        re.compile(
            r"\b(?:q|quarter\s*)(?P<q>[1-4])\s*(?:of\s+)?(?:fy\s*)?(?P<y1>20\d{2}|\d{2})"
            r"\s*[/-]\s*(?P<y2>20\d{2}|\d{2})\b",
            _F,
        ),
        _quarter,
    ),
    (
        "quarter",
        re.compile(
            r"\b(?:fy\s*)?(?P<y1>20\d{2})\s*[/-]\s*(?P<y2>20\d{2}|\d{2})\s*,?\s*(?:q|quarter\s*)"
            r"(?P<q>[1-4])\b",
            _F,
        ),
        _quarter,
    ),
    ("quarter", re.compile(r"\b(?:q|quarter\s*)(?P<q>[1-4])\s+(?P<y1>20\d{2})\b", _F), _quarter),
    (
        "term",
        re.compile(
            r"\b(?P<term>autumn|spring|summer)(?:\s+term)?\s*(?P<y1>20\d{2})"
            r"(?:\s*[/-]\s*(?P<y2>20\d{2}|\d{2})\b)?",
            _F,
        ),
        _term,
    ),
    ("numeric", re.compile(r"\b(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>20\d{2}|\d{2})\b"), _numeric),
    (
        "day month",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MON})\.?,?\s+"
            rf"(?P<y>{YEAR})\b",
            _F,
        ),
        _day_month,
    ),
    (
        "month day",
        re.compile(rf"\b(?P<mon>{MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th|,)\s*,?\s*(?P<y>20\d{{2}})\b", _F),
        _day_month,
    ),
    (
        "month range",
        re.compile(
            rf"\b(?P<mon1>{MON})\.?\s*(?:/|-|\u2013|to|&|and)\s*(?P<mon2>{MON})\.?"
            rf"[\s\-'/,]*(?P<y>{YEAR})\b",
            _F,
        ),
        _month_range,
    ),
    ("month", re.compile(rf"\b(?P<mon>{MON})\.?[\s\-'/,]*(?P<y>{YEAR})\b", _F), _month_year),
    (
        "financial year",
        re.compile(r"\b(?:fy\s*)?(?P<y1>20\d{2})\s*[/-]\s*(?P<y2>20\d{2}|\d{2})\b", _F),
        _financial_year,
    ),
    ("year", re.compile(r"\b(?P<y>20\d{2})\b"), _year_only),
]


# Dated entries in a progress log are written with a day or a month, never as a quarter or a year.
ENTRY_KINDS = ("numeric", "day month", "month day", "month")


def find_dates(text: str, kinds: tuple[str, ...] | None = None) -> list[DateMatch]:
    """Every date expression in ``text``, in reading order (optionally only some kinds)."""
    claimed: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for kind, pattern, build in _PATTERNS:
        if kinds is not None and kind not in kinds:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in claimed):
                continue
            claimed.append((m.start(), m.end()))  # even when invalid: "31/02/2025" is not "2025"
            try:
                span = build(m)
            except (ValueError, KeyError):
                span = None  # e.g. 31/02/2025: not a date
            if span is None:
                continue
            found.append(DateMatch(m.start(), m.end(), *span))
    return sorted(found, key=lambda d: d.start)


@dataclass(frozen=True)
class DueReading:
    """What a "By When" cell says."""

    due: date | None  # the (first) due date
    revised: date | None  # a second, later date when the cell gives two
    kind: str  # "date", "ongoing", "missing" or "unparseable"
    status_hint: StatusReading | None = None  # a status written in the date cell


def parse_due(text: str) -> DueReading:
    """Read a due-date cell by the rules in this module's docstring."""
    text = text.strip()
    if not text:
        return DueReading(None, None, "missing")
    dates = find_dates(text)
    hint = _status_hint(text[: dates[0].start] if dates else text)
    if not dates:
        words = normalise(text)
        if any(words == w or words.startswith(w + " ") for w in ONGOING):
            return DueReading(None, None, "ongoing")
        return DueReading(None, None, "missing" if hint else "unparseable", hint)
    first, last = dates[0], dates[-1]
    if len(dates) == 1:
        return DueReading(first.last, None, "date", hint)
    joiner = normalise(text[dates[-2].end : last.start]) or text[dates[-2].end : last.start].strip()
    if joiner in _SPAN_JOINERS:
        return DueReading(last.last, None, "date", hint)
    revised = last.last if last.last != first.last else None
    return DueReading(first.last, revised, "date", hint)


def _status_hint(text: str) -> StatusReading | None:
    reading = classify_status(text)
    if reading.status is None or reading.matched in ONGOING:
        return None
    return reading
