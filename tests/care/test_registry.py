"""The measure registry: typed, checked at load, one step per measure, shared with the published figures."""

from __future__ import annotations

import dataclasses

import pytest

from cpkit.benchmarks.mapping import measure_info
from cpkit.care.indicators import STEPS, load_measures
from cpkit.errors import RegistryError
from cpkit.measures import LookBack, Measure, measure, parse_registry, registry

GOOD = """\
measures:
  - id: cla_at_end
    label: Children looked after at the end of the period
    short_label: children in care
    theme: children_in_care
    definition: Children in care at the end of the period.
    source: CLA release
    lait: "332"
    unit: number
    decimals: 0
    polarity: neutral
    tables: [episodes]
"""


def test_good_entry_gives_a_frozen_typed_measure():
    (m,) = parse_registry(GOOD)
    assert m == Measure(
        id="cla_at_end",
        label="Children looked after at the end of the period",
        short_label="children in care",
        theme="children_in_care",
        definition="Children in care at the end of the period.",
        source="CLA release",
        lait="332",
        unit="number",
        decimals=0,
        polarity="neutral",
        tables=("episodes",),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.label = "changed"  # type: ignore[misc]
    assert m.lookback is None  # optional: most measures need nothing from before their year


def test_the_kit_declares_the_look_backs():
    # A1, A10, A2 and staying put at 19-20 count three years; A1 and long-term stability need dates from
    # each child's past (the rule is in cpkit/measures.py).
    assert measure("adoption_a1_days").lookback == LookBack(36, ("care_start",))
    assert measure("adoption_a2_days").lookback == LookBack(36, ("placement_order",))
    assert measure("long_term_stability_pct").lookback == LookBack(0, ("care_start", "carer_start"))
    assert measure("leavers_staying_put_19_20_pct").lookback.months == 36
    assert measure("cla_at_end").lookback is None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("unit: number", "unit: percentage"), "unknown unit 'percentage'"),
        (("polarity: neutral", "polarity: up"), "unknown polarity 'up'"),
        (("theme: children_in_care", "theme: money"), "unknown theme 'money'"),
        (("tables: [episodes]", "tables: [episodes, oc9]"), "unknown table(s) oc9"),
        (("    decimals: 0\n", ""), "missing field(s): decimals"),
        (("    short_label: children in care\n", ""), "missing field(s): short_label"),
        (("decimals: 0", "decimals: one"), "decimals must be a whole number"),
        (("label: Children", "label: ''\n    colour: Children"), "unknown field(s): colour"),
        (("tables: [episodes]", "tables: [episodes]\n    lookback: {months: -1}"), "lookback months must be"),
        (
            ("tables: [episodes]", "tables: [episodes]\n    lookback: {history: [dob]}"),
            "unknown lookback history dob",
        ),
    ],
)
def test_bad_entries_are_refused_naming_measure_and_field(edit, message):
    with pytest.raises(RegistryError) as err:
        parse_registry(GOOD.replace(*edit), "my.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("my.yaml: measure 'cla_at_end'")


def test_duplicate_id_is_refused():
    twice = GOOD + GOOD.split("measures:\n")[1]
    with pytest.raises(RegistryError, match="'cla_at_end': id given more than once"):
        parse_registry(twice)


def test_not_a_list_is_refused():
    with pytest.raises(RegistryError, match="top-level 'measures:' list"):
        parse_registry("children_in_care:\n  cla_at_end: {label: x}\n")


def test_every_registry_measure_has_exactly_one_step():
    claimed = [k for ids, _ in STEPS for k in ids]
    assert len(claimed) == len(set(claimed)), "a measure is computed by two steps"
    assert set(claimed) == {m.id for m in registry()}


def test_kit_registry_loads_in_theme_order_and_is_the_table_view():
    ids = [m.id for m in registry()]
    assert ids == load_measures()["indicator"].tolist()
    themes = [m.theme for m in registry()]
    assert themes == sorted(
        themes, key=["children_in_care", "placements", "health", "care_leavers", "adoption"].index
    )
    assert measure("sdq_average").decimals == 1 and measure("sdq_average").unit == "score"
    with pytest.raises(KeyError, match="no measure 'nope'"):
        measure("nope")


def test_published_figures_take_the_registry_metadata():
    info = measure_info()
    m = measure("long_term_stability_pct")
    row = info.loc["long_term_stability_pct"]
    assert (row["label"], row["short_label"], row["polarity"], row["lait"], bool(row["in_registry"])) == (
        m.label,
        m.short_label,
        m.polarity,
        "393",
        True,
    )
    # A published-only measure is not in the registry and gets a default short label.
    assert not info.loc["placements_3plus_2years_pct", "in_registry"]


CODED = GOOD.replace(
    "definition: Children in care at the end of the period.",
    "definition: Children in care at the end of the period in foster care (PLACE {PLACE}).",
).replace(
    "tables: [episodes]", 'tables: [episodes]\n    codes: {PLACE: ["U1", "U2", "U3", "U4", "U5", "U6", "K2"]}'
)


def test_codes_are_written_into_the_definition():
    # A numbered run of three or more is joined (U1-U6); a lone code stays as it is.
    (m,) = parse_registry(CODED)
    assert m.codes_of("PLACE") == ("U1", "U2", "U3", "U4", "U5", "U6", "K2")
    assert m.definition == "Children in care at the end of the period in foster care (PLACE U1-U6, K2)."


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('"K2"]', '"Q9"]'), "codes: Q9 not in the PLACE list of codes.yaml"),
        (("codes: {PLACE:", "codes: {HOME_POST:"), "'HOME_POST' is not a coded SSDA903 column"),
        (("(PLACE {PLACE})", "(foster care)"), "codes PLACE not shown in the definition"),
        (
            ("(PLACE {PLACE})", "(PLACE {PLACE}, LS {LS})"),
            "definition shows {LS} but codes has no such column",
        ),
        (('"K2"]', '"U1"]'), "lists a code twice"),
    ],
)
def test_bad_codes_are_refused(edit, message):
    with pytest.raises(RegistryError) as err:
        parse_registry(CODED.replace(*edit), "my.yaml")
    assert message in str(err.value)
