"""Five-year trends, on a hand-built figures table whose answers are worked out in the comments."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from cpkit.config import Config
from cpkit.figures.table import Figures
from cpkit.sections import trends

YEARS = [2021, 2022, 2023, 2024, 2025]
CONFIG = Config(la_name="Test Council", small_number_threshold=5, suppression_symbol="<5")


def _rows(measure: str, label: str, theme: str, unit: str, polarity: str, decimals: int, values: list[tuple]):
    out = []
    for year, (value, numerator, denominator, england, neighbours) in zip(YEARS, values, strict=True):
        out.append(
            {
                "measure": measure,
                "label": label,
                "theme": theme,
                "unit": unit,
                "polarity": polarity,
                "decimals": decimals,
                "year": year,
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                "england": england,
                "neighbour_avg": neighbours,
            }
        )
    return out


@pytest.fixture
def figures() -> Figures:
    rows = []
    # health assessments: 40/50 = 80% in 2020-21 up to 45/50 = 90% in 2024-25. Relative change
    # (90 - 80) / 80 = 12.5%, over the 5% "slight" threshold: "rose", and higher is better: an improvement.
    # 2021-22's health assessments are of 4 children: a small group, so the share is hidden ("[c]", the
    # disclosure rule for a share resting on a small count) and not plotted; 2022-23's 47 of 50 is hidden
    # too, as its complement (the 3 without one) is a small count.
    rows += _rows(
        "health_assessment_pct",
        "Children looked after 12 months with their annual health assessment",
        "health",
        "percent",
        "high",
        0,
        [
            (80.0, 40, 50, 88.0, 87.0),
            (75.0, 3, 4, 89.0, 88.0),
            (94.0, 47, 50, 89.0, 88.5),
            (86.0, 43, 50, 90.0, 89.0),
            (90.0, 45, 50, 90.0, 90.5),
        ],
    )
    # children in care: 100 -> 100.5 (printed 100 and 101 at 0 decimals; (101 - 100)/100 = 1%, not under
    # the 1% "stable" threshold, so a slight rise); neutral polarity: no better or worse.
    rows += _rows(
        "cla_at_end",
        "Children looked after at the end of the period",
        "children_in_care",
        "number",
        "neutral",
        0,
        [(100, 100, None, 80000, 90), (99, 99, None, 81000, 91), (98, 98, None, 82000, 92)]
        + [(99, 99, None, 83000, 93), (101, 101, None, 84000, 94)],
    )
    # UASC: 3 in the first year is a small count: "<5", not plotted, and the sentence gives no figures
    rows += _rows(
        "uasc_at_end",
        "Unaccompanied asylum-seeking children looked after at the end of the period",
        "children_in_care",
        "number",
        "neutral",
        0,
        [(3, 3, None, 5000, 4), (6, 6, None, 5100, 5), (8, 8, None, 5200, 6)]
        + [(9, 9, None, 5300, 7), (12, 12, None, 5400, 8)],
    )
    frame = pd.DataFrame(rows)
    return Figures(frame, {"year": 2025, "kind": "financial", "years": YEARS, "published_years": YEARS})


def test_sentences_say_the_direction_over_the_period_by_the_one_rule(figures):
    health = trends.trend_sentence(figures, "health_assessment_pct", CONFIG)
    assert health == (
        "Over the 5 years from 2020-21 to 2024-25, health assessments rose from 80% to 90%, an improvement; "
        "England 88% to 90%."
    )
    cla = trends.trend_sentence(figures, "cla_at_end", CONFIG)
    assert cla == "Over the 5 years from 2020-21 to 2024-25, children in care rose slightly from 100 to 101."
    uasc = trends.trend_sentence(figures, "uasc_at_end", CONFIG)
    assert "too small to publish" in uasc and "3" not in uasc and "12" not in uasc and "rose" not in uasc


def test_table_has_every_year_and_series_as_published(figures):
    table = trends.trend_table(figures, ["health_assessment_pct", "uasc_at_end"], CONFIG)
    assert list(table.columns) == ["Series", "Measure", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    council = table[(table["Series"] == "Council")].set_index("Measure")
    health = council.loc["Children looked after 12 months with their annual health assessment"]
    assert health.tolist()[1:] == ["80%", "[c]", "[c]", "86%", "90%"]
    uasc = council.loc["Unaccompanied asylum-seeking children looked after at the end of the period"]
    assert uasc.tolist()[1:] == ["<5", "6", "8", "9", "12"]
    england = table[(table["Series"] == "England")]["2024-25"].tolist()
    assert england == ["90%", "5,400"]


def test_chart_never_plots_a_hidden_figure(figures):
    fig, alt, data = trends.trend_chart(figures, ["health_assessment_pct", "uasc_at_end"], CONFIG, "Health")
    council_lines = [line for ax in fig.axes for line in ax.get_lines() if line.get_label() == "Council"]
    plotted = [[float(v) for v in line.get_ydata()] for line in council_lines]
    plt.close(fig)
    assert math.isnan(plotted[0][1]) and plotted[0][4] == 90.0, "the hidden year is a gap"
    assert math.isnan(plotted[1][0]), "the <5 year is a gap"
    # counts: England's 5,400 is not on the council's scale, so only the council's line is drawn
    assert [line.get_label() for line in fig.axes[1].get_lines()] == ["Council"]
    assert "health assessments rose from 80% to 90%" in alt
    assert data["Series"].tolist() == ["Council", "England", "Statistical neighbours"] * 2


def test_themes_follow_the_report_order(figures):
    assert trends.by_theme(figures) == {
        "children in care": ["cla_at_end", "uasc_at_end"],
        "health": ["health_assessment_pct"],
    }


def test_the_trend_sentences_carry_the_trend_tables_keyed_figures_to_the_audit(figures):
    # The figures table names each row's counts (cpkit.figures.keys): children in care at 31 March 2021
    # is cla@2021-03-31, at 31 March 2025 cla@2025-03-31; the health share 45 of 50 names its numerator and
    # denominator. The sentence "from 100 to 101" prints the two counts the trends table prints under
    # those keys, and "from 80% to 90%" the two shares with their counts, so the report's audit reads them.
    from cpkit.config import Period
    from cpkit.figures.keys import row_keys
    from cpkit.publish.text import forget, gather, text_block

    frame = figures.frame.copy()
    keys = [
        row_keys(m, u, Period.from_year(int(y)))
        for m, u, y in zip(frame["measure"], frame["unit"], frame["year"], strict=True)
    ]
    frame["numerator_key"] = [n for n, _ in keys]
    frame["denominator_key"] = [d for _, d in keys]
    keyed = Figures(frame, figures.meta)
    forget()
    said = trends.sentences(keyed, ["cla_at_end", "health_assessment_pct", "uasc_at_end"], CONFIG)
    # the notebook joins them into a Markdown list, a plain str: the register finds them by their text
    shown = gather("\n".join(f"- {s}" for s in said))
    # uasc's sentence prints no figure (its first year, 3, is "<5"), so two sentences are recorded
    assert [str(s) for s in shown] == [str(said[0]), str(said[1])]
    block = text_block(shown)
    cla = block.rows[0][1:3]
    assert [(f.key, f.value) for f in cla] == [("cla@2021-03-31", 100), ("cla@2025-03-31", 101)]
    health = block.rows[1][1:5]
    assert [str(f) for f in health] == ["80%", "90%", "88%", "90%"]  # the council's two, England's two
    n, d = row_keys("health_assessment_pct", "percent", Period.from_year(2025))
    assert (health[1].numerator, health[1].denominator) == (n, d)
    forget()
