"""Section 5, care leavers (OC3): how many, in touch, suitable accommodation, EET and NEET, staying put.

Like health, care leaver figures belong to a collection year (the year ending 31 March): a calendar-year
report uses the return for the year ending 31 March of its year (``cpkit.sections.health.return_year``).
Young people who died or returned home for six months or more are left out, as the DfE does.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cpkit.care import care_leavers, leavers_breakdown
from cpkit.care.leavers import (
    EET,
    EXCLUDED_IN_TOUCH,
    HIGHER_EDUCATION,
    IN_TOUCH,
    NEET,
    STAYING_PUT_ACCOM,
    SUITABILITY_UNKNOWABLE,
)
from cpkit.config import Config, Period
from cpkit.figures import Figures
from cpkit.measures import code_span, measure, registry
from cpkit.present.disclosure import Ledger
from cpkit.present.narrative import Narrative, fmt_pct
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
from cpkit.ssda903.model import Data903

AGE_GROUPS = ("17-18", "19-21")
MEASURES = {
    "in_touch": "In touch with the council",
    "suitable_accom": "In suitable accommodation",
    "eet": "In education, employment or training (EET)",
    "neet": "Not in education, employment or training (NEET)",
}
EXCLUDED = "Excluded (died or returned home)"


def outcomes(figures: Figures, period: Period) -> dict[str, dict[str, Figure] | None]:
    """OC3 measures for the return year and the one before, read from the run's figures table (None for a
    year it has no OC3 figures for)."""
    year = return_year(period)
    keys = [m for m in figures.frame["measure"].unique() if str(m).startswith("leavers_")]
    return {k: figures.figures(keys, y) for k, y in (("previous", year - 1), ("current", year))}


def numbers(data: Data903, period: Period) -> pd.DataFrame:
    """Care leavers counted (exclusions left out) by age group, last year and this year: counts, no ids."""
    year = return_year(period)
    rows = {}
    for k, y in (("previous", year - 1), ("current", year)):
        cl = care_leavers(data, y)
        counted = cl[~cl["excluded"]]
        rows[k] = {g: int((counted["age_group"] == g).sum()) for g in AGE_GROUPS}
        rows[k]["excluded"] = int(cl["excluded"].sum())
    return pd.DataFrame(rows)


_EMPTY: Figure = {"numerator": 0, "denominator": 0, "pct": float("nan")}


def _fig(figs: dict[str, Figure] | None, key: str) -> Figure:
    return figs.get(key, _EMPTY) if figs is not None else _EMPTY


def numbers_ledger(counts: pd.DataFrame, config: Config) -> Ledger:
    """Care leavers per age group and year, with the total. The age groups' counts are also the
    "Out of" of the outcomes table and the activity table's totals, so they are kept and, where one is
    small, the total is hidden instead of the other group."""
    ledger = Ledger(config)
    for year in ("previous", "current"):
        for g in AGE_GROUPS:
            ledger.add((g, year), int(counts.loc[g, year]))
            ledger.keep((g, year))
        ledger.add(("Total", year), int(sum(counts.loc[g, year] for g in AGE_GROUPS)))
        ledger.total(("Total", year), [(g, year) for g in AGE_GROUPS])
    return ledger.resolve()


def numbers_table(counts: pd.DataFrame, period: Period, config: Config) -> pd.DataFrame:
    """Care leavers by age group with a total, both years, under the small-number rule."""
    w = when(period)
    ledger = numbers_ledger(counts, config)
    names = {"17-18": "Aged 17 to 18", "19-21": "Aged 19 to 21", "Total": "Total"}
    out: dict[str, list] = {"Age group": list(names.values())}
    for year, label in zip(("previous", "current"), w, strict=True):
        out[label] = [ledger.text((g, year)) for g in names]
    return typed_frame(out)


def outcomes_table(
    figs: dict[str, dict[str, Figure] | None],
    period: Period,
    config: Config,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """In touch, suitable accommodation, EET, NEET per age group; higher education 19-21; staying put 18."""
    rows = []
    for ages in ("17_18", "19_21"):
        words = ages.replace("_", " to ")
        for key, label in MEASURES.items():
            mid = f"leavers_{key}_{ages}_pct"
            rows.append(
                (f"{label}, aged {words}", mid, _fig(figs["previous"], mid), _fig(figs["current"], mid))
            )
    he = "leavers_higher_education_19_21_pct"
    rows.append(
        ("In higher education, aged 19 to 21", he, _fig(figs["previous"], he), _fig(figs["current"], he))
    )
    sp = "leavers_staying_put_18_pct"
    rows.append(
        (
            "Staying put with former foster carers, aged 18 (of those who left foster care at 18)",
            sp,
            _fig(figs["previous"], sp),
            _fig(figs["current"], sp),
        )
    )
    return measure_table(rows, when(period), config, benchmarks, periods=(period.previous(), period))


def outcomes_note() -> str:
    """What the outcomes table counts, written from the codes ``cpkit.care.leavers`` counts by and the
    registry's LAIT codes of the measures in the table (a note typed beside them would drift)."""
    ids = {m.id for m in registry() if m.id.startswith("leavers_")}
    lait = sorted({measure(i).lait for i in ids if measure(i).lait}, key=lambda c: (len(c), c))
    return (
        f"DfE measures (LAIT {', '.join(lait)}), by the OC3 return: in touch is IN_TOUCH {IN_TOUCH}; suitable "
        "accommodation is ACCOM recorded as suitable (ending in 1), of those whose suitability can be known "
        f"(ACCOM beginning {', '.join(SUITABILITY_UNKNOWABLE)}, abroad, deported or residence not known, left "
        f"out); EET is ACTIV {code_span(sorted(EET))}; NEET is ACTIV {code_span(list(NEET))}; higher "
        f"education is ACTIV {code_span(HIGHER_EDUCATION)}; staying put is of those who left a foster "
        f"placement on their 18th birthday, living with their former foster carers (ACCOM "
        f"{STAYING_PUT_ACCOM}). Young people who died or returned home (IN_TOUCH "
        f"{', '.join(EXCLUDED_IN_TOUCH)}) are not counted; those who refuse contact or no longer need "
        "services stay in and count as not in touch."
    )


