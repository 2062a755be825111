"""``cpkit check --out problems.csv``: values from the files are written as text, never as formulas."""

from __future__ import annotations

import csv

from cpkit import cli
from cpkit.present.sanitise import FORMULA_STARTS

ATTACK = "=cmd|' /C calc'!A0"


def test_problems_csv_holds_no_formula(tmp_path, capsys):
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        f'1001,"{ATTACK}",S,C2,N1,U1,PR1,,,,,,\n'
        '1002,01/04/2024,S,C2,N1,U1,PR1,,,,"@SUM(A1)",,\n',
        encoding="utf-8",
    )
    out = tmp_path / "problems.csv"
    cli.main(["check", "--data", str(tmp_path), "--year", "2025", "--out", str(out)])
    capsys.readouterr()
    with open(out, newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'" + ATTACK in cells, "the bad DECOM is listed, quoted so a spreadsheet shows it as text"
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)], "a cell a spreadsheet would run"
