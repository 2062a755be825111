"""Section 4, education of children in care: the Virtual School's local KPIs against last year and target.

The SSDA903 return says little about school, so this section reads the council's KPI file
(``cpkit.kpis.load_kpis``, theme ``education``). Each indicator's figure for the year (the one rule,
``cpkit.kpis.year_figures``: the full-year row, else the latest row in the year, named as such) is set
beside last year's, with a direction of travel that follows the indicator's polarity (none between
different parts of the year), and against its target with a RAG written as text:

- **Met**: at or better than the target (at or above for "high is good", at or below for "low is good");
- **Close to target**: short of the target by no more than ``judgement.amber_points`` percentage points
  (percentages) or points (scores), default 5; for counts, days, rates and distances, by no more than
  ``judgement.amber_share`` of the target, default 5% (the label names no number, as the settings choose it;
  the table's note and the sentence give the council's figures);
- **Missed**: further short than that. No RAG without a target or for a neutral indicator.

The table, the chart and the sentences are all built from ``education_figures``, so they agree.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cpkit.config import Config, Period
from cpkit.figures.keys import kpi_key
from cpkit.kpis import NO_FULL_YEAR, load_kpis, year_figures
from cpkit.present import judgement
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.disclosure import SECONDARY_SYMBOL, Rule
from cpkit.present.figure_text import PERIOD_COVERED
from cpkit.present.narrative import Narrative
from cpkit.present.sanitise import escape_markdown
from cpkit.publish import figure as published
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.figure import Figure

THEME = "education"

MET, NEAR, MISSED = "Met", "Close to target", "Missed"
RAG_CLASSES = {MET: "rag rag-met", NEAR: "rag rag-near", MISSED: "rag rag-missed"}
IMPROVED, WORSE, SAME = "Improved", "Worse", "About the same"
NOT_COMPARED = "Not compared (different periods)"
RAG_WORDS = {judgement.GREEN: MET, judgement.AMBER: NEAR, judgement.RED: MISSED}
DIRECTION_WORDS = {"better": IMPROVED, "worse": WORSE, "same": SAME, "higher": "Higher", "lower": "Lower"}


def _decimals(unit: str) -> int:
    """The precision the table prints a KPI at (``value_text``): one place, whole numbers for counts."""
    return 0 if unit == "number" else 1


def rag(
    value: float | None, target: float | None, polarity: str, unit: str, config: Config | None = None
) -> str | None:
    """Met / Close to target / Missed against ``target``: the one rule's Green / Amber / Red
    (``cpkit.present.judgement.rag``, at the printed precision); None if no RAG applies."""
    status = judgement.rag(
        value, target, polarity, unit, _decimals(unit), judgement.Thresholds.from_config(config)
    )
    return RAG_WORDS.get(status)


def direction(
    previous: float | None, current: float | None, polarity: str, config: Config, unit: str = "percent"
) -> str:
    """Improved / Worse / About the same by polarity (Higher / Lower for neutral indicators); "" if unknown.

    The one rule (``cpkit.present.judgement.direction``), at the printed precision, so the table, the
    sentence and the scorecard agree.
    """
    way = judgement.direction(
        previous, current, polarity, _decimals(unit), judgement.Thresholds.from_config(config)
    )
    return DIRECTION_WORDS.get(way.verdict, "")


def amber_text(config: Config | None) -> str:
    """What "close to target" means under the council's settings ("up to 5 percentage points ...")."""
    return judgement.amber_words(judgement.Thresholds.from_config(config))


def read_education(path: Path, period: Period) -> pd.DataFrame | None:
    """The KPI file's education rows for the period and the one before, with ``current`` set for the period.

    None when there is no KPI file; a file with bad rows still raises ``KpiError``. The file is read
    without ``load_kpis``' period window because a council's KPI sheet usually runs over many years:
    other years' rows are left out here rather than stopping the section.
    """
    if not Path(path).exists():
        return None
    kpis = load_kpis(path)
    kpis = kpis[kpis["theme"] == THEME]
    kpis = kpis[(kpis["period_start"] >= period.previous().start) & (kpis["period_end"] <= period.end)]
    current = (kpis["period_start"] >= period.start) & (kpis["period_end"] <= period.end)
    return kpis.assign(current=current.astype(bool)).reset_index(drop=True)


