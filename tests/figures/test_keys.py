"""The document keys of a figures-table row's counts (``cpkit.figures.keys``): made from the measure and
the period alone, and for a percentage whose denominator (or numerator) is a count the report prints as
a measure of its own, that count's key, as the registry says once (``numerator:``/``denominator:``)."""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.config import Period
from cpkit.errors import RegistryError
from cpkit.figures.keys import count_key, row_keys
from cpkit.measures import measure, parse_registry
from cpkit.present.figure_text import shown

YEAR = Period.from_year(2025)  # 1 April 2024 to 31 March 2025


@pytest.mark.parametrize(
    ("measure_id", "unit", "period", "keys"),
    [
        # the foster share's base is the children in care on 31 March, the key every Total carries
        ("placed_foster_pct", "percent", YEAR, ("placed_foster_pct:numerator@2024-25", "cla@2025-03-31")),
        # a calendar year ends on 31 December: its children in care are that day's
        (
            "placed_foster_pct",
            "percent",
            Period.from_year(2025, "calendar"),
            ("placed_foster_pct:numerator@2025", "cla@2025-12-31"),
        ),
        # adoptions over the children who ceased: both are counts printed as measures of their own
        ("ceased_adopted_pct", "percent", YEAR, ("adopted@2024-25", "cla_ceased@2024-25")),
        # the in-house base leaves out children placed with parents: no printed count is it
        (
            "inhouse_pct",
            "percent",
            YEAR,
            ("inhouse_pct:numerator@2024-25", "inhouse_pct:denominator@2024-25"),
        ),
        ("cla_at_end", "number", YEAR, ("cla@2025-03-31", "")),  # a count is its own numerator
        ("cla_started", "number", YEAR, ("cla_started@2024-25", "")),
        ("cla_rate_10k", "rate_per_10k", YEAR, ("", "")),  # a rate's base is no count a reader sees
    ],
)
def test_row_keys(measure_id: str, unit: str, period: Period, keys: tuple[str, str]) -> None:
    assert row_keys(measure_id, unit, period) == keys
    assert measure(measure_id).unit == unit


def test_a_count_key_never_holds_a_value() -> None:
    assert (
        count_key("cla_ceased", YEAR)
        == "cla_ceased@2024-25"
        == count_key("cla_ceased", Period.from_year(2025))
    )


def test_a_printed_row_names_its_counts() -> None:
    # 341 of 476 children in foster care is 71.6%, printed "72%": the figure names both counts
    row = pd.Series(
        {
            "measure": "placed_foster_pct",
            "value": 100 * 341 / 476,
            "unit": "percent",
            "decimals": 0,
            "numerator": 341,
            "denominator": 476,
            "numerator_key": "placed_foster_pct:numerator@2024-25",
            "denominator_key": "cla@2025-03-31",
        }
    )
    fig = shown(row, _config())
    assert (str(fig), fig.numerator, fig.denominator) == (
        "72%",
        "placed_foster_pct:numerator@2024-25",
        "cla@2025-03-31",
    )
    assert fig.share() == {
        "numerator": "placed_foster_pct:numerator@2024-25",
        "denominator": "cla@2025-03-31",
        "percent": 72.0,
        "decimals": 0,
    }
    count = shown(
        pd.Series(
            {
                "value": 476,
                "unit": "number",
                "decimals": 0,
                "numerator": 476,
                "denominator": float("nan"),
                "numerator_key": "cla@2025-03-31",
            }
        ),
        _config(),
    )
    assert (str(count), count.key, count.numerator) == ("476", "cla@2025-03-31", None)


ENTRY = """\
  - id: {id}
    label: A measure
    short_label: a measure
    theme: children_in_care
    definition: Something counted.
    source: CLA release
    lait: ""
    unit: {unit}
    decimals: 0
    polarity: neutral
    tables: [episodes]
"""


def test_the_registry_names_only_a_count_as_a_percentage_s_base() -> None:
    count = ENTRY.format(id="cla_at_end", unit="number")
    share = ENTRY.format(id="placed_pct", unit="percent")
    good = parse_registry("measures:\n" + count + share + "    denominator: cla_at_end\n")
    assert good[1].denominator == "cla_at_end"
    with pytest.raises(RegistryError, match="'placed_pct': denominator 'other_pct' is not a count measure"):
        parse_registry("measures:\n" + count + share + "    denominator: other_pct\n")
    with pytest.raises(RegistryError, match="'cla_at_end': numerator is for a percentage's counts"):
        parse_registry("measures:\n" + count + "    numerator: cla_at_end\n")


def _config() -> object:
    class C:
        small_number_threshold = 5
        suppression_symbol = "<5"

    return C()
