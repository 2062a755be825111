"""The command line as a user meets it: help, exit codes, files written."""

from __future__ import annotations

import filecmp
import subprocess
import sys

import pandas as pd
import pytest

from cpkit import cli

from .conftest import SAMPLE_DIR


def test_report_help_documents_every_flag():
    result = subprocess.run(
        [sys.executable, "-m", "cpkit.cli", "report", "--help"], capture_output=True, text=True, check=True
    )
    for flag in (
        "--year",
        "--period",
        "--data",
        "--out",
        "--sections",
        "--jobs",
        "--config",
        "--la-name",
        "--la-code",
        "--timeout",
        "--quiet",
    ):
        assert flag in result.stdout, flag
    assert "calendar" in result.stdout and "financial" in result.stdout


def _council(tmp_path, episodes: str) -> object:
    """A council data folder: the sample's settings and a one-year return with these episodes."""
    data = tmp_path / "council"
    folder = data / "ssda903" / "2025"
    folder.mkdir(parents=True)
    (data / "cpkit.yaml").write_text(
        (SAMPLE_DIR / "cpkit.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        + episodes,
        encoding="utf-8",
    )
    (folder / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1001,M,01/01/2010,WBRI,A999000000001,,\n"
        "1002,F,01/01/2011,WBRI,A999000000002,,\n",
        encoding="utf-8",
    )
    return data


def test_check_names_file_row_and_column_and_fails_only_with_strict_on_row_errors(tmp_path, capsys):
    data = _council(tmp_path, "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n1002,01/05/2024,S,C2,N1,ZZ,PR1,,,,,,\n")
    code = cli.main(["check", "--data", str(data), "--year", "2025", "--out", str(tmp_path / "p.csv")])
    out = capsys.readouterr().out
    # a row error (an unknown PLACE code) does not stop the report: it is listed, and the report would be built
    assert code == 0
    assert "episodes.csv" in out and "PLACE" in out and "row 3" in out  # header is row 1: the bad row is 3
    problems = pd.read_csv(tmp_path / "p.csv")
    assert (problems["column"] == "PLACE").any()
    assert cli.main(["check", "--data", str(data), "--year", "2025", "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err


def test_check_fails_on_a_report_year_date_that_cannot_be_read(tmp_path, capsys):
    # An unreadable start date in the report year's return sets the row aside, so the children in care
    # and started figures would be short: the report year is blocked without --strict (issue 18).
    data = _council(tmp_path, "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n1002,31/13/2024,S,C2,N1,U1,PR1,,,,,,\n")
    code = cli.main(["check", "--data", str(data), "--year", "2025", "--out", str(tmp_path / "p.csv")])
    captured = capsys.readouterr()
    assert code == 1
    assert "episodes.csv row 3, column DECOM: not a date" in captured.err + captured.out
    problems = pd.read_csv(tmp_path / "p.csv")
    hit = problems[(problems["column"] == "DECOM") & (problems["rule"] == "unparseable_date")]
    assert hit["severity"].tolist() == ["error"]


def test_check_lists_what_the_data_quality_section_shows(tmp_path, capsys):
    # 1001's episode ends X1 with nothing starting that day (a continuity problem); no tracker, no KPI file
    data = _council(tmp_path, "1001,01/04/2024,S,C2,N1,U1,PR1,01/06/2024,X1,,,,\n")
    assert cli.main(["check", "--data", str(data), "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "X1 but no episode starts that day" in out
    assert "no action plan tracker" in out and "no local KPI file" in out


def test_check_fails_when_the_report_year_has_no_return(tmp_path, capsys):
    data = _council(tmp_path, "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n")
    assert cli.main(["check", "--data", str(data), "--year", "2026"]) == 1
    assert "no SSDA903 return for the year ending 31 March 2026" in capsys.readouterr().err


def test_data_means_the_council_folder_for_every_command(tmp_path, capsys):
    # the SSDA903 folder itself is not a council's data folder: one line says what --data is
    for command in (["check"], ["indicators", "--out", str(tmp_path / "x.csv")]):
        code = cli.main([*command, "--data", str(SAMPLE_DIR / "ssda903"), "--year", "2025"])
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err, err
        assert "cpkit.yaml" in err  # the settings are looked for in the council folder


def test_check_passes_on_the_sample():
    assert cli.main(["check", "--data", str(SAMPLE_DIR), "--year", "2025"]) == 0


def test_a_settings_error_is_one_line_with_exit_1_and_usage_errors_exit_2(tmp_path, capsys):
    data = _council(tmp_path, "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n")
    (data / "cpkit.yaml").write_text("la_name: [Anytown\n", encoding="utf-8")
    assert cli.main(["check", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid YAML" in err and str(data / "cpkit.yaml") in err
    assert cli.main(["report"]) == 2  # --year missing: argparse's usage message
    assert cli.main(["report", "--year", "2025", "--period", "weekly"]) == 2


def test_a_bug_is_not_reported_as_a_problem_with_the_data(tmp_path, capsys, monkeypatch):
    # A ValueError from deep inside a library is a bug: it says so (and how to get the traceback)
    # rather than printing pandas' words as if they described the council's data.
    import cpkit.check

    def broken(*args, **kwargs):
        raise ValueError("cannot reindex on an axis with duplicate labels")

    monkeypatch.setattr(cpkit.check, "check_data", broken)
    assert cli.main(["check", "--data", str(SAMPLE_DIR), "--year", "2025"]) == 1
    err = capsys.readouterr().err
    assert "unexpected error ValueError" in err and "--verbose" in err
    # while the kit's own refusals stay one plain line
    assert cli.main(["indicators", "--data", str(SAMPLE_DIR), "--year", "2025", "--out", "x.txt"]) == 1
    err = capsys.readouterr().err
    assert err.strip().endswith("x.txt: write .csv or .xlsx") and "unexpected" not in err


def test_verbose_logs_at_debug_level(tmp_path, capsys):
    import logging

    # a one-child council that passes the checks: the log level does not depend on the data (the sample's
    # checks, twice, were most of this test's time; test_check_passes_on_the_sample checks the sample)
    data = _council(tmp_path, "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n")
    assert cli.main(["--verbose", "check", "--data", str(data), "--year", "2025"]) == 0
    assert logging.getLogger("cpkit").level == logging.DEBUG
    assert cli.main(["check", "--data", str(data), "--year", "2025"]) == 0
    assert logging.getLogger("cpkit").level == logging.WARNING


def test_indicators_writes_every_measure_to_csv(tmp_path):
    out = tmp_path / "ind.csv"
    assert cli.main(["indicators", "--year", "2025", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert {"indicator", "value", "numerator", "denominator", "polarity"} <= set(table.columns)
    row = table.set_index("indicator").loc["cla_at_end"]
    assert (
        row["value"] == 476
    )  # the sample's children in care at 31 March 2025 (tests/sample checks it by hand)


@pytest.mark.slow
def test_sample_regenerates_identically(tmp_path):
    assert cli.main(["sample", "--out", str(tmp_path), "--seed", "2025"]) == 0
    comparison = filecmp.dircmp(tmp_path, SAMPLE_DIR)

    def differences(c: filecmp.dircmp) -> list[str]:
        found = c.left_only + c.right_only + c.diff_files + c.funny_files
        return found + [d for sub in c.subdirs.values() for d in differences(sub)]

    # optional hand-written files a sample may also carry: analyst commentary, wording, the Board's own sections
    extra_local = {"commentary", "narrative.yaml", "board"}
    assert [d for d in differences(comparison) if d not in extra_local] == []


def test_version_names_the_installed_kit(capsys):
    from importlib.metadata import version

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cpkit {version('cpkit')}"
