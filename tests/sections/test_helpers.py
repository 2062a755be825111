"""The shared comparison helpers: sentences, suppression in two-year tables, measure tables."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.config import Config, Period
from cpkit.present.narrative import Narrative
from cpkit.sections.common import (
    breakdown_table,
    compare_counts,
    compare_share,
    coverage_warning,
    measure_table,
)
from tests.care.conftest import build

WHEN = ("in 2023-24", "in 2024-25")


def fig(n: int, m: int) -> dict[str, float]:
    return {"numerator": n, "denominator": m, "pct": 100.0 * n / m if m else float("nan")}


def test_compare_share_gives_direction_from_the_percentages():
    text = compare_share(Narrative(), "The share in-house", fig(38, 90), fig(45, 96), WHEN)
    assert text == "The share in-house rose, from 38 of 90 (42%) in 2023-24 to 45 of 96 (47%) in 2024-25."


def test_compare_share_gives_no_direction_when_a_count_is_suppressed():
    text = compare_share(Narrative(), "The share in-house", fig(3, 90), fig(45, 96), WHEN)
    assert (
        text == "The share in-house: 45 of 96 (47%) in 2024-25, compared with fewer than 5 of 90 in 2023-24."
    )
    assert "rose" not in text and "(3" not in text


def test_compare_counts_uses_the_configured_direction_words():
    assert compare_counts(Narrative(), "Entries", 183, 184, WHEN).startswith("Entries stayed about the same")
    assert compare_counts(Narrative(), "Entries", 100, 104, WHEN).startswith("Entries rose slightly")
    assert compare_counts(Narrative(), "Entries", 100, 80, WHEN).startswith("Entries fell,")


def test_breakdown_table_hides_a_second_cell_so_the_first_cannot_be_worked_back():
    prev = pd.DataFrame({"g": ["a", "b", "c", "d"], "children": [10, 3, 7, 0]})
    cur = pd.DataFrame({"g": ["a", "b", "c", "d"], "children": [12, 6, 8, 0]})
    out = breakdown_table(
        {"previous": prev, "current": cur}, "g", {"a": "Alpha"}, ("2024", "2025"), Config(), "Group"
    )
    # d has no children in either year: left out; b (3) is hidden and so is the next smallest, c (7), with
    # its own symbol: 7 is not a small count. A reader gets b + c = 10 with b 1..4 and c 0 or 5+: b 1..4.
    assert out["Group"].tolist() == ["Alpha", "b", "c", "Total"]
    assert out["Children, 2024"].tolist() == ["10", "<5", "[c]", "20"]
    assert out["%, 2024"].tolist() == ["50%", "[c]", "[c]", "100%"]
    assert out["Children, 2025"].tolist() == ["12", "6", "8", "26"]
    assert out["%, 2025"].tolist() == ["46%", "23%", "31%", "100%"]


def test_measure_table_suppresses_small_shares_and_averages():
    rows = [
        ("Share", "placements_3plus_pct", fig(10, 50), fig(3, 40)),
        (
            "Average",
            None,
            {"numerator": 60.0, "denominator": 4, "pct": 15.0},
            {"numerator": 70.0, "denominator": 5, "pct": 14.0},
        ),
    ]
    bench = pd.DataFrame(
        {"england": [10.0], "neighbour_avg": [11.5], "neighbour_n": [10]}, index=["placements_3plus_pct"]
    )
    bench.attrs["label"] = "2024-25"
    out = measure_table(rows, ("2023-24", "2024-25"), Config(), bench, averages=("Average",))
    share, avg = out.iloc[0], out.iloc[1]
    assert (share["2023-24"], share["2024-25"], share["Change (points)"]) == ("20%", "[c]", "[c]")
    assert (share["Number, 2024-25"], share["Out of, 2024-25"]) == ("<5", "40")
    assert (share["England, 2024-25"], share["Statistical neighbours, 2024-25"]) == ("10%", "12%")
    # an average of 4 children is not a count: hidden as [c], never "<5"
    assert (avg["2023-24"], avg["2024-25"], avg["Change (points)"]) == ("[c]", "14.0", "")


def test_coverage_warning_when_the_returns_end_before_the_period():
    data = build([("A", "01/06/2023", None, "S", "C2", "N1", "U4", None)])
    data.episodes["return_year"] = pd.array([2025], dtype="Int64")
    assert coverage_warning(data, Period.from_year(2025)) == ""
    assert "31 March 2025" in coverage_warning(data, Period.from_year(2025, "calendar"))


# --- sentences worded without what a table hides -------------------------------------------------------


def test_compare_counts_without_a_count_a_table_hides():
    # 20 care leavers last year and 21 this year, but the table hides this year's 21 ([c]) to protect a small
    # count beside it: the sentence must not print 21, nor a direction (which would bound it).
    text = compare_counts(Narrative(), "Leavers", 20, 21, WHEN, (False, True))
    assert text == "Leavers: not shown, to protect small numbers in 2024-25, compared with 20 in 2023-24."
    both = compare_counts(Narrative(), "Leavers", 20, 21, WHEN, (True, True))
    assert both == "Leavers is not shown for either year, to protect small numbers."


def test_compare_share_without_a_numerator_a_table_hides():
    # 7 of 20 adopted; the exits table hides the 7 to protect a 3: not shown, no share, no direction
    # ("some of the 20" said it was not 0, so 5 or more: more than the table's [c] tells)
    text = compare_share(Narrative(), "Adopted", fig(10, 30), fig(7, 20), WHEN, (False, True))
    assert text == (
        "Adopted: not shown, to protect small numbers in 2024-25, compared with 10 of 30 (33%) in 2023-24."
    )


@pytest.mark.parametrize(
    ("n", "m", "words"),
    [
        (38, 90, "38 of 90 (42%)"),
        (3, 90, "fewer than 5 of 90"),
        (38, 40, "all but fewer than 5 of 40"),  # 2 did not: the complement is small
        (3, 4, "fewer than 5 of fewer than 5"),
        (0, 4, "0 of fewer than 5"),
        (0, 0, "none of 0"),
    ],
)
def test_n_of_m_in_words(n, m, words):
    assert Narrative().n_of_m(n, m) == words


def test_the_monthly_table_hides_the_stock_that_would_give_a_small_admission_back():
    # Worked by hand. April: 10 + 2 - 0 = 12; May: 12 + 0 - 0 = 12; June: 12 + 6 - 6 = 12.
    # April's 2 admissions are small ("<5"). With 10 and 12 shown, 12 - 10 + 0 = 2 gives it back (and ceased
    # cannot hide it: "[c]" over 0 with admissions at most 4 can only be 0), so the end of April (= start of
    # May) must go; May's flows are 0, so the end of May goes too; June's end (12, the period's end, shown
    # everywhere else) stays, so one of June's flows is hidden as well. The net change of April (+2) goes.
    from cpkit.sections import children_in_care as cic

    movements = pd.DataFrame(
        {
            "month": ["2024-04", "2024-05", "2024-06"],
            "start": [10, 12, 12],
            "end": [12, 12, 12],
            "admissions": [2, 0, 6],
            "ceased": [0, 0, 6],
            "net": [2, 0, 0],
        }
    )
    table = cic.movement_table(movements, Config()).set_index("Measure")
    apr, may, jun = table["Apr 2024"], table["May 2024"], table["Jun 2024"]
    assert apr.iloc[0] == "10" and jun.iloc[1] == "12"  # the period's start and end stay
    assert apr.iloc[2] == "<5" and apr.iloc[4] == "[c]"
    assert apr.iloc[1] == "[c]" and may.iloc[0] == "[c]" and may.iloc[1] == "[c]"
    assert "[c]" in (jun.iloc[2], jun.iloc[3])
    assert "<5" not in (jun.iloc[2], jun.iloc[3])  # 6 is never shown as "<5"
    sentences = cic.headline_sentences(movements, Narrative())
    # both ends are shown, so the change between them is (+2); the flows are not: 8 and 6 are not printed
    assert sentences[0] == (
        "The number of children in care rose over the period, from 10 at the start to 12 at the end (+2, 20.0%)."
    )
    assert "8" not in sentences[1] and "6" not in sentences[1] and len(sentences) == 2
    assert cic.stock_chart(movements, Config()) is None  # only the end of June could be plotted


def test_measure_table_names_the_counts_of_each_share():
    # 37 of the 476 children in care at 31 March 2025 had three or more placements: 7.8%, printed "8%".
    # Its base is the children in care that day (the registry's denominator: cla_at_end), so the share,
    # "Number" and "Out of" carry the keys the figures table and every breakdown's Total use; last year's
    # share (49 of 477) names last year's. An average names nothing (its base is not a count).
    rows = [
        (
            "Three or more placements",
            "placements_3plus_pct",
            {"numerator": 49, "denominator": 477, "pct": 100 * 49 / 477},
            {"numerator": 37, "denominator": 476, "pct": 100 * 37 / 476},
        ),
        (
            "Average",
            None,
            {"numerator": 0, "denominator": 40, "pct": 12.5},
            {"numerator": 0, "denominator": 40, "pct": 13.0},
        ),
    ]
    periods = (Period.from_year(2024), Period.from_year(2025))
    out = measure_table(rows, ("2023-24", "2024-25"), Config(), averages=("Average",), periods=periods)
    share, before = out.at[0, "2024-25"], out.at[0, "2023-24"]
    assert (str(share), share.numerator, share.denominator) == (
        "8%",
        "placements_3plus_pct:numerator@2024-25",
        "cla@2025-03-31",
    )
    assert (before.numerator, before.denominator) == (
        "placements_3plus_pct:numerator@2023-24",
        "cla@2024-03-31",
    )
    assert (out.at[0, "Number, 2024-25"].key, out.at[0, "Out of, 2024-25"].key) == (
        "placements_3plus_pct:numerator@2024-25",
        "cla@2025-03-31",
    )
    assert out.at[1, "2024-25"].numerator is None and out.at[1, "Out of, 2024-25"].key is None
