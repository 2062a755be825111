"""Tell actions from the rows that give the plan its shape.

Between the actions sit priority titles ("3. Priority 3 - Suitable accommodation ..."), sub-objective
headings ("2.1 To improve the quality of ...") and lists of champions and leads, each usually one text
with the other cells empty. They are not actions: they become the ``priority_title`` and ``objective``
of the actions below them. A lone text that is none of these is set aside as a note and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cpkit.actions.refs import leading_ref, ref_parts, tidy_ref

_PRIORITY = re.compile(
    r"^\s*(?:(?P<a>\d{1,2})\s*[.):]?\s+)?(?:priority\s*(?:no\.?\s*)?(?P<b>\d{1,2})\b)?\s*[.:\-\u2013\u2014]*\s*"
    r"(?P<title>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_PEOPLE = re.compile(r"\b(champions?|cllrs?|councillors?|lead members?|portfolio holder)\b", re.IGNORECASE)
_OBJECTIVE_WORDS = re.compile(r"^(objective|sub[- ]?objective|outcome|aim)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Structure:
    kind: str  # "priority title", "sub-objective", "champions and leads", "note"
    text: str
    number: str = ""  # "3" for priority 3, "2.1" for a sub-objective


def read_structure(cells: list[str], fields: dict[str, str]) -> Structure | None:
    """The structure row this is, or None when it may be an action.

    ``cells`` are all the row's texts, ``fields`` the texts under recognised headers.
    """
    texts = list(dict.fromkeys(c for c in cells if c))
    has_detail = any(fields.get(f) for f in ("progress", "lead", "due", "status"))
    if len(texts) == 1:
        return _single_text(texts[0])
    if has_detail:
        return None
    ref = tidy_ref(fields.get("ref", ""))
    parts = ref_parts(ref)
    if len(texts) == 2 and parts is not None and len(parts) == 1 and fields.get("action"):
        return Structure("priority title", _title(fields["action"]), ref)
    if not fields.get("ref") and _PEOPLE.search(" ".join(texts)):
        return Structure("champions and leads", "; ".join(texts))
    return None


def _single_text(text: str) -> Structure:
    split = leading_ref(text)
    if split is not None:
        return Structure("sub-objective", text, split[0])
    m = _PRIORITY.match(text)
    number = m and (m["b"] or m["a"])
    if number:
        return Structure("priority title", _title(m["title"]), str(int(number)))
    if _PEOPLE.search(text):
        return Structure("champions and leads", text)
    if _OBJECTIVE_WORDS.match(text):
        return Structure("sub-objective", text)
    return Structure("note", text)


def _title(text: str) -> str:
    """ "Priority 3 - Suitable accommodation" -> "Suitable accommodation"."""
    m = _PRIORITY.match(text)
    return (m["title"] if m and (m["a"] or m["b"]) else text).strip()
