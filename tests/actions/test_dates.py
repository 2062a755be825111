from datetime import date

import pytest

from cpkit.actions.dates import find_dates, parse_due


@pytest.mark.parametrize(
    ("text", "due", "revised"),
    [
        ("October 2025", date(2025, 10, 31), None),
        ("End of May 2026", date(2026, 5, 31), None),
        ("26th December 2025", date(2025, 12, 26), None),
        ("Dec 25", date(2025, 12, 31), None),
        ("Jan-26", date(2026, 1, 31), None),
        ("Feb 2024", date(2024, 2, 29), None),
        ("End of spring term 2026", date(2026, 3, 31), None),
        ("Summer term 2025", date(2025, 7, 31), None),
        ("Autumn 2025", date(2025, 12, 31), None),
        ("Spring term 2025/26", date(2026, 3, 31), None),
        ("Q3 2025/26", date(2025, 12, 31), None),
        ("Q4 2025/26", date(2026, 3, 31), None),
        ("Q1 2025-26", date(2025, 6, 30), None),
        ("2025/26", date(2026, 3, 31), None),
        ("By end of 2026", date(2026, 12, 31), None),
        ("31/03/2026", date(2026, 3, 31), None),
        ("1.4.25", date(2025, 4, 1), None),
        ("Oct/Nov 2025 Spring 2026", date(2025, 11, 30), date(2026, 3, 31)),
        ("March 2025 revised to June 2025", date(2025, 3, 31), date(2025, 6, 30)),
        ("April 2025 - March 2026", date(2026, 3, 31), None),
    ],
)
def test_free_text_due_dates(text, due, revised):
    reading = parse_due(text)
    assert (reading.kind, reading.due, reading.revised) == ("date", due, revised)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "missing"),
        ("Ongoing", "ongoing"),
        ("annually", "ongoing"),
        ("TBC", "unparseable"),
        ("31/02/2025", "unparseable"),
    ],
)
def test_cells_without_a_date(text, kind):
    reading = parse_due(text)
    assert (reading.kind, reading.due) == (kind, None)


def test_status_written_in_the_date_cell_is_a_hint():
    reading = parse_due("Complete Nov 2025")
    assert reading.due == date(2025, 11, 30)
    assert reading.status_hint is not None and reading.status_hint.status == "complete"
    assert parse_due("Ongoing").status_hint is None


def test_found_dates_carry_first_and_last_day():
    (d,) = find_dates("Jan-26: agreed")
    assert (d.first, d.last) == (date(2026, 1, 1), date(2026, 1, 31))


def test_a_dotted_ref_is_not_a_date():
    assert find_dates("see action 4.3.1") == []
