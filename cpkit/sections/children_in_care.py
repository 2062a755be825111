"""Section 1, children in care: the month-by-month count, movements, entries, exits, UASC and profile.

Every figure in the sentences comes from the same tables the section prints, so the words and the
tables cannot disagree. Each measure is also worked out for the previous period (``Period.previous``),
so the 2025 report compares with 2024. The two-year comparison helpers shared by every care section
live in ``cpkit.sections.common``.
"""

from __future__ import annotations

import functools
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
from cpkit.care.codes import ETHNICITY_NOT_KNOWN, OTHER_REASON, REC_GROUPS, WHITE_BRITISH
from cpkit.config import Config, Period
from cpkit.figures.keys import row_keys
from cpkit.measures import code_span, measure
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.disclosure import (
    CLA,
    SECONDARY,
    Ledger,
    Rule,
    is_small,
    shared_key,
    withheld_reason,
)
from cpkit.present.figure_text import lower_first
from cpkit.present.narrative import Narrative, fmt_number, fmt_pct
from cpkit.publish import figure as published
from cpkit.publish import plan
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.text import with_relations
from cpkit.sections.common import (
    NO_GROUP,
    NOT_SHOWN,
    Figure,
    breakdown_table,
    compare_counts,
    compare_share,
    count_words,
    date_phrases,
    day_label,
    end_labels,
    hidden_figure,
    largest_part,
    mark_uncovered,
    paired_bar_chart,
    period_labels,
    share_keys,
    table_hidden,
    table_keys,
    year_phrases,
)
from cpkit.ssda903.codes import label as code_label
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


def movement_ledger(movements: pd.DataFrame, config: Config) -> Ledger:
    """The month-by-month figures protected together: what the table, the chart, its alt text and the
    sentences publish.

    Keys: ("stock", i) children in care at the end of month i (("stock", -1) the start of the first; the
    end of one month is the start of the next, one figure), ("admissions", i), ("ceased", i), ("net", i)
    (signed), and "admissions", "ceased" the period's totals that the sentences give ("fewer than 5"
    ended is the total, 1 to 4, tied to the months it adds up). Relations: end = start + admissions -
    ceased; net = admissions - ceased; each total is the sum of its months. The start and the end of the
    period are published in every other table of the report (``shared_key``): kept, so the months
    between carry the protection. A small admissions count next to 0 ceased is pinned by the stock
    change, so the rule may hide stock figures too, and then the next month's; in a council of a dozen
    children most of the table can be [c].

    Where no choice of hidden cells protects the months (four months' "<5" ceased and a year's total of
    "fewer than 5": each is 1), the months are withheld (``Ledger.withheld`` says why, in words) and the
    ledger holds only the period's figures: start, end and the two totals, end = start + admissions -
    ceased. Built once per table of figures (the table, the chart and the sentences each ask).
    """
    rows = tuple(
        movements[["start", "end", "admissions", "ceased", "net"]].itertuples(index=False, name=None)
    )
    first = pd.Period(movements["month"].iloc[0], "M").start_time - pd.Timedelta(days=1)
    last = pd.Period(movements["month"].iloc[-1], "M").end_time.normalize()
    return _movement_ledger(
        rows, Rule.of(config), (shared_key(CLA, first.date()), shared_key(CLA, last.date())), plan.token()
    )