def first_problem(error: Exception, path: Path) -> str:
    """The first problem a refused KPI file has, for the section's text: "The first: kpis.csv: row 15,
    column 'value': '87,4' has a comma ..." (the file by name only: the report does not print folders)."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    first = lines[1] if len(lines) > 1 else (lines[0] if lines else "")
    first = first.replace(str(path), Path(path).name)
    return f"The first: {escape_markdown(first)}." if first else ""


def education_figures(kpis: pd.DataFrame, period: Period, config: Config) -> pd.DataFrame:
    """One row per education indicator with a figure this period: last year, this year, change, RAG.

    Which row is a year's figure is ``cpkit.kpis.year_figures``' one rule (the full-year row; failing
    that the latest row in the year, named as such), the rule the scorecard follows too. Figures for
    different parts of the year (a Q4 snapshot against a full year) are both shown, with their periods,
    but not compared (``comparable`` False: no change or direction).

    Columns: indicator, unit, polarity, previous, current, target, numerator, denominator, the periods
    the two figures are for when not the whole year (``previous_period``, ``current_period``), their
    sentence phrases (``previous_words``, ``current_words``: "in 2024-25"), comparable, change, direction,
    rag, ``previous_hidden`` and ``current_hidden`` (the small-number rule hides that figure) and
    ``hidden`` (either is hidden, so no change or direction).
    """
    figs = year_figures(kpis, period)
    rows = []
    for f in figs[figs["value"].notna()].itertuples(index=False):
        unit, polarity = f.unit, f.polarity
        has_prev = not pd.isna(f.previous_value)
        prev_value = float(f.previous_value) if has_prev else None
        cur_hidden = _hidden(
            pd.Series(
                {"unit": unit, "value": f.value, "numerator": f.numerator, "denominator": f.denominator}
            ),
            config,
        )
        prev_hidden = has_prev and _hidden(
            pd.Series(
                {
                    "unit": unit,
                    "value": f.previous_value,
                    "numerator": f.previous_numerator,
                    "denominator": f.previous_denominator,
                }
            ),
            config,
        )
        hidden = prev_hidden or cur_hidden
        compared = bool(f.comparable)
        rows.append(
            {
                "indicator": f.indicator,
                "unit": unit,
                "polarity": polarity,
                "previous": prev_value,
                "current": float(f.value),
                "target": None if pd.isna(f.target) else float(f.target),
                "numerator": f.numerator,
                "denominator": f.denominator,
                "previous_period": None if not has_prev or f.previous_whole else f.previous_period_text,
                "current_period": None if f.whole else f.period_text,
                "previous_words": _words_for(f.previous_period, f.previous_whole) if has_prev else "",
                "current_words": _words_for(f.period, f.whole),
                "comparable": compared,
                "change": float(f.value) - prev_value if has_prev and compared else None,
                "direction": ""
                if hidden or not compared
                else direction(prev_value, float(f.value), polarity, config, unit),
                "rag": rag(float(f.value), f.target, polarity, unit, config),
                "hidden": hidden,
                "previous_hidden": prev_hidden,
                "current_hidden": cur_hidden,
            }
        )
    cols = [
        "indicator",
        "unit",
        "polarity",
        "previous",
        "current",
        "target",
        "numerator",
        "denominator",
        "previous_period",
        "current_period",
        "previous_words",
        "current_words",
        "comparable",
        "change",
        "direction",
        "rag",
        "hidden",
        "previous_hidden",
        "current_hidden",
    ]
    return pd.DataFrame(rows, columns=cols)


def _words_for(period_text: str, whole: bool) -> str:
    """ "in 2024-25"; a part of the year names itself: "in 2024-25 Q4 (no full-year figure)"."""
    return f"in {period_text}" if whole else f"in {period_text} ({NO_FULL_YEAR})"


def missing_this_year(kpis: pd.DataFrame) -> list[str]:
    """Education indicators with a figure last year but none this year (named in a note, not dropped unseen)."""
    now = set(kpis.loc[kpis["current"], "indicator"])
    return [i for i in kpis.loc[~kpis["current"], "indicator"].drop_duplicates() if i not in now]


def _hidden(row: pd.Series, config: Config) -> bool:
    """A count (unit number) from 1 to threshold - 1, or a share whose numerator, denominator or
    complement ("75% of 8": 2 did not) the small-number rule hides (``Rule.share_hidden``)."""
    rule = Rule.of(config)
    if row["unit"] == "number":
        return rule.is_small(row["value"])
    if pd.isna(row["denominator"]):
        return rule.is_small(row["numerator"])
    return rule.share_hidden(row["numerator"], row["denominator"])


UNITS = {"percent": "percent", "number": "count", "score": "score"}


def count_key(indicator: str, label: str, unit: str) -> str | None:
    """The document key of a KPI count ("kpi:<indicator>@2024-25", ``cpkit.figures.keys.kpi_key``): the
    table cell and the sentence that print the same count, here and in the scorecard and the executive
    summary, are one figure in the report's audit; None for a share or a score (its counts are not
    printed)."""
    return kpi_key(indicator, label, unit) or None


def value_text(
    value: float | None, unit: str, config: Config, hidden: bool = False, key: str | None = None
) -> Figure | str:
    """A KPI value as printed: "87.4%", "20.5", "2" (counts under the small-number rule); a ``Figure``
    (``cpkit.publish.figure``) in the KPI's unit, "" for no value; ``key``: a count's document key
    (``count_key``)."""
    if value is None or pd.isna(value):
        return ""
    kind = UNITS.get(unit, "number")
    if hidden:  # a small count shows its symbol; a share or score of a small group shows [c]
        rule = Rule.of(config)
        if unit == "number" and rule.is_small(value):
            return published.small(rule.symbol, value, rule.threshold, kind, key)
        return published.secondary(rule.secondary, value, kind, 1, why="a figure of a small group")
    if unit == "percent":
        return Figure(f"{judgement.printed(value, 1)}%", value, kind, 1)
    if unit == "number":
        return Rule.of(config).count(value, key=key)
    return judgement.printed(value, 1, kind)


def change_text(change: float | None, unit: str, hidden: bool) -> Figure:
    """ "-6.2" (percentage points for a percentage, score points for a score), "+3" for a count. Blank on
    the page when hidden or unknown, typed for the workbook: hidden with a figure it rests on ([c]), or not
    applicable ([z]: no figure last year, or figures not compared). The unit is in the column heading
    ("Change (points)") and the note, not the cell."""
    kind = {"percent": "points", "number": "count"}.get(unit, "score")
    if hidden:
        return published.secondary("", None, kind, 1, why="a change from or to a hidden figure")
    if change is None or pd.isna(change):
        return published.not_applicable(kind, "no figure last year, or the two are not compared")
    return judgement.printed_change(change, 0 if unit == "number" else 1, kind)


CHANGE = "Change (points)"


def education_table(figures: pd.DataFrame, period: Period, config: Config) -> tuple[pd.DataFrame, dict]:
    """The published table and its RAG classes (``show_table(..., classes=)``): the RAG is text too.

    One value a cell: a figure for part of the year is printed as the figure alone and its period goes to
    the "Period covered" column (there only when some figure is for part of a year), so the workbook
    holds the figure as a number.
    """
    then, now = period.previous().label, period.label
    out: dict[str, list[str]] = {
        k: []
        for k in ("Indicator", then, now, CHANGE, "Direction of travel", f"Target, {now}", "Against target")
    }
    parts: list[str] = []
    for f in figures.itertuples(index=False):
        out["Indicator"].append(f.indicator)
        out[then].append(
            value_text(f.previous, f.unit, config, f.previous_hidden, count_key(f.indicator, then, f.unit))
        )
        out[now].append(
            value_text(f.current, f.unit, config, f.current_hidden, count_key(f.indicator, now, f.unit))
        )
        parts.append("; ".join(p for p in (f.previous_period, f.current_period) if isinstance(p, str) and p))
        out[CHANGE].append(change_text(f.change, f.unit, f.hidden))
        out["Direction of travel"].append(
            f.direction
            or ("No figure last year" if pd.isna(f.previous) else ("" if f.comparable else NOT_COMPARED))
        )
        out[f"Target, {now}"].append(
            value_text(f.target, f.unit, config)
            if pd.notna(f.target)
            else published.not_applicable(UNITS.get(f.unit, "number"), "no target set")
        )
        out["Against target"].append(f.rag or "No target")
    table = typed_frame(out)
    if any(parts):
        table.insert(3, PERIOD_COVERED, parts)
    classes = {
        "Against target": {i: RAG_CLASSES[r] for i, r in enumerate(figures["rag"]) if r in RAG_CLASSES}
    }
    return table, classes


def _words(value: float | None, unit: str, config: Config, hidden: bool, key: str | None = None) -> str:
    """A KPI value for a sentence: as the table prints it, but a hidden one in words ("fewer than 5" for
    a small count, "not shown, to protect small numbers" for a share or score of a small group); a count
    under the table cell's key (``count_key``)."""
    if not hidden:
        return value_text(value, unit, config, key=key)
    rule = Rule.of(config)
    return (
        rule.words(value, key=key)
        if unit == "number" and rule.is_small(value)
        else "not shown, to protect small numbers"
    )


