"""``Config.load``: required settings, every setting's type and range, and unreadable files, table-driven.

Each case writes a real cpkit.yaml and loads it; a refusal must name the file and the key.
"""

from __future__ import annotations

import pytest

from cpkit.config import Config
from cpkit.errors import ConfigError, CpkitError

from ..conftest import SAMPLE_DIR

# The smallest complete settings file: every required key, nothing else.
MINIMAL = """\
la_name: Anytown Council
la_code: E06000123
la_old_code: "123"
la_district_codes: [E06000123]
population_0_17: 52000
"""


def write(tmp_path, text: str | bytes):
    path = tmp_path / "cpkit.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_minimal_settings_load_with_the_council_own_values_and_no_sample_values(tmp_path):
    config = Config.load(write(tmp_path, MINIMAL))
    assert (config.la_name, config.la_code, config.la_old_code) == ("Anytown Council", "E06000123", "123")
    assert config.la_district_codes == ["E06000123"] and config.population_0_17 == 52000
    assert config.region == "" and config.sample is False  # not the sample's region or banner
    assert config.small_number_threshold == 5 and config.inhouse_providers == ["PR1"]  # documented defaults
    assert config.disclosure_test == "interval"


def test_the_sample_settings_load():
    config = Config.load(SAMPLE_DIR / "cpkit.yaml")
    assert config.la_name == "Sample Council" and config.sample is True


# (case, settings text after MINIMAL, the key the message must name, words the message must hold)
REFUSED = [
    (
        "threshold 1 publishes every count",
        "small_number_threshold: 1",
        "small_number_threshold",
        "at least 3",
    ),
    (
        "threshold 2 publishes counts of 2",
        "small_number_threshold: 2",
        "small_number_threshold",
        "at least 3",
    ),
    ("threshold 50 hides most tables", "small_number_threshold: 50", "small_number_threshold", "at most 20"),
    ("threshold yes is a boolean", "small_number_threshold: yes", "small_number_threshold", "True"),
    ("threshold as text", "small_number_threshold: 'five'", "small_number_threshold", "whole number"),
    ("symbol read as a count", "suppression_symbol: '5'", "suppression_symbol", "cannot be read as a count"),
    ("population with a comma is text", "population_0_17: 52,000", "population_0_17", "whole number"),
    ("population of zero", "population_0_17: 0", "population_0_17", "from 100"),
    ("population as a fraction", "population_0_17: 5200.5", "population_0_17", "whole number"),
    ("la_code of the wrong form", "la_code: E0612", "la_code", "nine-character"),
    ("la_code of a region", "la_code: E12000003", "la_code", "nine-character"),
    ("la_old_code of two digits", "la_old_code: '12'", "la_old_code", "three-digit"),
    ("district code of a region", "la_district_codes: [E12000003]", "la_district_codes", "district code"),
    ("no district codes", "la_district_codes: []", "la_district_codes", "at least 1"),
    ("provider not a PR code", "inhouse_providers: [PR9]", "inhouse_providers", "PR0 to PR5"),
    ("region misspelt", "region: Yorkshire", "region", "Yorkshire and The Humber"),
    ("narrative as a percentage", "narrative: {stable: 1, slight: 5}", "narrative.stable", "between 0 and 1"),
    (
        "narrative in the wrong order",
        "narrative: {stable: 0.05, slight: 0.01}",
        "narrative.stable",
        "smaller",
    ),
    ("stability choice as text", "stability: {count_temporary_moves: 'no'}", "count_temporary_moves", "true"),
    (
        "unknown stability choice",
        "stability: {count_temporary: true}",
        "stability.count_temporary",
        "unknown",
    ),
    ("misspelt key", "la_nmae: Anytown", "la_nmae", "unknown setting"),
    ("sample as text", "sample: 'true'", "sample", "true or false"),
    ("long suppression symbol", "suppression_symbol: 'fewer than five'", "suppression_symbol", "at most 10"),
    ("source is not a setting", "source: other.yaml", "source", "unknown setting"),
    ("target of an unknown measure", "targets: {children_in_car: 420}", "targets", "not a measure id"),
    ("target as text", "targets: {cla_at_end: 'about 420'}", "targets", "expected a number"),
    ("disclosure test misspelt", "disclosure_test: intervals", "disclosure_test", "expected interval"),
    ("disclosure test as a boolean", "disclosure_test: yes", "disclosure_test", "or exact"),
]


