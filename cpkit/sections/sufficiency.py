"""Section 2, the sufficiency forecast: how many children the council should expect to care for, where.

The forecast itself is ``cpkit.forecast`` (pure, tidy tables); this module publishes it: the chart (history
and forecast with its 80% and 95% bands, and each scenario's line), the table, one sentence per placement
group, the scenarios in words, the method and the back test in plain words. Every count shown (actual or
forecast) goes through the kit's small-number rule; scenario names come from the council's settings file
and are escaped before they reach Markdown.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cpkit.care import inhouse_share
from cpkit.config import Config, Period
from cpkit.forecast import Forecast, ForecastSettings
from cpkit.forecast.backtest import accuracy, as_at, backtest
from cpkit.forecast.model import class_labels
from cpkit.forecast.project import ALL_AGES, ALL_PLACEMENTS, BASELINE, EXTERNAL_HOMES, data_start, forecast
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.disclosure import (
    CLA,
    PRIMARY,
    SECONDARY,
    Ledger,
    Rule,
    breakdown_ledger,
    is_small,
    shared_key,
    suppress_counts,
    withheld_reason,
)
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.figure import Figure
from cpkit.publish.text import register, sentence
from cpkit.sections.common import breakdown_table, day_label, end_labels, hidden_figure
from cpkit.ssda903.model import Data903

FOSTER = "Foster placements"
HOMES = "Secure homes and children's homes"
SUPPORTED = "Supported accommodation and independent living"
CHART_GROUPS = (ALL_PLACEMENTS, FOSTER, HOMES, SUPPORTED)
# How a sentence names each group: "... children in foster care".
GROUP_WORDS = {
    ALL_PLACEMENTS: "in care",
    FOSTER: "in foster care",
    HOMES: "in secure or children's homes",
    SUPPORTED: "in supported accommodation or living independently",
    "Placed with parents or other person with parental responsibility": "placed with parents",
    "Placed for adoption": "placed for adoption",
    "Other residential settings": "in other residential settings",
    "Other placements": "in other placements",
}
MIN_HISTORY_MONTHS = 12
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def plain(text: str) -> str:
    """Text from the settings file made inert in Markdown and HTML (a name, never markup)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False))


@dataclass
class Sufficiency:
    """What the section shows: the forecast, and the back test (or why there is none)."""

    forecast: Forecast | None
    reason: str = ""
    backtest: pd.DataFrame | None = None
    backtest_reason: str = ""


def inhouse_homes(data: Data903, day: pd.Timestamp, config: Config) -> int:
    """Children in the council's own secure or children's homes on ``day`` (provider in inhouse_providers)."""
    table = inhouse_share(data, day, config).set_index("placement_group")
    return int(table.loc[HOMES, "inhouse"]) if HOMES in table.index else 0


def build(data: Data903, period: Period, config: Config) -> Sufficiency:
    """The forecast from the end of the period, and the back test of the year before, where the data allow."""
    end = period.end_ts
    start = data_start(data)
    first_episode = data.episodes["DECOM"].min()
    known_from = start if start is not None else first_episode
    if pd.isna(known_from) or (end - known_from).days < MIN_HISTORY_MONTHS * 30:
        return Sufficiency(None, reason="the returns cover less than a year before the end of the period")
    settings = config.forecast
    result = forecast(data, end, settings, inhouse_homes=inhouse_homes(data, end, config))
    out = Sufficiency(result)
    if period.kind != "financial":
        out.backtest_reason = (
            "the back test compares 31 March figures, and this report covers a calendar year"
        )
    elif (pd.Timestamp(period.year - 1, 3, 31) - known_from).days < MIN_HISTORY_MONTHS * 30:
        out.backtest_reason = "the returns do not reach back a year before 31 March last year"
    else:
        fit = as_at(data, pd.Timestamp(period.year - 1, 3, 31))
        out.backtest = backtest(data, period.year, dataclasses.replace(settings, scenarios=()), fit_data=fit)
    return out


# --- Words ----------------------------------------------------------------------------------------------


def _n(value: float) -> int:
    return int(np.floor(value + 0.5))


