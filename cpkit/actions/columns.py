"""Recognise the tracker's header row, whatever its wording, case or position.

Headers vary ("RAG Status", "RAG", "Status"; "By When", "Due", "Deadline"; "Lead Officer", "Lead";
"Ref", "Ref.", "No."), so each field has a list of names compared in normalised form (lower case, no
punctuation). A row is a header when it names the action column and at least two other fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpkit.actions.text import normalise

# field -> names a header cell may carry (normalised before comparing). Longest match wins.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "ref": (
        "ref",
        "refs",
        "reference",
        "ref no",
        "no",
        "number",
        "num",
        "action no",
        "action number",
        "action ref",
        "id",
        "item",
    ),
    "action": (
        "action",
        "actions",
        "action description",
        "description",
        "what we will do",
        "task",
        "activity",
        "sub action",
        "sub actions",
        "key actions",
        "what",
    ),
    "progress": (
        "progress",
        "progress update",
        "progress updates",
        "update",
        "updates",
        "progress to date",
        "comments",
        "commentary",
        "progress and comments",
        "progress update comments",
        "narrative",
        "latest update",
        "evidence of progress",
    ),
    "lead": (
        "lead",
        "lead officer",
        "lead officers",
        "lead person",
        "leads",
        "responsible officer",
        "responsible",
        "owner",
        "who",
        "lead s",
        "by whom",
        "action owner",
    ),
    "due": (
        "by when",
        "due",
        "due date",
        "deadline",
        "target date",
        "timescale",
        "timescales",
        "when",
        "completion date",
        "target",
        "date due",
        "timeframe",
    ),
    "status": (
        "rag",
        "rag status",
        "status",
        "rag rating",
        "rating",
        "progress rag",
        "rag status b g a r",
        "current status",
        "rag b g a r",
    ),
    "priority": ("priority", "priority number", "priority no"),
    "objective": ("objective", "sub objective", "sub objectives", "objectives", "outcome", "aim"),
}
REQUIRED = "action"
MIN_FIELDS = 3


@dataclass(frozen=True)
class Header:
    """Which column (0-based) holds each field; ``names`` are the header cells as written."""

    columns: dict[str, int]
    names: tuple[str, ...]


def field_for(cell: str) -> str | None:
    """The field a header cell names, or None. Exact names first, then names that start the cell."""
    words = normalise(cell)
    if not words:
        return None
    for field, names in HEADER_NAMES.items():
        if words in names:
            return field
    if "rag" in words.split():
        return "status"
    best: tuple[int, str | None] = (0, None)
    for field, names in HEADER_NAMES.items():
        for name in names:
            if len(name) > best[0] and len(name) > 2 and words.startswith(name + " "):
                best = (len(name), field)
    return best[1]


def match_header(cells: list[str]) -> Header | None:
    """The header this row spells out, or None when it is not a header row."""
    columns: dict[str, int] = {}
    for i, cell in enumerate(cells):
        field = field_for(cell) if len(cell) <= 60 else None
        if field and field not in columns:
            columns[field] = i
    if REQUIRED not in columns or len(columns) < MIN_FIELDS:
        return None
    return Header(columns, tuple(cells))
