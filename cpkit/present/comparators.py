"""The council's figure against England and its statistical neighbours, in words: the one place a
comparison is phrased.

A comparison needs both figures. The DfE files a council supplies may hold no England rows, the council may
have no statistical neighbours in them, or a measure may not be published for one of them; a sentence
written for both would then print a hole ("England , statistical neighbour average 10.3%") or claim what
was never judged ("better than England and statistical neighbours" with no England figure). So every
place that sets a figure beside a comparator goes through here:

- ``standing``: better or worse than *the comparators that have a figure*, and which they are (never
  "both" when one is missing);
- ``against_words``: how a sentence names them ("England and statistical neighbours", "statistical
  neighbours");
- ``figures_clause``: the comparators' figures, each only when it exists ("England 10%, statistical
  neighbour average 9.0%", or "statistical neighbour average 9.0%"), "" when neither does;
- ``missing_note``: said once per page, which comparator is missing and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from cpkit.present import judgement
from cpkit.present.figure_text import fmt_published, fmt_value, join_names

ENGLAND, NEIGHBOURS = "England", "statistical neighbours"
JUDGED = (judgement.BETTER, judgement.WORSE, judgement.SIMILAR)

Row = Mapping[str, object] | pd.Series


def has_england(row: Row) -> bool:
    """The row has a published England figure."""
    value = row.get("england")
    return value is not None and not pd.isna(value)


def has_neighbours(row: Row) -> bool:
    """The row has a statistical-neighbour average from at least one published neighbour."""
    value, n = row.get("neighbour_avg"), row.get("neighbour_n")
    count = 0 if n is None or pd.isna(n) else int(n)  # type: ignore[arg-type]
    return count > 0 and value is not None and not pd.isna(value)


@dataclass(frozen=True)
class Standing:
    """A figure against the comparators that have one: ``verdict`` "better", "worse" (than every one of
    ``against``), "mixed", or "" with nothing to judge (a neutral measure, or no comparator)."""

    verdict: str
    against: tuple[str, ...] = ()

    @property
    def both(self) -> bool:
        return self.against == (ENGLAND, NEIGHBOURS)

    @property
    def words(self) -> str:
        """ "England and statistical neighbours", "England" or "statistical neighbours"."""
        return against_words(self.against)


def standing(row: Row) -> Standing:
    """The row's standing from the figures' judgement (``vs_england``, ``vs_neighbours``), against only the
    comparators with a figure: no England figure means no verdict against England, and "better" then means
    better than the neighbours, which ``against`` says."""
    if row.get("polarity") not in ("high", "low"):
        return Standing("")
    # The figures table judges a comparator only where it has a figure (``vs_england`` is "" without an
    # England figure, ``vs_neighbours`` "" without a published neighbour), so the verdicts say which exist.
    verdicts: dict[str, str] = {}
    if row.get("vs_england") in JUDGED:
        verdicts[ENGLAND] = str(row["vs_england"])
    if row.get("vs_neighbours") in JUDGED:
        verdicts[NEIGHBOURS] = str(row["vs_neighbours"])
    if not verdicts:
        return Standing("")
    values = [*verdicts.values(), ""]
    return Standing(judgement.standing(values[0], values[1]), tuple(verdicts))


def against_words(against: tuple[str, ...] | list[str]) -> str:
    """Comparators as a sentence names them: ("England", "statistical neighbours") -> "England and
    statistical neighbours"."""
    return join_names(list(against))


def figures_clause(row: Row) -> str:
    """The comparators' published figures that exist, for a sentence: "England 10%, statistical neighbour
    average 9.0%"; one of them alone when the other has none; "" when neither has one."""
    unit = str(row.get("unit", ""))
    parts = []
    if has_england(row):
        parts.append(f"England {fmt_published(row['england'], unit)}")  # type: ignore[arg-type]
    if has_neighbours(row):
        decimals = 0 if unit == "number" else 1
        parts.append(f"statistical neighbour average {fmt_value(row['neighbour_avg'], unit, decimals)}")  # type: ignore[arg-type]
    return ", ".join(parts)


def missing_note(frame: pd.DataFrame, bench_label: str = "") -> str:
    """Once per page: which comparator has no figure for any measure, and so what is compared with what.

    "" when both have figures or neither has (the page then says no published figures were supplied).
    Only rows with a published figure of some kind are looked at (local KPIs have none)."""
    if frame.empty or "england" not in frame:
        return ""
    published = frame[frame["england"].notna() | frame["neighbour_avg"].notna()]
    if published.empty:
        return ""
    england = any(has_england(r) for _, r in published.iterrows())
    neighbours = any(has_neighbours(r) for _, r in published.iterrows())
    year = f" for {bench_label}" if bench_label else ""
    if not england and neighbours:
        return (
            f"The DfE files supplied hold no England figures{year}, so measures are compared with the "
            "statistical neighbours only."
        )
    if england and not neighbours:
        return (
            f"No statistical neighbour figures{year} were found in the DfE files supplied for the council's "
            "neighbours, so measures are compared with England only."
        )
    return ""


__all__ = [
    "ENGLAND",
    "NEIGHBOURS",
    "Standing",
    "against_words",
    "figures_clause",
    "has_england",
    "has_neighbours",
    "missing_note",
    "standing",
]
