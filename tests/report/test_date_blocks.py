"""Dates that stop the report year without --strict (issue 18), each message naming the file, row, column
and the figures the problem would change (``cpkit.report.date_blocks``), on small hand-made returns.

Before this change each case below gave a report (exit 0): the late start and the overlap were only
listed, the unreadable end date made the child look still in care.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cpkit.errors import DataProblem
from cpkit.report.prepare import load_returns

from .test_blocking import EPISODES, HEADER, council

OPEN_1001 = "1001,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n"  # in care since 1 April 2023, restated in 2025
HEADERS_2 = HEADER + "1001,M,01/01/2010,WBRI,A999000000001,,\n1002,F,01/01/2012,WBRI,A999000000002,,\n"

IN_CARE = "Children looked after at the end of the period"
STARTED = "Children who started to be looked after in the period"
CEASED = "Children who ceased to be looked after in the period"


def blocked(folder: Path) -> str:
    with pytest.raises(DataProblem) as err:
        load_returns(folder, 2025)
    return str(err.value)


def test_a_start_date_after_the_return_blocks_and_names_the_figures(tmp_path):
    # 1002 "starts" on 1 January 2030 in the 2024-25 return. As it stands 1002 is in no figure; had it
    # started on any day of the year (1 April 2024 or 31 March 2025) it would be in care at 31 March
    # and have started in the year: those figures (and their rates, and the placement shares whose
    # denominator is the children in care) would change.
    # Ten other children in care keep the 2025 folder the 2024-25 return (with two children, one date
    # in 2030 would be half the return, and the folder would be read as the 2025-26 return).
    others = "".join(f"{2000 + i},01/05/2024,S,C2,N1,U1,PR1,,,,,,\n" for i in range(10))
    heads = "".join(f"{2000 + i},M,01/01/2011,WBRI,,,\n" for i in range(10))
    rows = EPISODES + OPEN_1001 + "1002,01/01/2030,S,C2,N1,U1,PR1,,,,,,\n" + others
    message = blocked(council(tmp_path, episodes={2025: rows}, header={2025: HEADERS_2 + heads}))
    line = next(x for x in message.splitlines() if "after the end of the return" in x)
    assert str(Path("2025") / "episodes.csv") in line and "row 3, column DECOM" in line
    assert IN_CARE in line and STARTED in line and CEASED not in line


def test_an_unreadable_end_date_blocks_and_names_the_figures(tmp_path):
    # 1001's episode ends on "31/02/2025" (no such day): read as open, 1001 is in care at 31 March; a
    # real end on 1 April 2024 or 31 March 2025 would make 1001 a leaver (E11: adopted) and not in care
    # at the end.
    rows = EPISODES + "1001,01/04/2023,S,C2,N1,U1,PR1,31/02/2025,E11,,,,\n"
    message = blocked(council(tmp_path, episodes={2025: rows}))
    line = next(x for x in message.splitlines() if "not a date" in x)
    assert str(Path("2025") / "episodes.csv") in line and "row 2, column DEC" in line
    assert IN_CARE in line and CEASED in line and STARTED not in line


def test_an_overlap_that_changes_a_figure_blocks(tmp_path):
    # 1001's first episode (1 April 2023) is still open when a second starts on 1 June 2024 and ends
    # on 1 September 2024 with E4A (returned home). As they stand, the open first episode keeps 1001 in care
    # at 31 March and no one left; ended when the second began, 1001 left care on 1 September.
    rows = EPISODES + OPEN_1001 + "1001,01/06/2024,P,C2,N1,U1,PR1,01/09/2024,E4A,,,,\n"
    message = blocked(council(tmp_path, episodes={2025: rows}))
    line = next(x for x in message.splitlines() if "overlapping episodes" in x)
    assert "episodes.csv row 3 starts before row 2 has ended" in line
    assert IN_CARE in line and CEASED in line and "because they were adopted" not in line


def test_an_overlap_that_changes_no_figure_does_not_block(tmp_path):
    # 1001's first episode ends on 2 June 2024 (X1), the second starts on 1 June: one day's overlap
    # inside a period of care that runs on past 31 March. In care, started and ceased are the same
    # either way, and so is every other figure for 1001: listed by cpkit check, not blocking.
    rows = (
        EPISODES
        + "1001,01/04/2023,S,C2,N1,U1,PR1,02/06/2024,X1,,,,\n"
        + "1001,01/06/2024,L,C2,N1,U1,PR1,,,,,,\n"
    )
    data = load_returns(council(tmp_path, episodes={2025: rows}), 2025)
    assert len(data.episodes) == 2


def test_a_refused_date_column_in_the_report_year_blocks(tmp_path):
    # The 2025 episodes are written month first (04/20/2024: no month 20); every DOB of the Header file
    # fits both orders (01/02/2010), so which is the day cannot be told.
    rows = EPISODES + "1001,04/01/2023,S,C2,N1,U1,PR1,,,,,,\n1002,04/20/2024,S,C2,N1,U1,PR1,,,,,,\n"
    header = HEADER + "1001,M,01/02/2010,WBRI,A999000000001,,\n1002,F,03/04/2012,WBRI,A999000000002,,\n"
    message = blocked(council(tmp_path, episodes={2025: rows}, header={2025: header}))
    line = next(x for x in message.splitlines() if "column DOB" in x)
    assert "header.csv (row 2, column DOB)" in line and "01/02/2010" in line and "04/20/2024" in line


def test_an_unreadable_date_uasc_status_ceased_blocks(tmp_path):
    # 1001 is in care and was an unaccompanied asylum-seeking child until "31/02/2025" (no such day).
    # Read as blank, 1001 is still UASC at 31 March; a real DUC on 1 April 2024 or 31 March 2025 is on
    # or before that day, so the UASC count would change. (Before: a warning, and the report published.)
    folder = council(tmp_path)
    (folder / "ssda903" / "2025" / "uasc.csv").write_text(
        "CHILD,SEX,DOB,DUC\n1001,M,01/01/2010,31/02/2025\n", encoding="utf-8"
    )
    message = blocked(folder)
    line = next(x for x in message.splitlines() if "column DUC" in x)
    assert "uasc.csv row 2, column DUC: not a date" in line
    assert "Unaccompanied asylum-seeking children looked after at the end of the period" in line


def test_a_uasc_status_ending_after_the_return_does_not_block(tmp_path):
    # DUC is the day a UASC child's status ceases, recorded ahead as the 18th birthday (1001 was born on
    # 1 January 2010: 1 January 2028). A date after the return that the return is meant to hold.
    folder = council(tmp_path)
    (folder / "ssda903" / "2025" / "uasc.csv").write_text(
        "CHILD,SEX,DOB,DUC\n1001,M,01/01/2010,01/01/2028\n", encoding="utf-8"
    )
    assert len(load_returns(folder, 2025).uasc) == 1
