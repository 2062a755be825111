"""Measures that reach back before the first return: a year whose figure would rest on histories the
returns do not hold is not given, with the reason (the rule in ``cpkit.measures``); hand-built returns.

The oldest return in each case is 2018-19, so the data starts on 1 April 2018. A return holds the
episodes open during its year: a child in care on 1 April 2018 shows only the episode open that day.
"""

from __future__ import annotations

import math

import pandas as pd

from cpkit.care.adoption import adoption_timings
from cpkit.care.indicators import indicators
from cpkit.care.stability import long_term_stability
from cpkit.config import Config, Period
from cpkit.figures import build_figures
from cpkit.sections.trends import trend_sentence
from tests.care.conftest import build

# X: in care since before the data, shown by a placement change (RNE P) on 1 January 2017, carried into
#    the 2018-19 return; placed for adoption 1 June 2019, adopted 1 January 2020. The kit's "entry" is
#    1 January 2017, so A1 would be 881 days (1 January 2017 to 1 June 2019), too few.
# Y: entered care 1 May 2018 (RNE S), placed for adoption 1 May 2019 (365 days), adopted 1 December 2019.
ADOPTIONS = [
    ("X", "01/01/2017", "01/06/2019", "P", "C2", "N1", "U4", "E3"),
    ("X", "01/06/2019", "01/01/2020", "P", "E1", "N1", "A4", "E11"),
    ("Y", "01/05/2018", "01/05/2019", "S", "C2", "N1", "U4", "E3"),
    ("Y", "01/05/2019", "01/12/2019", "P", "E1", "N1", "A4", "E11"),
]
ADOPTION_YEARS = [2019, 2020, 2019, 2020]


def _a1(data, year: int) -> pd.Series:
    table = indicators(data, year, config=Config()).set_index("indicator")
    return table.loc["adoption_a1_days"]


def test_a1_with_an_entry_before_the_first_return_is_not_given():
    data = build(ADOPTIONS, episode_extra={"return_year": ADOPTION_YEARS})
    # The three years to 31 March 2021 start on 1 April 2018, inside the data, but X's entry is not.
    assert adoption_timings(data, "2018-04-01", "2021-03-31")["adoption_a1_days"]["unknown_history"] == 1
    a1 = _a1(data, 2021)
    assert math.isnan(a1["value"])
    assert "needs care histories from before the first return (1 April 2018)" in a1["reason"]
    # fewer than 5 children: the count is worded by the small-number rule
    assert "fewer than 5 children it counts were already in care then" in a1["reason"]
    # A10 rests on the same entry date.
    table = indicators(data, 2021, config=Config()).set_index("indicator")
    assert math.isnan(table.loc["adoption_a10_days", "value"])


def test_a1_with_whole_histories_is_given():
    # The same, but X's 2017 episode starts the period of care (RNE S): the entry is known.
    rows = [("X", "01/01/2017", "01/06/2019", "S", "C2", "N1", "U4", "E3"), *ADOPTIONS[1:]]
    data = build(rows, episode_extra={"return_year": ADOPTION_YEARS})
    # (881 + 365) / 2 = 623 days.
    assert _a1(data, 2021)["value"] == 623


def test_a1_whose_three_years_start_before_the_data_is_not_given():
    # One return, 2018-19. Z entered care 1 May 2018 (RNE S), placed for adoption 1 November 2018 (184
    # days), adopted 1 March 2019. A1 for 2018-19 averages the adoptions from 1 April 2016: two of its
    # three years are not in the data, so the figure (184 today) is not given.
    rows = [
        ("Z", "01/05/2018", "01/11/2018", "S", "C2", "N1", "U4", "E3"),
        ("Z", "01/11/2018", "01/03/2019", "P", "E1", "N1", "A4", "E11"),
    ]
    data = build(rows, episode_extra={"return_year": [2019, 2019]})
    a1 = _a1(data, 2019)
    assert math.isnan(a1["value"])
    assert a1["reason"] == (
        "counts the 3 years from 1 April 2016, and the first return supplied starts 1 April 2018"
    )


# Long-term stability at 31 March 2019 (one return, 2018-19): in care 2.5 years means since 30 September
# 2016; the same carer 2 years, since 31 March 2017. Children born 2010 (under 16).
# L1: held episode from 1 January 2016, RNE P (a new carer then): in care and with this carer long
#     enough whatever came before: in the denominator and the numerator.
# L2: held episode from 1 June 2017, RNE T (same carer, so the period and the carer began earlier, on
#     a day the data does not hold): in care 2.5 years or not? Unknown. Today the kit leaves L2 out and
#     gives 1 of 1 = 100%.
STABILITY = [
    ("L1", "01/01/2016", None, "P", "C2", "N1", "U4", None),
    ("L2", "01/06/2017", None, "T", "C2", "N1", "U4", None),
]


