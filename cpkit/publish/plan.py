"""The document's suppression plan: secondary cells chosen once for the whole report, read by every section.

Each section's ledgers (``cpkit.present.disclosure.Ledger``) choose their hidden cells with ``protect``,
sharing only the document keys of figures several sections print (``shared_key``). A report whose
sections are each safe alone can still give a small count away when read whole: one section prints the
children adopted (boys "<5", girls "<5") and those leaving to special guardianship ("<5"), 7 in all,
another the same boys and girls beside 6 who left for other reasons, 11 in all; alone each small count
could be 1 to 4, together boys and girls are 5 and special guardianship 2. So the report chooses once for
the whole document:

1. **Kernel side.** In a run (``open_section`` with the run's cache), every ledger that publishes a
   figure writes what ``protect`` was given (true values, relations, signed, implicit, kept and forced
   figures, each figure's document key) and what it chose to ``<cache>/disclosure/<section>.jsonl``
   (``record``). These hold the true small values: they live in the run's private cache, beside the
   child-level tables, and go with it; nothing of them is printed or published. A ledger also reads the
   run's plan (``<cache>/disclosure/plan.json``) and hides, as if forced, the figures it names for it
   (``planned``).
2. **Runner side.** When the document audit (``cpkit.publish.ledger``) finds a recoverable count,
   ``solve`` merges every section's records under their document keys and runs ``protect`` once over
   the union, with the percentages the report prints (the ones the audit searched,
   ``cpkit.publish.ledger.document_shares``: a count only a percentage in another section gives away is
   protected too), starting from what the sections hid and never hiding a figure a section keeps (a total
   printed across the report). When no choice of cells protects the report with every percentage
   printed, a percentage of a count hidden is hidden too, in the sections that print it (entries under
   ``SHARES``, read by ``share_hidden`` in ``figure_text.shown`` and ``Ledger.share``). The cells it adds become plan entries; only the sections they fall in are
   run again, and the audit runs again on the whole report, which is still refused when no choice of
   cells protects it. A report whose sections are safe together runs once: nothing is solved.
3. **Cached.** The plan of a published report is kept in ``_analyst/<year>/disclosure-plan.json`` (beside
   the executed notebooks, never in the report folder) and read by the next run from the start, so a
   run on the same data needs one pass.

A plan entry names a ledger by ``Ledger.digest``, a digest of what the ledger was given (its figures,
true values and relations), not by its namespace: the namespace digests the figures *as published*, so it
changes when the plan hides one more, and a plan keyed by it would never be found again. An entry is
applied only to a ledger given the very same figures, so a plan left from other data hides nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpkit.publish.audit import Share
from cpkit.publish.figure import key_text

if TYPE_CHECKING:
    from cpkit.present.disclosure import Ledger, Rule

log = logging.getLogger(__name__)

FOLDER = "disclosure"  # in the run's cache: the ledgers' records and the plan
PLAN_FILE = "plan.json"
KEPT_PLAN = "disclosure-plan.json"  # in _analyst/<year>/: the plan of the last published report

Entry = tuple[str, str, str]  # (section, ledger digest, figure's key as text)
# the "ledger" of a plan entry that hides a printed percentage, keyed "<numerator>|<denominator>" (the
# document keys the percentage names in its section, ``Figure.numerator``/``denominator``)
SHARES = "%"
SHARES_SLOT = 0  # the slot of a section's record of the percentages it hid (a ledger's slot is 1 and up)


# --- the kernel's side -------------------------------------------------------------------------------


@dataclass
class _Context:
    """The section a kernel is running, where its ledgers write, and the plan they read."""

    section: str
    folder: Path
    hides: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    token: str = ""
    slots: int = 0
    shares_hidden: set[str] = field(default_factory=set)  # percentages hidden by the plan so far

    @property
    def records(self) -> Path:
        return self.folder / f"{self.section}.jsonl"


_CONTEXT: _Context | None = None


def begin(section: str, cache_dir: Path | None) -> None:
    """A section starts (``open_section``): its ledgers record into the run's cache ``cache_dir`` and read
    its plan. Outside a run (no cache: a notebook opened by hand) nothing is recorded or planned. The
    section's records from an earlier pass are removed: a section run again writes them anew."""
    global _CONTEXT
    if cache_dir is None:
        _CONTEXT = None
        return
    folder = Path(cache_dir) / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache given by hand that cannot be written: the section runs unplanned
        _CONTEXT = None
        return
    entries = read_plan(folder / PLAN_FILE)
    hides: dict[tuple[str, str], set[str]] = {}
    for sec, ledger, key in entries:
        if sec == section:
            hides.setdefault((sec, ledger), set()).add(key)
    digest = hashlib.sha1(repr(sorted(entries)).encode()).hexdigest()[:12]
    # the token is new at every start, so a kernel kept warm never reuses (or skips recording) a ledger
    # of an earlier section or pass, whatever the plan
    _CONTEXT = _Context(
        section,
        folder,
        {k: frozenset(v) for k, v in hides.items()},
        f"{section}|{folder}|{digest}|{os.getpid()}-{time.monotonic_ns()}",
    )
    _CONTEXT.records.unlink(missing_ok=True)