def _range(lo: float, hi: float, t: int) -> str:
    """ "180 to 215"; with a low end below the small-number threshold, "up to 8" (no small count shown)."""
    lo_n, hi_n = _n(lo), _n(hi)
    if hi_n == 0:
        return "none"
    if lo_n == hi_n:
        return f"{lo_n:,}" if not is_small(lo_n, t) else f"fewer than {t}"
    if is_small(hi_n, t):
        return f"fewer than {t}"
    if lo_n == 0 or is_small(lo_n, t):
        return f"up to {hi_n:,}"
    return f"{lo_n:,} to {hi_n:,}"


def range_ends(lo: float, hi: float, rule: Rule) -> tuple[str, str]:
    """The ends of an 80% range as two table cells ("180", "215"), each under the small-number rule as a
    count ("<5" for an end from 1 to threshold - 1, 0 shown): one value a cell, so the workbook holds them
    as numbers; a sentence still says "180 to 215" or "up to 8" (``_range``)."""
    return rule.count(_n(lo)), rule.count(_n(hi))


LOW, HIGH = "80% range low", "80% range high"


def _now(value: float, t: int) -> str:
    if value == 0:
        return "none"
    return f"fewer than {t}" if is_small(value, t) else f"{int(value):,}"


def horizon_end(result: Forecast) -> pd.Timestamp:
    return pd.Timestamp(result.projection["month_end"].max())


def group_sentences(result: Forecast, config: Config, published: pd.DataFrame | None = None) -> list[str]:
    """One sentence per placement group with children now or expected, from the 80% interval at the horizon.

    "By March 2027 the council should expect 180 to 215 children in foster care, against 196 now." Today's
    number is the forecast table's (``forecast_table`` with ``published``, the placement-type table):
    not given where that hides or withholds it.
    """
    t = config.small_number_threshold
    end = horizon_end(result)
    at = result.at(end).set_index("placement_group")
    now = result.now()
    # "Now" as the table publishes it, so a sentence never shows a count the table hides (secondary too).
    table = forecast_table(result, config, published).set_index("Placement type")
    column = f"Children, {day_label(result.as_of)}"
    shown_now = table[column] if column in table else pd.Series(dtype=object)
    when = end.strftime("%B %Y")
    out = []
    for group in [ALL_PLACEMENTS, *[g for g in GROUP_WORDS if g != ALL_PLACEMENTS]]:
        if group not in at.index:
            continue
        row, n_now = at.loc[group], float(now.get(group, 0))
        if n_now == 0 and _n(row["hi80"]) == 0:
            continue
        cell = shown_now.get(group, "")  # a Figure: its status says whether the table shows it
        # today's number is the table's figure (its document key), for the report's audit
        key = getattr(cell, "key", None)
        if group == ALL_PLACEMENTS and key is None:  # the children in care on the day, as every table
            key = shared_key(CLA, pd.Timestamp(result.as_of).date())
        now_figure = Rule.of(config).words(n_now, key=key)
        if group == ALL_PLACEMENTS or getattr(cell, "shown", False):  # the total: printed everywhere
            now_text = f"against {_now(n_now, t)} now"
        elif is_small(n_now, t) and group in shown_now:
            now_text = f"against fewer than {t} now"
        else:
            now_figure = None
            if group not in shown_now:  # the table withholds today's breakdown
                now_text = (
                    "(today's number is not shown: with so few children it would identify some of them)"
                )
            else:
                now_text = "(today's number is not shown: with the total it would reveal a small count)"
        text = (
            f"By {when} the council should expect {_range(row['lo80'], row['hi80'], t)} children "
            f"{GROUP_WORDS[group]}{',' if now_text.startswith('against') else ''} {now_text}."
        )
        # a sentence carrying today's figure, registered for the output that shows it (``show_markdown``)
        out.append(register(sentence(text, now_figure)) if now_figure is not None else text)
    return out


