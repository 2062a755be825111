"""What stops a report and what does not (``cpkit.report.prepare``), on small hand-made returns and in real
``cpkit report`` runs on a copy of the sample.

The policy: the report year's Header and Episodes must be there and readable, with every column; errors
in rows and anything in earlier years' returns are counted and shown, not blocking; ``--strict`` blocks on
any error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpkit import cli
from cpkit.errors import DataProblem
from cpkit.report.prepare import load_returns

from ..conftest import SAMPLE_DIR

EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"


def council(
    tmp_path: Path, episodes: dict[int, str] | None = None, header: dict[int, str] | None = None
) -> Path:
    """A data folder with returns for 2024 and 2025: one child in care from 1 April 2023, unless replaced."""
    data = tmp_path / "data"
    for year in (2024, 2025):
        folder = data / "ssda903" / str(year)
        folder.mkdir(parents=True)
        eps = (episodes or {}).get(year, EPISODES + "1001,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n")
        head = (header or {}).get(year, HEADER + "1001,M,01/01/2010,WBRI,A999000000001,,\n")
        (folder / "episodes.csv").write_text(eps, encoding="utf-8")
        (folder / "header.csv").write_text(head, encoding="utf-8")
    return data


def test_clean_returns_pass(tmp_path):
    data = load_returns(council(tmp_path), 2025)
    assert len(data.episodes) == 1  # the 2025 return restates the open episode; one kept


@pytest.mark.parametrize(
    ("case", "text", "words"),
    [
        ("empty", "", "no Episodes rows for the return year ending 31 March 2025"),
        ("headings only", EPISODES, "the year ending 31 March 2025"),
        ("not a table", "Episodes extract\nrun on 1 April 2025\n", "could not be read"),
    ],
)
def test_an_unusable_current_year_episodes_file_blocks_naming_it(tmp_path, case, text, words):
    with pytest.raises(DataProblem) as err:
        load_returns(council(tmp_path, episodes={2025: text}), 2025)
    message = str(err.value)
    assert words in message and "no Episodes" in message and "cpkit check" in message
    if case != "headings only":  # a file that gave no table is named
        assert str(Path("2025") / "episodes.csv") in message


def test_a_misspelt_column_in_the_current_year_blocks_and_suggests_the_heading(tmp_path):
    bad = EPISODES.replace("PLACE_PROVIDER", "PLACE_PROVDER") + "1001,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n"
    with pytest.raises(DataProblem) as err:
        load_returns(council(tmp_path, episodes={2025: bad}), 2025)
    message = str(err.value)
    assert "has no PLACE_PROVIDER column" in message and "PLACE_PROVDER: a misspelling?" in message
    assert str(Path("2025") / "episodes.csv") in message


def test_a_missing_column_no_figure_reads_does_not_block(tmp_path):
    # URN (the placement's Ofsted number) is in the return but no figure of the report reads it
    rows = EPISODES.replace(",URN", "") + "1001,01/04/2023,S,C2,N1,U1,PR1,,,,,\n"
    data = load_returns(council(tmp_path, episodes={2025: rows}), 2025)
    assert data.issues.loc[data.issues["rule"] == "missing_column", "column"].tolist() == ["URN"]


def test_problems_in_an_earlier_year_do_not_block(tmp_path):
    # 2024: a misspelt heading and an unreadable date; neither is the report year's
    bad = (
        EPISODES.replace("PLACE_PROVIDER", "PLACE_PROVDER")
        + "1001,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n1002,31/13/2023,S,C2,N1,U1,PR1,,,,,,\n"
    )
    data = load_returns(council(tmp_path, episodes={2024: bad}), 2025)
    assert (data.issues["rule"] == "missing_column").any()  # still reported, for check and data quality


def test_a_row_error_in_the_report_year_blocks_only_with_strict(tmp_path):
    rows = EPISODES + "1001,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n1002,01/05/2024,S,C2,N1,ZZ,PR1,,,,,,\n"
    header = HEADER + "1001,M,01/01/2010,WBRI,A999000000001,,\n1002,F,01/01/2012,WBRI,A999000000002,,\n"
    folder = council(tmp_path, episodes={2025: rows}, header={2025: header})
    assert (
        len(load_returns(folder, 2025).episodes) == 2
    )  # the unknown PLACE is counted and shown, not blocking
    with pytest.raises(DataProblem, match="--strict: .*episodes.csv: 1 unknown_code error"):
        load_returns(folder, 2025, strict=True)


def test_a_year_with_no_return_blocks(tmp_path):
    with pytest.raises(
        DataProblem, match=r"no SSDA903 return for the year ending 31 March 2026 .*2024 to 2025"
    ):
        load_returns(council(tmp_path), 2026)


def test_data_folder_without_ssda903_says_what_data_means(tmp_path):
    with pytest.raises(DataProblem, match="--data is the council's data folder"):
        load_returns(tmp_path, 2025)


# --- Real runs of `cpkit report` on a copy of the sample -------------------------------------------------


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    target = tmp_path / "council"
    shutil.copytree(SAMPLE_DIR, target)
    return target


def report(data: Path, out: Path, *extra: str) -> int:
    return cli.main(["report", "--year", "2025", "--data", str(data), "--out", str(out), "--quiet", *extra])


def test_report_fails_on_an_empty_current_year_episodes_file(sample_copy, tmp_path, capsys):
    (sample_copy / "ssda903" / "2025" / "episodes.csv").write_text("", encoding="utf-8")
    assert report(sample_copy, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "episodes.csv" in err and "Save it as a comma-separated CSV" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "2025").exists()


def test_report_fails_on_a_misspelt_place_provider_heading(sample_copy, tmp_path, capsys):
    path = sample_copy / "ssda903" / "2025" / "episodes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("PLACE_PROVIDER", "PLACE_PROVDER", 1), encoding="utf-8")
    assert report(sample_copy, tmp_path / "out") == 1
    assert "PLACE_PROVDER: a misspelling?" in capsys.readouterr().err


def test_report_fails_for_a_year_with_no_return(sample_copy, tmp_path, capsys):
    code = cli.main(
        ["report", "--year", "2026", "--data", str(sample_copy), "--out", str(tmp_path), "--quiet"]
    )
    assert code == 1
    assert "no SSDA903 return for the year ending 31 March 2026" in capsys.readouterr().err


@pytest.mark.slow
def test_earlier_year_errors_do_not_block_but_strict_does(sample_copy, tmp_path, capsys):
    # an unreadable date in the 2023 return's episodes: an error, in an earlier year
    path = sample_copy / "ssda903" / "2023" / "episodes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[1] = "31/13/2022"
    lines[1] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert report(sample_copy, tmp_path / "out", "--sections", "08_data_quality") == 0
    assert list((tmp_path / "out").rglob("08_data_quality.html"))  # the section was built
    assert report(sample_copy, tmp_path / "strict", "--sections", "08_data_quality", "--strict") == 1
    err = capsys.readouterr().err
    assert "--strict" in err and str(Path("2023") / "episodes.csv") in err


def _drop_rows(folder: Path, keep) -> None:
    """Rewrite every DfE release CSV in ``folder`` keeping the rows ``keep(row)`` accepts."""
    import csv

    for path in folder.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        if not rows or "geographic_level" not in rows[0]:
            continue  # the neighbour model
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(r for r in rows if keep(r))


@pytest.mark.slow
def test_missing_optional_inputs_give_sections_that_say_so(sample_copy, tmp_path):
    # No action plan tracker; a KPI file with a decimal comma; DfE files with no England rows at all and no
    # council rows for 2025 (as before the DfE's autumn release). Each crashed a section before.
    (sample_copy / "action_plan.xlsx").unlink()
    kpis = sample_copy / "kpis.csv"
    lines = kpis.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    fields = lines[1].split(",")
    fields[header.index("value")] = '"8,5"'
    kpis.write_text("\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n", encoding="utf-8")
    _drop_rows(
        sample_copy / "benchmarks",
        lambda r: (
            r["geographic_level"] != "National"
            and not (r["geographic_level"] == "Local authority" and r["time_period"] == "2025")
        ),
    )
    assert report(sample_copy, tmp_path / "out", "--jobs", "2") == 0
    pages = tmp_path / "out" / "2025"

    def page(name: str) -> str:
        return " ".join((pages / f"{name}.html").read_text(encoding="utf-8").split())

    assert "action plan tracker (action_plan.xlsx) was not found or could not be read" in page(
        "06_action_plan"
    )
    assert "local KPI file (kpis.csv) could not be used (1 problem(s))" in page("04_education")
    assert "no published England figures to compare with" in page("07_scorecard")
    assert "its progress is not summarised here" in page("09_executive_summary")


@pytest.mark.slow
def test_a_decimal_comma_in_the_kpi_file_is_named_not_a_crash(sample_copy, tmp_path, capsys):
    # one education KPI with a decimal comma; --sections 04_education crashed building the workbook
    # ("Length mismatch") because the refused file left the run with no table at all
    (sample_copy / "kpis.csv").write_text(
        "indicator,theme,period,value,numerator,denominator,target,polarity,unit,source\n"
        'Attendance,education,2024-25,"87,4",167,191,93,high,percent,VS\n',
        encoding="utf-8",
    )
    assert report(sample_copy, tmp_path / "out", "--sections", "04_education") == 0
    err = capsys.readouterr().err
    assert "Length mismatch" not in err and "unexpected error" not in err
    assert "kpis.csv: row 2, column 'value': '87,4'" in err  # the command line names file, row, column
    built = next((tmp_path / "out").glob("2025*"))
    html = (built / "04_education.html").read_text(encoding="utf-8")
    assert "could not be used (1 problem(s))" in html and "The first: kpis.csv: row 2, column" in html
    assert (built / "annual-report-data.xlsx").exists()