def end() -> None:
    """Stop recording (tests; a kernel's next ``open_section`` replaces the context anyway)."""
    global _CONTEXT
    _CONTEXT = None


def token() -> str:
    """The section run in progress ("" outside a run): its name, the plan in force, and when it started. A
    cache of ledgers (``functools.lru_cache``) takes it as an argument, so a kernel kept warm for the next
    section or pass never hands back a ledger chosen under another plan, or one it recorded before."""
    return _CONTEXT.token if _CONTEXT is not None else ""


def planned(ledger: Ledger) -> set[Hashable]:
    """The ledger's figures the document's plan hides (empty outside a run or with no plan for it)."""
    if _CONTEXT is None or not _CONTEXT.hides:
        return set()
    texts = _CONTEXT.hides.get((_CONTEXT.section, ledger.digest()))
    if not texts:
        return set()
    return {k for k in ledger.values if key_text(k) in texts}


def share_key(numerator: object, denominator: object) -> str:
    """A printed percentage's key in a plan entry: its two counts' document keys as its section names them."""
    return f"{key_text(numerator)}|{key_text(denominator)}"


def share_hidden(numerator: object, denominator: object) -> bool:
    """True when the document's plan hides the percentage ``numerator`` / ``denominator`` in the section
    running (a share of a count the plan hides elsewhere: ``solve``'s last resort). Outside a run, or with
    no plan for it, False. A hidden one is recorded (slot ``SHARES_SLOT``), so the plan kept for the next
    run keeps it (``used_entries``)."""
    ctx = _CONTEXT
    if ctx is None or numerator is None or denominator is None:
        return False
    key = share_key(numerator, denominator)
    if key not in ctx.hides.get((ctx.section, SHARES), frozenset()):
        return False
    if key not in ctx.shares_hidden:
        ctx.shares_hidden.add(key)
        line = {
            "slot": SHARES_SLOT,
            "ledger": SHARES,
            "keys": {},
            "values": {},
            "status": {},
            "equations": [],
        }
        line |= {"signed": [], "implicit": [], "kept": [], "forced": [], "planned": sorted(ctx.shares_hidden)}
        with open(ctx.records, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
    return True


def record(ledger: Ledger) -> None:
    """Write the ledger's inputs and choice to the section's records (nothing outside a run). Called when
    the ledger first prints a figure with a status, and again if its figures change; the runner reads the
    last record of each ledger (``slot``)."""
    ctx = _CONTEXT
    if ctx is None:
        return
    slot = getattr(ledger, "_slot", None)
    if slot is None or getattr(ledger, "_slot_token", None) != ctx.token:
        ctx.slots += 1
        slot = ledger._slot = ctx.slots  # type: ignore[attr-defined]
        ledger._slot_token = ctx.token  # type: ignore[attr-defined]
    doc = ledger.doc_keys()

    def keys(items: Iterable[Hashable]) -> list[str]:
        return sorted({doc[k] for k in items if k in doc})

    line = {
        "slot": slot,
        "ledger": ledger.digest(),
        "keys": {str(key_text(k)): d for k, d in doc.items()},
        "values": {doc[k]: float(v) for k, v in ledger.values.items()},
        "status": {doc[k]: str(ledger.status.get(k, "")) for k in ledger.values},
        "equations": [
            {doc[k]: int(c) for k, c in eq.items() if k in doc and int(c)} for eq in ledger.equations
        ],
        "signed": keys(ledger.signed),
        "implicit": keys(ledger.implicit),
        "kept": keys(ledger.kept),
        "forced": keys(ledger.forced),
        "planned": sorted(str(key_text(k)) for k in getattr(ledger, "planned", ())),
    }
    with open(ctx.records, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


# --- the plan file ------------------------------------------------------------------------------------


def read_plan(path: Path) -> list[Entry]:
    """The entries of a plan file (none when it is missing or unreadable: a plan only ever adds hides)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [(str(s), str(ledger), str(k)) for s, ledger, k in data.get("hide", [])]
    except (OSError, ValueError, TypeError, AttributeError):
        return []


def write_plan(path: Path, entries: Iterable[Entry]) -> None:
    """Write a plan file (atomically: a kernel never reads half of one)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    body = {"hide": [list(e) for e in sorted(set(entries))]}
    partial.write_text(json.dumps(body, indent=1), encoding="utf-8")
    os.replace(partial, path)


def plan_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / FOLDER / PLAN_FILE


# --- the runner's side -----------------------------------------------------------------------------------


def read_records(cache_dir: Path, sections: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Each section's ledgers as last recorded (one per ledger: the last line of each slot; the same ledger
    built again in another view, the same digest and keys, once)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for section in sections:
        path = Path(cache_dir) / FOLDER / f"{section}.jsonl"
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        last: dict[int, dict[str, Any]] = {}
        for line in lines:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            last[int(rec["slot"])] = rec
        seen: set[tuple[str, tuple[str, ...]]] = set()
        kept = []
        for rec in last.values():
            ident = (rec["ledger"], tuple(sorted(rec["values"])))
            if ident not in seen:
                seen.add(ident)
                kept.append(rec)
        out[section] = kept
    return out


def used_entries(records: Mapping[str, list[dict[str, Any]]]) -> set[Entry]:
    """The plan entries the recorded ledgers applied (a plan is kept with only these)."""
    return {(s, r["ledger"], k) for s, recs in records.items() for r in recs for k in r.get("planned", [])}


@dataclass
class Solution:
    """What ``solve`` chose: ``entries`` the cells to hide that a section did not (by section, ledger,
    key), ``protected`` whether the union is then safe by ``disclosed``; ``conflict`` a figure one
    section keeps (prints whatever happens) that the union would need hidden."""

    entries: set[Entry]
    protected: bool
    conflict: str = ""

    @property
    def sections(self) -> list[str]:
        return sorted({s for s, _, _ in self.entries})


def solve(
    records: Mapping[str, list[dict[str, Any]]],
    rule: Rule,
    shares: Sequence[Share] = (),
    printers: Mapping[Share, Iterable[tuple[str, str]]] | None = None,
) -> Solution:
    """``protect`` once over every section's ledgers, merged under their document keys (a key from
    ``shared_key`` is the same figure in every section; any other is its section's, as in the document
    audit), starting from every cell some section hid and never choosing one a section keeps. Returns the
    cells it adds, each in every ledger that prints it.

    ``shares``: the percentages the report prints, over document keys, as the document audit reads them
    (``cpkit.publish.ledger.document_shares``): the cells are chosen with them in view, so a count that
    only a printed percentage gives away (the scorecard's "20%" of 150 children is 30, the foster count
    a placement table hid) is protected by hiding another cell rather than refused. One that names a
    count no ledger recorded, or that the recorded values do not print as, is left out here (the audit
    after still reads it).

    When no choice of cells protects the report with every percentage printed (the cells that would
    are kept: printed across the report), the plan falls back on the usual answer of statistical
    disclosure control, a percentage of a hidden count is hidden too: the cells are chosen from the
    counts alone, and every printed percentage of a count hidden then is hidden where it is printed
    (``printers``: each percentage's sections and its key there, ``cpkit.publish.ledger.share_printers``;
    entries ``(section, SHARES, "<numerator>|<denominator>")``, read by ``share_hidden``). Hiding cells
    is tried first, so a headline percentage is hidden only when nothing else protects the report."""
    from cpkit.present.disclosure import IMPLICIT, PRIMARY, SECONDARY, disclosed, protect
    from cpkit.publish.ledger import document_key

    values: dict[str, float] = {}
    equations: list[dict[str, int]] = []
    seen_eq: set[frozenset[tuple[str, int]]] = set()
    signed: set[str] = set()
    implicit: set[str] = set()
    kept: set[str] = set()
    hide: set[str] = set()  # forced in a section (another table hides it): must stay unworkable
    hidden: set[str] = set()  # hidden by a section to protect another figure
    owners: dict[str, list[tuple[str, str, str, str, bool]]] = {}
    for section, recs in records.items():
        for rec in recs:
            doc = {d: document_key(section, d) for d in rec["values"]}
            by_doc = {d: k for k, d in rec["keys"].items()}
            for d, v in rec["values"].items():
                values.setdefault(doc[d], float(v))
                st = rec["status"].get(d, "")
                owners.setdefault(doc[d], []).append(
                    (section, rec["ledger"], by_doc.get(d, d), st, d in rec["kept"])
                )
                if d in rec["forced"]:
                    hide.add(doc[d])
                elif st == SECONDARY:
                    hidden.add(doc[d])
            for eq in rec["equations"]:
                named = {doc[d]: int(c) for d, c in eq.items() if d in doc}
                frozen = frozenset(named.items())
                if named and frozen not in seen_eq:
                    seen_eq.add(frozen)
                    equations.append(named)
            signed |= {doc[d] for d in rec["signed"] if d in doc}
            implicit |= {doc[d] for d in rec["implicit"] if d in doc}
            kept |= {doc[d] for d in rec["kept"] if d in doc}
    printed = [sh for sh in shares if sh.holds(values)]
    if len(printed) < len(shares):
        log.info(
            "document plan: %d printed percentages name counts no ledger recorded", len(shares) - len(printed)
        )

    def choose(with_shares: list[Share]) -> tuple[dict, set[Entry], str]:
        status = protect(
            values,
            equations,
            rule,
            signed=signed,
            hide=hide,
            implicit=implicit,
            keep=kept,
            hidden=hidden,
            shares=with_shares,
        )
        entries: set[Entry] = set()
        conflict = ""
        for key, st in status.items():
            if st in ("", PRIMARY, IMPLICIT):
                continue
            for section, ledger, local, was, keeps in owners.get(key, []):
                if was:
                    continue
                if keeps:
                    conflict = conflict or key
                    continue
                entries.add((section, ledger, local))
        return status, entries, conflict

    status, entries, conflict = choose(printed)
    left = disclosed(values, equations, status, rule, signed=signed, protect=hide, shares=printed)
    if (left or conflict) and printers and printed:
        alone, cells, clash = choose([])  # the counts alone; a percentage of a count hidden is hidden
        dropped = [sh for sh in printed if alone.get(sh.numerator) or alone.get(sh.denominator)]
        rest = [sh for sh in printed if sh not in dropped]
        if dropped and not clash:
            if not disclosed(values, equations, alone, rule, signed=signed, protect=hide, shares=rest):
                where = {(section, SHARES, key) for sh in dropped for section, key in printers.get(sh, ())}
                return Solution(cells | where, True)
    return Solution(entries, not left and not conflict, conflict)
