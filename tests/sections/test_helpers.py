"""The shared comparison helpers: sentences, suppression in two-year tables, measure tables."""

from __future__ import annotations

import pandas as pd

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
