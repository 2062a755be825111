"""Narrative templates are data a council edits: filled without evaluating anything, checked when read."""

from __future__ import annotations

import pytest

from cpkit.errors import NarrativeError
from cpkit.present.narrative import Narrative, fill, placeholders


class Secret:
    password = "hunter2"

    def __str__(self) -> str:
        return "a figure"


@pytest.mark.parametrize(
    "template",
    [
        "{x.__class__.__init__.__globals__}",
        "{x.password}",
        "{x[0]}",
        "{x!r}",
        "{x:>40}",
        "{0}",
        "{}",
    ],
)
def test_fill_refuses_anything_but_a_plain_name(template):
    with pytest.raises(NarrativeError, match="not allowed"):
        fill(template, {"x": Secret()}, "narrative.yaml, template t.k")


def test_fill_puts_in_the_text_of_each_value_and_keeps_doubled_braces():
    assert fill("{n} of {m} {{literal}}", {"n": Secret(), "m": 7}) == "a figure of 7 {literal}"


def test_a_missing_value_names_the_file_and_key():
    with pytest.raises(NarrativeError, match=r"narrative\.yaml, template children_in_care\.busiest.*\{n\}"):
        fill("In {month} ({n})", {"month": "May"}, "narrative.yaml, template children_in_care.busiest")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('children_in_care:\n  busiest: "{month.__class__}"\n', r"busiest: placeholder \{month\.__class__\}"),
        (
            'children_in_care:\n  busiest: "In {monthh} ({n})"\n',
            r"busiest: unknown placeholder\(s\) \{monthh\}",
        ),
        ('children_in_care:\n  busiest: "In {month ({n})"\n', r"busiest: malformed template"),
        ('children_in_care:\n  busiest: "In {month}} ({n})"\n', r"busiest: malformed template"),
        ('children_in_care:\n  no_such_key: "x"\n', r"no_such_key: the kit has no template"),
        ('children_in_kare:\n  busiest: "x"\n', r"'children_in_kare' is not a narrative section"),
        (
            'education:\n  directions:\n    Improved: ", {better}"\n',
            r"education\.directions\.Improved: unknown",
        ),
        ("- just a list\n", r"expected sections"),
    ],
)
def test_a_councils_template_file_is_checked_when_read(tmp_path, body, message):
    (tmp_path / "narrative.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(NarrativeError, match=message) as err:
        Narrative.for_data(tmp_path)
    assert str(tmp_path / "narrative.yaml") in str(err.value)


def test_a_councils_template_is_used_and_may_drop_placeholders(tmp_path):
    (tmp_path / "narrative.yaml").write_text(
        'children_in_care:\n  busiest: "Most children came into care in {month}."\n', encoding="utf-8"
    )
    narrative = Narrative.for_data(tmp_path)
    assert (
        narrative.say("children_in_care.busiest", month="May", n=12) == "Most children came into care in May."
    )
    # the kit's own templates are still there for the other keys
    assert narrative.say("children_in_care.flows", admissions=10, ceased=9, avg_admissions="0.8").startswith(
        "10 "
    )


def test_every_kit_template_uses_plain_placeholders_only():
    narrative = Narrative()

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, f"{key}.{k}" if key else k)
        else:
            yield key, node

    for key, template in walk(narrative.templates):
        placeholders(template, key)  # raises on anything else
