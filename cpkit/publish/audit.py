"""The exact disclosure audit: what a reader can work out of every hidden count from everything published.

``protect`` (``cpkit.present.disclosure``) chooses which figures to hide with a fast heuristic; this
module checks a choice exactly. A reader holds the figures shown, what each symbol says (``<5``: a count
from 1 to ``threshold - 1``; ``[c]``: a count that is 0 or ``threshold`` and more, or any value for a
signed figure such as a net change), the relations between figures (a total is the sum of its parts;
end = start + admissions - ceased; the same figure in two tables is one figure) and every percentage
printed beside its numerator and denominator (``Share``: "80%" of 5 is 4, since 3/5 and 5/5 round to 60%
and 100%). For each hidden count the audit asks an integer programme (``scipy.optimize.milp``, HiGHS)
which values are still possible given all of that at once, so integer combinations across many
relations are searched, which interval bounds and linear algebra alone cannot do.

What counts as a leak (a ``Finding``):

- **pinned**: a small count (``<5``) a reader can work out exactly, whatever the reason: the figures
  shown, the relations, the percentages, or the shape of the tables alone (four "<5" parts of a "<5"
  total are each 1). This is the test the DfE and the ONS apply to secondary suppression (a suppressed
  figure must not be derivable), and a report fails on it under either test.
- **printed**: a count from 1 to ``threshold - 1`` shown as a number.
- **protected** figures (``protect``: hidden because another table hides them) pinned to their value,
  and **implicit** figures (never printed, but following from others, such as children not placed
  in-house) that are small and pinned.
- **narrowed**, when asked (``narrowing=True``, the ``INTERVAL`` test, a report's default): a small
  count whose possible values the *figures shown* cut down from what its symbol and the shape of the
  tables allow. A reader of "<5" + "[c]" = 7 knows the small count is 1 or 2 (the ``[c]`` is 6 or 5),
  not 1 to 4; "[c] boys, <5 girls, 8" says 1 to 3. The shape alone is never counted (three "<5" parts
  of a "<5" total are each 1 or 2 whatever is hidden): the shape is the relations of the same tables
  with every shown count read as its symbol would be ("0 or ``threshold`` and more": a shown count is
  never small) and no percentages. Under the ``EXACT`` test (the DfE's and the ONS's) narrowing is not
  looked for; it withholds fewer breakdowns of a small council (every "<5" part beside a published
  total below ``2 * threshold - 1`` is narrowed), at the cost of telling a reader more than the symbol.

A ``[c]`` count a reader can work out is not a leak in itself: it is 0 or ``threshold`` and more, so it
identifies no child; if it leads to a small count, that one is reported. A finding names the figure and
the kind of leak, never the value (``Finding.possible`` is kept for tests and is never printed).

Search bounds: a hidden count is searched up to ``bound`` (twice the sum of every figure in its group of
relations, plus ten thresholds), so a reader could in principle know of solutions beyond it that widen a
range; with totals and differences of counts (coefficients of 1) every solution has parts no larger
than the total, so none is missed in the kit's relations. Every solution the solver returns is checked
again in whole numbers before it is believed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

log = logging.getLogger(__name__)

# the statuses of ``cpkit.present.disclosure`` (kept as plain strings so both modules share them)
SHOWN, PRIMARY, SECONDARY, IMPLICIT = "", "primary", "secondary", "implicit"

# The two tests a council can choose (``disclosure_test`` in cpkit.yaml, carried by
# ``cpkit.present.disclosure.Rule``): ``INTERVAL`` (the default) also fails a small count the figures shown
# narrow (``narrowing=True``); ``EXACT`` fails only a small count a reader can work out exactly.
INTERVAL, EXACT = "interval", "exact"
DISCLOSURE_TESTS = (INTERVAL, EXACT)

PINNED, NARROWED, PRINTED, PROTECTED, SHOWN_AND_HIDDEN = (
    "pinned",
    "narrowed",
    "printed",
    "protected",
    "shown and hidden",
)


@dataclass(frozen=True)
class Share:
    """A percentage printed beside (or tied to) the counts it divides: ``percent`` is the value as
    printed (80 for "80%", 12.5 for "12.5%") to ``decimals`` places, rounded half away from zero as every
    figure the kit prints (``judgement.printed``), of ``numerator`` / ``denominator`` (keys of counts,
    shown or hidden). A hidden percentage tells a reader nothing and is not a ``Share``."""

    numerator: Hashable
    denominator: Hashable
    percent: float
    decimals: int = 0

    @classmethod
    def of(cls, numerator: Hashable, denominator: Hashable, n: float, m: float, decimals: int = 0) -> Share:
        """The share of counts ``n`` of ``m`` (keys ``numerator``, ``denominator``) as printed at
        ``decimals`` places, by the kit's one rounding rule (``cpkit.publish.figure.at_precision``)."""
        from cpkit.publish.figure import at_precision

        return cls(numerator, denominator, float(at_precision(100 * float(n) / float(m), decimals)), decimals)

    def holds(self, values: Mapping[Hashable, float | None]) -> bool:
        """True when the true counts in ``values`` print as this share (both known, the group not 0)."""
        n, m = values.get(self.numerator), values.get(self.denominator)
        if n is None or m is None or not float(m) > 0:
            return False
        a, b_lo, b_hi, _ = _share_rows(self)
        return a * float(n) >= b_lo * float(m) and a * float(n) <= b_hi * float(m) - 1


