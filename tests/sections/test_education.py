"""Education section: the RAG-against-target rule, direction of travel, and the table and sentences on a
hand-built KPI file whose answers are worked out below; plus a papermill run on the sample."""

from __future__ import annotations

import shutil

import pytest

from cpkit.config import Config, Period
from cpkit.present.narrative import Narrative
from cpkit.sections import education as ed

from ..conftest import SAMPLE_DIR
from ..notebook_runs import in_sample_report, run_section, shown

P2025 = Period.from_year(2025)
CONFIG = Config()


@pytest.mark.parametrize(
    ("value", "target", "polarity", "unit", "expected"),
    [
        (95.0, 95.0, "high", "percent", ed.MET),  # exactly on target is met
        (96.0, 95.0, "high", "percent", ed.MET),
        (90.0, 95.0, "high", "percent", ed.NEAR),  # 5 points short: still close (default 5 points)
        (89.9, 95.0, "high", "percent", ed.MISSED),
        (17.0, 18.0, "low", "percent", ed.MET),  # low is good: under target is met
        (22.7, 18.0, "low", "percent", ed.NEAR),  # 4.7 points over
        (23.1, 18.0, "low", "percent", ed.MISSED),  # 5.1 points over
        (20.5, 22.0, "high", "score", ed.NEAR),  # score points count like percentage points
        (2.0, 0.0, "low", "number", ed.MISSED),  # counts: within 5% of a target of 0 is 0
        (96.0, 100.0, "high", "number", ed.NEAR),  # 4 short of 100: within 5%
        (94.0, 100.0, "high", "number", ed.MISSED),
        (50.0, 40.0, "neutral", "percent", None),  # no RAG for a neutral measure
        (50.0, None, "high", "percent", None),  # nor without a target
    ],
)
def test_rag_against_target(value, target, polarity, unit, expected):
    assert ed.rag(value, target, polarity, unit) == expected


def test_close_to_target_follows_the_council_s_setting():
    from cpkit.config import JudgementSettings

    strict = Config(judgement=JudgementSettings(amber_points=3.0))
    assert ed.rag(92.0, 95.0, "high", "percent", strict) == ed.NEAR  # 3 points short
    assert ed.rag(91.9, 95.0, "high", "percent", strict) == ed.MISSED  # 5 points would have been close
    assert ed.amber_text(strict).startswith("up to 3 percentage points")
    assert "5" not in ed.NEAR  # the label itself names no threshold


@pytest.mark.parametrize(
    ("old", "new", "polarity", "expected"),
    [
        (50.0, 60.0, "high", ed.IMPROVED),
        (50.0, 60.0, "low", ed.WORSE),
        (50.0, 40.0, "low", ed.IMPROVED),
        (50.0, 50.4, "high", ed.SAME),  # 0.8% relative change is under the 1% "stable" threshold
        (50.0, 60.0, "neutral", "Higher"),
        (None, 60.0, "high", ""),
    ],
)
def test_direction_follows_polarity(old, new, polarity, expected):
    assert ed.direction(old, new, polarity, CONFIG) == expected


KPI_CSV = """indicator,theme,period,value,numerator,denominator,target,polarity,unit,source
Attendance,education,2023-24,93.6,191,204,93,high,percent,VS
Attendance,education,2024-25,87.4,167,191,93,high,percent,VS
Suspensions,education,2023-24,8.5,17,199,9,low,percent,VS
Suspensions,education,2024-25,8.0,16,200,9,low,percent,VS
Exclusions,education,2023-24,2,,,0,low,number,VS
Exclusions,education,2024-25,6,,,0,low,number,VS
KS2,education,2024-25,30.0,3,10,40,high,percent,VS
Attainment 8,education,2023-24,20.0,,,,high,score,VS
Attainment 8,education,2021-22,19.0,,,,high,score,VS
Attendance,education,2025-26 Q1,90.0,90,100,93,high,percent,VS
Reviews on time,children in care,2024-25,90,90,100,95,high,percent,IRO
"""


