"""One date layout per file column, decided from all its values (issue 18, dates).

Each case is built from the situation the issue describes: a column as another system writes it. On
the kit before this change, dd/mm/yy cells were unreadable (every finished episode looked open) and
mm/dd/yyyy cells were read day-first where the day was 12 or under and dropped elsewhere.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from cpkit.care.episodes import cla_on
from cpkit.care.flows import children_ceased, children_started
from cpkit.ssda903 import load_903
from cpkit.ssda903.normalise import (
    DAY_FIRST,
    MONTH_FIRST,
    decide_layout,
    parse_dates,
    survey_dates,
)

from .helpers import EPISODES, HEADER, csv, write

T = pd.Timestamp


def layout_of(values, elsewhere=None):
    s = pd.Series(values, dtype="str")
    survey = survey_dates(s)
    return survey, decide_layout(survey, s, elsewhere)


def test_two_digit_years_are_read_with_the_documented_century():
    # 11/08/24 is 11 August 2024 (day first: 08 is the month); 69 is the last year read as 20xx,
    # 70 the first read as 19xx; a DOB of 03/02/09 is 3 February 2009.
    dates, bad = parse_dates(pd.Series(["11/08/24", "30/06/69", "01/01/70", "03/02/09"]))
    assert list(dates) == [T("2024-08-11"), T("2069-06-30"), T("1970-01-01"), T("2009-02-03")]
    assert not bad.any()


def test_a_column_with_a_value_that_only_fits_month_first_is_read_month_first():
    # 08/13/2024 has no month 13 read day-first, so the column is a US export: 03/04/2024 is
    # 4 March, not 3 April (which is what reading cell by cell gave).
    survey, layout = layout_of(["03/04/2024", "08/13/2024", "12/31/2023 00:00"])
    assert layout.order == MONTH_FIRST and layout.example == (1, "08/13/2024")
    dates, bad = survey.read(layout.order, pd.RangeIndex(3))
    assert list(dates) == [T("2024-03-04"), T("2024-08-13"), T("2023-12-31")]
    assert not bad.any()


def test_a_column_no_one_layout_reads_is_refused_with_an_example():
    # 13/08/2024 fits only day-first, 08/13/2024 only month-first: no single rule reads both.
    survey, layout = layout_of(["01/02/2024", "13/08/2024", "08/13/2024"])
    assert layout.order is None and layout.rule == "date_column_mixed"
    assert "13/08/2024" in layout.reason and "08/13/2024" in layout.reason
    dates, bad = survey.read(layout.order, pd.RangeIndex(3))
    assert dates.isna().all() and bad.all()


def test_a_column_fitting_both_orders_is_day_first_unless_the_return_writes_month_first():
    survey, alone = layout_of(["03/04/2024", "05/06/2024"])
    assert alone.order == DAY_FIRST  # the DfE's own form
    _, beside_us = layout_of(["03/04/2024", "05/06/2024"], "episodes.csv column DECOM (08/13/2024 at row 3)")
    assert beside_us.order is None and beside_us.rule == "date_column_ambiguous"
    assert beside_us.example == (0, "03/04/2024") and "episodes.csv column DECOM" in beside_us.reason
    # A column that proves itself day-first is read day-first whatever the rest of the return does.
    _, own_proof = layout_of(["03/04/2024", "25/06/2024"], "episodes.csv column DECOM (08/13/2024 at row 3)")
    assert own_proof.order == DAY_FIRST


def test_every_form_an_export_holds_with_or_without_a_time():
    raw = pd.Series(
        [
            "11-Aug-24",  # d-Mon-yy
            "1 September 2024",
            "2-sept-2024",
            "2024-04-01T09:15:00Z",  # ISO with a time and zone
            "45387.75",  # Excel serial with a time of day: 5 April 2024 18:00
            "4/1/2024 1:45 PM",  # numbers with a 12-hour time (fits both orders; read day-first alone)
            "20240401",  # ISO without separators (a database export)
        ]
    )
    dates, bad = parse_dates(raw)
    assert list(dates) == [
        T("2024-08-11"),
        T("2024-09-01"),
        T("2024-09-02"),
        T("2024-04-01"),
        T("2024-04-05"),
        T("2024-01-04"),
        T("2024-04-01"),
    ]
    assert not bad.any()


def test_workbook_date_cells_and_serial_numbers_with_times():
    raw = pd.Series(
        [dt.datetime(2024, 4, 1, 23, 59), 45387.5, 45387, "31/02/2024", "01/04/0024"], dtype=object
    )
    dates, bad = parse_dates(raw)
    assert list(dates[:3]) == [T("2024-04-01"), T("2024-04-05"), T("2024-04-05")]
    assert bad.tolist() == [False, False, False, True, True]  # no 31 February; no year 24 AD


# --- The reader: files as other systems write them ------------------------------------------------------


# Three children in the 2024-25 return (year ending 31 March 2025):
# C1 in care 1 May 2024 to 11 August 2024 (E11: left); C2 from 3 February 2025, still in care;
# C3 from 20 April 2023 (an earlier year) to 1 March 2025 (E4A).
# Worked: in care on 31 March 2025: C2 only = 1; started in the year: C1, C2 = 2; ceased: C1, C3 = 2.
def _return(tmp_path, dates):
    d = dates
    write(
        tmp_path / "2025" / "header.csv",
        csv(HEADER, f"C1,M,{d['dob1']},WBRI,,,", f"C2,F,{d['dob2']},WBRI,,,", f"C3,F,{d['dob3']},WBRI,,,"),
    )
    write(
        tmp_path / "2025" / "episodes.csv",
        csv(
            EPISODES,
            f"C1,{d['s1']},S,C2,N1,U4,PR1,{d['e1']},E11,,,,",
            f"C2,{d['s2']},S,C2,N1,U4,PR1,,,,,,",
            f"C3,{d['s3']},S,C2,N1,U4,PR1,{d['e3']},E4A,,,,",
        ),
    )
    return load_903(tmp_path)


def _figures(data):
    return (
        cla_on(data, "2025-03-31"),
        len(children_started(data, "2024-04-01", "2025-03-31")),
        len(children_ceased(data, "2024-04-01", "2025-03-31")),
    )


def test_day_first_two_digit_years_give_the_right_figures(tmp_path):
    # Before: every two-digit date unreadable, every episode set aside: (0, 0, 0).
    data = _return(
        tmp_path,
        dict(dob1="01/06/12", dob2="17/09/10", dob3="25/12/08", s1="01/05/24", e1="11/08/24",
             s2="03/02/25", s3="20/04/23", e3="01/03/25"),
    )  # fmt: skip
    assert _figures(data) == (1, 2, 2)
    assert data.header["DOB"].tolist() == [T("2012-06-01"), T("2010-09-17"), T("2008-12-25")]
    notes = data.issues[data.issues["rule"] == "date_layout"]
    assert "dd/mm/yy" in notes["message"].iloc[0] and "two-digit years" in notes["message"].iloc[0]
    assert not (data.issues["severity"] == "error").any()


def test_us_dates_give_the_right_figures(tmp_path):
    # The same return from a US system (C1 leaves on 21 August here: ceased still 2). 05/01/2024 is
    # 1 May and 02/03/2025 is 3 February. Before: read day-first where it fitted and dropped elsewhere
    # (C1 started 5 January 2024, before the year; its DEC unreadable, so still in care; C3 set aside):
    # (2, 1, 0).
    # Each column proves itself month-first: 04/20/2023, 08/21/2024, 09/17/2010 (no month 17, 20, 21).
    data = _return(
        tmp_path,
        dict(dob1="06/01/2012", dob2="09/17/2010", dob3="12/25/2008", s1="05/01/2024", e1="08/21/2024",
             s2="02/03/2025", s3="04/20/2023", e3="03/01/2025"),
    )  # fmt: skip
    assert _figures(data) == (1, 2, 2)
    assert data.episodes.sort_values("CHILD")["DECOM"].tolist() == [
        T("2024-05-01"),
        T("2025-02-03"),
        T("2023-04-20"),
    ]
    notes = data.issues[data.issues["rule"] == "date_layout"]
    assert set(notes["column"]) == {"DOB", "DECOM", "DEC"}
    assert notes["message"].str.contains("month first").all()


def test_an_ambiguous_column_beside_us_dates_is_refused_with_file_column_row_and_example(tmp_path):
    # Every DOB fits both orders (06/01/2012, 09/10/2010, 12/05/2008), but the episodes in the same
    # return folder are month-first (04/20/2023): the DOBs cannot be read safely either way.
    data = _return(
        tmp_path,
        dict(dob1="06/01/2012", dob2="09/10/2010", dob3="12/05/2008", s1="05/01/2024", e1="08/21/2024",
             s2="02/03/2025", s3="04/20/2023", e3="03/01/2025"),
    )  # fmt: skip
    refused = data.issues[data.issues["rule"] == "date_column_ambiguous"]
    assert len(refused) == 1
    r = refused.iloc[0]
    assert r["file"].endswith("header.csv") and r["column"] == "DOB" and r["row"] == 2
    assert r["severity"] == "error" and r["value"] == "06/01/2012"
    assert "episodes.csv column DECOM (04/20/2023 at row 4)" in r["message"]
    assert data.header["DOB"].isna().all()  # not read either way


def test_a_mixed_column_sets_its_rows_aside_with_one_error(tmp_path):
    data = _return(
        tmp_path,
        dict(dob1="01/06/2012", dob2="17/09/2010", dob3="25/12/2008", s1="01/05/2024", e1="11/08/2024",
             s2="02/13/2025", s3="20/04/2023", e3="01/03/2025"),
    )  # fmt: skip
    refused = data.issues[data.issues["rule"] == "date_column_mixed"]
    assert refused[["column", "row", "value"]].values.tolist() == [["DECOM", 3, "02/13/2025"]]
    assert len(data.episodes) == 0
    assert (data.set_aside["reason"] == "DECOM column not read (its date layout is refused)").sum() == 3
    assert (data.issues["rule"] == "unparseable_date").sum() == 0  # one error for the column, not one a row


def test_workbook_with_date_cells_serial_numbers_and_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Episodes"
    ws.append(EPISODES.split(","))
    # C1: real date cells with a time; C2: a serial number cell (45691 = 3 February 2025: 1 January
    # 1900 is serial 2 in Excel's count, so 30 December 1899 + 45691 days); C3 text.
    ws.append(
        ["C1", dt.datetime(2024, 5, 1, 9, 0), "S", "C2", "N1", "U4", "PR1", dt.datetime(2024, 8, 11), "E11"]
    )
    ws.append(["C2", 45691, "S", "C2", "N1", "U4", "PR1", None, None])
    ws.append(["C3", "20/04/2023", "S", "C2", "N1", "U4", "PR1", "01/03/2025", "E4A"])
    hs = wb.create_sheet("Header")
    hs.append(HEADER.split(","))
    # 40438 is 17 September 2010
    for child, dob in (("C1", dt.date(2012, 6, 1)), ("C2", 40438), ("C3", "25/12/2008")):
        hs.append([child, "M", dob, "WBRI"])
    (tmp_path / "2025").mkdir()
    wb.save(tmp_path / "2025" / "return.xlsx")
    data = load_903(tmp_path)
    assert _figures(data) == (1, 2, 2)
    assert sorted(data.header["DOB"].tolist()) == [T("2008-12-25"), T("2010-09-17"), T("2012-06-01")]


def test_one_slip_in_a_long_day_first_column_is_an_unreadable_date_not_a_refused_column():
    # 25 rows that only fit day-first (13/06/2024 ... 31/12/2024 with day > 12) and one clerk's 12/25/2024:
    # 1 in 26 rows (under 5%) is a slip, so the column is read day-first and that one row is unreadable.
    # Refusing the column would lose every date of the return (an earlier year's trends with it).
    days = [f"{d}/{m:02d}/2024" for m in (6, 7, 8, 9, 10) for d in (13, 14, 15, 16, 17)]
    values = pd.Series([*days, "12/25/2024", "03/04/2024"], dtype="str")
    survey = survey_dates(values)
    layout = decide_layout(survey, values)
    assert layout.order == DAY_FIRST and not layout.refused
    dates, bad = survey.read(layout.order, values.index)
    assert bad.tolist() == [False] * 25 + [True, False]
    assert dates.iloc[-1] == T("2024-04-03")  # the ambiguous value follows the column: 3 April