def education_sentences(figures: pd.DataFrame, period: Period, narrative: Narrative) -> list[str]:
    """A summary against target, then one sentence per indicator, from ``education_figures``."""
    config = narrative.config
    rags = figures["rag"].dropna()
    sentences = []
    if len(rags):
        sentences.append(
            narrative.say(
                "education.targets",
                total=len(rags),
                now=f"in {period.label}",
                met=int((rags == MET).sum()),
                near=int((rags == NEAR).sum()),
                missed=int((rags == MISSED).sum()),
            )
        )
    for f in figures.itertuples(index=False):
        # a count is the education table's cell of the same year, under its key
        key_then = count_key(f.indicator, period.previous().label, f.unit)
        key_now = count_key(f.indicator, period.label, f.unit)
        cur = _words(f.current, f.unit, config, f.current_hidden, key_now)
        then, now = f.previous_words, f.current_words  # "in 2024-25", or the part of the year it covers
        if pd.isna(f.previous):
            text = narrative.say("education.new", measure=f.indicator, now=cur, current=now)
        elif f.hidden or not f.comparable:
            text = narrative.say(
                "education.hidden" if f.comparable else "education.unlike",
                measure=f.indicator,
                now=cur,
                current=now,
                then=_words(f.previous, f.unit, config, f.previous_hidden, key_then),
                previous=then,
            )
        else:
            words = narrative.templates["education"]["directions"]
            text = narrative.say(
                "education.flat" if f.direction == SAME else "education.compare",
                measure=f.indicator,
                change=narrative.change(f.previous, f.current, _decimals(f.unit)),
                then=value_text(f.previous, f.unit, config, key=key_then),
                previous=then,
                now=cur,
                current=now,
                direction=words.get(f.direction, ""),
            )
        if isinstance(f.rag, str):
            text += " " + narrative.say(
                "education.against_target",
                target=value_text(f.target, f.unit, config),
                outcome=narrative.templates["education"]["outcomes"][f.rag],
            )
        sentences.append(text)
    return sentences


