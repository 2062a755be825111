"""SSDA903 code lists by collection year, read from ``codes.yaml`` beside this module.

The lists are data, not code, so a new return year's changes (a code added, split or withdrawn) are a
YAML edit. Years are *return years*: 2025 is the 2024-25 return. A code's ``from``/``to`` years are
inclusive; a code without them is valid in every year.

The kit keeps one spelling per code: ``aliases`` (SEX 1/2 before 2024-25) are mapped to the kept
code when a file is read (``normalised_codes`` below), so checks on cleaned data ask
``valid_codes(..., normalised=True)``, which accepts M/F in a year where the return said 1/2.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CODES_FILE = Path(__file__).with_name("codes.yaml")


@dataclass(frozen=True)
class Code:
    """One code of a list, with the return years it is valid in (``None``: open-ended)."""

    code: str
    label: str
    first_year: int | None = None
    last_year: int | None = None

    def valid_in(self, year: int | None) -> bool:
        """True if the code may appear in the return for ``year`` (any year when ``year`` is None)."""
        if year is None:
            return True
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )


@dataclass(frozen=True)
class CodeList:
    """A named code list (``PLACE``, ``LS``, ...) with its codes and old-spelling aliases."""

    name: str
    label: str
    codes: dict[str, Code]
    aliases: dict[str, str]


@cache
def _raw() -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(CODES_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe loader)


@cache
def code_lists() -> dict[str, CodeList]:
    """All code lists, keyed by list name."""
    raw = _raw()
    out: dict[str, CodeList] = {}
    for name, spec in raw["lists"].items():
        codes = {
            str(code): Code(str(code), str(c["label"]), c.get("from"), c.get("to"))
            for code, c in spec["codes"].items()
        }
        aliases = {str(k): str(v) for k, v in (spec.get("aliases") or {}).items()}
        out[name] = CodeList(name, str(spec["label"]), codes, aliases)
    return out


@cache
def column_lists() -> dict[str, str]:
    """Which code list each coded column uses (``{"PLACE": "PLACE", "CONVICTED": "FLAG", ...}``)."""
    return {str(k): str(v) for k, v in _raw()["columns"].items()}


def code_list(name: str) -> CodeList:
    """One list by name; a clear error for a misspelt name."""
    try:
        return code_lists()[name]
    except KeyError:
        raise KeyError(f"no SSDA903 code list {name!r}; known: {sorted(code_lists())}") from None


def list_for_column(column: str) -> str | None:
    """The code list a column uses, or None for dates, identifiers and free text."""
    return column_lists().get(column)


def codes(name: str, year: int | None = None) -> dict[str, str]:
    """Code -> plain-English label for the codes of list ``name`` valid in return ``year``."""
    return {c.code: c.label for c in code_list(name).codes.values() if c.valid_in(year)}


@cache
def valid_codes(name: str, year: int | None = None, normalised: bool = True) -> frozenset[str]:
    """Codes that may appear in ``year``; with ``normalised``, as the reader leaves them.

    Normalised data has had aliases mapped (SEX 1 -> M), so an alias's target counts as valid in
    every year the alias itself was valid.
    """
    cl = code_list(name)
    ok = {c.code for c in cl.codes.values() if c.valid_in(year)}
    if normalised:
        for old, new in cl.aliases.items():
            if old in ok:
                ok.add(new)
            ok.discard(old)
    return frozenset(ok)


def known_codes(name: str) -> frozenset[str]:
    """Every code the list has had in any year (after alias mapping)."""
    return valid_codes(name, None, normalised=True)


def label(name: str, code: str) -> str:
    """The label for a code (aliases followed); the code itself if the list does not know it."""
    cl = code_list(name)
    key = cl.aliases.get(code, code)
    found = cl.codes.get(key) or cl.codes.get(code)
    return found.label if found else code


def aliases(name: str) -> dict[str, str]:
    """Old spelling -> kept code for list ``name`` (empty for most lists)."""
    return dict(code_list(name).aliases)


def suitable_accommodation(year: int | None = None) -> frozenset[str]:
    """ACCOM codes the DfE counts as suitable accommodation for a care leaver: the list's codes
    ending in 1 (there is no S1 or X1: no fixed abode and custody are never suitable)."""
    return frozenset(c for c in valid_codes("ACCOM", year) if c.endswith("1"))
