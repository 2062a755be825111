"""The report's suppression chosen once for the whole document (``cpkit.publish.plan``,
``cpkit.report.runner.settle_disclosure``), on real ledgers, real records in a run's cache and real notebook
files read back by the document audit.

Two sections of a small council each print the children who left care in 2024-25 by adoption, boys and
girls (shared keys: the same two figures in both sections), 1 and 1, so both "<5":

- section ``a``: adopted boys + adopted girls + other reasons (8) = all who left (10). Alone, its ledger
  hides "other reasons": [c] is 0 or 5 and more, so it is 5 to 8 and boys + girls is 2 to 5; boys can be
  1 to 4 (girls 1): nothing pinned.
- section ``b``: adopted boys + adopted girls + placed for adoption (5) = 7. Alone it hides "placed": [c]
  is 0 or 5 (6 would leave 1 for two small counts), so boys + girls is 7 or 2; boys can be 1, 3 or 4:
  nothing pinned (narrowed, which the exact test allows).
- together: boys + girls is in 2..5 and in {2, 7}, so it is 2: boys 1, girls 1. Each section is safe alone
  and the report gives both away; before the document's plan the run was refused (``DisclosureLeak``).

These are the ``exact`` test's cases (``disclosure_test: exact``; the DfE's): under the ``interval`` test,
the default, section b alone sees its boys narrowed to 1, 3 or 4 and hides its own total, so the document
has nothing left to plan here. Under ``exact`` only the document can see the leak.

The plan: ``protect`` over both sections, starting from what they hid, hides the smaller of the two
unkept totals, b's 7; b is run again with it forced: its total [c] and "placed" 5 shown, so boys + girls
is T - 5 for a hidden T (0 or 5 and more): anything from 2 to 8, and with a's 2 to 5 boys can still be 1
to 4. The audit passes; section a is not run again.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from cpkit.config import Config
from cpkit.errors import DisclosureLeak
from cpkit.present.disclosure import Ledger, Rule, shared_key
from cpkit.present.tables import table_block
from cpkit.publish import plan
from cpkit.publish.block import MIME, frame
from cpkit.publish.read import blocks_of
from cpkit.region.graph import _rerun_in_task
from cpkit.report.execute import SectionRun
from cpkit.report.runner import (
    Prepared,
    ReportRequest,
    _audit_disclosure,
    _keep_plan,
    _Plan,
    _rerun_here,
    _start_plan,
    open_report,
    plan_report,
    prepare_stage,
    sections_stage,
    settle_disclosure,
)
from cpkit.report.sections import Section

RULE = Rule(5, "<5", test="exact")  # the exact test: narrowing alone is no leak (the module docstring)
CONFIG = Config(disclosure_test="exact")
BOYS, GIRLS = shared_key("adopted_boys", "2024-25"), shared_key("adopted_girls", "2024-25")
FIGURES = {"a": ("other reasons", 8, 10), "b": ("placed for adoption", 5, 7)}


def _kernel(section: str, cache: Path, folder: Path, *, totals_kept: bool = False) -> SectionRun:
    """What a section's kernel does: ``open_section`` starts the plan's context (``plan.begin``), the ledger
    chooses its cells (with any the plan hides) and records them, the table is shown as a block."""
    plan.begin(section, cache)
    try:
        other, n, total = FIGURES[section]
        ledger = Ledger(RULE, name=section)
        ledger.add(BOYS, 1, shared=BOYS)
        ledger.add(GIRLS, 1, shared=GIRLS)
        ledger.add(other, n)
        ledger.add("all", total, shared=totals_kept)
        ledger.total("all", [BOYS, GIRLS, other])
        ledger.resolve()
        rows = [[k, ledger.text(k)] for k in (BOYS, GIRLS, other, "all")]
        block = table_block(frame(rows, columns=["Group", "Children"]), "Left care", ledger=ledger)
    finally:
        plan.end()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_table(...)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<table/>", MIME: block.to_json()})
    ]
    nb.cells = [cell]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{section}.ipynb"
    nbformat.write(nb, str(path))
    return SectionRun(section, path, True, 0.1)


def _plan() -> _Plan:
    sections = [Section(name, name, name, path=Path(f"{name}.ipynb")) for name in FIGURES]
    return _Plan(sections, [], sections, Path("report"), False, [])


def _cells(run: SectionRun) -> dict[str, str]:
    (block,) = blocks_of(run.output, section=run.name)
    return {row[0]: str(row[1]) for row in block.rows}


class Rerun:
    """The runner's ``rerun``: the sections' kernels again, counting what was run."""

    def __init__(self, cache: Path, folder: Path, **kw: bool) -> None:
        self.cache, self.folder, self.kw, self.calls = cache, folder, kw, []

    def __call__(self, sections: list[Section]) -> list[SectionRun]:
        self.calls.append([s.name for s in sections])
        return [_kernel(s.name, self.cache, self.folder, **self.kw) for s in sections]


def test_sections_safe_alone_that_leak_together_get_one_plan_for_the_document(tmp_path):
    cache, work, analyst = tmp_path / "cache", tmp_path / "work", tmp_path / "_analyst" / "2025"
    runs = [_kernel(s, cache, work) for s in FIGURES]
    # each section alone: the other reasons and the placed are hidden, the totals shown
    assert _cells(runs[0]) == {BOYS: "<5", GIRLS: "<5", "other reasons": "[c]", "all": "10"}
    assert _cells(runs[1]) == {BOYS: "<5", GIRLS: "<5", "placed for adoption": "[c]", "all": "7"}
    # what the runner did before the plan: the report refused (the audit alone, on a copy of the run)
    before = [_kernel(s, tmp_path / "before" / "cache", tmp_path / "before" / "work") for s in FIGURES]
    with pytest.raises(DisclosureLeak) as refused:
        _audit_disclosure(before, CONFIG, tmp_path / "before" / "_analyst")
    assert f"{BOYS} can be worked out exactly" in str(refused.value)

    rerun = Rerun(cache, work)
    settled, _, found = settle_disclosure(runs, _plan(), CONFIG, cache, analyst, rerun)
    assert found.ok
    assert rerun.calls == [["b"]]  # only the section the plan changes runs again
    assert settled[0] is runs[0]
    # b's total is hidden for the whole document, and b chose again around it: placed shown
    assert _cells(settled[1]) == {BOYS: "<5", GIRLS: "<5", "placed for adoption": "5", "all": "[c]"}
    assert _cells(settled[0]) == {BOYS: "<5", GIRLS: "<5", "other reasons": "[c]", "all": "10"}
    # the plan names b's ledger by its digest and the figure's key, in the run's cache only
    ((section, _, key),) = plan.read_plan(plan.plan_path(cache))
    assert (section, key) == ("b", "all")


def test_when_no_choice_protects_the_document_the_run_is_still_refused(tmp_path):
    # the same figures with both totals printed across the report (kept): no section may hide them, and
    # the union has nothing else to hide (the other cells already are), so 1 and 1 stay recoverable
    cache, work = tmp_path / "cache", tmp_path / "work"
    runs = [_kernel(s, cache, work, totals_kept=True) for s in FIGURES]
    rerun = Rerun(cache, work, totals_kept=True)
    with pytest.raises(DisclosureLeak) as refused:
        settle_disclosure(runs, _plan(), CONFIG, cache, tmp_path / "_analyst" / "2025", rerun)
    assert f"{BOYS} can be worked out exactly" in str(refused.value)
    assert rerun.calls == []  # nothing is run again for a plan that cannot protect the report
    assert not plan.plan_path(cache).exists()


def test_the_plan_of_a_published_report_lets_the_next_run_on_the_same_data_run_once(tmp_path):
    analyst = tmp_path / "_analyst" / "2025"
    cache, work = tmp_path / "run1" / "cache", tmp_path / "run1" / "work"
    runs = [_kernel(s, cache, work) for s in FIGURES]
    settled, _, _ = settle_disclosure(runs, _plan(), CONFIG, cache, analyst, Rerun(cache, work))
    _keep_plan(cache, analyst, [r.name for r in settled])  # as the swap does
    kept = json.loads((analyst / plan.KEPT_PLAN).read_text(encoding="utf-8"))
    assert [(s, k) for s, _, k in kept["hide"]] == [("b", "all")]
    assert "1.0" not in json.dumps(kept)  # entries name cells, never the values

    # the next run: the kept plan is read into the new cache before any section runs
    cache2, work2 = tmp_path / "run2" / "cache", tmp_path / "run2" / "work"
    _start_plan(cache2, analyst)
    runs2 = [_kernel(s, cache2, work2) for s in FIGURES]
    rerun = Rerun(cache2, work2)
    settled2, _, found = settle_disclosure(runs2, _plan(), CONFIG, cache2, analyst, rerun)
    assert found.ok and rerun.calls == []  # one pass
    assert _cells(settled2[1])["all"] == "[c]"


def test_a_plan_keyed_by_a_digest_that_does_not_change_when_the_plan_hides_more(tmp_path):
    # the namespace digests the figures as published, so hiding b's total renames b's figures in the
    # document; the plan's key (Ledger.digest, of what the ledger was given) stays, else the second pass
    # would never find its entry
    cache = tmp_path / "cache"
    plan.begin("b", cache)
    try:
        first = Ledger(RULE, name=None)
        first.add("placed", 5)
        first.add("all", 7)
        first.add(BOYS, 1, shared=BOYS)
        first.add(GIRLS, 1, shared=GIRLS)
        first.total("all", ["placed", BOYS, GIRLS])
        first.resolve()
        before, digest = first.namespace, first.digest()
        plan.write_plan(plan.plan_path(cache), {("b", digest, "all")})
    finally:
        plan.end()
    plan.begin("b", cache)
    try:
        again = Ledger(RULE)
        again.add("placed", 5)
        again.add("all", 7)
        again.add(BOYS, 1, shared=BOYS)
        again.add(GIRLS, 1, shared=GIRLS)
        again.total("all", ["placed", BOYS, GIRLS])
        again.resolve()
        assert again.digest() == digest and again.hidden("all")
        assert again.namespace != before
    finally:
        plan.end()


def test_outside_a_run_ledgers_record_nothing_and_read_no_plan(tmp_path):
    plan.end()
    ledger = Ledger(RULE)
    ledger.add("a", 3)
    ledger.add("b", 6)
    ledger.add("all", 9)
    ledger.total("all", ["a", "b"])
    assert str(ledger.text("b")) == "[c]"
    assert plan.token() == ""
    assert not list(tmp_path.iterdir())


def test_the_sample_report_is_safe_section_by_section_and_runs_once(sample_report):
    # the sample's sections are safe together as they choose alone: no plan is solved, no section runs
    # a second time, and no plan is kept for the next run
    analyst = sample_report.parent / "_analyst" / sample_report.name
    stages = json.loads((analyst / "timings.json").read_text(encoding="utf-8"))["stages"]
    names = [s["stage"] for s in stages if s["group"] == "sections"]
    assert "disclosure audit" in names
    assert not [n for n in names if "run again" in n or n == "disclosure plan chosen"]
    assert not (analyst / plan.KEPT_PLAN).exists()


KERNEL_BODY = """from cpkit.present import show_table
from cpkit.present.disclosure import Ledger, shared_key
from cpkit.publish.block import frame
from cpkit.report import open_section

