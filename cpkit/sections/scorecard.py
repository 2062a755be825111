"""Section 7, the scorecard: every headline measure on one page, this year against last, target,
England and statistical neighbours, grouped by theme.

The council's own figures come from its SSDA903 returns (``cpkit.care.indicators``) and its local KPI
file (``cpkit.kpis``); England, neighbours and quartiles are the DfE's published figures
(``cpkit.benchmarks``). The council's own figure for a measure is also checked against the one the DfE
published for the same year, because a gap beyond rounding means the return and the council's extract
disagree and a Board member comparing with LAIT would notice. ``gather`` builds one numeric table
(``COLUMNS``) that the table, sentences and chart here, and the executive summary, are all written from.
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cpkit.config import Config, Period
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.disclosure import Rule, rule_note
from cpkit.present.narrative import Narrative, fmt_number
from cpkit.sections.common import benchmark_year

log = logging.getLogger(__name__)

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
# The headline measures a scorecard carries (from cpkit/measures.yaml), with the short name sentences use.
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
DECIMALS = {"percent": 0, "rate_per_10k": 0, "number": 0, "days": 0, "score": 1, "miles": 1}
SUFFIX = {"percent": "%"}
ARROW = {"up": "\u2191", "down": "\u2193", "same": "\u2192"}
# RAG against a target: Green meets it; Amber is short of it by no more than this (percentage points
# for percentages, else a share of the target); Red is further off.
AMBER_POINTS = 5.0
AMBER_SHARE = 0.10
# "Similar" to England or neighbours: within a point for percentages, within 2% for anything else.
SIMILAR_POINTS = 1.0
SIMILAR_SHARE = 0.02
RAG_CLASS = {"Green": "rag rag-green", "Amber": "rag rag-amber", "Red": "rag rag-red"}
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
    "target",
    "england",
    "neighbour_avg",
    "neighbour_n",
    "rank",
    "ranked",
    "quartile",
    "published",
    "published_status",
    "check_value",
    "check_numerator",
    "check_denominator",
]


# --- Rules: direction of travel, RAG against target, own data against published ---------------------


def direction(previous: float, current: float, polarity: str, decimals: int = 0) -> str:
    """ "Better ↑", "Worse ↓", "Higher ↑" (no good direction), "No change →", or "" without both years.

    Compared at the precision the table prints, so a change the reader cannot see is "No change".
    """
    if pd.isna(previous) or pd.isna(current):
        return ""
    diff = round(float(current), decimals) - round(float(previous), decimals)
    if abs(diff) < 10 ** -(decimals + 3):
        return f"No change {ARROW['same']}"
    up = diff > 0
    arrow = ARROW["up" if up else "down"]
    if polarity == "high":
        return f"{'Better' if up else 'Worse'} {arrow}"
    if polarity == "low":
        return f"{'Worse' if up else 'Better'} {arrow}"
    return f"{'Higher' if up else 'Lower'} {arrow}"


def rag(value: float, target: float, polarity: str, unit: str, decimals: int = 1) -> str:
    """ "Green" (target met), "Amber" (close: ``AMBER_POINTS``/``AMBER_SHARE``), "Red", or "".

    No RAG without a value, a target or a good direction (a target for a neutral measure is a
    planning figure, not a standard to meet). The value is judged as printed.
    """
    if pd.isna(value) or pd.isna(target) or polarity not in ("high", "low"):
        return ""
    shortfall = (target - round(float(value), decimals)) * (1 if polarity == "high" else -1)
    if shortfall <= 1e-9:
        return "Green"
    margin = AMBER_POINTS if unit == "percent" else AMBER_SHARE * abs(target)
    return "Amber" if shortfall <= margin + 1e-9 else "Red"


def published_decimals(value: float) -> int:
    """Decimal places the DfE published a figure to (whole numbers, or 1 place like 20.4 or 15.6)."""
    return 0 if float(value).is_integer() else 1


def differs_from_published(own: float, published: float) -> bool:
    """True when the council's own figure, rounded as the DfE rounds, is not the published figure."""
    if pd.isna(own) or pd.isna(published):
        return False
    d = published_decimals(published)
    return abs(float(own) - float(published)) > 0.5 * 10**-d + 1e-9


