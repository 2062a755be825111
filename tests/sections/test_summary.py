"""Executive summary on hand-worked figures, and the notebook on the sample."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from cpkit.config import Config, Period
from cpkit.present.narrative import Narrative
from cpkit.sections import scorecard as sc
from cpkit.sections import summary as su

from ..notebook_runs import run_section, shown


def _card() -> sc.Scorecard:
    def row(key, unit, polarity, prev, cur, target=float("nan")):
        return {c: float("nan") for c in sc.COLUMNS} | {
            "theme": "placements",
            "source": sc.SSDA903,
            "indicator": key,
            "label": key,
            "short": key,
            "unit": unit,
            "polarity": polarity,
            "decimals": 0,
            "value": cur,
            "numerator": cur,
            "denominator": 100.0,
            "previous_value": prev,
            "previous_numerator": prev,
            "previous_denominator": 100.0,
            "target": target,
        }

    frame = pd.DataFrame(
        [
            row("Stability (%)", "percent", "high", 60.0, 66.0),  # +10%, better
            row(
                "Moves (%)", "percent", "low", 10.0, 15.0, target=10.0
            ),  # +50%, worse; red (5 points over is amber)
            row("Entries", "number", "neutral", 200.0, 180.0),  # -10%, no judgement
            row("Flat (%)", "percent", "high", 50.2, 49.9),  # both print as 50%: left out
            row("Tiny", "number", "high", 3.0, 9.0),  # last year hidden by the small-number rule: left out
        ]
    )
    frame.loc[frame["indicator"] == "Moves (%)", "target"] = 9.0
    return sc.Scorecard(frame, Period.from_year(2025), bench_year=2025)


def test_moves_are_the_largest_relative_changes_with_polarity_words():
    card, cfg = _card(), Config()
    top = su.moves(card, cfg, n=2)
    assert top["indicator"].tolist() == ["Moves (%)", "Stability (%)"]
    assert su.moves_table(top, card, cfg)["Relative change"].tolist() == ["+50%", "+10%"]
    lines = su.moves_sentences(su.moves(card, cfg), Narrative(config=cfg))
    assert lines == [
        "The share of moves rose, from 10% to 15% (a deterioration).",
        "The share of stability rose, from 60% to 66% (an improvement).",
        "Entries fell, from 200 to 180.",
    ]


def test_standing_picks_quartile_a_and_d_by_rank():
    comparison = pd.DataFrame(
        {
            "measure": ["placements_3plus_pct", "long_term_stability_pct", "teeth_check_pct", "cla_at_end"],
            "label": ["Three moves (%)", "Stability (%)", "Teeth (%)", "Children"],
            "unit": ["percent"] * 3 + ["number"],
            "polarity": ["low", "high", "high", "neutral"],
            "la_value": [18.0, 72.0, 77.0, 456.0],
            "england": [10.0, 69.0, 80.0, 88230.0],
            "neighbour_avg": [10.3, 71.0, 80.1, 457.0],
            "rank": pd.array([21, 2, 16, 1], dtype="Int64"),
            "ranked": [21, 21, 21, 21],
            "quartile": ["D", "A", "D", "A"],
        }
    )
    found = su.standing(comparison)
    assert found["best"]["measure"].tolist() == [
        "long_term_stability_pct"
    ]  # neutral measures are never "best"
    assert found["worst"]["measure"].tolist() == ["placements_3plus_pct", "teeth_check_pct"]
    text = su.standing_sentences(found, Narrative(config=Config()))
    assert (
        text["worst"][0]
        == "Three moves: ranked 21 of 21 councils (quartile D), 18% against a neighbour average of 10.3%."
    )
    focus = su.focus(_card(), found, None, Narrative(config=Config()))
    assert focus[0] == "Three moves: in the bottom quarter of councils (18%; England 10%)."
    assert focus[-1] == "Moves (%): 15% against a target of 9% (Red)."


def test_action_position_counts_and_delayed_priorities():
    plan = pd.DataFrame(
        {
            "priority": [1, 1, 2, 2, 2],
            "priority_title": ["Health"] * 2 + ["Fostering"] * 3,
            "status": ["complete", "delayed", "delayed", "delayed", "in progress"],
        }
    )
    narrative = Narrative(config=Config())
    text, delayed = su.action_position(plan, narrative)
    assert text == "The action plan has 5 actions: 1 complete, 1 in progress, 3 delayed and 0 awaiting start."
    focus = su.focus(sc.Scorecard(_card().frame.iloc[:0], Period.from_year(2025)), {}, delayed, narrative)
    assert focus == ["Priority 2, Fostering: 2 actions delayed.", "Priority 1, Health: 1 action delayed."]


@pytest.mark.slow
def test_summary_notebook_runs_on_the_sample(root, tmp_path):
    html = shown(run_section("09_executive_summary", tmp_path, year=2025))
    assert "<caption>Largest changes between 2023-24 and 2024-25</caption>" in html
    assert (
        "The action plan has 40 actions: 12 complete, 16 in progress, 7 delayed and 4 awaiting start." in html
    )
    assert "(quartile D)" in html and "actions delayed." in html
    assert nbformat.read(str(root / "notebooks" / "09_executive_summary.ipynb"), as_version=4).metadata[
        "cpkit"
    ]["last"]
