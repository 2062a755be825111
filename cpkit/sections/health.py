"""Section 3, health of children looked after for 12 months or more (the OC2 cohort), against last year.

Health figures belong to a collection year (the year ending 31 March), as the DfE collects them. A
financial-year report uses its own year; a calendar-year report uses the return for the year ending
31 March of its year, the latest complete one inside it (``return_year``), and says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cpkit.config import Config, Period
from cpkit.figures import Figures
from cpkit.present.disclosure import is_small
from cpkit.present.narrative import Narrative, fmt_number
from cpkit.sections.common import (
    PCT_SYMBOL,
    Figure,
    breakdown_table,
    compare_counts,
    compare_share,
    measure_table,
    percent_chart,
    return_label,
    return_year,
    when,
)

CHECKS = {
    "health_assessment_pct": "Annual health assessment",
    "teeth_check_pct": "Dental check",
    "immunisations_pct": "Immunisations up to date",
    "health_surveillance_pct": "Development assessment up to date (under 5s)",
    "sdq_received_pct": "Strengths and difficulties questionnaire (SDQ) completed (aged 5 to 16)",
}
SDQ = {
    "sdq_average": "Average SDQ score (aged 5 to 16; lower is better)",
    "sdq_normal_pct": "SDQ score normal (0 to 13)",
    "sdq_borderline_pct": "SDQ score borderline (14 to 16)",
    "sdq_concern_pct": "SDQ score a cause for concern (17 to 40)",
}


def year_note(period: Period) -> str:
    """Which return year the figures come from, in words, for a calendar-year report; else ""."""
    if period.kind == "financial":
        return ""
    y = return_year(period)
    return (
        f"Health figures are collected for years ending 31 March, so this {period.label} report uses the "
        f"return for the year ending 31 March {y} ({return_label(y)}) and compares it with {return_label(y - 1)}."
    )


OC2_MEASURES = (
    *CHECKS,
    *SDQ,
    "convicted_pct",
    "substance_misuse_pct",
)


def outcomes(figures: Figures, period: Period) -> dict[str, dict[str, Figure] | None]:
    """OC2 measures for the return year and the one before, read from the run's figures table (None for a
    year it has no OC2 figures for)."""
    year = return_year(period)
    return {k: figures.figures(OC2_MEASURES, y) for k, y in (("previous", year - 1), ("current", year))}


def cohort_sizes(figures: Figures, period: Period) -> tuple[int, int]:
    """Children looked after continuously for 12 months or more at 31 March, last year and this year: the
    denominator of the health assessment measure (the whole OC2 cohort), so the sentence and the table agree."""
    year = return_year(period)
    return tuple(int(figures.figure("health_assessment_pct", y)["denominator"]) for y in (year - 1, year))  # type: ignore[return-value]


_EMPTY: Figure = {"numerator": 0, "denominator": 0, "pct": float("nan")}


def _fig(figs: dict[str, Figure] | None, key: str) -> Figure:
    return figs[key] if figs is not None else _EMPTY


def checks_table(
    figs: dict[str, dict[str, Figure] | None],
    period: Period,
    config: Config,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    rows = [
        (label, key, _fig(figs["previous"], key), _fig(figs["current"], key)) for key, label in CHECKS.items()
    ]
    return measure_table(rows, when(period), config, benchmarks)


def sdq_table(
    figs: dict[str, dict[str, Figure] | None],
    period: Period,
    config: Config,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    rows = [
        (label, key, _fig(figs["previous"], key), _fig(figs["current"], key)) for key, label in SDQ.items()
    ]
    return measure_table(rows, when(period), config, benchmarks, averages=(SDQ["sdq_average"],))


def sdq_band_table(figs: dict[str, dict[str, Figure] | None], period: Period, config: Config) -> pd.DataFrame:
    """Children aged 5-16 in the cohort by SDQ band (and no score), both years, counts with a total row."""
    tables = {}
    for k in ("previous", "current"):
        f = figs[k]
        received = _fig(f, "sdq_received_pct")
        bands = [(label, int(_fig(f, key)["numerator"])) for key, label in list(SDQ.items())[1:]]
        bands.append(("No score received", int(received["denominator"] - received["numerator"])))
        tables[k] = pd.DataFrame(bands, columns=["band", "children"])
    return breakdown_table(tables, "band", None, when(period), config, "SDQ band")


def cohort_sentence(sizes: tuple[int, int], period: Period, narrative: Narrative) -> str:
    w = when(period)
    return compare_counts(
        narrative,
        "The number of children looked after continuously for 12 months or more at 31 March",
        sizes[0],
        sizes[1],
        (f"in {w[0]}", f"in {w[1]}"),
    )


def sentences(figs: dict[str, dict[str, Figure] | None], period: Period, narrative: Narrative) -> list[str]:
    """One comparison sentence per check, then the SDQ average and the share a cause for concern."""
    w = when(period)
    phrases = (f"in {w[0]}", f"in {w[1]}")
    words = {
        "health_assessment_pct": "The share who had their annual health assessment",
        "teeth_check_pct": "The share who had their teeth checked by a dentist",
        "immunisations_pct": "The share whose immunisations were up to date",
        "health_surveillance_pct": "The share of children under 5 whose development assessments were up to date",
        "sdq_received_pct": "The share of children aged 5 to 16 with an SDQ score",
        "sdq_concern_pct": "The share of SDQ scores that were a cause for concern",
    }
    out = [
        compare_share(narrative, text, _fig(figs["previous"], key), _fig(figs["current"], key), phrases)
        for key, text in words.items()
    ]
    prev, cur = _fig(figs["previous"], "sdq_average"), _fig(figs["current"], "sdq_average")
    t = narrative.config.small_number_threshold
    if cur["denominator"] and not is_small(cur["denominator"], t):
        if prev["denominator"] and not is_small(prev["denominator"], t):
            out.append(
                narrative.say(
                    "health.sdq_average",
                    change=narrative.change(prev["pct"], cur["pct"], 1),
                    then=fmt_number(prev["pct"], 1),
                    now=fmt_number(cur["pct"], 1),
                    previous=w[0],
                    current=w[1],
                )
            )
        else:
            out.append(narrative.say("health.sdq_average_now", now=fmt_number(cur["pct"], 1), current=w[1]))
    return out


def checks_chart(
    table: pd.DataFrame, figs: dict[str, dict[str, Figure] | None], period: Period, config: Config
) -> tuple[plt.Figure, str]:
    """Paired bars of each check's share, last year and this year (hidden shares have no bar); alt text."""
    w = when(period)
    labels = list(CHECKS.values())
    values = {}
    for k, col in (("previous", w[0]), ("current", w[1])):
        values[k] = [
            None if shown in (PCT_SYMBOL, "") else _fig(figs[k], key)["pct"]
            for key, shown in zip(CHECKS, table[col], strict=True)
        ]
    fig, alt = percent_chart(
        labels,
        values["previous"],
        values["current"],
        w,
        xlabel="Children in the cohort (%)",
        title=f"Health checks of children looked after for 12 months or more, {config.la_name}",
        subject="health checks of children looked after for 12 months or more",
    )
    return fig, alt
