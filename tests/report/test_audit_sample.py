"""The report's disclosure test on the shipped sample (issue 22: "no count 1 to threshold-1, and no interval
narrower than the threshold, on the sample"), read from the shared ``sample_report`` (no new report run).

Before the ``interval`` test was the report's rule, ``protect`` only kept small counts from being worked
out exactly, and the sample's children in care section published five "<5" counts a reader could narrow
(legal status J1 and L2, two reasons for ceasing in 2023-24, category of need N6: "[c]" parts beside a
printed total leaving them 1 to 2 or 1 to 3). Now every ledger protects against narrowing and the runner's
audit fails a report that still narrows one; the sample's report was built, so it passed, and here the
executed notebooks are audited again to show it, and the annex says which test was applied.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from cpkit.publish.audit import NARROWED
from cpkit.publish.ledger import audit_notebooks


def _notebooks(sample_report):
    analyst = sample_report.parent / "_analyst" / sample_report.name
    found = sorted(analyst.glob("*.ipynb"))
    assert len(found) >= 9, found
    return [(p.stem, p) for p in found]


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_the_sample_report_narrows_no_small_count_and_says_which_test_it_passed(sample_report):
    notebooks = _notebooks(sample_report)
    interval = audit_notebooks(notebooks, 5, test="interval")
    assert not [f for f in interval.findings if f.kind == NARROWED], interval.problems()
    assert interval.ok, interval.problems()
    assert interval.result.hidden > 0  # the sample hides counts: the search had something to look at
    # what the exact test (the DfE's) asks is a part of it
    assert audit_notebooks(notebooks, 5, test="exact").ok
    manifest = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["disclosure_audit"] == interval.summary()
    from cpkit.report.document import ANNEX_NAME

    about = BeautifulSoup((sample_report / ANNEX_NAME).read_text(encoding="utf-8"), "html.parser")
    text = " ".join(about.find(id="about-figures").find_parent("section").get_text(" ").split())
    assert interval.sentence() in text
    assert "nor narrowed to fewer values than its symbol allows" in text
