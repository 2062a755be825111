"""The report's sections, found from the notebooks themselves.

Every ``notebooks/NN_name.ipynb`` is a section, in the order of its number; its notebook metadata
``cpkit.title`` and ``cpkit.summary`` give the heading and the line the contents page says about it, and
``cpkit.first: true`` puts it first in the report (the executive summary). ``cpkit.annex: true``
puts the whole section in the technical annex rather than the Board's report (the five-year trends, the
data quality checks: an analyst's material, ``cpkit.report.document``); a single cell of any section goes
there by the cell tag ``annex``. Adding a section is adding a notebook; the runner knows notebooks by name
and parameters only.

**No section reads another.** Each reads the run's prepared inputs (the cleaned returns, the figures table,
the settings, the KPI file and tracker), so all of them run at once as soon as the prepare step has built
the figures table: the executive summary too, which is written from the figures table and the tracker (the
same headline rows as the scorecard), not from the other sections' pages. It was once held back until every
other section had finished, on a dependency that did not exist; its place first in the report is a reading
order only (``first``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cpkit.errors import InputError
from cpkit.resources import NOTEBOOKS_DIR  # the checkout's notebooks/, or the installed kit's copy

# The quarterly Performance on a Page: one notebook of its own, outside the annual report's sections.
POAP_NOTEBOOK = NOTEBOOKS_DIR / "poap" / "performance_on_a_page.ipynb"
_NAME = re.compile(r"^\d{2}_[a-z0-9_]+$")


@dataclass(frozen=True)
class Section:
    """One section: its notebook, its title and the line the contents page says about it."""

    name: str
    title: str
    summary: str
    first: bool = False  # readers meet it first (the executive summary); it runs with the others
    path: Path | None = None  # the notebook, when not notebooks/<name>.ipynb (tests use their own)
    annex: bool = False  # the whole section is in the technical annex, not the Board's report

    @property
    def notebook(self) -> Path:
        return self.path or NOTEBOOKS_DIR / f"{self.name}.ipynb"


def section_from_notebook(path: Path) -> Section:
    """Read a section's title and summary from its notebook's metadata (an error if they are missing)."""
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("cpkit", {})
    missing = [k for k in ("title", "summary") if not meta.get(k)]
    if missing:
        raise InputError(f"{path}: notebook metadata cpkit.{' and cpkit.'.join(missing)} must be set")
    if "last" in meta:
        raise InputError(
            f"{path}: notebook metadata cpkit.last is no longer read: sections all run at once, as none reads "
            "another's output; to put the section first in the report set cpkit.first: true"
        )
    return Section(
        path.stem,
        meta["title"],
        meta["summary"],
        bool(meta.get("first", False)),
        path,
        annex=bool(meta.get("annex", False)),
    )


@lru_cache(maxsize=1)
def discover(folder: Path = NOTEBOOKS_DIR) -> tuple[Section, ...]:
    """Every section notebook in ``folder`` (named ``NN_name.ipynb``), in report order."""
    return tuple(section_from_notebook(p) for p in sorted(folder.glob("*.ipynb")) if _NAME.match(p.stem))


def select(names: list[str] | None, registry: tuple[Section, ...] | None = None) -> list[Section]:
    """The sections asked for (all by default), in report order; an unknown name is an error."""
    registry = registry or discover()
    if not names:
        return list(registry)
    by_name = {s.name: s for s in registry}
    short = {s.name.split("_", 1)[-1]: s for s in registry}
    chosen = []
    for name in names:
        section = by_name.get(name) or short.get(name)
        if section is None:
            known = ", ".join(s.name for s in registry)
            raise InputError(f"unknown section {name!r}; sections are: {known}")
        chosen.append(section)
    return [s for s in registry if s in chosen]


def reading_order(sections: list[Section]) -> list[Section]:
    """The order readers meet the sections: those marked ``first`` (the executive summary) come first, as
    in a council's annual report, then the rest in number order."""
    return [s for s in sections if s.first] + [s for s in sections if not s.first]


def poap_section() -> Section:
    """The quarterly Performance on a Page, run through the same runner as the annual report."""
    return section_from_notebook(POAP_NOTEBOOK)
