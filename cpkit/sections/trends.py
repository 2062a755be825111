"""Five-year trends: every headline measure over the years the returns and the DfE files cover.

Only two years were ever compared, though the returns go back further and the DfE files hold five years.
This section reads the run's figures table (``cpkit.figures``: the council's own figure for each year from
its returns, England and the statistical neighbours' average from the DfE's published figures for the same
year) and shows, theme by theme, a table and a small chart per measure, with one sentence per measure
saying the direction over the whole period by the one judgement rule (``cpkit.present.judgement``: the
first year against the last, at the printed precision, by the measure's polarity).

Nothing is computed here. Every published figure passes the disclosure rule
(``cpkit.present.disclosure``) as the rest of the report prints it (``cpkit.present.figure_text.shown``,
so a year's figure is the same number here as in the scorecard); a hidden figure is not plotted, and a
sentence whose first or last figure is hidden gives no figures and no direction.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from cpkit.config import Config, Period
from cpkit.figures.headline import HEADLINE, REGISTRY_THEME, THEMES
from cpkit.figures.table import Figures
from cpkit.present import judgement
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.disclosure import Rule
from cpkit.present.figure_text import (
    figure_unit,
    fmt_published,
    join_names,
    lower_first,
    shown,
    upper_first,
)
from cpkit.publish import figure as published
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.figure import Figure
from cpkit.publish.text import Sentence, register, sentence

COUNCIL, ENGLAND, NEIGHBOURS = "Council", "England", "Statistical neighbours"
PUBLISHED = "Council, as published by the DfE"  # shown when the published figure differs from the own one
MATCHES = "matches"  # a year whose published figure is the council's own, as the DfE rounds it
MATCHES_REASON = "the DfE's published figure is the council's own (the Council row), as the DfE rounds it"
SERIES = (COUNCIL, PUBLISHED, ENGLAND, NEIGHBOURS)
COUNT_UNITS = frozenset({"number"})  # England's and the neighbours' counts are not on the council's scale
VERBS = {
    "rise": "rose",
    "slight_rise": "rose slightly",
    "fall": "fell",
    "slight_fall": "fell slightly",
    "stable": "stayed about the same",
}
VERDICT_WORDS = {judgement.BETTER: "an improvement", judgement.WORSE: "a deterioration"}
PANEL_COLUMNS = 3
NOT_AVAILABLE = "n/a"  # a year the data cannot give; the measure's sentence says why


def year_label(year: int, period: Period) -> str:
    """ "2024-25" for a financial year, "2024" for a calendar one."""
    return Period.from_year(int(year), period.kind).label


def _measures(figures: Figures) -> list[str]:
    held = set(figures.frame["measure"])
    return [m for m in HEADLINE if m in held]


def theme_of(figures: Figures, measure: str) -> str:
    rows = figures.series(measure)
    theme = str(rows["theme"].iloc[0]) if len(rows) and "theme" in rows else ""
    return REGISTRY_THEME.get(theme, theme.replace("_", " "))


def own_text(row: pd.Series, config: Config) -> str:
    """The council's figure for one year as the report prints it everywhere (``figure_text.shown``: the
    value, or the small-count symbol), so the trend and the scorecard show one number for a year."""
    return shown(row, config)


def _hidden(text: str, rule: Rule) -> bool:
    """Whether a published figure hides its value: read from the ``Figure``'s status, not its text."""
    return isinstance(text, Figure) and text.hidden


def trend_table(figures: Figures, measures: list[str], config: Config) -> pd.DataFrame:
    """One row per series (council, England, neighbours) and measure, one column per year, as published.

    The series comes first: a row is read as "England: children in care, 84,580 ... 88,320"."""
    period = figures.period
    years = figures.years
    rows = []
    for measure in measures:
        series = figures.series(measure).set_index("year")
        label = str(series["label"].iloc[0])
        unit = str(series["unit"].iloc[0])
        lines = {COUNCIL: {}, PUBLISHED: {}, ENGLAND: {}, NEIGHBOURS: {}}
        differs = bool(differing_years(figures, measure))
        for year in years:
            if year not in series.index:
                continue
            row = series.loc[year]
            gone = pd.isna(row["value"]) and bool(row.get("reason", ""))
            lines[COUNCIL][year] = (
                published.not_available(figure_unit(unit), str(row["reason"]), NOT_AVAILABLE)
                if gone
                else own_text(row, config)
            )
            if (
                differs
            ):  # as the scorecard's check cell: the published figure where it differs, else "matches"
                flag = row.get("own_vs_published", "")
                # a matching year is no second figure: "matches" on the page, GSS [z] in the workbook (the
                # value would be the council's own, which may be hidden: a "3" beside "<5" gives it away)
                lines[PUBLISHED][year] = (
                    fmt_published(row["published"], unit)
                    if flag == "differs"
                    else published.not_applicable(figure_unit(unit), MATCHES_REASON, MATCHES)
                    if flag
                    else ""
                )
            lines[ENGLAND][year] = fmt_published(row["england"], unit)
            lines[NEIGHBOURS][year] = fmt_published(row["neighbour_avg"], unit)
        for name in SERIES:
            if name != COUNCIL and not any(lines[name].values()):
                continue
            rows.append(
                {
                    "Series": name,
                    "Measure": label,
                    **{year_label(y, period): lines[name].get(y, "") for y in years},
                }
            )
    table = typed_frame(rows)
    table.attrs["measures"] = list(measures)  # registry ids, one row per series of each
    return table


