"""Scorecard rules on hand-worked figures, and the notebook on the sample."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cpkit.config import Config, Period
from cpkit.present.narrative import Narrative
from cpkit.sections import scorecard as sc

from ..notebook_runs import run_section, shown

NAN = math.nan


@pytest.mark.parametrize(
    ("prev", "cur", "polarity", "decimals", "expected"),
    [
        (10.0, 12.0, "high", 0, "Better \u2191"),
        (10.0, 12.0, "low", 0, "Worse \u2191"),
        (12.0, 10.0, "low", 0, "Better \u2193"),
        (12.0, 10.0, "high", 0, "Worse \u2193"),
        (12.0, 10.0, "neutral", 0, "Lower \u2193"),
        (47.2, 46.8, "high", 0, "No change \u2192"),  # both print as 47%
        (47.2, 46.8, "high", 1, "Worse \u2193"),  # 47.2% to 46.8% is visible at one place
        (NAN, 10.0, "high", 0, ""),
    ],
)
def test_direction_of_travel(prev, cur, polarity, decimals, expected):
    assert sc.direction(prev, cur, polarity, decimals) == expected


@pytest.mark.parametrize(
    ("value", "target", "polarity", "unit", "expected"),
    [
        (95.0, 95.0, "high", "percent", "Green"),
        (94.96, 95.0, "high", "percent", "Green"),  # prints as 95.0%: judged as printed
        (90.0, 95.0, "high", "percent", "Amber"),  # exactly 5 points short
        (89.9, 95.0, "high", "percent", "Red"),
        (20.0, 18.0, "low", "percent", "Amber"),  # lower is better: 2 points over
        (24.0, 18.0, "low", "percent", "Red"),
        (2.0, 0.0, "low", "number", "Red"),  # any exclusion against a target of none
        (113.0, 125.0, "high", "number", "Amber"),  # 12 short, margin 10% of 125 = 12.5
        (112.0, 125.0, "high", "number", "Red"),
        (50.0, 40.0, "neutral", "percent", ""),
        (50.0, NAN, "high", "percent", ""),
    ],
)
def test_rag_against_target(value, target, polarity, unit, expected):
    assert sc.rag(value, target, polarity, unit, decimals=1) == expected


@pytest.mark.parametrize(
    ("own", "published", "differs"),
    [
        (45.4, 45.0, False),  # rounds to the published 45
        (45.6, 45.0, True),
        (20.44, 20.4, False),  # published to one place: compared at one place
        (20.46, 20.4, True),
        (468.0, 456.0, True),
        (NAN, 45.0, False),
    ],
)
def test_own_against_published(own, published, differs):
    assert sc.differs_from_published(own, published) is differs


def _row(**kw):
    base = {
        "source": sc.SSDA903,
        "unit": "percent",
        "decimals": 0,
        "published_status": "ok",
        "published": 45.0,
        "check_value": 47.0,
        "check_numerator": 47.0,
        "check_denominator": 100.0,
    }
    return {**base, **kw}


def test_published_flag_text():
    cfg = Config()
    assert sc.published_flag(_row(), cfg) == "Own data 47%, published 45%"
    assert sc.published_flag(_row(check_value=45.3), cfg) == "Matches"
    assert sc.published_flag(_row(), cfg, "2024-25") == "Own data (2024-25) 47%, published 45%"
    assert sc.published_flag(_row(published_status="c", published=NAN), cfg) == "Not published (c)"
    assert sc.published_flag(_row(check_numerator=3.0), cfg) == "Own figure too small to show"
    assert sc.published_flag(_row(source=sc.LOCAL), cfg) == ""


def _indicators(values: dict[str, float]) -> pd.DataFrame:
    rows = []
    for key, (theme, unit, polarity, value) in values.items():
        rows.append(
            {
                "indicator": key,
                "label": key.replace("_", " "),
                "theme": theme,
                "value": value,
                "numerator": value,
                "denominator": 100.0,
                "unit": unit,
                "polarity": polarity,
            }
        )
    return pd.DataFrame(rows)


def _card() -> sc.Scorecard:
    spec = {"stab": ("placements", "percent", "high", 70.0), "moves": ("placements", "percent", "low", 12.0)}
    cur = _indicators(spec)
    prev = _indicators({k: (t, u, p, v - 5) for k, (t, u, p, v) in spec.items()})
    comparison = pd.DataFrame(
        {
            "measure": ["stab", "moves"],
            "england": [65.0, 10.0],
            "neighbour_avg": [66.0, 9.0],
            "neighbour_n": [10, 9],
            "rank": [3, 18],
            "ranked": [20, 20],
            "quartile": ["A", "D"],
            "la_value": [70.0, 14.0],
            "la_status": ["ok", "ok"],
        }
    )
    kpis = pd.DataFrame(
        {
            "indicator": ["Visits on time"] * 2,
            "theme": ["children in care"] * 2,
            "period": ["2023-24", "2024-25"],
            "period_end": pd.to_datetime(["2024-03-31", "2025-03-31"]),
            "value": [80.0, 88.0],
            "numerator": [80.0, 88.0],
            "denominator": [100.0, 100.0],
            "target": [95.0, 95.0],
            "unit": ["percent"] * 2,
            "polarity": ["high"] * 2,
            "current": [False, True],
        }
    )
    measures = sc.measure_rows(cur, prev, comparison, headline={"stab": "stability", "moves": "three moves"})
    return sc.Scorecard(sc.combine(measures, sc.kpi_rows(kpis)), Period.from_year(2025), bench_year=2025)


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
    assert (visits["2023-24"], visits["2024-25"], visits["Direction of travel"]) == (
        "80.0%",
        "88.0%",
        "Better \u2191",
    )
    assert visits["RAG against target"] == "Red" and classes == {"RAG against target": {1: "rag rag-red"}}
    moves = table.iloc[4]
    assert moves["Direction of travel"] == "Worse \u2191"
    assert moves["Statistical neighbours (2024-25)"] == "9.0% (9)"
    assert moves["Quartile (2024-25)"] == "D (worst)"
    assert moves["Own data against published"] == "Own data 12%, published 14%"
    assert table.iloc[3]["Own data against published"] == "Matches"
    lines = sc.theme_sentences(card, Narrative(config=cfg))
    assert lines == [
        "Children in care: 0 of 1 local measure with a target met it; red against target for visits on time.",
        "Placements: better than England and statistical neighbours for stability; worse than England and "
        "statistical neighbours for three moves.",
    ]
    data = sc.chart_rows(card, cfg)
    assert data["Standing"].tolist() == ["better", "worse"]
    alt = sc.chart_alt(data, "Test", "2024-25")
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
def test_scorecard_notebook_runs_on_the_sample(root, tmp_path, year, period):
    html = shown(run_section("07_scorecard", tmp_path, year=year, period=period))
    assert "<caption>Scorecard, " in html and 'alt="Dot chart of ' in html
    assert "Own data" in html and "Placements: " in html
    if period == "calendar":
        assert "for the year ending 31 March 2024 (2023-24)" in html
    else:
        assert 'class="rag rag-red">Red' in html
