"""A command that cannot succeed refuses at once, in one line, before pandas, papermill or a kernel is
started (issue 19: ``--year 2031`` took 40 s to refuse, a quarter past the data crashed in a notebook cell
after 80 s and left an analyst folder, ``--jobs 0`` and ``--timeout 0`` were taken silently)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Runs the command line in a fresh interpreter and reports its exit code and which heavy modules it loaded.
PROBE = """
import json, sys
from cpkit import cli
code = cli.main(sys.argv[1:])
print(json.dumps({"code": code, "heavy": sorted(m for m in ("pandas", "papermill", "jupyter_client") if m in sys.modules)}))
"""


def _council(root: Path, years: tuple[int, ...] = (2024, 2025), extract: str | None = None) -> Path:
    """A data folder laid out as a council's: settings, one folder per return (the files' contents are
    not read by these refusals), and optionally an in-year extract folder named by its date."""
    data = root / "council"
    for year in years:
        folder = data / "ssda903" / str(year)
        folder.mkdir(parents=True)
        (folder / "episodes.csv").write_text("CHILD,DECOM\n", encoding="utf-8")
        (folder / "header.csv").write_text("CHILD,SEX\n", encoding="utf-8")
    (data / "cpkit.yaml").write_text("la_name: Anytown\n", encoding="utf-8")
    if extract:
        (data / "inyear" / extract).mkdir(parents=True)
        (data / "inyear" / extract / "episodes.csv").write_text("CHILD,DECOM\n", encoding="utf-8")
    return data


def _run(*argv: str, cwd: Path) -> tuple[dict, str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120, cwd=cwd
    )
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [
        (["report", "--year", "25"], 2, "argument --year: must be a four-digit year such as 2025"),
        (
            ["report", "--year", "2025", "--jobs", "0"],
            2,
            "argument --jobs: must be a whole number of at least 1",
        ),
        (["report", "--year", "2025", "--timeout", "0"], 2, "argument --timeout: must be a whole number"),
        (["poap", "--year", "2026", "--quarter", "5"], 2, "argument --quarter: invalid choice"),
        # the returns are for 2024 and 2025: 2031 is past anything a folder of theirs could hold
        (["report", "--year", "2031"], 1, "no SSDA903 return for the year ending 31 March 2031"),
        (["report", "--year", "2021"], 1, "the returns found are for 2024, 2025"),
        (["check", "--year", "2031"], 1, "no SSDA903 return for the year ending 31 March 2031"),
        (["indicators", "--year", "2031", "--out", "x.csv"], 1, "no SSDA903 return"),
        # the newest extract is dated 31 December 2025; Q1 of 2026-27 ends on 30 June 2026
        (
            ["poap", "--year", "2027", "--quarter", "1"],
            1,
            "Q1 2026-27 ends on 30 June 2026, after the newest",
        ),
        (
            ["report", "--year", "2025", "--config", "missing.yaml"],
            1,
            "missing.yaml: settings file not found",
        ),
    ],
)
def test_a_command_that_cannot_succeed_refuses_in_one_line_before_the_heavy_stack(tmp_path, argv, code, says):
    data = _council(tmp_path, extract="2025-12-31")
    data_args = [] if argv[0] != "report" and argv[0] != "poap" else ["--out", str(tmp_path / "reports")]
    outcome, err = _run(*argv, "--data", str(data), *data_args, cwd=tmp_path)
    assert outcome["code"] == code, err
    assert err.count("\n") == 1 and says in err, err
    assert err.startswith(f"cpkit {argv[0]}: ")
    assert outcome["heavy"] == []  # refused from the command line and the folder's names alone
    assert not (tmp_path / "reports").exists()  # nothing made: no staging, no analyst folder, no lock


def test_a_missing_data_folder_is_refused_for_every_command(tmp_path):
    for argv in (["report", "--year", "2025"], ["check"], ["poap", "--year", "2026", "--quarter", "1"]):
        outcome, err = _run(*argv, "--data", str(tmp_path / "nowhere"), cwd=tmp_path)
        assert outcome == {"code": 1, "heavy": []}, err
        assert err == f"cpkit {argv[0]}: {tmp_path / 'nowhere'}: data folder not found " + (
            "(--data is the council's folder holding cpkit.yaml)\n"
        )
    (tmp_path / "flat").mkdir()  # a folder, but not a council's: no ssda903/
    outcome, err = _run("check", "--data", str(tmp_path / "flat"), cwd=tmp_path)
    assert outcome["code"] == 1 and f"{tmp_path / 'flat' / 'ssda903'}: folder not found" in err


def test_a_year_the_folder_names_cannot_settle_is_left_to_the_tables(tmp_path):
    """A folder named by the year its return starts (``ssda903/2025/`` holding the 2025-26 return) is moved
    on a year by the reader, so one year past the newest folder is not refused from the names alone."""
    from cpkit import preflight
    from cpkit.errors import DataNotThere

    data = _council(tmp_path)
    preflight.require_return(data, 2026)  # may be there: the prepare step reads the tables to decide
    with pytest.raises(DataNotThere):
        preflight.require_return(data, 2027)
    (data / "ssda903" / "returns.csv").write_text("CHILD\n", encoding="utf-8")  # a file naming no year
    preflight.require_return(data, 2031)  # its year comes from its rows: left to the prepare step


def test_check_refuses_a_year_the_returns_lack_instead_of_finding_no_problems(tmp_path, capsys):
    """Issue 18: ``cpkit check --year 2031`` printed "no problems found" before refusing. Through the
    function (no preflight): the refusal comes before any finding is printed."""
    from cpkit.check import check_data
    from cpkit.errors import DataProblem

    from .conftest import SAMPLE_DIR

    with pytest.raises(DataProblem, match="no SSDA903 return for the year ending 31 March 2031"):
        check_data(SAMPLE_DIR, 2031)
    assert "no problems found" not in capsys.readouterr().out


def test_check_and_indicators_say_which_stage_they_are_in(tmp_path, capsys):
    """A check can take minutes (the DfE's rules): it says what it is doing, on stderr, stdout keeping the
    findings and the indicators' line."""
    from cpkit import cli

    from .report.notebooks import write_council

    data = write_council(tmp_path / "data")
    cli.main(["check", "--data", str(data), "--year", "2025"])
    captured = capsys.readouterr()
    assert captured.err.startswith("cpkit check: reading the returns...\n"), captured.err
    assert "cpkit check: running the DfE's validation rules...\n" in captured.err
    assert "reading the returns" not in captured.out and "Checked " in captured.out
    cli.main(["indicators", "--data", str(data), "--year", "2025", "--out", str(tmp_path / "i.csv")])
    err = capsys.readouterr().err
    assert err == "cpkit indicators: reading the returns...\ncpkit indicators: computing the indicators...\n"
