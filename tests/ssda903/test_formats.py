"""Every form a council's SSDA903 export comes in, recognised from the content (small hand-made files)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cpkit.ssda903 import check_903, load_903
from cpkit.ssda903.councils import CouncilChoiceError

from .helpers import EPISODES, HEADER, csv, write

ROOT = Path(__file__).resolve().parents[2]
FAKE = ROOT.parent / "shared" / "data" / "ssda903_validator_fake"


def rules(data) -> dict[str, str]:
    return dict(zip(data.issues["rule"], data.issues["severity"], strict=True))


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_any_delimiter_and_encoding(tmp_path, delimiter, encoding):
    # O'NEIL with a curly apostrophe: a different byte in every encoding.
    lines = [HEADER, "O\u2019NEIL,F,01/06/2012,WBRI,,,"]
    write(tmp_path / "h.txt", csv(*(line.replace(",", delimiter) for line in lines)), encoding=encoding)
    data = load_903(tmp_path)
    assert data.header[["CHILD", "SEX"]].values.tolist() == [["O\u2019NEIL", "F"]]
    assert data.header["DOB"].tolist() == [pd.Timestamp("2012-06-01")]
    found = rules(data)
    assert ("delimiter" in found) == (delimiter != ",")
    assert ("encoding_fallback" in found) == (encoding in ("cp1252", "utf-16"))


def test_latin1_bytes_that_windows_1252_lacks(tmp_path):
    # 0x81 is undefined in Windows-1252; Latin-1 reads every byte.
    (tmp_path / "h.csv").write_bytes(f"{HEADER}\nC\x81,F,01/06/2012,WBRI,,,\n".encode("latin-1"))
    data = load_903(tmp_path)
    assert data.header["CHILD"].tolist() == ["C\x81"]
    assert "Latin-1" in data.issues.loc[data.issues["rule"] == "encoding_fallback", "message"].iloc[0]


def test_title_rows_above_the_headings_in_a_semicolon_file(tmp_path):
    text = csv(
        "Episodes extract;run 03/04/2025",  # row 1: a title
        "",  # row 2
        EPISODES.replace(",", ";"),  # row 3: the headings
        "C1;01/05/2024;S;C2;N1;U4;PR1;;;;;;",  # row 4
    )
    write(tmp_path / "2025" / "ep.csv", text)
    data = load_903(tmp_path)
    assert data.episodes["source_row"].tolist() == [4] and data.episodes["return_year"].tolist() == [2025]
    title = data.issues[data.issues["rule"] == "title_rows"]
    assert title[["row", "severity", "year"]].values.tolist() == [[3, "info", 2025]]


def test_title_rows_above_the_headings_in_a_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Children looked after: episodes 2024-25"])  # row 1
    ws.append(["Produced 3 April 2025", "by the performance team"])  # row 2
    ws.append(EPISODES.split(","))  # row 3
    ws.append(["C1", "01/05/2024", "S", "C2", "N1", "U4", "PR1"])  # row 4
    wb.save(tmp_path / "e.xlsx")
    data = load_903(tmp_path)
    assert data.episodes["source_row"].tolist() == [4]
    assert data.issues.loc[data.issues["rule"] == "title_rows", "row"].tolist() == [3]


def test_a_misspelt_file_type_is_read_from_its_content_and_a_broken_workbook_is_an_error(tmp_path):
    write(tmp_path / "2025" / "h.txt", csv(HEADER, "C1,F,01/06/2012,WBRI,,,"))
    write(tmp_path / "2025" / "broken.xlsx", "this is not a workbook")
    data = load_903(tmp_path)
    assert len(data.header) == 1
    bad = data.issues[data.issues["rule"] == "file_unreadable"]
    assert bad[["severity", "year"]].values.tolist() == [["error", 2025]]
    assert bad["file"].iloc[0].endswith("broken.xlsx")


# A hand-made DfE XML return: two children, the groups the DfE form nests inside HEADER.
XML = """<?xml version='1.0' encoding='utf-8'?>
<EXPSSDA903>
<CHILD><HEADER><CHILDID>X1</CHILDID><UPN>A123456789012</UPN><SEX>1</SEX><DOB>01/06/2012</DOB>
<ETHNIC>WBRI</ETHNIC><UASC /><MOTHER /><MC_DOB />
<AREVIEW><REVIEW>01/09/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
<AREVIEW><REVIEW>01/03/2025</REVIEW><REVIEW_CODE>PN2</REVIEW_CODE></AREVIEW>
<AMISSING><MISSING>M</MISSING><MIS_START>02/10/2024</MIS_START><MIS_END>03/10/2024</MIS_END></AMISSING>
<OC2><SDQ_SCORE>12</SDQ_SCORE><CONVICTED>0</CONVICTED><HEALTH_CHECK>0</HEALTH_CHECK>
<IMMUNISATIONS>1</IMMUNISATIONS><TEETH_CHECK>1</TEETH_CHECK><HEALTH_ASSESSMENT>1</HEALTH_ASSESSMENT>
<SUBSTANCE_MISUSE>0</SUBSTANCE_MISUSE><INTERVENTION_RECEIVED>0</INTERVENTION_RECEIVED>
<INTERVENTION_OFFERED>0</INTERVENTION_OFFERED></OC2></HEADER>
<EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL><PL_POST /><HOME_POST />
<URN>SC123456</URN><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC>01/08/2024</DEC><REC>X1</REC>
<REASON_PLACE_CHANGE /></EPISODE>
<EPISODE><DECOM>01/08/2024</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>U6</PL><PL_POST /><HOME_POST />
<URN>SC654321</URN><PLACE_PROVIDER>PR4</PLACE_PROVIDER><DEC /><REC /><REASON_PLACE_CHANGE>CLOSE</REASON_PLACE_CHANGE>
</EPISODE></CHILD>
<CHILD><HEADER><CHILDID>X2</CHILDID><UPN>UN1</UPN><SEX>2</SEX><DOB>01/01/2007</DOB><ETHNIC>BAFR</ETHNIC>
<UASC>1</UASC><DUC>01/01/2025</DUC><MOTHER>0</MOTHER><MC_DOB /><IN_TOUCH>YES</IN_TOUCH><ACTIV>F2</ACTIV>
<ACCOM>U1</ACCOM></HEADER></CHILD>
</EXPSSDA903>
"""


def test_the_dfe_xml_return(tmp_path):
    path = write(tmp_path / "2024-25" / "return.xml", XML)
    data = load_903(tmp_path)
    assert data.header[["CHILD", "SEX", "ETHNIC"]].values.tolist() == [
        ["X1", "M", "WBRI"],
        ["X2", "F", "BAFR"],
    ]
    e = data.episodes
    # PL is the XML's name for PLACE; rows count as a CSV would (headings row 1).
    assert e[["CHILD", "PLACE", "REC", "REASON_PLACE_CHANGE"]].fillna("-").values.tolist() == [
        ["X1", "U4", "X1", "-"],
        ["X1", "U6", "-", "CLOSE"],
    ]
    assert e["source_row"].tolist() == [2, 3] and set(e["source_file"]) == {f"{path} [Episodes]"}
    assert e["return_year"].tolist() == [2025, 2025]
    assert data.reviews["REVIEW_CODE"].tolist() == ["PN1", "PN2"]
    assert data.reviews["DOB"].tolist() == [pd.Timestamp("2012-06-01")] * 2
    assert data.missing[["CHILD", "MISSING"]].values.tolist() == [["X1", "M"]]
    assert data.oc2[["CHILD", "SDQ_SCORE"]].values.tolist() == [["X1", "12"]]
    assert data.uasc[["CHILD", "DUC"]].values.tolist() == [["X2", pd.Timestamp("2025-01-01")]]
    assert data.oc3[["CHILD", "ACCOM"]].values.tolist() == [["X2", "U1"]]
    assert data.ad1.empty and data.placed_adoption.empty
    # CLOSE is a valid reason for a placement change: no code problem.
    problems = check_903(data, year=2025)
    assert not problems["rule"].isin(["unknown_code", "code_out_of_year"]).any()


def test_xml_that_is_not_a_return_is_an_error(tmp_path):
    write(tmp_path / "x.xml", "<?xml version='1.0'?><ROOT><ITEM>1</ITEM></ROOT>")
    write(tmp_path / "y.xml", "<EXPSSDA903><CHILD>")  # cut short
    data = load_903(tmp_path)
    bad = data.issues[data.issues["rule"] == "file_unreadable"]
    assert len(bad) == 2 and (bad["severity"] == "error").all()


@pytest.mark.skipif(not FAKE.is_dir(), reason=f"validator fake return not found at {FAKE}")
def test_the_validators_fake_return_csv_and_xml():
    csv_data = load_903(sorted(FAKE.glob("*.csv")))
    xml_data = load_903(FAKE / "fake_903.xml")
    # No year in any name: 325 of the XML's 326 end dates fall in 2017-18, so it is that return.
    assert set(xml_data.episodes["return_year"]) == {2018} and set(csv_data.header["return_year"]) == {2018}
    # fake_903.xml: 253 CHILD elements, 459 EPISODE elements, 1206 AREVIEW (counted with ElementTree).
    assert len(xml_data.header) == 253 and len(xml_data.episodes) == 459 and len(xml_data.reviews) == 1206
    assert len(csv_data.episodes) > 0 and len(csv_data.sw_episodes) == 1  # the BOM file is read
    # CLOSE occurs in the CSV episodes and is not reported as an unknown code.
    problems = check_903(csv_data, year=2018)
    close = problems[(problems["column"] == "REASON_PLACE_CHANGE") & (problems["value"] == "CLOSE")]
    assert "CLOSE" in set(csv_data.episodes["REASON_PLACE_CHANGE"]) and close.empty


def test_bare_year_in_file_names_is_settled_by_the_dates(tmp_path):
    # cs-demand-model style: 2019-episodes.csv holds April 2019 to March 2020 (the 2019-20 return).
    write(
        tmp_path / "all" / "2019-episodes.csv",
        csv(EPISODES, "C1,01/05/2019,S,C2,N1,U4,PR1,,,,,,", "C2,01/03/2020,S,C2,N1,U4,PR1,,,,,,"),
    )
    write(
        tmp_path / "all" / "2019-header.csv",
        csv(HEADER, "C1,1,01/06/2012,WBRI,,,", "C2,1,01/06/2012,WBRI,,,"),
    )
    write(tmp_path / "all" / "2019-oc3.csv", csv("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM", "C9,01/06/2000,YES,F2,U1"))
    # cpkit style: the 2025 folder holds the 2024-25 return (no episode starts after 31 March 2025).
    write(tmp_path / "mine" / "2025" / "episodes.csv", csv(EPISODES, "C5,01/05/2024,S,C2,N1,U4,PR1,,,,,,"))
    data = load_903(tmp_path)
    years = data.episodes.set_index("CHILD")["return_year"].to_dict()
    assert years == {"C1": 2020, "C2": 2020, "C5": 2025}
    assert data.oc3["return_year"].tolist() == [2020] and data.header["return_year"].tolist() == [2020, 2020]
    note = data.issues[data.issues["rule"] == "year_from_dates"]
    assert len(note) == 1 and "2019-20 return" in note["message"].iloc[0]


def test_an_empty_file_named_with_a_bare_year_gets_the_settled_year(tmp_path):
    write(tmp_path / "2019-episodes.csv", csv(EPISODES, "C1,01/05/2019,S,C2,N1,U4,PR1,,,,,,"))
    write(tmp_path / "2019-ad1.csv", "\n")  # as the cs-demand-model samples ship it
    data = load_903(tmp_path)
    empty = data.issues[data.issues["rule"] == "empty_file"]
    assert empty[["severity", "year"]].values.tolist() == [["error", 2020]]


LIIA = "LA," + EPISODES + ",YEAR"


def _liia(tmp_path: Path, la_a: str, la_b: str) -> Path:
    return write(
        tmp_path / "SSDA903_episodes_merged.csv",
        csv(
            LIIA,
            f"{la_a},C1,01/05/2023,S,C2,N1,U4,PR1,,,,,,,2024",
            f"{la_a},C1,01/05/2023,S,C2,N1,U4,PR1,01/06/2024,E4A,,,,,2025",
            f"{la_b},C1,01/07/2023,S,C2,N1,U4,PR1,,,,,,,2024",  # another council's child C1
            f"{la_b},C7,01/07/2024,S,C2,N1,U4,PR1,,,,,,,2025",
        ),
    )


def test_regional_file_mixing_councils_needs_a_choice(tmp_path):
    _liia(tmp_path, "E09000001", "E09000002")
    with pytest.raises(CouncilChoiceError, match="E09000001, E09000002"):
        load_903(tmp_path)


@pytest.mark.parametrize(
    ("codes", "choice"), [(("E09000001", "E09000002"), "E09000001"), (("201", "202"), ("E09000001", "201"))]
)
def test_regional_file_split_by_council_and_year(tmp_path, codes, choice):
    _liia(tmp_path, *codes)
    data = load_903(tmp_path, la_code=choice)
    e = data.episodes
    # Council A's C1: told by 2024 (open) and 2025 (closed): one episode, the 2025 version.
    assert e[["CHILD", "DEC", "return_year"]].values.tolist() == [["C1", pd.Timestamp("2024-06-01"), 2025]]
    assert e["source_row"].tolist() == [3]
    assert "LA" not in e.columns and not (data.issues["rule"] == "extra_columns").any()
    other = data.issues[data.issues["rule"] == "other_councils"]
    assert "2 rows of other councils" in other["message"].iloc[0]


def test_regional_file_without_the_chosen_council_is_an_error(tmp_path):
    _liia(tmp_path, "E09000001", "E09000002")
    data = load_903(tmp_path, la_code="E06000123")
    found = data.issues[data.issues["rule"] == "council_not_in_file"]
    assert found["severity"].tolist() == ["error"] and "E09000001, E09000002" in found["message"].iloc[0]
    assert data.episodes.empty


def test_codes_a_spreadsheet_wrote_as_decimals(tmp_path):
    write(
        tmp_path / "2025" / "h.csv",
        csv(HEADER, "C1,F,01/06/2008,WBRI,,1.0,01/02/2025", "C2,F,01/06/2008,WBRI,,0.0,"),
    )
    write(
        tmp_path / "2025" / "e.csv",
        csv(EPISODES, "C1,01/05/2024,S,C2,N1,U4,PR1,,,,,,", "C2,01/05/2024,S,C2,N1,U4,PR1,,,,,,"),
    )
    data = load_903(tmp_path)
    assert data.header["MOTHER"].tolist() == ["1", "0"]
    problems = check_903(data, year=2025)
    assert not (problems["column"] == "MOTHER").any()


def test_a_misspelt_heading_is_named_as_the_likely_column(tmp_path):
    write(
        tmp_path / "e.csv",
        csv(EPISODES.replace("PLACE_PROVIDER", "PLACE_PROVIDR"), "C1,01/05/2024,S,C2,N1,U4,PR1,,,,,,"),
    )
    data = load_903(tmp_path)
    missing = data.issues[data.issues["rule"] == "missing_column"]
    assert missing["column"].tolist() == ["PLACE_PROVIDER"]
    assert "'PLACE_PROVIDR' it, misspelt?" in missing["message"].iloc[0]
    assert data.episodes["PLACE_PROVIDER"].isna().all()  # not known, never guessed


def test_a_bare_year_of_long_running_episodes_is_settled_by_their_end_dates(tmp_path):
    # Named 2019, holding April 2019 to March 2020: all three episodes started before April 2019 (a
    # stable cohort), but two ended within 2019-20, after 31 March 2019: 2 of 3 > 10%, so 2019-20.
    write(
        tmp_path / "2019" / "episodes.csv",
        csv(
            EPISODES,
            "C1,01/05/2017,S,C2,N1,U4,PR1,01/06/2019,E4A,,,,",
            "C2,01/05/2017,S,C2,N1,U4,PR1,01/02/2020,E4A,,,,",
            "C3,01/05/2017,S,C2,N1,U4,PR1,,,,,,",
        ),
    )
    assert load_903(tmp_path).episodes["return_year"].tolist() == [2020] * 3


def test_a_return_without_a_year_in_its_name_gets_one_from_its_dates(tmp_path):
    # 12 episodes ending in 2024-25 (10 or more, all in one year): the 2024-25 return.
    ends = [f"C{i},01/03/2024,S,C2,N1,U4,PR1,{i + 1:02d}/05/2024,E4A,,,," for i in range(12)]
    write(tmp_path / "ret" / "episodes.csv", csv(EPISODES, *ends))
    write(tmp_path / "ret" / "header.csv", csv(HEADER, "C0,M,01/06/2012,WBRI,,,"))
    # a history of several years stays without a year
    history = [f"H{i},01/03/{2015 + i},S,C2,N1,U4,PR1,01/05/{2015 + i},E4A,,,," for i in range(12)]
    write(tmp_path / "hist" / "all.csv", csv(EPISODES, *history))
    data = load_903(tmp_path)
    years = data.episodes.groupby(data.episodes["CHILD"].str[0])["return_year"].unique()
    assert years["C"].tolist() == [2025] and pd.isna(years["H"]).all()
    assert data.header["return_year"].tolist() == [2025]