@functools.lru_cache(maxsize=8)
def _movement_ledger(
    rows: tuple[tuple[int, ...], ...],
    rule: Rule,
    ends: tuple[str, str],
    plan_token: str = "",  # noqa: ARG001 - the document's plan in force: a ledger chosen under another is not reused
) -> Ledger:
    """``movement_ledger`` from the months' figures; ``ends`` the shared keys of the first day's start and
    the last day's end (children in care on those days, printed across the report)."""
    ledger = Ledger(rule)
    ledger.add(("stock", -1), int(rows[0][0]), shared=ends[0])
    for i, (_, end, admissions, ceased, net) in enumerate(rows):
        ledger.add(("stock", i), int(end), shared=ends[1] if i == len(rows) - 1 else False)
        ledger.add(("admissions", i), int(admissions))
        ledger.add(("ceased", i), int(ceased))
        ledger.add(("net", i), int(net), signed=True)
        ledger.relate({("stock", i): 1, ("stock", i - 1): -1, ("admissions", i): -1, ("ceased", i): 1})
        ledger.relate({("net", i): 1, ("admissions", i): -1, ("ceased", i): 1})
    for j, flow in ((2, "admissions"), (3, "ceased")):
        ledger.add(flow, sum(int(r[j]) for r in rows))
        ledger.total(flow, [(flow, i) for i in range(len(rows))])
    ledger.choose()  # with the cells the document's plan hides here (``cpkit.publish.plan``)
    if not ledger.open():
        return ledger
    # the months cannot be protected: publish the period's figures alone
    last = len(rows) - 1
    period = Ledger(rule)
    period.add(("stock", -1), int(rows[0][0]), shared=ends[0])
    period.add(("stock", last), int(rows[-1][1]), shared=ends[1])
    for flow in ("admissions", "ceased"):
        period.add(flow, ledger.values[flow])
    period.relate({("stock", last): 1, ("stock", -1): -1, "admissions": -1, "ceased": 1})
    period.choose()
    if period.open():  # even the year's flows would give a small count back: the sentences say neither
        for flow in ("admissions", "ceased"):
            # a small one too: "fewer than 5" started and ended, from 8 to 6, makes them 1 or 2 and 3 or 4
            # (``Ledger.words`` gives a small count hidden this way no figure at all)
            period.status[flow] = SECONDARY
    period.withheld = withheld_reason(
        [(rows[0][0], "at the start of the year"), (rows[-1][1], "at the end")], "children in care", rule
    )
    return period