def _first_last(series: pd.DataFrame, rule: Rule) -> tuple[pd.Series, pd.Series] | None:
    shown = series[series["value"].notna()]
    if len(shown) < 2:
        return None
    return shown.iloc[0], shown.iloc[-1]


def differing_years(figures: Figures, measure: str) -> list[int]:
    """The years whose published figure for the council is not its own figure as the DfE rounds it (the
    figures table's ``own_vs_published``, the one rule the scorecard's check uses), for a financial-year
    report, where each year's published figure is for that year."""
    if figures.period.kind != "financial":
        return []
    series = figures.series(measure)
    if "own_vs_published" not in series:
        return []
    return [
        int(y)
        for y, flag in zip(series["year"], series["own_vs_published"], strict=True)
        if flag == "differs"
    ]


def published_differs(figures: Figures, measure: str) -> str:
    """ "The DfE's published figure for the council is not its own in 2020-21 and 2024-25; both are in the
    table." for every year where they differ (not only the report year), or ""."""
    years = differing_years(figures, measure)
    if not years:
        return ""
    period = figures.period
    named = join_names([year_label(y, period) for y in years])
    return (
        f"The DfE's published figure for the council is not the one worked out from its returns in {named}; "
        "both are in the table."
    )


def not_available(figures: Figures, measure: str) -> str:
    """ "Not available for 2018-19 and 2019-20: counts the 3 years from ..." for the years the data cannot
    give (a measure reaching back before the first return, no OC2 rows...), or "" when every year has one.

    One reason is given once; different reasons are given year by year."""
    series = figures.series(measure)
    if "reason" not in series:
        return ""
    gone = series[series["value"].isna() & series["reason"].fillna("").ne("")]
    if gone.empty:
        return ""
    period = figures.period
    years = [year_label(y, period) for y in gone["year"]]
    reasons = list(dict.fromkeys(gone["reason"]))
    if len(reasons) == 1:
        why = reasons[0]
    else:
        why = "; ".join(
            f"{year_label(y, period)}, {r}" for y, r in zip(gone["year"], gone["reason"], strict=True)
        )
    return f"Not available for {join_names(years)}: {why}."


def trend_sentence(figures: Figures, measure: str, config: Config) -> Sentence:
    """The direction over the period in one sentence, by the one judgement rule; worded without any
    figure the disclosure rule hides. The trend starts where the data allows: years the data cannot give
    (``not_available``) are named with their reason, never taken as the start.

    A ``Sentence`` carrying the figures it prints: the council's first and last figures are the trend
    table's cells for those years (``figure_text.shown``), with the same document keys (a count's own
    key, ``cla@2021-03-31``; a percentage naming its two counts, from the figures table's
    ``numerator_key``/``denominator_key``), so the report's audit reads "from 100 to 101" with the
    tables that print the same counts; England's figures are published and key nothing. Not registered
    here (the chart's alt text repeats it): ``sentences`` registers the ones the section shows."""
    trend = _trend(figures, measure, config)
    parts = [trend, not_available(figures, measure), published_differs(figures, measure)]
    return sentence(" ".join(p for p in parts if p), trend)


def _trend(figures: Figures, measure: str, config: Config) -> Sentence | str:
    rule = Rule.of(config)
    series = figures.series(measure)
    short = HEADLINE.get(measure, lower_first(str(series["label"].iloc[0])))
    ends = _first_last(series, rule)
    if ends is None:
        return f"{upper_first(short)}: fewer than two years of figures, so no trend is given."
    first, last = ends
    period = figures.period
    span = f"from {year_label(first['year'], period)} to {year_label(last['year'], period)}"
    a, b = own_text(first, config), own_text(last, config)
    if _hidden(a, rule) or _hidden(b, rule):
        return (
            f"{upper_first(short)}, {span}: the figures are too small to publish for the first or last "
            "year, so no direction is given."
        )
    decimals = int(last["decimals"])
    direction = judgement.direction(
        float(first["value"]),
        float(last["value"]),
        str(last["polarity"]),
        decimals,
        judgement.Thresholds.from_config(config),
    )
    verb = VERBS.get(direction.kind, "changed")
    years = int(last["year"]) - int(first["year"]) + 1
    text = f"Over the {years} years {span}, {short} {verb}"
    text += f" ({a} and {b})" if direction.kind == "stable" else f" from {a} to {b}"
    if str(last["unit"]) == "rate_per_10k":
        text += " per 10,000 children"  # a rate, not a count of children
    if direction.verdict in VERDICT_WORDS:
        text += f", {VERDICT_WORDS[direction.verdict]}"
    unit = str(last["unit"])
    england: tuple[Figure, ...] = ()
    if unit not in COUNT_UNITS and not pd.isna(first["england"]) and not pd.isna(last["england"]):
        england = (fmt_published(first["england"], unit), fmt_published(last["england"], unit))
        text += f"; England {england[0]} to {england[1]}"
    return sentence(text + ".", a, b, *england)