def scenario_sentences(result: Forecast, config: Config) -> list[str]:
    """What each scenario in the settings changes, by the end of the forecast, in one sentence each.

    Its figures are forecasts (the middle of many simulated futures and their 80% ranges), expectations
    rather than children: a small one is worded "fewer than 5" like a count, with no secondary hiding, as
    in the forecast and scenario tables, whose cells carry no document key either; so the sentences are
    not registered for the report's disclosure audit (it searches counts of children)."""
    t = config.small_number_threshold
    end = horizon_end(result)
    when = end.strftime("%B %Y")
    base = result.at(end).set_index("placement_group")
    out = []

    def fig(frame: pd.DataFrame, group: str) -> str:
        row = frame.loc[group]
        middle = _n(row["central"])
        shown = f"fewer than {t}" if is_small(middle, t) else f"{middle:,}"
        return f"{shown} ({_range(row['lo80'], row['hi80'], t)})"

    for s in result.settings.scenarios:
        alt = result.at(end, s.name).set_index("placement_group")
        name = f"**{plain(s.name)}**"
        if s.new_home_beds:
            opens = day_label(s.new_home_opens) if s.new_home_opens else ""
            out.append(
                f"{name} ({s.new_home_beds} places in a new in-house children's home from {opens}): the number "
                f"of children needing a secure or children's home does not change, but the places bought from "
                f"other providers would be {fig(alt, EXTERNAL_HOMES)} by {when}, instead of "
                f"{fig(base, EXTERNAL_HOMES)}."
            )
        elif s.step_downs_per_year:
            out.append(
                f"{name} ({s.step_downs_per_year:g} more moves a year from children's homes to foster care): "
                f"by {when}, {fig(alt, HOMES)} children in secure or children's homes instead of {fig(base, HOMES)}, "
                f"and {fig(alt, FOSTER)} in foster care instead of {fig(base, FOSTER)}."
            )
        else:
            direction = "more" if s.entries_change > 0 else "fewer"
            out.append(
                f"{name} ({abs(s.entries_change):.0%} {direction} children entering care each month): by {when}, "
                f"{fig(alt, ALL_PLACEMENTS)} children in care instead of {fig(base, ALL_PLACEMENTS)}, "
                f"{fig(alt, FOSTER)} of them in foster care instead of {fig(base, FOSTER)}."
            )
    return out


def _duration_words(settings: ForecastSettings) -> str:
    """The months-in-placement classes in words ("" for the memoryless model)."""
    edges = settings.duration_edges
    if not edges:
        return ""
    labels = ", ".join(class_labels(edges))
    return (
        ", told apart by how long they had been in that type of placement "
        f"({labels} months: children settled in a placement move and leave far less often)"
    )


def _entries_period(result: Forecast) -> str:
    """ "the last 12 months" or "the whole period": what the entries a month were counted over."""
    recent = result.settings.entries_months
    if 0 < recent < result.notes["window_months"]:
        return f"the last {recent} months"
    return "the whole period"


def method_text(result: Forecast, config: Config) -> str:
    """How the forecast is made, in plain words, with the window and the numbers it rests on.

    The children it leaves out (missing from a later return, no date of birth) are counts of children:
    the text is registered (``cpkit.publish.text.register``) carrying them as count Figures ("fewer than
    5" for a small one, as printed), so the report's audit sees them; no table prints them, so they have
    no document key. The entries a month is an average, not a count, and carries no figure."""
    s, notes = result.settings, result.notes
    t = config.small_number_threshold
    entries = notes["entries_per_month"]
    entries_text = f"fewer than {t}" if entries < t - 0.5 else f"about {entries:.0f}"
    start = day_label(pd.Timestamp(notes["window_start"]))
    text = (
        f"The forecast follows every child in the council's returns from {start} to "
        f"{day_label(result.as_of)} ({notes['window_months']} months) month by month: how often children of "
        f"each age band moved from one type of placement to another or left care{_duration_words(s)}, and how "
        "many children entered care each "
        f"month ({entries_text} on average over {_entries_period(result)}), at what age and into "
        "which type of placement. It then carries today's children forward a month at a time at those rates, "
        "adds new entrants, moves children into the next age band on their birthday and ends care at 18. "
        f"To show how sure it is, it repeats this {s.simulations:,} times, each time re-estimating the rates "
        "from a random resample of the children, so the range covers both chance and how well a few years "
        "of history pin the rates down: the forecast figure is the middle one of those futures (as many above it as "
        "below), the darker band holds the middle 80% of them (4 in 5) and the lighter band 95%; each type "
        "of placement and the total have their own middle, so the types need not add up exactly to the "
        "total. It assumes the next two years behave like the last "
        f"{notes['window_months'] // 12 or 1}; a change in policy, in the courts or in the number of "
        "unaccompanied children is not in it unless a scenario below sets it."
    )
    counts = [Rule.of(config).words(int(notes[k])) for k in ("lost", "no_dob") if notes.get(k)]
    if notes.get("lost"):
        text += (
            f" {_now(notes['lost'], t).capitalize()} children had an open episode in an earlier return but were missing from the "
            "next one; they are treated as no longer in care after that return and their later months are "
            "not used for the rates."
        )
    if notes.get("no_dob"):
        text += (
            f" {_now(notes['no_dob'], t).capitalize()} children with no date of birth in the Header are left out (their age band "
            "cannot be known); the data quality section lists them."
        )
    return register(sentence(text, *counts)) if counts else text