def movement_table(movements: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The movement table as published: one column per month, every figure from ``movement_ledger``
    (small counts "<5", figures hidden to protect them "[c]", a net change hidden with its flows)."""
    ledger = movement_ledger(movements, config)
    if ledger.withheld:  # the months would give a small count back whatever was hidden: say why
        return pd.DataFrame({"Measure": [ledger.withheld]})
    columns: dict[str, list[str]] = {"Measure": list(ROW_LABELS.values())}
    for i, row in enumerate(movements.itertuples(index=False)):
        columns[month_label(row.month)] = [
            ledger.text(("stock", i - 1)),
            ledger.text(("stock", i)),
            ledger.text(("admissions", i)),
            ledger.text(("ceased", i)),
            ledger.text(("net", i)),
        ]
    out = typed_frame(columns)  # object: the cells stay typed Figures
    out.attrs["ledger"] = ledger  # its relations go into the table's block (``show_table``)
    return out


def stock_chart_data(movements: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The figures behind the month-by-month chart, as published (for the Excel download); the reason
    in words where the months are withheld."""
    ledger = movement_ledger(movements, config)
    if ledger.withheld:
        return pd.DataFrame({"Month": [ledger.withheld]})
    return typed_frame(
        {
            "Month": [month_label(m) for m in movements["month"]],
            "Children in care at the end of the month": [
                ledger.text(("stock", i)) for i in range(len(movements))
            ],
        }
    )


MIN_CHART_POINTS = 2


def stock_chart(movements: pd.DataFrame, config: Config) -> tuple[plt.Figure, str] | None:
    """Line chart of children in care at the end of each month, drawn from the published figures only
    (a hidden month is a gap, labelled with its symbol), and alt text from the same figures. None when
    fewer than two months can be shown: the table then says it all."""
    ledger = movement_ledger(movements, config)
    if ledger.withheld:
        return None
    labels = [month_label(m) for m in movements["month"]]
    shown = [None if ledger.hidden(("stock", i)) else float(v) for i, v in enumerate(movements["end"])]
    points = [(x, y) for x, y in zip(labels, shown, strict=True) if y is not None]
    if len(points) < MIN_CHART_POINTS:
        return None
    values = [np.nan if v is None else v for v in shown]
    with chart_style():
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.plot(labels, values, marker="o", color=af_colours(1)[0], linewidth=2)
        ax.set_ylim(0, max(y for _, y in points) * 1.15)
        ax.set_ylabel("Children in care")
        ax.set_title(f"Children in care at the end of each month, {config.la_name}", loc="left")
        for i in (0, len(labels) - 1):
            y = shown[i] if shown[i] is not None else 0
            ax.annotate(
                ledger.text(("stock", i)),
                (labels[i], y),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
            )
        ax.tick_params(axis="x", labelrotation=45)
        fig.tight_layout()
    alt = (
        f"Line chart of the number of children in care at the end of each month from {labels[0]} to "
        f"{labels[-1]}."
    )
    hidden_months = sum(v is None for v in shown)
    if shown[0] is not None and shown[-1] is not None:
        alt += f" It went from {fmt_number(shown[0])} to {fmt_number(shown[-1])}"
        if not hidden_months:
            low = min(points, key=lambda p: p[1])
            high = max(points, key=lambda p: p[1])
            alt += f"; the lowest was {fmt_number(low[1])} in {low[0]} and the highest {fmt_number(high[1])} in {high[0]}"
        alt += "."
    if hidden_months:
        alt += f" {hidden_months} of the {len(labels)} months are not plotted, to protect small numbers."
    return fig, alt


def headline_sentences(movements: pd.DataFrame, narrative: Narrative) -> list[str]:
    """The section's sentences: change over the period, flows, busiest month. Every figure is one the
    table shows (``movement_ledger``); a hidden one is left out of the sentence, with no direction."""
    ledger = movement_ledger(movements, narrative.config)
    last = len(movements) - 1
    first_n, last_n = int(movements["start"].iloc[0]), int(movements["end"].iloc[-1])
    start_hidden, end_hidden = ledger.hidden(("stock", -1)), ledger.hidden(("stock", last))
    # every count is the ledger's figure under its document key (the start and end are children in care
    # on those days, ``cla@<day>``): the report's audit reads the sentence with the table
    if start_hidden or end_hidden:
        opening = narrative.say(
            "children_in_care.stock_hidden",
            start=ledger.words(("stock", -1)),
            end=ledger.words(("stock", last)),
        )
    else:
        diff = last_n - first_n
        change = narrative.change(first_n, last_n, 0)
        if change == narrative.templates["change"]["stable"]:
            opening = narrative.say(
                "children_in_care.stock_flat",
                change=change,
                start=ledger.words(("stock", -1)),
                end=ledger.words(("stock", last)),
            )
        else:
            opening = narrative.say(
                "children_in_care.stock_change",
                change=change,
                start=ledger.words(("stock", -1)),
                end=ledger.words(("stock", last)),
                diff=f"{diff:+,d}",
                pct=fmt_pct(100 * diff / first_n, 1) if first_n else "n/a",
            )
    admissions = int(movements["admissions"].sum())
    if ledger.words("admissions") == ledger.words("ceased") == NOT_SHOWN:
        flows = narrative.say("children_in_care.flows_not_shown")
    elif ledger.hidden("admissions") or ledger.hidden("ceased"):
        flows = narrative.say(
            "children_in_care.flows_hidden",
            admissions=ledger.words("admissions"),
            ceased=ledger.words("ceased"),
        )
    else:
        flows = narrative.say(
            "children_in_care.flows",
            admissions=ledger.words("admissions"),
            ceased=ledger.words("ceased"),
            avg_admissions=fmt_number(admissions / len(movements), 1),
        )
    sentences = [opening, flows]
    busiest = int(movements["admissions"].idxmax())
    n = int(movements["admissions"].iloc[busiest])
    if n > 0 and not ledger.withheld and not ledger.hidden(("admissions", busiest)):
        # the busiest month is named only when no hidden month could be busier or as busy
        hidden_months = [i for i in range(len(movements)) if ledger.hidden(("admissions", i))]
        if not hidden_months:
            sentences.append(
                narrative.say(
                    "children_in_care.busiest",
                    month=month_label(movements["month"].iloc[busiest]),
                    n=ledger.words(("admissions", busiest)),
                )
            )
    return sentences


# --- Entries, exits, UASC and profile, this period against the previous one -------------------------


def entries(data: Data903, period: Period) -> dict[str, pd.DataFrame]:
    """Children starting to be looked after by category of need, previous and this period (the previous
    one marked not covered when no return covers it: ``mark_uncovered``)."""
    return mark_uncovered(
        {
            "previous": entries_by_category_of_need(data, period.previous().start, period.previous().end),
            "current": entries_by_category_of_need(data, period.start, period.end),
        },
        data,
        period,
    )


def exits(data: Data903, period: Period) -> dict[str, pd.DataFrame]:
    """Children ceasing to be looked after by grouped reason (their last exit), previous and this period
    (the previous one marked not covered when no return covers it: ``mark_uncovered``)."""
    return mark_uncovered(
        {
            "previous": exits_by_reason(data, period.previous().start, period.previous().end),
            "current": exits_by_reason(data, period.start, period.end),
        },
        data,
        period,
    )


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
        tables,
        "category_of_need",
        labels,
        period_labels(period),
        config,
        "Category of need",
        population="children who started to be looked after",
        preposition="in",
        # the Total is the scorecard's cla_started (each child once): one figure across the report
        total_keys=(
            shared_key("cla_started", period.previous().label),
            shared_key("cla_started", period.label),
        ),
    )


