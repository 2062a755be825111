"""In-year periods: quarters of the financial year, year to date and rolling 12 months, each with the same
period a year earlier (the comparison a Performance on a Page makes)."""

from __future__ import annotations

from datetime import date

import pytest

from cpkit.config import Period
from cpkit.errors import ConfigError


@pytest.mark.parametrize(
    ("year", "quarter", "kind", "start", "end", "label", "folder"),
    [
        (2026, 1, "quarter", date(2025, 4, 1), date(2025, 6, 30), "Q1 2025-26", "2025-26-Q1"),
        (2026, 2, "quarter", date(2025, 7, 1), date(2025, 9, 30), "Q2 2025-26", "2025-26-Q2"),
        (2026, 3, "quarter", date(2025, 10, 1), date(2025, 12, 31), "Q3 2025-26", "2025-26-Q3"),
        (2026, 4, "quarter", date(2026, 1, 1), date(2026, 3, 31), "Q4 2025-26", "2025-26-Q4"),
        (2024, 4, "quarter", date(2024, 1, 1), date(2024, 3, 31), "Q4 2023-24", "2023-24-Q4"),  # leap year
        (2026, 3, "ytd", date(2025, 4, 1), date(2025, 12, 31), "2025-26 to Q3", "2025-26-Q3"),
        (
            2026,
            1,
            "rolling12",
            date(2024, 7, 1),
            date(2025, 6, 30),
            "12 months to 30 June 2025",
            "2025-26-Q1",
        ),
        (
            2026,
            4,
            "rolling12",
            date(2025, 4, 1),
            date(2026, 3, 31),
            "12 months to 31 March 2026",
            "2025-26-Q4",
        ),
    ],
)
def test_in_year_periods(year, quarter, kind, start, end, label, folder):
    p = Period.in_year(year, quarter, kind)
    assert (p.start, p.end, p.label, p.folder) == (start, end, label, folder)


def test_same_period_last_year_and_the_quarter_before():
    q3 = Period.in_year(2026, 3)
    assert (q3.previous().start, q3.previous().end) == (date(2024, 10, 1), date(2024, 12, 31))
    assert q3.quarter_before().label == "Q2 2025-26"
    assert Period.in_year(2026, 1).quarter_before().label == "Q4 2024-25"
    assert Period.in_year(2026, 3, "ytd").previous().label == "2024-25 to Q3"


def test_the_annual_periods_are_unchanged():
    fy = Period.from_year(2025)
    assert (fy.start, fy.end, fy.label, fy.folder, fy.quarter) == (
        date(2024, 4, 1),
        date(2025, 3, 31),
        "2024-25",
        "2025",
        None,
    )
    assert Period.from_year(2025, "calendar").label == "2025"


@pytest.mark.parametrize("quarter", [0, 5, None])
def test_a_quarter_must_be_one_to_four(quarter):
    with pytest.raises(ConfigError, match="quarter must be 1, 2, 3 or 4"):
        Period.from_year(2026, "quarter", quarter)