def versus(value: float, comparator: float, polarity: str, unit: str) -> str:
    """ "better", "worse" or "similar" against England or neighbours ("" when either is missing)."""
    if pd.isna(value) or pd.isna(comparator) or polarity not in ("high", "low"):
        return ""
    diff = float(value) - float(comparator)
    close = SIMILAR_POINTS if unit == "percent" else SIMILAR_SHARE * abs(float(comparator))
    if abs(diff) <= close + 1e-9:
        return "similar"
    return "better" if (diff > 0) == (polarity == "high") else "worse"


# --- Formatting --------------------------------------------------------------------------------------


def fmt_value(value: float, unit: str, decimals: int = 0) -> str:
    """47.2, "percent" -> "47%"; 1234, "number" -> "1,234"; "" for a missing value."""
    if pd.isna(value):
        return ""
    return f"{fmt_number(float(value), decimals)}{SUFFIX.get(unit, '')}"


def is_hidden(
    numerator: float, denominator: float, config: Config, value: float = np.nan, unit: str = ""
) -> bool:
    """The small-number rule for one figure (``cpkit.present.disclosure``): a count (unit "number", the
    value itself, as a KPI file gives exclusions) from 1 to threshold - 1; a percentage whose numerator,
    denominator or complement ("75% of 8": 2 did not) is small; any other figure whose count or group is
    small."""
    rule = Rule.of(config)
    if unit == "number" and rule.is_small(value):
        return True
    if pd.isna(denominator):
        return rule.is_small(numerator)
    if unit == "percent":
        return rule.share_hidden(numerator, denominator)
    return rule.is_small(numerator) or rule.is_small(denominator)


def shown(row: pd.Series | dict, config: Config, which: str = "") -> str:
    """A row's value (``which`` "" this year, "previous_" last year, "check_" the published year) as text:
    a small count as the small-count symbol, any other hidden figure as ``[c]``."""
    value = row[f"{which}value"]
    if pd.isna(value):
        return ""
    if is_hidden(row[f"{which}numerator"], row[f"{which}denominator"], config, value, row["unit"]):
        rule = Rule.of(config)
        return rule.symbol if row["unit"] == "number" and rule.is_small(value) else rule.secondary
    return fmt_value(value, row["unit"], int(row["decimals"]))


def visible(row: pd.Series | dict, config: Config, which: str = "") -> bool:
    """True when the figure exists and the small-number rule lets it be printed."""
    value = row[f"{which}value"]
    return not pd.isna(value) and not is_hidden(
        row[f"{which}numerator"], row[f"{which}denominator"], config, value, row["unit"]
    )


def published_flag(row: pd.Series | dict, config: Config, check_label: str = "") -> str:
    """ "Own data 47%, published 45%" where they differ beyond rounding; "Matches"; or why not checked."""
    if (
        row["source"] != SSDA903
        or pd.isna(row.get("published_status"))
        or row["published_status"] == "absent"
    ):
        return ""
    if row["published_status"] != "ok" or pd.isna(row["published"]):
        return f"Not published ({row['published_status']})"
    if pd.isna(row["check_value"]):
        return ""
    if not visible(row, config, "check_"):
        return "Own figure too small to show"
    if not differs_from_published(row["check_value"], row["published"]):
        return "Matches"
    pub = fmt_value(row["published"], row["unit"], published_decimals(row["published"]))
    own = fmt_value(row["check_value"], row["unit"], published_decimals(row["published"]))
    when = f" ({check_label})" if check_label else ""
    return f"Own data{when} {own}, published {pub}"


# --- Assembling the figures --------------------------------------------------------------------------