@dataclass(frozen=True)
class Finding:
    """One recoverable figure: its key, the kind of leak (``PINNED``, ``NARROWED``, ``PRINTED``,
    ``PROTECTED``, ``SHOWN_AND_HIDDEN``) and the values a reader cannot rule out (for tests; a message
    for people never shows them)."""

    key: Hashable
    kind: str
    possible: tuple[int, ...] = ()
    where: str = ""  # the blocks it appears in, filled in by the document audit

    def describe(self) -> str:
        """The leak in words, without the value."""
        what = {
            PINNED: "can be worked out exactly",
            NARROWED: "can be narrowed to fewer values than its symbol allows",
            PRINTED: "is a small count printed as a number",
            PROTECTED: "is hidden in one place and can be worked out from the others",
            SHOWN_AND_HIDDEN: "is shown in one place and hidden in another",
        }[self.kind]
        return f"{self.key} {what}" + (f" ({self.where})" if self.where else "")


@dataclass
class Audit:
    """What the audit found: ``hidden`` counts hidden (small and secondary), ``findings`` the leaks
    (empty when none is recoverable) and ``solves`` the integer programmes it took."""

    hidden: int
    findings: list[Finding] = field(default_factory=list)
    solves: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def keys(self) -> list[Hashable]:
        return list(dict.fromkeys(f.key for f in self.findings))

    def summary(self) -> str:
        """One line for the report: "disclosure audit: 41 counts hidden, none recoverable"."""
        counts = f"{self.hidden:,} count{'s' if self.hidden != 1 else ''} hidden"
        if self.ok:
            return f"disclosure audit: {counts}, none recoverable"
        n = len(self.keys())
        return f"disclosure audit: {counts}, {n} recoverable"


# --- the integer programme ---------------------------------------------------------------------------


