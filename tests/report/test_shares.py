"""Issue 22: every percentage the sample report prints is searched by the report's disclosure audit with
the counts it divides (``Figure.numerator``/``denominator``, gathered by each block), read from the shared
sample report's executed notebooks (no report run of its own)."""

from __future__ import annotations

from cpkit.publish.ledger import audit_notebooks
from cpkit.publish.read import blocks_of

FOSTER = ("placed_foster_pct:numerator@2024-25", "cla@2025-03-31")  # cpkit.figures.keys for 2024-25


def test_the_sample_report_audit_searches_its_percentages(sample_report):
    analyst = sample_report.parent / "_analyst" / sample_report.name
    notebooks = [(p.stem, p) for p in sorted(analyst.glob("*.ipynb"))]
    found = audit_notebooks(notebooks, 5)
    assert found.ok, found.problems()
    # Before, only Ledger.share recorded a percentage, and no section printed one through it: the audit
    # searched none. Now the figures table's percentages (the scorecard's and each trend table's, 35
    # registry percentages over five years) and every breakdown's % column name their counts. Each is
    # counted once however many blocks print it: well over a hundred.
    assert found.shares > 100
    # The foster share is one figure with the placement table's foster count and the children in care on
    # 31 March: the placement table and the scorecard both record it over the same keys.
    recorded = {
        b.section
        for _, path in notebooks
        for b in blocks_of(path)
        for s in b.shares
        if (s["numerator"], s["denominator"]) == FOSTER
    }
    assert {"02_placements", "07_scorecard"} <= recorded
