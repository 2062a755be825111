"""load_903 on small hand-written files: each kind of mess, xlsx, cp1252, stacking and set-aside rows."""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest

from cpkit.ssda903 import load_903
from cpkit.ssda903.files import return_year_from_name
from cpkit.ssda903.read import recognise

from .helpers import CLEAN_EPISODES, CLEAN_HEADER, EPISODES, HEADER, csv, write


def issues_of(data, rule):
    return data.issues[data.issues["rule"] == rule]


def test_tables_recognised_by_columns_not_file_names(tmp_path):
    # Headings shuffled, lower-case, padded; file names say nothing.
    write(tmp_path / "a.csv", csv(" dob ,child,Sex,ETHNIC,upn,MOTHER,MC_DOB", "01/06/2012,C1,M,WBRI,,,"))
    write(tmp_path / "b.csv", CLEAN_EPISODES)
    data = load_903(tmp_path)
    assert data.header["CHILD"].tolist() == ["C1"]
    assert data.header["DOB"].tolist() == [pd.Timestamp("2012-06-01")]
    assert len(data.episodes) == 2
    assert data.sources["table"].tolist() == ["Header", "Episodes"]


def test_unrecognised_file_and_extra_columns_are_reported_not_fatal(tmp_path):
    write(tmp_path / "notes.csv", csv("NAME,TEAM", "x,y"))
    write(tmp_path / "header.csv", csv(HEADER + ",SOCIAL_WORKER", "C1,M,01/06/2012,WBRI,,,,Smith"))
    data = load_903(tmp_path)
    unrec = issues_of(data, "file_unrecognised")
    assert unrec["file"].str.endswith("notes.csv").all() and len(unrec) == 1
    assert unrec["column"].iloc[0] == "NAME, TEAM"  # the columns found
    extra = issues_of(data, "extra_columns")
    assert extra["column"].tolist() == ["SOCIAL_WORKER"] and extra["row"].tolist() == [1]
    assert len(data.header) == 1 and "SOCIAL_WORKER" not in data.header.columns
    assert data.sources["table"].isna().sum() == 1  # notes.csv listed, with no table


def test_missing_column_reported_with_severity_by_need(tmp_path):
    # Episodes without URN (optional: warning) and without LS (required: error); still read.
    cols = EPISODES.replace(",URN", "").replace(",LS", "")
    write(tmp_path / "e.csv", csv(cols, "C1,01/05/2024,S,N1,U4,PR1,,,,S1 1AA,S2 2BB"))
    data = load_903(tmp_path)
    miss = issues_of(data, "missing_column").set_index("column")["severity"].to_dict()
    assert miss == {"LS": "error", "URN": "warning"}
    assert data.episodes["URN"].isna().all() and len(data.episodes) == 1


def test_row_numbers_count_the_heading_as_row_1_and_survive_blank_rows(tmp_path):
    write(
        tmp_path / "e.csv",
        csv(
            EPISODES,
            "C1,01/05/2024,S,C2,N1,U4,PR1,,,,,,",  # row 2
            "",  # row 3: empty line
            ",,,,,,,,,,,,",  # row 4: commas only
            "C2,31/13/2024,S,C2,N1,U4,PR1,,,,,,",  # row 5: impossible DECOM -> set aside
            "C3,,S,C2,N1,U4,PR1,,,,,,",  # row 6: blank DECOM -> set aside
            ",01/05/2024,S,C2,N1,U4,PR1,,,,,,",  # row 7: no CHILD -> set aside
            "C4,02/05/2024,S,C2,N1,U4,PR1,,,,,,",  # row 8
        ),
    )
    data = load_903(tmp_path)
    assert data.episodes["source_row"].tolist() == [2, 8]
    aside = data.set_aside.set_index("row")["reason"]
    assert aside.to_dict() == {
        3: "blank row",
        4: "blank row",
        5: "DECOM is not a readable date",
        6: "DECOM is blank",
        7: "no child identifier (CHILD)",
    }
    bad = issues_of(data, "unparseable_date")
    assert bad[["row", "column", "value", "severity"]].values.tolist() == [
        [5, "DECOM", "31/13/2024", "error"]
    ]
    assert issues_of(data, "missing_key_date")["row"].tolist() == [6]
    assert issues_of(data, "missing_child")["row"].tolist() == [7]
    assert "2 blank rows" in issues_of(data, "blank_rows")["message"].iloc[0]
    # every data row is either kept or set aside: 7 rows in the file
    assert len(data.episodes) + len(data.set_aside) == 7
    assert data.sources["rows"].tolist() == [7]


