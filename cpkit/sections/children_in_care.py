"""Section 1, children in care: the month-by-month count, movements, entries, exits, UASC and profile.

Every figure in the sentences comes from the same tables the section prints, so the words and the
tables cannot disagree. Each measure is also worked out for the previous period (``Period.previous``),
so the 2025 report compares with 2024. The two-year comparison helpers shared by every care section
live in ``cpkit.sections.common``.
"""

from __future__ import annotations

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
from cpkit.present.disclosure import is_small, suppress_counts, suppress_pct, suppress_value
from cpkit.present.narrative import Narrative, fmt_number, fmt_pct
from cpkit.sections.common import (
    PCT_SYMBOL,
    Figure,
    breakdown_table,
    compare_counts,
    compare_share,
    date_phrases,
    day_label,
    end_labels,
    paired_bar_chart,
    period_labels,
    year_phrases,
)
from cpkit.ssda903.model import Data903

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
    change = narrative.change(first, last, 0)
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
