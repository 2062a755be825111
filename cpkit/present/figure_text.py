"""A figure from the figures table as text: its value, the small-number rule, and its source when two differ.

Where the council's own figure (from its SSDA903 return) and the DfE's published figure for it differ, a
reader who meets both must be told which is which, so every place that prints the published figure beside
or instead of the own one uses ``labelled`` ("from the council's return: 79%; published by the DfE: 85%").
Ranks are always said to be on the published figures (``rank_phrase``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cpkit.config import Config
from cpkit.kpis import NO_FULL_YEAR
from cpkit.present.disclosure import Rule
from cpkit.present.judgement import published_decimals
from cpkit.present.narrative import fmt_number
from cpkit.publish import figure as published
from cpkit.publish import plan
from cpkit.publish.figure import Figure

SUFFIX = {"percent": "%"}
# The figures table's units (cpkit/measures.yaml) as a published Figure names them (cpkit.publish.figure.UNITS)
UNIT = {"rate_per_10k": "rate per 10,000", "number": "count"}
QUARTILE_WORDS = {"A": "A (best)", "B": "B", "C": "C", "D": "D (worst)"}
OWN, PUBLISHED = "from the council's return", "published by the DfE"

Row = Mapping[str, object] | pd.Series


def figure_unit(unit: str) -> str:
    """A figures-table unit ("rate_per_10k") as a Figure's ("rate per 10,000")."""
    return UNIT.get(unit, unit)


def fmt_value(value: float, unit: str, decimals: int = 0) -> Figure:
    """47.2, "percent" -> "47%"; 1234, "number" -> "1,234"; "" (not available) for a missing value."""
    if value is None or pd.isna(value):
        return published.not_available(figure_unit(unit))
    text = f"{fmt_number(float(value), decimals)}{SUFFIX.get(unit, '')}"
    return published.shown(text, value, figure_unit(unit), decimals)


def fmt_published(value: float, unit: str) -> Figure:
    """A published figure at the precision the DfE published it ("85%", "13.4")."""
    if value is None or pd.isna(value):
        return published.not_available(figure_unit(unit), "the DfE has not published this figure")
    return fmt_value(value, unit, published_decimals(value))


def is_hidden(
    numerator: float, denominator: float, config: Config, value: float = float("nan"), unit: str = ""
) -> bool:
    """The small-number rule for one figure (``cpkit.present.disclosure``): a count (unit "number", the
    value itself, as a KPI file gives exclusions) from 1 to threshold - 1; a percentage whose numerator,
    denominator or complement ("75% of 8": 2 did not) is small; any other figure whose count or group is
    small."""
    rule = Rule.of(config)
    if unit == "number" and rule.is_small(value):
        return True
    if denominator is None or pd.isna(denominator):
        return rule.is_small(numerator)
    if unit == "percent":
        return rule.share_hidden(numerator, denominator)
    return rule.is_small(numerator) or rule.is_small(denominator)


def shown(row: Row, config: Config, which: str = "", *, period: bool = True) -> Figure:
    """A row's value (``which`` "" this year, "previous_" last year, "check_" the DfE year) as text: a
    small count as the small-count symbol, any other hidden figure (a share, rate or average) as [c].

    A local KPI carries the period its figure is for (``period_text``, from ``cpkit.kpis.year_figures``),
    printed beside it wherever it appears: "92.9% (2024-25)", "82.8% (2024-25 Q4; no full-year figure)";
    ``period=False`` leaves it off (a table that gives the period a column of its own, ``period_of``).
    A ``Figure``: its value stays the figure's, the period is in its text only.
    """
    value = row[f"{which}value"]
    unit = str(row["unit"])
    if pd.isna(value):
        return published.not_available(figure_unit(unit))
    decimals = int(row["decimals"])  # type: ignore[arg-type]
    numerator, denominator = counts_of(row, which)
    if is_hidden(row[f"{which}numerator"], row[f"{which}denominator"], config, value, unit) or (  # type: ignore[arg-type]
        unit == "percent" and plan.share_hidden(numerator, denominator)
    ):  # the rule hides it, or the document's plan: a share of a count hidden elsewhere in the report
        rule = Rule.of(config)
        if unit == "number" and rule.is_small(value):
            figure = published.small(rule.symbol, value, rule.threshold, figure_unit(unit))
        else:
            figure = published.secondary(rule.secondary, value, figure_unit(unit), decimals)
    else:
        figure = fmt_value(value, unit, decimals)  # type: ignore[arg-type]
    when = period_of(row, which) if period else ""
    return Figure(
        f"{figure} ({when})" if when else str(figure),
        figure.value,
        figure.unit,
        figure.decimals,
        figure.status,
        figure.reason,
        numerator if unit == "number" else figure.key,  # a count is its own numerator
        numerator if unit == "percent" else None,
        denominator if unit == "percent" else None,
    )


def counts_of(row: Row, which: str = "") -> tuple[str | None, str | None]:
    """The document keys of the counts a row's figure is about (``cpkit.figures.keys``): a count's own
    key, a percentage's numerator and denominator; None where the row has none (a local KPI, a rate).
    ``which`` "" this year, "previous_" last year, "check_" the DfE year (a headline row's)."""

    def key(name: str) -> str | None:
        value = row.get(f"{which}{name}_key")
        return value if isinstance(value, str) and value else None

    return key("numerator"), key("denominator")


