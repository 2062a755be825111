"""Read the Board's action plan tracker (.xlsx, .csv or .docx) into one tidy row per action.

The steps, each in its own module: file -> grids of cell text (``sources``, HTML cleaned by
``text``) -> header row found (``columns``) -> structure rows told from actions (``structure``) ->
refs repaired (``refs``), statuses mapped (``statuses``), due dates read (``dates``), progress logs
split into timelines (``updates``).

Nothing is dropped silently. ``plan.attrs`` carries:

* ``set_aside``: counts of rows that are not actions, by reason ("blank", "header", "repeated header",
  "before header", "priority title", "sub-objective", "champions and leads", "note",
  "table without header");
* ``set_aside_rows``: location and text of each note or header-less row set aside (what a reader may
  want to check);
* ``ref_repairs``: each ref repaired (location, as written, repaired);
* ``champions``: the champions-and-leads text under each priority number;
* ``source`` (the file) and ``as_of`` (ISO date the ``overdue`` column was computed at).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from cpkit.actions.columns import Header, match_header
from cpkit.actions.dates import parse_due
from cpkit.actions.refs import ref_parts, repair_refs, tidy_ref
from cpkit.actions.sources import Grid, read_grids
from cpkit.actions.statuses import classify_status
from cpkit.actions.structure import Structure, read_structure
from cpkit.actions.updates import first_update_date, latest_update, split_updates
from cpkit.errors import ActionPlanError

COLUMNS = [
    "priority",
    "priority_title",
    "objective",
    "ref",
    "action",
    "progress",
    "updates",
    "lead",
    "due",
    "due_text",
    "revised_due",
    "status",
    "status_note",
    "overdue",
    # Beyond the list: what summaries, problems and the report need to explain themselves.
    "latest_update",
    "latest_update_date",
    "first_update_date",
    "new_marker",
    "ref_as_written",
    "status_text",
    "due_kind",
    "location",
]
# "(new)", "[new]", "New:" or NEW in capitals marks an action added this year.
_NEW_MARKER = re.compile(r"\((?i:new)\)|\[(?i:new)\]|^(?i:new)\s*[:\-\u2013]|\bNEW\b")


@dataclass
class _Row:
    """A data row under a header, before it is known to be an action or a heading."""

    where: str
    fields: dict[str, str]
    structure: Structure | None


@dataclass
class _Reading:
    rows: list[_Row] = field(default_factory=list)
    set_aside: Counter[str] = field(default_factory=Counter)
    set_aside_rows: list[dict[str, str]] = field(default_factory=list)

    def aside(self, reason: str, where: str, text: str = "", listed: bool = False) -> None:
        self.set_aside[reason] += 1
        if listed:
            self.set_aside_rows.append({"location": where, "reason": reason, "text": text})


def load_action_plan(path: str | Path, as_of: date | str | pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per action of the tracker at ``path``; ``overdue`` judged at ``as_of`` (default today).

    Raises :class:`ActionPlanError` for a missing, unreadable or header-less file. See the module
    docstring for the ``attrs`` that count what was set aside.
    """
    path = Path(path)
    as_of_ts = pd.Timestamp(as_of if as_of not in (None, "") else date.today()).normalize()
    grids = read_grids(path)
    reading = _read_rows(path, grids)
    actions, context = _actions(reading)
    plan = _frame(actions, as_of_ts)
    plan.attrs.update(
        {
            "source": str(path),
            "as_of": as_of_ts.date().isoformat(),
            "set_aside": dict(reading.set_aside),
            "set_aside_rows": reading.set_aside_rows,
            "ref_repairs": context["repairs"],
            "champions": context["champions"],
        }
    )
    return plan


def _read_rows(path: Path, grids: list[Grid]) -> _Reading:
    reading = _Reading()
    header: Header | None = None
    header_width = 0
    found_any = False
    for grid in grids:
        if not grid.continues:
            header = None
        width = max((len(c) for _, c in grid.rows), default=0)
        if header is not None and width != header_width:
            header = None
        for number, cells in grid.rows:
            where = grid.where(number)
            if not any(cells):
                reading.aside("blank", where)
                continue
            row_header = match_header(cells)
            if row_header is not None:
                reading.aside("repeated header" if found_any else "header", where)
                header, header_width, found_any = row_header, width, True
                continue
            if header is None:
                reason = "before header" if not found_any else "table without header"
                reading.aside(reason, where, " | ".join(c for c in cells if c), listed=found_any)
                continue
            fields = {f: (cells[i] if i < len(cells) else "") for f, i in header.columns.items()}
            reading.rows.append(_Row(where, fields, read_structure(cells, fields)))
    if not found_any:
        raise ActionPlanError(
            f"{path}: no header row recognised (it needs an action column and two of ref, "
            f"progress, lead, by when, RAG status); columns found: {_columns_found(grids)}"
        )
    return reading


def _columns_found(grids: list[Grid]) -> str:
    """The fullest of the first rows, as the likeliest header the user meant."""
    rows = [cells for grid in grids for _, cells in grid.rows[:20]]
    best = max(rows, key=lambda cells: sum(bool(c) for c in cells), default=[])
    found = [c for c in best if c]
    return ", ".join(repr(c) for c in found) if found else "none (the file has no text)"


def _is_heading_candidate(row: _Row) -> bool:
    """Ref and text with nothing else: a sub-objective if actions below extend its ref, else an action."""
    f = row.fields
    parts = ref_parts(tidy_ref(f.get("ref", "")))
    return (
        row.structure is None
        and parts is not None
        and bool(f.get("action"))
        and not any(f.get(k) for k in ("progress", "lead", "due", "status"))
    )


