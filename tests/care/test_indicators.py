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
