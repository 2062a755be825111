"""The publish layer's types (issue 22): a Figure prints as its text and carries value, unit and status;
a hidden figure's true value never leaves the kernel; blocks round-trip through JSON and a notebook."""

from __future__ import annotations

import datetime
import json
import pickle

import nbformat
import pandas as pd
import papermill as pm
import pytest

from cpkit.present.disclosure import Ledger, Rule
from cpkit.present.figure_text import fmt_value, shown
from cpkit.present.judgement import printed
from cpkit.publish import MIME, Block, Figure, Status
from cpkit.publish.read import blocks_of

RULE = Rule(5, "<5")


def test_a_figure_is_its_text_and_carries_its_value() -> None:
    fig = RULE.pct(45.2, 38, 84)
    assert fig == "45%" and f"{fig} of children" == "45% of children"
    assert (fig.value, fig.unit, fig.decimals, fig.status) == (45.2, "percent", 0, Status.SHOWN)
    assert type(f"{fig}") is str and type(fig + "!") is str  # words again once it is part of a sentence


@pytest.mark.parametrize(
    ("figure", "status", "shorthand", "text"),
    [
        (RULE.count(3), Status.SMALL, "[c]", "<5"),  # the council's symbol on the page, GSS [c] in a sheet
        (RULE.count(12, hidden=True), Status.SECONDARY, "[c]", "[c]"),
        (RULE.count(12), Status.SHOWN, None, "12"),
        (RULE.count(0), Status.SHOWN, None, "0"),  # zero identifies no child
        (RULE.pct(40.0, 2, 5), Status.SECONDARY, "[c]", "[c]"),  # 2 of 5: numerator small
        (RULE.pct(float("nan"), 0, 0), Status.NOT_APPLICABLE, "[z]", ""),  # a share of no one
        (RULE.count(None), Status.NOT_AVAILABLE, "[x]", ""),
        (RULE.average(3.5, 3), Status.SECONDARY, "[c]", "[c]"),  # averaged over 3 children
        (RULE.words(2), Status.SMALL, "[c]", "fewer than 5"),
    ],
)
def test_status_and_shorthand(figure: Figure, status: Status, shorthand: str | None, text: str) -> None:
    assert (figure.status, figure.shorthand(), str(figure)) == (status, shorthand, text)
    assert figure.hidden == (status in (Status.SMALL, Status.SECONDARY))


def test_a_hidden_figure_never_carries_its_value_into_json() -> None:
    small, protected = RULE.count(3, key="homes"), RULE.count(17, hidden=True, key="foster")
    for fig in (small, protected):
        assert fig.value in (3, 17)  # the kernel still knows it
        data = fig.to_json()
        assert data["value"] is None and "3" not in json.dumps(data).replace('"<5"', "")
        assert Figure.from_json(data).value is None
    assert small.to_json()["key"] == "homes"


def test_a_shown_figure_travels_at_the_precision_it_is_printed() -> None:
    # 5 of 6 is 83.333...%: printed "83%", the extra digits would tell a reader it is 5 of 6, not 10 of 12
    fig = RULE.pct(100 * 5 / 6, 50, 60)
    assert fig.to_json()["value"] == 83
    assert printed(2.45, 1).to_json()["value"] == 2.5  # half away from zero, as printed


def test_round_trips_json_and_pickle() -> None:
    figures = [
        RULE.count(1234, key=("placements", "foster")),
        Figure("31 Mar 2025", datetime.date(2025, 3, 31), "date"),
        RULE.pct(12.5, 10, 80, decimals=1),
        Figure("[z]", None, "percent", 0, Status.NOT_APPLICABLE, "no earlier year"),
    ]
    for fig in figures:
        back = Figure.from_json(json.loads(json.dumps(fig.to_json())))
        assert (str(back), back.value, back.unit, back.decimals, back.status, back.reason, back.key) == (
            str(fig),
            fig.value,
            fig.unit,
            fig.decimals,
            fig.status,
            fig.reason,
            fig.key,
        )
        kept = pickle.loads(pickle.dumps(RULE.count(3, key="k")))
        assert (kept, kept.value, kept.status, kept.key) == ("<5", 3, Status.SMALL, "k")  # memory keeps it
    assert figures[0].key == "placements/foster"


