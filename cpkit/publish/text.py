"""Sentences as published: the words a reader sees, and the figures they print, for the document's audit.

A table's figures travel in its block; a generated sentence ("The number of children who ceased to be
looked after: fewer than 5 in 2024-25") prints figures too, and a reader holds them beside the tables. So a
sentence is a ``Sentence``: a ``str`` (every f-string, ``" ".join`` and Markdown cell keeps working) that
carries the ``Figure``s it prints, each with its document key where a ledger holds it (the same key as the
table cell that prints the same count, ``cpkit.present.disclosure.Ledger.key_of``, or a shared key such as
``cla_ceased@2024-25``); a percentage it prints names the two counts it divides (``Figure.numerator`` and
``denominator``), so its block records it as a share, as a table's.

**How the figures reach the output.** The notebooks join sentences as plain strings
(``show_markdown(" ".join(section.exits_sentences(...)))``), which drops a ``str`` subclass. So every
sentence the kit fills (``cpkit.present.narrative.Narrative.say``) is also *registered* in the kernel
(``register``), and ``cpkit.present.markdown.show_markdown`` gathers the registered sentences whose text
appears in what it shows (``gather``: a sentence folded into a longer one counts once) and records their
figures in a ``kind="text"`` block (``text_block``) beside the Markdown, under the same MIME type as the
tables (``cpkit.publish.block.MIME``). ``cpkit.publish.read.blocks_of`` reads it back like any block, and
the document audit (``cpkit.publish.ledger``) then checks a sentence's figures with every table's: a count
a table hides but a sentence prints, or a small count printed as a number, fails the report like a table
would, and "fewer than 5 ceased" in the year is searched with the months it adds up to.

Matching by text is exact and needs nothing of the notebook: a sentence changed after it was filled
(upper-cased, cut) is not the text shown, and its figures are not recorded, so a section builds its
sentences with ``Narrative.say`` (or ``sentence`` and ``register``) and shows them as they are. The text
block is for the audit and for readers of blocks: the pages, the PDF and the Word file print the Markdown
(once), and the workbook, a book of tables, leaves text blocks out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cpkit.publish.block import Block
from cpkit.publish.figure import Figure


class Sentence(str):
    """Words that print figures: ``str(sentence)`` is the text; ``figures`` the Figures it prints (keyed
    where a ledger holds them; a percentage naming the counts it divides, ``Figure.with_counts``),
    ``relations`` and ``signed`` those of the ledgers its keyed figures come from (a reader who holds the
    figures holds how they add up, even where no table prints the others: a withheld breakdown, the
    period's flows). String operations give plain ``str`` (like a ``Figure``'s)."""

    figures: tuple[Figure, ...]
    relations: tuple[dict[str, int], ...]
    signed: tuple[str, ...]

    def __new__(
        cls,
        text: str,
        figures: Iterable[Figure] = (),
        relations: Iterable[dict[str, int]] = (),
        signed: Iterable[str] = (),
    ) -> Sentence:
        self = super().__new__(cls, text)
        self.figures = tuple(figures)
        self.relations = tuple(dict(r) for r in relations)
        self.signed = tuple(signed)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Sentence, (str(self), self.figures, self.relations, self.signed))

    def __repr__(self) -> str:
        return f"Sentence({str(self)!r}, figures={len(self.figures)})"


def _unique(items: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def sentence(text: str, *values: object) -> Sentence:
    """``text`` as a Sentence carrying the figures of ``values`` (a Figure; a Sentence's figures,
    relations and signed keys: a phrase such as "38 of 90 (42%)" inside a longer sentence); anything
    else is words and adds nothing."""
    figures: list[Figure] = []
    phrases = [v for v in values if isinstance(v, Sentence)]
    for value in values:
        if isinstance(value, Sentence):
            figures += value.figures
        elif isinstance(value, Figure):
            figures.append(value)
    return Sentence(
        text,
        figures,
        _unique(r for p in phrases for r in p.relations),
        _unique(k for p in phrases for k in p.signed),
    )


def with_relations(
    phrase: str, relations: Iterable[dict[str, int]] = (), signed: Iterable[str] = ()
) -> Sentence:
    """``phrase`` (a Sentence, a Figure or words) with the relations (and signed keys) of the ledger its
    figures come from added, so a sentence that prints them carries them to the audit."""
    base = phrase if isinstance(phrase, Sentence) else sentence(str(phrase), phrase)
    return Sentence(
        str(base),
        base.figures,
        _unique([*base.relations, *relations]),
        _unique([*base.signed, *signed]),
    )


def keyed_share(pct: str, numerator: str | None, denominator: str | None) -> str:
    """A percentage printed in a sentence without its counts ("moving from 42% to 47%") naming the two
    counts it divides (document keys, ``Figure.with_counts``), so the sentence's block records it as a
    share and the report's audit searches it with them; anything but a Figure is words, as it is."""
    return pct.with_counts(numerator, denominator) if isinstance(pct, Figure) else pct