class _Programme:
    """Integer variables with bounds, optional "0 or at least t" links and linear rows lo <= a.x <= hi."""

    def __init__(self, threshold: int, bound: int) -> None:
        self.t = threshold
        self.bound = bound
        self.names: list[Hashable] = []
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.zero_or_more: list[int] = []  # variables that are 0 or >= threshold
        self.rows: list[tuple[dict[int, int], float, float]] = []
        self.index: dict[Hashable, int] = {}
        self.solves = 0

    def var(self, name: Hashable, lo: float, hi: float, *, zero_or_more: bool = False) -> int:
        i = len(self.names)
        self.names.append(name)
        self.lb.append(lo)
        self.ub.append(hi)
        self.index[name] = i
        if zero_or_more:
            self.zero_or_more.append(i)
        return i

    def row(self, coefs: Mapping[int, int], lo: float, hi: float) -> None:
        self.rows.append((dict(coefs), lo, hi))

    def _arrays(self, fix: Mapping[int, tuple[float, float]]):
        n = len(self.names)
        nb = len(self.zero_or_more)
        lb = np.array(self.lb + [0.0] * nb)
        ub = np.array(self.ub + [1.0] * nb)
        for i, (lo, hi) in fix.items():
            lb[i], ub[i] = max(lb[i], lo), min(ub[i], hi)
        a = np.zeros((len(self.rows) + 2 * nb, n + nb))
        lo_ = np.empty(a.shape[0])
        hi_ = np.empty(a.shape[0])
        for r, (coefs, lo, hi) in enumerate(self.rows):
            for i, c in coefs.items():
                a[r, i] = c
            lo_[r], hi_[r] = lo, hi
        r = len(self.rows)
        for j, i in enumerate(self.zero_or_more):  # t*z <= x <= bound*z
            a[r, i], a[r, n + j] = 1, -self.t
            lo_[r], hi_[r] = 0, np.inf
            a[r + 1, i], a[r + 1, n + j] = 1, -self.bound
            lo_[r + 1], hi_[r + 1] = -np.inf, 0
            r += 2
        return a, lo_, hi_, lb, ub

    def solve(
        self, fix: Mapping[int, tuple[float, float]] = {}, objective: Mapping[int, float] = {}
    ) -> list[int] | None:
        """A whole-number solution within ``fix`` (minimising ``objective``), or None when there is none."""
        from scipy.optimize import Bounds, LinearConstraint, milp  # only when a search is needed

        a, lo, hi, lb, ub = self._arrays(fix)
        if (lb > ub).any():
            return None
        c = np.zeros(a.shape[1])
        for i, w in objective.items():
            c[i] = w
        constraints = [LinearConstraint(a, lo, hi)] if a.shape[0] else []
        self.solves += 1
        res = milp(c, integrality=np.ones(a.shape[1]), bounds=Bounds(lb, ub), constraints=constraints)
        if res.status != 0 or res.x is None:
            if res.status not in (2,):  # 2: infeasible; anything else is the solver giving up
                log.warning("disclosure audit: the solver stopped without an answer (%s)", res.message)
            return None
        x = [int(round(v)) for v in res.x[: len(self.names)]]
        if not self._holds(x, fix):
            log.warning("disclosure audit: a solution did not hold in whole numbers; treated as none")
            return None
        return x

    def _holds(self, x: Sequence[int], fix: Mapping[int, tuple[float, float]]) -> bool:
        for i, v in enumerate(x):
            lo, hi = self.lb[i], self.ub[i]
            if i in fix:
                lo, hi = max(lo, fix[i][0]), min(hi, fix[i][1])
            if not lo <= v <= hi:
                return False
        if any(0 < x[i] < self.t for i in self.zero_or_more):
            return False
        return all(lo <= sum(c * x[i] for i, c in coefs.items()) <= hi for coefs, lo, hi in self.rows)


class _Group:
    """One group of hidden figures tied together by relations, and the values each can still take."""

    def __init__(self, programme: _Programme) -> None:
        self.p = programme
        self.seen: dict[int, set[int]] = {i: set() for i in range(len(programme.names))}

    def witness(self, x: Sequence[int]) -> None:
        for i, v in enumerate(x):
            self.seen[i].add(v)

    def possible(self, i: int, values: Iterable[int]) -> tuple[int, ...]:
        """Which of ``values`` variable ``i`` can take."""
        out = []
        for v in values:
            if v in self.seen[i]:
                out.append(v)
                continue
            x = self.p.solve({i: (v, v)})
            if x is not None:
                self.witness(x)
                out.append(v)
        return tuple(out)

    def other_than(self, i: int, v: int) -> bool:
        """True when variable ``i`` can take a value other than ``v``."""
        if any(w != v for w in self.seen[i]):
            return True
        for fix in ((-math.inf, v - 1), (v + 1, math.inf)):
            x = self.p.solve({i: fix})
            if x is not None:
                self.witness(x)
                return True
        return False

    def range(self, i: int) -> tuple[float, float]:
        ends = []
        for sense in (1, -1):
            x = self.p.solve(objective={i: sense})
            if x is None:
                return (math.nan, math.nan)
            self.witness(x)
            ends.append(x[i])
        return (ends[0], ends[1])


def _share_rows(share: Share) -> tuple[int, int, int, int]:
    """(a, b_lo, b_hi) with the printed share meaning b_lo*m <= a*n and a*n < b_hi*m, in whole numbers:
    p printed to d places (half away from zero) is a true 100n/m in [p - h, p + h), h = 0.5/10^d, so
    200*10^d*n >= (2P - 1)*m and 200*10^d*n <= (2P + 1)*m - 1 with P = p*10^d."""
    s = 10**share.decimals
    big_p = int(round(share.percent * s))
    return 200 * s, 2 * big_p - 1, 2 * big_p + 1, s


