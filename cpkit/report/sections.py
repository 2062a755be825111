"""The report's sections, in order. The runner knows notebooks by name and parameters only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"


@dataclass(frozen=True)
class Section:
    """One section: its notebook, its title and the line the contents page says about it."""

    name: str
    title: str
    summary: str
    last: bool = False  # runs after every other section (the executive summary reads theirs)
    path: Path | None = None  # the notebook, when not notebooks/<name>.ipynb (tests use their own)

    @property
    def notebook(self) -> Path:
        return self.path or NOTEBOOKS_DIR / f"{self.name}.ipynb"


SECTIONS: tuple[Section, ...] = (
    Section(
        "01_children_in_care",
        "Children in care",
        "How many children are in care, month by month, and how many came into and left care.",
    ),
)


def select(names: list[str] | None, registry: tuple[Section, ...] | None = None) -> list[Section]:
    """The sections asked for (all by default), in report order; an unknown name is an error."""
    registry = registry or SECTIONS
    if not names:
        return list(registry)
    by_name = {s.name: s for s in registry}
    short = {s.name.split("_", 1)[-1]: s for s in registry}
    chosen = []
    for name in names:
        section = by_name.get(name) or short.get(name)
        if section is None:
            known = ", ".join(s.name for s in registry)
            raise ValueError(f"unknown section {name!r}; sections are: {known}")
        chosen.append(section)
    return [s for s in registry if s in chosen]