def said(row: Row, config: Config, which: str = "") -> str:
    """``shown`` for a sentence: a local KPI's period in words beside the figure ("92.9% (2024-25)"), as a
    phrase (``cpkit.publish.text.Sentence``) carrying the bare ``Figure``, whose text is the number alone
    like every Figure's (``shown`` puts the period in the Figure's text, for the pages that print it)."""
    from cpkit.publish.text import Sentence

    figure = shown(row, config, which, period=False)
    when = period_of(row, which)
    return Sentence(f"{figure} ({when})", [figure]) if when else figure


def period_of(row: Row, which: str = "") -> str:
    """The period a local KPI's figure is for ("2024-25 Q4; no full-year figure"), or "" (a DfE measure's
    figure is for the report's year)."""
    period = row.get(f"{which}period_text") if which in ("", "previous_") else None
    return period if isinstance(period, str) and period else ""


PERIOD_COVERED = "Period covered"


def period_covered(row: Row, labels: tuple[str, str]) -> str:
    """The table cell naming the period a local KPI's figures are for, where it is not the column's year
    (``labels``: last year's and this year's column headings): "2024-25 Q4; no full-year figure", or for
    both years "2023-24 Q4 and 2024-25 Q4; no full-year figure"; "" when each figure is for its column's
    year."""
    parts = []
    for which, label in zip(("previous_", ""), labels, strict=True):
        text = period_of(row, which)
        if text and text != label and not pd.isna(row.get(f"{which}value")):
            parts.append(text)
    tail = f"; {NO_FULL_YEAR}"
    if len(parts) > 1 and all(p.endswith(tail) for p in parts):
        return " and ".join(p.removesuffix(tail) for p in parts) + tail
    return " and ".join(parts)


def visible(row: Row, config: Config, which: str = "") -> bool:
    """True when the figure exists and the small-number rule lets it be printed."""
    value = row[f"{which}value"]
    return not pd.isna(value) and not is_hidden(
        row[f"{which}numerator"],
        row[f"{which}denominator"],
        config,
        value,
        str(row["unit"]),  # type: ignore[arg-type]
    )


def labelled(row: Row, config: Config) -> str:
    """The council's figure for the DfE year, labelled with its source where own and published differ.

    "79%" when they agree (or only one exists); "from the council's return: 79%; published by the DfE: 85%"
    when they differ at the published precision.
    """
    from cpkit.publish.text import sentence

    published = row.get("published")
    own = shown(row, config, "check_") if not pd.isna(row.get("check_value")) else ""
    if row.get("own_vs_published") == "differs" and own:
        pub = fmt_published(published, str(row["unit"]))  # type: ignore[arg-type]
        # a phrase carrying both figures (the own one keyed like the tables'), so a sentence that prints
        # it gives them to the report's audit, as it does the lone figure
        return sentence(f"{OWN}: {own}; {PUBLISHED}: {pub}", own, pub)
    if own:
        return own
    return f"{PUBLISHED}: {fmt_published(published, str(row['unit']))}" if not pd.isna(published) else ""


def published_flag(row: Row, config: Config, check_label: str = "") -> str:
    """The scorecard's own-against-published cell, in words: "Matches", "Differs" (the two figures are
    their own cells, ``own_and_published``), or why there is nothing to compare. ``check_label`` is kept
    for callers; the year is in the figures' column heading."""
    status = row.get("published_status")
    if row.get("source") != "SSDA903" or status in (None, "", "absent") or pd.isna(status):
        return ""
    if status != "ok" or pd.isna(row.get("published")):
        return f"Not published ({status})"
    if pd.isna(row.get("check_value")):
        return ""
    if not visible(row, config, "check_"):
        return "Own figure too small to show"
    if row.get("own_vs_published") != "differs":
        return "Matches"
    return "Differs"


def own_and_published(row: Row, config: Config) -> tuple[Figure | str, Figure | str]:
    """Where the scorecard says "Differs" (``published_flag``): the council's figure from its return,
    rounded as the DfE rounds, and the DfE's published one, each a Figure of its own cell (one value a
    cell, issue 22); ("", "") anywhere else."""
    if published_flag(row, config) != "Differs":
        return "", ""
    unit = str(row["unit"])
    own = fmt_value(row["check_value"], unit, published_decimals(row["published"]))  # type: ignore[arg-type]
    return own, fmt_published(row["published"], unit)  # type: ignore[arg-type]


def quartile_text(row: Row) -> str:
    """ "A (best)" ... "D (worst)", or "" without a quartile (a measure with no better direction has none:
    ``cpkit.benchmarks.compare`` does not rank it)."""
    q = row.get("quartile")
    if not isinstance(q, str) or not q or row.get("polarity") not in ("high", "low"):
        return ""
    return QUARTILE_WORDS.get(q, q)


def rank_phrase(row: Row, bench_label: str = "") -> str:
    """ "ranked 3 of 151 councils on the DfE's published figures for 2024-25 (quartile A)", or ""."""
    text = row.get("rank_text")
    if not isinstance(text, str) or not text:
        return ""
    year = f" for {bench_label}" if bench_label else ""
    q = row.get("quartile")
    quart = f" (quartile {q})" if isinstance(q, str) and q else ""
    return f"{text} on the DfE's published figures{year}{quart}"


def lower_first(text: str) -> str:
    """ "Child in care reviews" -> "child in care reviews"; "SDQ completion" stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """ "three or more placements" -> "Three or more placements" (str.capitalize would lower "SDQ")."""
    return text[:1].upper() + text[1:]


def join_names(names: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
