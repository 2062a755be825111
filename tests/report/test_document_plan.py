"""The report's suppression chosen once for the whole document (``cpkit.publish.plan``,
``cpkit.report.runner.settle_disclosure``), on real ledgers, real records in a run's cache and real notebook
files read back by the document audit, under the report's default disclosure test (``interval``) and the
same figures under ``exact``.

Two sections of a small council each print the children who left care in 2024-25 by adoption, boys and
girls (shared keys: the same two figures in both sections), 2 and 3, so both "<5":

- section ``a`` (leaving care to a permanent home): adopted boys + adopted girls + special guardianship (2)
  = 7. Alone, three "<5" adding up to 7: each can be 1 to 4 (boys 1: girls and SGO 2+4, 3+3 or 4+2; boys
  4: 1+2 or 2+1), so nothing is pinned or narrowed, and nothing needs hiding.
- section ``b`` (every child who left care): adopted boys + adopted girls + other reasons (6) = 11. Alone,
  boys + girls = 5: boys can be 1 to 4 (girls 4 to 1): nothing pinned or narrowed.
- together: boys + girls is 5 (from b), so special guardianship is 7 - 5 = 2 in a: pinned. Each section is
  safe alone and the report gives a count away; before the document's plan the run was refused
  (``DisclosureLeak``).

The plan: ``protect`` over both sections, starting from what they hid, hides the smaller shown count in a
relation of the pinned one, b's other reasons (6 before the 11); b is run again with it forced: other
reasons [c] (0 or 5 and more), so boys + girls is 11 - 5 = 6, 11 - 6 = 5 ... 11 - 9 = 2 (11 with [c] 0
cannot be made by two "<5"): 2 to 6, and SGO = 7 - (2 to 6) is 1 to 4 again, boys too. The audit passes;
section a is not run again.
"""

from __future__ import annotations

import json
import re
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

RULE, CONFIG = Rule(5, "<5"), Config()  # the report's default: threshold 5, the interval test
BOYS, GIRLS = shared_key("adopted_boys", "2024-25"), shared_key("adopted_girls", "2024-25")
FIGURES = {"a": ("special guardianship", 2, 7), "b": ("other reasons", 6, 11)}


def _kernel(section: str, cache: Path, folder: Path, *, kept: bool = False, rule: Rule = RULE) -> SectionRun:
    """What a section's kernel does: ``open_section`` starts the plan's context (``plan.begin``), the ledger
    chooses its cells (with any the plan hides) and records them, the table is shown as a block."""
    plan.begin(section, cache)
    try:
        other, n, total = FIGURES[section]
        ledger = Ledger(rule, name=section)
        ledger.add(BOYS, 2, shared=BOYS)
        ledger.add(GIRLS, 3, shared=GIRLS)
        ledger.add(other, n, shared=kept)
        ledger.add("all", total, shared=kept)
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

    def __init__(self, cache: Path, folder: Path, **kw: object) -> None:
        self.cache, self.folder, self.kw, self.calls = cache, folder, kw, []

    def __call__(self, sections: list[Section]) -> list[SectionRun]:
        self.calls.append([s.name for s in sections])
        return [_kernel(s.name, self.cache, self.folder, **self.kw) for s in sections]


@pytest.mark.parametrize("test", ["interval", "exact"])
def test_sections_safe_alone_that_leak_together_get_one_plan_for_the_document(tmp_path, test):
    rule, config = Rule(5, "<5", test=test), Config(disclosure_test=test)
    cache, work, analyst = tmp_path / "cache", tmp_path / "work", tmp_path / "_analyst" / "2025"
    runs = [_kernel(s, cache, work, rule=rule) for s in FIGURES]
    # each section alone hides nothing but its small counts
    assert _cells(runs[0]) == {BOYS: "<5", GIRLS: "<5", "special guardianship": "<5", "all": "7"}
    assert _cells(runs[1]) == {BOYS: "<5", GIRLS: "<5", "other reasons": "6", "all": "11"}
    # what the runner did before the plan: the report refused (the audit alone, on a copy of the run)
    before = [_kernel(s, tmp_path / "b4" / "cache", tmp_path / "b4" / "work", rule=rule) for s in FIGURES]
    with pytest.raises(DisclosureLeak) as refused:
        _audit_disclosure(before, config, tmp_path / "b4" / "_analyst")
    assert "a/a:special guardianship can be worked out exactly (a/left-care)" in str(refused.value)

    rerun = Rerun(cache, work, rule=rule)
    settled, _, found = settle_disclosure(runs, _plan(), config, cache, analyst, rerun)
    assert found.ok
    assert rerun.calls == [["b"]]  # only the section the plan changes runs again
    assert settled[0] is runs[0]
    # b's other reasons are hidden for the whole document; a is as it was
    assert _cells(settled[1]) == {BOYS: "<5", GIRLS: "<5", "other reasons": "[c]", "all": "11"}
    assert _cells(settled[0]) == {BOYS: "<5", GIRLS: "<5", "special guardianship": "<5", "all": "7"}
    # the plan names b's ledger by its digest and the figure's key, in the run's cache only
    ((section, _, key),) = plan.read_plan(plan.plan_path(cache))
    assert (section, key) == ("b", "other reasons")


