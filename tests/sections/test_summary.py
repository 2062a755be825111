"""Executive summary on hand-worked figures, and the notebook on the sample."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from cpkit.config import Config, Period
from cpkit.figures.headline import COLUMNS, SSDA903, Headline
from cpkit.present.narrative import Narrative
from cpkit.sections import summary as su

from ..notebook_runs import in_sample_report, shown
from .test_scorecard import _card as scorecard_card


def _card() -> Headline:
    def row(key, unit, polarity, prev, cur, kind, verdict, label, rag=""):
        return {c: float("nan") for c in COLUMNS} | {
            "theme": "placements",
            "source": SSDA903,
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
            "change_kind": kind,
            "direction": verdict,
            "direction_label": label,
            "rag": rag,
            "target": 9.0 if rag else float("nan"),
            "ranked": 0,
            "vs_england": "",
            "vs_neighbours": "",
        }

    frame = pd.DataFrame(
        [
            row("Stability (%)", "percent", "high", 60.0, 66.0, "rise", "better", "Better \u2191"),  # +10%
            row(
                "Moves (%)", "percent", "low", 10.0, 15.0, "rise", "worse", "Worse \u2191", rag="Red"
            ),  # +50%
            row("Entries", "number", "neutral", 200.0, 180.0, "fall", "lower", "Lower \u2193"),  # -10%
            row(
                "Flat (%)", "percent", "high", 50.2, 49.9, "stable", "same", "About the same \u2192"
            ),  # left out
            row(
                "Tiny", "number", "high", 3.0, 9.0, "rise", "better", "Better \u2191"
            ),  # 3 is hidden: left out
        ]
    )
    return Headline(frame, Period.from_year(2025), bench_year=2025)


def test_moves_are_the_largest_relative_changes_with_the_judgement_words():
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


def test_standing_and_focus_read_the_figures_judgement_with_labelled_numbers():
    # The scorecard's hand-built card: stability better than both England (65) and neighbours (66), rank 3
    # of 20; three moves worse than both, own 12% but published 14%: both given, each with its source.
    card = scorecard_card()
    narrative = Narrative(config=Config())
    found = su.standing(card, Config())
    assert found["best"]["indicator"].tolist() == ["stab"] and found["worst"]["indicator"].tolist() == [
        "moves"
    ]
    text = su.standing_sentences(found, card, narrative)
    assert text["best"] == [
        "stab: 70%; England 65%, statistical neighbour average 66.0%; ranked 3 of 20 councils on the DfE's "
        "published figures for 2024-25."
    ]
    assert text["worst"] == [
        "moves: from the council's return: 12%; published by the DfE: 14%; England 10%, statistical neighbour "
        "average 9.0%; ranked 18 of 20 councils on the DfE's published figures for 2024-25."
    ]
    focus = su.focus(card, found, None, narrative)
    assert focus == [
        "moves: worse than England and statistical neighbours (12%; England 10%, statistical neighbour "
        "average 9.0%).",
        "Visits on time: 88.0% (2024-25) against a target of 95.0% (Red).",
    ]


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
    focus = su.focus(Headline(_card().frame.iloc[:0], Period.from_year(2025)), {}, delayed, narrative)
    assert focus == ["Priority 2, Fostering: 2 actions delayed.", "Priority 1, Health: 1 action delayed."]


@pytest.mark.slow
def test_summary_notebook_runs_on_the_sample(root, sample_report):
    html = shown(in_sample_report(sample_report, "09_executive_summary"))  # 2025 on the sample
    assert "<caption>Largest changes between 2023-24 and 2024-25</caption>" in html
    assert (
        "The action plan has 40 actions: 12 complete, 16 in progress, 7 delayed and 4 awaiting start." in html
    )
    assert "Worse than both England and the statistical neighbour average" in html
    assert "on the DfE's published figures for 2024-25" in html and "actions delayed." in html
    assert nbformat.read(str(root / "notebooks" / "09_executive_summary.ipynb"), as_version=4).metadata[
        "cpkit"
    ]["first"]


def test_the_labelled_figure_carries_the_councils_own_share_under_its_counts_keys():
    # The scorecard's card: three moves, own 12% but published 14% for the DfE year, so the sentence
    # labels both. The own 12% is the figures table's row for the DfE year, whose counts are named by
    # check_numerator_key and check_denominator_key (cpkit.figures.keys); before, the labelled phrase
    # was a plain string and the sentence carried neither figure to the report's audit.
    card = scorecard_card()
    frame = card.frame
    moves = frame["indicator"] == "moves"
    frame.loc[moves, "check_numerator_key"] = "moves:numerator@2024-25"
    frame.loc[moves, "check_denominator_key"] = "moves:denominator@2024-25"
    found = su.standing(card, Config())
    (worst,) = su.standing_sentences(found, card, Narrative(config=Config()))["worst"]
    assert worst.startswith("moves: from the council's return: 12%; published by the DfE: 14%;")
    own, published = worst.figures[:2]
    assert (str(own), own.numerator, own.denominator) == (
        "12%",
        "moves:numerator@2024-25",
        "moves:denominator@2024-25",
    )
    assert str(published) == "14%"