@pytest.fixture()
def kpis(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text(KPI_CSV, encoding="utf-8")
    return ed.read_education(path, P2025)


def test_figures_table_and_sentences_from_a_hand_built_file(kpis):
    figures = ed.education_figures(kpis, P2025, CONFIG)
    # Attainment 8 has no 2024-25 figure and the reviews KPI is another theme: neither is reported; rows
    # for other years (2021-22, 2025-26 Q1) are left out.
    assert list(figures["indicator"]) == ["Attendance", "Suspensions", "Exclusions", "KS2"]
    assert ed.missing_this_year(kpis) == ["Attainment 8"]
    table, classes = ed.education_table(figures, P2025, CONFIG)
    att = table.iloc[0]
    # one value a cell: the change's unit is in the heading
    assert (att["2023-24"], att["2024-25"], att["Change (points)"]) == ("93.6%", "87.4%", "-6.2")
    assert "Period covered" not in table  # every figure is for a whole year
    assert (att["Direction of travel"], att["Against target"]) == ("Worse", "Missed")  # 5.6 points short
    sus = table.iloc[1]
    assert (sus["Direction of travel"], sus["Against target"]) == ("Improved", "Met")
    exc = table.iloc[2]  # 2 last year is a small count: hidden, so no change or direction is given
    assert (exc["2023-24"], exc["2024-25"], exc["Change (points)"], exc["Direction of travel"]) == (
        "<5",
        "6",
        "",
        "",
    )
    assert exc["Against target"] == "Missed"
    # blank on the page, typed for the workbook: a change from a hidden count is hidden ([c]), a change
    # with no figure last year cannot exist ([z]; KS2's is hidden with its share); a count of 6 is a count
    from cpkit.publish.figure import Status

    assert exc["Change (points)"].status == Status.SECONDARY and exc["2024-25"].unit == "count"
    assert ed.change_text(None, "percent", False).status == Status.NOT_APPLICABLE
    ks2 = table.iloc[3]  # 3 of 10: the numerator is small, so the percentage is hidden ([c]: not a count)
    assert (ks2["2024-25"], ks2["Direction of travel"], ks2["Against target"]) == (
        "[c]",
        "No figure last year",
        "Missed",
    )
    assert classes == {
        "Against target": {0: "rag rag-missed", 1: "rag rag-met", 2: "rag rag-missed", 3: "rag rag-missed"}
    }

    sentences = ed.education_sentences(figures, P2025, Narrative(config=CONFIG))
    assert sentences[0] == (
        "Of the 4 education measures with a target, 1 met it in 2024-25, 0 were close to it and 3 missed it."
    )
    assert sentences[1] == (
        "Attendance fell, from 93.6% in 2023-24 to 87.4% in 2024-25, a decline. The target was 93.0%: missed."
    )
    assert sentences[2].startswith(
        "Suspensions fell, from 8.5% in 2023-24 to 8.0% in 2024-25, an improvement."
    )
    assert sentences[3] == (
        "Exclusions: 6 in 2024-25, compared with fewer than 5 in 2023-24. The target was 0: missed."
    )
    assert sentences[4].startswith(
        "KS2: not shown, to protect small numbers in 2024-25 (no figure for the year before)."
    )


def test_chart_alt_states_the_message(kpis):
    figures = ed.education_figures(kpis, P2025, CONFIG)
    fig, alt = ed.education_chart(figures, P2025)
    assert "3 education percentages" in alt
    assert "1 of the 3 with a target met it" in alt
    assert "Suspensions improved most, from 8.5% to 8.0%" in alt
    assert "Attendance worsened most, from 93.6% to 87.4%" in alt


def test_a_quarter_is_used_when_the_year_has_no_whole_year_figure(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text(
        KPI_CSV.splitlines()[0] + "\nPEPs,education,2024-25 Q2,90,90,100,95,high,percent,VS\n"
        "PEPs,education,2024-25 Q3,92,92,100,95,high,percent,VS\n",
        encoding="utf-8",
    )
    figures = ed.education_figures(ed.read_education(path, P2025), P2025, CONFIG)
    table, _ = ed.education_table(figures, P2025, CONFIG)
    assert table.loc[0, "2024-25"] == "92.0%"  # the latest quarter's figure, named in its own column
    assert table.loc[0, "Period covered"] == "2024-25 Q3; no full-year figure"
    assert table.loc[0, "Against target"] == ed.NEAR


def test_no_file_and_no_education_rows(tmp_path):
    assert ed.read_education(tmp_path / "absent.csv", P2025) is None
    path = tmp_path / "kpis.csv"
    path.write_text(
        KPI_CSV.splitlines()[0]
        + "\nReviews on time,children in care,2024-25,90,90,100,95,high,percent,IRO\n",
        encoding="utf-8",
    )
    kpis = ed.read_education(path, P2025)
    assert ed.education_figures(kpis, P2025, CONFIG).empty
    assert ed.education_chart(ed.education_figures(kpis, P2025, CONFIG), P2025) is None


@pytest.mark.slow
def test_notebook_runs_on_the_sample(sample_report):
    # the section on the sample for 2025, as the sample's report ran it (not run a second time here)
    html = shown(in_sample_report(sample_report, "04_education"))
    assert "Of the 7 education measures with a target, 1 met it in 2024-25" in html
    assert 'class="rag rag-missed cp-text">Missed' in html
    assert 'alt="Bar chart of 5 education percentages' in html


@pytest.mark.slow
def test_notebook_says_so_when_there_are_no_education_figures(tmp_path):
    shutil.copy(SAMPLE_DIR / "cpkit.yaml", tmp_path / "cpkit.yaml")  # a council's settings, no KPI file
    out = run_section("04_education", tmp_path / "out", year=2025, data_dir=str(tmp_path))
    assert "No local KPI file was found (kpis.csv)" in shown(out)


def test_the_exclusions_sentence_prints_the_tables_counts_under_its_keys(kpis):
    # Exclusions, a count: 2 in 2023-24 (small: "<5" in the table, "fewer than 5" in the sentence) and 6
    # in 2024-25. The table's two cells and the sentence's two figures carry one key per year, so the
    # report's audit holds each as one figure: "fewer than 5" and "<5" agree, and the 6 is printed once.
    from cpkit.present.tables import table_block
    from cpkit.publish.block import Block
    from cpkit.publish.ledger import audit_blocks
    from cpkit.publish.text import forget, gather, text_block

    figures = ed.education_figures(kpis, P2025, CONFIG)
    table, _ = ed.education_table(figures, P2025, CONFIG)
    exc = table.iloc[2]
    assert (exc["2023-24"].key, exc["2024-25"].key) == (
        "kpi:Exclusions@2023-24",
        "kpi:Exclusions@2024-25",
    )
    forget()
    said = ed.education_sentences(figures, P2025, Narrative(config=CONFIG))
    (exclusions,) = [s for s in gather(" ".join(said)) if str(s).startswith("Exclusions")]
    assert [(f.key, f.value, str(f)) for f in exclusions.figures] == [
        ("kpi:Exclusions@2024-25", 6, "6"),
        ("kpi:Exclusions@2023-24", 2, "fewer than 5"),
    ]

    def placed(block: Block) -> Block:
        back = Block.from_json(block.to_json())
        back.id = f"04_education/{back.id}"
        return back

    blocks = [placed(table_block(table, "Education")), placed(text_block([exclusions]))]
    found = audit_blocks(blocks, 5)
    assert found.ok, found.problems()
    forget()
    # the scorecard and the executive summary print the same KPI's row (cpkit.figures.headline): the
    # same two counts under the same keys, so a report printing 6 and "<5" there is one figure each
    from cpkit.figures.headline import kpi_rows
    from cpkit.present.figure_text import shown

    row = kpi_rows(kpis, P2025, CONFIG).set_index("indicator").loc["Exclusions"]
    now, then = shown(row, CONFIG), shown(row, CONFIG, "previous_")
    assert (now.key, now.value, then.key, then.status) == (
        "kpi:Exclusions@2024-25",
        6,
        "kpi:Exclusions@2023-24",
        "small",
    )
