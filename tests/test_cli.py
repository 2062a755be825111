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


def test_check_names_file_row_and_column_and_fails_on_blocking_problems(tmp_path, capsys):
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n"
        "1002,31/13/2024,S,C2,N1,U1,PR1,,,,,,\n",
        encoding="utf-8",
    )
    (folder / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1001,M,01/01/2010,WBRI,A999000000001,,\n"
        "1002,F,01/01/2011,WBRI,A999000000002,,\n",
        encoding="utf-8",
    )
    code = cli.main(["check", "--data", str(tmp_path), "--year", "2025", "--out", str(tmp_path / "p.csv")])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "episodes.csv" in out and "DECOM" in out and "row 3" in out
    )  # header is row 1: the bad row is row 3
    problems = pd.read_csv(tmp_path / "p.csv")
    assert (problems["column"] == "DECOM").any()


def test_check_passes_on_the_sample():
    assert cli.main(["check", "--data", str(SAMPLE_DIR / "ssda903"), "--year", "2025"]) == 0


def test_indicators_writes_every_measure_to_csv(tmp_path):
    out = tmp_path / "ind.csv"
    assert cli.main(["indicators", "--year", "2025", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert {"indicator", "value", "numerator", "denominator", "polarity"} <= set(table.columns)
    row = table.set_index("indicator").loc["cla_at_end"]
    assert (
        row["value"] == 439
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