def entries_note() -> str:
    """What the entries table counts: the registry's measure (label and LAIT code) and the grouping."""
    m = measure("cla_started")
    return (
        f"DfE measure: {m.short_label} (LAIT {m.lait}), each child counted once, by the category of need of "
        "their first period of care in the year."
    )


def ethnicity_note() -> str:
    """Who counts as from an ethnic minority background, and who is left out of the share, from the codes
    ``cpkit.care.ethnic_minority_by_age`` uses."""
    unknown = " or ".join(f"{code_label('ETHNIC', c).lower()} ({c})" for c in ETHNICITY_NOT_KNOWN)
    return (
        f"Ethnic minority: any ethnic code other than {code_label('ETHNIC', WHITE_BRITISH)} ({WHITE_BRITISH}). "
        f"Children with no ethnicity recorded, or recorded as {unknown}, are left out of the share."
    )


def exits_note() -> str:
    """What the exits table counts: the registry's measure and every reason group with its REC codes, from
    ``REC_GROUPS``, the grouping ``cpkit.care.flows.exits_by_reason`` counts by (a note typed beside it would
    drift from it)."""
    m = measure("cla_ceased")
    groups = "; ".join(
        f"{lower_first(name)} {code_span(codes)}"
        + (" and any blank or unrecognised code" if name == OTHER_REASON else "")
        for name, codes in REC_GROUPS.items()
    )
    return (
        f"DfE measure: {m.short_label} (LAIT {m.lait}), by the reason of each child's last exit in the year "
        f"(REC codes): {groups}."
    )


# the exits table's groups that are a registry measure's numerator (the same REC codes, each child's last
# exit: ``cpkit.care.indicators``)
EXIT_MEASURES = {
    "Adopted": "ceased_adopted_pct",
    "Special guardianship order": "ceased_sgo_pct",
    "Returned home to parents or relatives": "ceased_returned_home_pct",
}


def exits_table(tables: dict[str, pd.DataFrame], period: Period, config: Config) -> pd.DataFrame:
    """Exits by grouped reason, both periods, counts under the small-number rule with a total row."""
    return breakdown_table(
        tables,
        "reason",
        None,
        period_labels(period),
        config,
        "Reason for leaving care",
        population="children who ceased to be looked after",
        preposition="in",
        # the Total is the scorecard's cla_ceased (each child once): one figure across the report
        total_keys=(
            shared_key("cla_ceased", period.previous().label),
            shared_key("cla_ceased", period.label),
        ),
        # adoptions, special guardianship orders and returns home are the ceased_*_pct measures'
        # numerators (cpkit.figures.keys), whose shares the trends print; adoptions are also the
        # scorecard's count, so that one has one status for the report
        part_keys=tuple(
            {group: row_keys(m, "percent", p)[0] for group, m in EXIT_MEASURES.items()}
            for p in (period.previous(), period)
        ),
        shared_parts=("Adopted",),
    )


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
    return breakdown_table(
        tables,
        column,
        labels,
        end_labels(period),
        config,
        name,
        total_keys=(shared_key(CLA, period.previous().end), shared_key(CLA, period.end)),
    )


def _named(tables: dict[str, pd.DataFrame], key: str, description: str) -> dict[str, str]:
    both = pd.concat(tables.values())
    return {k: f"{d} ({k})" if k != d else d for k, d in zip(both[key], both[description], strict=True)}


