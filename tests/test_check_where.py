"""Where ``cpkit check`` says a problem is: only what the problem has (no "row <NA>, column nan")."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.check import where


@pytest.mark.parametrize(
    ("file", "row", "column", "text"),
    [
        ("episodes.csv", 12, "DECOM", "episodes.csv, row 12, column DECOM"),
        ("episodes.csv", 12.0, "DECOM", "episodes.csv, row 12, column DECOM"),  # rows read back as floats
        ("header.csv", pd.NA, float("nan"), "header.csv"),  # a whole-file problem
        ("header.csv", None, "UPN", "header.csv, column UPN"),  # a missing column
        (None, pd.NA, None, "(no file)"),  # a table no file gave
    ],
)
def test_where_names_only_what_the_problem_has(file, row, column, text):
    assert where(file, row, column) == text
