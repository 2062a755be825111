"""The figures table's columns are declared once (``cpkit.figures.columns``) and every maker and reader
takes them from there: the build, the fill for a year without DfE figures, the headline rows."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import cpkit
from cpkit.config import Config, Period
from cpkit.figures import build_figures
from cpkit.figures.columns import COLUMNS, DFE_YEAR, EMPTY, PUBLISHED_FIGURES

PACKAGE = Path(cpkit.__file__).parent
# The tables that legitimately name these columns, each declaring its own table: the figures table itself,
# the DfE comparison it takes England, neighbours and ranks from, and the headline rows built from it.
DECLARATIONS = {
    ("figures/columns.py", None),
    ("benchmarks/compare.py", "COLUMNS"),
    ("figures/headline.py", "COLUMNS"),
}


def _literals_naming_published_columns() -> list[str]:
    """Every list, tuple, set or dict literal in the package that names four or more of the columns only
    the figures table has (the DfE year's own figure and the published figures), outside the
    declarations: each is a hand-kept copy of the column list."""
    distinctive = set(DFE_YEAR) | set(PUBLISHED_FIGURES)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declared = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name) and (
                        (rel, t.id) in DECLARATIONS or (rel, None) in DECLARATIONS
                    ):
                        declared.add(id(node.value))
        if (rel, None) in DECLARATIONS:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                elts = node.elts
            elif isinstance(node, ast.Dict):
                elts = [k for k in node.keys if k is not None]
            else:
                continue
            names = {e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if len(names & distinctive) >= 4 and id(node) not in declared:
                found.append(f"{rel}:{node.lineno}")
    return found


def test_no_copy_of_the_figures_columns_outside_their_declaration():
    # Before: build.py's COLUMNS, its list of columns to fill for a year without DfE figures, its copy of
    # the comparison's columns (_COMPARED), and the headline's two row dicts each listed them by hand.
    assert _literals_naming_published_columns() == []


def test_a_table_built_with_no_data_has_exactly_the_declared_columns_and_empty_values(tmp_path):
    """No returns and no DfE files: every registry measure, one row each, with the declared columns in
    their order and each published figure at its declared empty value."""
    figures = build_figures(None, Period.from_year(2025), Config(), tmp_path)
    frame = figures.frame
    assert list(frame.columns) == COLUMNS
    assert len(frame) == len(frame["measure"].unique()) > 40
    assert (frame["reason"] == "no SSDA903 returns in the data folder").all()
    for col in PUBLISHED_FIGURES:
        empty = EMPTY[col]
        if isinstance(empty, float) and math.isnan(empty):
            assert frame[col].isna().all(), col
        elif empty is None or empty is EMPTY["rank"]:
            assert frame[col].isna().all(), col
        else:
            assert (frame[col] == empty).all(), col
