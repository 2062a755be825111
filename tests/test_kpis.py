"""Local KPI files: one hand-built file per validation rule, each with the problem it must report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from cpkit.config import Period
from cpkit.errors import KpiError
from cpkit.kpis import load_kpis, parse_period

HEADER = "indicator,theme,period,value,numerator,denominator,target,polarity,unit,source"
GOOD = "Reviews on time,children in care,2024-25,92.5,185,200,95,high,percent,LCS report"


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "kpis.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_good_file_reads_with_numbers_and_dates(tmp_path):
    path = write(tmp_path, GOOD, "Foster carer households,fostering,2023-24,118,,,125,high,number,Fostering")
    got = load_kpis(path, Period.from_year(2025))
    first = got.iloc[0]
    assert (first.value, first.numerator, first.denominator, first.target) == (92.5, 185, 200, 95)
    assert (first.period_start, first.period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert got["current"].tolist() == [True, False]  # 2023-24 is last year's comparator
    assert pd.isna(got.iloc[1].numerator)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "Reviews on time,children in care,2024-25,92,,,,high,percentage,LCS",
            r"row 2, column 'unit': 'percentage'",
        ),
        (
            "Reviews on time,children in care,2025,92,,,,high,percent,LCS",
            r"row 2, column 'period'.*straddles",
        ),
        (
            "Reviews on time,children in care,2024-25,102,,,,high,percent,LCS",
            r"row 2, column 'value'.*over 100",
        ),
        (
            "Reviews on time,children in care,2024-25,,,,95,high,percent,LCS",
            r"row 2, column 'value': missing",
        ),
        ("Reviews on time,children in care,2024-25,92,,,,up,percent,LCS", r"row 2, column 'polarity': 'up'"),
        (
            "Reviews on time,social work,2024-25,92,,,,high,percent,LCS",
            r"row 2, column 'theme': 'social work'",
        ),
        (
            "Reviews on time,children in care,2024/25,92,,,,high,percent,LCS",
            r"row 2, column 'period'.*not a period",
        ),
        ("Reviews on time,children in care,2024-25,9o,,,,high,percent,LCS", r"row 2, column 'value': '9o'"),
        (
            "Reviews on time,children in care,2024-25,92,210,200,,high,percent,LCS",
            r"more than the denominator",
        ),
    ],
)
def test_each_rule_names_file_row_and_column(tmp_path, row, message):
    path = write(tmp_path, row)
    with pytest.raises(KpiError, match=message) as info:
        load_kpis(path, Period.from_year(2025))
    assert str(path) in str(info.value)


def test_other_years_rows_are_set_aside_and_counted_not_errors(tmp_path):
    # A KPI file grows each year: the 2024 report must still run on a file that already holds 2024-25 rows.
    path = write(
        tmp_path,
        GOOD,
        "Foster carer households,fostering,2021-22,118,,,125,high,number,Fostering",
        "Foster carer households,fostering,2025-26,120,,,125,high,number,Fostering",
    )
    got = load_kpis(path, Period.from_year(2025))
    assert sorted(got["period"]) == ["2024-25"]
    assert [(r["row"], r["period"]) for r in got.attrs["set_aside"]] == [(3, "2021-22"), (4, "2025-26")]


def test_all_problems_are_listed_together(tmp_path):
    path = write(tmp_path, GOOD, "PEPs up to date,education,2024-25,,,,,sideways,pct,VS")
    with pytest.raises(KpiError) as info:
        load_kpis(path)
    text = str(info.value)
    assert (
        text.startswith("3 problem(s)")
        and "row 3, column 'unit'" in text
        and "row 3, column 'polarity'" in text
    )


def test_duplicate_indicator_and_period(tmp_path):
    with pytest.raises(KpiError, match="appears more than once"):
        load_kpis(write(tmp_path, GOOD, GOOD))


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text("indicator,period,value\nX,2025,1\n", encoding="utf-8")
    with pytest.raises(KpiError, match="missing column\\(s\\) unit, polarity, theme"):
        load_kpis(path)


def test_xlsx_reads_the_same(tmp_path):
    frame = pd.read_csv(write(tmp_path, GOOD), dtype=str)
    frame.to_excel(tmp_path / "kpis.xlsx", index=False)
    assert load_kpis(tmp_path / "kpis.xlsx").iloc[0].value == 92.5


def test_periods():
    assert parse_period("2024-25 Q1") == (date(2024, 4, 1), date(2024, 6, 30))
    assert parse_period("2024-25 Q4") == (date(2025, 1, 1), date(2025, 3, 31))
    assert parse_period("2025-02") == (date(2025, 2, 1), date(2025, 2, 28))
    assert parse_period("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ValueError):
        parse_period("2024-26")


def test_without_period_every_year_is_accepted(tmp_path):
    path = write(tmp_path, GOOD.replace("2024-25", "2019-20"))
    assert load_kpis(path).iloc[0].current


def test_shipped_sample_passes_every_check(root):

    got = load_kpis(root / "data" / "sample" / "kpis.csv", Period.from_year(2025))
    assert set(got["theme"]) >= {"education", "health", "care leavers", "fostering"}
    assert got["current"].sum() == len(got) / 2  # 2024-25 and 2023-24, one row each per indicator


def test_sample_is_deterministic(tmp_path, root):
    from cpkit.sample.kpis import write_kpis

    assert write_kpis(tmp_path / "k.csv").read_bytes() == (root / "data" / "sample" / "kpis.csv").read_bytes()


# --- Decimal commas, contradictions, periods and unreadable files (issue 10) --------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        # "8,5" would be 85 with the comma dropped as a thousands separator: refused, not guessed
        (
            '"Missing episodes per child",children in care,2024-25,"8,5",,,,low,number,LCS',
            r"row 2, column 'value': '8,5' has a comma that is not a thousands separator",
        ),
        (
            'Reviews on time,children in care,2024-25,92.5,185,200,"9,5",high,percent,LCS',
            r"row 2, column 'target': '9,5' has a comma",
        ),
        # 185 / 200 = 92.5%: a value of 82.5 contradicts its own numerator and denominator
        (
            "Reviews on time,children in care,2024-25,82.5,185,200,95,high,percent,LCS",
            r"row 2, column 'value': 82.5 contradicts numerator 185 / denominator 200 = 92.5",
        ),
        # 30 per 10,000 of 52,000 would be 156 children, not 200 (200 / 52000 x 10000 = 38.5)
        (
            "Rate starting care,children in care,2024-25,30,200,52000,,neutral,rate_per_10k,LCS",
            r"row 2, column 'value': 30 contradicts numerator 200 / denominator 52000 = 38.5",
        ),
        (
            "Reviews on time,children in care,2024-25,0,0,0,95,high,percent,LCS",
            r"row 2, column 'denominator': 0",
        ),
        # a typo in the period is an error, never a row quietly left out of the year
        (
            "Reviews on time,children in care,2O24-25,92.5,185,200,95,high,percent,LCS",
            r"row 2, column 'period'.*not a period",
        ),
        (
            "Reviews on time,children in care,2024-52,92.5,185,200,95,high,percent,LCS",
            r"row 2, column 'period'.*not a period",
        ),
    ],
)
def test_commas_contradictions_and_period_typos_are_errors(tmp_path, row, message):
    with pytest.raises(KpiError, match=message):
        load_kpis(write(tmp_path, row), Period.from_year(2025))


def test_rounding_is_not_a_contradiction_and_thousands_separators_are_read(tmp_path):
    # 185 / 200 = 92.5% written as 93 (rounded to whole numbers); 1,234 is one thousand two hundred and 34
    path = write(
        tmp_path,
        "Reviews on time,children in care,2024-25,93,185,200,95,high,percent,LCS",
        'Visits,children in care,2024-25,"1,234",,,,high,number,LCS',
    )
    got = load_kpis(path, Period.from_year(2025)).set_index("indicator")
    assert got.at["Reviews on time", "value"] == 93 and got.at["Visits", "value"] == 1234


def test_a_semicolon_file_is_read(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text(HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n", encoding="utf-8")
    assert load_kpis(path, Period.from_year(2025)).iloc[0].value == 92.5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the KPI file is empty"),
        (HEADER.encode() + b"\n", "has headings but no rows"),
        (b"indicator;period\nA;2024-25\n", "row 1: missing column"),
        ("indicator,theme\nLooked after – à,x\n".encode("cp1252"), "not UTF-8"),
    ],
)
def test_an_unreadable_file_names_it_without_a_pandas_traceback(tmp_path, content, message):
    path = tmp_path / "kpis.csv"
    path.write_bytes(content)
    with pytest.raises(KpiError) as err:
        load_kpis(path, Period.from_year(2025))
    assert str(path) in str(err.value) and message in str(err.value)


def test_a_decimal_comma_is_refused_naming_row_column_and_the_fix(tmp_path):
    # quoted, the cell is one value: refused (87,4 is neither 874 nor a guess at 87.4), the fix spelt out
    path = write(tmp_path, 'Attendance,education,2024-25,"87,4",167,191,93,high,percent,VS')
    with pytest.raises(KpiError, match=r"row 2, column 'value': '87,4' .*with a point \(87\.4\)"):
        load_kpis(path, Period.from_year(2025))


def test_an_unquoted_decimal_comma_names_the_row_not_shifted_columns(tmp_path):
    # 87,4 unquoted splits into two cells: 11 cells under 10 headings. pandas took the first column as
    # the index and reported "theme '2024-25'" and "period '87'" on this row; the row itself is named.
    path = write(tmp_path, "Attendance,education,2024-25,87,4,167,191,93,high,percent,VS")
    with pytest.raises(KpiError) as err:
        load_kpis(path, Period.from_year(2025))
    message = str(err.value)
    assert "row 2: 11 cells but the heading row has 10" in message and "(87,4?)" in message
    assert "theme" not in message and "period" not in message


def test_the_run_warns_of_a_refused_kpi_file_only_when_the_report_cannot_use_it(tmp_path, caplog):
    from cpkit.config import Config
    from cpkit.report.prepare import _warn_kpis

    # a full-year row and a quarter: fine for the 2024-25 report and for the Q3 2025-26 page, which reads
    # the file whole (the full year straddles the page's window, Q3 2024-25 to Q3 2025-26, but the page
    # does not use it); a decimal comma is refused by both, and the warning names file, row and column
    write(tmp_path, GOOD, "Reviews on time,children in care,2025-26 Q3,90,90,100,95,high,percent,LCS")
    for period in (Period.from_year(2025), Period.in_year(2026, 3)):
        _warn_kpis(tmp_path, Config(), period)
    assert caplog.records == []
    write(tmp_path, GOOD.replace("92.5", '"92,5"'))
    _warn_kpis(tmp_path, Config(), Period.in_year(2026, 3))
    assert "kpis.csv: row 2, column 'value': '92,5'" in caplog.text