def test_long_term_stability_needing_histories_before_the_data_is_not_given():
    data = build(STABILITY, episode_extra={"return_year": [2019, 2019]})
    assert long_term_stability(data, "2019-03-31")["unknown_history"] == 1
    table = indicators(data, 2019, config=Config()).set_index("indicator")
    row = table.loc["long_term_stability_pct"]
    assert math.isnan(row["value"])
    assert row["reason"].startswith("needs care histories from before the first return (1 April 2018)")


def test_long_term_stability_with_a_known_start_is_given():
    # L2 started the period on 1 June 2017 (RNE S): 22 months in care, out of the denominator: 1 of 1.
    rows = [STABILITY[0], ("L2", "01/06/2017", None, "S", "C2", "N1", "U4", None)]
    data = build(rows, episode_extra={"return_year": [2019, 2019]})
    table = indicators(data, 2019, config=Config()).set_index("indicator")
    assert table.loc["long_term_stability_pct", "value"] == 100.0


def test_the_figures_table_and_trend_start_where_the_data_allows(tmp_path):
    # Returns 2018-19 to 2020-21; A1 is not given for 2018-19 and 2019-20 (their three years start before
    # 1 April 2018) nor for 2020-21 (X's entry); with X's entry known, 2020-21 is 623 days, and the trend
    # sentence says A1 is not available for the earlier years instead of giving a trend from them.
    rows = [("X", "01/01/2017", "01/06/2019", "S", "C2", "N1", "U4", "E3"), *ADOPTIONS[1:]]
    data = build(rows, episode_extra={"return_year": ADOPTION_YEARS})
    config = Config()
    figures = build_figures(data, Period.from_year(2021), config, tmp_path, years=[2019, 2020, 2021])
    a1 = figures.series("adoption_a1_days").set_index("year")
    assert a1["value"].isna().tolist() == [True, True, False]
    assert a1.loc[2019, "reason"].startswith("counts the 3 years from 1 April 2016")
    assert pd.isna(a1.loc[2021, "previous_value"]) and a1.loc[2021, "direction"] == ""
    sentence = trend_sentence(figures, "adoption_a1_days", config)
    assert "Not available for 2018-19 and 2019-20" in sentence
    assert "from 1 April 2016" in sentence or "first return" in sentence


def test_the_quarterly_page_gives_no_a1_for_a_quarter_resting_on_an_entry_before_the_data():
    # X was adopted on 1 January 2020, in the quarter January-March 2020; its entry to care is before the
    # first return (1 April 2018), so the quarter's A1 (881 days, too few) is not given.
    from cpkit.poap.measures import QUARTER_MEASURES

    data = build(ADOPTIONS, episode_extra={"return_year": ADOPTION_YEARS})
    a1 = next(m for m in QUARTER_MEASURES if m.id == "adoption_a1_days_quarter")
    fig = a1.compute(data, pd.Timestamp("2020-01-01"), pd.Timestamp("2020-03-31"), Config())
    assert math.isnan(fig.value)
    # Y, adopted 1 December 2019 with its whole history: 365 days.
    fig = a1.compute(data, pd.Timestamp("2019-10-01"), pd.Timestamp("2019-12-31"), Config())
    assert fig.value == 365


def test_the_scorecard_shows_a_year_the_data_cannot_give_as_not_available_with_the_reason(tmp_path):
    # Returns 2018-19 and 2019-20; a 2019-20 scorecard. A1 for 2019-20 counts the three years from 1 April
    # 2017, A1 for 2018-19 from 1 April 2016: neither is given. Before, both cells were blank with no word.
    from cpkit.figures.headline import Headline, measure_rows
    from cpkit.sections import scorecard as sc

    data = build(ADOPTIONS, episode_extra={"return_year": ADOPTION_YEARS})
    config = Config()
    figures = build_figures(data, Period.from_year(2020), config, tmp_path, years=[2019, 2020])
    card = Headline(measure_rows(figures), Period.from_year(2020))
    table, _ = sc.scorecard_table(card, config)
    a1 = table.set_index("Indicator").loc[figures.get("adoption_a1_days")["label"]]
    assert (a1["2018-19"], a1["2019-20"]) == ("n/a", "n/a")
    note = sc.table_note(card, config)
    assert (
        "Days from care to an adoptive family (A1), 2019-20: counts the 3 years from 1 April 2017, and the first "
        "return supplied starts 1 April 2018" in note
    )


def test_a_blank_rne_on_the_first_episode_held_does_not_say_the_period_started_then():
    # B's episode open on 1 April 2018 has a blank RNE (from 1 January 2017), then an RNE S episode the
    # same day it ends (a coding slip): the period's first episode does not say S, so its start is not known.
    from cpkit.care.episodes import care_episodes
    from cpkit.care.history import coverage_start, cut_short

    rows = [
        ("B", "01/01/2017", "01/06/2018", None, "C2", "N1", "U4", "X1"),
        ("B", "01/06/2018", None, "S", "C2", "N1", "U4", None),
    ]
    data = build(rows, episode_extra={"return_year": [2019, 2019]})
    eps = care_episodes(data)
    assert cut_short(eps, coverage_start(data))["period_cut"].tolist() == [True, True]
