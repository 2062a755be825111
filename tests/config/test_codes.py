"""``check_codes``: the council's codes against its own DfE files and neighbour model (hand-made files)."""

from __future__ import annotations

import pytest

from cpkit.config import Config
from cpkit.config_checks import check_codes
from cpkit.errors import ConfigError

# Two councils as a DfE release file lists them (the columns every EES file carries).
RELEASE = """\
time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code,population_type,children_count
2025,Reporting year,National,E92000001,England,,,,,,Children looked after,83630
2025,Reporting year,Local authority,E92000001,England,E12000002,North West,123,Anytown,E06000123,Children looked after,400
2025,Reporting year,Local authority,E92000001,England,E12000007,London,456,Othertown,E09000456,Children looked after,300
"""
MODEL = """\
old_la_code,la_name,region_ind,region_name,SN_1,SN_1P
123,Anytown,2,North West,456,Close
456,Othertown,7,London,123,Close
"""


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "cla.csv").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "benchmarks" / "sn_model_2025.csv").write_text(MODEL, encoding="utf-8")
    return tmp_path


def config(**values):
    base = {
        "la_name": "Anytown Council",
        "la_code": "E06000123",
        "la_old_code": "123",
        "region": "North West",
    }
    return Config(**{**base, **values}, source="cpkit.yaml")


def test_matching_codes_pass_quietly(data_dir):
    assert check_codes(config(), data_dir) == []


@pytest.mark.parametrize(
    ("values", "names"),
    [
        # la_old_code of another council: the neighbours would be Othertown's
        ({"la_old_code": "456"}, ["la_old_code 456 is Othertown", "la_code E06000123 is Anytown"]),
        # la_code of another council
        ({"la_code": "E09000456"}, ["la_old_code 123 is Anytown", "la_code E09000456 is Othertown"]),
        # la_code in the files, la_old_code absent from them
        ({"la_old_code": "999"}, ["la_code E06000123 is Anytown", "not la_old_code 999"]),
        ({"region": "London"}, ["region is 'London'", "North West"]),
    ],
)
def test_a_mismatch_names_both_councils_and_the_file(data_dir, values, names):
    with pytest.raises(ConfigError) as err:
        check_codes(config(**values), data_dir)
    message = str(err.value)
    assert message.startswith("cpkit.yaml: ") and "cla.csv" in message
    for words in names:
        assert words in message, message


def test_a_council_absent_from_the_files_is_a_warning(data_dir):
    found = check_codes(config(la_code="E06000777", la_old_code="777", la_name="Nowhere"), data_dir)
    assert any("not in the DfE files" in w for w in found)
    assert any("777 is not in the neighbour model" in w for w in found)


def test_the_model_naming_another_council_is_a_warning(data_dir):
    # The model says 123 is "Anytown"; a council calling itself "Othertown Council" with code 123 is warned
    # (the release files have no rows to contradict the codes here).
    (data_dir / "benchmarks" / "cla.csv").unlink()
    found = check_codes(config(la_name="Othertown Council"), data_dir)
    assert any("123 is 'Anytown' in the neighbour model" in w for w in found), found


def test_no_benchmarks_folder_checks_nothing(tmp_path):
    assert check_codes(config(la_old_code="456"), tmp_path) == []
