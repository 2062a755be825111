"""Map the words people type in a RAG / status cell to the four statuses the report counts.

The mapping is data (``statuses.yaml`` beside this module) so a council can change it:

* "Blue", "Complete", "Completed", "Done" -> **complete**
* "Green", "On track", "In progress", "Ongoing" -> **in progress**
* "Amber" -> **in progress**, with the note "at risk" (the action is moving but may slip)
* "Red", "Delayed", "Off track" -> **delayed**
* "Not started", "Awaiting start", "Pending" -> **awaiting start**

Only the first words decide; the rest of the cell is kept as the status note. Anything else is
returned unmapped (status ``None``) so it is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from cpkit.actions.text import normalise
from cpkit.errors import InputError

STATUS_FILE = Path(__file__).with_name("statuses.yaml")
# Joining words and punctuation between the status and its note: "Complete - now BAU", "Complete but ...".
_LEADING_JOIN = re.compile(r"^(?:[\s\-\u2013\u2014.,:;/()\[\]]|but\b|and\b|however\b)+", re.IGNORECASE)


@dataclass(frozen=True)
class StatusMapping:
    """The statuses in report order, the phrases for each, and notes some phrases carry."""

    order: tuple[str, ...]
    phrases: dict[str, str]  # normalised phrase -> status
    notes: dict[str, str]  # normalised phrase -> note

    @classmethod
    def from_yaml(cls, path: str | Path = STATUS_FILE) -> StatusMapping:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        order = tuple(raw["order"])
        phrases: dict[str, str] = {}
        for status, words in raw["phrases"].items():
            if status not in order:
                raise InputError(f"{path}: status {status!r} is not one of {', '.join(order)}")
            for word in words:
                phrases[normalise(str(word))] = status
        notes = {normalise(str(k)): str(v) for k, v in (raw.get("notes") or {}).items()}
        return cls(order, phrases, notes)


@cache
def default_mapping() -> StatusMapping:
    return StatusMapping.from_yaml()


STATUSES: tuple[str, ...] = ("complete", "in progress", "delayed", "awaiting start")


@dataclass(frozen=True)
class StatusReading:
    status: str | None  # one of the mapping's statuses, or None when the words were not recognised
    note: str  # the words after the status (plus any note the phrase carries, e.g. "at risk")
    matched: str  # the phrase that decided, "" when none did


def classify_status(text: str, mapping: StatusMapping | None = None) -> StatusReading:
    """Read a status cell: the longest known phrase at its start decides, the rest is the note."""
    mapping = mapping or default_mapping()
    text = text.strip()
    if not text:
        return StatusReading(None, "", "")
    phrase, rest = _leading_phrase(text, mapping)
    if phrase is None:
        return StatusReading(None, text, "")
    note = _LEADING_JOIN.sub("", rest).strip().rstrip(")].!,;:").strip()
    extra = mapping.notes.get(phrase)
    if extra and extra.lower() not in note.lower():
        note = f"{extra}; {note}" if note else extra
    return StatusReading(mapping.phrases[phrase], note, phrase)


def _leading_phrase(text: str, mapping: StatusMapping) -> tuple[str | None, str]:
    """The longest phrase the text starts with (whole words only), and the original text after it."""
    words = list(re.finditer(r"\w+", text))
    best: tuple[str | None, str] = (None, text)
    for n in range(1, min(len(words), 5) + 1):
        candidate = normalise(" ".join(w.group() for w in words[:n]))
        if len(candidate) == 1 and len(words) > 1:
            continue  # a lone letter ("A", "G") is a RAG code only when it is the whole cell
        if candidate in mapping.phrases:
            best = (candidate, text[words[n - 1].end() :])
    return best
