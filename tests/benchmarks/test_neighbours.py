"""Statistical neighbour models: the DfE files in both layouts, chosen by config, joined by code."""

from __future__ import annotations

import pytest

from cpkit.benchmarks import (
    find_neighbour_models,
    neighbours_of,
    read_neighbour_model,
    statistical_neighbours,
)
from cpkit.benchmarks.mapping import lait_polarity_differences
from cpkit.config import Config
from cpkit.errors import BenchmarkError

# Barnsley (370) in sn_model_2025_wide.csv: Rotherham, Wakefield, Tameside, Doncaster, Dudley, Telford and
# Wrekin, Durham, Gateshead, Redcar and Cleveland, Sunderland.
BARNSLEY_2025 = ["372", "384", "357", "371", "332", "894", "840", "390", "807", "394"]
# ... and in New_Statistical_Neighbour_Groupings_April_2021.csv.
BARNSLEY_2021 = ["807", "371", "359", "372", "812", "384", "342", "840", "394", "357"]

pytestmark = pytest.mark.dfe


@pytest.fixture(scope="module")
def sn_dir(dfe_dir):
    return dfe_dir / "statistical_neighbours"


def test_both_layouts_read(sn_dir):
    wide = read_neighbour_model(sn_dir / "sn_model_2025_wide.csv")
    old = read_neighbour_model(sn_dir / "New_Statistical_Neighbour_Groupings_April_2021.csv")
    assert neighbours_of(wide, "370") == BARNSLEY_2025
    assert neighbours_of(old, "370") == BARNSLEY_2021
    assert wide.groupby("old_la_code").size().eq(10).all() and wide["old_la_code"].nunique() == 153


def test_lait_workbook_agrees_with_the_2025_csv(sn_dir):
    wide = read_neighbour_model(sn_dir / "sn_model_2025_wide.csv")
    book = read_neighbour_model(sn_dir / "lait_sn_may_2025.xlsx")
    both = wide.merge(book, on=["old_la_code", "rank"], suffixes=("_csv", "_xlsx"))
    assert len(both) == len(wide)
    assert (both["neighbour_old_code_csv"] == both["neighbour_old_code_xlsx"]).all()


def test_config_chooses_the_model_or_its_own_list(dfe_dir):
    barnsley = Config(la_code="E08000016", la_old_code="370")
    assert set(find_neighbour_models(dfe_dir)) == {"2021", "2025"}
    assert statistical_neighbours(barnsley, dfe_dir) == BARNSLEY_2025
    assert statistical_neighbours(Config(la_old_code="370", neighbour_model="2021"), dfe_dir) == BARNSLEY_2021
    own = Config(la_old_code="370", statistical_neighbours=["E08000018", "371"])
    assert statistical_neighbours(own, dfe_dir) == ["E08000018", "371"]
    with pytest.raises(BenchmarkError, match="no statistical neighbour model '2019'"):
        statistical_neighbours(Config(la_old_code="370", neighbour_model="2019"), dfe_dir)


def test_recoded_and_new_councils_are_in_the_2025_model(sn_dir):
    # Joined by code: the model says "Durham", the releases "County Durham"; both are 840.
    wide = read_neighbour_model(sn_dir / "sn_model_2025_wide.csv")
    assert {"942", "943", "815", "933", "840"} <= set(wide["old_la_code"])
    assert "909" not in set(wide["old_la_code"])  # Cumbria, abolished in 2023


def test_polarity_checked_against_the_lait_dictionary(dfe_dir):
    got = lait_polarity_differences(dfe_dir / "lait" / "lait_data_dictionary_children_looked_after.csv")
    # In touch (kit: high) mirrors LAIT 317 "not in touch" (low): the only intended difference. (Placed with
    # parents follows LAIT 401's "High" in the registry.)
    assert set(got["measure"]) == {"leavers_in_touch_17_18_pct", "leavers_in_touch_19_21_pct"}