def measure_rows(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    comparison: pd.DataFrame | None = None,
    check: pd.DataFrame | None = None,
    headline: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Headline SSDA903 measures: this and last year's own figures beside the published comparators.

    ``current``/``previous`` come from ``indicators``; ``comparison`` from ``compare``; ``check`` is
    the own figure for the published year (``current`` itself for a financial period).
    """
    headline = HEADLINE if headline is None else headline
    cur = current.set_index("indicator")
    prev = previous.set_index("indicator")
    chk = (current if check is None else check).set_index("indicator")
    comp = comparison.set_index("measure") if comparison is not None else pd.DataFrame()
    rows = []
    for key, short in headline.items():
        if key not in cur.index:
            continue
        c = cur.loc[key]
        b = comp.loc[key] if key in comp.index else {}
        rows.append(
            {
                "theme": REGISTRY_THEME.get(c["theme"], c["theme"]),
                "source": SSDA903,
                "indicator": key,
                "label": c["label"],
                "short": short,
                "unit": c["unit"],
                "polarity": c["polarity"],
                "decimals": DECIMALS.get(c["unit"], 1),
                "value": c["value"],
                "numerator": c["numerator"],
                "denominator": c["denominator"],
                "previous_value": prev["value"].get(key, np.nan),
                "previous_numerator": prev["numerator"].get(key, np.nan),
                "previous_denominator": prev["denominator"].get(key, np.nan),
                "target": np.nan,
                "england": b.get("england", np.nan),
                "neighbour_avg": b.get("neighbour_avg", np.nan),
                "neighbour_n": b.get("neighbour_n", 0),
                "rank": b.get("rank", pd.NA),
                "ranked": b.get("ranked", 0),
                "quartile": b.get("quartile", np.nan),
                "published": b.get("la_value", np.nan),
                "published_status": b.get("la_status", "absent"),
                "check_value": chk["value"].get(key, np.nan),
                "check_numerator": chk["numerator"].get(key, np.nan),
                "check_denominator": chk["denominator"].get(key, np.nan),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def kpi_rows(kpis: pd.DataFrame) -> pd.DataFrame:
    """Local KPIs (``load_kpis`` with the report's period): this year, last year and the target."""
    rows = []
    for name, group in kpis.groupby("indicator", sort=False):
        cur = group[group["current"]]
        prev = group[~group["current"]]
        if cur.empty:
            continue
        c = cur.sort_values("period_end").iloc[-1]
        p = prev.sort_values("period_end").iloc[-1] if len(prev) else None
        rows.append(
            {
                "theme": c["theme"],
                "source": LOCAL,
                "indicator": name,
                "label": name,
                "short": name,
                "unit": c["unit"],
                "polarity": c["polarity"],
                "decimals": 1 if c["unit"] in ("percent", "score") else 0,
                "value": c["value"],
                "numerator": c["numerator"],
                "denominator": c["denominator"],
                "previous_value": np.nan if p is None else p["value"],
                "previous_numerator": np.nan if p is None else p["numerator"],
                "previous_denominator": np.nan if p is None else p["denominator"],
                "target": c["target"],
                "england": np.nan,
                "neighbour_avg": np.nan,
                "neighbour_n": 0,
                "rank": pd.NA,
                "ranked": 0,
                "quartile": np.nan,
                "published": np.nan,
                "published_status": np.nan,
                "check_value": np.nan,
                "check_numerator": np.nan,
                "check_denominator": np.nan,
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


@dataclass
class Scorecard:
    """The assembled figures and where they came from, for the table, sentences, chart and summary."""

    frame: pd.DataFrame
    period: Period
    comparison: pd.DataFrame | None = None
    bench_year: int | None = None
    kpi_file: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def bench_label(self) -> str:
        """ "2024-25": the DfE year the published figures are for."""
        return Period.from_year(self.bench_year).label if self.bench_year else ""


def gather(ctx: object) -> Scorecard:
    """Everything the scorecard needs, from a section context (``open_section``).

    Missing benchmarks or KPI files leave their columns empty with a note, not an error, so a council
    without them still gets a scorecard from its SSDA903 data.
    """
    from cpkit.care.indicators import indicators

    config: Config = ctx.config  # type: ignore[attr-defined]
    period: Period = ctx.period  # type: ignore[attr-defined]
    data = ctx.data  # type: ignore[attr-defined]
    notes: list[str] = []
    current = indicators(data, period.year, period.kind, config)
    previous = indicators(data, period.year - 1, period.kind, config)
    comparison, bench_year = _published(ctx, config, period, notes)
    check = current
    if bench_year is not None and (period.kind != "financial" or bench_year != period.year):
        check = indicators(data, bench_year, "financial", config)
    measures = measure_rows(current, previous, comparison, check)
    kpi_path = ctx.file(config.kpi_file, "kpis.csv")  # type: ignore[attr-defined]
    kpis = None
    if kpi_path.exists():
        from cpkit.kpis import KpiError, load_kpis

        try:
            kpis = kpi_rows(load_kpis(kpi_path, period))
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
    return Scorecard(combine(measures, kpis), period, comparison, bench_year, kpi_path, notes)


def _published(
    ctx: object, config: Config, period: Period, notes: list[str]
) -> tuple[pd.DataFrame | None, int | None]:
    from cpkit.benchmarks import BenchmarkError, compare, load_benchmarks, statistical_neighbours

    folder = Path(ctx.data_dir) / (config.benchmarks_dir or "benchmarks")  # type: ignore[attr-defined]
    if not folder.is_dir():
        notes.append("No DfE published figures were found, so England and neighbour columns are empty.")
        return None, None
    try:
        bench = load_benchmarks(folder)
        year = benchmark_year(period, sorted(int(y) for y in bench["year"].dropna().unique()))
        if year is None:
            notes.append(f"The DfE figures supplied all end after {period.label}; none are compared.")
            return None, None
        try:
            neighbours = statistical_neighbours(config, folder)
        except BenchmarkError as exc:
            notes.append(f"No statistical neighbours: {exc}")
            neighbours = []
        return compare(bench, config.la_code, year, neighbours), year
    except (BenchmarkError, OSError, ValueError) as exc:
        log.warning("benchmarks not used: %s", exc)
        notes.append(f"The DfE published figures could not be read: {exc}")
        return None, None


# --- The table ---------------------------------------------------------------------------------------


def scorecard_table(card: Scorecard, config: Config) -> tuple[pd.DataFrame, dict[str, dict[int, str]]]:
    """The published scorecard (text cells, small numbers hidden) and the RAG colour classes.

    A theme row heads each group, so the table reads by theme without colour or indentation.
    """
    frame, period = card.frame, card.period
    bench = f" ({card.bench_label})" if card.bench_label else ""
    differs = card.bench_year is not None and (period.kind != "financial" or card.bench_year != period.year)
    check_label = card.bench_label if differs else ""
    cols = {
        "Indicator": [],
        period.previous().label: [],
        period.label: [],
        "Direction of travel": [],
        "Target": [],
        "RAG against target": [],
        f"England{bench}": [],
        f"Statistical neighbours{bench}": [],
        f"Quartile{bench}": [],
        "Own data against published": [],
    }
    keys = list(cols)
    classes: dict[int, str] = {}
    for theme, rows in frame.groupby("theme", sort=False):
        cols["Indicator"].append(upper_first(str(theme)))
        for k in keys[1:]:
            cols[k].append("")
        for _, row in rows.iterrows():
            both = visible(row, config) and visible(row, config, "previous_")
            status = (
                rag(row["value"], row["target"], row["polarity"], row["unit"], int(row["decimals"]))
                if (visible(row, config))
                else ""
            )
            if status:
                classes[len(cols["Indicator"])] = RAG_CLASS[status]
            n = int(row["neighbour_n"]) if not pd.isna(row["neighbour_n"]) else 0
            values = [
                row["label"],
                shown(row, config, "previous_"),
                shown(row, config),
                direction(row["previous_value"], row["value"], row["polarity"], int(row["decimals"]))
                if both
                else "",
                fmt_value(row["target"], row["unit"], int(row["decimals"])),
                status,
                fmt_value(row["england"], row["unit"], published_decimals(row["england"]))
                if not pd.isna(row["england"])
                else "",
                f"{fmt_value(row['neighbour_avg'], row['unit'], 1 if row['unit'] != 'number' else 0)} ({n})"
                if n
                else "",
                _quartile_text(row),
                published_flag(row, config, check_label),
            ]
            for k, v in zip(keys, values, strict=True):
                cols[k].append(v)
    return pd.DataFrame(cols), {"RAG against target": classes}


QUARTILE_WORDS = {"A": "A (best)", "B": "B", "C": "C", "D": "D (worst)"}


def _quartile_text(row: pd.Series) -> str:
    q = row["quartile"]
    if not isinstance(q, str):
        return ""
    if row["polarity"] == "neutral":
        return f"{q} (highest)" if q == "A" else (f"{q} (lowest)" if q == "D" else q)
    return QUARTILE_WORDS.get(q, q)


def table_note(card: Scorecard, config: Config) -> str:
    """Definitions, sources and which year the published figures are for."""
    p = card.period
    parts = [
        f"Figures for {p.previous().label} and {p.label} are the council's own: SSDA903 measures are worked out "
        "from its returns (DfE definitions, cpkit/measures.yaml) and local measures come from its KPI file.",
        "Direction of travel compares the two years as printed: better or worse where a higher or lower "
        "figure is the better one, higher or lower where neither is.",
        f"RAG against target: Green meets the target; Amber is short of it by up to {AMBER_POINTS:g} "
        f"percentage points (or {AMBER_SHARE:.0%} of the target for other figures); Red is further off.",
    ]
    if card.bench_year:
        parts.append(
            f"England, statistical neighbours (the average of the neighbours' published values, with how many "
            f"were published in brackets) and quartile (A is the best quarter of councils; for measures with no "
            f"better direction, A is the highest) are the DfE's published figures for the year ending 31 March "
            f"{card.bench_year} ({card.bench_label})."
        )
        if p.kind == "calendar" or card.bench_year != p.year:
            parts.append(
                f"The DfE publishes years ending 31 March only, so these do not cover exactly {p.label}; the "
                f"own-data check compares the council's figure for {card.bench_label} with the published one."
            )
        parts.append(
            "Own data against published: where the council's figure, rounded as the DfE rounds, is not the "
            "published figure, both are shown; a gap usually means the return was amended after submission or "
            "the local extract differs from it."
        )
    parts.append(rule_note(config))
    return " ".join(parts + card.notes)


# --- Sentences ---------------------------------------------------------------------------------------


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


def standing(row: pd.Series | dict) -> str:
    """ "better", "worse" (than both England and neighbours), "mixed", or "" with nothing to compare."""
    e = versus(row["value"], row["england"], row["polarity"], row["unit"])
    n = versus(row["value"], row["neighbour_avg"], row["polarity"], row["unit"])
    known = [x for x in (e, n) if x]
    if not known:
        return ""
    if all(x == "better" for x in known):
        return "better"
    if all(x == "worse" for x in known):
        return "worse"
    return "mixed"


def theme_sentences(card: Scorecard, narrative: Narrative) -> list[str]:
    """One plain-English line per theme, from the figures in the table."""
    config = narrative.config
    out = []
    for theme, rows in card.frame.groupby("theme", sort=False):
        groups: dict[str, list[str]] = {"better": [], "worse": [], "mixed": []}
        met = total = 0
        red: list[str] = []
        for _, row in rows.iterrows():
            if not visible(row, config):
                continue
            where = standing(row)
            if where:
                groups[where].append(lower_first(row["short"]))
            status = rag(row["value"], row["target"], row["polarity"], row["unit"], int(row["decimals"]))
            if status:
                total += 1
                met += status == "Green"
                if status == "Red":
                    red.append(lower_first(row["short"]))
        parts = [
            narrative.say(f"scorecard.{key}", names=join_names(names))
            for key, names in groups.items()
            if names
        ]
        if total:
            parts.append(
                narrative.say(
                    "scorecard.targets",
                    met=met,
                    total=total,
                    measures="measure" if total == 1 else "measures",
                )
            )
            if red:
                parts.append(narrative.say("scorecard.red", names=join_names(red)))
        if not parts:
            parts.append(narrative.say("scorecard.nothing"))
        text = "; ".join(parts)
        out.append(narrative.say("scorecard.theme", theme=upper_first(str(theme)), text=text))
    return out


# --- Chart -------------------------------------------------------------------------------------------


def chart_rows(card: Scorecard, config: Config) -> pd.DataFrame:
    """Headline percentages with a better direction and a published England figure, as the chart shows them."""
    f = card.frame
    keep = (f["source"] == SSDA903) & (f["unit"] == "percent") & f["polarity"].isin(["high", "low"])
    keep &= f["england"].notna()
    rows = f[keep]
    rows = rows[[visible(r, config) for _, r in rows.iterrows()]]
    return pd.DataFrame(
        {
            "Measure": [upper_first(x) for x in rows["short"]],
            "Council": rows["value"].round(0).tolist(),
            "England": rows["england"].tolist(),
            "Statistical neighbours": rows["neighbour_avg"].round(1).tolist(),
            "Better direction": rows["polarity"].map({"high": "higher", "low": "lower"}).tolist(),
            "Standing": [standing(r) for _, r in rows.iterrows()],
        }
    )


def comparison_chart(data: pd.DataFrame, la_name: str, label: str) -> tuple[plt.Figure, str]:
    """Dot chart: the council (filled circle), England (diamond) and neighbours (square) per measure.

    Markers differ in shape and fill as well as colour, so the series read without colour.
    """
    colours = af_colours(3)
    y = np.arange(len(data))
    with chart_style():
        fig, ax = plt.subplots(figsize=(9, 0.5 * len(data) + 2))
        for (col, marker, face, size, offset), colour in zip(
            (
                ("Council", "o", None, 80, -0.2),
                ("England", "D", "none", 55, 0.0),
                ("Statistical neighbours", "s", "none", 55, 0.2),
            ),
            colours,
            strict=True,
        ):  # a small vertical offset keeps equal values from hiding each other
            ax.scatter(
                data[col],
                y + offset,
                marker=marker,
                s=size,
                label=la_name if col == "Council" else col,
                color=colour,
                facecolors=face or colour,
                linewidths=1.8,
                zorder=3,
            )
        labels = [
            textwrap.fill(f"{m} ({b} is better)", 40)
            for m, b in zip(data["Measure"], data["Better direction"], strict=True)
        ]
        ax.set_yticks(y, labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("Per cent")
        ax.grid(axis="y", linestyle=":", linewidth=0.5)
        ax.set_title(
            f"Headline percentages against England and statistical neighbours, {label}",
            loc="left",
            fontsize=11,
        )
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.1), ncol=3, frameon=False, fontsize=9)
        fig.tight_layout()
    return fig, chart_alt(data, la_name, label)


def chart_alt(data: pd.DataFrame, la_name: str, label: str) -> str:
    """Alt text stating the chart's message from its numbers."""
    n = len(data)
    groups = {
        k: [lower_first(m) for m in data.loc[data["Standing"] == k, "Measure"]] for k in ("better", "worse")
    }
    text = (
        f"Dot chart of {n} headline percentages for {la_name}, England and the statistical neighbour average, "
        f"{label}. {la_name} was better than both on {len(groups['better'])}"
    )
    text += f" ({join_names(groups['better'])})" if groups["better"] else ""
    text += f" and worse than both on {len(groups['worse'])}"
    text += f" ({join_names(groups['worse'])})" if groups["worse"] else ""
    rest = n - len(groups["better"]) - len(groups["worse"])
    if not rest:
        return text + "."
    return (
        text
        + (f"; the other {rest} were" if rest > 1 else "; the other one was")
        + " close to them or between them."
    )


def chart_caption(card: Scorecard) -> str:
    """The chart's caption, naming the published year when it is not the report's."""
    p = card.period
    text = f"Headline percentages against England and statistical neighbours, {p.label}"
    if card.bench_year and (p.kind == "calendar" or card.bench_year != p.year):
        text += f" (published figures for {card.bench_label})"
    return text


def introduction(card: Scorecard, narrative: Narrative) -> str:
    """What the section covers and, for a calendar year, which DfE year it is compared with."""
    text = f"This scorecard covers {card.period.long_label}, against {card.period.previous().label}."
    if card.bench_year and (card.period.kind == "calendar" or card.bench_year != card.period.year):
        text += " " + narrative.say(
            "scorecard.calendar_note",
            period=card.period.label,
            bench=f"the year ending 31 March {card.bench_year} ({card.bench_label})",
        )
    return text
