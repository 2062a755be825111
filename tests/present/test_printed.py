"""One precision rule: a figure is printed rounded exactly as the judgements compare it (half away from
zero, as Excel and the DfE round), so a sentence never says "42% to 43%" of what it judges the same."""

from __future__ import annotations

import pytest

from cpkit.config import Config
from cpkit.present.disclosure import Rule
from cpkit.present.judgement import change_kind, printed, printed_change
from cpkit.present.narrative import fmt_number, fmt_pct
from cpkit.present.tables import table_html


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (42.5, 0, "43"),  # 17 of 40: Python's own format gives "42" (half to even)
        (43.5, 0, "44"),
        (12.5, 0, "13"),  # 1 of 8
        (0.125, 2, "0.13"),
        (2.25, 1, "2.3"),
        (-2.5, 0, "-3"),  # away from zero on both sides
        (-0.4, 0, "0"),  # no negative zero
        (1234.5, 0, "1,235"),
        (84.44, 1, "84.4"),
    ],
)
def test_printed_rounds_half_away_from_zero(value, decimals, text):
    assert printed(value, decimals) == text


def test_every_way_a_share_is_printed_agrees_at_an_exact_half():
    rule = Rule.of(Config())
    assert fmt_pct(42.5) == "43%"
    assert fmt_number(2.5) == "3"
    assert rule.pct(42.5, 17, 40) == "43%"
    assert rule.n_of_m(17, 40) == "17 of 40 (43%)"
    assert rule.average(13.25, 40, decimals=1) == "13.3"
    assert printed_change(-1.25, 1) == "-1.3" and printed_change(0.04, 1) == "+0.0"


def test_a_printed_figure_and_its_judgement_agree():
    # 42.5% last year and 43% this year print the same, so they are judged the same
    assert fmt_pct(42.5) == fmt_pct(43.0)
    assert change_kind(42.5, 43.0, decimals=0) == "stable"


def test_table_cells_use_the_same_rounding():
    import pandas as pd

    html = table_html(pd.DataFrame({"Group": ["a"], "Average": [13.25], "Children": [40.0]}), "Test")
    assert "<td>13.3</td>" in html and "<td>40</td>" in html


def test_text_columns_are_left_aligned_and_figures_right():
    """An action plan's Action and Status columns are words: they carry ``cp-text`` (left-aligned by the
    stylesheet); counts, percentages, changes, suppressed cells and dashes stay right-aligned figures."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "Ref": ["1.1", "1.2"],
            "Action": ["Hold a celebration event for care leavers", "Review pathway plans"],
            "Children": ["<5", "12"],
            "Share": ["45%", "[c]"],
            "Change": ["+1.7 points", "–"],
            "Status": ["In progress (at risk)", "Delayed"],
        }
    )
    html = table_html(frame, "Test", classes={"Status": {0: "rag rag-at-risk"}})
    assert '<th scope="col" class="cp-text">Action</th>' in html
    assert '<td class="cp-text">Hold a celebration event for care leavers</td>' in html
    assert '<td class="rag rag-at-risk cp-text">In progress (at risk)</td>' in html
    for figure in ("<td>&lt;5</td>", "<td>12</td>", "<td>45%</td>", "<td>[c]</td>", "<td>+1.7 points</td>"):
        assert figure in html
    assert '<th scope="col">Children</th>' in html and '<th scope="col">Change</th>' in html
