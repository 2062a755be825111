"""The one judgement rule: direction of travel, RAG against target, against England/neighbours, at the
printed or published precision. Each case's answer is worked out in its comment."""

from __future__ import annotations

import math

import pytest

from cpkit.config import Config
from cpkit.present import judgement as j

T = j.Thresholds()  # stable 1%, slight 5%, amber 5 points / 5%, similar 1 point / 2%


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (
            84.5,
            0,
            85.0,
        ),  # half rounds away from zero, as the DfE and Excel print it (Python's round gives 84)
        (84.49, 0, 84.0),
        (13.45, 1, 13.5),
        (-2.5, 0, -3.0),
        (0.0, 0, 0.0),
    ],
)
def test_at_precision(value, decimals, expected):
    assert j.at_precision(value, decimals) == expected


@pytest.mark.parametrize(
    ("previous", "current", "polarity", "decimals", "kind", "verdict", "label"),
    [
        # 85.4% -> 85.6% prints as 85% -> 86%: a visible change of 1/85 = 1.2% relative, over the 1% "stable"
        # and under 5%: a slight rise; higher is better for a health check.
        (85.4, 85.6, "high", 0, "slight_rise", "better", "Better \u2191"),
        # 85.2 -> 85.4 both print as 85%: no change the reader can see.
        (85.2, 85.4, "high", 0, "stable", "same", "About the same \u2192"),
        # 1000 -> 1005 children: 0.5% relative, under 1%: about the same although the numbers differ.
        (1000, 1005, "neutral", 0, "stable", "same", "About the same \u2192"),
        # 10% -> 9% with three or more placements: -10% relative: a fall, and lower is better.
        (10.0, 9.0, "low", 0, "fall", "better", "Better \u2193"),
        # 20 -> 21 days (low is better): +5% relative, exactly the slight threshold: slight rise, worse.
        (20, 21, "low", 0, "slight_rise", "worse", "Worse \u2191"),
        # 450 -> 468 children in care (neutral): +4%: slight rise, "Higher".
        (450, 468, "neutral", 0, "slight_rise", "higher", "Higher \u2191"),
        # From zero any visible rise is a rise.
        (0, 3, "low", 0, "rise", "worse", "Worse \u2191"),
        # A missing year gives no direction.
        (math.nan, 50, "high", 0, "", "", ""),
        (None, 50, "high", 0, "", "", ""),
    ],
)
def test_direction(previous, current, polarity, decimals, kind, verdict, label):
    d = j.direction(previous, current, polarity, decimals, T)
    assert (d.kind, d.verdict, d.label) == (kind, verdict, label)


@pytest.mark.parametrize(
    ("value", "target", "polarity", "unit", "expected"),
    [
        (95.0, 95.0, "high", "percent", "Green"),  # on target is met
        (94.6, 95.0, "high", "percent", "Green"),  # prints as 95%: judged as printed
        (90.0, 95.0, "high", "percent", "Amber"),  # 5 points short: within the 5 points
        (89.4, 95.0, "high", "percent", "Red"),  # prints as 89%: 6 points short
        (17.0, 18.0, "low", "percent", "Green"),  # low is good: under target is met
        (23.0, 18.0, "low", "percent", "Amber"),  # 5 points over
        (24.0, 18.0, "low", "percent", "Red"),
        (20.5, 22.0, "high", "score", "Amber"),  # score points count like percentage points
        (96, 100, "high", "number", "Amber"),  # 4 short of 100: within 5% (5)
        (94, 100, "high", "number", "Red"),  # 6 short: beyond 5%
        (2, 0, "low", "number", "Red"),  # 5% of a target of 0 is 0
        (50.0, 40.0, "neutral", "percent", ""),  # no RAG for a neutral measure
        (50.0, None, "high", "percent", ""),  # nor without a target
        (math.nan, 40.0, "high", "percent", ""),  # nor without a figure
    ],
)
def test_rag(value, target, polarity, unit, expected):
    assert j.rag(value, target, polarity, unit, thresholds=T) == expected


@pytest.mark.parametrize(
    ("value", "comparator", "polarity", "unit", "expected"),
    [
        (73.5, 89.0, "high", "percent", "worse"),  # 15.5 points below England
        (88.4, 89.0, "high", "percent", "similar"),  # prints as 88: 1 point: within 1 point
        (87.4, 89.0, "high", "percent", "worse"),  # prints as 87: 2 points
        (9.0, 10.3, "low", "percent", "better"),  # 1.3 points under a neighbour average published to 1 place
        (9.84, 10.3, "low", "percent", "similar"),  # 9.8 at the comparator's precision: 0.5 points apart
        (8.5, 10.3, "low", "percent", "better"),  # 1.8 points lower, lower is better
        (73.1, 72.0, "neutral", "rate_per_10k", "similar"),  # rates: within 2% of 72 (1.44): 73 vs 72
        (80.0, 72.0, "neutral", "rate_per_10k", "higher"),  # neutral: higher/lower, not better/worse
        (13.39, 14.8, "low", "score", "better"),  # 13.4 vs 14.8: 1.4 points lower
        (50.0, math.nan, "high", "percent", ""),
    ],
)
def test_versus(value, comparator, polarity, unit, expected):
    assert j.versus(value, comparator, polarity, unit, T) == expected


@pytest.mark.parametrize(
    ("england", "neighbours", "expected"),
    [
        ("better", "better", "better"),
        ("worse", "worse", "worse"),
        ("better", "worse", "mixed"),
        ("similar", "better", "mixed"),
        ("better", "", "better"),
        ("higher", "lower", ""),  # neutral measures have no standing
        ("", "", ""),
    ],
)
def test_standing(england, neighbours, expected):
    assert j.standing(england, neighbours) == expected


@pytest.mark.parametrize(
    ("own", "published", "expected"),
    [
        (73.55, 74.0, False),  # the DfE publishes whole percentages: 73.55 rounds to 74
        (73.4, 74.0, True),
        (13.44, 13.4, False),  # an average published to one place
        (13.46, 13.4, True),
        (468, 468, False),
        (math.nan, 74.0, False),  # nothing to compare
    ],
)
def test_differs_from_published(own, published, expected):
    assert j.differs_from_published(own, published) is expected


def test_thresholds_are_settings(tmp_path):
    path = tmp_path / "cpkit.yaml"
    path.write_text(
        "narrative: {stable: 0.02, slight: 0.1}\njudgement: {amber_points: 3, similar_points: 2}\n",
        encoding="utf-8",
    )
    t = j.Thresholds.from_config(Config.load(path))
    assert (t.stable, t.slight, t.amber_points, t.amber_share, t.similar_points) == (0.02, 0.1, 3, 0.05, 2)
    # With "stable" at 2%, 85% -> 86% (1.2%) is now about the same; with amber at 3 points, 4 short is Red.
    assert j.direction(85, 86, "high", 0, t).verdict == "same"
    assert j.rag(91, 95, "high", "percent", thresholds=t) == "Red"
    # A misspelt judgement key is an error naming it.
    path.write_text("judgement: {amber_point: 3}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="judgement.amber_point"):
        Config.load(path)