def activity_note() -> str:
    """The NEET reasons' codes, from ``cpkit.care.leavers.NEET``."""
    return f"NEET reasons as recorded in the OC3 return (ACTIV {', '.join(NEET)})."


def activity_table(data: Data903, period: Period, config: Config) -> pd.DataFrame:
    """This year's care leavers by activity (EET, each NEET reason, not known) and age group, with totals."""
    year = return_year(period)
    b = leavers_breakdown(data, year)
    b = b[b["age_group"].isin(AGE_GROUPS) & b["activity"].ne(EXCLUDED)]
    order = ["EET", *NEET.values(), "Activity not known"]
    grid = b.pivot_table(index="activity", columns="age_group", values="young_people", aggfunc="sum")
    grid = grid.reindex(index=order, columns=list(AGE_GROUPS), fill_value=0).fillna(0).astype("int64")
    grid.loc["Total"] = grid.sum()
    label = {"EET": "In education, employment or training", "Activity not known": "Not known or not in touch"}
    out: dict[str, list] = {"Activity": [label.get(a, a) for a in grid.index]}
    for g in AGE_GROUPS:
        # each column adds up to its total: the age group's care leavers, published in the numbers table
        # and as the outcomes' "Out of", so kept
        ledger = Ledger(config, name=f"activity-{g}")  # one per age group: the same keys, named apart
        for a in grid.index:
            ledger.add(a, int(grid.at[a, g]))
        ledger.total("Total", [a for a in grid.index if a != "Total"])
        ledger.keep("Total")
        ledger.resolve()
        total = int(grid.loc["Total", g])
        out[f"Aged {g.replace('-', ' to ')}"] = [ledger.text(a) for a in grid.index]
        out[f"%, aged {g.replace('-', ' to ')}"] = [  # each names its count and the total, for the audit
            (
                hidden_figure(100 * grid.at[a, g] / total if total else None)
                if ledger.hidden(a)
                else (
                    fmt_pct(100 * grid.at[a, g] / total)
                    if total
                    else published.not_applicable("percent", NO_GROUP)
                )
            ).with_counts(ledger.key_of(a), ledger.key_of("Total"))
            for a in grid.index
        ]
    return typed_frame(out)