def _actions(reading: _Reading) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = reading.rows
    refs_below = [tidy_ref(r.fields.get("ref", "")) for r in rows]
    actions: list[dict[str, Any]] = []
    champions: dict[int, str] = {}
    priority: int | None = None
    title, objective = "", ""
    for i, row in enumerate(rows):
        structure = row.structure
        if structure is None and _is_heading_candidate(row):
            ref = refs_below[i]
            nxt = next((r for r in refs_below[i + 1 :] if r), "")
            if nxt.startswith(ref + "."):
                structure = Structure("sub-objective", f"{ref} {row.fields['action']}", ref)
        if structure is not None:
            listed = structure.kind == "note"
            reading.aside(structure.kind, row.where, structure.text, listed=listed)
            if structure.kind == "priority title":
                priority, title, objective = int(structure.number), structure.text, ""
            elif structure.kind == "sub-objective":
                objective = structure.text
            elif structure.kind == "champions and leads" and priority is not None:
                champions[priority] = "; ".join(filter(None, [champions.get(priority), structure.text]))
            continue
        f = row.fields
        actions.append(
            {
                "title_priority": priority,
                "priority_title": _title_of(f) if f.get("priority") else title,
                "objective": f.get("objective") or objective,
                "ref_as_written": f.get("ref", ""),
                "ref": tidy_ref(f.get("ref", "")),
                "action": f.get("action", ""),
                "progress": f.get("progress", ""),
                "lead": f.get("lead", ""),
                "due_text": f.get("due", ""),
                "status_text": f.get("status", ""),
                "column_priority": f.get("priority", ""),
                "location": row.where,
            }
        )
    repairs = _repair(actions)
    for a in actions:
        a["objective"] = _objective_for(a["ref"], a["objective"])
    return actions, {"repairs": repairs, "champions": champions}


def _objective_for(ref: str, objective: str) -> str:
    """A numbered sub-objective covers only the refs that extend its number (2.1 covers 2.1.3, not 2.2.1)."""
    number = objective.split(" ", 1)[0]
    if ref_parts(number) is None or ref_parts(ref) is None:
        return objective
    return objective if ref.startswith(number + ".") else ""


def _title_of(fields: dict[str, str]) -> str:
    """A "Priority" column holding "1. Promoting success" gives the title after the number."""
    text = fields.get("priority", "")
    return re.sub(r"^\s*(priority\s*)?\d+\s*[.:\-\u2013]?\s*", "", text, flags=re.IGNORECASE)


def _repair(actions: list[dict[str, Any]]) -> list[dict[str, str]]:
    priorities = [a["title_priority"] for a in actions]
    fixed, repairs = repair_refs([a["ref"] for a in actions], priorities)
    for a, ref in zip(actions, fixed, strict=True):
        a["ref"] = ref
    return [
        {"location": actions[r.index]["location"], "written": r.written, "repaired": r.repaired}
        for r in repairs
    ]


def _priority(action: dict[str, Any]) -> int | None:
    """The priority title above the action; else a "Priority" column; else the ref's first number."""
    if action["title_priority"] is not None:
        return action["title_priority"]
    m = re.search(r"\d+", action["column_priority"])
    if m:
        return int(m.group())
    parts = ref_parts(action["ref"])
    return parts[0] if parts else None


def _frame(actions: list[dict[str, Any]], as_of: pd.Timestamp) -> pd.DataFrame:
    records = []
    for a in actions:
        status = classify_status(a["status_text"])
        due = parse_due(a["due_text"])
        if status.status is None and not a["status_text"] and due.status_hint is not None:
            status = due.status_hint  # "Complete Nov 2025" in the date cell, nothing in the status cell
        updates = split_updates(a["progress"])
        latest = latest_update(updates)
        marker = any(_NEW_MARKER.search(a[k]) for k in ("action", "ref_as_written", "status_text"))
        records.append(
            {
                "priority": _priority(a),
                "priority_title": a["priority_title"],
                "objective": a["objective"],
                "ref": a["ref"],
                "action": a["action"],
                "progress": a["progress"],
                "updates": updates,
                "lead": a["lead"],
                "due": due.due,
                "due_text": a["due_text"],
                "revised_due": due.revised,
                "status": status.status,
                "status_note": status.note,
                "latest_update": latest["text"] if latest else "",
                "latest_update_date": latest["date"] if latest else None,
                "first_update_date": first_update_date(updates),
                "new_marker": marker,
                "ref_as_written": a["ref_as_written"],
                "status_text": a["status_text"],
                "due_kind": due.kind,
                "location": a["location"],
            }
        )
    plan = pd.DataFrame.from_records(records, columns=[c for c in COLUMNS if c != "overdue"])
    plan["priority"] = plan["priority"].astype("Int64")
    for col in ("due", "revised_due", "latest_update_date", "first_update_date"):
        plan[col] = pd.to_datetime(plan[col])
    plan["new_marker"] = plan["new_marker"].astype(bool)
    plan["overdue"] = is_overdue(plan, as_of)
    return plan[COLUMNS]


def effective_due(plan: pd.DataFrame) -> pd.Series:
    """The date an action is now due by: the revised date where there is one, else the original."""
    return plan["revised_due"].fillna(plan["due"])


def is_overdue(plan: pd.DataFrame, as_of: date | str | pd.Timestamp) -> pd.Series:
    """Not complete and due (revised date if any) before ``as_of``; no date is never overdue."""
    as_of_ts = pd.Timestamp(as_of).normalize()
    due = effective_due(plan)
    return (due < as_of_ts).fillna(False).astype(bool) & (plan["status"] != "complete").fillna(True).astype(
        bool
    )
