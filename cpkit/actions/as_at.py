"""The action plan as it stood at the end of a reporting period, as far as the tracker's dates show.

A tracker is kept as one file, updated in place: its statuses and due dates are today's. A report for a
period that ended before today must not print today's plan as that period's (a 2021-22 report saying an
action "due 31 December 2024" is "not yet past its due date"). The tracker keeps no history of its
statuses; what it does date is its progress log ("Jan-22: ...", ``cpkit.actions.updates``). So:

* **The period has not ended** (its end is today or later): the tracker as it stands is the position,
  overdue judged at the period end, as the section always did.
* **No dated update after the period end**: the tracker's record stops within the period, so it is shown
  as it stood at the period end (its latest dated update is named).
* **No dated update at all, or none on or before the period end**: the tracker cannot say how the plan
  stood then. The section says plainly that the plan shown is as it stands today (with the date), and
  overdue is judged today.
* **Dated updates both sides of the period end**: the plan is rebuilt as at the period end. Log entries
  dated after it are left out; an action whose every dated update is after it was not yet on the plan as
  far as the tracker shows, and is left out (counted and named); an action whose log runs past the period
  end, or that has no dated update, has a status then that the tracker does not record: it is counted as
  ``UNKNOWN_THEN`` with its status now in the note ("complete now"), never given today's status. An action
  whose log runs past the period end was not complete then (its work went on), so it is overdue at the
  period end when its due date had passed; one with no dated update is not judged overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from cpkit.actions.read import effective_due
from cpkit.actions.summary import UNKNOWN_THEN
from cpkit.actions.updates import first_update_date, latest_update


@dataclass
class Position:
    """The plan to report, the date overdue is judged at, and what the section says about both.

    ``as_at_end`` is False when the plan is today's (the tracker cannot show the period end); ``sentence``
    is "" when there is nothing to say (the period has not ended); ``left_out`` lists the actions first
    recorded after the period end (ref and action), set aside from ``plan``.
    """

    plan: pd.DataFrame
    judged_at: pd.Timestamp
    as_at_end: bool
    sentence: str = ""
    left_out: list[str] = field(default_factory=list)


def _long(d: date | pd.Timestamp) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


def _dates(updates: list[dict]) -> list[date]:
    return [u["date"] for u in updates if u["date"] is not None]


def position(plan: pd.DataFrame, period_end: date | str, today: date | str | None = None) -> Position:
    """The action plan as at ``period_end`` where the tracker's dates allow (module docstring for the
    rules), else today's plan said to be today's. ``today`` defaults to the date the report is made."""
    end = pd.Timestamp(period_end).normalize()
    now = pd.Timestamp(today if today is not None else date.today()).normalize()
    if end >= now:
        return Position(plan, end, True)
    every = [d for ups in plan["updates"] for d in _dates(ups)]
    if not every:
        return Position(
            _judged(plan, now),
            now,
            False,
            f"The tracker's progress updates carry no dates, so it cannot show the action plan as it stood at "
            f"the end of the period ({_long(end)}): the plan below is as it stands today ({_long(now)}), and "
            "overdue means past the due date today.",
        )
    latest, earliest = pd.Timestamp(max(every)), pd.Timestamp(min(every))
    if latest <= end:
        return Position(
            plan,
            end,
            True,
            f"The tracker's latest dated update is {_long(latest)}, within the period, so the action plan is "
            f"shown as it stood at {_long(end)}; overdue means past the due date then.",
        )
    if earliest > end:
        return Position(
            _judged(plan, now),
            now,
            False,
            f"The tracker's earliest dated update is {_long(earliest)}, after the period ended ({_long(end)}), "
            f"so it does not record the action plan as it stood then: the plan below is as it stands today "
            f"({_long(now)}), and overdue means past the due date today.",
        )
    return _rebuilt(plan, end, now)


def _judged(plan: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    from cpkit.actions.read import is_overdue

    out = plan.copy()
    out["overdue"] = is_overdue(out, at)
    out.attrs = dict(plan.attrs, as_of=at.date().isoformat())
    return out


def _rebuilt(plan: pd.DataFrame, end: pd.Timestamp, now: pd.Timestamp) -> Position:
    """Dated updates both sides of the period end: the plan as at ``end`` (module docstring)."""
    rows, left_out, unknown = [], [], 0
    for _, row in plan.iterrows():
        dated = [pd.Timestamp(d) for d in _dates(row["updates"])]
        before = [d for d in dated if d <= end]
        runs_on = any(d > end for d in dated)
        if dated and not before:
            left_out.append(f"{row['ref']} {row['action']}".strip())
            continue
        r = row.copy()
        kept = [u for u in row["updates"] if u["date"] is None or pd.Timestamp(u["date"]) <= end]
        r["updates"] = kept
        latest = latest_update(kept)
        r["latest_update"] = latest["text"] if latest else ""
        r["latest_update_date"] = pd.Timestamp(latest["date"]) if latest and latest["date"] else pd.NaT
        first = first_update_date(kept)
        r["first_update_date"] = pd.Timestamp(first) if first else pd.NaT
        open_then = runs_on  # the log runs past the period end: the work was still going on then
        if runs_on or not dated:
            unknown += 1
            now_status = row["status"] if isinstance(row["status"], str) else "not recognised"
            r["status_note"] = f"{now_status} now"
            r["status"] = UNKNOWN_THEN
        due = effective_due(pd.DataFrame([r]))
        past = bool((due < end).fillna(False).iloc[0])
        known_open = r["status"] not in ("complete", UNKNOWN_THEN) or open_then
        r["overdue"] = past and known_open
        rows.append(r)
    out = pd.DataFrame(rows, columns=plan.columns).reset_index(drop=True)
    for col in ("due", "revised_due", "latest_update_date", "first_update_date"):  # as load_action_plan's
        out[col] = pd.to_datetime(out[col])
    out["priority"] = out["priority"].astype("Int64")
    out["new_marker"] = out["new_marker"].astype(bool)
    out["overdue"] = out["overdue"].astype(bool)
    out.attrs = dict(plan.attrs, as_of=end.date().isoformat())
    parts = [
        f"The tracker is kept as it stands today ({_long(now)}); the action plan below is as it stood at "
        f"{_long(end)} as far as its dated updates show, with updates dated after that left out."
    ]
    if left_out:
        n = len(left_out)
        parts.append(
            f"{n} {'action' if n == 1 else 'actions'} first recorded after {_long(end)} "
            f"{'is' if n == 1 else 'are'} left out."
        )
    if unknown:
        parts.append(
            f"The tracker keeps only today's status, so {unknown} {'action' if unknown == 1 else 'actions'} "
            f"whose updates run past {_long(end)} or carry no date {'is' if unknown == 1 else 'are'} shown as "
            f'"{UNKNOWN_THEN}", with the status now beside it.'
        )
    parts.append(f"Overdue means past the due date at {_long(end)}.")
    return Position(out, end, True, " ".join(parts), left_out)