def _plotted(text: str, value: float, rule: Rule) -> float:
    """The value to plot: nothing (NaN) where the published cell hides it."""
    if not text or _hidden(text, rule) or pd.isna(value):
        return math.nan
    return float(value)


def trend_chart(
    figures: Figures, measures: list[str], config: Config, title: str
) -> tuple[plt.Figure, str, pd.DataFrame]:
    """Small multiples: one panel per measure, the council's line (and England's and the neighbours' where
    they are on the same scale). Returns the figure, its alt text and the data it plots (as published)."""
    rule = Rule.of(config)
    period = figures.period
    n = len(measures)
    cols = min(PANEL_COLUMNS, max(n, 1))
    rows = math.ceil(n / cols)
    colours = af_colours(3)
    styles = {COUNCIL: ("o", "-"), ENGLAND: ("D", "--"), NEIGHBOURS: ("s", ":")}
    with chart_style():
        fig, axes = plt.subplots(
            rows, cols, figsize=(9, 2.6 * rows + 0.6), squeeze=False, layout="constrained"
        )
        for ax in axes.ravel()[n:]:
            ax.set_visible(False)
        for ax, measure in zip(axes.ravel(), measures, strict=False):
            series = figures.series(measure)
            unit = str(series["unit"].iloc[0])
            x = [year_label(y, period) for y in series["year"]]
            lines = {COUNCIL: [_plotted(own_text(r, config), r["value"], rule) for _, r in series.iterrows()]}
            if unit not in COUNT_UNITS:
                lines[ENGLAND] = series["england"].astype(float).tolist()
                lines[NEIGHBOURS] = series["neighbour_avg"].astype(float).tolist()
            for (name, values), colour in zip(lines.items(), colours, strict=False):
                if all(pd.isna(v) for v in values):
                    continue
                marker, style = styles[name]
                ax.plot(x, values, marker=marker, linestyle=style, color=colour, label=name, markersize=4)
            ax.set_title(textwrap.fill(str(series["label"].iloc[0]), 38), fontsize=9, loc="left")
            ax.tick_params(axis="x", labelsize=7, rotation=45)
            ax.tick_params(axis="y", labelsize=7)
            if unit == "percent":
                ax.set_ylabel("%", fontsize=8)
        handles, labels = [], []
        for ax in axes.ravel()[:n]:
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
        fig.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False, fontsize=8)
    sentences = [trend_sentence(figures, m, config) for m in measures]
    alt = f"Line charts of {title.lower()} over the years {year_label(figures.years[0], period)} to " + (
        f"{year_label(figures.years[-1], period)}, one panel per measure. " + " ".join(sentences)
    )
    return fig, alt, trend_table(figures, measures, config)


def by_theme(figures: Figures) -> dict[str, list[str]]:
    """The headline measures held, grouped by theme in the report's order."""
    groups: dict[str, list[str]] = {}
    for measure in _measures(figures):
        groups.setdefault(theme_of(figures, measure), []).append(measure)
    order = {t: i for i, t in enumerate(THEMES)}
    return dict(sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order))))


def theme_title(theme: str) -> str:
    return upper_first(theme)


def sentences(figures: Figures, measures: list[str], config: Config) -> list[Sentence]:
    """The section's trend sentences, one per measure, registered (``cpkit.publish.text.register``) so
    the Markdown list the notebook shows records their figures for the report's audit."""
    return [register(trend_sentence(figures, m, config)) for m in measures]


def caption(figures: Figures, theme: str, table: bool = False) -> str:
    period = figures.period
    span = f"{year_label(figures.years[0], period)} to {year_label(figures.years[-1], period)}"
    what = "the council, England and statistical neighbours" if table else "trends"
    return f"{theme_title(theme)}: {what}, {span}"


def intro(figures: Figures, config: Config) -> str:
    period = figures.period
    years = figures.years
    text = (
        f"This section covers {len(years)} years, {year_label(years[0], period)} to "
        f"{year_label(years[-1], period)}: the years the council's returns cover, up to five."
    )
    if len(years) < 5:
        text += " Earlier years are left out because the returns supplied do not cover them."
    published = figures.meta.get("published_years", [])
    if not published:
        text += (
            " No DfE published figures were supplied for these years, so England and the neighbours are not "
            "shown."
        )
    return text


def note(figures: Figures, config: Config) -> str:
    from cpkit.present.disclosure import rule_note

    return (
        "Council: the council's own figures, worked out from its SSDA903 returns by the DfE's definitions. "
        "England and statistical neighbours (the unweighted average of the neighbours' published figures): "
        "the DfE's published figures for the same year. Council, as published by the DfE: shown for a measure "
        "whose published figure for the council is, in any year, not its own figure as the DfE rounds it (the "
        "same check as the scorecard's, every year). " + rule_note(config)
    )
