"""The runner's disclosure audit: every section's executed notebook read back and audited together before
anything is written (``cpkit.report.runner._audit_disclosure``), on real notebook files.

Two sections of a 12-child council: children in care prints the 12 (7 boys, 5 girls); placements shows
foster care and children's homes (8 and 4) under the same total. Worked in ``tests/publish/test_ledger.py``:
with the placement table hiding its own total ([c]) beside foster 8, a reader of both takes homes = 12 - 8.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import nbformat
import pytest

from cpkit.config import Config
from cpkit.errors import CpkitError, DisclosureLeak
from cpkit.present.disclosure import CLA, Ledger, Rule, shared_key
from cpkit.present.tables import table_block
from cpkit.publish.block import MIME, frame
from cpkit.report.execute import SectionRun
from cpkit.report.runner import _audit_disclosure

RULE = Rule(5, "<5")
TOTAL = shared_key(CLA, date(2025, 3, 31))


def _notebook(path: Path, blocks: list) -> Path:
    """An executed notebook whose one cell displayed ``blocks`` as show_table does (HTML beside the block)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_table(...)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<table></table>", MIME: b.to_json()})
        for b in blocks
    ]
    nb.cells = [cell]
    nbformat.write(nb, str(path))
    return path


def _table(ledger: Ledger, parts: list[str], caption: str):
    rows = [[p, ledger.text(p)] for p in parts] + [["Total", ledger.text(TOTAL)]]
    return table_block(frame(rows, columns=["Group", "Children"]), caption, ledger=ledger)


def _runs(folder: Path, *, placements_knows_the_total: bool) -> list[SectionRun]:
    sex = Ledger(RULE, name="sex")
    for k, v in {"boys": 7, "girls": 5}.items():
        sex.add(k, v)
    sex.add(TOTAL, 12, shared=True)
    sex.total(TOTAL, ["boys", "girls"])
    types = Ledger(RULE, name="types")
    for k, v in {"foster": 8, "homes": 4}.items():
        types.add(k, v)
    types.add(TOTAL, 12, shared=placements_knows_the_total)
    types.total(TOTAL, ["foster", "homes"])
    if not placements_knows_the_total:
        types.hide(TOTAL)
    folder.mkdir(parents=True, exist_ok=True)
    cic = _notebook(folder / "children_in_care.ipynb", [_table(sex.resolve(), ["boys", "girls"], "By sex")])
    plc = _notebook(folder / "placements.ipynb", [_table(types.resolve(), ["foster", "homes"], "By type")])
    return [SectionRun("children_in_care", cic, True, 1.0), SectionRun("placements", plc, True, 1.0)]


def test_a_report_whose_tables_give_back_a_small_count_is_stopped(tmp_path):
    runs = _runs(tmp_path / "work", placements_knows_the_total=False)
    analyst = tmp_path / "_analyst" / "2025"
    with pytest.raises(DisclosureLeak) as caught:
        _audit_disclosure(runs, Config(), analyst)
    message = str(caught.value)
    assert isinstance(caught.value, CpkitError)
    assert message.startswith(
        "the report was not published: the disclosure audit of the whole report found 2"
    )
    assert "placements/types:homes can be worked out exactly (placements/by-type)" in message
    assert (
        f"{TOTAL} is shown in one place and hidden in another (children_in_care/by-sex, placements/by-type)"
        in (message)
    )
    # never the hidden value: homes is 4 and nothing in the message says so
    assert "4" not in message.replace("2025", "").replace("found 2", "")
    # the executed notebooks are kept for the analyst to look at
    assert sorted(p.name for p in analyst.iterdir()) == ["children_in_care.ipynb", "placements.ipynb"]


def test_the_report_with_one_status_for_the_shared_total_goes_on(tmp_path):
    runs = _runs(tmp_path / "work", placements_knows_the_total=True)
    found = _audit_disclosure(runs, Config(), tmp_path / "_analyst" / "2025")
    assert found.summary() == "disclosure audit: 2 counts hidden, none recoverable"
    assert found.sentence().endswith(
        "of the 2 hidden counts, none can be worked out from the others, nor narrowed to fewer values than "
        "its symbol allows."
    )


def _narrowed_runs(folder: Path) -> list[SectionRun]:
    """One section of 8 children in care: foster 6 and homes 2, protected under the exact test (as a kernel
    run with ``disclosure_test: exact`` does): foster "[c]", homes "<5", the total 8 printed (shared). A
    reader takes foster to be 0 or 5 and more, so foster is 5 to 7 and homes 1 to 3: narrowed, not pinned
    (the shape alone, a total of 0 or 5 and more, allows homes 1 to 4)."""
    total = shared_key(CLA, date(2024, 3, 31))
    types = Ledger(Rule(5, "<5", test="exact"), name="types")
    for k, v in {"foster": 6, "homes": 2}.items():
        types.add(k, v)
    types.add(total, 8, shared=True)
    types.total(total, ["foster", "homes"])
    types.resolve()
    assert (types.text("foster"), types.text("homes"), types.text(total)) == ("[c]", "<5", "8")
    rows = [[p, types.text(p)] for p in ("foster", "homes")] + [["Total", types.text(total)]]
    block = table_block(frame(rows, columns=["Group", "Children"]), "By type", ledger=types)
    folder.mkdir(parents=True, exist_ok=True)
    return [SectionRun("placements", _notebook(folder / "placements.ipynb", [block]), True, 1.0)]


def test_a_narrowed_count_stops_the_report_under_the_interval_test_and_not_under_the_exact_one(tmp_path):
    runs = _narrowed_runs(tmp_path / "work")
    with pytest.raises(DisclosureLeak) as caught:
        _audit_disclosure(runs, Config(), tmp_path / "_analyst" / "2025")  # interval: the default
    message = str(caught.value)
    assert "found 1 problem(s) a reader could use to narrow or work out a small count" in message
    assert (
        "placements/types:homes can be narrowed to fewer values than its symbol allows (placements/by-type)"
        in message
    )
    # never the value, nor what it is narrowed to
    assert not re.search(r"\b[1-3]\b", message.replace("found 1 problem", ""))
    runs = _narrowed_runs(tmp_path / "again")
    found = _audit_disclosure(runs, Config(disclosure_test="exact"), tmp_path / "_analyst" / "2025")
    assert found.ok and found.sentence().endswith(
        "of the 2 hidden counts, none can be worked out exactly from the others."
    )
