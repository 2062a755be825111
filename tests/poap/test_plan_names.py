"""The document's plan reaches every notebook the runner runs: a section's ledgers record (and read the plan)
under the name the runner knows the section by (``cpkit.publish.plan``, ``runner.settle_disclosure``).

The quarterly Performance on a Page opened as ``open_section("poap")`` but runs as ``performance_on_a_page``
(its notebook's stem, ``cpkit.report.sections.poap_section``): its ledger recorded into ``poap.jsonl``, the
runner read ``performance_on_a_page.jsonl`` (nothing), so a leak on the page could never be repaired by the
plan, and a plan entry for the page was never applied."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cpkit.publish import plan
from cpkit.report.sections import discover, poap_section

OPENS = re.compile(r"open_section\(\s*\"([^\"]+)\"")


def _code(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_every_shipped_notebook_opens_under_the_name_the_runner_runs_it_by():
    sections = [*discover(), poap_section()]
    opened = {s.name: OPENS.findall("\n".join(_code(s.notebook))) for s in sections}
    assert opened == {s.name: [s.name] for s in sections}


def _run_page(cache: Path) -> list[dict]:
    """The page's notebook run in this process as a kernel runs it (its parameters, then every cell) with the
    run's cache, the shipped sample's 2025-26 Q3; the page's ledger records as the runner reads them."""
    cells = _code(poap_section().notebook)
    namespace: dict[str, object] = {}
    exec(cells[0], namespace)  # the parameters cell's defaults: 2026 Q3, the sample
    namespace["cache_dir"] = str(cache)
    for cell in cells[1:]:
        exec(cell, namespace)
    plan.end()
    return plan.read_records(cache, [poap_section().name]).get(poap_section().name, [])


def test_the_plan_hides_a_cell_of_the_quarterly_page(tmp_path):
    (record,) = _run_page(tmp_path)  # the page's one ledger, recorded under the runner's name
    doc = record["keys"]
    # any figure the page shows: the plan asks it hidden for the whole document
    text = next(k for k, d in doc.items() if record["status"][d] == "")
    plan.write_plan(plan.plan_path(tmp_path), {(poap_section().name, record["ledger"], text)})
    (again,) = _run_page(tmp_path)
    assert again["ledger"] == record["ledger"]  # the same figures given: the entry names it
    assert again["planned"] == [text]
    assert again["status"][again["keys"][text]] == "secondary"  # hidden now (its namespace is new)