def ethnic_minority_table(tables: dict[str, pd.DataFrame], period: Period, config: Config) -> pd.DataFrame:
    """Share from ethnic minority backgrounds per age band, both years, under the small-number rule.

    The children per band are the age table's figures (``profile_table``): hidden here exactly where
    they are hidden there, and where the age table withholds its bands only all ages is shown. Per band, children = ethnic minority + the rest (never shown but easy to work
    out), protected like any count; a share is hidden with its counts, when the rest or the children
    with no ethnicity recorded (which the share's denominator gives away) are a small count.
    """
    rule = Rule.of(config)
    bands = tables["current"]["age_band"].tolist()
    age = breakdown_table(
        {k: v[v["age_band"] != "All ages"][["age_band", "children"]] for k, v in tables.items()},
        "age_band",
        None,
        end_labels(period),
        config,
        "Age band",
    )
    if age.attrs.get("withheld"):  # the age table withholds the bands: only all ages can be shown here
        bands = [b for b in bands if b == "All ages"]
    columns: dict[str, Any] = {"Age band": bands}
    for when, label in zip(("previous", "current"), end_labels(period), strict=True):
        frame = tables[when].set_index("age_band").reindex(bands, fill_value=0)
        # one ledger per year under the same keys: its name keeps the two years' figures apart in the
        # document (an unnamed ledger is named from its keys alone, never from its values)
        ledger = Ledger(rule, name=f"ethnicity-{when}")
        for b in bands:
            ledger.add(("n", b), int(frame.at[b, "children"]))
            ledger.add(("m", b), int(frame.at[b, "ethnic_minority"]))
            ledger.add(("o", b), int(frame.at[b, "children"] - frame.at[b, "ethnic_minority"]), implicit=True)
            ledger.relate({("n", b): 1, ("m", b): -1, ("o", b): -1})
            group = "Total" if b == "All ages" else b
            if age.attrs["hidden"].get((group, when)):
                ledger.hide(("n", b))
            elif (group, when) in age.attrs["hidden"]:
                ledger.keep(("n", b))
        for key in ("n", "m", "o"):
            if len(bands) > 1:
                ledger.total((key, "All ages"), [(key, b) for b in bands if b != "All ages"])
        ledger.resolve()
        known = frame["children"] - frame["not_recorded"]
        columns[f"Children, {label}"] = [ledger.text(("n", b)) for b in bands]
        columns[f"Ethnic minority, {label}"] = [ledger.text(("m", b)) for b in bands]
        columns[f"%, {label}"] = [
            published.not_applicable("percent", NO_GROUP)
            if not k
            else (
                hidden_figure(frame.at[b, "pct"])
                if ledger.hidden(("n", b))
                or ledger.hidden(("m", b))
                or ledger.hidden(("o", b))
                and rule.is_small(ledger.values[("o", b)])
                or rule.is_small(frame.at[b, "not_recorded"])
                else rule.pct(frame.at[b, "pct"], frame.at[b, "ethnic_minority"], k)
            ).with_counts(ledger.key_of(("m", b)), ledger.key_of(("known", b)))  # its base: not printed
            for b, k in zip(bands, known, strict=True)
        ]
    return typed_frame(columns)


def entries_sentences(tables: dict[str, pd.DataFrame], period: Period, narrative: Narrative) -> list[str]:
    """How many started to be looked after against last year, and the commonest category of need."""
    prev, cur = (int(tables[k]["children"].sum()) for k in ("previous", "current"))
    # the counts are the entries table's (its Totals are cla_started@<year>): the same keys in the audit
    table = entries_table(tables, period, narrative.config)
    out = [
        compare_counts(
            narrative,
            "The number of children who started to be looked after",
            prev,
            cur,
            year_phrases(period),
            keys=(table_keys(table, "Total", "previous")[0], table_keys(table, "Total", "current")[0]),
        )
    ]
    top = tables["current"].sort_values("children", ascending=False, kind="stable").iloc[0]
    if cur and top["children"]:
        # the largest group under the table's keys; not named when the table hides its count
        largest = largest_part(narrative, table, top["category_of_need"], int(top["children"]), cur)
        if largest is not None:
            out.append(
                narrative.say(
                    "children_in_care.entries_top",
                    need=str(top["description"]).lower(),
                    n_of_m=largest,
                )
            )
    return out