def backtest_counts(table: pd.DataFrame, period: Period, config: Config) -> pd.DataFrame:
    """The back test's counts as published: last year's and this year's children per placement type are
    the placement-type table's figures (the same children on the same two days, ``placements.mix_table``),
    so they take that table's statuses, and its withholding, from the same rule (``breakdown_table``)."""
    from cpkit.care.codes import PLACEMENT_GROUP_IDS

    order = {g: i for i, g in enumerate(PLACEMENT_GROUP_IDS)}
    groups = table[table["placement_group"] != ALL_PLACEMENTS]
    groups = groups.sort_values(
        "placement_group", key=lambda s: s.map(order).fillna(len(order)), kind="stable"
    )
    tables = {
        when: pd.DataFrame(
            {"placement_group": groups["placement_group"], "children": groups[column].astype(int)}
        )
        for when, column in (("previous", "same_as_last_year"), ("current", "actual"))
    }
    return breakdown_table(
        tables,
        "placement_group",
        None,
        end_labels(period),
        config,
        "Placement type",
        # this year's total is children in care at 31 March (the same function counts both); last year's
        # comes from the returns as they stood then, which a later return may have corrected: not shared
        total_keys=(None, shared_key(CLA, period.end)),
    )


def backtest_text(
    table: pd.DataFrame | None, reason: str, period: Period, config: Config | None = None
) -> str:
    """The back test in plain words: how far out the forecast was a year ago, against assuming no change.

    An average error over placement types stands for the counts it is worked from (a reader who knows
    this year's numbers can solve "70% for assuming no change" for last year's): the forecast's error is
    given only when no type's actual number is hidden in the back test table, the error of assuming no
    change only when last year's numbers are not hidden either, and how many actual numbers fell inside
    the range only with the first (it would tell whether a hidden one did)."""
    if table is None:
        return f"The forecast could not be tested against last year: {reason}."
    config = config or Config()
    counts = backtest_counts(table, period, config)
    status = counts.attrs["hidden"]
    groups = table[(table["placement_group"] != ALL_PLACEMENTS) & (table["actual"] > 0)]
    actual_shown = not any(status.get((g, "current")) for g in groups["placement_group"])
    last_shown = actual_shown and not any(status.get((g, "previous")) for g in groups["placement_group"])
    made = (
        f"**How accurate is it?** Made from the returns as they stood at 31 March {period.year - 1}, the "
        f"same method forecast the number of children in each type of placement at 31 March {period.year}"
    )
    if not actual_shown:
        return (
            made + "; how far out it was is not shown: the actual numbers it is measured against include "
            "counts hidden to protect small numbers."
        )
    ours, same = accuracy(table), accuracy(table, "same_as_last_year")
    inside = int(groups["inside_80"].sum())
    against = (
        f", against {same['mape']:.0f}% for simply assuming no change from the year before"
        if last_shown
        else ""
    )
    text = (
        f"{made} {ours['mape']:.0f}% away from the actual number on average (mean absolute percentage error "
        f"over the {ours['groups']} types of placement with children){against}; {inside} of the "
        f"{len(groups)} actual numbers were inside the forecast's 80% range."
    )
    if not last_shown:
        text += (
            " How far out simply assuming no change from the year before would have been is not shown: it "
            "rests on last year's numbers, some of them hidden to protect small numbers."
        )
    return text + (
        " Small groups weigh as much as large ones in this average, so a miss of two children in a group of "
        "ten counts as 20%."
    )