def audit(
    values: Mapping[Hashable, float],
    status: Mapping[Hashable, str],
    equations: Sequence[Mapping[Hashable, int]] = (),
    threshold: int = 5,
    *,
    signed: Iterable[Hashable] = (),
    shares: Sequence[Share] = (),
    protect: Iterable[Hashable] = (),
    narrowing: bool = False,
    cache: dict | None = None,
) -> Audit:
    """Every hidden count a reader could recover, searched exactly (see the module docstring).

    ``values``: the true figures by key (None for a hidden figure read back from a document, where
    only what a reader sees is kept; the search then starts from any solution); ``status``: ``""`` shown, ``"primary"`` (``<5``),
    ``"secondary"`` (``[c]``), ``"implicit"`` (never printed); a key missing from ``status`` is shown.
    ``equations``: ``{key: coefficient}`` meaning sum(coefficient * figure) == 0. ``signed``: keys that
    are not counts (a net change, a difference): any whole number when hidden, never small. ``shares``:
    percentages printed with their numerator and denominator. ``protect``: hidden keys that must not
    be pinned (hidden because another table hides them). Raises ``ValueError`` when the true figures do
    not satisfy a relation or a share (a bug in the caller: the relations are what the tables print).
    ``narrowing``: also report small counts the figures shown narrow without pinning (see above).
    ``cache``: a dict kept between calls over the same ``values``, ``equations`` and ``shares`` (as
    ``protect`` makes while it tries cells): a group of relations whose statuses did not change is not
    searched again.
    """
    t = int(threshold)
    signed = set(signed)
    protected = set(protect)
    st = {k: status.get(k, SHOWN) or SHOWN for k in values}
    _check_truth(values, equations, shares)
    findings: list[Finding] = []
    for k, v in values.items():
        if st[k] == SHOWN and k not in signed and v is not None and 0 < float(v) < t:
            findings.append(Finding(k, PRINTED, (int(v),)))
    hidden = [k for k in values if st[k] != SHOWN]
    counted = sum(1 for k in hidden if st[k] in (PRIMARY, SECONDARY))

    # groups: hidden figures joined by a relation or share that holds both
    parent = {k: k for k in hidden}

    def find(k: Hashable) -> Hashable:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    links = [("eq", i) for i in range(len(equations))] + [("share", i) for i in range(len(shares))]
    members: list[list[Hashable]] = []
    for kind, i in links:
        keys = list(equations[i]) if kind == "eq" else [shares[i].numerator, shares[i].denominator]
        hk = [k for k in keys if st.get(k, SHOWN) != SHOWN]
        members.append(hk)
        for a, b in zip(hk, hk[1:], strict=False):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    groups: dict[Hashable, list[Hashable]] = {}
    for k in hidden:
        groups.setdefault(find(k), []).append(k)

    def target(k: Hashable) -> bool:
        s = st[k]
        if s == PRIMARY:
            return True
        if k in protected:
            return True
        return s == IMPLICIT and k not in signed and 0 < (_number(values, k) or 0) < t

    solves = 0
    for keys in groups.values():
        if not any(target(k) for k in keys):
            continue
        kset = set(keys)
        eq_ids = tuple(
            i for (kind, i), hk in zip(links, members, strict=True) if kind == "eq" and set(hk) & kset
        )
        sh_ids = tuple(
            i for (kind, i), hk in zip(links, members, strict=True) if kind == "share" and set(hk) & kset
        )
        if not eq_ids and not sh_ids:
            continue  # a hidden figure in no relation: a reader knows only its symbol
        memo = (tuple((k, st[k], k in protected) for k in keys), eq_ids, sh_ids, narrowing)
        if cache is not None and memo in cache:
            findings += cache[memo]
            continue
        found, n = _audit_group(
            values,
            st,
            keys,
            [equations[i] for i in eq_ids],
            [shares[i] for i in sh_ids],
            t,
            signed,
            target,
            narrowing,
        )
        if cache is not None:
            cache[memo] = found
        findings += found
        solves += n
    return Audit(counted, findings, solves)


# Groups searched in this process, by everything their search reads (``_audit_group``): the views of one
# section (its table, its sentences, its chart) each build the same ledger and have it searched, and the
# sample's sections asked for the same group again in 54 of 72 searches (0.57 of 0.98 CPU-seconds).
_SEARCHED: dict[tuple, tuple[Finding, ...]] = {}
_SEARCHED_MAX = 4096


