"""Action references ("1.2", "4.3.1"): tidy them, and repair typos the neighbouring rows make plain.

Refs are typed by hand, so dots go missing or move ("31.4" for 3.1.4). The plan's order is the longest
run of refs, within each priority and starting with its number, that never goes backwards; a ref
outside it is *out of sequence*. A ref out of sequence is repaired only when exactly one way of re-placing its
dots, keeping the digits, puts it in sequence; otherwise it is left as written and reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_REF = re.compile(r"^(?:action|ref|no)?\.?\s*(\d+(?:\s*[.,]\s*\d+)*)\s*\.?$", re.IGNORECASE)
_LEADING_REF = re.compile(r"^\s*(\d+(?:\.\d+)+)\.?\s+(?=\S)")


def tidy_ref(text: str) -> str:
    """ "1.2." -> "1.2", "1, 2" -> "1.2", "Action 3.1" -> "3.1"; anything else unchanged."""
    m = _REF.match(text.strip())
    if not m:
        return text.strip()
    return re.sub(r"\s*[.,]\s*", ".", m.group(1))


def ref_parts(ref: str) -> tuple[int, ...] | None:
    """(3, 1, 4) for "3.1.4"; None for a ref that is not dotted numbers."""
    if not re.fullmatch(r"\d+(?:\.\d+)*", ref):
        return None
    return tuple(int(p) for p in ref.split("."))


def leading_ref(text: str) -> tuple[str, str] | None:
    """Split "2.1 To improve ..." into ("2.1", "To improve ..."); None when the text has no dotted ref."""
    m = _LEADING_REF.match(text)
    return (m.group(1), text[m.end() :].strip()) if m else None


@dataclass(frozen=True)
class RefRepair:
    index: int  # position in the list given to repair_refs
    written: str
    repaired: str


def _in_sequence(
    parts: tuple[int, ...],
    priority: int | None,
    before: tuple[int, ...] | None,
    after: tuple[int, ...] | None,
) -> bool:
    """Starts with the priority's number and sorts strictly between its neighbours (a repair must not
    make a duplicate)."""
    if priority is not None and parts[0] != priority:
        return False
    return (before is None or before < parts) and (after is None or parts < after)


def _dot_placements(digits: str) -> list[tuple[int, ...]]:
    """Every way of splitting a digit string into dotted numbers (no part with a leading zero)."""
    if len(digits) > 8:
        return []
    out = []
    for mask in range(1 << (len(digits) - 1)):
        parts, start = [], 0
        for i in range(1, len(digits)):
            if mask & (1 << (i - 1)):
                parts.append(digits[start:i])
                start = i
        parts.append(digits[start:])
        if all(p == "0" or not p.startswith("0") for p in parts):
            out.append(tuple(int(p) for p in parts))
    return out


def _sequence(parsed: Sequence[tuple[int, ...] | None], priorities: Sequence[int | None]) -> set[int]:
    """Positions of the refs that make up the plan's order: per priority, the longest run of refs that
    never goes backwards (ties broken towards refs with the usual number of parts, as 3.1.4 among 3.1.3
    and 3.2.1)."""
    keep: set[int] = set()
    for priority in dict.fromkeys(priorities):
        idx = [
            i
            for i, p in enumerate(parsed)
            if p is not None and priorities[i] == priority and (priority is None or p[0] == priority)
        ]
        if not idx:
            continue
        depths = [len(parsed[i]) for i in idx]  # type: ignore[arg-type]
        usual = max(sorted(set(depths)), key=depths.count)
        best: list[tuple[int, int]] = []
        back: list[int] = []
        for k, i in enumerate(idx):
            score, prev = (1, int(depths[k] == usual)), -1
            for m in range(k):
                if parsed[idx[m]] <= parsed[i]:  # type: ignore[operator]
                    cand = (best[m][0] + 1, best[m][1] + int(depths[k] == usual))
                    if cand > score:
                        score, prev = cand, m
            best.append(score)
            back.append(prev)
        k = max(range(len(idx)), key=lambda n: best[n])
        while k != -1:
            keep.add(idx[k])
            k = back[k]
    return keep


def out_of_sequence(refs: Sequence[str], priorities: Sequence[int | None]) -> list[int]:
    """Positions of dotted refs outside the plan's order (see :func:`_sequence`); repeats are not counted
    here, they are duplicates."""
    parsed = [ref_parts(r) for r in refs]
    keep = _sequence(parsed, priorities)
    return [i for i, p in enumerate(parsed) if p is not None and i not in keep]


def _neighbours(
    parsed: Sequence[tuple[int, ...] | None], priorities: Sequence[int | None], keep: set[int], i: int
) -> tuple[tuple[int, ...] | None, tuple[int, ...] | None]:
    """The nearest in-order refs above and below row i in the same priority."""

    def fits(j: int) -> bool:
        return j in keep and priorities[j] == priorities[i]

    before = next((parsed[j] for j in range(i - 1, -1, -1) if fits(j)), None)
    after = next((parsed[j] for j in range(i + 1, len(parsed)) if fits(j)), None)
    return before, after


def repair_refs(refs: Sequence[str], priorities: Sequence[int | None]) -> tuple[list[str], list[RefRepair]]:
    """Refs with unambiguous typos repaired, and the list of repairs made (to report)."""
    result = list(refs)
    parsed = [ref_parts(r) for r in refs]
    keep = _sequence(parsed, priorities)
    repairs = []
    for i in out_of_sequence(refs, priorities):
        before, after = _neighbours(parsed, priorities, keep, i)
        digits = refs[i].replace(".", "")
        fitting = [c for c in _dot_placements(digits) if _in_sequence(c, priorities[i], before, after)]
        if len(fitting) == 1:
            repaired = ".".join(str(p) for p in fitting[0])
            result[i] = repaired
            repairs.append(RefRepair(i, refs[i], repaired))
    return result, repairs
