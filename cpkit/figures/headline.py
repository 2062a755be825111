"""The headline measures on one frame: what the scorecard and the executive summary both read.

SSDA903 measures come from the run's figures table (``cpkit.figures``: own, published, rank, judgement,
already computed); local KPIs from the council's KPI file (``cpkit.kpis``), judged by the same rule
(``cpkit.present.judgement``). The scorecard section and the executive summary are both written from the
``Headline`` this module assembles, so they cannot disagree, and neither recomputes a measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cpkit.config import Config, Period
from cpkit.figures.columns import COLUMNS as FIGURE_COLUMNS
from cpkit.figures.columns import EMPTY
from cpkit.figures.keys import kpi_key
from cpkit.figures.table import Figures
from cpkit.present import judgement

# Report order of themes: the KPI file's theme names; the measure registry's are mapped onto them.
THEMES = (
    "children in care",
    "placements",
    "fostering",
    "health",
    "education",
    "care leavers",
    "adoption",
    "participation",
)
REGISTRY_THEME = {
    "children_in_care": "children in care",
    "placements": "placements",
    "health": "health",
    "care_leavers": "care leavers",
    "adoption": "adoption",
}
# The headline measures (ids from cpkit/measures.yaml), with the short name sentences use.
HEADLINE: dict[str, str] = {
    "cla_at_end": "children in care",
    "cla_rate_10k": "the rate of children in care",
    "cla_started": "children starting care",
    "cla_ceased": "children leaving care",
    "uasc_at_end": "unaccompanied asylum-seeking children",
    "placed_foster_pct": "children in foster care",
    "inhouse_pct": "in-house placements",
    "placements_3plus_pct": "three or more placements in the year",
    "long_term_stability_pct": "long-term placement stability",
    "placed_outside_over20_pct": "placements outside the area and over 20 miles",
    "missing_pct": "children going missing",
    "health_assessment_pct": "health assessments",
    "teeth_check_pct": "dental checks",
    "immunisations_pct": "immunisations",
    "sdq_received_pct": "SDQ completion",
    "sdq_average": "average SDQ score",
    "leavers_suitable_accom_17_18_pct": "suitable accommodation (care leavers 17-18)",
    "leavers_suitable_accom_19_21_pct": "suitable accommodation (care leavers 19-21)",
    "leavers_eet_17_18_pct": "education, employment or training (care leavers 17-18)",
    "leavers_eet_19_21_pct": "education, employment or training (care leavers 19-21)",
    "leavers_staying_put_18_pct": "staying put at 18",
    "adopted": "adoptions",
    "adoption_a1_days": "days from care to an adoptive family (A1)",
    "adoption_a2_days": "days from placement order to match (A2)",
}
SSDA903, LOCAL = "SSDA903", "Local KPI"

COLUMNS = [
    "theme",
    "source",
    "indicator",
    "label",
    "short",
    "unit",
    "polarity",
    "decimals",
    "value",
    "numerator",
    "denominator",
    "previous_value",
    "previous_numerator",
    "previous_denominator",
    # the document keys of the counts each figure is about (``cpkit.figures.keys``; "" for a local KPI)
    "numerator_key",
    "denominator_key",
    "previous_numerator_key",
    "previous_denominator_key",
    "check_numerator_key",
    "check_denominator_key",
    "change_kind",
    "direction",
    "direction_label",
    "target",
    "rag",
    "england",
    "neighbour_avg",
    "neighbour_n",
    "vs_england",
    "vs_neighbours",
    "rank",
    "ranked",
    "rank_text",
    "quartile",
    "quartile_note",
    "published",
    "published_status",
    "published_year",
    "check_value",
    "check_numerator",
    "check_denominator",
    "own_vs_published",
    # Local KPIs only: the period each figure is for ("2024-25", "2024-25 Q4; no full-year figure").
    "period_text",
    "previous_period_text",
    # SSDA903 measures: why the data cannot give this year's or last year's figure, or "".
    "reason",
    "previous_reason",
]
NOT_LIKE_FOR_LIKE = "Not compared (different periods)"
# The figures table's columns the headline rows carry under the same name (``cpkit.figures.columns``); the
# rest are the headline's own (the measure's id as ``indicator``, last year's counts, the DfE year's own
# figure as ``check_*``, a KPI's periods).
CARRIED: list[str] = [c for c in COLUMNS if c in FIGURE_COLUMNS]


def measure_rows(figures: Figures, headline: dict[str, str] | None = None) -> pd.DataFrame:
    """The headline SSDA903 measures for the report year, read from the figures table (nothing computed)."""
    headline = HEADLINE if headline is None else headline
    now = figures.year()
    before = figures.year(figures.report_year - 1) if figures.report_year - 1 in figures.years else None
    rows = []
    for key, short in headline.items():
        if key not in now.index:
            continue
        r = now.loc[key]
        p = before.loc[key] if before is not None and key in before.index else None
        rows.append(
            {
                **{c: r[c] for c in CARRIED},
                "theme": REGISTRY_THEME.get(r["theme"], r["theme"]),
                "source": SSDA903,
                "indicator": key,
                "short": short,
                "decimals": int(r["decimals"]),
                "previous_numerator": np.nan if p is None else p["numerator"],
                "previous_denominator": np.nan if p is None else p["denominator"],
                "previous_numerator_key": "" if p is None else p.get("numerator_key", ""),
                "previous_denominator_key": "" if p is None else p.get("denominator_key", ""),
                "check_value": r["dfe_value"],
                "check_numerator": r["dfe_numerator"],
                "check_denominator": r["dfe_denominator"],
                "check_numerator_key": r.get("dfe_numerator_key", ""),
                "check_denominator_key": r.get("dfe_denominator_key", ""),
                # why the data cannot give the figure (a year before the returns' reach...), or ""
                "reason": r.get("reason", "") or "",
                "previous_reason": "" if p is None else (p.get("reason", "") or ""),
                "period_text": "",
                "previous_period_text": "",
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def kpi_rows(kpis: pd.DataFrame, period: Period, config: Config | None = None) -> pd.DataFrame:
    """Local KPIs (``load_kpis`` for the report's period): this year, last year, target, judged by the rule.

    Which row is the year's figure is ``cpkit.kpis.year_figures``' one rule (the full-year row; failing
    that the latest row in the year, labelled "2024-25 Q4; no full-year figure"), the rule the education
    section follows too. ``period_text`` and ``previous_period_text`` are printed beside each figure. Two
    figures for different parts of the year (a Q4 snapshot against a full year) get no direction of travel.
    """
    from cpkit.kpis import year_figures

    t = judgement.Thresholds.from_config(config)
    rows = []
    for _, c in year_figures(kpis, period).iterrows():
        if pd.isna(c["value"]):
            continue
        decimals = 1 if c["unit"] in ("percent", "score") else 0
        previous = c["previous_value"] if c["comparable"] else np.nan
        way = judgement.direction(previous, c["value"], c["polarity"], decimals, t)
        unlike = not c["comparable"] and not pd.isna(c["previous_value"])
        rows.append(
            {
                **{col: EMPTY[col] for col in CARRIED},  # no DfE figure for a local KPI
                "theme": c["theme"],
                "source": LOCAL,
                "indicator": c["indicator"],
                "label": c["indicator"],
                "short": c["indicator"],
                "unit": c["unit"],
                "polarity": c["polarity"],
                "decimals": decimals,
                "value": c["value"],
                "numerator": c["numerator"],
                "denominator": c["denominator"],
                "previous_value": c["previous_value"],
                "previous_numerator": c["previous_numerator"],
                "previous_denominator": c["previous_denominator"],
                "change_kind": "" if unlike else way.kind,
                "direction": "" if unlike else way.verdict,
                "direction_label": NOT_LIKE_FOR_LIKE if unlike else way.label,
                "target": c["target"],
                "rag": judgement.rag(c["value"], c["target"], c["polarity"], c["unit"], decimals, t),
                "published_status": "",  # a local KPI is not a DfE measure: not "absent" from a release
                "check_value": np.nan,
                "check_numerator": np.nan,
                "check_denominator": np.nan,
                # a count under the key the education table prints it under (``kpi_key``)
                "numerator_key": kpi_key(c["indicator"], period.label, c["unit"]),
                "previous_numerator_key": kpi_key(c["indicator"], period.previous().label, c["unit"]),
                "previous_denominator_key": "",
                "check_numerator_key": "",
                "check_denominator_key": "",
                "previous_reason": "",
                "period_text": c["period_text"],
                "previous_period_text": c["previous_period_text"],
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def combine(measures: pd.DataFrame, kpis: pd.DataFrame | None = None) -> pd.DataFrame:
    """Measures and KPIs in report order: by theme (``THEMES``), SSDA903 measures before local KPIs."""
    frames = [f for f in (measures, kpis) if f is not None and not f.empty]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    order = {t: i for i, t in enumerate(THEMES)}
    out["_t"] = out["theme"].map(order).fillna(len(THEMES))
    out["_s"] = (out["source"] == LOCAL).astype(int)
    return out.sort_values(["_t", "_s"], kind="stable").drop(columns=["_t", "_s"]).reset_index(drop=True)


# Local KPIs that count what a headline SSDA903 measure counts, told by words in the KPI's name (a KPI file
# names indicators freely). "Initial health assessments" are not the DfE's annual ones, so are not matched.
SAME_THING: dict[str, re.Pattern[str]] = {
    "sdq_received_pct": re.compile(r"\bSDQs?\b(?!.*\b(average|mean|score)\b)", re.IGNORECASE),
    "leavers_suitable_accom_17_18_pct": re.compile(r"\bsuitabl[ey]\b.*\baccommodat", re.IGNORECASE),
    "leavers_suitable_accom_19_21_pct": re.compile(r"\bsuitabl[ey]\b.*\baccommodat", re.IGNORECASE),
    "leavers_eet_17_18_pct": re.compile(r"\bEET\b|education, employment or training", re.IGNORECASE),
    "leavers_eet_19_21_pct": re.compile(r"\bEET\b|education, employment or training", re.IGNORECASE),
    "health_assessment_pct": re.compile(r"^(?!.*\binitial\b).*\bhealth assessments?\b", re.IGNORECASE),
    "teeth_check_pct": re.compile(r"\b(dental|teeth)\b", re.IGNORECASE),
    "immunisations_pct": re.compile(r"\bimmuni[sz]", re.IGNORECASE),
    "convicted_pct": re.compile(r"\bconvict|\byouth cautions?\b|\bcautioned\b", re.IGNORECASE),
}
GOOD, BAD = "good", "bad"


def same_measure(kpi: str) -> str | None:
    """The SSDA903 measure a local KPI is a version of (``SAME_THING``), where its name settles it: one
    measure matches, or the name gives the age band that tells two apart ("... aged 19-21"). A KPI that
    matches two measures and names neither band (care leavers in suitable accommodation) has none: the
    kit does not guess which published figure to set beside it."""
    name = str(kpi)
    found = [key for key, pattern in SAME_THING.items() if pattern.search(name)]
    if len(found) > 1:
        bands = {key: re.search(r"_(\d+)_(\d+)_", key) for key in found}
        found = [k for k, b in bands.items() if b and f"{b.group(1)}-{b.group(2)}" in name]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Contrast:
    """A local KPI and the SSDA903 measure of the same thing with opposite verdicts, and why (``text``)."""

    local: str  # the KPI's indicator
    measure: str  # the measure id
    text: str


def _verdict(row: pd.Series, config: Config | None) -> tuple[str, str]:
    """(GOOD/BAD/"", words): a RAG of Green or Red against a target first, else standing against England
    and neighbours (SSDA903 measures); "" when the figure is hidden, Amber, mixed or not judged."""
    from cpkit.present.figure_text import fmt_value, visible

    if not visible(row, config or Config()):
        return "", ""
    target = fmt_value(row["target"], row["unit"], int(row["decimals"]))
    if row["rag"] == "Green":
        return GOOD, f"at or better than its target of {target}"
    if row["rag"] == "Red":
        return BAD, f"red against its target of {target}"
    if row["source"] != SSDA903:
        return "", ""
    from cpkit.present.comparators import standing

    found = standing(row)
    if found.verdict in ("better", "worse"):
        return (GOOD if found.verdict == "better" else BAD), f"{found.verdict} than {found.words}"
    return "", ""


def contrasts(frame: pd.DataFrame, config: Config | None = None) -> list[Contrast]:
    """Local KPIs and the SSDA903 measure of the same thing (``SAME_THING``) judged opposite ways, each
    with a sentence saying why: they are judged against different things (the council's own target; England
    and its neighbours, or the measure's target) and count different children over different times (the
    DfE's definition at 31 March; the council's own system for the KPI's period). Both can be true."""
    from cpkit.measures import measure as registry_measure
    from cpkit.present.figure_text import lower_first, shown

    cfg = config or Config()
    local = frame[frame["source"] == LOCAL]
    dfe = frame[frame["source"] == SSDA903].set_index("indicator", drop=False)
    out = []
    for key, pattern in SAME_THING.items():
        if key not in dfe.index:
            continue
        m = dfe.loc[key]
        m_verdict, m_words = _verdict(m, cfg)
        named = [bool(pattern.search(str(name))) for name in local["indicator"]]
        for _, k in local[pd.Series(named, index=local.index, dtype=bool)].iterrows():
            k_verdict, k_words = _verdict(k, cfg)
            if not m_verdict or not k_verdict or m_verdict == k_verdict:
                continue
            judged = (
                "against " + m_words.split(" than ", 1)[1]
                if m_words.startswith(("better than", "worse than"))
                else "against the target set for it in the council's settings"
            )
            name = lower_first(str(m["label"]).removesuffix(" (%)"))
            try:
                definition = lower_first(registry_measure(key).definition.rstrip("."))
            except KeyError:
                definition = "the DfE's definition"
            out.append(
                Contrast(
                    str(k["indicator"]),
                    key,
                    f"{k['indicator']} (local KPI, {shown(k, cfg)}) is {k_words}, while {name} "
                    f"(from the SSDA903 return, {shown(m, cfg)}) is {m_words}: they are different figures, so "
                    f"both can be true. The local KPI is the council's own count for its period, judged against "
                    f"the council's target; the SSDA903 measure follows the DfE's definition ({definition}) and "
                    f"is judged {judged}.",
                )
            )
    return out


@dataclass
class Headline:
    """The headline frame and where it came from, for the scorecard and the executive summary."""

    frame: pd.DataFrame
    period: Period
    bench_year: int | None = None
    kpi_file: Path | None = None
    notes: list[str] = field(default_factory=list)
    contrasts: list[Contrast] = field(default_factory=list)

    @property
    def bench_label(self) -> str:
        """ "2024-25": the DfE year the published figures are for."""
        return Period.from_year(self.bench_year).label if self.bench_year else ""

    @property
    def bench_differs(self) -> bool:
        """True when the published figures are not for exactly the report's period."""
        return self.bench_year is not None and (
            self.period.kind != "financial" or self.bench_year != self.period.year
        )


def _day_words(iso: str) -> str:
    from datetime import date

    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B %Y')}"


def gather(ctx: Any) -> Headline:
    """The headline frame from a section context: the figures table and the local KPI file.

    A missing KPI file or published figures leave their columns empty with a note, not an error.
    """
    config: Config = ctx.config
    period: Period = ctx.period
    figures: Figures = ctx.figures
    notes = list(figures.notes)
    if figures.report_year - 1 not in figures.years:  # a report from one return: no last year to show
        first = figures.meta.get("first_day")
        since = f" (they start on {_day_words(first)})" if first else ""
        notes.append(
            f"The SSDA903 returns supplied do not cover {period.previous().label}{since}, so the council's own "
            "figures for it, and the direction of travel, are not shown."
        )
    measures = measure_rows(figures)
    kpi_path = ctx.file(config.kpi_file, "kpis.csv")
    kpis = None
    if kpi_path.exists():
        from cpkit.errors import KpiError
        from cpkit.kpis import load_kpis

        try:
            kpis = kpi_rows(load_kpis(kpi_path, period), period, config)
        except KpiError as exc:  # e.g. financial-year KPIs for a calendar-year report: say so, keep going
            lines = str(exc).splitlines()
            notes.append(
                f"The local KPI file could not be used for {period.label}, so local measures are not "
                f"shown: {lines[0]} {' '.join(lines[1:3])}"
            )
    else:
        notes.append(
            f"No local KPI file ({kpi_path.name}) was found, so local measures and targets are not shown."
        )
    bench_year = figures.published_year()
    frame = combine(measures, kpis)
    return Headline(frame, period, bench_year, kpi_path, notes, contrasts(frame, config))


def row_standing(row: pd.Series | dict) -> str:
    """ "better"/"worse" than every published comparator the row has (England, neighbours, or the one of
    them with a figure: ``cpkit.present.comparators.standing`` says which), "mixed", or ""."""
    from cpkit.present.comparators import standing

    return standing(row).verdict