def sentences(
    counts: pd.DataFrame, figs: dict[str, dict[str, Figure] | None], period: Period, narrative: Narrative
) -> list[str]:
    """Numbers against last year, then in touch, suitable accommodation and EET for each age group."""
    phrases = collection_phrases(period)
    periods = (period.previous(), period)
    ledger = numbers_ledger(counts, narrative.config)
    out = [
        compare_counts(
            narrative,
            f"The number of care leavers aged {g.replace('-', ' to ')} the council reported on",
            int(counts.loc[g, "previous"]),
            int(counts.loc[g, "current"]),
            phrases,
            (ledger.hidden((g, "previous")), ledger.hidden((g, "current"))),
            keys=(ledger.key_of((g, "previous")), ledger.key_of((g, "current"))),  # the table's cells
        )
        for g in AGE_GROUPS
    ]
    for ages in ("19_21", "17_18"):
        words = ages.replace("_", " to ")
        for key, text in (
            ("in_touch", f"The share of care leavers aged {words} in touch with the council"),
            ("suitable_accom", f"The share aged {words} in suitable accommodation"),
            ("eet", f"The share aged {words} in education, employment or training"),
        ):
            mid = f"leavers_{key}_{ages}_pct"
            # the counts under the outcomes table's keys (its "Number" and "Out of")
            both = measure_keys(_fig(figs["previous"], mid), _fig(figs["current"], mid), mid, periods)
            out.append(compare_share(narrative, text, *both, phrases))
    sp = "leavers_staying_put_18_pct"
    if _fig(figs["current"], sp)["denominator"]:
        out.append(
            compare_share(
                narrative,
                "The share of 18 year olds who left foster care at 18 and stayed put with their carers",
                *measure_keys(_fig(figs["previous"], sp), _fig(figs["current"], sp), sp, periods),
                phrases,
            )
        )
    return out


def outcomes_chart(
    table: pd.DataFrame, figs: dict[str, dict[str, Figure] | None], period: Period, config: Config
) -> tuple[plt.Figure, str]:
    """Paired bars of in touch, suitable accommodation and EET for care leavers aged 19 to 21; alt text."""
    w = when(period)
    keys = [f"leavers_{k}_19_21_pct" for k in ("in_touch", "suitable_accom", "eet")]
    labels = [MEASURES[k] for k in ("in_touch", "suitable_accom", "eet")]
    rows = table.set_index("Measure")
    values = {}
    for k, col in (("previous", w[0]), ("current", w[1])):
        values[k] = [
            None
            if not rows.loc[f"{label}, aged 19 to 21", col].shown  # the published cell's status
            else _fig(figs[k], key)["pct"]
            for key, label in zip(keys, labels, strict=True)
        ]
    fig, alt = percent_chart(
        labels,
        values["previous"],
        values["current"],
        w,
        xlabel="Care leavers aged 19 to 21 (%)",
        title=f"Care leavers aged 19 to 21, {config.la_name}",
        subject="outcomes for care leavers aged 19 to 21",
    )
    return fig, alt


def return_note(period: Period) -> str:
    """Which return year the figures come from, for a calendar-year report; else ""."""
    if period.kind == "financial":
        return ""
    y = return_year(period)
    return (
        f"Care leaver figures are collected for years ending 31 March, so this {period.label} report uses the "
        f"return for the year ending 31 March {y} ({return_label(y)}) and compares it with {return_label(y - 1)}."
    )