def chart_data(figures: pd.DataFrame, period: Period, config: Config) -> pd.DataFrame:
    """The percentages the chart draws, as published (the other units have scales of their own)."""
    pct = figures[figures["unit"] == "percent"]
    table, _ = education_table(pct, period, config)
    return table[
        ["Indicator", period.previous().label, period.label, f"Target, {period.label}", "Against target"]
    ]


def education_chart(figures: pd.DataFrame, period: Period) -> tuple[plt.Figure, str] | None:
    """Bars for last year (hatched) and this year (solid) of each percentage KPI, targets marked with a line.

    None when there is no percentage to draw. Hidden figures get no bar. The alt text states how many
    met their target and the largest improvement and decline.
    """
    pct = figures[figures["unit"] == "percent"].reset_index(drop=True)
    if pct.empty:
        return None
    then, now = period.previous().label, period.label
    colours = af_colours(2)
    y = np.arange(len(pct))
    h = 0.38
    with chart_style():
        fig, ax = plt.subplots(figsize=(9, 0.9 * len(pct) + 1.8))
        for offset, col, label, colour, hatch in (
            (-h / 2, "previous", then, colours[1], "//"),
            (h / 2, "current", now, colours[0], None),
        ):
            hides = pct[f"{col}_hidden"]
            values = [
                0.0 if (v is None or pd.isna(v) or hid) else v for v, hid in zip(pct[col], hides, strict=True)
            ]
            bars = ax.barh(y + offset, values, h, label=label, color=colour, hatch=hatch, edgecolor="white")
            for bar, v, hid, t in zip(bars, pct[col], hides, pct["target"], strict=True):
                text = (
                    ""
                    if v is None or pd.isna(v)
                    else (SECONDARY_SYMBOL if hid else f"{judgement.printed(v, 1)}%")
                )
                x = max(bar.get_width(), 0 if t is None or pd.isna(t) else t)  # clear of the target line
                ax.annotate(
                    text,
                    (x, bar.get_y() + h / 2),
                    xytext=(5, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                )
        for i, t in enumerate(pct["target"]):
            if t is not None and not pd.isna(t):
                ax.plot(
                    [t, t],
                    [i - h, i + h],
                    color="#0b0c0c",
                    linewidth=2.5,
                    label="Target" if i == pct["target"].first_valid_index() else None,
                )
        names = [  # a figure for part of the year says so beside its name, as the table's cell does
            f"{name} ({'; '.join(p for p in periods if p)})" if any(periods) else name
            for name, periods in zip(
                pct["indicator"], zip(pct["previous_period"], pct["current_period"], strict=True), strict=True
            )
        ]
        ax.set_yticks(y, [textwrap.fill(s, 30) for s in names])
        ax.invert_yaxis()
        ax.set_xlim(0, 112)
        ax.set_xlabel("Per cent")
        ax.set_title(f"Education of children in care, {then} and {now}", loc="left", fontsize=12)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=3, frameon=False)
        fig.tight_layout()
    return fig, chart_alt(pct, period)


def chart_alt(pct: pd.DataFrame, period: Period) -> str:
    """The chart's message in words: targets met, and the biggest improvement and decline."""
    then, now = period.previous().label, period.label
    rags = pct["rag"].dropna()
    parts = [
        f"Bar chart of {len(pct)} education percentages for children in care in {then} and {now}, "
        "with each target marked."
    ]
    if len(rags):
        parts.append(f"In {now}, {int((rags == MET).sum())} of the {len(rags)} with a target met it.")
    shown = pct[~pct["hidden"] & pct["direction"].isin([IMPROVED, WORSE])]
    gain = np.where(shown["polarity"] == "low", -shown["change"], shown["change"])
    for word, label, pick in ((IMPROVED, "improved most", np.argmax), (WORSE, "worsened most", np.argmin)):
        if (shown["direction"] == word).any():
            r = shown.iloc[int(pick(gain))]
            parts.append(
                f"{r['indicator']} {label}, from {judgement.printed(r['previous'], 1)}% to {judgement.printed(r['current'], 1)}%."
            )
    return " ".join(parts)
