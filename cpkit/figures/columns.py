"""The figures table's columns, declared once: their order and what a cell holds when there is no figure.

Everything that makes or reads the table takes its column list from here: the build
(``cpkit.figures.build``) puts the table in this order and fills the published and comparison columns a year
without DfE figures lacks with these empty values; the headline rows (``cpkit.figures.headline``) carry the
columns they share with it by name, and a local KPI's row gets these empty values for the figures only the
DfE publishes. A second hand-kept list of the same names is what let the three copies drift (a column added
to one and not the others); ``tests/figures/test_columns.py`` fails on one.

The groups, in the table's order:

- the measure, from the registry (``cpkit/measures.yaml``, through ``cpkit.care.indicators``);
- the row's year, and whether it is the report year;
- the council's own figure, the document keys of its counts (``cpkit.figures.keys``), and the reason when
  the data cannot give it;
- the council's own figure for the DfE year set beside the row (``dfe_*``, with its counts' keys) and that
  year;
- the DfE's published figures (``cpkit.benchmarks.compare``; ``PUBLISHED`` renames its council columns);
- the judgement (``cpkit.present.judgement``).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

NAN = math.nan

# Each group: column -> its value where there is no figure (None: every row has one, from the registry or
# the year). EMPTY joins them in the table's order.
MEASURE: dict[str, Any] = {
    "measure": None,
    "label": None,
    "theme": None,
    "unit": None,
    "polarity": None,
    "decimals": None,
    "source": None,
}
YEAR: dict[str, Any] = {"year": None, "period": None, "report_year": None}
# numerator_key, denominator_key: the document keys of the counts a printed figure of the row is about
# (``cpkit.figures.keys``: from the measure and period, never a value), which the report's audit reads
OWN: dict[str, Any] = {
    "value": NAN,
    "numerator": NAN,
    "denominator": NAN,
    "numerator_key": "",
    "denominator_key": "",
    "reason": "",
}
DFE_YEAR: dict[str, Any] = {
    "dfe_value": NAN,
    "dfe_numerator": NAN,
    "dfe_denominator": NAN,
    "dfe_numerator_key": "",
    "dfe_denominator_key": "",
    "published_year": NAN,
}
PUBLISHED_FIGURES: dict[str, Any] = {
    "published": NAN,
    "published_numerator": NAN,
    "published_denominator": NAN,
    "published_status": "absent",
    "england": NAN,
    "region": NAN,
    "neighbour_avg": NAN,
    "neighbour_n": 0,
    "neighbours_listed": NAN,
    "rank": pd.NA,
    "ranked": 0,
    "rank_order": "",
    "rank_text": "",
    "quartile": None,
    "quartile_note": "",
}
JUDGEMENT: dict[str, Any] = {
    "previous_value": NAN,
    "change_kind": "",
    "direction": "",
    "direction_label": "",
    "target": NAN,
    "rag": "",
    "vs_england": "",
    "vs_neighbours": "",
    "own_vs_published": "",
}
EMPTY: dict[str, Any] = {**MEASURE, **YEAR, **OWN, **DFE_YEAR, **PUBLISHED_FIGURES, **JUDGEMENT}
COLUMNS: list[str] = list(EMPTY)

# ``cpkit.benchmarks.compare``'s columns for the council's own published figure -> the table's names.
PUBLISHED: dict[str, str] = {
    "la_value": "published",
    "la_numerator": "published_numerator",
    "la_denominator": "published_denominator",
    "la_status": "published_status",
}
# The columns taken from ``cpkit.benchmarks.compare`` under their own names (England, region, neighbours,
# rank, quartile).
COMPARED: list[str] = [c for c in PUBLISHED_FIGURES if c not in PUBLISHED.values()]
# The columns a year without DfE figures lacks until they are filled: the DfE year's own figure and the
# published figures.
NOT_ALWAYS_PUBLISHED: list[str] = [*DFE_YEAR, *PUBLISHED_FIGURES]
# Text columns among them: kept as text (object) when a year has no published figures, not NaN floats.
TEXT: frozenset[str] = frozenset(
    c for c, v in EMPTY.items() if isinstance(v, str) or (v is None and c in PUBLISHED_FIGURES)
)


def fill_missing(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with each of ``columns`` it lacks added as missing: text columns as None (object), the
    others NaN; the build then sets each its ``EMPTY`` value and type."""
    for col in columns:
        if col not in frame.columns:
            text = col in TEXT
            frame[col] = pd.Series(None if text else NAN, index=frame.index, dtype=object if text else float)
    return frame


__all__ = ["COLUMNS", "COMPARED", "EMPTY", "NOT_ALWAYS_PUBLISHED", "PUBLISHED", "TEXT", "fill_missing"]