def test_when_no_choice_protects_the_document_the_run_is_still_refused(tmp_path):
    # the same figures with the other reasons and the totals printed across the report (kept): no section
    # may hide them and the small counts are hidden already, so the special guardianship's 2 stays pinned
    cache, work = tmp_path / "cache", tmp_path / "work"
    runs = [_kernel(s, cache, work, kept=True) for s in FIGURES]
    rerun = Rerun(cache, work, kept=True)
    with pytest.raises(DisclosureLeak) as refused:
        settle_disclosure(runs, _plan(), CONFIG, cache, tmp_path / "_analyst" / "2025", rerun)
    assert "a/a:special guardianship can be worked out exactly" in str(refused.value)
    assert rerun.calls == []  # nothing is run again for a plan that cannot protect the report
    assert not plan.plan_path(cache).exists()


def test_the_plan_of_a_published_report_lets_the_next_run_on_the_same_data_run_once(tmp_path):
    analyst = tmp_path / "_analyst" / "2025"
    cache, work = tmp_path / "run1" / "cache", tmp_path / "run1" / "work"
    runs = [_kernel(s, cache, work) for s in FIGURES]
    settled, _, _ = settle_disclosure(runs, _plan(), CONFIG, cache, analyst, Rerun(cache, work))
    _keep_plan(cache, analyst, [r.name for r in settled])  # as the swap does
    kept = json.loads((analyst / plan.KEPT_PLAN).read_text(encoding="utf-8"))
    assert [(s, k) for s, _, k in kept["hide"]] == [("b", "other reasons")]
    # entries name cells (section, the ledger's digest, the key), never the values
    assert set(kept) == {"hide"} and all(re.fullmatch("[0-9a-f]{16}", e[1]) for e in kept["hide"])

    # the next run: the kept plan is read into the new cache before any section runs
    cache2, work2 = tmp_path / "run2" / "cache", tmp_path / "run2" / "work"
    _start_plan(cache2, analyst)
    runs2 = [_kernel(s, cache2, work2) for s in FIGURES]
    rerun = Rerun(cache2, work2)
    settled2, _, found = settle_disclosure(runs2, _plan(), CONFIG, cache2, analyst, rerun)
    assert found.ok and rerun.calls == []  # one pass
    assert _cells(settled2[1])["other reasons"] == "[c]"


