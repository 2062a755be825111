"""Document keys for the counts behind a figures-table row: what a printed figure of the row is about.

The report's disclosure audit (``cpkit.publish.ledger``) reads a percentage with the counts it divides
("72%" of the 476 children in care is 341 of them) only when it knows which counts those are, by their
document keys (``cpkit.present.disclosure.shared_key``: the same key anywhere in the report is the same
figure). Each row of the figures table carries them (``numerator_key``, ``denominator_key``, and the
``dfe_`` ones for the DfE year's own figure), made here from the measure and the period alone, so they
never hold a value and every section that prints the row names the same counts:

- a count measure's figure is its own key: children in care at the end of the period ``cla@2025-03-31``
  (the key every breakdown's Total carries), children who started or ceased to be looked after in the
  period ``cla_started@2024-25`` and ``cla_ceased@2024-25`` (the entries and exits tables' Totals), any
  other count ``<measure>@<period>``;
- a percentage's numerator and denominator are the count measures the registry names for them
  (``numerator:`` and ``denominator:`` in ``cpkit/measures.yaml``: the children in care at the period's
  end for the placement shares), else its own ``<measure>:numerator@<period>`` and
  ``<measure>:denominator@<period>``;
- a rate per 10,000 or an average has none: its denominator is not a count a reader sees.
"""

from __future__ import annotations

from cpkit.config import Period
from cpkit.measures import registry
from cpkit.present.disclosure import CLA, shared_key

# Count measures other sections print under a key of their own making (``shared_key``)
_COUNT_KEYS = {"cla_at_end": lambda p: shared_key(CLA, p.end)}


def count_key(measure_id: str, period: Period) -> str:
    """The document key of a count measure's figure for ``period``: ``cla@2025-03-31`` for the children
    in care at its end, ``<measure>@<period label>`` for any other (``cla_ceased@2024-25``)."""
    make = _COUNT_KEYS.get(measure_id)
    return make(period) if make else shared_key(measure_id, period.label)


def row_keys(measure_id: str, unit: str, period: Period) -> tuple[str, str]:
    """(numerator key, denominator key) of a figures-table row: a count's own key and no denominator; a
    percentage's two counts (see the module docstring); ("", "") for any other unit."""
    if unit == "number":
        return count_key(measure_id, period), ""
    if unit != "percent":
        return "", ""
    m = next((m for m in registry() if m.id == measure_id), None)
    numerator = m.numerator if m is not None else ""
    denominator = m.denominator if m is not None else ""
    return (
        count_key(numerator, period) if numerator else shared_key(f"{measure_id}:numerator", period.label),
        count_key(denominator, period)
        if denominator
        else shared_key(f"{measure_id}:denominator", period.label),
    )


def kpi_key(indicator: str, label: str, unit: str) -> str:
    """The document key of a local KPI's count for the year ``label`` ("kpi:Exclusions@2024-25"): the
    education table, the scorecard and the executive summary print the same KPI file's count under it,
    so the report's audit holds it as one figure; "" for a share or a score (the file's counts behind
    those are not printed)."""
    return shared_key(f"kpi:{indicator}", label) if unit == "number" else ""