@pytest.mark.parametrize(("case", "extra", "key", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_bad_value_is_refused_naming_the_file_and_key(tmp_path, case, extra, key, words):
    text = "\n".join(line for line in MINIMAL.splitlines() if not line.startswith(extra.split(":")[0] + ":"))
    path = write(tmp_path, text + "\n" + extra + "\n")
    with pytest.raises(ConfigError) as err:
        Config.load(path)
    message = str(err.value)
    assert str(path) in message and key in message and words in message, message


@pytest.mark.parametrize(
    "missing", ["la_name", "la_code", "la_old_code", "la_district_codes", "population_0_17"]
)
def test_each_required_setting_is_required(tmp_path, missing):
    text = "\n".join(line for line in MINIMAL.splitlines() if not line.startswith(missing + ":"))
    with pytest.raises(ConfigError, match=f"{missing} is required"):
        Config.load(write(tmp_path, text))


def test_every_problem_is_listed_at_once(tmp_path):
    with pytest.raises(ConfigError) as err:
        Config.load(write(tmp_path, "la_name: Anytown\nsmall_number_threshold: 1\n"))
    message = str(err.value)
    # la_code, la_old_code, la_district_codes, population_0_17 missing; threshold out of range
    assert message.count("\n- ") == 5 and "5 problems" in message


# Accepted spellings a council may write, and what they become.
ACCEPTED = [
    ("old code as a number", "la_old_code: 123", "la_old_code", "123"),
    ("one district without brackets", "la_district_codes: E06000123", "la_district_codes", ["E06000123"]),
    ("lower-case codes", "la_code: e06000123", "la_code", "E06000123"),
    ("neighbour model year as a number", "neighbour_model: 2021", "neighbour_model", "2021"),
    (
        "own neighbours, old and new codes",
        "statistical_neighbours: [370, E08000016]",
        "statistical_neighbours",
        ["370", "E08000016"],
    ),
    ("threshold 10", "small_number_threshold: 10", "small_number_threshold", 10),
    ("a local target", "targets: {cla_at_end: 420}", "targets", {"cla_at_end": 420.0}),
    ("the DfE's exact disclosure test", "disclosure_test: exact", "disclosure_test", "exact"),
    ("the interval disclosure test", "disclosure_test: interval", "disclosure_test", "interval"),
]


@pytest.mark.parametrize(("case", "extra", "key", "value"), ACCEPTED, ids=[r[0] for r in ACCEPTED])
def test_accepted_spellings(tmp_path, case, extra, key, value):
    text = "\n".join(line for line in MINIMAL.splitlines() if not line.startswith(extra.split(":")[0] + ":"))
    assert getattr(Config.load(write(tmp_path, text + "\n" + extra + "\n")), key) == value


UNREADABLE = [
    ("invalid YAML", "la_name: [Anytown\n", "not valid YAML, line 2: a [ opened and never closed"),
    ("a tab indent", "narrative:\n\tstable: 0.01\n", "not valid YAML"),
    ("not UTF-8", "la_name: Ynys Môn\n".encode("cp1252"), "not UTF-8"),
    ("a list, not settings", "- la_name\n- la_code\n", "expected settings as 'key: value' lines"),
]


@pytest.mark.parametrize(("case", "text", "words"), UNREADABLE, ids=[r[0] for r in UNREADABLE])
def test_an_unreadable_file_gives_one_line_naming_it(tmp_path, case, text, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        Config.load(path)
    assert str(path) in str(err.value) and words in str(err.value)
    assert "\n" not in str(err.value)  # one line


def test_no_settings_file_is_an_error_not_the_sample(tmp_path):
    with pytest.raises(ConfigError, match="cpkit.yaml: settings file not found"):
        Config.for_data(tmp_path)
    with pytest.raises(ConfigError, match="no settings file"):
        Config.load(None)


def test_overrides_are_checked_too(tmp_path):
    path = write(tmp_path, MINIMAL)
    assert Config.load(path, la_name="Other Name").la_name == "Other Name"
    with pytest.raises(ConfigError, match="la_code"):
        Config.load(path, la_code="Anytown")


def test_config_errors_are_cpkit_errors():
    assert issubclass(ConfigError, CpkitError)
