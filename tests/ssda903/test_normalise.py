import datetime as dt

import pandas as pd

from cpkit.ssda903.normalise import clean_code, collection_year, parse_dates


def test_dates_in_every_form_councils_export():
    raw = pd.Series(
        [
            "01/04/2024",  # DfE form
            "2024-04-02",  # ISO
            "2024-04-03 00:00:00",  # ISO with time (database export)
            "04/04/2024 13:45",  # dd/mm/yyyy with time
            " 45387 ",  # Excel serial 45387 = 5 April 2024 (45292 is 1 Jan 2024, + 95 days)
            "",  # blank: missing, not bad
            None,
            "31/02/2024",  # no such day
            "next week",
        ]
    )
    dates, bad = parse_dates(raw)
    expected = ["2024-04-01", "2024-04-02", "2024-04-03", "2024-04-04", "2024-04-05"]
    assert list(dates[:5]) == [pd.Timestamp(d) for d in expected]
    assert dates[5:].isna().all()
    assert bad.tolist() == [False] * 7 + [True, True]
    assert str(dates.dtype) == "datetime64[ns]"


def test_dates_from_xlsx_objects():
    raw = pd.Series(
        [dt.datetime(2024, 4, 1, 9, 30), pd.Timestamp("2024-04-02"), 45387, 45387.0, 12.5, None], dtype=object
    )
    dates, bad = parse_dates(raw)
    assert list(dates[:4]) == [
        pd.Timestamp(d) for d in ("2024-04-01", "2024-04-02", "2024-04-05", "2024-04-05")
    ]
    assert bad.tolist() == [False, False, False, False, True, False]


def test_codes_are_stripped_upper_cased_and_old_sex_codes_mapped():
    assert clean_code(pd.Series([" c2", "u4 ", "", None])).tolist()[:2] == ["C2", "U4"]
    assert clean_code(pd.Series([" c2", "", None])).isna().tolist() == [False, True, True]
    assert clean_code(pd.Series(["1", "2", "m", "U"]), "SEX").tolist() == ["M", "F", "M", "U"]


def test_collection_year_runs_april_to_march():
    d = pd.Series(pd.to_datetime(["2024-03-31", "2024-04-01", None]))
    assert collection_year(d).tolist() == [2024, 2025, pd.NA]
