"""Disclosure control: the one rule every figure passes through where it leaves the kit for people.

Measures compute with true numbers; this module decides what may be published, in tables, sentences,
chart labels and plotted values, alt text and the Excel download. The rule (also in the README and in
every report note, ``Rule.note``):

- **Primary suppression.** A count from 1 to ``threshold - 1`` (a council's ``small_number_threshold``,
  default 5; ``cpkit.yaml`` cannot set it below 3) is shown as the council's ``suppression_symbol``
  (default ``<5``). Zero is shown: it identifies no child.
- **Secondary suppression.** Where a hidden count could be worked back from the figures that are shown
  (a total, a net change, the period total beside monthly cells, a change between years, the same
  figure in another table of the section), more figures are hidden, each shown as ``[c]`` (the GSS
  shorthand for confidential). A ``[c]`` count is never a small number: every count from 1 to
  ``threshold - 1`` is already primary, so a reader knows ``[c]`` hides 0 or a count of ``threshold``
  or more, and the ``<5`` symbol is never printed over a cell that is 5 or more.
- **Derived figures.** A percentage is hidden (``[c]``) when its numerator, its denominator or its
  complement (the denominator less the numerator: "75% of 8" reveals 2) is a small count; an average
  when the group it averages over is small; a change between two figures when either is hidden.
- **Sentences** never print a hidden count or anything it could be worked out from: they are worded
  without it ("fewer than 5", or no number at all) and give no direction of change. What a sentence
  prints is a figure of its ledger like a cell: "fewer than 5 ended" is the period's total, 1 to 4,
  tied to the months it adds up; a percentage in a sentence, a table or alt text stands for its
  numerator and denominator; an average over groups (the back test's error) for the groups' counts, and
  is not printed when one of them is hidden; a share's base that leaves out a group (children in care
  less those placed with parents) for the count it leaves out.
- **One document, one status per figure.** A hidden cell must stay hidden given every figure the same
  document publishes, not only its own table. A figure published in more than one place has one key
  (``shared_key``: ``"cla@2025-03-31"``, children in care at the end of 31 March 2025, is the headline,
  the Total of the placement, age, sex and legal-status tables and the scorecard's count) and one status
  for the whole report, chosen from its value alone so that every section's kernel chooses the same: it
  is published unless it is itself a small count, and never hidden to protect another figure
  (``Ledger.add(..., shared=True)`` keeps it). So is the Total of every breakdown (``breakdown_status``):
  totals are what the rest of a report prints, so a small part is protected by hiding other parts.
- **Withheld breakdowns.** Where no choice of secondary cells protects a breakdown whose total is
  published (two groups: "<5" + "[c]" = 6 pins the small one whatever else is hidden, as "[c]" is 0 or
  at least the threshold; under the ``interval`` test "<5" + "[c]" = 8 narrows it to 1 to 3), its
  parts are not published at all, and the block says so in words
  (``withheld_reason``: "Not shown: with 6 children in care at 31 March 2025 the breakdown would
  identify some of them."). Precisely: a breakdown is withheld when, with its total kept, ``disclosed``
  still finds a small count after ``protect`` has hidden every part it can. The same holds for the
  month-by-month movements: when the months cannot be protected given the period's start, end and
  totals, the monthly rows are withheld and only the period's figures are published.

``protect`` chooses the secondary cells for any set of figures tied by linear relations (a total is the
sum of its parts; end = start + admissions - ceased; a figure shown twice is equal to itself) and by the
percentages of them printed elsewhere whatever it hides (``Ledger.printed_share``: "20%" of 150 is 30), and
``disclosed`` audits a choice exactly (``cpkit.publish.audit``): a small count is disclosed when the
relations, the figures shown and what a reader knows of each symbol (``<5`` is 1 to ``threshold - 1``;
``[c]`` is 0 or at least ``threshold`` for a count, any value for a signed figure such as a net change)
pin it to one value or, under the rule's ``interval`` test (``Rule.test``, the council's
``disclosure_test``; the default), narrow it to fewer values than its symbol allows ("[c]" + "<5" = 8
says 1 to 3; what the shape of the tables alone says is never counted), searched by an integer
programme over all the relations at once. Under the ``exact`` test (the DfE's) only a pinned count is
disclosed. ``protect`` first adds secondary cells with a fast check
(linear algebra and interval bounds: "<5" + "[c]" = 6 forces 1 + 5), then confirms the choice with the
exact audit and hides more until it finds nothing.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cpkit.present.judgement import printed
from cpkit.publish import figure as published
from cpkit.publish.audit import DISCLOSURE_TESTS, INTERVAL, NARROWED, PINNED, PROTECTED, Share, audit
from cpkit.publish.figure import Figure
from cpkit.publish.text import Sentence, sentence, with_relations

log = logging.getLogger(__name__)

SECONDARY_SYMBOL = "[c]"
NOT_SHOWN = "not shown, to protect small numbers"  # a sentence's words for a count a table hides
DEFAULT_THRESHOLD = 5
DEFAULT_SYMBOL = "<5"
MIN_THRESHOLD = 3  # cpkit.yaml cannot go below this; the DfE's own practice is stricter (fewer than 5)

PRIMARY, SECONDARY, IMPLICIT = "primary", "secondary", "implicit"
Status = str  # "" (shown), PRIMARY, SECONDARY, or IMPLICIT (never shown, but a reader can derive it)
Equation = Mapping[Hashable, int]  # sum(coefficient * value) == 0


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Rule:
    """The small-number rule in force for a run: threshold, the two symbols and the disclosure test.

    ``test`` (``disclosure_test`` in cpkit.yaml) is what counts as giving a small count away, for
    ``protect``, every ``Ledger`` and the report's audit alike: ``"interval"`` (the default) when a reader
    can narrow it to fewer values than its symbol allows ("[c] boys, <5 girls, 8 in all" says 1 to 3),
    ``"exact"`` only when a reader can work it out exactly (the DfE's and the ONS's test)."""

    threshold: int = DEFAULT_THRESHOLD
    symbol: str = DEFAULT_SYMBOL
    secondary: str = SECONDARY_SYMBOL
    test: str = INTERVAL

    def __post_init__(self) -> None:
        if self.test not in DISCLOSURE_TESTS:
            raise ValueError(f"disclosure test must be one of {DISCLOSURE_TESTS}, not {self.test!r}")

    @classmethod
    def of(cls, config: Any) -> Rule:
        """The rule a ``cpkit.config.Config`` sets (``small_number_threshold``, ``suppression_symbol``,
        ``disclosure_test``)."""
        if isinstance(config, Rule):
            return config
        return cls(
            int(config.small_number_threshold),
            str(config.suppression_symbol),
            test=str(getattr(config, "disclosure_test", INTERVAL)),
        )

    @property
    def narrowing(self) -> bool:
        """True when narrowing a small count gives it away (the ``"interval"`` test)."""
        return self.test == INTERVAL

    # --- single figures ----------------------------------------------------------------------------

    def is_small(self, n: object) -> bool:
        """True for a count the rule hides: 1 <= n < threshold."""
        if _missing(n):
            return False
        return 0 < float(n) < self.threshold  # type: ignore[arg-type]

    def count(self, n: object, hidden: bool = False, *, key: Hashable = None) -> Figure:
        """A count as published: "12", "0", the symbol for a small count, ``[c]`` when ``hidden``
        (secondary), "" when missing (a ``Figure``, ``cpkit.publish.figure``: the text, and the count's
        value and status for the writers; ``key`` is its ledger identity)."""
        if _missing(n):
            return published.not_available("count")
        if self.is_small(n):
            return published.small(self.symbol, n, self.threshold, "count", key)
        if hidden:
            return published.secondary(self.secondary, n, "count", 0, key)
        whole = int(round(float(n)))  # type: ignore[arg-type]
        return published.shown(f"{whole:,}", whole, "count", 0, key)

    def share_hidden(self, numerator: object, denominator: object) -> bool:
        """True when a share n/m cannot be published: n, m or m - n is a small count, or m is 0/missing."""
        if _missing(denominator) or not float(denominator):  # type: ignore[arg-type]
            return True
        if _missing(numerator):
            return self.is_small(denominator)
        n, m = float(numerator), float(denominator)  # type: ignore[arg-type]
        return self.is_small(n) or self.is_small(m) or self.is_small(m - n)

    def pct(self, pct: object, numerator: object, denominator: object, decimals: int = 0) -> Figure:
        """A percentage as published: "47%", ``[c]`` when ``share_hidden``, "" when missing (a ``Figure``
        in unit "percent"; a share of no one is not applicable, GSS [z])."""
        if _missing(pct):
            if not _missing(denominator) and not float(denominator):  # type: ignore[arg-type]
                return published.not_applicable("percent", "no one in the group the percentage is of")
            return published.not_available("percent")
        if self.share_hidden(numerator, denominator):
            return published.secondary(
                self.secondary,
                pct,
                "percent",
                decimals,
                why="a percentage whose count, group or the rest of the group is a small count",
            )
        return published.shown(f"{printed(float(pct), decimals)}%", pct, "percent", decimals)  # type: ignore[arg-type]

    def average(self, value: object, group: object, decimals: int = 1, *, unit: str = "number") -> Figure:
        """An average over ``group`` children: hidden (``[c]``) when the group is a small count (a
        ``Figure`` in ``unit``: "days", "years", "number"...)."""
        if _missing(value) or _missing(group) or not float(group):  # type: ignore[arg-type]
            if not _missing(group) and not float(group):  # type: ignore[arg-type]
                return published.not_applicable(unit, "no one in the group the average is of")
            return published.not_available(unit)
        if self.is_small(group):
            return published.secondary(
                self.secondary, value, unit, decimals, why="an average over a small group"
            )
        return published.shown(printed(float(value), decimals), value, unit, decimals)  # type: ignore[arg-type]

    def words(self, n: object, *, key: Hashable = None, hidden: bool = False) -> Figure:
        """A count for a sentence: "fewer than 5" for a small one, ``NOT_SHOWN`` when ``hidden`` (a table
        hides it to protect another figure), else the number ("1,234"). A ``Figure`` whose ``key`` (a
        document key, ``Ledger.key_of``) ties it to the table cell of the same count."""
        if isinstance(n, float) and n.is_integer():
            n = int(n)  # a count's value is a whole number, as its table cell's
        if self.is_small(n):
            return published.small(f"fewer than {self.threshold}", n, self.threshold, key=key)
        if hidden:
            return published.secondary(NOT_SHOWN, n, "count", 0, key)
        return published.shown(printed(float(n)), n, "count", key=key)  # type: ignore[arg-type]

    def n_of_m(
        self,
        n: object,
        m: object,
        decimals: int = 0,
        *,
        hidden: bool = False,
        keys: tuple[Hashable, Hashable] = (None, None),
    ) -> Sentence:
        """ "38 of 90 (42%)" for a sentence, worded without any figure the rule hides.

        A small part: "fewer than 5 of 90"; a small group: "fewer than 5" (the part is not given);
        a small complement ("38 of 40" would say 2 did not): "all but fewer than 5 of 40"; ``hidden``
        (a table hides the part to protect another figure): ``NOT_SHOWN``, no share (not "some of the
        90", which says the hidden part is not 0, so at least the threshold: more than its ``[c]``
        tells, and more than the audit can search). A ``Sentence``
        (``cpkit.publish.text``) carrying the counts it prints, under ``keys`` (the part's and the
        group's document keys) when given, and the share it prints of them.
        """
        kn, km = (published.key_text(k) for k in keys)
        if _missing(m) or not float(m):  # type: ignore[arg-type]
            return sentence("none of 0", self.words(0, key=kn), self.words(0, key=km))
        n_, m_ = float(n), float(m)  # type: ignore[arg-type]
        whole = self.words(m_, key=km)
        if self.is_small(m_) or self.is_small(n_):  # "fewer than 5 of 90", "0 of fewer than 5"
            part = self.words(n_, key=kn)
            return sentence(f"{part} of {whole}", part, whole)
        if hidden:  # "0 of 90" would print it, and "some of the 90" say it is not 0 (so 5 or more)
            return sentence(NOT_SHOWN, self.words(n_, key=kn, hidden=True))
        if self.is_small(m_ - n_):
            return sentence(f"all but fewer than {self.threshold} of {whole}", whole)
        part = self.words(n_, key=kn)
        # the share names its two counts: the sentence's block records it (``Figure.share``)
        pct = self.pct(100 * n_ / m_, n_, m_, decimals).with_counts(kn, km)
        return Sentence(f"{part} of {whole} ({pct})", (part, whole, pct))

    def is_hidden_text(self, text: object) -> bool:
        """True for a published cell that hides its figure (either symbol)."""
        return isinstance(text, str) and text.strip() in (self.symbol, self.secondary)

    # --- notes -------------------------------------------------------------------------------------

    def note(self) -> str:
        """The rule in words, for every table note, the README and the workbook (says which symbol is which)."""
        top = self.threshold - 1
        return (
            f"{self.symbol} is a count from 1 to {top}, hidden so that no child can be identified; "
            f"{self.secondary} is a figure hidden so that such a count cannot be worked out from the "
            f"others (a {self.secondary} count is 0 or {self.threshold} or more), or a percentage, "
            "average or change based on a hidden or small count."
        )


def rule_note(config: Any) -> str:
    """``Rule.of(config).note()``: the sentence every table note ends with."""
    return Rule.of(config).note()


# --- Protecting figures tied by relations ----------------------------------------------------------


def protect(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation] = (),
    rule: Rule | None = None,
    *,
    signed: Iterable[Hashable] = (),
    hide: Iterable[Hashable] = (),
    implicit: Iterable[Hashable] = (),
    keep: Iterable[Hashable] = (),
    cache: dict | None = None,
    hidden: Iterable[Hashable] = (),
    shares: Sequence[Share] = (),
) -> dict[Hashable, Status]:
    """Which figures to hide, and why: PRIMARY (a small count), SECONDARY (to protect another) or "".

    ``values`` are true figures keyed by any id; ``equations`` the relations a reader can use
    (``{"total": 1, "a": -1, "b": -1}`` for total = a + b). Keys in ``signed`` are not counts (a net
    change): never primary, and a hidden one could be any value. ``hide`` forces keys to be hidden
    (secondary unless small), e.g. a figure another table already hides. Keys in ``implicit`` are never
    shown but follow from what is (children not placed in-house = children - in-house): IMPLICIT, and
    protected like a primary cell when small. Keys in ``keep`` are published elsewhere whatever happens
    here (the number in care at 31 March is the report's headline): never chosen as secondary cells.
    Keys in ``hidden`` start hidden (secondary unless small) without being protected themselves: the
    cells the sections already hid, when the document's plan is chosen (``cpkit.publish.plan``).
    Secondary cells are added one at a time, the smallest count first, from the relations of a cell
    still disclosed: first until a fast check (``quick_disclosed``) finds none, then until the exact
    audit (``disclosed``) finds none. The fast pass does most of the work in a few milliseconds; the
    exact one catches what only a search of whole numbers over several relations at once can see.
    ``cache``: the exact audit's memo (``cpkit.publish.audit.audit``), kept by a caller that audits the
    chosen statuses afterwards (``Ledger.resolve``), so that audit does not search them a second time.

    ``shares``: percentages of two of the figures (``cpkit.publish.audit.Share``, over the keys of
    ``values``) printed whatever is hidden here (the scorecard's share of a placement group, in another
    section): a reader has them, so the exact audit searches with them, as the report's audit does ("27%"
    of 30 is 8, so hiding the 8 protects nothing), and a cell they give away is not worth hiding: the
    search moves on to a cell they do not reach, or the caller's audit finds the leak (a breakdown is
    then withheld). A percentage that follows the statuses chosen here (``Ledger.share``: hidden with
    its count) is no constraint: printed, its two counts are shown. A share naming a figure not in
    ``values`` is left out (nothing here can be searched with it).
    """
    rule = rule or Rule()
    signed = set(signed)
    shares = [sh for sh in shares if sh.numerator in values and sh.denominator in values]
    status: dict[Hashable, Status] = {
        k: (PRIMARY if k not in signed and rule.is_small(v) else "") for k, v in values.items()
    }
    for k in implicit:
        if k in status:
            status[k] = IMPLICIT
    must = {k for k in hide if k in status}
    for k in [*must, *hidden]:
        if k in status and not status[k]:
            status[k] = SECONDARY
    if not any(status.values()):
        return status
    kept = set(keep)
    chosen: list[Hashable] = []  # the secondary cells chosen here, in the order they were
    for _ in range(len(values) + 1):
        open_cells = quick_disclosed(values, equations, status, rule, signed=signed, protect=must)
        if not open_cells:
            break
        pick = _next_to_hide(values, equations, status, open_cells, signed, rule, must, kept, quick_disclosed)
        if pick is None:
            return status  # nothing left to hide near the disclosed cells; the caller's audit will say
        status[pick] = SECONDARY
        chosen.append(pick)
    # the exact audit: hide more while it helps; a cell that does not lower the number of figures left
    # open (after a few tries, since a rectangle of cells may need two) is given back, so a leak no
    # choice of cells can close (the caller's audit says) does not hide a table's every zero
    cache = {} if cache is None else cache

    def exact(
        _values: Any, _equations: Any, st: Mapping[Hashable, Status], *_: Any, **__: Any
    ) -> list[Hashable]:
        return disclosed(values, equations, st, rule, signed=signed, protect=must, cache=cache, shares=shares)

    # a share ties its two counts as a relation does, for which cells are near a disclosed one
    links = [*equations, *({sh.numerator: 1, sh.denominator: 1} for sh in shares)]
    best, best_open = dict(status), exact(values, equations, status)
    open_cells, tries = best_open, 0
    while open_cells and tries < 3:
        pick = _next_to_hide(values, links, status, open_cells, signed, rule, must, kept, exact)
        if pick is None:
            break
        status[pick] = SECONDARY
        chosen.append(pick)
        open_cells = exact(values, equations, status)
        if len(open_cells) < len(best_open):
            best, best_open, tries = dict(status), open_cells, 0
        else:
            tries += 1
    if shares:
        # the fast pass chose without the shares, so a cell a printed share gives back (foster hidden
        # beside "20%" of a printed total) may be hidden for nothing where the exact pass then hid
        # another: each is given back, first chosen first, when the exact audit finds no more open
        for k in chosen:
            if best.get(k) != SECONDARY:
                continue
            trial = {**best, k: ""}
            left = exact(values, equations, trial)
            if set(left) <= set(best_open):
                best, best_open = trial, left
    return best


def _next_to_hide(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation],
    status: Mapping[Hashable, Status],
    open_cells: Sequence[Hashable],
    signed: set[Hashable],
    rule: Rule,
    must: set[Hashable],
    keep: set[Hashable],
    check: Any = None,
) -> Hashable | None:
    """The shown cell to hide next. Candidates are the shown cells of the relations that hold a disclosed
    cell, or hold a hidden cell linked to it through other relations (hiding a stock figure moves the
    question to the next month's relation): a non-zero count before a signed figure before a zero, the
    smallest first (so a total, usually the largest, goes last), the nearest relation on a tie; of those,
    the first (of the nearest few) that leaves fewer small counts open by ``check``; else the first."""
    check = check or quick_disclosed
    reached = set(open_cells)
    distance: dict[int, int] = {}
    frontier = set(open_cells)
    step = 0
    while frontier:
        new: set[Hashable] = set()
        for i, eq in enumerate(equations):
            if i in distance or not frontier & set(eq):
                continue
            distance[i] = step
            new |= {k for k in eq if status.get(k) and k not in reached}
        reached |= new
        frontier = new
        step += 1
    order = {k: i for i, k in enumerate(values)}
    best: dict[Hashable, tuple[int, float, int, int]] = {}
    for i, d in distance.items():
        for k in equations[i]:
            if k in status and not status[k] and k not in keep:
                v = float(values[k])
                kind = 0 if (k not in signed and v > 0) else (1 if k in signed else 2)
                key = (kind, abs(v), d, order[k])
                best[k] = min(best.get(k, key), key)
    ranked = sorted(best, key=best.__getitem__)
    if not ranked:
        return None
    now = len(open_cells)
    for k in ranked[: 8 if check is not quick_disclosed else len(ranked)]:
        trial = {**status, k: SECONDARY}
        if len(check(values, equations, trial, rule, signed=signed, protect=must)) < now:
            return k
    return ranked[0]


def bounds(
    values: Mapping[Hashable, float],
    status: Mapping[Hashable, Status],
    rule: Rule,
    signed: Iterable[Hashable] = (),
) -> dict[Hashable, tuple[float, float]]:
    """What a reader knows of each figure before using the relations: its value if shown; 1 to
    threshold - 1 for the small-count symbol; 0 or more for a hidden count (a hidden count of
    ``threshold`` or more and a hidden zero share the symbol, so only 0 is a safe lower bound for an
    interval); anything for a hidden signed figure."""
    signed = set(signed)
    out: dict[Hashable, tuple[float, float]] = {}
    for k, v in values.items():
        s = status.get(k, "")
        if not s:
            out[k] = (float(v), float(v))
        elif s == PRIMARY:
            out[k] = (1.0, float(rule.threshold - 1))
        elif k in signed:
            out[k] = (-math.inf, math.inf)
        elif s == IMPLICIT:
            out[k] = (0.0, math.inf)
        else:
            out[k] = (0.0, math.inf)
    return out


def disclosed(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation],
    status: Mapping[Hashable, Status],
    rule: Rule | None = None,
    *,
    signed: Iterable[Hashable] = (),
    protect: Iterable[Hashable] = (),
    cache: dict | None = None,
    shares: Sequence[Share] = (),
) -> list[Hashable]:
    """Small counts (PRIMARY), figures in ``protect`` and small IMPLICIT figures that a reader could
    work out, by the exact audit (``cpkit.publish.audit.audit``): a small count pinned to one value or,
    under the rule's ``"interval"`` test, narrowed by the figures shown to fewer values than its symbol
    allows; a protected figure pinned. (Another ``[c]`` figure worked out is no harm in itself: it is not
    a small count; if it leads to one, that one is reported.) ``shares``: percentages printed of two of
    the figures, searched with them (``protect``)."""
    rule = rule or Rule()
    if not any(status.get(k) for k in values):
        return []
    found = audit(
        values,
        {k: s for k, s in status.items() if k in values},
        equations,
        rule.threshold,
        signed=signed,
        shares=[sh for sh in shares if sh.numerator in values and sh.denominator in values],
        protect=protect,
        narrowing=rule.narrowing,
        cache=cache,
    )
    leaks = {f.key for f in found.findings if f.kind in (PINNED, NARROWED, PROTECTED)}
    return [k for k in values if k in leaks]


def quick_disclosed(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation],
    status: Mapping[Hashable, Status],
    rule: Rule | None = None,
    *,
    signed: Iterable[Hashable] = (),
    protect: Iterable[Hashable] = (),
) -> list[Hashable]:
    """The fast check ``protect`` starts with: the small counts (and ``protect`` figures) pinned by
    linear algebra (the relations alone fix the value: its unit vector lies in the row space of the
    relations restricted to hidden figures) or by interval bounds tightened through the relations (for a
    ``[c]`` count, "0 or ``threshold`` and more": a range whose only room left is below the threshold
    means the cell is 0). Exact for one relation; it misses integer combinations across several, which
    ``disclosed`` finds."""
    rule = rule or Rule()
    signed = set(signed)
    hidden = [k for k, s in status.items() if s and k in values]
    if not hidden:
        return []
    keep = set(protect)
    found = set(_fixed_by_relations(hidden, equations))
    found |= set(_pinned_by_bounds(values, equations, status, rule, signed))
    found |= set(_pinned_in_one_sum(values, equations, status, rule, signed))
    return [
        k
        for k in hidden
        if k in found
        and (status[k] == PRIMARY or k in keep or (status[k] == IMPLICIT and rule.is_small(values[k])))
    ]


def _fixed_by_relations(hidden: list[Hashable], equations: Sequence[Equation]) -> list[Hashable]:
    index = {k: i for i, k in enumerate(hidden)}
    rows = []
    for eq in equations:
        row = np.zeros(len(hidden))
        for k, c in eq.items():
            if k in index:
                row[index[k]] += c
        if row.any():
            rows.append(row)
    if not rows:
        return []
    # x_j is fixed by A x = b exactly when every solution of A x = 0 has x_j = 0: the null space of A
    # (the right singular vectors beyond its rank) has nothing in coordinate j.
    a = np.array(rows)
    _, sing, vt = np.linalg.svd(a)
    rank = int((sing > 1e-9 * max(1.0, sing.max(initial=0.0))).sum())
    null = vt[rank:]
    return [k for k, i in index.items() if null.shape[0] == 0 or np.abs(null[:, i]).max() < 1e-9]


MAX_EXACT_SUM = 20_000  # a remainder above this is left to the interval test (no small count is near it)


def _pinned_in_one_sum(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation],
    status: Mapping[Hashable, Status],
    rule: Rule,
    signed: set[Hashable],
) -> list[Hashable]:
    """Hidden counts one relation pins by whole numbers, exactly: a total less its shown parts leaves a
    remainder R that the hidden parts add up to, each a whole number the symbol allows ("<5" 1 to
    threshold - 1, "[c]" 0 or threshold and more). Every way of making R is enumerated (as bit sets of
    reachable sums), so "<5" + "[c]" + "[c]" = 6 is found to force 1 + 5 + 0, which interval bounds
    miss. Only relations whose hidden figures are counts on the same side (a total and its parts, the
    period's total and its months) are searched; across several relations the interval test applies."""
    t = int(rule.threshold)
    out: list[Hashable] = []
    for eq in equations:
        hidden = [(k, int(c)) for k, c in eq.items() if c and status.get(k) and k in values]
        if not hidden or any(k in signed for k, _ in hidden):
            continue
        signs = {c > 0 for _, c in hidden}
        if len(signs) != 1:
            continue
        shown = sum(c * float(values[k]) for k, c in eq.items() if c and not status.get(k) and k in values)
        sign = 1 if signs.pop() else -1
        remainder = -sign * shown
        if remainder < 0 or remainder != int(remainder) or remainder > MAX_EXACT_SUM:
            continue
        r = int(remainder)
        domains = [(k, abs(c), _domain(status[k], r // abs(c), t)) for k, c in hidden]

        for i, (k, c, dom) in enumerate(domains):
            if status[k] != PRIMARY and not (status[k] == IMPLICIT and rule.is_small(values[k])):
                continue
            others = _reachable(domains[:i] + domains[i + 1 :], r)
            possible = (v for lo, hi in dom for v in range(lo, hi + 1) if (others >> (r - c * v)) & 1)
            if next(possible, None) is not None and next(possible, None) is None:
                out.append(k)  # exactly one value fits
    return out


def _domain(status: Status, top: int, threshold: int) -> list[tuple[int, int]]:
    """The whole numbers from 0 to ``top`` a hidden count with this status can be, as (low, high) runs."""
    if status == PRIMARY:
        runs = [(1, min(threshold - 1, top))]
    elif status == SECONDARY:
        runs = [(0, 0), (threshold, top)]
    else:
        runs = [(0, top)]
    return [(lo, hi) for lo, hi in runs if lo <= hi]


def _spread(bits: int, count: int, step: int) -> int:
    """``bits << (step * i)`` for i from 0 to count - 1, OR-ed together (in log2(count) shifts)."""
    out, shift, block, size = 0, 0, bits, 1
    while count:
        if count & 1:
            out |= block << (step * shift)
            shift += size
        block |= block << (step * size)
        size *= 2
        count >>= 1
    return out


def _reachable(items: Sequence[tuple[Hashable, int, list[tuple[int, int]]]], limit: int) -> int:
    """The sums up to ``limit`` that ``items`` (key, coefficient, runs of possible values) can make, as
    the bits of an integer (bit s set: the sum s can be made)."""
    full = (1 << (limit + 1)) - 1
    bits = 1
    for _, c, runs in items:
        new = 0
        for lo, hi in runs:
            new |= _spread(bits << (c * lo), hi - lo + 1, c)
        bits = new & full
    return bits


def _pinned_by_bounds(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation],
    status: Mapping[Hashable, Status],
    rule: Rule,
    signed: set[Hashable],
) -> list[Hashable]:
    b = bounds(values, status, rule, signed)
    t = float(rule.threshold)

    def tighten(k: Hashable, lo: float, hi: float) -> bool:
        old_lo, old_hi = b[k]
        if math.isfinite(lo):
            lo = math.ceil(lo - 1e-9)
        if math.isfinite(hi):
            hi = math.floor(hi + 1e-9)
        lo, hi = max(old_lo, lo), min(old_hi, hi)
        if status.get(k) == SECONDARY and k not in signed:
            # a hidden count is 0 or >= threshold: a range inside 1..threshold-1 holds no value
            if lo > 0 and lo < t:
                lo = t if hi >= t else lo
            if hi < t and hi > 0:
                hi = 0.0 if lo <= 0 else hi
        if (lo, hi) != (old_lo, old_hi) and lo <= hi:
            b[k] = (lo, hi)
            return True
        return False

    for _ in range(50):
        changed = False
        for eq in equations:
            for k, c in eq.items():
                if not c or not status.get(k) or k not in b:
                    continue
                # c*x_k = -sum(others): bounds of the others' sum
                lo_sum = hi_sum = 0.0
                for j, cj in eq.items():
                    if j == k:
                        continue
                    lo_j, hi_j = b[j]
                    lo_sum += cj * (lo_j if cj > 0 else hi_j)
                    hi_sum += cj * (hi_j if cj > 0 else lo_j)
                lo, hi = sorted((-hi_sum / c, -lo_sum / c))
                if not (math.isnan(lo) or math.isnan(hi)):
                    changed |= tighten(k, lo, hi)
        if not changed:
            break
    return [k for k, s in status.items() if s and k in b and b[k][0] == b[k][1]]


def shared_key(name: str, when: object) -> str:
    """The one disclosure identity of a figure several blocks of a report publish: ``name`` what it
    counts, ``when`` the day or period (``shared_key(CLA, date(2025, 3, 31))`` is ``"cla@2025-03-31"``).
    Every ledger that holds it uses this key, so the figure is the same one wherever it appears."""
    return f"{name}@{getattr(when, 'isoformat', lambda: when)()}"


def is_shared_key(key: object) -> bool:
    """True for a key from ``shared_key`` (the same figure in every block of the document)."""
    return isinstance(key, str) and "@" in key


CLA = "cla"  # children in care at the end of a day (the DfE's 31 March count, LAIT 332 rule)
STARTS = "starts"  # periods of care that started in a period
CEASED = "ceased"  # periods of care that ended in a period


def withheld_reason(totals: Sequence[tuple[float, str]], population: str, rule: Rule) -> str:
    """Why a breakdown is not published, in words for the block: ``totals`` the (count, when) of each
    year withheld, ``population`` what they count ("children in care").

    "Not shown: with 6 children in care at 31 March 2025 the breakdown would identify some of them."
    """
    said = [
        f"{rule.words(n)} {population} {when}" if i == 0 else f"{rule.words(n)} {when}"
        for i, (n, when) in enumerate(totals)
    ]
    return f"Not shown: with {' and '.join(said)} the breakdown would identify some of them."


def breakdown_status(
    columns: Mapping[Hashable, tuple[Mapping[Hashable, float], float]], rule: Rule | Any | None = None
) -> tuple[dict[tuple[Hashable, Hashable], Status], list[Hashable]]:
    """Statuses for breakdowns with published totals: ``columns`` maps a column to (its parts, its total).

    Each total is kept (never hidden to protect a part: a report prints its totals elsewhere, the
    headline, the scorecard, a sentence), so small parts are protected by hiding other parts. Returns
    the status of each (part, column) (the total is ("Total", column)) and the columns that no choice of
    secondary cells can protect: those must be withheld (``withheld_reason``).
    """
    ledger, withheld = breakdown_ledger(columns, rule)
    return dict(ledger.status), withheld  # type: ignore[arg-type]


def breakdown_ledger(
    columns: Mapping[Hashable, tuple[Mapping[Hashable, float], float]],
    rule: Rule | Any | None = None,
    *,
    total_keys: Mapping[Hashable, str | None] | None = None,
    part_keys: Mapping[Hashable, Mapping[Hashable, str]] | None = None,
    shared_parts: Iterable[Hashable] = (),
    share_decimals: int = 0,
) -> tuple[Ledger, list[Hashable]]:
    """``breakdown_status`` as one ledger over every column (keys (part, column) and ("Total", column)), so
    a table's cells are ``Ledger.text`` figures with document keys and its block records the relations;
    ``total_keys`` gives a column's total its shared key (``shared_key``: the children in care on a day,
    the same figure in every table and section that prints it), and ``part_keys`` (column -> part ->
    key) a part the document key the report gives the same count elsewhere (``Ledger.add(alias=)``: a
    measure's numerator, whose percentage other sections print); a part in ``shared_parts`` is printed
    as a count elsewhere under that key (the adoptions of the exits table are the scorecard's), so it is
    kept like a total (``shared``): one status for the report. Each column is protected on its own
    (its relation is its own), and the columns nothing protects are returned to be withheld.

    A part with such a key has its percentage of the same total printed elsewhere (the scorecard's and
    the trends' ``placed_*_pct``, ``ceased_*_pct``, to ``share_decimals`` places: the registry prints
    them as whole percents), whatever this table hides, unless the rule hides the share (a small part or
    complement): ``Ledger.printed_share``, so ``protect`` chooses the cells with it in view ("82%" of 28
    is 23: hiding foster here hides nothing from a reader of the scorecard, so another part is hidden,
    or, with none left that helps, the column withheld; "82%" of 280 is 229 or 230, so foster hidden is
    one of two values, which the search weighs like any other relation)."""
    rule = Rule.of(rule) if rule is not None else Rule()
    combined = Ledger(rule)
    status: dict[Hashable, Status] = {}
    withheld: list[Hashable] = []
    ones: dict[Hashable, Ledger] = {}
    for col, (parts, total) in columns.items():
        one = ones[col] = Ledger(rule)
        aliases = (part_keys or {}).get(col) or {}
        printed = set(shared_parts)
        for part, n in parts.items():
            key = aliases.get(part)
            if key and part in printed:
                one.add((part, col), n, shared=True)
                combined.add((part, col), n, shared=key)
            else:
                one.add((part, col), n)
                combined.add((part, col), n, alias=key)
        shared = (total_keys or {}).get(col) or True
        one.add(("Total", col), total, shared=True)
        combined.add(("Total", col), total, shared=shared)
        one.total(("Total", col), [(part, col) for part in parts])
        combined.total(("Total", col), [(part, col) for part in parts])
        for part, n in parts.items():  # a keyed part's share is printed elsewhere (the docstring)
            if aliases.get(part) and not rule.share_hidden(n, total):
                for ledger in (one, combined):
                    ledger.printed_share((part, col), ("Total", col), share_decimals)
    from cpkit.publish import plan

    combined.planned = plan.planned(combined)  # cells the document's plan hides in this table
    for col, one in ones.items():
        one.forced = {k for k in combined.planned if k in one.values}
        one.status = protect(
            one.values,
            one.equations,
            rule,
            keep=one.kept,
            signed=one.signed,
            hide=one.forced,
            shares=one.printed_shares,
        )
        if one.open():
            withheld.append(col)
        status.update(one.status)
    combined.status = status
    return combined, withheld


class Ledger:
    """The figures of one section (or one group of tables and sentences) protected together.

    Every table, sentence and chart of the group reads its figures' status from here, so a figure hidden
    in one table is hidden wherever else it appears, and the secondary cells are chosen against all the
    relations at once (``protect``). Add figures with ``add`` (the same key twice is the same figure),
    relations with ``total`` / ``relate``, then call ``resolve``.
    """

    def __init__(self, rule: Rule | Any | None = None, *, name: str | None = None) -> None:
        self.rule = Rule.of(rule) if rule is not None else Rule()
        self.name = name  # the ledger's namespace in the document (``key_of``)
        self.values: dict[Hashable, float] = {}
        self.equations: list[dict[Hashable, int]] = []
        self.signed: set[Hashable] = set()
        self.implicit: set[Hashable] = set()
        self.forced: set[Hashable] = set()
        self.kept: set[Hashable] = set()
        self.status: dict[Hashable, Status] = {}
        # why the block this ledger protects is not published at all ("" when it is): a breakdown that
        # no choice of hidden cells can protect (``withheld_reason``)
        self.withheld = ""
        # percentages printed from the ledger's counts (``share``), over document keys, for the audit
        self.shares: list[dict[str, Any]] = []
        # percentages of its figures other blocks print whatever it hides (``printed_share``), over its
        # own keys: ``protect`` and ``open`` search with them
        self.printed_shares: list[Share] = []
        self.aliases: dict[Hashable, str] = {}  # a figure's shared document key (``add(..., shared=)``)
        self.left: list[Hashable] = []  # what the last ``resolve``'s audit found still open
        # figures the document's plan hides here (``cpkit.publish.plan``): forced, chosen for the report
        self.planned: set[Hashable] = set()
        self._recorded: tuple[str, object] | None = None  # (plan token, status) last recorded
        self._namespace: tuple[object, tuple[int, int], dict, str] | None = None  # ``namespace``'s memo

    def add(
        self,
        key: Hashable,
        value: float,
        *,
        signed: bool = False,
        implicit: bool = False,
        shared: bool | str = False,
        alias: str | None = None,
    ) -> Hashable:
        """A figure of the group. ``shared``: it is published in other blocks of the report too (a
        total), so it is never hidden to protect another figure here: its one status for the report is
        published, or the small-count symbol when it is itself small. A ``shared_key`` string as
        ``shared`` is also its document key (``key_of``): the same figure in every section.

        ``alias``: the figure's document key where the report speaks of the same count under it without
        printing it as a count (a measure's numerator, ``cpkit.figures.keys``, whose percentage the
        scorecard and trends print: the foster count of the placement table is the numerator of the
        foster share). It is protected here like any other figure, and the report's audit reads the
        count and the percentage as one figure, so a share that gives back a count hidden here is found."""
        if key in self.values and float(self.values[key]) != float(value):
            raise ValueError(
                f"figure {key!r} added twice with different values ({self.values[key]}, {value})"
            )
        self.values[key] = float(value)
        if signed:
            self.signed.add(key)
        if implicit:
            self.implicit.add(key)
        if shared:
            self.kept.add(key)
        if isinstance(shared, str):
            self.aliases[key] = shared
        elif alias:
            self.aliases[key] = alias
        self.status = {}
        return key

    def total(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """``total`` = the sum of ``parts`` (each already added)."""
        eq: dict[Hashable, int] = {total: 1}
        for p in parts:
            eq[p] = eq.get(p, 0) - 1
        self.relate(eq)

    def relate(self, equation: Mapping[Hashable, int]) -> None:
        """sum(coefficient * figure) = 0."""
        self.equations.append(dict(equation))
        self.status = {}

    def hide(self, key: Hashable) -> None:
        self.forced.add(key)
        self.status = {}

    def printed_share(self, numerator: Hashable, denominator: Hashable, decimals: int = 0) -> Share | None:
        """The percentage ``numerator`` / ``denominator`` (two of the ledger's counts) is printed in another
        block whatever this ledger hides (the scorecard prints a placement group's share of the children in
        care from the figures table, not from this table), to ``decimals`` places: a reader holds it, so
        the hidden cells are chosen, and audited, with it (``protect(shares=)``): "27%" of 30 is 8, and
        hiding the 8 would protect nothing. A share of no one is printed nowhere: None."""
        if not float(self.values[denominator]) > 0:
            return None
        share = Share.of(numerator, denominator, self.values[numerator], self.values[denominator], decimals)
        if share not in self.printed_shares:
            self.printed_shares.append(share)
            self.status = {}
        return share

    def keep(self, key: Hashable) -> None:
        """``key`` is published elsewhere anyway: never hide it to protect another figure here."""
        self.kept.add(key)
        self.status = {}

    def choose(self, cache: dict | None = None) -> Ledger:
        """Choose the hidden cells (``protect``), with the figures the document's plan hides here forced
        (``cpkit.publish.plan``: cells chosen for the whole report, which no section sees alone);
        ``cache``: the exact audit's memo, for an audit of the same statuses after."""
        from cpkit.publish import plan

        self.planned = plan.planned(self)
        self.status = protect(
            self.values,
            self.equations,
            self.rule,
            signed=self.signed,
            hide=self.forced | self.planned,
            implicit=self.implicit,
            keep=self.kept,
            cache=cache,
            shares=self.printed_shares,
        )
        return self

    def resolve(self) -> Ledger:
        """Choose the hidden figures (``choose``) and audit the choice once (``left``: what is still open,
        empty unless nothing was left to hide). The audit reads the search ``protect`` made of the same
        statuses (its memo), so the figures are searched once, not again for the audit."""
        cache: dict = {}
        self.choose(cache)
        self.left = left = self.open(cache)
        if left:  # e.g. 4 + 4 = 8 with the 8 published elsewhere: no cell left to hide can protect them
            log.warning("small counts that can still be worked out after suppression: %s", left)
        return self

    def digest(self) -> str:
        """The ledger's identity for the document's plan: a digest of what it was given (figures with
        their true values, relations, signed, implicit, kept and forced figures, shared keys), not of
        what it hid, so hiding more under the plan does not change it (``namespace`` does). Only ever
        written to the run's private cache and ``_analyst/``: it is a digest of true small values."""
        text = published.key_text
        parts = [
            f"name={self.name or ''}",
            *sorted(f"{text(k)}={v!r}" for k, v in self.values.items()),
            *sorted(",".join(sorted(f"{text(k)}*{c}" for k, c in eq.items())) for eq in self.equations),
            *(
                f"{what}:" + ",".join(sorted(str(text(k)) for k in keys))
                for what, keys in (
                    ("signed", self.signed),
                    ("implicit", self.implicit),
                    ("kept", self.kept),
                    ("forced", self.forced),
                )
            ),  # fmt: skip
            *sorted(f"alias:{text(k)}={a}" for k, a in self.aliases.items()),
            *sorted(  # only when there are any: the digests of ledgers without stay as they were
                f"share:{text(x.numerator)}/{text(x.denominator)}={x.percent!r}.{x.decimals}"
                for x in self.printed_shares
            ),
        ]
        return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]

    def _status(self, key: Hashable) -> Status:
        if not self.status:
            self.resolve()
        self._record()
        return self.status.get(key, "")

    def _record(self) -> None:
        """Record the ledger for the document's plan once per choice (``cpkit.publish.plan.record``):
        when it first prints a figure, and again when its figures, or the plan in force, changed."""
        from cpkit.publish import plan

        now = plan.token()
        if not now or (
            self._recorded is not None and self._recorded[0] == now and self._recorded[1] is self.status
        ):
            return
        self._recorded = (now, self.status)  # first: recording reads the namespace, which reads statuses
        plan.record(self)

    def hidden(self, key: Hashable) -> bool:
        return bool(self._status(key))

    @property
    def namespace(self) -> str:
        """The ledger's part of its figures' document keys: ``name`` when given, else a digest of its
        figures as published (keys, and the value of each shown figure; a hidden one counts only as
        hidden) and relations, so the same ledger built again in another view (each table of a section
        builds its own) names its figures the same, and two ledgers of different figures under the same
        keys (one per year, one per column) do not. Two ledgers that publish the very same figures and
        relations are taken as one, which can only make the audit stricter.

        A hidden value never enters the digest: the name travels with every figure into the notebook,
        and a digest over "homes=3" would give the 3 back to anyone who tries 1 to 4."""
        if self.name:
            return self.name
        if self.values:
            self._status(next(iter(self.values)))  # chosen and recorded, as every figure's status is
        # Worked out again only when what it digests changed: every figure's key asks for it (thousands of
        # times a section). The figures and relations change only through add/relate, which start a new
        # status; a status is also changed in place (a section hiding a figure by hand), so it is compared.
        seen = self._namespace
        if (
            seen is not None
            and seen[0] is self.status
            and seen[1] == (len(self.values), len(self.equations))
            and seen[2] == self.status
        ):
            return seen[3]
        figures = sorted(
            f"{published.key_text(k)}={'hidden' if self.hidden(k) else format(v, 'g')}"
            for k, v in self.values.items()
        )
        relations = sorted(
            ",".join(sorted(f"{published.key_text(k)}*{c}" for k, c in eq.items())) for eq in self.equations
        )
        text = "\n".join(figures + ["--"] + relations)
        name = "ledger-" + hashlib.sha1(text.encode()).hexdigest()[:8]
        # the status object itself is held, so a later status cannot be a new dict at the same address
        self._namespace = (self.status, (len(self.values), len(self.equations)), dict(self.status), name)
        return name

    def key_of(self, key: Hashable) -> str:
        """The figure's key in the document (``Figure.key``, a block's ``relations``): a shared key
        (``shared_key``, the same figure wherever it is published) as it is, else the ledger's namespace
        and the key ("ledger-1a2b3c4d:start/children/All placements"). The document audit
        (``cpkit.publish.ledger``) prefixes the section of the block."""
        return self._key_in(key, None)

    def doc_keys(self) -> dict[Hashable, str]:
        """``key_of`` of every figure, the namespace worked out once (the document's plan records them)."""
        namespace = self.namespace
        return {k: self._key_in(k, namespace) for k in self.values}

    def _key_in(self, key: Hashable, namespace: str | None) -> str:
        if key in self.aliases:
            return self.aliases[key]
        if is_shared_key(key):
            return str(key)
        return f"{namespace or self.namespace}:{published.key_text(key)}"

    def relations(self) -> list[dict[str, int]]:
        """The ledger's equations over document keys (what ``show_table(..., ledger=)`` records)."""
        out = []
        for eq in self.equations:
            named: dict[str, int] = {}
            for k, c in eq.items():
                named[self.key_of(k)] = named.get(self.key_of(k), 0) + int(c)
            out.append({k: c for k, c in named.items() if c})
        return out

    def share(self, numerator: Hashable, denominator: Hashable, decimals: int = 0) -> Figure:
        """The percentage ``numerator`` / ``denominator`` of two of the ledger's counts as published:
        hidden (``[c]``) when either count is hidden or the rule hides the share (a small part, group
        or complement), else printed; a printed one is recorded (``shares``) so the report's audit
        knows what it tells a reader ("80%" of 5 is 4)."""
        n, m = self.values[numerator], self.values[denominator]
        pct = 100 * n / m if m else None
        counts = (self.key_of(numerator), self.key_of(denominator))
        from cpkit.publish import plan

        if pct is not None and (
            self.hidden(numerator) or self.hidden(denominator) or plan.share_hidden(*counts)
        ):  # hidden with its count, or by the document's plan (a share of a count hidden elsewhere)
            return published.secondary(self.rule.secondary, pct, "percent", decimals).with_counts(*counts)
        figure = self.rule.pct(pct, n, m, decimals).with_counts(*counts)
        share = figure.share()
        if share is not None:
            self.shares.append(share)
        return figure

    def signed_keys(self) -> set[str]:
        """Document keys of the signed figures (a net change: any whole number when hidden)."""
        return {self.key_of(k) for k in self.signed}

    def text(self, key: Hashable) -> Figure:
        """The figure as a table cell: the number, the small-count symbol or ``[c]`` (a ``Figure`` whose
        ``key`` is the ledger's, so the relations of a block can name it)."""
        value = self.values[key]
        doc = self.key_of(key)
        if key in self.signed:
            if self.hidden(key):
                return published.secondary(self.rule.secondary, value, "count", 0, doc)
            return published.shown(f"{value:+,.0f}" if value else "0", int(round(value)), "count", 0, doc)
        return self.rule.count(value, self._status(key) == SECONDARY, key=doc)

    def words(self, key: Hashable) -> Sentence:
        """The figure as a sentence prints it, with the status the tables give it: the number, "fewer than
        5" for a small one, ``NOT_SHOWN`` for one hidden to protect another. A phrase carrying the
        ``Figure`` under the ledger's document key (the report's audit reads it as the same figure as the
        table cell) and the ledger's relations (a reader of "fewer than 5 ended" holds what it adds up to,
        even where no table prints the months)."""
        value = self.values[key]
        if self._status(key) == SECONDARY and self.rule.is_small(value):
            # a small count the ledger hides further because even "fewer than 5" would give it away (the
            # year's flows beside the stock): not given at all, so it is no figure of the sentence
            return with_relations(NOT_SHOWN, self.relations(), self.signed_keys())
        figure = self.rule.words(value, key=self.key_of(key), hidden=self.hidden(key))
        return with_relations(figure, self.relations(), self.signed_keys())

    def n_of_m(self, part: Hashable, whole: Hashable, decimals: int = 0) -> Sentence:
        """ "38 of 90 (42%)" from two of the ledger's counts, worded as ``Rule.n_of_m`` with the ledger's
        statuses (a part hidden to protect another figure is ``NOT_SHOWN``), its document keys and its
        relations; a group hidden to protect another figure is not given at all (``NOT_SHOWN``)."""
        if self._status(whole) == SECONDARY:
            return sentence(NOT_SHOWN, self.words(whole))
        phrase = self.rule.n_of_m(
            self.values[part],
            self.values[whole],
            decimals,
            hidden=self.hidden(part),
            keys=(self.key_of(part), self.key_of(whole)),
        )
        return with_relations(phrase, self.relations(), self.signed_keys())

    def open(self, cache: dict | None = None) -> list[Hashable]:
        """Figures still disclosed after ``resolve`` (empty unless nothing was left to hide); ``resolve``
        keeps its answer in ``left``."""
        return disclosed(
            self.values,
            self.equations,
            self.status,
            self.rule,
            signed=self.signed,
            protect=self.forced | self.planned,
            cache=cache,
            shares=self.printed_shares,
        )


# --- Tables ----------------------------------------------------------------------------------------


def line_equations(
    keys: Sequence[Sequence[Hashable]], totals: Sequence[Hashable] | None = None
) -> list[dict[Hashable, int]]:
    """total = sum(parts) for each line: ``keys[i]`` the parts of line i, ``totals[i]`` its total."""
    out = []
    for i, parts in enumerate(keys):
        if totals is None or totals[i] is None:
            continue
        eq: dict[Hashable, int] = {totals[i]: 1}
        for p in parts:
            eq[p] = eq.get(p, 0) - 1
        out.append(eq)
    return out


def suppress_frame(
    df: pd.DataFrame,
    columns: Sequence[str],
    rule: Rule | Any | None = None,
    *,
    total_row: Hashable | None = None,
    total_column: str | None = None,
    hide: Iterable[tuple[Hashable, str]] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts in ``columns`` as published text, and the status of each (PRIMARY / SECONDARY / "").

    ``total_row`` (an index label) is the sum of the other rows in each column; ``total_column`` the sum
    of ``columns`` in each row (it may be one of them or not). Both may be given (a grid with margins).
    """
    rule = Rule.of(rule) if rule is not None else Rule()
    cols = list(columns)
    if total_column is not None and total_column not in cols:
        cols.append(total_column)
    num = df[cols].apply(pd.to_numeric, errors="coerce")
    values = {(r, c): float(num.at[r, c]) for r in num.index for c in cols if not _missing(num.at[r, c])}
    eqs: list[dict[Hashable, int]] = []
    if total_row is not None:
        for c in cols:
            parts = [(r, c) for r in num.index if r != total_row and (r, c) in values]
            if (total_row, c) in values:
                eqs += line_equations([parts], [(total_row, c)])
    if total_column is not None:
        for r in num.index:
            parts = [(r, c) for c in cols if c != total_column and (r, c) in values]
            if (r, total_column) in values:
                eqs += line_equations([parts], [(r, total_column)])
    status = protect(values, eqs, rule, hide=hide)
    out = df.copy()
    flags = pd.DataFrame("", index=df.index, columns=cols)
    for c in cols:
        out[c] = pd.Series(  # object dtype: pandas 3 would keep a column of str as text, not Figures
            [
                rule.count(num.at[r, c], status.get((r, c)) == SECONDARY) if (r, c) in values else ""
                for r in num.index
            ],
            index=out.index,
            dtype=object,
        )
        flags[c] = [status.get((r, c), "") for r in num.index]
    return out, flags


def suppress_counts(
    df: pd.DataFrame,
    columns: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
    symbol: str = DEFAULT_SYMBOL,
    *,
    total_column: str | None = None,
    axis: str = "row",
) -> pd.DataFrame:
    """Return a copy with ``columns`` as published text, with secondary suppression.

    ``axis="row"``: each row's cells in ``columns`` add up to ``total_column`` (when given).
    ``axis="column"``: the last row is the total of each column. (The older interface of
    ``suppress_frame``; secondary cells show ``[c]``.)
    """
    rule = Rule(threshold, symbol)
    frame = df.reset_index(drop=True)
    if axis == "column":
        out, _ = suppress_frame(frame, columns, rule, total_row=frame.index[-1] if len(frame) else None)
    else:
        out, _ = suppress_frame(frame, columns, rule, total_column=total_column)
    out.index = df.index
    return out


# --- Back-compatible single-figure helpers (the older ``cpkit.present.suppression`` interface) ------


def is_small(n: object, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True for a count that the rule hides: 1 <= n < threshold."""
    return Rule(threshold).is_small(n)


def suppress_value(n: object, threshold: int = DEFAULT_THRESHOLD, symbol: str = DEFAULT_SYMBOL) -> str:
    """A single count as published text."""
    return Rule(threshold, symbol).count(n)


def suppress_pct(
    pct: object,
    numerator: object,
    denominator: object,
    threshold: int = DEFAULT_THRESHOLD,
    symbol: str = DEFAULT_SYMBOL,
    decimals: int = 0,
) -> str:
    """A percentage as published text: ``[c]`` when its numerator, denominator or complement is small."""
    return Rule(threshold, symbol).pct(pct, numerator, denominator, decimals)
