"""Section 3, health of children looked after for 12 months or more (the OC2 cohort), against last year.

Health figures belong to a collection year (the year ending 31 March), as the DfE collects them. A
financial-year report uses its own year; a calendar-year report uses the return for the year ending
31 March of its year, the latest complete one inside it (``return_year``), and says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cpkit.care.health import DEVELOPMENT_UNDER, OC2_COHORT, SDQ_AGES
from cpkit.care.health import SDQ_BANDS as CARE_SDQ_BANDS
from cpkit.config import Config, Period
from cpkit.figures import Figures
from cpkit.measures import measure
from cpkit.present.disclosure import Ledger, is_small
from cpkit.present.narrative import Narrative, fmt_number, fmt_pct
from cpkit.publish import figure as published
from cpkit.publish.block import frame as typed_frame
from cpkit.sections.common import (
    NO_GROUP,
    Figure,
    collection_phrases,
    compare_counts,
    compare_share,
    hidden_figure,
    measure_keys,
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
_BAND_WORDS = {
    "sdq_normal_pct": "normal",
    "sdq_borderline_pct": "borderline",
    "sdq_concern_pct": "a cause for concern",
}
_BETTER = {"low": "; lower is better", "high": "; higher is better", "neutral": ""}
# Row labels: the score ranges are the bands the figures count by (``cpkit.care.health.SDQ_BANDS``) and the
# better direction is the registry's, so a label cannot state another band or direction.
SDQ = {
    "sdq_average": f"Average SDQ score (aged 5 to 16{_BETTER[measure('sdq_average').polarity]})",
    **{key: f"SDQ score {_BAND_WORDS[key]} ({low} to {high})" for key, low, high in CARE_SDQ_BANDS},
}


def checks_note() -> str:
    """What the health checks table counts: the registry's LAIT codes of its measures, the OC2 cohort and
    the ages each check is asked of, from ``cpkit.care.health``, which computes them."""
    lait = sorted({measure(k).lait for k in CHECKS if measure(k).lait}, key=lambda c: (len(c), c))
    codes = f"LAIT {', '.join(lait)} and the national tables" if lait else "the national tables"
    return (
        f"DfE measures ({codes}): {OC2_COHORT}; development assessments of those under {DEVELOPMENT_UNDER}, "
        f"SDQ of those aged {SDQ_AGES[0]} to {SDQ_AGES[1]}."
    )


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


NO_RETURN = "the returns supplied give no OC2 (health) figures for the year"
_EMPTY: Figure = {"numerator": 0, "denominator": 0, "pct": float("nan")}


def _fig(figs: dict[str, Figure] | None, key: str) -> Figure:
    return figs[key] if figs is not None else _EMPTY


SDQ_BANDS = {
    "sdq_normal_pct": "normal",
    "sdq_borderline_pct": "borderline",
    "sdq_concern_pct": "concern",
}


def sdq_keys(period: Period) -> dict[str, str]:
    """The document keys of the year's SDQ counts (``cpkit.figures.keys``): the cohort and the children
    with a score are the SDQ completion share's denominator and numerator, each band the numerator of its
    share. Every SDQ table and sentence prints these counts under them (the band table's cells, the
    measure tables' "Number" and "Out of", the sentences' "n of m"), so the report's audit sees one figure
    where a reader sees one; the band shares' own denominators are the children with a score."""
    from cpkit.figures.keys import row_keys

    received, cohort = row_keys("sdq_received_pct", "percent", period)
    keys = {"received": received, "cohort": cohort}
    for measure_id, name in SDQ_BANDS.items():
        keys[name] = row_keys(measure_id, "percent", period)[0]
    return keys


