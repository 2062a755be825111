"""The scorecard on a hand-built figures table whose judgements are worked out below, and the notebook on
the sample. The judgement rule itself is tested in tests/present/test_judgement.py."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from cpkit.config import Config, Period
from cpkit.figures import Figures
from cpkit.figures.build import combine
from cpkit.figures.headline import Headline, kpi_rows, measure_rows
from cpkit.figures.headline import combine as combine_rows
from cpkit.present.narrative import Narrative
from cpkit.publish.figure import Figure
from cpkit.sections import scorecard as sc
from cpkit.sections import scorecard_chart as chart

from ..notebook_runs import in_sample_report, run_section, shown

NAN = math.nan
P2025 = Period.from_year(2025)


def _own(measure, theme, polarity, year, value, published=NAN, **bench):
    return {
        "measure": measure,
        "label": measure,
        "theme": theme,
        "unit": "percent",
        "polarity": polarity,
        "year": year,
        "value": value,
        "numerator": value,
        "denominator": 100.0,
        "reason": "",
        "dfe_value": value,
        "dfe_numerator": value,
        "dfe_denominator": 100.0,
        "published_year": year,
        "published": published,
        "published_status": "ok",
        **bench,
    }


def figures_table() -> Figures:
    """Two measures, two years, with the DfE's published figures for 2025:

    - stab (higher is better): 65% -> 70%, +7.7% relative: Better. England 65, neighbours 66 (10): 70 is over
      a point above both: better than both. Published 70: matches. Rank 3 of 20.
    - moves (lower is better): 7% -> 12%: Worse. England 10, neighbours 9.0 (9): worse than both. Published
      14% against the council's own 12%: differs. Rank 18 of 20; 20 councils: no quartile.
    """
    rows = [
        _own("stab", "placements", "high", 2024, 65.0),
        _own("moves", "placements", "low", 2024, 7.0),
        _own(
            "stab",
            "placements",
            "high",
            2025,
            70.0,
            70.0,
            england=65.0,
            neighbour_avg=66.0,
            neighbour_n=10,
            rank=3,
            ranked=20,
            rank_text="ranked 3 of 20 councils",
            quartile_note="no quartile: only 20 councils",
        ),
        _own(
            "moves",
            "placements",
            "low",
            2025,
            12.0,
            14.0,
            england=10.0,
            neighbour_avg=9.0,
            neighbour_n=9,
            rank=18,
            ranked=20,
            rank_text="ranked 18 of 20 councils",
            quartile_note="no quartile: only 20 councils",
        ),
    ]
    return Figures(combine(pd.DataFrame(rows), P2025, Config()), {"year": 2025, "kind": "financial"})


def _card() -> Headline:
    kpis = pd.DataFrame(
        {
            "indicator": ["Visits on time"] * 2,
            "theme": ["children in care"] * 2,
            "period": ["2023-24", "2024-25"],
            "period_start": [date(2023, 4, 1), date(2024, 4, 1)],
            "period_end": [date(2024, 3, 31), date(2025, 3, 31)],
            "value": [80.0, 88.0],
            "numerator": [80.0, 88.0],
            "denominator": [100.0, 100.0],
            "target": [95.0, 95.0],
            "unit": ["percent"] * 2,
            "polarity": ["high"] * 2,
            "current": [False, True],
        }
    )
    measures = measure_rows(figures_table(), headline={"stab": "stability", "moves": "three moves"})
    return Headline(combine_rows(measures, kpi_rows(kpis, P2025, Config())), P2025, bench_year=2025)


def test_table_sentences_and_chart_from_the_same_figures():
    card = _card()
    cfg = Config()
    table, classes = sc.scorecard_table(card, cfg)
    assert table["Indicator"].tolist() == [
        "Children in care",
        "Visits on time",
        "Placements",
        "stab",
        "moves",
    ]
    visits = table.iloc[1]
    # 80% -> 88%: +10%, higher is better; 88 against a target of 95 is 7 points short: Red (Amber is 5).
    assert (visits["2023-24"], visits["2024-25"], visits["Direction of travel"]) == (
        "80.0%",  # one value a cell: each figure is for its column's year, so no period is named
        "88.0%",
        "Better \u2191",
    )
    assert "Period covered" not in table and "Quartile" not in table  # no row fills them
    assert visits["RAG against target"] == "Red" and classes == {"RAG against target": {1: "rag rag-red"}}
    moves = table.iloc[4]
    assert moves["Direction of travel"] == "Worse \u2191"
    assert moves["England (2024-25, published)"] == "10%"
    # "9.0% (9)" and "18 of 20" were two figures a cell: now one each
    assert (moves["Statistical neighbours (2024-25, published)"], moves["Neighbours averaged"]) == (
        "9.0%",
        "9",
    )
    assert (moves["Rank among councils (2024-25, published)"], moves["Councils ranked"]) == ("18", "20")
    # own 12% against the DfE's published 14%: the words say it differs, each figure is a cell of its own
    # (it was "From the council's return: 12%; published by the DfE: 14%", two figures in words)
    assert moves["Own data against published"] == "Differs"
    own, pub = moves["From the council's return"], moves["Published by the DfE"]
    assert isinstance(own, Figure) and isinstance(pub, Figure)
    assert (own, own.unit, pub, pub.unit) == ("12%", "percent", "14%", "percent")
    assert table.iloc[3]["Own data against published"] == "Matches"
    assert table.iloc[3]["From the council's return"] == table.iloc[3]["Published by the DfE"] == ""
    assert "No quartile is given: only 20 councils" in sc.table_note(card, cfg)
    lines = sc.theme_sentences(card, Narrative(config=cfg))
    assert lines == [
        "Children in care: 0 of 1 local measure with a target met it; red against target for visits on time.",
        "Placements: better than England and statistical neighbours for stability; worse than England and "
        "statistical neighbours for three moves.",
    ]
    data = chart.chart_rows(card, cfg)
    assert data["Standing"].tolist() == ["better", "worse"]
    alt = chart.chart_alt(data, "Test", "2024-25")
    assert "better than both on 1 (stability) and worse than both on 1 (three moves)." in alt


def test_small_numbers_are_hidden_everywhere():
    card = _card()
    card.frame.loc[card.frame["indicator"] == "stab", ["numerator", "denominator"]] = [3.0, 4.0]
    table, _ = sc.scorecard_table(card, Config())
    stab = table.iloc[3]  # 3 of 4: a share of a small group is [c] (the "<5" symbol is for counts only)
    assert stab["2024-25"] == "[c]" and stab["Direction of travel"] == ""
    assert "stability" not in " ".join(sc.theme_sentences(card, Narrative(config=Config())))


@pytest.mark.parametrize(
    ("unit", "value", "numerator", "denominator", "text"),
    [
        # the sample's KPI file: "Permanent exclusions of children in care", 2 in each year, a count with no
        # numerator or denominator: the value itself is the count, so it is hidden
        ("number", 2.0, NAN, NAN, "<5"),
        ("number", 6.0, NAN, NAN, "6"),
        # 75% of 8: 6 did and 2 did not; the complement is a small count, so the share is hidden
        ("percent", 75.0, 6.0, 8.0, "[c]"),
        ("percent", 95.0, 38.0, 40.0, "[c]"),  # 2 of 40 did not
        ("percent", 87.5, 35.0, 40.0, "88%"),  # 5 did not
    ],
)
def test_a_kpi_count_and_a_kpi_complement_are_hidden(unit, value, numerator, denominator, text):
    row = {"value": value, "numerator": numerator, "denominator": denominator, "unit": unit, "decimals": 0}
    assert sc.shown(row, Config()) == text
    assert sc.visible(row, Config()) == (text not in ("<5", "[c]"))


@pytest.mark.slow
@pytest.mark.parametrize(("year", "period"), [(2025, "financial"), (2024, "calendar")])
def test_scorecard_notebook_runs_on_the_sample(root, tmp_path, request, year, period):
    if (year, period) == (2025, "financial"):  # the sample's 2025 report ran it: read that run
        html = shown(in_sample_report(request.getfixturevalue("sample_report"), "07_scorecard"))
    else:
        html = shown(run_section("07_scorecard", tmp_path, year=year, period=period))
    assert "<caption>Scorecard, " in html and 'alt="Dot chart of ' in html
    assert "Own data against published" in html and "Placements: " in html
    if period == "calendar":
        assert "for the year ending 31 March 2024 (2023-24)" in html
    else:
        assert 'class="rag rag-red cp-text">Red' in html


def test_the_chart_prints_the_council_s_share_as_the_table_does_and_names_its_counts():
    # stab 2024-25 is 17 of 200 = 8.5%: printed half away from zero, "9%" in the table; pandas' round
    # (half to even) made the chart's 8, a different percentage of the same two counts (7.5-8.5 against
    # 8.5-9.5), which the report's audit reads as figures no whole numbers fit
    card = _card()
    stab = card.frame["indicator"] == "stab"
    card.frame.loc[stab, ["value", "numerator", "denominator"]] = [8.5, 17.0, 200.0]
    cfg = Config()
    table, _ = sc.scorecard_table(card, cfg)
    cell = table.loc[table["Indicator"] == "stab", "2024-25"].iloc[0]
    council = (
        chart.published_rows(chart.chart_rows(card, cfg)).set_index("Measure").at["Stability", "Council"]
    )
    keys = ("stab:numerator@2024-25", "stab:denominator@2024-25")  # cpkit.figures.keys: not a registry id
    assert (str(cell), cell.numerator, cell.denominator) == ("9%", *keys)
    assert (str(council), council.numerator, council.denominator) == ("9", *keys)
    assert council.share() == cell.share()  # one share of the same counts, searched once
