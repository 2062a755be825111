"""The sufficiency forecast as the placements section publishes it: words, tables, escaping, the notebook."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cpkit.config import Config
from cpkit.forecast import Forecast, ForecastSettings, Scenario
from cpkit.forecast.project import ALL_AGES, ALL_PLACEMENTS, BASELINE, EXTERNAL_HOMES
from cpkit.sections import sufficiency
from tests.conftest import SAMPLE_DIR

from ..notebook_runs import in_sample_report, shown

AS_OF = pd.Timestamp("2025-03-31")
END = pd.Timestamp("2027-03-31")
FOSTER, HOMES, ADOPTION = "Foster placements", "Secure homes and children's homes", "Placed for adoption"


def hand_forecast(scenarios=()) -> Forecast:
    """A forecast written out by hand: at March 2027 foster 180.4-214.6 (central 197), homes 2-7 (4.2),
    adoption 0-3 (1.1), all placements 190-230 (210); now foster 196, homes 3, adoption 0 (199 in all)."""
    rows = []
    figures = {
        FOSTER: (197.0, 180.4, 214.6),
        HOMES: (4.2, 2.0, 7.0),
        ADOPTION: (1.1, 0.0, 3.0),
        ALL_PLACEMENTS: (210.0, 190.0, 230.0),
    }
    for scenario in (BASELINE, *[s.name for s in scenarios]):
        for group, (c, lo, hi) in figures.items():
            rows.append((scenario, END, group, ALL_AGES, c, lo - 5, lo, c, hi, hi + 5))
        rows.append(
            (scenario, END, EXTERNAL_HOMES, ALL_AGES, 3.0 if scenario == BASELINE else 0.0, 0, 1, 2, 5, 6)
        )
    cols = [
        "scenario",
        "month_end",
        "placement_group",
        "age_band",
        "central",
        "lo95",
        "lo80",
        "median",
        "hi80",
        "hi95",
    ]
    history = pd.DataFrame(
        {
            "month_end": AS_OF,
            "placement_group": [FOSTER, HOMES, ADOPTION, ALL_PLACEMENTS],
            "children": [196, 3, 0, 199],
        }
    )
    return Forecast(
        as_of=AS_OF,
        settings=ForecastSettings(scenarios=tuple(scenarios)),
        projection=pd.DataFrame(rows, columns=cols),
        history=history,
        rates=pd.DataFrame(),
        entries=pd.DataFrame(),
        notes={
            "window_start": pd.Timestamp("2022-03-31"),
            "window_months": 36,
            "entries_per_month": 4.0,
            "lost": 0,
        },
    )


def test_one_sentence_per_group_from_the_80_percent_range_with_small_numbers_hidden():
    text = sufficiency.group_sentences(hand_forecast(), Config())
    assert text == [
        "By March 2027 the council should expect 190 to 230 children in care, against 199 now.",
        # 196 now is hidden in the table (with the 199 total it would give away the 3 in homes), so here too
        "By March 2027 the council should expect 180 to 215 children in foster care "
        "(today's number is not shown: with the total it would reveal a small count).",
        # range 2-7 reaches below 5 and the 3 now is a small count: neither is shown
        "By March 2027 the council should expect up to 7 children in secure or children's homes, "
        "against fewer than 5 now.",
        "By March 2027 the council should expect fewer than 5 children placed for adoption, against none now.",
    ]


def test_scenario_names_from_the_settings_are_text_not_markup():
    s = Scenario(
        "<img src=x onerror=alert(1)> *bold* [link](http://x)",
        new_home_beds=2,
        new_home_opens=date(2026, 1, 1),
    )
    text = " ".join(sufficiency.scenario_sentences(hand_forecast([s]), Config()))
    assert "<img" not in text and "](http" not in text
    assert "&lt;img src=x onerror=alert\\(1\\)&gt; \\*bold\\* \\[link\\]\\(http://x\\)" in text
    assert "would be 0 (up to 5) by March 2027, instead of fewer than 5 (up to 5)" in text


def test_forecast_table_hides_small_counts_now_and_small_forecasts_without_hiding_large_ones():
    table = sufficiency.forecast_table(hand_forecast(), Config()).set_index("Placement type")
    now = table["Children, 31 March 2025"]
    # Now: homes 3 is hidden, adoption 0 is shown, and the next smallest in the column (the 196 of foster
    # care, the only other non-zero group) is hidden too so the 3 cannot be worked back from the 199 total.
    assert (now[HOMES], now[ADOPTION], now[FOSTER], now[ALL_PLACEMENTS]) == ("<5", "0", "[c]", "199")
    forecast = table["Forecast, March 2027"]
    assert (forecast[FOSTER], forecast[HOMES], forecast[ADOPTION]) == ("197", "<5", "<5")
    # the range's two ends in two cells (one value a cell), each under the rule as a count
    assert (
        table.loc[FOSTER, "80% range low, March 2027"],
        table.loc[FOSTER, "80% range high, March 2027"],
    ) == (
        "180",
        "215",
    )
    assert "80% range, March 2027" not in table


@pytest.mark.skipif(not (SAMPLE_DIR / "ssda903").is_dir(), reason="the shipped sample is not here")
def test_the_placements_section_shows_the_forecast_on_the_sample(sample_report):
    # the section as the sample's 2025 report ran it (year 2025, financial, the sample): not run again here
    page = shown(in_sample_report(sample_report, "02_placements"))
    assert "By March 2027 the council should expect" in page
    assert (
        "children in foster care, against 341 now." in page
    )  # 341 fostered at 31 March 2025 (open U* episodes in the 2025 CSV)
    assert "Step\\-down programme" in page or "Step-down programme" in page
    assert "How accurate is it?" in page and "80% range" in page
    assert page.count("<figure") >= 2  # the placement mix chart and the forecast chart
    assert "Line charts of the number of children in care each month" in page


def test_backtest_table_hides_whether_a_hidden_actual_fell_inside_the_range():
    """Actual 3 in homes is hidden (<5); with the 203 total the next smallest, foster's 200, is hidden too
    ([c]); saying either was inside its range would narrow it down, so that cell is hidden with it."""
    from cpkit.config import Period

    table = pd.DataFrame(
        {
            "placement_group": [FOSTER, HOMES, ALL_PLACEMENTS],
            "actual": [200, 3, 203],
            "forecast": [190.2, 4.4, 194.6],
            "lo80": [180.0, 2.0, 184.0],
            "hi80": [210.0, 8.0, 214.0],
            "lo95": [170.0, 1.0, 174.0],
            "hi95": [220.0, 10.0, 224.0],
            "inside_80": [True, True, True],
            "same_as_last_year": [195, 6, 201],
        }
    )
    out = sufficiency.backtest_table(table, Period.from_year(2025), Config()).set_index("Placement type")
    assert list(out["Actual, 31 March 2025"]) == ["[c]", "<5", "203"]
    assert list(out["Inside the 80% range"]) == ["[c]", "<5", "Yes"]
    assert list(out["Forecast for 31 March 2025"]) == ["190", "<5", "195"]
    # homes' range 2 to 8: the small low end is the count symbol, not a figure; its own cell either way
    assert list(out["80% range low"]) == ["180", "<5", "184"]
    assert list(out["80% range high"]) == ["210", "8", "214"]


def test_the_forecast_chart_does_not_draw_or_say_today_s_number_the_table_hides():
    # Today: foster 196, homes 3, adoption 0, 199 in all. The table hides the 196 ([c]): with the 199 it
    # would give the homes' 3 back (199 - 196 - 0). The chart drew foster care's line to 196 and its alt
    # text and data said "against 196 now": the same leak, in a chart. Foster care is not drawn now; the
    # total is, its today's point the table's 199 under the table's key.
    drawn = sufficiency.chart(hand_forecast(), Config())
    assert drawn is not None
    fig, alt, data = drawn
    assert "196" not in str(alt) and "foster" not in str(alt)
    assert set(data["Placement type"]) == {ALL_PLACEMENTS}  # homes: a small history, never drawn
    today = data[(data["Month end"] == "March 2025") & data["Children in care"].map(lambda c: c != "")]
    (cell,) = today["Children in care"]
    table = sufficiency.forecast_table(hand_forecast(), Config()).set_index("Placement type")
    total = table.loc[ALL_PLACEMENTS, "Children, 31 March 2025"]
    assert (str(cell), cell.key) == ("199", total.key) and total.key == "cla@2025-03-31"
    # the alt text carries the figure it prints, keyed like the table's
    assert [(str(f), f.key) for f in alt.figures] == [("199", "cla@2025-03-31")]


def test_the_method_text_carries_the_children_it_leaves_out_to_the_audit():
    # The hand forecast with 3 children missing from a later return (small: "Fewer than 5 children ...")
    # and 12 with no date of birth ("12 children ..."): the text registered for the Markdown that shows it
    # carries both as counts, the 3 as a small count, so the audit would catch either printed as a number.
    from cpkit.publish.figure import Status
    from cpkit.publish.text import forget, gather

    fc = hand_forecast()
    fc.notes.update(lost=3, no_dob=12)
    forget()
    text = sufficiency.method_text(fc, Config())
    assert " Fewer than 5 children had an open episode in an earlier return" in text
    assert " 12 children with no date of birth in the Header are left out" in text
    (said,) = gather(f"### How the forecast is made\n\n{text}")
    assert [(f.value, f.status, f.unit) for f in said.figures] == [
        (3, Status.SMALL, "count"),
        (12, Status.SHOWN, "count"),
    ]
    forget()