def sdq_ledger(
    figs: dict[str, dict[str, Figure] | None], config: Config, period: Period | None = None
) -> Ledger:
    """The SDQ counts of both years, protected together: the checks table ("SDQ completed": received out
    of the 5-16 cohort), the SDQ table (each band out of those received) and the band table (each band,
    no score, and the cohort) publish the same children. Relations: cohort = received + no score;
    received = normal + borderline + concern (when the return's bands add up, as they should). With the
    report's ``period``, each count's document key is the one the measure tables print it under
    (``sdq_keys``: ``Ledger.add(alias=)``)."""
    ledger = Ledger(config)
    for year in ("previous", "current"):
        keys = sdq_keys(period if year == "current" else period.previous()) if period is not None else {}
        received = _fig(figs[year], "sdq_received_pct")
        n_cohort, n_received = int(received["denominator"]), int(received["numerator"])
        ledger.add(("cohort", year), n_cohort, alias=keys.get("cohort"))
        ledger.add(("received", year), n_received, alias=keys.get("received"))
        ledger.add(("none", year), n_cohort - n_received)
        ledger.total(("cohort", year), [("received", year), ("none", year)])
        bands = {name: int(_fig(figs[year], key)["numerator"]) for key, name in SDQ_BANDS.items()}
        for name, n in bands.items():
            ledger.add((name, year), n, alias=keys.get(name))
        if sum(bands.values()) == n_received:
            ledger.total(("received", year), [(name, year) for name in SDQ_BANDS.values()])
    return ledger.resolve()


def _keyed(ledger: Ledger, fig: Figure, names: tuple[str, str] | None, year: str) -> Figure:
    """``fig`` with the document keys of its numerator and denominator (``compare_share``'s ``"keys"``)
    where the SDQ ledger holds the same counts (``names``: numerator, denominator), the ledger's
    relations, and whether the ledger hides the denominator."""
    if names is None:
        return fig
    keys = tuple(
        ledger.key_of((name, year))
        if (name, year) in ledger.values and ledger.values[(name, year)] == float(fig[part])
        else None
        for name, part in zip(names, ("numerator", "denominator"), strict=True)
    )
    base = (names[1], year)
    return {  # type: ignore[return-value]
        **fig,
        "keys": keys,
        "relations": ledger.relations(),
        # the SDQ tables hide the group it is of ("received" to protect a band): not printed in words
        "base_hidden": base in ledger.values and ledger.hidden(base),
    }


def _masked(ledger: Ledger, name: str) -> tuple[bool, bool]:
    return ledger.hidden((name, "previous")), ledger.hidden((name, "current"))