def test_block_round_trip() -> None:
    block = Block(
        id="01_children_in_care/placement-type",
        kind="table",
        caption="Placement type",
        columns=["Placement", "Children"],
        rows=[["Foster care", RULE.count(12, key="f")], ["Children's homes", RULE.count(2, key="h")]],
        notes=["a note"],
        measures=["cla_count"],
        population="children in care at 31 March 2025",
        relations=[{"t": 1, "f": -1, "h": -1}],
    )
    back = Block.from_json(json.loads(json.dumps(block.to_json())))
    assert back.rows[0][0] == "Foster care" and not isinstance(back.rows[0][0], Figure)
    assert back.rows[0][1].value == 12 and back.rows[1][1].status == Status.SMALL
    assert back.rows[1][1].value is None
    assert (back.id, back.notes, back.measures, back.population, back.relations) == (
        block.id,
        block.notes,
        block.measures,
        block.population,
        block.relations,
    )


def test_central_formatters_keep_their_text() -> None:
    ledger = Ledger(Rule(5, "<5", test="exact"))
    for k, v in {"total": 8, "a": 6, "b": 2}.items():
        ledger.add(k, v)
    ledger.total("total", ["a", "b"])
    # b = 2 is small; a = 6 would give it away from the total 8, so one of a/total is hidden too (under
    # the exact test: "[c]" a beside 8 leaves b 1 to 3, not pinned; the interval test hides both)
    cells = {k: ledger.text(k) for k in ("total", "a", "b")}
    assert cells["b"] == "<5" and cells["b"].key == ledger.key_of("b") and cells["b"].key.endswith(":b")
    assert [c.status for c in cells.values()].count(Status.SECONDARY) == 1
    row = pd.Series(
        {
            "value": 92.94,
            "unit": "percent",
            "decimals": 1,
            "numerator": 800,
            "denominator": 860.8,
            "period_text": "2024-25 Q4",
        }
    )
    assert shown(row, _config()) == "92.9% (2024-25 Q4)"
    assert shown(row, _config(), period=False).value == 92.94
    assert (
        fmt_value(12.345, "rate_per_10k", 1) == "12.3"
        and fmt_value(12.3, "rate_per_10k", 1).unit == "rate per 10,000"
    )
    assert printed(1234.5) == "1,235" and printed(-0.2) == "0"


def test_a_frame_of_figures_keeps_them() -> None:
    # pandas 3 would store this column in its string dtype and hand back plain str
    from cpkit.publish import frame

    assert isinstance(frame({"n": [RULE.count(3)]}).iloc[0, 0], Figure)


def _config() -> object:
    class C:
        small_number_threshold = 5
        suppression_symbol = "<5"

    return C()


BODY = """import pandas as pd
from cpkit.present import show_chart, show_table
from cpkit.present.disclosure import Rule
import matplotlib.pyplot as plt
rule = Rule(5, "<5")
frame = pd.DataFrame(dtype=object, data={
    "Placement": ["Foster care", "Children's homes", "Total"],
    "Children": [rule.count(17, hidden=True), rule.count(3), rule.count(20)],
    "Share": [rule.pct(85.0, 17, 20), rule.pct(15.0, 3, 20), rule.pct(100.0, 20, 20)],
    "Raw": [1.5, 2, None],
})
show_table(frame, caption="Placement type", measures=["placement_type"])
show_table(frame, caption="Placement type")
fig, ax = plt.subplots()
ax.bar(["a", "b"], [1, 2])
show_chart(fig, "Bar chart: b is twice a in the test data", caption="Test figure",
           data=pd.DataFrame({"Group": ["a", "b"], "Children": [rule.count(10), rule.count(2)]}, dtype=object))
"""


def test_an_executed_section_gives_its_blocks_back_typed(tmp_path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(BODY)]
    source, out = tmp_path / "src.ipynb", tmp_path / "03_placements.ipynb"
    nbformat.write(nb, str(source))
    pm.execute_notebook(str(source), str(out), kernel_name="python3", progress_bar=False, start_timeout=120)
    blocks = blocks_of(out)
    assert [b.id for b in blocks] == [
        "03_placements/placement-type",
        "03_placements/placement-type-2",  # the same caption twice: numbered in order
        "03_placements/test-figure",
    ]
    first = blocks[0]
    assert (first.kind, first.measures, blocks[2].kind) == ("table", ["placement_type"], "chart")
    foster, homes, total = (row[1] for row in first.rows)
    assert (foster.status, homes.status, total.value) == (Status.SECONDARY, Status.SMALL, 20)
    assert foster.value is None and homes.value is None  # the kernel's true 17 and 3 never reached the file
    assert first.rows[2][2].value == 100 and first.rows[1][2].status == Status.SECONDARY
    assert first.rows[0][3].value == 1.5 and first.rows[2][3] == ""  # a raw number typed; a gap is no figure
    assert first.rows[0][0] == "Foster care" and not isinstance(first.rows[0][0], Figure)
    raw = out.read_text()
    assert MIME in raw and '"value": 17' not in raw and '"value": 3' not in raw