def test_a_plan_keyed_by_a_digest_that_does_not_change_when_the_plan_hides_more(tmp_path):
    # the namespace digests the figures as published, so hiding b's other reasons renames b's figures in
    # the document; the plan's key (Ledger.digest, of what the ledger was given) stays, else the second
    # pass would never find its entry
    cache = tmp_path / "cache"
    plan.begin("b", cache)
    try:
        first = Ledger(RULE, name=None)
        first.add("other", 6)
        first.add("all", 11)
        first.add(BOYS, 2, shared=BOYS)
        first.add(GIRLS, 3, shared=GIRLS)
        first.total("all", ["other", BOYS, GIRLS])
        first.resolve()
        assert not first.hidden("other")
        before, digest = first.namespace, first.digest()
        plan.write_plan(plan.plan_path(cache), {("b", digest, "other")})
    finally:
        plan.end()
    plan.begin("b", cache)
    try:
        again = Ledger(RULE)
        again.add("other", 6)
        again.add("all", 11)
        again.add(BOYS, 2, shared=BOYS)
        again.add(GIRLS, 3, shared=GIRLS)
        again.total("all", ["other", BOYS, GIRLS])
        again.resolve()
        assert again.digest() == digest and again.hidden("other")
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
ledger.add(boys, 2, shared=boys)
ledger.add(girls, 3, shared=girls)
ledger.add("{other}", {n})
ledger.add("all", {total})
ledger.total("all", [boys, girls, "{other}"])
ledger.resolve()
rows = [[k, ledger.text(k)] for k in (boys, girls, "{other}", "all")]
show_table(frame(rows, columns=["Group", "Children"]), "Left care", ledger=ledger)"""


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
        data_dir=write_council(tmp_path / "data"),  # the sample's settings: the interval test
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
    # b ran again with the document's plan; its other reasons are hidden in the notebook the pages are made from
    assert again == ["02_b"]
    cells = _cells(runs[1])
    assert cells["other reasons"] == "[c]" and cells["all"] == "11"
    assert _cells(runs[0])["special guardianship"] == "<5" and _cells(runs[0])["all"] == "7"
    analyst = tmp_path / "reports" / "_analyst" / "2025"
    assert [(s, k) for s, _, k in plan.read_plan(analyst / plan.KEPT_PLAN)] == [("02_b", "other reasons")]
    # cpkit region's render task runs b again in a kernel of its own (a Dask worker may not start the
    # runner's process pool): the same plan read, the same cells hidden
    (redone,) = _rerun_in_task(prepared)([registry[1]])
    assert redone.ok and _cells(redone)["other reasons"] == "[c]"

    # the next run on the same data: the kept plan is read from the start, every section runs once
    runs, again, _ = run(tmp_path / "work2")
    assert again == []
    assert _cells(runs[1])["other reasons"] == "[c]"


# --- a leak only a printed percentage makes ------------------------------------------------------------

CLA_DAY = shared_key("cla", "2025-03-31")
FOSTER = shared_key("placed_foster_pct:numerator", "2025-03-31")  # the measure's numerator, as a key
PLACED = {"foster": 30, "kinship": 117, "homes": 3}  # 150 children in care at 31 March 2025


def _notebook(section: str, block, folder: Path) -> SectionRun:
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


def _share_kernel(section: str, cache: Path, folder: Path, *, kept: bool = False) -> SectionRun:
    """``placements`` prints the placement-type table from a ledger that knows nothing of any percentage
    (foster's count under its measure's numerator key, ``alias``; the total under the shared key; kinship
    ``kept``: printed across the report); ``scorecard`` prints foster's share of the same total from the
    figures table's row (``figure_text.shown``, as the scorecard does), with no ledger."""
    from cpkit.present.figure_text import shown

    plan.begin(section, cache)
    try:
        if section == "placements":
            ledger = Ledger(RULE, name="types")
            ledger.add("foster", PLACED["foster"], alias=FOSTER)
            ledger.add("kinship", PLACED["kinship"], shared=kept)
            ledger.add("homes", PLACED["homes"])
            ledger.add(CLA_DAY, 150, shared=CLA_DAY)
            ledger.total(CLA_DAY, list(PLACED))
            ledger.resolve()
            rows = [[k, ledger.text(k)] for k in (*PLACED, CLA_DAY)]
            block = table_block(
                frame(rows, columns=["Placement", "Children"]), "Placement type", ledger=ledger
            )
        else:
            row = {"value": 20.0, "unit": "percent", "decimals": 0, "numerator": 30, "denominator": 150}
            pct = shown({**row, "numerator_key": FOSTER, "denominator_key": CLA_DAY}, CONFIG)
            block = table_block(frame([["Foster care", pct]], columns=["Indicator", "2024-25"]), "Scorecard")
    finally:
        plan.end()
    return _notebook(section, block, folder)