# --- The kernel's register of sentences filled and not yet shown ---------------------------------------

# A sentence this short could be found inside any text ("12"): such a one is not registered
MIN_REGISTERED = 12
# Sentences filled but never shown (a test's, a note's) are let go after this many
KEEP = 400

_outside: list[Sentence] = []  # the register outside IPython (a test, a script)


def section_state(name: str, default: Any) -> Any:
    """What the running section keeps under ``name`` (set to ``default`` the first time), or None outside
    IPython. It lives in the kernel's user namespace, which the runner clears between the sections a kept
    kernel runs (``%reset``, ``cpkit.report.execute``), so nothing carries over to the next section and
    the kit keeps no per-run state in a module: the sentences waiting for their Markdown output (here),
    the block ids met so far (``cpkit.present.tables``)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython comes with the kit
        shell = None
    if shell is None:
        return None
    return shell.user_ns.setdefault(name, default)


def _pending() -> list[Sentence]:
    """The register: the running section's (``section_state``); outside IPython, a module list."""
    pending = section_state("_cpkit_sentences", [])
    return _outside if pending is None else pending


def register(text: Sentence) -> Sentence:
    """Keep ``text`` until a Markdown output that shows it (``gather``); a sentence with no figures, or
    too short to be found with certainty, is not kept. Returns ``text``."""
    if isinstance(text, Sentence) and text.figures and len(text.strip()) >= MIN_REGISTERED:
        pending = _pending()
        pending.append(text)
        del pending[:-KEEP]
    return text


def gather(shown: str) -> list[Sentence]:
    """The registered sentences whose text ``shown`` holds, in the order they appear in it, each once; a
    sentence that is part of another gathered one (a phrase filled into a longer sentence) is left to the
    longer one, which carries its figures. ``shown`` itself counts when it is a Sentence. Gathered
    sentences leave the register (shown once, recorded once)."""
    text = str(shown)
    pending = _pending()
    found = [s for s in pending if str(s) in text]
    if isinstance(shown, Sentence) and shown.figures:
        found.append(shown)
    chosen: list[Sentence] = []
    for s in sorted(found, key=lambda s: -len(s)):
        if not any(str(s) in str(c) for c in chosen):
            chosen.append(s)
    ids = {id(s) for s in found}
    pending[:] = [s for s in pending if id(s) not in ids]
    return sorted(chosen, key=lambda s: text.find(str(s)))


def forget() -> None:
    """Empty the register (tests start clean)."""
    _pending().clear()


def text_block(sentences: list[Sentence], block_id: str | None = None) -> Block | None:
    """The sentences' figures as a ``kind="text"`` block: one row per sentence, its words then the figures
    it prints (rows padded with "" to one width); the relations and signed keys of the ledgers their
    figures come from, as a table's; the block gathers the shares of its percentages itself. None when they print no figure."""
    from cpkit.publish.block import slug

    rows = [[str(s), *s.figures] for s in sentences if s.figures]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    caption = "Text: " + rows[0][0]
    return Block(
        id=block_id or slug(caption),
        kind="text",
        caption=caption,
        columns=["Sentence"] + [f"Figure {i}" for i in range(1, width)],
        rows=rows,  # type: ignore[arg-type]
        relations=_unique(r for s in sentences for r in s.relations),
        signed=_unique(k for s in sentences for k in s.signed),
    )
