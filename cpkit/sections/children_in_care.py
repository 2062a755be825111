"""Section 1, children in care: the month-by-month count, movements, entries, exits, UASC and profile.

Every figure in the sentences comes from the same tables the section prints, so the words and the
tables cannot disagree. Each measure is also worked out for the previous period (``Period.previous``),
so the 2025 report compares with 2024. The helpers at the end (two-year comparison tables and
sentences, paired bar charts) are shared by the other care sections.
"""

from __future__ import annotations

import textwrap
from datetime import date
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cpkit.care import (
    entries_by_category_of_need,
    ethnic_minority_by_age,
    exits_by_reason,
    stock_by_age,
    stock_by_legal_status,
    stock_by_sex,
    uasc_on,
)
from cpkit.config import Config, Period
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.narrative import Narrative, fmt_number, fmt_pct
from cpkit.present.suppression import is_small, suppress_counts, suppress_pct, suppress_value
from cpkit.ssda903.model import Data903

Figure = dict[str, float]  # numerator, denominator, pct: the care library's headline shape
PCT_SYMBOL = "c"  # suppress_pct's symbol for a hidden percentage (the DfE's "confidential")

ROW_LABELS = {
    "start": "Children in care at the start of the month",
    "end": "Children in care at the end of the month",
    "admissions": "Admissions (periods of care that started)",
    "ceased": "Ceased (periods of care that ended)",
    "net": "Net change",
}


def month_label(month: str) -> str:
    """ "2024-04" -> "Apr 2024"."""
    return pd.Period(month, "M").strftime("%b %Y")