def test_a_leak_only_a_percentage_in_another_section_makes_is_repaired_by_the_document_s_plan(tmp_path):
    # 150 children in care at 31 March 2025: foster 30, kinship 117, children's homes 3 ("<5").
    # placements alone: homes = 150 - 30 - 117, so its ledger hides the smallest other part, foster (30 <
    # 117): foster [c] + homes <5 = 33, foster 29 to 32 and homes 1 to 4: safe alone.
    # scorecard: foster's share, "20%" of the 150 (no small part, group or complement: printed). 100n/150
    # in [19.5, 20.5) means n in [29.25, 30.75): 30 only. Together: homes = 33 - 30 = 3, pinned. No count
    # relation joins the two sections, only the percentage, so before the plan read the printed
    # percentages it chose nothing and the report was refused.
    # The plan with the percentages in view: hiding foster protects nothing (the 20% gives it), so it
    # hides kinship in placements; placements is run again with kinship forced: 150 = foster + [c] + <5,
    # and its ledger no longer needs foster hidden (kinship + homes = 120 with kinship 0 or 5 and more:
    # homes 1 to 4): foster 30 is printed, as the 20% says, and the audit passes. The scorecard is not run
    # again (the plan cannot hide its percentage, and need not).
    cache, work, analyst = tmp_path / "cache", tmp_path / "work", tmp_path / "_analyst" / "2025"
    names = ("placements", "scorecard")
    runs = [_share_kernel(s, cache, work) for s in names]
    placed = _cells(runs[0])
    assert [placed[k] for k in (*PLACED, CLA_DAY)] == ["[c]", "117", "<5", "150"]
    # what the runner did before the plan read percentages: refused (the audit alone, on a copy of the run)
    before = [_share_kernel(s, tmp_path / "b4" / "cache", tmp_path / "b4" / "work") for s in names]
    with pytest.raises(DisclosureLeak) as refused:
        _audit_disclosure(before, CONFIG, tmp_path / "b4" / "_analyst")
    assert "placements/types:homes can be worked out exactly" in str(refused.value)

    calls: list[list[str]] = []

    def rerun(sections: list[Section]) -> list[SectionRun]:
        calls.append([s.name for s in sections])
        return [_share_kernel(s.name, cache, work) for s in sections]

    sections = [Section(name, name, name, path=Path(f"{name}.ipynb")) for name in names]
    chosen = _Plan(sections, [], sections, Path("report"), False, [])
    settled, _, found = settle_disclosure(runs, chosen, CONFIG, cache, analyst, rerun)
    assert found.ok and found.shares == 1
    assert calls == [["placements"]]
    placed = _cells(settled[0])
    assert [placed[k] for k in (*PLACED, CLA_DAY)] == ["30", "[c]", "<5", "150"]
    assert settled[1] is runs[1]
    ((section, _, key),) = plan.read_plan(plan.plan_path(cache))
    assert (section, key) == ("placements", "kinship")


def test_when_no_cell_can_protect_it_the_plan_hides_the_percentage_of_the_hidden_count(tmp_path):
    # The same 150 children, kinship printed across the report too (kept): placements can hide only foster
    # (homes is given by 150 - 30 - 117 otherwise), and the scorecard's "20%" says foster is 30, so homes
    # is 3 whatever cell is chosen: no choice of cells protects the report. The usual answer of
    # statistical disclosure control: a percentage of a hidden count is hidden too. The plan hides the
    # scorecard's 20% ("[c]"), only the scorecard runs again, and a reader holds foster [c] + homes <5 =
    # 33: foster 29 to 32, homes 1 to 4. The audit passes; the plan kept for the next run holds the entry.
    cache, work, analyst = tmp_path / "cache", tmp_path / "work", tmp_path / "_analyst" / "2025"
    names = ("placements", "scorecard")
    runs = [_share_kernel(s, cache, work, kept=True) for s in names]
    assert _cells(runs[1]) == {"Foster care": "20%"}
    calls: list[list[str]] = []

    def rerun(sections: list[Section]) -> list[SectionRun]:
        calls.append([s.name for s in sections])
        return [_share_kernel(s.name, cache, work, kept=True) for s in sections]

    sections = [Section(name, name, name, path=Path(f"{name}.ipynb")) for name in names]
    chosen = _Plan(sections, [], sections, Path("report"), False, [])
    settled, _, found = settle_disclosure(runs, chosen, CONFIG, cache, analyst, rerun)
    assert found.ok and found.shares == 0
    assert calls == [["scorecard"]] and settled[0] is runs[0]
    placed = _cells(settled[0])
    assert [placed[k] for k in (*PLACED, CLA_DAY)] == ["[c]", "117", "<5", "150"]
    assert _cells(settled[1]) == {"Foster care": "[c]"}
    assert plan.read_plan(plan.plan_path(cache)) == [("scorecard", plan.SHARES, f"{FOSTER}|{CLA_DAY}")]
    _keep_plan(cache, analyst, list(names))  # as the swap does: the entry the scorecard applied is kept
    assert plan.read_plan(analyst / plan.KEPT_PLAN) == [("scorecard", plan.SHARES, f"{FOSTER}|{CLA_DAY}")]