def checks_table(
    figs: dict[str, dict[str, Figure] | None],
    period: Period,
    config: Config,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    rows = [
        (label, key, _fig(figs["previous"], key), _fig(figs["current"], key)) for key, label in CHECKS.items()
    ]
    ledger = sdq_ledger(figs, config, period)
    label = CHECKS["sdq_received_pct"]
    years = ("previous", "current")
    return measure_table(
        rows,
        when(period),
        config,
        benchmarks,
        masked={label: _masked(ledger, "received")},
        periods=(period.previous(), period),
        keys={label: tuple((ledger.key_of(("received", y)), ledger.key_of(("cohort", y))) for y in years)},  # type: ignore[dict-item]
        bases={label: _masked(ledger, "cohort")},
    )


def sdq_table(
    figs: dict[str, dict[str, Figure] | None],
    period: Period,
    config: Config,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    rows = [
        (label, key, _fig(figs["previous"], key), _fig(figs["current"], key)) for key, label in SDQ.items()
    ]
    ledger = sdq_ledger(figs, config, period)
    masked = {SDQ[key]: _masked(ledger, name) for key, name in SDQ_BANDS.items()}
    # a band's share is of the children with a score: its "Out of" is that count, under its one key
    years = ("previous", "current")
    keys = {
        SDQ[key]: tuple((ledger.key_of((name, y)), ledger.key_of(("received", y))) for y in years)
        for key, name in SDQ_BANDS.items()
    }
    # the average's "Out of" is the children with a score too (the average itself names no count)
    keys[SDQ["sdq_average"]] = tuple((None, ledger.key_of(("received", y))) for y in years)
    return measure_table(
        rows,
        when(period),
        config,
        benchmarks,
        averages=(SDQ["sdq_average"],),
        masked=masked,
        periods=(period.previous(), period),
        keys=keys,  # type: ignore[arg-type]
        bases={label: _masked(ledger, "received") for label in keys},
    )


def sdq_band_table(figs: dict[str, dict[str, Figure] | None], period: Period, config: Config) -> pd.DataFrame:
    """Children aged 5-16 in the cohort by SDQ band (and no score), both years, counts with a total row,
    from ``sdq_ledger`` so it hides what the other SDQ tables hide."""
    ledger = sdq_ledger(figs, config, period)
    names = {"normal": SDQ["sdq_normal_pct"], "borderline": SDQ["sdq_borderline_pct"]}
    names |= {"concern": SDQ["sdq_concern_pct"], "none": "No score received", "cohort": "Total"}
    columns: dict[str, list] = {"SDQ band": list(names.values())}
    for year, label in zip(("previous", "current"), when(period), strict=True):
        total = ledger.values[("cohort", year)]
        if figs[year] is None:  # no OC2 figures for the year: not "0 children" in every band (GSS [x])
            columns[f"Children, {label}"] = [published.not_available("count", NO_RETURN) for _ in names]
            columns[f"%, {label}"] = [published.not_available("percent", NO_RETURN) for _ in names]
            continue
        columns[f"Children, {label}"] = [ledger.text((n, year)) for n in names]
        columns[f"%, {label}"] = [  # each names its count and the cohort, for the report's audit
            (
                hidden_figure(100 * ledger.values[(n, year)] / total if total else None)
                if ledger.hidden((n, year)) or ledger.hidden(("cohort", year))
                else (
                    fmt_pct(100 * ledger.values[(n, year)] / total)
                    if total
                    else published.not_applicable("percent", NO_GROUP)
                )
            ).with_counts(ledger.key_of((n, year)), ledger.key_of(("cohort", year)))
            for n in names
        ]
    out = typed_frame(columns)
    keep = [True] * len(out)
    for i, n in enumerate(names):  # a band no child was in, in either year, is left out (as elsewhere)
        if n != "cohort" and not any(ledger.values[(n, y)] for y in ("previous", "current")):
            keep[i] = False
    return out[keep].reset_index(drop=True)


def cohort_sentence(sizes: tuple[int, int], period: Period, narrative: Narrative) -> str:
    return compare_counts(
        narrative,
        "The number of children looked after continuously for 12 months or more at 31 March",
        sizes[0],
        sizes[1],
        collection_phrases(period),
    )


def sentences(figs: dict[str, dict[str, Figure] | None], period: Period, narrative: Narrative) -> list[str]:
    """One comparison sentence per check, then the SDQ average and the share a cause for concern."""
    w = when(period)
    phrases = collection_phrases(period)
    words = {
        "health_assessment_pct": "The share who had their annual health assessment",
        "teeth_check_pct": "The share who had their teeth checked by a dentist",
        "immunisations_pct": "The share whose immunisations were up to date",
        "health_surveillance_pct": "The share of children under 5 whose development assessments were up to date",
        "sdq_received_pct": "The share of children aged 5 to 16 with an SDQ score",
        "sdq_concern_pct": "The share of SDQ scores that were a cause for concern",
    }
    ledger = sdq_ledger(figs, narrative.config, period)
    masked = {"sdq_received_pct": _masked(ledger, "received"), "sdq_concern_pct": _masked(ledger, "concern")}
    # the SDQ counts under the SDQ ledger's keys (the band table prints them), for the report's audit
    parts = {"sdq_received_pct": ("received", "cohort"), "sdq_concern_pct": ("concern", "received")}
    # the checks' counts under the checks table's keys (its "Number" and "Out of", ``measure_keys``)
    periods = (period.previous(), period)
    out = [
        compare_share(
            narrative,
            text,
            *(
                (
                    _keyed(ledger, _fig(figs["previous"], key), parts[key], "previous"),
                    _keyed(ledger, _fig(figs["current"], key), parts[key], "current"),
                )
                if key in parts
                else measure_keys(_fig(figs["previous"], key), _fig(figs["current"], key), key, periods)
            ),
            phrases,
            masked.get(key, (False, False)),
        )
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
            None if not shown.shown else _fig(figs[k], key)["pct"]  # the published cell's status
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
