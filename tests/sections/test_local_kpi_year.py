"""One rule for which KPI row is the year's figure (``cpkit.kpis.year_figures``), followed by the scorecard,
the executive summary and the education section, on a hand-built KPI file whose answers are worked out
below; and the period printed beside every local KPI figure."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cpkit.config import Config, Period
from cpkit.figures.headline import NOT_LIKE_FOR_LIKE, Headline, kpi_rows
from cpkit.kpis import load_kpis, year_figures
from cpkit.present.narrative import Narrative
from cpkit.sections import education as ed
from cpkit.sections import scorecard as sc
from cpkit.sections import summary as su

P2025 = Period.from_year(2025)

# A council's sheet with a full-year row and a Q4 row for the same year (as the file had):
# - PEPs: 2024-25 full year 190/200 = 95.0% (target 95: met, Green); its Q4 150/170 = 88.2% would be
#   6.8 points short (Red). 2023-24: 186/200 = 93.0%, so the year improved.
# - Visits: full year 325/350 = 92.9% (2.1 points short of 95: Amber); Q4 290/350 = 82.9% (Red).
# - Care leavers' accommodation: kept as quarter-end snapshots only this year: Q3 186/200 = 93.0%,
#   Q4 188/200 = 94.0% (the latest, target 90: Green); last year a full-year figure 172/200 = 86.0%.
#   A Q4 snapshot and a year's figure are different things: both shown with their periods, not compared.
KPIS = """indicator,theme,period,value,numerator,denominator,target,polarity,unit,source
PEPs up to date,education,2024-25,95.0,190,200,95,high,percent,VS
PEPs up to date,education,2024-25 Q4,88.2,150,170,95,high,percent,VS
PEPs up to date,education,2023-24,93.0,186,200,95,high,percent,VS
Statutory visits up to date,children in care,2024-25,92.9,325,350,95,high,percent,CMS
Statutory visits up to date,children in care,2024-25 Q4,82.9,290,350,95,high,percent,CMS
Suitable accommodation,care leavers,2024-25 Q3,93.0,186,200,90,high,percent,LC
Suitable accommodation,care leavers,2024-25 Q4,94.0,188,200,90,high,percent,LC
Suitable accommodation,care leavers,2023-24,86.0,172,200,90,high,percent,LC
"""


@pytest.fixture()
def kpi_file(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text(KPIS, encoding="utf-8")
    return path


def test_the_year_s_figure_is_the_full_year_row_and_a_quarter_is_named_as_one(kpi_file):
    figs = year_figures(load_kpis(kpi_file, P2025), P2025).set_index("indicator")
    assert figs.loc["PEPs up to date", ["value", "period_text"]].tolist() == [95.0, "2024-25"]
    assert figs.loc["Statutory visits up to date", "value"] == 92.9
    leavers = figs.loc["Suitable accommodation"]
    assert (leavers["value"], leavers["period_text"]) == (94.0, "2024-25 Q4; no full-year figure")
    assert (leavers["previous_value"], leavers["previous_period_text"]) == (86.0, "2023-24")
    assert not leavers["comparable"] and figs.loc["PEPs up to date", "comparable"]


def test_scorecard_summary_and_education_give_the_same_figure_with_its_period(kpi_file):
    kpis = load_kpis(kpi_file, P2025)
    card = Headline(kpi_rows(kpis, P2025, Config()), P2025)
    table, _ = sc.scorecard_table(card, Config())
    rows = table.set_index("Indicator")
    # the full-year rows, not the Q4 ones (88.2% Red and 82.9% Red before)
    assert rows.loc["PEPs up to date", ["2023-24", "2024-25", "RAG against target"]].tolist() == [
        "93.0%",
        "95.0%",
        "Green",
    ]
    assert rows.loc["Statutory visits up to date", ["2024-25", "RAG against target"]].tolist() == [
        "92.9%",
        "Amber",
    ]
    # one value a cell: the figure alone, and the quarter it covers in "Period covered" (each year's
    # full-year figure is for its column's year, so none is named for them)
    leavers = rows.loc["Suitable accommodation"]
    assert (leavers["2024-25"], leavers["2023-24"]) == ("94.0%", "86.0%")
    assert leavers["Period covered"] == "2024-25 Q4; no full-year figure"
    assert rows.loc["PEPs up to date", "Period covered"] == ""
    assert "Period covered: the period a local measure's figures are for" in sc.table_note(card, Config())
    # a year's figure and a quarter's are not compared: no direction of travel, said so in words
    assert leavers["Direction of travel"] == NOT_LIKE_FOR_LIKE

    narrative = Narrative(config=Config())
    # nothing is red once the year's figures are used (the Q4 rows made PEPs and visits red)
    # (no England or neighbour figures for local KPIs: nothing to compare them with is said as such)
    assert su.focus(card, {}, None, narrative) == [narrative.say("executive_summary.no_focus_unpublished")]
    top = su.moves(card, Config())
    assert "Suitable accommodation" not in set(top["label"])  # not compared, so not a move
    pep = top.set_index("label").loc["PEPs up to date"]
    moves = su.moves_table(top, card, Config()).set_index("Measure")
    assert moves.loc["PEPs up to date", "2024-25"] == "95.0%"
    assert "Period covered" not in moves  # no move is for a part of a year
    assert pep["value"] == 95.0

    ed_figs = ed.education_figures(ed.read_education(kpi_file, P2025), P2025, Config())
    ed_table, _ = ed.education_table(ed_figs, P2025, Config())
    assert ed_table.loc[0, ["2024-25", "Against target"]].tolist() == ["95.0%", ed.MET]  # as the scorecard


def test_education_names_a_part_year_figure_and_does_not_compare_it(tmp_path):
    # PEPs kept quarterly this year (latest Q4: 150/170 = 88.2%), a full-year figure last year (93.0%)
    path = tmp_path / "kpis.csv"
    path.write_text("\n".join(KPIS.splitlines()[0:1] + KPIS.splitlines()[2:4]) + "\n", encoding="utf-8")
    figures = ed.education_figures(ed.read_education(path, P2025), P2025, Config())
    table, _ = ed.education_table(figures, P2025, Config())
    # the figure alone in its cell; the part of the year it covers in a column of its own
    assert table.loc[0, "2024-25"] == "88.2%"
    assert table.loc[0, "Period covered"] == "2024-25 Q4; no full-year figure"
    assert (table.loc[0, "Change (points)"], table.loc[0, "Direction of travel"]) == ("", ed.NOT_COMPARED)
    sentences = ed.education_sentences(figures, P2025, Narrative(config=Config()))
    assert sentences[1] == (
        "PEPs up to date: 88.2% in 2024-25 Q4 (no full-year figure), and 93.0% in 2023-24; the two figures "
        "cover different parts of the year, so they are not compared. The target was 95.0%: missed."
    )


def test_a_year_with_two_part_year_rows_takes_the_latest_and_compares_like_with_like():
    # Q4 against last year's Q4: the same part of the year, so compared (80 -> 90, higher is better)
    rows = pd.DataFrame(
        {
            "indicator": ["X"] * 3,
            "theme": ["health"] * 3,
            "unit": ["percent"] * 3,
            "polarity": ["high"] * 3,
            "period": ["2023-24 Q4", "2024-25 Q3", "2024-25 Q4"],
            "period_start": [date(2024, 1, 1), date(2024, 10, 1), date(2025, 1, 1)],
            "period_end": [date(2024, 3, 31), date(2024, 12, 31), date(2025, 3, 31)],
            "value": [80.0, 70.0, 90.0],
            "numerator": [float("nan")] * 3,
            "denominator": [float("nan")] * 3,
            "target": [float("nan")] * 3,
        }
    )
    got = year_figures(rows, P2025).iloc[0]
    assert (got["value"], got["previous_value"], got["comparable"]) == (90.0, 80.0, True)
    assert got["previous_period_text"] == "2023-24 Q4; no full-year figure"


def _measure_row(key: str, label: str, value: float, theme: str, standing: str) -> dict:
    """An SSDA903 headline row as the figures table gives it (value of 100 children, no target)."""
    from cpkit.figures.headline import COLUMNS, SSDA903

    return {c: float("nan") for c in COLUMNS} | {
        "theme": theme,
        "source": SSDA903,
        "indicator": key,
        "label": label,
        "short": label,
        "unit": "percent",
        "polarity": "high",
        "decimals": 0,
        "value": value,
        "numerator": value,
        "denominator": 100.0,
        "rag": "",
        "ranked": 0,
        "vs_england": standing,
        "vs_neighbours": standing,
        "period_text": "",
        "previous_period_text": "",
    }


def test_a_local_kpi_and_the_dfe_measure_of_the_same_thing_judged_opposite_ways_say_why(tmp_path):
    from cpkit.figures.headline import combine, contrasts

    # SDQs: the council's own KPI 111/158 = 70.3%, 14.7 points short of its target of 85: Red; the DfE
    # measure (OC2 cohort aged 5-16) 84% is better than England and neighbours. Suitable accommodation:
    # the KPI 188/200 = 94.0% meets 90 (Green), the DfE measure for 17-18 year olds (72%) is worse than
    # both. Initial health assessments (a different thing from the DfE's annual ones) are not matched.
    path = tmp_path / "kpis.csv"
    path.write_text(
        "indicator,theme,period,value,numerator,denominator,target,polarity,unit,source\n"
        "SDQ completed for children aged 4-16,health,2024-25,70.3,111,158,85,high,percent,CMS\n"
        "Care leavers in suitable accommodation,care leavers,2024-25,94.0,188,200,90,high,percent,LC\n"
        "Initial health assessments in 20 days,health,2024-25,50.0,50,100,75,high,percent,NHS\n",
        encoding="utf-8",
    )
    local = kpi_rows(load_kpis(path, P2025), P2025, Config())
    measures = pd.DataFrame(
        [
            _measure_row("sdq_received_pct", "Children with an SDQ score (%)", 84.0, "health", "better"),
            _measure_row("health_assessment_pct", "Health assessments (%)", 90.0, "health", "better"),
            _measure_row(
                "leavers_suitable_accom_17_18_pct",
                "Care leavers 17-18 suitably housed (%)",
                72.0,
                "care leavers",
                "worse",
            ),
        ]
    )
    frame = combine(measures, local)
    found = contrasts(frame, Config())
    assert [(c.local, c.measure) for c in found] == [
        ("SDQ completed for children aged 4-16", "sdq_received_pct"),
        ("Care leavers in suitable accommodation", "leavers_suitable_accom_17_18_pct"),
    ]
    sdq = found[0].text
    assert sdq.startswith(
        "SDQ completed for children aged 4-16 (local KPI, 70.3% (2024-25)) is red against its target of "
        "85.0%, while children with an SDQ score (from the SSDA903 return, 84%) is better than England "
        "and statistical neighbours"
    )
    assert "judged against the council's target" in sdq and "OC2 cohort children aged 5-16" in sdq

    card = Headline(frame, P2025, contrasts=found)
    assert sdq in sc.table_note(card, Config())
    focus = su.focus(
        card,
        {"worst": frame[frame["indicator"] == "leavers_suitable_accom_17_18_pct"]},
        None,
        Narrative(config=Config()),
    )
    # the red KPI's focus item and the worse-than-both measure's each say why the other figure disagrees
    assert any(
        f.startswith("SDQ completed for children aged 4-16: 70.3% (2024-25)") and sdq in f for f in focus
    )
    assert any(
        f.startswith("Care leavers 17-18 suitably housed: worse") and found[1].text in f for f in focus
    )