def exits_sentences(tables: dict[str, pd.DataFrame], period: Period, narrative: Narrative) -> list[str]:
    """How many ceased to be looked after against last year, the commonest reason, and adoptions."""
    prev, cur = (int(tables[k]["children"].sum()) for k in ("previous", "current"))
    # the counts are the exits table's (its Totals are cla_ceased@<year>): the same keys in the audit
    table = exits_table(tables, period, narrative.config)
    out = [
        compare_counts(
            narrative,
            "The number of children who ceased to be looked after",
            prev,
            cur,
            year_phrases(period),
            keys=(table_keys(table, "Total", "previous")[0], table_keys(table, "Total", "current")[0]),
        )
    ]
    frame = tables["current"].set_index("reason")
    top = frame["children"].sort_values(ascending=False, kind="stable")
    if cur and top.iloc[0]:
        # the largest group under the table's keys; not named when the table hides its count
        largest = largest_part(narrative, table, top.index[0], int(top.iloc[0]), cur)
        if largest is not None:
            out.append(
                narrative.say(
                    "children_in_care.exits_top",
                    reason=str(top.index[0]).lower(),
                    n_of_m=largest,
                )
            )
    figs = share_keys(
        table, "Adopted", {k: _share_of(tables[k], "reason", "Adopted") for k in ("previous", "current")}
    )
    out.append(
        compare_share(
            narrative,
            "The share of children leaving care who were adopted",
            figs["previous"],
            figs["current"],
            year_phrases(period),
            table_hidden(table, "Adopted"),
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
    # the group is the children in care on the day, printed across the report (``cla@<day>``)
    for k, day in (("previous", period.previous().end), ("current", period.end)):
        figs[k]["keys"] = (None, shared_key(CLA, day))  # type: ignore[assignment]
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
        table = profile_table(tables["age"], "age", "Age band", period, narrative.config)
        # the largest group under the table's keys; not named when the table hides its count
        largest = largest_part(narrative, table, top["age_band"], int(top["children"]), total)
        if largest is not None:
            out.append(
                narrative.say(
                    "children_in_care.age_top",
                    date=day_label(period.end),
                    band=str(top["age_band"]).lower(),
                    n_of_m=largest,
                )
            )
    sex_table = profile_table(tables["sex"], "sex", "Sex", period, narrative.config)
    sex = share_keys(sex_table, "M", {k: _share_of(v, "sex", "M") for k, v in tables["sex"].items()})
    out.append(
        compare_share(
            narrative,
            "The share of children in care who were boys",
            sex["previous"],
            sex["current"],
            when,
            table_hidden(sex_table, "M"),
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
    # the share's denominator (children with an ethnicity recorded) gives the number with none recorded
    # away, so a share the table hides is not given in words either
    table = ethnic_minority_table(tables["ethnic_minority"], period, narrative.config).set_index("Age band")
    pct_hidden = {
        k: table[f"%, {label}"].map(lambda cell: bool(getattr(cell, "hidden", False)))
        for k, label in zip(("previous", "current"), end_labels(period), strict=True)
    }
    # the counts a sentence prints are the ethnicity table's, under its keys: "38 of 90" is the band's
    # ethnic minority count (the table's cell) of the children with an ethnicity recorded (the share's
    # base), and children = recorded + not recorded ties the base to the table's Children column
    eth_keys = {
        k: _ethnicity_keys(table, label)
        for k, label in zip(("previous", "current"), end_labels(period), strict=True)
    }
    figs = {
        k: {**f, "keys": eth_keys[k]["All ages"][:2], "relations": eth_keys[k]["All ages"][3]}
        for k, f in figs.items()
    }
    measure = "The share of children in care from ethnic minority backgrounds"
    if pct_hidden["previous"].get("All ages") and pct_hidden["current"].get("All ages"):
        out.append(narrative.say("children_in_care.not_shown", measure=measure))
    elif (
        pct_hidden["previous"].get("All ages") or pct_hidden["current"].get("All ages")
    ) and narrative.covers(when.needs):
        words = {
            k: NOT_SHOWN
            if pct_hidden[k].get("All ages")
            else with_relations(
                narrative.n_of_m(f["numerator"], f["denominator"], keys=f["keys"]), f["relations"]
            )
            for k, f in figs.items()
        }
        out.append(
            narrative.say(
                "children_in_care.compare_hidden",
                measure=measure,
                then=words["previous"],
                now=words["current"],
                previous=when[0],
                current=when[1],
            )
        )
    else:
        out.append(compare_share(narrative, measure, figs["previous"], figs["current"], when))
    bands = eth["current"].drop(index="All ages")
    bands = bands[[not pct_hidden["current"].get(b, True) for b in bands.index]]
    bands = bands[
        ~bands["ethnic_minority"].map(lambda n: is_small(n, narrative.config.small_number_threshold))
    ]
    if len(bands) and bands["pct"].notna().any():
        band = bands["pct"].idxmax()
        m_key, known_key, _, relations = eth_keys["current"][band]
        out.append(
            narrative.say(
                "children_in_care.minority_top",
                band=str(band).lower(),
                n_of_m=with_relations(
                    narrative.n_of_m(
                        int(bands.loc[band, "ethnic_minority"]),
                        int(bands.loc[band, "children"] - bands.loc[band, "not_recorded"]),
                        keys=(m_key, known_key),
                    ),
                    relations,
                ),
            )
        )
    not_recorded = int(eth["current"].loc["All ages", "not_recorded"])
    if not_recorded:
        _, _, none_key, relations = eth_keys["current"]["All ages"]
        out.append(
            narrative.say(
                "children_in_care.ethnicity_not_recorded",
                n=with_relations(count_words(narrative, not_recorded, key=none_key), relations),
            )
        )
    return out


def _ethnicity_keys(table: pd.DataFrame, label: str) -> dict[Any, tuple[Any, Any, Any, list[dict[str, int]]]]:
    """Per age band of ``ethnic_minority_table`` (indexed by band) in the year ``label``: the document keys
    of its ethnic minority count and of the share's base (the children with an ethnicity recorded: the
    share's ``numerator``/``denominator``), the key of the children with none recorded, and the relation
    children = recorded + not recorded over the Children cell's key, so a sentence printing the base
    or the not-recorded count holds them to the table's figures in the report's audit."""
    out = {}
    for band in table.index:
        pct = table.at[band, f"%, {label}"]
        children = table.at[band, f"Children, {label}"]
        m_key = getattr(pct, "numerator", None) or getattr(
            table.at[band, f"Ethnic minority, {label}"], "key", None
        )
        known_key = getattr(pct, "denominator", None)
        none_key = f"{known_key}:not recorded" if known_key else None
        n_key = getattr(children, "key", None)
        relations = [{n_key: 1, known_key: -1, none_key: -1}] if n_key and known_key and none_key else []
        out[band] = (m_key, known_key, none_key, relations)
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
        table = profile_table(tables, "legal_status", "Legal status", period, narrative.config)
        figs = share_keys(table, code, {k: _share_of(v, "legal_status", code) for k, v in tables.items()})
        out.append(
            compare_share(
                narrative,
                words,
                figs["previous"],
                figs["current"],
                date_phrases(period),
                table_hidden(table, code),
            )
        )
    return out


def ethnic_minority_chart(
    tables: dict[str, pd.DataFrame], period: Period, config: Config
) -> tuple[plt.Figure, str, pd.DataFrame]:
    """Paired bars: share from ethnic minority backgrounds per age band, a year ago and now; alt text; data.
    The bands are the table's: where the age table withholds its bands, only all ages is drawn."""
    data = ethnic_minority_table(tables, period, config)
    bands = [str(b) for b in data["Age band"]]
    values = {}
    # A share hidden in the published table (including secondary suppression) has no bar either.
    for k, label in zip(("previous", "current"), end_labels(period), strict=True):
        pct = tables[k].set_index("age_band")["pct"].reindex(bands)
        values[k] = [  # the published cell's status, not its text
            None if not shown.shown else v for v, shown in zip(pct, data[f"%, {label}"], strict=True)
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
    # all ages as the table prints it: its own figure (with its counts' keys), or why it is not given
    cell = dict(zip(bands, data[f"%, {labels[1]}"], strict=True)).get("All ages")
    if isinstance(cell, published.Figure) and cell.shown:
        whole = f"it was {cell} across all ages"
    elif isinstance(cell, published.Figure) and cell.hidden:
        whole = "the share across all ages is not shown, to protect small numbers"
    else:
        whole = "no share across all ages is available"
    alt = (
        f"Bar chart of the share of children in care from ethnic minority backgrounds by age band at "
        f"{labels[0]} and {labels[1]}. At {labels[1]} {whole}"
    )
    if shown:
        hi, lo = max(shown, key=shown.get), min(shown, key=shown.get)
        alt += f", highest for {hi.lower()} ({fmt_pct(shown[hi])}) and lowest for {lo.lower()} ({fmt_pct(shown[lo])})"
    return fig, alt + ".", data


# --- Shared by the care sections: two-year comparisons under the small-number rule -------------------
