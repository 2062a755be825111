"""The document's disclosure ledger: every block of a report read back as a reader has it, and audited once.

Each section protects its figures with its own ledgers (``cpkit.present.disclosure.Ledger``) and shows
them in blocks whose figures carry document keys and whose ``relations`` are the ledgers' equations. A
reader of the whole report holds all of them at once, so the report is audited as one: ``audit_blocks``
gathers every block of every section, takes the same key to be the same figure wherever it is printed
(a key from ``shared_key``, such as ``"cla@2025-03-31"``, is the same figure in every section; any other
key is its section's, and gets the section's name in front), and asks the exact audit
(``cpkit.publish.audit``) whether any small count can be worked out from everything published.

It sees only what a reader sees: a hidden figure's value never leaves its kernel (``Figure.to_json``), so
the audit searches from the published figures alone. Besides what the exact audit finds, a figure
printed in one block and hidden in another is a leak in itself (the document did not choose one status
for it), and so is a count from 1 to ``threshold - 1`` printed as a number.

A printed percentage names the counts it divides (``Figure.numerator``/``denominator``, document keys),
and its block gathers it into ``shares`` when it is made, so it is searched with them ("80%" of a
printed 5 is 4): ``Ledger.share``'s; every breakdown's % column (its count and the Total), the in-house,
activity, SDQ band and ethnic-minority shares (over their ledgers' keys); the figures table's rows
wherever a section prints them (``cpkit.present.figure_text.shown``, the scorecard and trends tables and
their charts' data) and the measure tables of the placements, health and care leavers sections (their
"Number" and "Out of" carry the same keys), all with the keys of ``cpkit.figures.keys``, where the
registry says which printed count is a measure's base (the children in care at 31 March for the
placement shares) and the placement and exits tables' counts carry their measures' numerator keys.
``DocumentAudit.shares`` says how many were searched.

The committee cover report's key issues are a text block too (``cover_report/key-issues``, audited by the
runner with the sections' blocks, ``cpkit.report.cover_report.key_issues_block``).

Not yet gathered: a local KPI's figures (the education tables, the scorecard's local measures: their
counts come from the council's KPI file and are printed nowhere). Alt text is not searched on its own:
each chart's alt text prints only figures its data block (or the table beside it) prints, with the same
status (the monthly stock, placement, ethnicity, health, care leavers' and trends charts), and the
forecast chart's today's counts are the placement-type table's keyed figures. The
ethnic-minority share's base (children whose ethnicity is known) is printed nowhere, so that share binds
nothing. England's and the neighbours' figures are not
the council's counts, and rates per 10,000 and averages are not shares: their bases are not counts a
reader sees.

Which test it applies is the council's ``disclosure_test`` (``cpkit.present.disclosure.Rule.test``), the
same one every ledger protected its figures with: ``"interval"`` (the default) fails a small count a reader
can narrow to fewer values than its symbol allows, ``"exact"`` only one a reader can work out exactly.

Sentences are blocks too: the figures a generated sentence prints travel in a ``kind="text"`` block beside
its Markdown (``cpkit.publish.text``), keyed like the table cells of the same counts (a breakdown's part
"38 of 90" under its table's keys, the headline stock and flows under ``cla@<day>`` and the movement
ledger's keys, the entries' and exits' totals under ``cla_started@<year>`` and ``cla_ceased@<year>``),
with the percentages they print naming their two counts and the relations of the ledgers they come from
(how the parts of a withheld breakdown, or the months of "fewer than 5 ended", add up). So a sentence
that prints a count a table hides is "shown in one place and hidden in another", one that prints a small
count as a number is found like a cell, and "fewer than 5" ended in the year is searched with the months
that add up to it. A sentence's count no ledger holds is unkeyed: it can only leak by being printed when
small. What words say beyond a figure's status is not searched ("the largest group", "some of"), so the
sentences do not say it of a hidden count (``cpkit.sections.common.largest_part``, ``Rule.n_of_m``).

The stability, health checks' and care leavers' sentences print their counts under the keys the measure
tables print them under (``cpkit.sections.common.measure_keys``), this year's location sentences and the
forecast's "against 476 now" under their tables'. Not yet keyed: last year's location counts and the
ethnicity, education, data-quality and summary sentences' counts (a table that prints the same figure
does it under another key or none); the in-house sentences' keys are their own ledger's, not the
placement-type table's (each ledger keeps its statuses in line with the other's by hand). The SDQ counts
are one key each wherever the health section prints them (the band table, the SDQ and checks tables'
"Number" and "Out of", the sentences: ``cpkit.sections.health.sdq_keys``, the registry's keys). Not
registered at all (their figures are in no block): sentences written without ``Narrative.say`` or
``cpkit.publish.text.register``, such as the trends', the forecast's scenarios and method, the action
plan's and the scorecard's introduction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cpkit.publish.audit import INTERVAL, SHOWN_AND_HIDDEN, Audit, Finding, Share, audit
from cpkit.publish.block import Block
from cpkit.publish.figure import Status

_AUDIT_STATUS = {Status.SHOWN: "", Status.SMALL: "primary", Status.SECONDARY: "secondary"}


def document_key(section: str, key: str) -> str:
    """A figure's key across the report: a shared key (``shared_key``: it holds "@") as it is, any other
    prefixed with its section ("placements/ledger-1a2b3c4d:foster")."""
    return key if "@" in key else f"{section}/{key}"


@dataclass
class DocumentAudit:
    """The audit of a whole report: ``result`` the exact audit's, ``where`` the blocks each figure is
    printed in, ``contradictions`` groups of published figures no whole numbers fit (a relation a block
    records does not hold among the figures it prints: a wrong number, or a wrong relation)."""

    result: Audit
    where: dict[str, list[str]] = field(default_factory=dict)
    contradictions: list[str] = field(default_factory=list)
    shares: int = 0  # the printed percentages searched with the counts they divide (each once)
    test: str = INTERVAL  # the disclosure test applied (``Rule.test``)

    @property
    def ok(self) -> bool:
        return self.result.ok and not self.contradictions

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings

    def summary(self) -> str:
        """The line for the technical annex: "disclosure audit: 41 counts hidden, none recoverable"."""
        return self.result.summary()

    def sentence(self) -> str:
        """The audit for a reader of the technical annex ("About the figures"), saying which test was
        applied."""
        n = self.result.hidden
        counts = f"{n:,} hidden count{'s' if n != 1 else ''}"
        if self.test == INTERVAL:
            found = (
                "none can be worked out from the others, nor narrowed to fewer values than its symbol allows"
            )
        else:
            found = "none can be worked out exactly from the others"
        return (
            "Before publication every table and chart of the report and its annex was checked together "
            f"by an exact search of the figures they publish: of the {counts}, {found}."
        )

    def problems(self) -> list[str]:
        """Each leak (and contradiction) in words, naming the figure and its blocks, never its value."""
        out = [f.describe() for f in self.findings]
        return out + [f"the published figures contradict each other: {c}" for c in self.contradictions]


def audit_blocks(blocks: Iterable[Block], threshold: int, *, test: str = INTERVAL) -> DocumentAudit:
    """Audit every block of a report together (see the module docstring) by the disclosure ``test``
    (``Rule.test``: ``"interval"`` or ``"exact"``)."""
    values: dict[str, float | None] = {}
    status: dict[str, str] = {}
    where: dict[str, list[str]] = {}
    seen: dict[str, set[str]] = {}
    equations: list[dict[str, int]] = []
    signed: set[str] = set()
    relation_seen: set[frozenset[tuple[str, int]]] = set()
    unkeyed = 0
    twice: list[str] = []
    blocks = list(blocks)
    for block in blocks:
        section = block.section
        for fig in block.figures():
            if fig.status not in _AUDIT_STATUS or fig.unit != "count":
                continue
            if fig.status == Status.SHOWN and not isinstance(fig.value, int | float):
                continue  # a shown count with no value to read is no figure for the search
            if fig.key is None:  # a count no ledger holds: it can only leak by being printed when small
                unkeyed += 1
                key = f"{block.id}#{unkeyed}"
            else:
                key = document_key(section, fig.key)
            where.setdefault(key, [])
            if block.id not in where[key]:
                where[key].append(block.id)
            seen.setdefault(key, set()).add(_AUDIT_STATUS[fig.status])
            if fig.status == Status.SHOWN:
                if status.get(key) == "" and values[key] != fig.value:  # one key, two printed values
                    twice.append(f"{key} ({', '.join(where[key])})")
                values[key] = fig.value
                status[key] = ""
            elif key not in status or status[key]:
                values.setdefault(key, None)
                status[key] = _AUDIT_STATUS[fig.status]
        for relation in block.relations:
            named = {document_key(section, k): int(c) for k, c in relation.items() if int(c)}
            frozen = frozenset(named.items())
            if named and frozen not in relation_seen:
                relation_seen.add(frozen)
                equations.append(named)
        signed |= {document_key(section, k) for k in block.signed}
    shares = document_shares(blocks)
    # a figure a relation names but no block prints: the reader knows only that it is a whole number
    named = [k for eq in equations for k in eq] + [k for x in shares for k in (x.numerator, x.denominator)]
    for k in named:
        if k not in values:
            values[k] = None
            status[k] = "implicit"
    findings: list[Finding] = []
    for key, statuses in seen.items():
        if "" in statuses and len(statuses) > 1:
            findings.append(Finding(key, SHOWN_AND_HIDDEN, (), ", ".join(where[key])))
    contradictions = [f"{t}, printed with two values" for t in twice]
    try:
        result = audit(
            values, status, equations, threshold, signed=signed, shares=shares, narrowing=test == INTERVAL
        )
    except ValueError as error:  # a group of published figures no whole numbers fit
        contradictions.append(str(error))
        result = Audit(sum(1 for s in status.values() if s in ("primary", "secondary")))
    located = [
        Finding(f.key, f.kind, f.possible, ", ".join(where.get(str(f.key), [])) or f.where)
        for f in result.findings
    ]
    result.findings = findings + located
    result.hidden = sum(1 for k, st in seen.items() if st - {""})  # hidden in at least one block
    return DocumentAudit(result, where, contradictions, len(shares), test)


def document_shares(blocks: Iterable[Block]) -> list[Share]:
    """Every percentage the blocks print, over document keys (``document_key``), each once: what a reader
    knows of the counts they divide. The document audit searches with them, and the document's plan
    (``cpkit.publish.plan.solve``) chooses its cells with the same ones: one model of what is printed."""
    return list(share_printers(blocks))


def share_printers(blocks: Iterable[Block]) -> dict[Share, set[tuple[str, str]]]:
    """Every percentage the blocks print (``document_shares``, in order), with where: the sections that
    print it and its key there (``cpkit.publish.plan.share_key``), for a plan that hides it."""
    from cpkit.publish.plan import share_key

    out: dict[Share, set[tuple[str, str]]] = {}
    for block in blocks:
        for x in block.shares:
            share = Share(
                document_key(block.section, str(x["numerator"])),
                document_key(block.section, str(x["denominator"])),
                float(x["percent"]),
                int(x.get("decimals", 0)),
            )
            out.setdefault(share, set()).add((block.section, share_key(x["numerator"], x["denominator"])))
    return out


def audit_notebooks(
    notebooks: Iterable[tuple[str, Path]], threshold: int, *, test: str = INTERVAL
) -> DocumentAudit:
    """The audit of a report from its executed section notebooks (``(section name, path)``), as the runner
    reads them (``cpkit.publish.read.report_blocks``; the runner reads them once and calls ``audit_blocks``
    itself, handing the same blocks to the writers)."""
    from cpkit.publish.read import report_blocks

    return audit_blocks(report_blocks(notebooks), threshold, test=test)


def leak_message(found: DocumentAudit, limit: int = 10) -> str:
    """The one-line refusal: how many figures, the first few named with their blocks, what to do."""
    problems = found.problems()
    shown = "; ".join(problems[:limit]) + (
        f"; and {len(problems) - limit} more" if len(problems) > limit else ""
    )
    return (
        f"the report was not published: the disclosure audit of the whole report found {len(problems)} "
        f"problem(s) a reader could use to {'narrow or ' if found.test == INTERVAL else ''}work out a small "
        f"count: {shown}. Each section's ledger must give "
        "a figure printed in several blocks its shared key (cpkit.present.disclosure.shared_key) so it is "
        "protected once for the whole report"
    )
