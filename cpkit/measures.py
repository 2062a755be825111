"""The measure registry: one typed, frozen ``Measure`` per headline measure, loaded from ``measures.yaml``.

Every part of the kit that names a measure (the care indicators, the DfE published figures, the scorecard,
the figures table) takes its id, label, unit, decimals and polarity from here, so the council's own figure
and the published one line up by id and are shown the same way. The file is checked when it is loaded: a
missing field, an unknown unit, polarity, theme or table, or an id given twice stops with a message naming
the measure and the field, rather than a scorecard silently losing a line.

**Codes.** A measure that counts a group of SSDA903 codes names them in ``codes`` (column -> codes, each
checked against ``cpkit/ssda903/codes.yaml``), and its ``definition`` shows them through a placeholder
(``{PLACE}`` is written as "U1-U6"): the computation (``cpkit.care.codes.placement_groups``) and every
sentence that states the grouping (the definition, the report's notes) read the one list, so they cannot
disagree. A ``codes`` column the definition does not show, or a placeholder with no codes, is refused.

**Look-back.** A measure that reaches back before its own year declares it (``lookback``): ``months``, the
months to the period end whose events it counts (A1, A10 and A2 average the adoptions of three years: 36;
the staying put measure for 19-20 year olds needs the 18th birthdays of up to three years before: 36),
and ``history``, the dates from each counted child's past it needs (``care_start``, the start of the
period of care; ``carer_start``, the start of the carer's placement; ``placement_order``). The rule
(``cpkit.care.indicators``), so that a figure is never worked from histories the data does not hold:

- the returns must cover the whole window: the first return loaded starts on or before the day ``months``
  before the period end (1 April 2016 for A1 in 2018-19); otherwise the year is not given;
- every child the figure counts must have the ``history`` dates it needs inside the returns: a child in
  care on the first return's first day whose episode then does not start the period of care (RNE not S)
  began it earlier, on a day the data does not hold (``cpkit.care.history``), and one such child is
  enough for the year not to be given, with the reason and how many children it is;
- data with no collection years (hand-built tables) is taken to hold whole histories.

A year not given is NaN in the figures table with the reason, so trends and "rose from ... to ..."
sentences start where the data allows.

**Counts a percentage divides.** Where a percentage's numerator or denominator is a count the report
prints as a measure of its own (``denominator: cla_at_end``: the children in care at the end of the
period, printed in the children in care section, the placement tables and the scorecard; ``cla_ceased``,
``cla_started``; ``numerator: adopted``), the entry says so once, and the figures table gives the
percentage's counts that measure's document key (``cpkit.figures.keys``), so the report's disclosure audit
reads "72%" and the printed 476 as the same children. Only a count equal by definition, for every council,
is named: a base that leaves some children out (in-house placements: children not placed with parents)
is not.

Adding a measure is one YAML entry here and one function in ``cpkit.care`` that returns its ``Headline``
(registered with ``@step("id")`` in ``cpkit.care.indicators``); nothing finds a measure by searching its
definition text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cpkit.errors import RegistryError

THEMES: tuple[str, ...] = ("children_in_care", "placements", "health", "care_leavers", "adoption")
UNITS: tuple[str, ...] = ("number", "percent", "rate_per_10k", "days", "score", "miles")
POLARITIES: tuple[str, ...] = ("high", "low", "neutral")
# The dates from a child's past a look-back may need (see the module docstring).
HISTORY: tuple[str, ...] = ("care_start", "carer_start", "placement_order")
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
class LookBack:
    """What a measure needs from before its own year (see the module docstring)."""

    months: int = 0
    history: tuple[str, ...] = ()

    def window_start(self, end: date) -> date:
        """The first day of the ``months`` months ending on ``end`` (``end`` itself when 0)."""
        if not self.months:
            return end
        return (pd.Timestamp(end) - pd.DateOffset(months=self.months) + pd.Timedelta(days=1)).date()


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
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    lookback: LookBack | None = None
    # a percentage whose numerator or denominator is another measure's count for the same period (the
    # id of a count measure: cla_at_end, cla_ceased...), so the report's audit reads the two as one figure
    numerator: str = ""
    denominator: str = ""

    def codes_of(self, column: str) -> tuple[str, ...]:
        """The codes of ``column`` the measure counts (``KeyError`` naming the measure if it has none)."""
        try:
            return self.codes[column]
        except KeyError:
            raise KeyError(f"measure {self.id!r} has no {column} codes in the registry") from None


OPTIONAL_FIELDS = ("codes", "lookback", "numerator", "denominator")
_FIELDS = tuple(f.name for f in fields(Measure))
_PLACEHOLDER = re.compile(r"\{([A-Z_]+)\}")


def code_span(codes: tuple[str, ...] | list[str]) -> str:
    """Codes as a sentence shows them, in the given order, three or more in a numbered run joined:
    ("U1", "U2", "U3", "U4", "U5", "U6") -> "U1-U6"; ("K3", "H5", "P2", "P3") -> "K3, H5, P2, P3"."""
    parts: list[str] = []
    run: list[tuple[str, int, str]] = []

    def flush() -> None:
        if len(run) >= 3:
            parts.append(f"{run[0][2]}-{run[-1][2]}")
        else:
            parts.extend(c for _, _, c in run)
        run.clear()

    for code in codes:
        m = re.fullmatch(r"([A-Z]+)(\d+)", code)
        if m and run and run[-1][0] == m.group(1) and run[-1][1] + 1 == int(m.group(2)):
            run.append((m.group(1), int(m.group(2)), code))
            continue
        flush()
        if m:
            run.append((m.group(1), int(m.group(2)), code))
        else:
            parts.append(code)
    flush()
    return ", ".join(parts)


def _codes(raw: Any, path: str, where: str) -> dict[str, tuple[str, ...]]:
    """``codes`` checked against the SSDA903 code lists (``cpkit/ssda903/codes.yaml``)."""
    if raw is None:
        return {}
    from cpkit.ssda903.codes import known_codes, list_for_column

    if not isinstance(raw, dict) or not raw:
        raise _fail(path, where, "codes must be a mapping of SSDA903 column to a list of its codes")
    out: dict[str, tuple[str, ...]] = {}
    for column, values in raw.items():
        listed = list_for_column(str(column))
        if listed is None:
            raise _fail(path, where, f"codes: {column!r} is not a coded SSDA903 column")
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise _fail(path, where, f"codes: {column} must be a non-empty list of codes (quoted text)")
        bad = [v for v in values if v not in known_codes(listed)]
        if bad:
            raise _fail(path, where, f"codes: {', '.join(bad)} not in the {listed} list of codes.yaml")
        if len(set(values)) != len(values):
            raise _fail(path, where, f"codes: {column} lists a code twice")
        out[str(column)] = tuple(values)
    return out


def _definition(text: str, codes: dict[str, tuple[str, ...]], path: str, where: str) -> str:
    """The definition with each ``{COLUMN}`` placeholder written out from ``codes``."""
    used = set(_PLACEHOLDER.findall(text))
    if used - set(codes):
        raise _fail(
            path, where, f"definition shows {{{sorted(used - set(codes))[0]}}} but codes has no such column"
        )
    if set(codes) - used:
        raise _fail(
            path,
            where,
            f"codes {', '.join(sorted(set(codes) - used))} not shown in the definition ({{COLUMN}})",
        )
    return " ".join(_PLACEHOLDER.sub(lambda m: code_span(codes[m.group(1)]), text).split())


def _fail(path: str, where: str, message: str) -> RegistryError:
    return RegistryError(f"{path}: {where}: {message}")


def _measure(raw: Any, index: int, path: str) -> Measure:
    where = f"entry {index + 1}"
    if not isinstance(raw, dict):
        raise _fail(path, where, "each measure must be a mapping of fields")
    if isinstance(raw.get("id"), str):
        where = f"measure {raw['id']!r}"
    missing = [f for f in _FIELDS if f not in raw and f not in OPTIONAL_FIELDS]
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
    codes = _codes(raw.get("codes"), path, where)
    counts = {}
    for name in ("numerator", "denominator"):
        value = raw.get(name, "")
        if not isinstance(value, str):
            raise _fail(path, where, f"{name} must be the id of a count measure, not {value!r}")
        if value and text["unit"] != "percent":
            raise _fail(path, where, f"{name} is for a percentage's counts; the unit is {text['unit']}")
        counts[name] = value.strip()
    return Measure(
        numerator=counts["numerator"],
        denominator=counts["denominator"],
        codes=codes,
        lookback=_lookback(raw.get("lookback"), path, where),
        id=text["id"],
        label=text["label"],
        short_label=text["short_label"],
        theme=text["theme"],
        definition=_definition(text["definition"], codes, path, where),
        source=" ".join(text["source"].split()),
        lait=str(lait).strip(),
        unit=text["unit"],
        decimals=decimals,
        polarity=text["polarity"],
        tables=tuple(tables),
    )


def _lookback(raw: Any, path: str, where: str) -> LookBack | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"months", "history"}:
        raise _fail(path, where, "lookback must be a mapping with months and history")
    months = raw.get("months", 0)
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise _fail(path, where, f"lookback months must be a whole number of months, not {months!r}")
    history = raw.get("history") or []
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise _fail(path, where, "lookback history must be a list of dates a child's past gives")
    bad = [h for h in history if h not in HISTORY]
    if bad:
        raise _fail(path, where, f"unknown lookback history {', '.join(bad)}; known: {', '.join(HISTORY)}")
    return LookBack(months=months, history=tuple(history))


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
    units = {m.id: m.unit for m in out}
    for m in out:
        for name in ("numerator", "denominator"):
            named = getattr(m, name)
            if named and units.get(named) != "number":
                raise _fail(
                    path, f"measure {m.id!r}", f"{name} {named!r} is not a count measure (unit number) here"
                )
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
    "HISTORY",
    "LookBack",
    "POLARITIES",
    "TABLES",
    "THEMES",
    "UNITS",
    "Measure",
    "RegistryError",
    "by_theme",
    "code_span",
    "load_registry",
    "measure",
    "parse_registry",
    "registry",
]