def _audit_group(
    values: Mapping[Hashable, float],
    st: Mapping[Hashable, str],
    keys: Sequence[Hashable],
    equations: Sequence[Mapping[Hashable, int]],
    shares: Sequence[Share],
    t: int,
    signed: set[Hashable],
    target: Callable[[Hashable], bool],
    narrowing: bool,
) -> tuple[list[Finding], int]:
    """The findings of one group of hidden figures tied by relations, and the solves they took: none when
    a group of the very same figures, statuses, relations and shares was searched before in this
    process (its findings are read back). The search reads nothing else: the true value, status and
    signedness of each figure its relations and shares name, which of its figures it looks for (the
    targets), the threshold and the test."""
    named = dict.fromkeys(
        [
            *keys,
            *(k for eq in equations for k in eq),
            *(k for sh in shares for k in (sh.numerator, sh.denominator)),
        ]
    )
    memo = (
        t,
        narrowing,
        tuple(keys),
        tuple(tuple(eq.items()) for eq in equations),
        tuple(shares),
        tuple((k, _number(values, k), st.get(k, SHOWN), k in signed) for k in named),
        tuple(bool(target(k)) for k in keys),
    )
    found = _SEARCHED.get(memo)
    if found is not None:
        return list(found), 0
    searched, n = _search_group(values, st, keys, equations, shares, t, signed, target, narrowing)
    if len(_SEARCHED) >= _SEARCHED_MAX:
        _SEARCHED.clear()
    _SEARCHED[memo] = tuple(searched)
    return searched, n


def _search_group(
    values: Mapping[Hashable, float],
    st: Mapping[Hashable, str],
    keys: Sequence[Hashable],
    equations: Sequence[Mapping[Hashable, int]],
    shares: Sequence[Share],
    t: int,
    signed: set[Hashable],
    target: Callable[[Hashable], bool],
    narrowing: bool,
) -> tuple[list[Finding], int]:
    """``_audit_group``'s search, by the integer programme."""
    named = {k for eq in equations for k in eq} | set(keys) | {sh.denominator for sh in shares}
    scale = sum(abs(_number(values, k) or 0.0) for k in named)
    bound = int(2 * scale + 10 * t)
    actual = _build(values, st, keys, equations, shares, t, bound, signed, shape=False)
    group = _Group(actual)
    truth = [_number(values, n) for n in actual.names]
    if all(v is not None for v in truth):
        group.witness([int(round(v)) for v in truth])  # type: ignore[arg-type]
    else:  # figures read back from a document: a hidden value is not there, so find any solution
        x = actual.solve()
        if x is None:
            raise ValueError(
                "the published figures contradict their relations: no whole numbers fit "
                + ", ".join(str(k) for k in keys)
            )
        group.witness(x)
    shape_group: _Group | None = None

    def shape() -> _Group:
        nonlocal shape_group
        if shape_group is None:
            p = _build(values, st, keys, equations, [], t, bound, signed, shape=True)
            shape_group = _Group(p)
            known = [_number(values, n) for n in p.names]
            if all(v is not None for v in known):
                shape_group.witness([int(round(v)) for v in known])  # type: ignore[arg-type]
        return shape_group

    found: list[Finding] = []
    for k in keys:
        if not target(k):
            continue
        i = actual.index[k]
        v = min(group.seen[i])  # the true value, or one a reader cannot rule out
        if st[k] == PRIMARY and narrowing:
            can = group.possible(i, range(1, t))
            if len(can) == 1:
                found.append(Finding(k, PINNED, can))
            elif len(can) < t - 1 and set(can) != set(shape().possible(i, range(1, t))):
                found.append(Finding(k, NARROWED, can))
        elif st[k] == IMPLICIT and narrowing:
            # never printed, so a reader has no symbol for it: known to be a small count (1 to t - 1)
            # and narrower than the shape of the tables alone allows
            lo, hi = group.range(i)
            if lo == hi:
                found.append(Finding(k, PINNED, (int(lo),)))
            elif 1 <= lo and hi <= t - 1 and (lo, hi) != shape().range(i):
                found.append(Finding(k, NARROWED, tuple(range(int(lo), int(hi) + 1))))
        elif not group.other_than(i, v):
            kind = PINNED if st[k] in (PRIMARY, IMPLICIT) else PROTECTED
            found.append(Finding(k, kind, (v,)))
    n = actual.solves + (shape_group.p.solves if shape_group is not None else 0)
    return found, n