@pytest.mark.parametrize("name", [None, "placements"])
def test_nothing_that_travels_depends_on_a_hidden_value(name) -> None:
    """Two councils whose tables differ only in a hidden count (3 or 4 children's homes, both "<5") publish
    the same bytes: a figure's key, its ledger's name and every other field that goes into a notebook are
    the same, so nothing (not even a digest over the ledger's values) lets a reader tell 3 from 4."""
    published = []
    for homes in (3, 4):
        ledger = Ledger(RULE, name=name) if name else Ledger(RULE)
        ledger.add("foster", 20)
        ledger.add("homes", homes)
        ledger.add(
            "other",
            7,
        )
        ledger.hide("other")
        cells = [ledger.text(k) for k in ("foster", "homes", "other")]
        block = Block(
            "s/t",
            "table",
            "Placements",
            ["Type", "Children"],
            [[k, c] for k, c in zip(("f", "h", "o"), cells, strict=True)],
        )
        published.append(json.dumps(block.to_json(), sort_keys=True))
    assert published[0] == published[1]


def test_a_percentage_names_the_counts_it_divides_and_its_block_records_it(tmp_path) -> None:
    """A percentage Figure carries the document keys of its numerator and denominator through JSON, a
    notebook and ``blocks_of``; a block gathers a shown one into its shares (what the report's audit
    searches), never a hidden one (it tells a reader nothing)."""
    # 38 of 90 is 42.2...%, printed "42%": the share travels at the printed precision
    shown_pct = RULE.pct(100 * 38 / 90, 38, 90).with_counts("sec/ledger-1:left", "cla@2025-03-31")
    hidden_pct = RULE.pct(100 * 3 / 90, 3, 90).with_counts("sec/ledger-1:homes", "cla@2025-03-31")  # 3 small
    back = Figure.from_json(json.loads(json.dumps(shown_pct.to_json())))
    assert (back.numerator, back.denominator, back.value) == ("sec/ledger-1:left", "cla@2025-03-31", 42)
    kept = pickle.loads(pickle.dumps(shown_pct))
    assert (kept.numerator, kept.denominator) == ("sec/ledger-1:left", "cla@2025-03-31")
    assert RULE.count(12).to_json().keys() == {"text", "value", "unit", "decimals", "status", "reason", "key"}
    block = Block(
        "s/t", "table", "Left care", ["Group", "Share"], [["Left", shown_pct], ["Homes", hidden_pct]]
    )
    want = [
        {"numerator": "sec/ledger-1:left", "denominator": "cla@2025-03-31", "percent": 42.0, "decimals": 0}
    ]
    assert block.shares == want  # the hidden 3% is no share
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "", outputs=[nbformat.v4.new_output("display_data", data={MIME: block.to_json()})]
        )
    ]
    path = tmp_path / "02_leaving_care.ipynb"
    nbformat.write(nb, str(path))
    (read,) = blocks_of(path)
    assert read.shares == want  # read back once, not twice (the block gathers again and finds it there)
    assert (read.rows[1][1].numerator, read.rows[1][1].value) == ("sec/ledger-1:homes", None)


def test_a_ledger_share_names_its_counts() -> None:
    ledger = Ledger(RULE, name="care")
    ledger.add("left", 38)
    ledger.add("all", 90, shared="cla@2025-03-31")
    pct = ledger.share("left", "all")
    assert (str(pct), pct.numerator, pct.denominator) == ("42%", "care:left", "cla@2025-03-31")
    assert ledger.shares == [pct.share()]


def test_a_blocks_record_is_the_same_whatever_order_its_signed_figures_were_gathered_in():
    # the signed keys are gathered from sets, whose order changes from process to process: the recorded
    # block (in every executed notebook) must not, or two runs on the same data differ for nothing
    def record(signed: list[str]) -> str:
        block = Block(id="t", kind="table", caption="c", columns=["a"], rows=[], signed=signed)
        return json.dumps(block.to_json())

    assert record(["net@2025", "change@2024"]) == record(["change@2024", "net@2025"])