def movement_table(movements: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The movement table as published: one column per month, counts under the small-number rule.

    A month's admissions or ceased below the threshold is hidden; because start + admissions - ceased
    = end, hiding only one of the two would let a reader work it back, so both are hidden then.
    """
    t, sym = config.small_number_threshold, config.suppression_symbol
    columns: dict[str, list[str]] = {"Measure": list(ROW_LABELS.values())}
    for row in movements.itertuples(index=False):
        hide_flows = is_small(row.admissions, t) or is_small(row.ceased, t)
        cells = [
            suppress_value(row.start, t, sym),
            suppress_value(row.end, t, sym),
            _flow(row.admissions, hide_flows, t, sym),
            _flow(row.ceased, hide_flows, t, sym),
            f"{row.net:+d}" if row.net else "0",
        ]
        columns[month_label(row.month)] = cells
    return pd.DataFrame(columns)


def _flow(n: int, hide: bool, threshold: int, symbol: str) -> str:
    if hide and n != 0:
        return symbol
    return suppress_value(n, threshold, symbol)


def stock_chart_data(movements: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The figures behind the month-by-month chart, as published (for the Excel download)."""
    t, sym = config.small_number_threshold, config.suppression_symbol
    return pd.DataFrame(
        {
            "Month": [month_label(m) for m in movements["month"]],
            "Children in care at the end of the month": [suppress_value(n, t, sym) for n in movements["end"]],
        }
    )


def stock_chart(movements: pd.DataFrame, la_name: str) -> tuple[plt.Figure, str]:
    """Line chart of children in care at the end of each month, and alt text stating its message."""
    labels = [month_label(m) for m in movements["month"]]
    values = movements["end"].tolist()
    with chart_style():
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.plot(labels, values, marker="o", color=af_colours(1)[0], linewidth=2)
        ax.set_ylim(0, max(values + [1]) * 1.15)
        ax.set_ylabel("Children in care")
        ax.set_title(f"Children in care at the end of each month, {la_name}", loc="left")
        for x, y in ((labels[0], values[0]), (labels[-1], values[-1])):
            ax.annotate(fmt_number(y), (x, y), textcoords="offset points", xytext=(0, 8), ha="center")
        ax.tick_params(axis="x", labelrotation=45)
        fig.tight_layout()
    low = movements.loc[movements["end"].idxmin()]
    high = movements.loc[movements["end"].idxmax()]
    alt = (
        f"Line chart of the number of children in care at the end of each month from {labels[0]} to "
        f"{labels[-1]}. It went from {fmt_number(values[0])} to {fmt_number(values[-1])}; the lowest was "
        f"{fmt_number(low['end'])} in {month_label(low['month'])} and the highest {fmt_number(high['end'])} in "
        f"{month_label(high['month'])}."
    )
    return fig, alt


def headline_sentences(movements: pd.DataFrame, narrative: Narrative) -> list[str]:
    """The section's sentences: change over the period, flows, busiest month, the short-breaks rule."""
    first, last = int(movements["start"].iloc[0]), int(movements["end"].iloc[-1])
    diff = last - first
    change = narrative.change(first, last)
    if change == narrative.templates["change"]["stable"]:
        opening = narrative.say(
            "children_in_care.stock_flat",
            change=change,
            start=narrative.count(first),
            end=narrative.count(last),
        )
    else:
        pct = fmt_pct(100 * diff / first, 1) if first else "n/a"
        opening = narrative.say(
            "children_in_care.stock_change",
            change=change,
            start=narrative.count(first),
            end=narrative.count(last),
            diff=f"{diff:+,d}",
            pct=pct,
        )
    admissions, ceased = int(movements["admissions"].sum()), int(movements["ceased"].sum())
    flows = narrative.say(
        "children_in_care.flows",
        admissions=narrative.count(admissions),
        ceased=narrative.count(ceased),
        avg_admissions=fmt_number(admissions / len(movements), 1),
    )
    sentences = [opening, flows]
    busiest = movements.loc[movements["admissions"].idxmax()]
    if busiest["admissions"] > 0 and not is_small(
        busiest["admissions"], narrative.config.small_number_threshold
    ):
        sentences.append(
            narrative.say(
                "children_in_care.busiest",
                month=month_label(busiest["month"]),
                n=narrative.count(int(busiest["admissions"])),
            )
        )
    return sentences


# --- Entries, exits, UASC and profile, this period against the previous one -------------------------


def day_label(d: date) -> str:
    """date(2025, 3, 31) -> "31 March 2025"."""
    return f"{d.day} {d.strftime('%B %Y')}"


def year_phrases(period: Period) -> tuple[str, str]:
    """ "in 2023-24", "in 2024-25": how a sentence names the two periods compared."""
    return f"in {period.previous().label}", f"in {period.label}"


def date_phrases(period: Period) -> tuple[str, str]:
    """ "at 31 March 2024", "at 31 March 2025": how a sentence names the two days compared."""
    return f"at {day_label(period.previous().end)}", f"at {day_label(period.end)}"


def entries(data: Data903, period: Period) -> dict[str, pd.DataFrame]:
    """Children starting to be looked after by category of need, previous and this period."""
    return {
        "previous": entries_by_category_of_need(data, period.previous().start, period.previous().end),
        "current": entries_by_category_of_need(data, period.start, period.end),
    }


def exits(data: Data903, period: Period) -> dict[str, pd.DataFrame]:
    """Children ceasing to be looked after by grouped reason (their last exit), previous and this period."""
    return {
        "previous": exits_by_reason(data, period.previous().start, period.previous().end),
        "current": exits_by_reason(data, period.start, period.end),
    }


def profile(data: Data903, period: Period) -> dict[str, dict[str, pd.DataFrame]]:
    """Children in care at the end of each period by age band, sex, ethnic minority share, legal status, UASC."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for name, fn in (
        ("age", stock_by_age),
        ("sex", stock_by_sex),
        ("ethnic_minority", ethnic_minority_by_age),
        ("legal_status", stock_by_legal_status),
        ("uasc", uasc_on),
    ):
        out[name] = {"previous": fn(data, period.previous().end), "current": fn(data, period.end)}
    return out


def entries_table(tables: dict[str, pd.DataFrame], period: Period, config: Config) -> pd.DataFrame:
    """Entries by category of need, both periods, counts under the small-number rule with a total row."""
    labels = _named(tables, "category_of_need", "description")
    return breakdown_table(
        tables, "category_of_need", labels, period_labels(period), config, "Category of need"
    )


def exits_table(tables: dict[str, pd.DataFrame], period: Period, config: Config) -> pd.DataFrame:
    """Exits by grouped reason, both periods, counts under the small-number rule with a total row."""
    return breakdown_table(tables, "reason", None, period_labels(period), config, "Reason for leaving care")


def profile_table(
    tables: dict[str, pd.DataFrame], key: str, name: str, period: Period, config: Config
) -> pd.DataFrame:
    """Age band, sex or legal status at the end of both periods (short breaks V3/V4 never shown)."""
    labels = None
    if key == "legal_status":
        tables = {k: v[~v["legal_status"].isin(["V3", "V4"])] for k, v in tables.items()}
        labels = _named(tables, "legal_status", "description")
    if key == "sex":
        labels = {"M": "Boys", "F": "Girls", "U": "Not known"}
    column = str(tables["current"].columns[0])  # age_band, sex or legal_status
    return breakdown_table(tables, column, labels, end_labels(period), config, name)


def _named(tables: dict[str, pd.DataFrame], key: str, description: str) -> dict[str, str]:
    both = pd.concat(tables.values())
    return {k: f"{d} ({k})" if k != d else d for k, d in zip(both[key], both[description], strict=True)}


def period_labels(period: Period) -> tuple[str, str]:
    return period.previous().label, period.label


def end_labels(period: Period) -> tuple[str, str]:
    return day_label(period.previous().end), day_label(period.end)


def ethnic_minority_table(tables: dict[str, pd.DataFrame], period: Period, config: Config) -> pd.DataFrame:
    """Share from ethnic minority backgrounds per age band, both years; a share is hidden with its counts."""
    t, sym = config.small_number_threshold, config.suppression_symbol
    columns: dict[str, Any] = {"Age band": tables["current"]["age_band"].tolist()}
    for when, label in zip(("previous", "current"), end_labels(period), strict=True):
        frame = tables[when].set_index("age_band").reindex(columns["Age band"], fill_value=0)
        counts = pd.DataFrame({"n": frame["children"].to_numpy(), "m": frame["ethnic_minority"].to_numpy()})
        pub = suppress_counts(counts, ["n", "m"], t, sym, axis="column")
        known = frame["children"] - frame["not_recorded"]
        columns[f"Children, {label}"] = pub["n"].tolist()
        columns[f"Ethnic minority, {label}"] = pub["m"].tolist()
        columns[f"%, {label}"] = [
            PCT_SYMBOL if sym in (a, b) else suppress_pct(p, m, k, t, sym)
            for a, b, p, m, k in zip(
                pub["n"], pub["m"], frame["pct"], frame["ethnic_minority"], known, strict=True
            )
        ]
    return pd.DataFrame(columns)


def entries_sentences(tables: dict[str, pd.DataFrame], period: Period, narrative: Narrative) -> list[str]:
    """How many started to be looked after against last year, and the commonest category of need."""
    prev, cur = (int(tables[k]["children"].sum()) for k in ("previous", "current"))
    out = [
        compare_counts(
            narrative,
            "The number of children who started to be looked after",
            prev,
            cur,
            year_phrases(period),
        )
    ]
    top = tables["current"].sort_values("children", ascending=False, kind="stable").iloc[0]
    if cur and top["children"]:
        out.append(
            narrative.say(
                "children_in_care.entries_top",
                need=str(top["description"]).lower(),
                n_of_m=narrative.n_of_m(int(top["children"]), cur),
            )
        )
    return out


def exits_sentences(tables: dict[str, pd.DataFrame], period: Period, narrative: Narrative) -> list[str]:
    """How many ceased to be looked after against last year, the commonest reason, and adoptions."""
    prev, cur = (int(tables[k]["children"].sum()) for k in ("previous", "current"))
    out = [
        compare_counts(
            narrative, "The number of children who ceased to be looked after", prev, cur, year_phrases(period)
        )
    ]
    frame = tables["current"].set_index("reason")
    top = frame["children"].sort_values(ascending=False, kind="stable")
    if cur and top.iloc[0]:
        out.append(
            narrative.say(
                "children_in_care.exits_top",
                reason=str(top.index[0]).lower(),
                n_of_m=narrative.n_of_m(int(top.iloc[0]), cur),
            )
        )
    figs = {k: _share_of(tables[k], "reason", "Adopted") for k in ("previous", "current")}
    out.append(
        compare_share(
            narrative,
            "The share of children leaving care who were adopted",
            figs["previous"],
            figs["current"],
            year_phrases(period),
        )
    )
    return out


def _share_of(frame: pd.DataFrame, key: str, value: str) -> Figure:
    num = int(frame.loc[frame[key] == value, "children"].sum())
    den = int(frame["children"].sum())
    return {"numerator": num, "denominator": den, "pct": 100.0 * num / den if den else np.nan}


def uasc_sentence(tables: dict[str, pd.DataFrame], period: Period, narrative: Narrative) -> str:
    """Unaccompanied asylum-seeking children at the end of the period, against a year earlier."""
    figs = {k: _share_of(v, "uasc", "UASC") for k, v in tables.items()}
    return compare_share(
        narrative,
        "The share of children in care who were unaccompanied asylum-seeking children (UASC)",
        figs["previous"],
        figs["current"],
        date_phrases(period),
    )


def profile_sentences(
    tables: dict[str, dict[str, pd.DataFrame]], period: Period, narrative: Narrative
) -> list[str]:
    """Largest age band, share of boys, share from ethnic minority backgrounds and where it is highest."""
    when = date_phrases(period)
    age = tables["age"]["current"]
    total = int(age["children"].sum())
    out = []
    if total:
        top = age.sort_values("children", ascending=False, kind="stable").iloc[0]
        out.append(
            narrative.say(
                "children_in_care.age_top",
                date=day_label(period.end),
                band=str(top["age_band"]).lower(),
                n_of_m=narrative.n_of_m(int(top["children"]), total),
            )
        )
    sex = {k: _share_of(v, "sex", "M") for k, v in tables["sex"].items()}
    out.append(
        compare_share(
            narrative, "The share of children in care who were boys", sex["previous"], sex["current"], when
        )
    )
    eth = {k: v.set_index("age_band") for k, v in tables["ethnic_minority"].items()}
    figs = {
        k: {
            "numerator": int(v.loc["All ages", "ethnic_minority"]),
            "denominator": int(v.loc["All ages", "children"] - v.loc["All ages", "not_recorded"]),
            "pct": float(v.loc["All ages", "pct"]),
        }
        for k, v in eth.items()
    }
    out.append(
        compare_share(
            narrative,
            "The share of children in care from ethnic minority backgrounds",
            figs["previous"],
            figs["current"],
            when,
        )
    )
    bands = eth["current"].drop(index="All ages")
    bands = bands[(bands["children"] - bands["not_recorded"]) >= narrative.config.small_number_threshold]
    bands = bands[
        ~bands["ethnic_minority"].map(lambda n: is_small(n, narrative.config.small_number_threshold))
    ]
    if len(bands) and bands["pct"].notna().any():
        band = bands["pct"].idxmax()
        out.append(
            narrative.say(
                "children_in_care.minority_top",
                band=str(band).lower(),
                n_of_m=narrative.n_of_m(
                    int(bands.loc[band, "ethnic_minority"]),
                    int(bands.loc[band, "children"] - bands.loc[band, "not_recorded"]),
                ),
            )
        )
    not_recorded = int(eth["current"].loc["All ages", "not_recorded"])
    if not_recorded:
        out.append(narrative.say("children_in_care.ethnicity_not_recorded", n=narrative.count(not_recorded)))
    return out


def legal_status_sentences(
    tables: dict[str, pd.DataFrame], period: Period, narrative: Narrative
) -> list[str]:
    """Shares on a full care order (C2) and accommodated under section 20 (V2), against a year earlier."""
    out = []
    for code, words in (
        ("C2", "The share of children in care on a full care order"),
        ("V2", "The share of children in care accommodated by agreement under section 20"),
    ):
        figs = {k: _share_of(v, "legal_status", code) for k, v in tables.items()}
        out.append(compare_share(narrative, words, figs["previous"], figs["current"], date_phrases(period)))
    return out


def ethnic_minority_chart(
    tables: dict[str, pd.DataFrame], period: Period, config: Config
) -> tuple[plt.Figure, str, pd.DataFrame]:
    """Paired bars: share from ethnic minority backgrounds per age band, a year ago and now; alt text; data."""
    bands = tables["current"]["age_band"].tolist()
    data = ethnic_minority_table(tables, period, config)
    values = {}
    # A share hidden in the published table (including secondary suppression) has no bar either.
    for k, label in zip(("previous", "current"), end_labels(period), strict=True):
        pct = tables[k].set_index("age_band")["pct"].reindex(bands)
        values[k] = [
            None if shown == PCT_SYMBOL else v for v, shown in zip(pct, data[f"%, {label}"], strict=True)
        ]
    labels = end_labels(period)
    fig = paired_bar_chart(
        bands,
        values["previous"],
        values["current"],
        labels,
        xlabel="Children from ethnic minority backgrounds (%)",
        title=f"Share of children in care from ethnic minority backgrounds by age, {config.la_name}",
    )
    cur = dict(zip(bands, values["current"], strict=True))
    shown = {b: v for b, v in cur.items() if v is not None and not pd.isna(v) and b != "All ages"}
    alt = (
        f"Bar chart of the share of children in care from ethnic minority backgrounds by age band at "
        f"{labels[0]} and {labels[1]}. At {labels[1]} it was {fmt_pct(cur.get('All ages'))} across all ages"
    )
    if shown:
        hi, lo = max(shown, key=shown.get), min(shown, key=shown.get)
        alt += f", highest for {hi.lower()} ({fmt_pct(shown[hi])}) and lowest for {lo.lower()} ({fmt_pct(shown[lo])})"
    return fig, alt + ".", data


# --- Shared by the care sections: two-year comparisons under the small-number rule -------------------


def hidden(fig: Figure, threshold: int) -> bool:
    """True when a share cannot be published: its numerator or denominator is suppressed, or it has none."""
    den = fig.get("denominator", 0)
    return (
        not den
        or pd.isna(den)
        or pd.isna(fig.get("pct"))
        or is_small(fig.get("numerator"), threshold)
        or is_small(den, threshold)
    )


def compare_share(
    narrative: Narrative, measure: str, previous: Figure, current: Figure, when: tuple[str, str]
) -> str:
    """ "{measure} rose, from 38 of 90 (42%) in 2023-24 to 45 of 96 (47%) in 2024-25."

    The direction word compares the two percentages (``Narrative.change``); when either year's share is
    hidden by the small-number rule no direction is given, so it cannot be worked back.
    """
    t = narrative.config.small_number_threshold
    then = narrative.n_of_m(int(previous["numerator"]), int(previous["denominator"]))
    now = narrative.n_of_m(int(current["numerator"]), int(current["denominator"]))
    if hidden(previous, t) or hidden(current, t):
        return narrative.say(
            "children_in_care.compare_hidden",
            measure=measure,
            then=then,
            now=now,
            previous=when[0],
            current=when[1],
        )
    change = narrative.change(round(float(previous["pct"]), 1), round(float(current["pct"]), 1))
    return narrative.say(
        "children_in_care.compare",
        measure=measure,
        change=change,
        then=then,
        now=now,
        previous=when[0],
        current=when[1],
    )


def compare_counts(
    narrative: Narrative, measure: str, previous: int, current: int, when: tuple[str, str]
) -> str:
    """ "{measure} rose, from 183 in 2023-24 to 200 in 2024-25" (no direction if either count is hidden)."""
    t = narrative.config.small_number_threshold
    values = dict(
        then=narrative.count(previous), now=narrative.count(current), previous=when[0], current=when[1]
    )
    if is_small(previous, t) or is_small(current, t):
        return narrative.say("children_in_care.compare_hidden", measure=measure, **values)
    return narrative.say(
        "children_in_care.compare", measure=measure, change=narrative.change(previous, current), **values
    )


def share_text(fig: Figure, config: Config, decimals: int = 0) -> str:
    """A share as published: "47%", or the hidden symbol when its counts are suppressed."""
    if hidden(fig, config.small_number_threshold):
        return "" if not fig.get("denominator") else PCT_SYMBOL
    return fmt_pct(float(fig["pct"]), decimals)


def change_text(previous: Figure, current: Figure, config: Config, unit: str = "pp") -> str:
    """The change between two shares in percentage points ("+4.2"), hidden if either share is."""
    t = config.small_number_threshold
    if hidden(previous, t) or hidden(current, t):
        return "" if not (previous.get("denominator") and current.get("denominator")) else PCT_SYMBOL
    return f"{round(float(current['pct']) - float(previous['pct']), 1) + 0.0:+.1f}"


def breakdown_table(
    tables: dict[str, pd.DataFrame],
    key: str,
    labels: dict[str, str] | None,
    when: tuple[str, str],
    config: Config,
    name: str,
) -> pd.DataFrame:
    """Two ``count_share`` tables (previous, current) side by side: count and % per group, and a total row.

    Groups with no children in either year are left out. Counts pass ``suppress_counts(axis="column")``
    so a hidden cell cannot be worked back from the total; a % is hidden wherever its count is.
    """
    prev = tables["previous"].set_index(key)["children"]
    cur = tables["current"].set_index(key)["children"]
    groups = list(dict.fromkeys(list(cur.index) + list(prev.index)))
    frame = pd.DataFrame({"p": prev.reindex(groups, fill_value=0), "c": cur.reindex(groups, fill_value=0)})
    frame = frame[(frame["p"] > 0) | (frame["c"] > 0)]
    frame.loc["Total"] = frame.sum()
    frame = frame.astype("int64")
    t, sym = config.small_number_threshold, config.suppression_symbol
    pub = suppress_counts(frame, ["p", "c"], t, sym, axis="column")
    out = pd.DataFrame({name: [(labels or {}).get(g, g) for g in frame.index]})
    for col, label in (("p", when[0]), ("c", when[1])):
        total = int(frame.loc["Total", col])
        out[f"Children, {label}"] = pub[col].to_numpy()
        out[f"%, {label}"] = [
            PCT_SYMBOL if shown == sym else (fmt_pct(100 * n / total) if total else "")
            for shown, n in zip(pub[col], frame[col], strict=True)
        ]
    return out


def paired_bar_chart(
    categories: list[str],
    previous: list[float | None],
    current: list[float | None],
    labels: tuple[str, str],
    xlabel: str,
    title: str,
    value_format: str = "{:.0f}%",
) -> plt.Figure:
    """Horizontal bars, last year hatched and this year solid, each labelled with its value.

    Years are told apart by hatching, legend and position as well as colour; a hidden (suppressed)
    value has no bar and is labelled "c".
    """
    colours = af_colours(2)
    y = np.arange(len(categories))
    height = 0.38
    with chart_style():
        fig, ax = plt.subplots(figsize=(9, 0.8 * len(categories) + 1.8))
        top = max([v for v in list(previous) + list(current) if v is not None and not pd.isna(v)] + [1])
        for offset, values, label, colour, hatch in (
            (-height / 2, previous, labels[0], colours[1], "//"),
            (height / 2, current, labels[1], colours[0], None),
        ):
            clean = [0 if v is None or pd.isna(v) else v for v in values]
            bars = ax.barh(
                y + offset, clean, height, label=label, color=colour, hatch=hatch, edgecolor="white"
            )
            for bar, v in zip(bars, values, strict=True):
                text = PCT_SYMBOL if v is None or pd.isna(v) else value_format.format(v)
                ax.annotate(
                    f"{text} ({label})" if len(categories) == 1 else text,
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                )
        ax.set_yticks(y, [textwrap.fill(c, 26) for c in categories])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.2)
        ax.set_xlabel(xlabel)
        ax.set_title(textwrap.fill(title, 60), loc="left", fontsize=12)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.14), ncol=2, frameon=False)
        fig.tight_layout()
    return fig


def measure_table(
    rows: list[tuple[str, str | None, Figure, Figure]],
    when: tuple[str, str],
    config: Config,
    benchmarks: pd.DataFrame | None = None,
    averages: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One row per measure: last year, this year, change, this year's counts, and England and neighbours.

    ``rows`` are (label, benchmark measure id or None, previous figure, current figure). Labels in
    ``averages`` are averages (value to one decimal, "Out of" the children it averages over), not shares.
    ``benchmarks`` (from ``cpkit.sections.placements.benchmark_figures``) adds the published England and
    statistical-neighbour figures for the measure; its ``attrs["year"]`` names their year.
    """
    t, sym = config.small_number_threshold, config.suppression_symbol
    out: dict[str, list[str]] = {k: [] for k in ("Measure", when[0], when[1], "Change (points)")}
    out[f"Number, {when[1]}"], out[f"Out of, {when[1]}"] = [], []
    bench_cols = {}
    if benchmarks is not None:
        year = benchmarks.attrs.get("label", "")
        bench_cols = {"england": f"England, {year}", "neighbour_avg": f"Statistical neighbours, {year}"}
        for col in bench_cols.values():
            out[col] = []
    for label, bench_id, prev, cur in rows:
        average = label in averages
        out["Measure"].append(label)
        for col, fig in ((when[0], prev), (when[1], cur)):
            if average:
                cell = (
                    ""
                    if not fig["denominator"]
                    else (sym if is_small(fig["denominator"], t) else f"{fig['pct']:.1f}")
                )
            else:
                cell = share_text(fig, config)
            out[col].append(cell)
        if average:
            both = (
                prev["denominator"]
                and cur["denominator"]
                and not (is_small(prev["denominator"], t) or is_small(cur["denominator"], t))
            )
            out["Change (points)"].append(f"{round(cur['pct'] - prev['pct'], 1) + 0.0:+.1f}" if both else "")
            out[f"Number, {when[1]}"].append("")
        else:
            out["Change (points)"].append(change_text(prev, cur, config))
            out[f"Number, {when[1]}"].append(suppress_value(cur["numerator"], t, sym))
        out[f"Out of, {when[1]}"].append(suppress_value(cur["denominator"], t, sym))
        for key, col in bench_cols.items():
            value = benchmarks[key].get(bench_id, np.nan) if bench_id else np.nan
            out[col].append("" if pd.isna(value) else (f"{value:.1f}" if average else fmt_pct(value)))
    return pd.DataFrame(out)


def coverage_warning(data: Data903, period: Period) -> str:
    """A warning when the returns supplied end before the period does (e.g. a calendar year to December
    with returns only to March), so readers know the later months are not in the figures; else ""."""
    years = data.episodes["return_year"].dropna()
    if years.empty:
        return ""
    data_end = date(int(years.max()), 3, 31)
    if data_end >= period.end:
        return ""
    return (
        f"**Note:** the SSDA903 returns supplied run to {day_label(data_end)}, before the end of this period "
        f"({day_label(period.end)}). Figures for later dates show the position recorded at {day_label(data_end)} "
        "and counts over the period miss anything after it."
    )