def test_messy_values_normalised_in_one_place(tmp_path):
    write(tmp_path / "h.csv", csv(HEADER, " C1 , 1 ,2012-06-01 00:00:00, wbri ,,,", "C2,2,45000,WBRI,,,"))
    write(tmp_path / "e.csv", csv(EPISODES, "C1 ,01/05/2024,s,c2 ,n1,u4,pr1,,,,s1 1aa,,"))
    data = load_903(tmp_path)
    h = data.header
    assert h["CHILD"].tolist() == ["C1", "C2"]
    assert h["SEX"].tolist() == ["M", "F"]  # 1/2 -> M/F
    assert h["ETHNIC"].tolist() == ["WBRI", "WBRI"]
    # 45000 is an Excel serial: 1 Jan 2023 is 44927, so 45000 is 73 days later, 15 March 2023.
    assert h["DOB"].tolist() == [pd.Timestamp("2012-06-01"), pd.Timestamp("2023-03-15")]
    e = data.episodes
    assert e[["CHILD", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER"]].values.tolist() == [
        ["C1", "S", "C2", "N1", "U4", "PR1"]
    ]
    assert e["HOME_POST"].tolist() == ["s1 1aa"]  # text kept as given, only stripped
    assert e["DEC"].isna().all() and e["REC"].isna().all()
    assert str(e["DECOM"].dtype) == "datetime64[ns]" and str(e["return_year"].dtype) == "Int64"


def test_sex_1_2_in_a_2025_return_is_reported(tmp_path):
    write(tmp_path / "2024-25" / "h.csv", csv(HEADER, "C1,1,01/06/2012,WBRI,,,"))
    data = load_903(tmp_path)
    assert data.header["SEX"].tolist() == ["M"]
    assert issues_of(data, "old_code_set")["row"].tolist() == [2]


def test_cp1252_text_from_excel(tmp_path):
    # 0x92 is a curly apostrophe in cp1252 and invalid in UTF-8.
    write(tmp_path / "h.csv", csv(HEADER, "O\u2019NEIL,F,01/06/2012,WBRI,,,"), encoding="cp1252")
    data = load_903(tmp_path)
    assert data.header["CHILD"].tolist() == ["O\u2019NEIL"]
    assert len(issues_of(data, "encoding_fallback")) == 1


def test_utf8_bom_is_not_part_of_the_first_heading(tmp_path):
    write(tmp_path / "h.csv", csv(HEADER, "C1,F,01/06/2012,WBRI,,,"), encoding="utf-8-sig")
    data = load_903(tmp_path)
    assert len(data.header) == 1 and data.issues.empty


def test_short_and_long_rows(tmp_path):
    # Row 2 lacks trailing empty cells (padded); row 3 has a stray filled extra field (set aside).
    write(
        tmp_path / "h.csv",
        csv(HEADER, "C1,F,01/06/2012,WBRI", "C2,F,01/06/2012,WBRI,,,,oops", "C3,M,01/01/2013,WBRI,,,"),
    )
    data = load_903(tmp_path)
    assert data.header["CHILD"].tolist() == ["C1", "C3"]
    assert data.set_aside[["row", "reason"]].values.tolist() == [[3, "more fields than column headings"]]
    assert issues_of(data, "extra_fields")["row"].tolist() == [3]


def test_sources_carry_sha256(tmp_path):
    f = write(tmp_path / "h.csv", CLEAN_HEADER)
    data = load_903(f)
    assert data.sources["sha256"].tolist() == [hashlib.sha256(f.read_bytes()).hexdigest()]
    assert data.sources["path"].tolist() == [str(f)] and data.header["source_file"].tolist() == [str(f)]


def test_xlsx_workbook_with_a_sheet_per_table(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Header"
    ws.append(HEADER.split(","))
    ws.append(["C1", "m", pd.Timestamp("2012-06-01").to_pydatetime(), "WBRI", None, None, None])
    ws.append([None] * 7)  # blank row 3
    ws.append([1234, 2, 41061, "WBRI"])  # numeric CHILD, SEX 2, DOB as a serial number
    ep = wb.create_sheet("Sheet2")
    ep.append([])  # headings start on row 2
    ep.append(EPISODES.split(","))
    ep.append(["C1", "01/05/2024", "S", "C2", "N1", "U4", "PR1", None, None, None, None, None, None])
    wb.create_sheet("Notes").append(["anything", "else"])
    path = tmp_path / "return.xlsx"
    wb.save(path)

    data = load_903(path)
    h = data.header
    assert h["CHILD"].tolist() == ["C1", "1234"]
    assert h["SEX"].tolist() == ["M", "F"]
    # 41061: 40909 is 1 Jan 2012, + 152 days = 1 June 2012.
    assert h["DOB"].tolist() == [pd.Timestamp("2012-06-01")] * 2
    assert h["source_row"].tolist() == [2, 4]
    assert data.set_aside["row"].tolist() == [3]
    assert data.episodes["source_row"].tolist() == [3]
    assert data.episodes["source_file"].tolist() == [f"{path} [Sheet2]"]
    assert len(issues_of(data, "file_unrecognised")) == 1
    assert set(data.sources["path"]) == {f"{path} [Header]", f"{path} [Sheet2]", f"{path} [Notes]"}


@pytest.mark.parametrize(
    "name,year",
    [
        ("2025", 2025),
        ("2024-25", 2025),
        ("2024_25", 2025),
        ("202425", 2025),
        ("2024-2025", 2025),
        ("returns 2023-24", 2024),
        ("ssda903", None),
        ("2024-26", None),
    ],
)
def test_year_folder_names(name, year):
    assert return_year_from_name(name) == year


def test_recognise_needs_a_clear_winner():
    assert recognise(["child", "dob", "review", "review_code"]) == "reviews"
    assert recognise(["CHILD", "SEX", "DOB", "DUC"]) == "uasc"
    assert recognise(["CHILD", "DOB"]) is None


@pytest.fixture(scope="module")
def stacked(tmp_path_factory):
    """Two returns. Episode C1/01/05/2023 is open in 2023-24 and closed in 2024-25 (the later carries
    DEC/REC); the 2024-25 header changes C1's ethnicity; OC3 rows are per year; an exact copy of an
    OC3 row in 2024-25 is the only within-year duplicate."""
    tmp_path = tmp_path_factory.mktemp("stack")
    write(
        tmp_path / "2023-24" / "header.csv", csv(HEADER, "C1,1,01/06/2006,WOTH,,,", "C2,2,01/01/2010,WBRI,,,")
    )
    write(
        tmp_path / "2023-24" / "episodes.csv",
        csv(
            EPISODES,
            "C1,01/05/2023,S,C2,N1,U4,PR1,,,,,,",
            "C2,01/06/2023,S,V2,N1,U4,PR1,01/07/2023,E13,,,,",
        ),
    )
    write(tmp_path / "2024-25" / "header.csv", csv(HEADER, "C1,M,01/06/2006,WBRI,,,"))
    write(
        tmp_path / "2024-25" / "episodes.csv",
        csv(
            EPISODES,
            "C1,01/05/2023,S,C2,N1,U4,PR1,01/06/2024,E17,,,,",
        ),
    )
    oc3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM"
    write(tmp_path / "2023-24" / "oc3.csv", csv(oc3, "C9,01/06/2005,YES,F2,U1"))
    write(tmp_path / "2024-25" / "oc3.csv", csv(oc3, "C9,01/06/2005,YES,F2,U1", "C9,01/06/2005,YES,F2,U1"))
    return tmp_path, load_903(tmp_path)


def test_stacking_keeps_the_latest_version_of_each_episode(stacked):
    _, data = stacked
    e = data.episodes.sort_values("CHILD")
    assert e["CHILD"].tolist() == ["C1", "C2"]
    c1 = e.iloc[0]
    assert c1["DEC"] == pd.Timestamp("2024-06-01") and c1["REC"] == "E17" and c1["return_year"] == 2025
    assert e.iloc[1]["return_year"] == 2024  # only in the older return: kept


def test_stacking_header_latest_row_per_child_and_per_year_tables(stacked):
    _, data = stacked
    h = data.header.set_index("CHILD")
    assert h.loc["C1", "ETHNIC"] == "WBRI" and h.loc["C1", "return_year"] == 2025
    assert h.loc["C2", "return_year"] == 2024
    # OC3: one row per year kept; the exact copy within 2024-25 set aside.
    assert sorted(data.oc3["return_year"].tolist()) == [2024, 2025]


def test_stacking_counts_every_removed_row(stacked):
    tmp_path, data = stacked
    reasons = data.set_aside.sort_values(["table", "row"])[["table", "row", "reason"]].values.tolist()
    sep = "/" if "/" in str(tmp_path) else "\\"
    assert reasons == [
        ["Episodes", 2, "episode superseded by the 2025 return"],
        ["Header", 2, "Header row superseded by the 2025 return"],
        ["OC3", 3, f"exact copy of {tmp_path}{sep}2024-25{sep}oc3.csv row 2"],
    ]
    assert len(issues_of(data, "duplicate_row")) == 1  # stacking duplicates are not problems


def test_duplicate_header_rows_within_one_return(tmp_path):
    write(
        tmp_path / "h.csv",
        csv(
            HEADER,
            "C1,M,01/06/2012,WBRI,,,",
            "C1,F,01/06/2012,WBRI,,,",
            "C2,M,01/06/2012,WBRI,,,",
            "C2,M,01/06/2012,WBRI,,,",
        ),
    )
    data = load_903(tmp_path)
    assert data.header[["CHILD", "SEX"]].values.tolist() == [["C1", "F"], ["C2", "M"]]
    assert issues_of(data, "duplicate_child")[["row", "severity"]].values.tolist() == [[2, "error"]]
    assert issues_of(data, "duplicate_row")["row"].tolist() == [5]


def test_one_file_of_all_episodes_since_some_date(tmp_path):
    write(
        tmp_path / "all_episodes.csv",
        csv(
            EPISODES,
            "C1,01/05/2015,S,C2,N1,U4,PR1,01/05/2016,X1,,,,",
            "C1,01/05/2016,P,C2,N1,U6,PR1,,,CARPL,,,",
        ),
    )
    data = load_903(tmp_path)
    assert len(data.episodes) == 2 and data.episodes["return_year"].isna().all() and data.set_aside.empty


def test_a_list_of_inputs_and_a_missing_path(tmp_path):
    h = write(tmp_path / "x" / "h.csv", CLEAN_HEADER)
    e = write(tmp_path / "y" / "e.csv", CLEAN_EPISODES)
    data = load_903([h, tmp_path / "y"])
    assert len(data.header) == 1 and len(data.episodes) == 2 and str(e) in set(data.sources["path"])
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_903(tmp_path / "nowhere")


def test_empty_files_are_errors_and_other_files_are_noted(tmp_path):
    write(tmp_path / "2025" / "empty.csv", "")
    write(tmp_path / "2025" / "headings_only.csv", HEADER)  # no newline, no rows: Header is needed
    write(tmp_path / "2025" / "oc3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n")  # no care leavers: fine
    write(tmp_path / "readme.md", "notes")
    write(tmp_path / "~$lock.xlsx", "")  # Excel's lock file: ignored
    data = load_903(tmp_path)
    found = data.issues[["rule", "table", "severity", "year"]].sort_values("rule").astype("object")
    assert found.fillna("-").values.tolist() == [
        ["empty_file", "-", "error", 2025],
        ["file_skipped", "-", "info", "-"],
        ["table_without_rows", "Header", "error", 2025],
        ["table_without_rows", "OC3", "info", 2025],
    ]
    assert sorted(data.sources["rows"].tolist()) == [0, 0, 0] and data.header.empty


def test_rows_of_a_file_without_its_key_date_column_are_set_aside(tmp_path):
    write(tmp_path / "e.csv", csv(EPISODES.replace("DECOM,", ""), "C1,S,C2,N1,U4,PR1,,,,,,"))
    data = load_903(tmp_path)
    assert data.episodes.empty
    assert data.set_aside[["row", "reason"]].values.tolist() == [[2, "no DECOM column in the file"]]
    missing = data.issues[data.issues["rule"] == "missing_column"]
    assert missing[["column", "severity", "row"]].values.tolist() == [["DECOM", "error", 1]]