def _build(
    values: Mapping[Hashable, float],
    st: Mapping[Hashable, str],
    keys: Sequence[Hashable],
    equations: Sequence[Mapping[Hashable, int]],
    shares: Sequence[Share],
    t: int,
    bound: int,
    signed: set[Hashable],
    *,
    shape: bool,
) -> _Programme:
    """The programme of one group. ``shape``: the figures shown become unknowns read as their symbols
    (a shown count is 0 or at least ``t``; a shown signed figure anything) and shares are dropped, so
    it says what the symbols and relations alone allow."""
    p = _Programme(t, bound)

    def add(k: Hashable) -> None:
        if k in p.index:
            return
        s = st.get(k, SHOWN)
        if k in signed:
            p.var(k, -bound, bound)
        elif s == PRIMARY:
            p.var(k, 1, t - 1)
        elif s == SECONDARY or (s == SHOWN and not 0 < float(values[k]) < t):
            p.var(k, 0, bound, zero_or_more=True)
        elif s == SHOWN:  # a small count printed (a finding already): read as printed
            p.var(k, float(values[k]), float(values[k]))
        else:  # IMPLICIT: a count a reader was never told anything of
            p.var(k, 0, bound)

    for k in keys:
        add(k)
    for eq in equations:
        coefs: dict[int, int] = {}
        rhs = 0.0
        for k, c in eq.items():
            if not c:
                continue
            if st.get(k, SHOWN) == SHOWN and not shape:
                rhs -= c * float(values[k])
            else:
                add(k)
                coefs[p.index[k]] = coefs.get(p.index[k], 0) + int(c)
        if coefs:
            p.row(coefs, rhs, rhs)
    for sh in shares:
        a, b_lo, b_hi, _ = _share_rows(sh)
        coefs = {}
        rhs_lo = rhs_hi = 0.0
        for k, ca, c_lo, c_hi in ((sh.numerator, a, 0, 0), (sh.denominator, 0, -b_lo, -b_hi)):
            if st.get(k, SHOWN) == SHOWN:
                v = float(values[k])
                rhs_lo -= (ca or c_lo) * v
                rhs_hi -= (ca or c_hi) * v
            else:
                i = p.index[k]
                p.lb[i] = max(p.lb[i], 1) if k == sh.denominator else p.lb[i]
                coefs[i] = (ca, c_lo, c_hi)
        if not coefs:
            continue
        # a*n - b_lo*m >= 0  and  a*n - b_hi*m <= -1
        lo_row = {i: (c[0] or c[1]) for i, c in coefs.items()}
        hi_row = {i: (c[0] or c[2]) for i, c in coefs.items()}
        p.row(lo_row, rhs_lo, math.inf)
        p.row(hi_row, -math.inf, rhs_hi - 1)
    return p


def _number(values: Mapping[Hashable, float | None], key: Hashable) -> float | None:
    v = values.get(key)
    return None if v is None else float(v)


def _check_truth(
    values: Mapping[Hashable, float],
    equations: Sequence[Mapping[Hashable, int]],
    shares: Sequence[Share],
) -> None:
    for eq in equations:
        missing = [k for k in eq if k not in values]
        if missing:
            raise ValueError(f"a relation names figures the audit was not given: {missing}")
        if any(values[k] is None for k in eq):
            continue  # a hidden value read back from a document: the search says whether any fits
        total = sum(c * float(values[k]) for k, c in eq.items())
        if abs(total) > 1e-6:
            raise ValueError(f"the figures do not satisfy the relation {dict(eq)} (off by {total:g})")
    for sh in shares:
        for k in (sh.numerator, sh.denominator):
            if k not in values:
                raise ValueError(f"a share names a figure the audit was not given: {k!r}")
        if values[sh.numerator] is None or values[sh.denominator] is None:
            continue
        n, m = float(values[sh.numerator]), float(values[sh.denominator])
        a, b_lo, b_hi, _ = _share_rows(sh)
        if not (m > 0 and a * n >= b_lo * m and a * n <= b_hi * m - 1):
            raise ValueError(
                f"{sh.percent:g}% is not {sh.numerator!r} / {sh.denominator!r} printed to "
                f"{sh.decimals} decimal places"
            )