# --- Tables and chart -----------------------------------------------------------------------------------


def now_status(
    result: Forecast, config: Config, published: pd.DataFrame | None = None
) -> tuple[dict[str, str], str]:
    """Today's children per placement group as the report publishes them: (group -> status, reason the
    breakdown is withheld or ""). They are the placement-type table's figures for the same day
    (``placements.mix_table``, ``published``), so they take its statuses; without it, the same rule over
    this column alone (``breakdown_ledger``: the total, printed across the report, is never hidden)."""
    ledger, column, withheld = _now_ledger(result, config, published)
    if published is not None:
        hidden = published.attrs.get("hidden", {})
        status = {g: str(v) for (g, when), v in hidden.items() if when == "current" and g != "Total"}
        return status, withheld
    assert ledger is not None
    status = {g: str(ledger.status.get((g, column), "")) for g in result.now().index if g != ALL_PLACEMENTS}
    return status, withheld


def _now_ledger(
    result: Forecast, config: Config, published: pd.DataFrame | None
) -> tuple[Ledger | None, str, str]:
    """The ledger today's counts come from (the placement-type table's, column "c", or one of its own
    over this column, "now"), that column, and why the breakdown is withheld ("" when it is not)."""
    if published is not None:
        return published.attrs.get("ledger"), "c", str(published.attrs.get("withheld", ""))
    rule = Rule.of(config)
    now = result.now()
    parts = {g: int(n) for g, n in now.items() if g != ALL_PLACEMENTS}
    total = int(now.get(ALL_PLACEMENTS, sum(parts.values())))
    ledger, withheld = breakdown_ledger(
        {"now": (parts, total)}, rule, total_keys={"now": shared_key(CLA, pd.Timestamp(result.as_of).date())}
    )
    reason = withheld_reason([(total, f"at {day_label(result.as_of)}")], "children in care", rule)
    return ledger, "now", reason if withheld else ""


