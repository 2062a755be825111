"""The fixture set ``tests/fixtures/other_systems/``: returns written the way other systems write them
(day-first two-digit years, US dates, ISO with times and month names, an Excel workbook of date cells and
serial numbers) give the right figures, and the ones no reader should guess at are refused.

Every ``dates_*`` set is the same 2024-25 return of twelve children, written differently; the figures were
worked out by hand from the cohort in ``tests/fixtures/other_systems/README.md``:

- in care at 31 March 2025: C02, C04, C05, C07, C08, C11, C12 = 7 (C12 came in on 31 March itself);
- started to be looked after in the year: C01, C02, C06, C08, C10, C12 = 6 (C05 and C06 change placement
  with X1, which starts no new period of care);
- ceased in the year: C01, C03, C06, C09, C10 = 5.
Check: in care on 1 April 2024 were C03, C04, C05, C07, C09, C11 = 6, and 6 + 6 - 5 = 7.

On the kit before issue 18 the two-digit set read no start date (every episode set aside: a report of
nothing, or "no Episodes rows"), and the US set was read day-first where it fitted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from cpkit import cli
from cpkit.care.episodes import cla_on
from cpkit.care.flows import children_ceased, children_started
from cpkit.errors import DataProblem
from cpkit.report.prepare import load_returns

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "other_systems"
SETTINGS = (
    "la_name: Other Systems Council\nla_code: E06000999\nla_old_code: '999'\n"
    "la_district_codes: [E08000019]\npopulation_0_17: 6400\nsample: true\n"
)
IN_CARE, STARTED, CEASED = 7, 6, 5
# every start and end date of the cohort, as the README lists them (dd/mm/yyyy)
STARTS = sorted(
    pd.to_datetime(
        "01/05/2024 03/02/2025 20/04/2023 19/07/2022 05/10/2023 13/06/2024 15/04/2024 29/04/2024 18/02/2021 "
        "24/12/2024 16/08/2020 13/09/2024 26/03/2019 31/03/2025".split(),
        format="%d/%m/%Y",
    )
)


def council(tmp_path: Path, name: str) -> Path:
    """A council's data folder holding the fixture set ``name`` as its 2024-25 return."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / name, data / "ssda903" / "2025")
    (data / "cpkit.yaml").write_text(SETTINGS, encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("dates_uk_two_digit_years", "dd/mm/yy"),
        ("dates_us", "mm/dd/yyyy"),
        ("dates_iso_and_month_names", None),
        ("dates_excel", None),
    ],
)
def test_each_way_of_writing_dates_gives_the_hand_worked_figures(tmp_path, name, note):
    data = load_returns(council(tmp_path, name), 2025)
    assert sorted(data.episodes["DECOM"]) == STARTS
    assert cla_on(data, "2025-03-31") == IN_CARE
    assert len(children_started(data, "2024-04-01", "2025-03-31")) == STARTED
    assert len(children_ceased(data, "2024-04-01", "2025-03-31")) == CEASED
    assert data.header.set_index("CHILD").loc["C02", "DOB"] == pd.Timestamp("2010-09-17")
    assert not (data.issues["severity"] == "error").any()
    notes = data.issues.loc[data.issues["rule"] == "date_layout", "message"]
    if note:  # how a layout other than the DfE's was read is said
        assert notes.str.contains(note, regex=False).any()
    else:
        assert notes.empty


@pytest.mark.parametrize(
    ("name", "words"),
    [
        # every DOB fits both orders (11/12/2011...), and the episodes beside it are month first
        (
            "refused_us_ambiguous_dob",
            ["header.csv (row 2, column DOB)", "fits both dd/mm and mm/dd", "4/20/2023"],
        ),
        # C10's end date written 03/28/2025 in a column where 13/06/2024 proves day-first
        ("refused_mixed_end_dates", ["episodes.csv (row", "column DEC)", "13/06/2024", "03/28/2025"]),
        # C13 starts on 1 January 2030 in the 2024-25 return: in care and started would both change
        (
            "refused_start_in_2030",
            [
                "episodes.csv row 16, column DECOM: after the end of the return (31 March 2025)",
                "Children looked after at the end of the period",
                "Children who started to be looked after in the period",
            ],
        ),
    ],
)
def test_returns_no_reader_should_guess_at_are_refused(tmp_path, name, words):
    with pytest.raises(DataProblem) as err:
        load_returns(council(tmp_path, name), 2025)
    message = str(err.value)
    for w in words:
        assert w in message, message


@pytest.mark.slow
def test_a_report_from_two_digit_years_publishes_the_right_figures(tmp_path):
    # One real run (the children in care section only): the published page says what a committee reads.
    data = council(tmp_path, "dates_uk_two_digit_years")
    out = tmp_path / "out"
    argv = ["report", "--year", "2025", "--data", str(data), "--out", str(out), "--quiet"]
    assert cli.main([*argv, "--sections", "01_children_in_care"]) == 0
    page = BeautifulSoup(
        next(out.rglob("01_children_in_care.html")).read_text(encoding="utf-8"), "html.parser"
    )
    text = page.get_text(" ", strip=True)
    assert f"from 6 at the start to {IN_CARE} at the end" in text
    totals = {}
    for table in page.find_all("table"):
        rows = [
            [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")
        ]
        if rows and "Children, 2024-25" in rows[0]:
            col = rows[0].index("Children, 2024-25")
            totals[rows[0][0]] = next(r[col] for r in rows if r[0] == "Total")
    assert totals["Category of need"] == str(STARTED)  # the need of each child who started care
    assert totals["Reason for leaving care"] == str(CEASED)
