"""The tidy indicators table: every registry measure present, values from the parts, NaN with a reason."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cpkit.care.indicators import COLUMNS, indicators, load_measures, write_indicators
from cpkit.config import Config
from tests.care.test_outcomes import HEALTH_HEADER, HEALTH_ROWS, OC2


@pytest.fixture
def table():
    from tests.care.conftest import build

    return indicators(build(HEALTH_ROWS, HEALTH_HEADER, oc2=OC2), 2025, config=Config(population_0_17=10_000))


def test_every_registry_measure_has_a_row(table):
    assert list(table.columns) == COLUMNS
    assert table["indicator"].tolist() == load_measures()["indicator"].tolist()
    assert set(table["period"]) == {"2024-25"}
    # Every NaN carries a reason.
    assert (table.loc[table["value"].isna(), "reason"] != "").all()


def test_values(table):
    t = table.set_index("indicator")
    # In care at 31/03/2025: h1 h2 h3 h4 h5 h6 h7 (h8 left) = 7; per 10,000 of 10,000 children = 7.
    assert t.loc["cla_at_end", "value"] == 7
    assert t.loc["cla_rate_10k", "value"] == 7
    # Started in 2024-25: h3 (01/04/2024) and h4 (C2 after the V3 short break, 01/07/2024) = 2.
    assert t.loc["cla_started", "value"] == 2
    # Ceased: h8 (E13) and h4 (onto the V3 short break on 01/06/2024) = 2.
    assert t.loc["cla_ceased", "value"] == 2
    assert t.loc["placed_foster_pct", "value"] == 100.0
    assert t.loc["health_assessment_pct", ["numerator", "denominator"]].tolist() == [3, 5]
    assert t.loc["health_assessment_pct", "theme"] == "health"
    assert t.loc["placements_3plus_pct", "polarity"] == "low"


def test_missing_tables_give_nan_with_reason(table):
    t = table.set_index("indicator")
    assert math.isnan(t.loc["leavers_eet_19_21_pct", "value"])
    assert "OC3" in t.loc["leavers_eet_19_21_pct", "reason"]
    assert "postcodes" in t.loc["placed_outside_over20_pct", "reason"]
    assert "Missing" in t.loc["missing_pct", "reason"]


def test_rates_need_population():
    from tests.care.conftest import build

    t = indicators(build(HEALTH_ROWS, HEALTH_HEADER), 2025, config=Config(population_0_17=None))
    row = t.set_index("indicator").loc["cla_rate_10k"]
    assert math.isnan(row["value"]) and "population" in row["reason"]
    assert "OC2" in t.set_index("indicator").loc["sdq_average", "reason"]


def test_calendar_period():
    from tests.care.conftest import build

    t = indicators(build(HEALTH_ROWS, HEALTH_HEADER), 2024, period="calendar").set_index("indicator")
    # In care at 31/12/2024: all but h8 (still in care) and h3? h3 started 01/04/2024: in. All 8 children.
    assert t.loc["cla_at_end", "value"] == 8
    assert t.loc["cla_at_end", "period"] == "2024"


def test_write_round_trip(table, tmp_path):
    csv = write_indicators(table, tmp_path / "ind.csv")
    back = pd.read_csv(csv)
    assert back["indicator"].tolist() == table["indicator"].tolist()
    xlsx = write_indicators(table, tmp_path / "ind.xlsx")
    assert pd.read_excel(xlsx)["value"].iloc[0] == table["value"].iloc[0]
    with pytest.raises(ValueError):
        write_indicators(table, tmp_path / "ind.txt")


def test_a_measure_whose_table_is_absent_says_which():
    # Two children adopted in 2024-25 but no AD1 table: A1 needs only Episodes and is worked out
    # (c1: 01/01/2023 -> A4 01/01/2024 = 365 days; c2: 01/06/2023 -> A6 01/06/2024 = 366 (2024 is a leap
    # year) -> average 365.5); A10 and A2 need AD1 and say so rather than guess.
    from tests.care.conftest import build

    rows = [
        ("c1", "01/01/2023", "01/01/2024", "S", "C2", "N1", "U4", "X1"),
        ("c1", "01/01/2024", "01/06/2024", "P", "E1", "N1", "A4", "E11"),
        ("c2", "01/06/2023", "01/06/2024", "S", "E1", "N1", "U4", "X1"),
        ("c2", "01/06/2024", "01/09/2024", "P", "E1", "N1", "A6", "E12"),
    ]
    t = indicators(build(rows), 2025).set_index("indicator")
    assert t.loc["adoption_a1_days", ["value", "numerator", "denominator"]].tolist() == [365.5, 731, 2]
    for key in ("adoption_a10_days", "adoption_a2_days"):
        assert math.isnan(t.loc[key, "value"]) and t.loc[key, "reason"] == "no AD1 table in the data"
    assert t.loc["uasc_at_end", "reason"] == "no UASC table in the data"
    assert (
        t.loc["sdq_average", "decimals"] == 1 and t.loc["sdq_average", "short_label"] == "average SDQ score"
    )


def test_a_table_read_with_no_rows_is_a_zero_not_a_gap(tmp_path):
    # A council with no UASC children sends a UASC file with only its heading row: 0 UASC, not "no table".
    from cpkit.ssda903 import load_903

    (tmp_path / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "1,01/01/2024,S,C2,N1,U4,PR1,,,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/01/2015,WBRI,,,\n", encoding="utf-8"
    )
    (tmp_path / "uasc.csv").write_text("CHILD,SEX,DOB,DUC\n", encoding="utf-8")
    t = indicators(load_903(tmp_path), 2025).set_index("indicator")
    assert t.loc["uasc_at_end", ["value", "reason"]].tolist() == [0.0, ""]
    assert t.loc["uasc_pct", "value"] == 0.0
    # No Missing file at all: a gap, said so.
    assert t.loc["missing_pct", "reason"] == "no Missing table in the data"