def forecast_table(result: Forecast, config: Config, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per placement group: children now, and the forecast (central, 80% range low and high) at 12 and 24
    months. Children now are the placement-type table's figures (``now_status``; ``published`` that
    table): hidden as there, and left out where it withholds them (``attrs["withheld"]`` says why)."""
    t, sym = config.small_number_threshold, config.suppression_symbol
    now = result.now()
    months = sorted(result.projection["month_end"].unique())
    picks = [m for i, m in enumerate(months, start=1) if i in (12, 24)] or [months[-1]]
    present = set(result.projection["placement_group"])
    rows = [g for g in GROUP_WORDS if g != ALL_PLACEMENTS and g in present] + [ALL_PLACEMENTS]
    out = pd.DataFrame({"Placement type": rows, "now": [int(now.get(g, 0)) for g in rows]})
    count_cols = ["now"]
    for m in picks:
        at = result.at(m).set_index("placement_group").reindex(rows)
        label = pd.Timestamp(m).strftime("%B %Y")
        out[f"Forecast, {label}"] = [_n(v) for v in at["central"]]
        out[f"_lo_{label}"] = [_n(v) for v in at["lo80"]]
        out[f"_hi_{label}"] = [_n(v) for v in at["hi80"]]
        count_cols.append(f"Forecast, {label}")
    # Children now: the placement-type table's statuses (its total is never hidden). Forecasts are
    # expectations, not children: each small one is hidden, with no secondary hiding.
    rule = Rule.of(config)
    status, withheld = now_status(result, config, published)
    ledger, column, _ = _now_ledger(result, config, published)
    pub = suppress_counts(out, count_cols[1:], t, sym)
    pub["now"] = pd.Series(  # object dtype keeps the Figures (pandas 3 would store text)
        [
            _ledger_cell(ledger, ("Total" if g == ALL_PLACEMENTS else g, column))
            or rule.count(n, status.get(g, "") not in ("", PRIMARY))
            for g, n in zip(rows, out["now"], strict=True)
        ],
        index=pub.index,
        dtype=object,
    )
    for m in picks:
        label = pd.Timestamp(m).strftime("%B %Y")
        ends = [
            range_ends(lo, hi, rule) for lo, hi in zip(out[f"_lo_{label}"], out[f"_hi_{label}"], strict=True)
        ]
        pub[f"{LOW}, {label}"] = pd.Series([e[0] for e in ends], index=pub.index, dtype=object)
        pub[f"{HIGH}, {label}"] = pd.Series([e[1] for e in ends], index=pub.index, dtype=object)
        pub = pub.drop(columns=[f"_lo_{label}", f"_hi_{label}"])
    pub = pub.rename(columns={"now": f"Children, {day_label(result.as_of)}"})
    ordered = ["Placement type"] + ([] if withheld else [f"Children, {day_label(result.as_of)}"])
    for m in picks:
        label = pd.Timestamp(m).strftime("%B %Y")
        ordered += [f"Forecast, {label}", f"{LOW}, {label}", f"{HIGH}, {label}"]
    pub = pub[ordered]
    pub.attrs["withheld"] = withheld
    if ledger is not None and not withheld:
        pub.attrs["ledger"] = ledger  # the placement-type relations over the same keys (``show_table``)
    return pub


def _ledger_cell(ledger: Ledger | None, key: tuple[str, str]) -> object:
    """The ledger's figure for ``key`` (a typed cell with its document key), or None when it holds none
    (a group with no children on either day is not in a breakdown's ledger)."""
    if ledger is None or key not in ledger.values:
        return None
    return ledger.text(key)


def scenario_table(result: Forecast, config: Config) -> pd.DataFrame | None:
    """Each scenario's figures at the end of the forecast beside the baseline's, for the groups it moves."""
    if not result.settings.scenarios:
        return None
    t, sym = config.small_number_threshold, config.suppression_symbol
    end = horizon_end(result)
    rows = []
    for name in (BASELINE, *[s.name for s in result.settings.scenarios]):
        at = result.at(end, name).set_index("placement_group")
        for group in (ALL_PLACEMENTS, FOSTER, HOMES, EXTERNAL_HOMES):
            if group in at.index:
                r = at.loc[group]
                rows.append(
                    (name, group, _n(r["central"]), *range_ends(r["lo80"], r["hi80"], Rule.of(config)))
                )
    frame = typed_frame(rows, columns=["Scenario", "Placement type", "Forecast", LOW, HIGH])
    label = end.strftime("%B %Y")
    pub = suppress_counts(frame, ["Forecast"], t, sym)
    return pub.rename(
        columns={"Forecast": f"Forecast, {label}", LOW: f"{LOW}, {label}", HIGH: f"{HIGH}, {label}"}
    )


def backtest_table(table: pd.DataFrame, period: Period, config: Config) -> pd.DataFrame:
    """The back test per placement group: actual, forecast and its 80% range, last year's number. The
    counts are the placement-type table's (``backtest_counts``): hidden, or withheld, as there."""
    t, sym = config.small_number_threshold, config.suppression_symbol
    counts = backtest_counts(table, period, config)
    if counts.attrs.get("withheld"):  # the placement-type table withholds these counts: so does this one
        return counts
    rule, status, ledger = Rule.of(config), counts.attrs["hidden"], counts.attrs.get("ledger")
    frame = table.copy()
    frame["forecast"] = [_n(v) for v in frame["forecast"]]
    pub = frame.copy()
    for column, when, col in (("actual", "current", "c"), ("same_as_last_year", "previous", "p")):
        pub[column] = pd.Series(  # object dtype keeps the Figures (pandas 3 would store text)
            [
                _ledger_cell(ledger, ("Total" if g == ALL_PLACEMENTS else g, col))
                or rule.count(n, status.get(("Total" if g == ALL_PLACEMENTS else g, when)) == SECONDARY)
                for g, n in zip(frame["placement_group"], frame[column], strict=True)
            ],
            index=pub.index,
            dtype=object,
        )
    pub["forecast"] = suppress_counts(frame, ["forecast"], t, sym)["forecast"]
    ends = [range_ends(lo, hi, Rule.of(config)) for lo, hi in zip(table["lo80"], table["hi80"], strict=True)]
    pub["low"] = pd.Series([e[0] for e in ends], index=pub.index, dtype=object)
    pub["high"] = pd.Series([e[1] for e in ends], index=pub.index, dtype=object)
    # Whether a hidden actual fell inside a published range would narrow it down: hidden with it (read
    # from the actual's status, not its text).
    pub["inside"] = pd.Series(
        [
            ("Yes" if inside else "No")
            if getattr(actual, "shown", False)
            else ""
            if not getattr(actual, "hidden", False)
            else Figure(
                str(actual),
                None,
                "number",
                0,
                actual.status,
                "whether a hidden count fell inside its range would narrow it down",
            )
            for actual, inside in zip(pub["actual"], table["inside_80"], strict=True)
        ],
        index=pub.index,
        dtype=object,
    )
    y = period.year
    out = pub[["placement_group", "same_as_last_year", "forecast", "low", "high", "actual", "inside"]].rename(
        columns={
            "placement_group": "Placement type",
            "same_as_last_year": f"Children, 31 March {y - 1}",
            "forecast": f"Forecast for 31 March {y}",
            "low": LOW,
            "high": HIGH,
            "actual": f"Actual, 31 March {y}",
            "inside": "Inside the 80% range",
        }
    )
    if ledger is not None:
        out.attrs["ledger"] = ledger  # the placement-type relations over the same keys (``show_table``)
    return out


def _chartable(result: Forecast, t: int) -> list[str]:
    """Groups whose monthly history has no count the small-number rule would hide (their lines can be drawn)."""
    h = result.history
    out = []
    for group in CHART_GROUPS:
        values = h.loc[h["placement_group"] == group, "children"]
        if len(values) and not any(is_small(v, t) for v in values):
            out.append(group)
    return out


def _today(result: Forecast, config: Config, published: pd.DataFrame | None) -> dict[str, object]:
    """Each chart group's children today as the report publishes them: the placement-type table's figure
    (``_now_ledger``: keyed, hidden as there; the total, ``("Total", column)``, never hidden), None where
    its ledger holds none; a hidden figure for every group where that table withholds the breakdown."""
    ledger, column, withheld = _now_ledger(result, config, published)
    out: dict[str, object] = {}
    for g in CHART_GROUPS:
        if withheld and g != ALL_PLACEMENTS:
            out[g] = hidden_figure(None, "count", 0, withheld)
        else:
            out[g] = _ledger_cell(ledger, ("Total" if g == ALL_PLACEMENTS else g, column))
    return out


def chart(
    result: Forecast, config: Config, published: pd.DataFrame | None = None
) -> tuple[plt.Figure, str, pd.DataFrame] | None:
    """History and forecast (central line, 80% and 95% bands, scenario lines) per main placement group.

    Returns the figure, its alt text and the chart's data as published (small counts suppressed); None
    when every group's monthly history has a count the small-number rule hides (no line can be drawn).

    A group's line ends at today's children, the placement-type table's figure for the same day
    (``published``: ``placements.mix_table``), which the alt text repeats ("against 210 now"): a group
    that table hides (to protect another, or because it withholds the breakdown) is not drawn, since its
    line, its data and its alt text would give the hidden count, and today's point in the chart's data is
    that table's figure with its document key, so the report's audit reads the chart, its alt text and
    the table as one figure.
    """
    t = config.small_number_threshold
    today = _today(result, config, published)
    groups = [
        g
        for g in _chartable(result, t)
        if not (isinstance(today.get(g), Figure) and today[g].hidden)  # type: ignore[union-attr]
    ]
    if not groups:
        return None
    proj = result.projection[result.projection["age_band"] == ALL_AGES]
    scenarios = [s for s in result.settings.scenarios if not s.new_home_beds]
    colours = af_colours(max(2, len(scenarios) + 1))
    with chart_style():
        fig, axes = plt.subplots(
            len(groups), 1, figsize=(9, 2.6 * len(groups) + 0.6), sharex=True, squeeze=False
        )
        for ax, group in zip(axes[:, 0], groups, strict=True):
            hist = result.history[result.history["placement_group"] == group]
            base = proj[(proj["scenario"] == BASELINE) & (proj["placement_group"] == group)]
            ax.fill_between(
                base["month_end"],
                base["lo95"],
                base["hi95"],
                color=colours[0],
                alpha=0.15,
                lw=0,
                label="95% range",
            )
            ax.fill_between(
                base["month_end"],
                base["lo80"],
                base["hi80"],
                color=colours[0],
                alpha=0.3,
                lw=0,
                label="80% range",
            )
            ax.plot(hist["month_end"], hist["children"], color="black", lw=1.8, label="Actual")
            joined = pd.concat(
                [
                    hist.tail(1)[["month_end"]].assign(central=hist["children"].iloc[-1]),
                    base[["month_end", "central"]],
                ]
            )
            ax.plot(
                joined["month_end"], joined["central"], color=colours[0], lw=1.8, ls="--", label="Forecast"
            )
            for colour, s in zip(colours[1:], scenarios, strict=False):
                alt = proj[(proj["scenario"] == s.name) & (proj["placement_group"] == group)]
                ax.plot(alt["month_end"], alt["central"], color=colour, lw=1.4, ls=":", label=s.name)
            ax.axvline(result.as_of, color="grey", lw=0.8)
            ax.set_title(
                GROUP_WORDS[group].capitalize() if group != ALL_PLACEMENTS else "All children in care",
                loc="left",
                fontsize=11,
            )
            ax.set_ylim(bottom=0)
            ax.set_ylabel("Children")
        axes[0, 0].legend(loc="lower left", fontsize=8, ncol=3)
        fig.suptitle(f"Children in care and the forecast, {config.la_name}", x=0.01, ha="left")
        fig.tight_layout()
    end = horizon_end(result)
    at = result.at(end).set_index("placement_group")
    now = result.now()
    said = {g: today.get(g) if isinstance(today.get(g), Figure) else _now(now[g], t) for g in groups}
    parts = [
        f"{GROUP_WORDS[g]} {_range(at.loc[g, 'lo80'], at.loc[g, 'hi80'], t)} against {said[g]} now"
        for g in groups
    ]
    alt = sentence(  # carries today's figures as the table prints them (keyed), as the chart's data does
        f"Line charts of the number of children in care each month since {day_label(result.history['month_end'].min())} "
        f"and the forecast to {end.strftime('%B %Y')} with its 80% and 95% ranges. By {end.strftime('%B %Y')} "
        "the forecast expects children " + "; ".join(parts) + ".",
        *said.values(),
    )
    return fig, alt, chart_data(result, groups, config, today)


def chart_data(
    result: Forecast, groups: list[str], config: Config, today: dict[str, object] | None = None
) -> pd.DataFrame:
    """The chart's numbers: month, group, actual or forecast with its ranges, whole numbers, suppressed.
    ``today`` (``_today``): each group's children on the forecast's first day as the placement-type table
    prints them, in place of the history's own cell for that day (the same count, with its key)."""
    t, sym = config.small_number_threshold, config.suppression_symbol
    h = result.history[result.history["placement_group"].isin(groups)]
    p = result.projection[
        (result.projection["scenario"] == BASELINE)
        & (result.projection["age_band"] == ALL_AGES)
        & result.projection["placement_group"].isin(groups)
    ]
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "month_end": h["month_end"],
                    "placement_group": h["placement_group"],
                    "actual": h["children"],
                }
            ),
            p[["month_end", "placement_group", "central", "lo80", "hi80", "lo95", "hi95"]],
        ],
        ignore_index=True,
    )
    cols = ["actual", "central", "lo80", "hi80", "lo95", "hi95"]
    for c in cols:
        frame[c] = frame[c].map(lambda v: np.nan if pd.isna(v) else float(_n(v)))
    pub = suppress_counts(frame, cols, t, sym)
    for c in cols:
        pub[c] = pub[c].where(frame[c].notna(), "")
    if today:
        pub["actual"] = pub["actual"].astype(object)
        on_day = (pd.to_datetime(frame["month_end"]) == pd.Timestamp(result.as_of)) & frame["actual"].notna()
        for i in pub.index[on_day]:
            figure = today.get(str(frame.at[i, "placement_group"]))
            if isinstance(figure, Figure):
                pub.at[i, "actual"] = figure
    pub["month_end"] = pd.to_datetime(frame["month_end"]).dt.strftime("%B %Y")
    return pub.rename(
        columns={
            "month_end": "Month end",
            "placement_group": "Placement type",
            "actual": "Children in care",
            "central": "Forecast",
            "lo80": "80% range, low",
            "hi80": "80% range, high",
            "lo95": "95% range, low",
            "hi95": "95% range, high",
        }
    )
