"""The measure registry: one typed, frozen ``Measure`` per headline measure, loaded from ``measures.yaml``.

Every part of the kit that names a measure (the care indicators, the DfE published figures, the scorecard,
the figures table) takes its id, label, unit, decimals and polarity from here, so the council's own figure
and the published one line up by id and are shown the same way. The file is checked when it is loaded: a
missing field, an unknown unit, polarity, theme or table, or an id given twice stops with a message naming
the measure and the field, rather than a scorecard silently losing a line.

Adding a measure is one YAML entry here and one function in ``cpkit.care`` that returns its ``Headline``
(registered with ``@step("id")`` in ``cpkit.care.indicators``); nothing finds a measure by searching its
definition text.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cpkit.errors import RegistryError

THEMES: tuple[str, ...] = ("children_in_care", "placements", "health", "care_leavers", "adoption")
UNITS: tuple[str, ...] = ("number", "percent", "rate_per_10k", "days", "score", "miles")
POLARITIES: tuple[str, ...] = ("high", "low", "neutral")
# The SSDA903 tables a measure may need (``cpkit.ssda903.tables.TABLE_COLUMNS`` keys).
TABLES: tuple[str, ...] = (
    "header",
    "episodes",
    "uasc",
    "oc2",
    "oc3",
    "ad1",
    "placed_adoption",
    "missing",
    "reviews",
    "prev_perm",
    "sw_episodes",
)


@dataclass(frozen=True)
class Measure:
    """One headline measure, as the DfE defines it.

    ``definition`` says who is counted (numerator over denominator) in a sentence a performance lead can
    check; ``source`` names the DfE publication or guidance it follows; ``lait`` is the LAIT measure code
    (blank when LAIT has none); ``tables`` the SSDA903 tables the council's own figure needs.
    """

    id: str
    label: str
    short_label: str
    theme: str
    definition: str
    source: str
    lait: str
    unit: str
    decimals: int
    polarity: str
    tables: tuple[str, ...]


_FIELDS = tuple(f.name for f in fields(Measure))


def _fail(path: str, where: str, message: str) -> RegistryError:
    return RegistryError(f"{path}: {where}: {message}")


def _measure(raw: Any, index: int, path: str) -> Measure:
    where = f"entry {index + 1}"
    if not isinstance(raw, dict):
        raise _fail(path, where, "each measure must be a mapping of fields")
    if isinstance(raw.get("id"), str):
        where = f"measure {raw['id']!r}"
    missing = [f for f in _FIELDS if f not in raw]
    if missing:
        raise _fail(path, where, f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise _fail(path, where, f"unknown field(s): {', '.join(unknown)}")
    text = {}
    for name in ("id", "label", "short_label", "theme", "definition", "source", "unit", "polarity"):
        value = raw[name]
        if not isinstance(value, str) or not value.strip():
            raise _fail(path, where, f"{name} must be non-empty text")
        text[name] = value.strip()
    lait = raw["lait"]
    if lait is None:
        lait = ""
    if not isinstance(lait, (str, int)) or isinstance(lait, bool):
        raise _fail(path, where, "lait must be text (a LAIT code such as '372') or blank")
    checks = (("theme", THEMES), ("unit", UNITS), ("polarity", POLARITIES))
    for name, allowed in checks:
        if text[name] not in allowed:
            raise _fail(path, where, f"unknown {name} {text[name]!r}; one of {', '.join(allowed)}")
    decimals = raw["decimals"]
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3:
        raise _fail(path, where, f"decimals must be a whole number 0-3, not {decimals!r}")
    tables = raw["tables"]
    if not isinstance(tables, list) or not tables or not all(isinstance(t, str) for t in tables):
        raise _fail(path, where, "tables must be a non-empty list of SSDA903 table names")
    bad = [t for t in tables if t not in TABLES]
    if bad:
        raise _fail(path, where, f"unknown table(s) {', '.join(bad)}; known: {', '.join(TABLES)}")
    return Measure(
        id=text["id"],
        label=text["label"],
        short_label=text["short_label"],
        theme=text["theme"],
        definition=" ".join(text["definition"].split()),
        source=" ".join(text["source"].split()),
        lait=str(lait).strip(),
        unit=text["unit"],
        decimals=decimals,
        polarity=text["polarity"],
        tables=tuple(tables),
    )


def parse_registry(text: str, path: str = "measures.yaml") -> tuple[Measure, ...]:
    """Measures from the registry's YAML text, checked (``RegistryError`` on the first problem)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("measures"), list):
        raise RegistryError(f"{path}: expected a top-level 'measures:' list")
    out: list[Measure] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["measures"]):
        m = _measure(entry, i, path)
        if m.id in seen:
            raise _fail(path, f"measure {m.id!r}", "id given more than once")
        seen.add(m.id)
        out.append(m)
    return tuple(out)


def load_registry(path: str | Path) -> tuple[Measure, ...]:
    """Measures from a registry file (a council's or a test's own copy)."""
    p = Path(path)
    return parse_registry(p.read_text(encoding="utf-8"), str(p))


@lru_cache(maxsize=1)
def registry() -> tuple[Measure, ...]:
    """The kit's measures (``cpkit/measures.yaml``), in report order: themes, then the file's order."""
    text = resources.files("cpkit").joinpath("measures.yaml").read_text(encoding="utf-8")
    found = parse_registry(text, "cpkit/measures.yaml")
    return tuple(sorted(found, key=lambda m: THEMES.index(m.theme)))


def measure(measure_id: str) -> Measure:
    """One measure by id (``KeyError`` naming the id if the registry has no such measure)."""
    for m in registry():
        if m.id == measure_id:
            return m
    raise KeyError(f"no measure {measure_id!r} in cpkit/measures.yaml")


def by_theme(theme: str) -> tuple[Measure, ...]:
    """The measures under one theme, in registry order."""
    if theme not in THEMES:
        raise KeyError(f"unknown theme {theme!r}; one of {', '.join(THEMES)}")
    return tuple(m for m in registry() if m.theme == theme)


__all__ = [
    "POLARITIES",
    "TABLES",
    "THEMES",
    "UNITS",
    "Measure",
    "RegistryError",
    "by_theme",
    "load_registry",
    "measure",
    "parse_registry",
    "registry",
]
