"""Progress updates kept as a running log ("3/7/25 ...", "15.7.25 ...", "Jan-26: ...") split into a timeline.

An entry starts where a date opens a line, or opens a sentence after ". " or "; ". Text before the
first dated entry is kept as an undated entry, so nothing written is lost. A month without a day
("Jan-26") dates the entry to the 1st of that month: the update was written some time in it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TypedDict

from cpkit.actions.dates import ENTRY_KINDS, find_dates


class Update(TypedDict):
    date: date | None  # first day the written date covers
    written: str  # the date as written ("Jan-26"), "" for undated text
    text: str


_BEFORE_ENTRY = re.compile(r"(?:^|\n|[.;]\s)[\s\u2022*\-]*$")
_AFTER_DATE = re.compile(r"^\s*(?:[:\-\u2013\u2014)]|\s|$)")
_SEPARATORS = " \t\n:-\u2013\u2014)\u2022*"


def split_updates(progress: str) -> list[Update]:
    """The log as (date, text) entries in the order written; undated text keeps date None."""
    starts = [
        d
        for d in find_dates(progress, ENTRY_KINDS)
        if _BEFORE_ENTRY.search(progress[: d.start]) and _AFTER_DATE.match(progress[d.end :])
    ]
    entries: list[Update] = []
    head = progress[: starts[0].start] if starts else progress
    head = head.strip(_SEPARATORS)
    if head:
        entries.append(Update(date=None, written="", text=head))
    for k, d in enumerate(starts):
        end = starts[k + 1].start if k + 1 < len(starts) else len(progress)
        text = progress[d.end : end].strip(_SEPARATORS)
        entries.append(Update(date=d.first, written=progress[d.start : d.end], text=text))
    return entries


def latest_update(updates: list[Update]) -> Update | None:
    """The entry with the latest date (the last written, if dates tie); else the whole undated text."""
    dated = [u for u in updates if u["date"] is not None]
    if dated:
        return max(reversed(dated), key=lambda u: u["date"])
    if updates:
        return Update(date=None, written="", text="\n".join(u["text"] for u in updates))
    return None


def first_update_date(updates: list[Update]) -> date | None:
    dates = [u["date"] for u in updates if u["date"] is not None]
    return min(dates) if dates else None