ctx = open_section("{name}", year=year, period=period, data_dir=data_dir, la_name=la_name, la_code=la_code,
                   config_file=config_file, cache_dir=cache_dir)
boys, girls = shared_key("adopted_boys", "2024-25"), shared_key("adopted_girls", "2024-25")
ledger = Ledger(ctx.config, name="{name}")
ledger.add(boys, 1, shared=boys)
ledger.add(girls, 1, shared=girls)
ledger.add("{other}", {n})
ledger.add("all", {total})
ledger.total("all", [boys, girls, "{other}"])
ledger.resolve()
rows = [[k, ledger.text(k)] for k in (boys, girls, "{other}", "all")]
show_table(frame(rows, columns=["Group", "Children"]), "Left care", ledger=ledger)"""


def _exact(data: Path) -> Path:
    """The council's settings with the exact test (the module docstring): its kernels protect by it."""
    with (data / "cpkit.yaml").open("a", encoding="utf-8") as settings:
        settings.write("\ndisclosure_test: exact\n")
    return data


@pytest.mark.slow
def test_two_such_sections_run_by_the_runner_s_stages_settle_on_the_plan_and_run_once_next_time(tmp_path):
    # the same two sections as above, as notebooks the runner's stages execute in real kernels
    # (prepare_stage starts the plan, sections_stage runs them, settle_disclosure as render_stage calls
    # it, _keep_plan as the swap does); the writers are left out: they read the settled blocks
    from .notebooks import write_council, write_notebook

    registry = []
    for i, (name, (other, n, total)) in enumerate(FIGURES.items(), start=1):
        body = KERNEL_BODY.format(name=f"0{i}_{name}", other=other, n=n, total=total)
        notebook = write_notebook(tmp_path / "nb" / f"0{i}_{name}.ipynb", body, title=name)
        registry.append(Section(f"0{i}_{name}", name, name, path=notebook))
    request = ReportRequest(
        year=2025,
        data_dir=_exact(write_council(tmp_path / "data")),
        out_dir=tmp_path / "reports",
        registry=tuple(registry),
        jobs=1,
        progress=False,
    )

    def run(work: Path, rerun=None) -> tuple[list[SectionRun], list[str], Prepared]:
        work.mkdir(parents=True)
        opened = open_report(request)
        chosen = plan_report(opened)
        o = opened
        prepared = prepare_stage(
            request, o.data_dir, o.config_file, o.config, o.period, chosen, o.out_dir, work
        )
        again: list[str] = []

        def counted(sections: list[Section]) -> list[SectionRun]:
            again.extend(s.name for s in sections)
            return (rerun or _rerun_here(prepared))(sections)

        runs = sections_stage(prepared)
        runs, _, found = settle_disclosure(
            runs, chosen, o.config, prepared.cache_dir, prepared.analyst_dir, counted
        )
        assert found.ok
        _keep_plan(prepared.cache_dir, prepared.analyst_dir, [r.name for r in runs])
        return runs, again, prepared

    runs, again, prepared = run(tmp_path / "work1")
    # b ran again with the document's plan; its total is hidden in the notebook the pages are made from
    assert again == ["02_b"]
    cells = _cells(runs[1])
    assert cells["all"] == "[c]" and cells["placed for adoption"] == "5"
    assert _cells(runs[0])["all"] == "10"
    analyst = tmp_path / "reports" / "_analyst" / "2025"
    assert [(s, k) for s, _, k in plan.read_plan(analyst / plan.KEPT_PLAN)] == [("02_b", "all")]
    # cpkit region's render task runs b again in a kernel of its own (a Dask worker may not start the
    # runner's process pool): the same plan read, the same cells hidden
    (redone,) = _rerun_in_task(prepared)([registry[1]])
    assert redone.ok and _cells(redone)["all"] == "[c]"

    # the next run on the same data: the kept plan is read from the start, every section runs once
    runs, again, _ = run(tmp_path / "work2")
    assert again == []
    assert _cells(runs[1])["all"] == "[c]"
