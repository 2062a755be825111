"""Sections do not import sibling sections: what two sections share lives in ``cpkit.sections.common`` (or
lower, in ``cpkit.figures`` and ``cpkit.present``), so one section can be changed without breaking another."""

from __future__ import annotations

import ast
from pathlib import Path

import cpkit.sections

SECTIONS = Path(cpkit.sections.__file__).parent
SHARED = {"common"}


def _imported_sections(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("cpkit.sections."):
                found.add(node.module.split(".")[2])
            elif node.module == "cpkit.sections":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names if a.name.startswith("cpkit.sections."))
    return found


def test_no_section_imports_a_sibling_section():
    offenders = {
        p.stem: sorted(_imported_sections(p) - SHARED - {p.stem})
        for p in SECTIONS.glob("*.py")
        if p.stem not in ("__init__", *SHARED)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_an_import(tmp_path):
    # The rule above must be able to fail: a module importing a sibling is found.
    bad = tmp_path / "bad.py"
    bad.write_text("from cpkit.sections.health import CHECKS\nfrom cpkit.sections import placements\n")
    assert _imported_sections(bad) == {"health", "placements"}
