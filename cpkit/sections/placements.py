"""Section 2, placements and sufficiency: placement types, in-house share, stability, distance from home.

Stock measures are taken at the end of the period and at the same day a year earlier; stability covers
the period and the one before (LAIT 372, 393), read from the run's figures table (``cpkit.figures``), as
are the DfE's published England and statistical-neighbour figures set beside the council's
(``Figures.benchmarks``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

import matplotlib.pyplot as plt
import pandas as pd

from cpkit.care import (
    inhouse_share,
    location_summary,
    placement_mix,
)
from cpkit.care.codes import (
    OTHER_PLACEMENTS,
    PLACEMENT_GROUP_IDS,
    SAME_CARER_RNE,
    TEMPORARY_PLACEMENTS,
    placement_groups,
)
from cpkit.care.episodes import SHORT_BREAK_LS
from cpkit.care.location import FAR, INSIDE, NEAR, NOT_KNOWN, OUTSIDE, unknown_postcode_sentence
from cpkit.care.location import location_figures as care_location_figures
from cpkit.care.placements import PARENTS_PLACE, PARENTS_PROVIDER
from cpkit.config import Config, Period
from cpkit.figures import Figures
from cpkit.figures.keys import row_keys
from cpkit.measures import Measure, code_span, measure, registry
from cpkit.present.disclosure import CLA, Ledger, shared_key
from cpkit.present.figure_text import lower_first
from cpkit.present.narrative import Narrative, fmt_pct
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.text import keyed_share, with_relations
from cpkit.sections.common import (
    NOT_SHOWN,
    Figure,
    breakdown_table,
    compare_share,
    date_phrases,
    day_label,
    end_labels,
    hidden,
    hidden_figure,
    largest_part,
    measure_keys,
    measure_table,
    paired_bar_chart,
    share_keys,
    share_text,
    table_hidden,
    year_phrases,
)
from cpkit.ssda903.codes import label
from cpkit.ssda903.model import Data903

log = logging.getLogger(__name__)
BENCHMARKS_DIR = "benchmarks"


# --- Placement types ------------------------------------------------------------------------------------


def mix(figures: Figures, period: Period, data: Data903) -> dict[str, pd.DataFrame]:
    """Children in care by DfE placement group at the end of the previous and this period.

    The groups' counts and shares are registry measures (``placed_*_pct``, LAIT 396-401), so they are
    read from the run's figures table (their numerators over the children in care) rather than worked out
    again. A year the figures table does not hold (the previous year of a council with one return: its
    31 March stock is known from the return, but the table only has years the returns cover) comes from
    ``cpkit.care.placement_mix``, the function the measures themselves are computed with.
    """
    return {
        key: _mix_at(figures, p, data) for key, p in (("previous", period.previous()), ("current", period))
    }


def _mix_at(figures: Figures, period: Period, data: Data903) -> pd.DataFrame:
    if not all(figures.has(m, period.year) for m in PLACEMENT_GROUP_IDS.values()):
        return placement_mix(data, period.end)[["placement_group", "children", "pct"]]
    counts = [int(figures.figure(m, period.year)["numerator"]) for m in PLACEMENT_GROUP_IDS.values()]
    total = sum(counts)
    return pd.DataFrame(
        {
            "placement_group": list(PLACEMENT_GROUP_IDS),
            "children": pd.Series(counts, dtype="int64"),
            "pct": [100.0 * c / total if total else float("nan") for c in counts],
        }
    )


def mix_note(measures: Iterable[Measure] | None = None) -> str:
    """What the placement-type table counts, written from the ``placed_*_pct`` measures' own codes (the
    list ``placement_mix`` groups by), so the note cannot say one grouping while the figures use another.

    ``measures``: a registry to read (default the kit's ``cpkit/measures.yaml``)."""
    by_id = {m.id: m for m in (registry() if measures is None else measures)}
    groups = placement_groups(measures)
    parts = []
    for name, mid in PLACEMENT_GROUP_IDS.items():
        lait = f" (LAIT {by_id[mid].lait})" if by_id[mid].lait else ""
        extra = " and any blank or unrecognised code" if name == OTHER_PLACEMENTS else ""
        parts.append(f"{lower_first(name)} {code_span(groups[name])}{extra}{lait}")
    return (
        "Placement groups as the DfE publishes them, by the PLACE code of the placement on the day: "
        + "; ".join(parts)
        + f". Short breaks ({code_span(SHORT_BREAK_LS)}) are not counted."
    )


def mix_table(tables: dict[str, pd.DataFrame], period: Period, config: Config) -> pd.DataFrame:
    table = breakdown_table(
        tables,
        "placement_group",
        None,
        end_labels(period),
        config,
        "Placement type",
        total_keys=(shared_key(CLA, period.previous().end), shared_key(CLA, period.end)),
        # each group's count is its placed_*_pct measure's numerator, whose share the scorecard and the
        # trends print: the same figure for the report's audit (cpkit.figures.keys)
        part_keys=tuple(
            {group: row_keys(m, "percent", p)[0] for group, m in PLACEMENT_GROUP_IDS.items()}
            for p in (period.previous(), period)
        ),
    )
    table.attrs["measures"] = list(PLACEMENT_GROUP_IDS.values())  # placed_*_pct: the block's measures
    return table


def _group_figure(frame: pd.DataFrame, group: str) -> Figure:
    f = frame.set_index("placement_group")
    den = int(f["children"].sum())
    num = int(f.loc[group, "children"]) if group in f.index else 0
    return {"numerator": num, "denominator": den, "pct": 100.0 * num / den if den else float("nan")}


def mix_sentences(tables: dict[str, pd.DataFrame], period: Period, narrative: Narrative) -> list[str]:
    """The largest placement type, and foster and children's home shares against a year earlier."""
    cur = tables["current"]
    total = int(cur["children"].sum())
    out = []
    table = mix_table(tables, period, narrative.config)
    if total:
        top = cur.sort_values("children", ascending=False, kind="stable").iloc[0]
        # the largest group under the table's keys; not named when the table hides its count
        largest = largest_part(narrative, table, top["placement_group"], int(top["children"]), total)
        if largest is not None:
            out.append(
                narrative.say(
                    "placements.mix_top",
                    date=day_label(period.end),
                    group=str(top["placement_group"]).lower(),
                    n_of_m=largest,
                )
            )
    for group, words in (
        ("Foster placements", "The share of children in care living in foster placements"),
        ("Secure homes and children's homes", "The share living in secure or children's homes"),
    ):
        # the counts are the placement-type table's (its Totals are cla@<day>): the same keys in the audit
        figs = share_keys(table, group, {k: _group_figure(v, group) for k, v in tables.items()})
        out.append(
            compare_share(
                narrative,
                words,
                figs["previous"],
                figs["current"],
                date_phrases(period),
                table_hidden(table, group),
            )
        )
    return out


def mix_chart(
    tables: dict[str, pd.DataFrame], period: Period, config: Config
) -> tuple[plt.Figure, str, pd.DataFrame] | None:
    """Paired bars of the share in each placement type a year ago and now; alt text; the chart's data.
    None when the table withholds the breakdown (``breakdown_table``): no bar or share can be shown."""
    data = mix_table(tables, period, config)
    if data.attrs.get("withheld"):
        return None
    rows = data[data["Placement type"] != "Total"]
    groups = rows["Placement type"].tolist()
    labels = end_labels(period)
    # Values hidden in the published table (including secondary suppression) have no bar either.
    values = {
        k: [
            None if not shown.shown else _group_figure(tables[k], g)["pct"]  # the cell's status
            for g, shown in zip(groups, rows[f"%, {label}"], strict=True)
        ]
        for k, label in zip(("previous", "current"), labels, strict=True)
    }
    fig = paired_bar_chart(
        groups,
        values["previous"],
        values["current"],
        labels,
        xlabel="Children in care (%)",
        title=f"Where children in care were living, {config.la_name}",
    )
    ranked = sorted(
        ((v, g) for g, v in zip(groups, values["current"], strict=True) if v is not None), reverse=True
    )
    parts = [f"{g.lower()} {fmt_pct(v)}" for v, g in ranked[:3]]
    alt = (
        f"Bar chart of the share of children in care in each type of placement at {labels[0]} and {labels[1]}. "
        f"At {labels[1]} the largest were " + ", ".join(parts) + "."
    )
    return fig, alt, data


# --- In-house share ------------------------------------------------------------------------------------


def inhouse(data: Data903, period: Period, config: Config) -> dict[str, pd.DataFrame]:
    """The in-house share by placement group at the start and end of this period and of the previous one.

    The start of a period is the end of the day before it (the end of the previous period).
    """
    prev = period.previous()
    days = {
        "previous_start": prev.start - timedelta(days=1),
        "start": period.start - timedelta(days=1),
        "end": period.end,
    }
    out = {k: inhouse_share(data, d, config) for k, d in days.items()}
    for k, d in days.items():
        out[k].attrs["day"] = d
        # children in care on the day, printed across the report: the share's base less this is the
        # count it leaves out (placed with parents), so the ledger protects it (``inhouse_ledger``)
        out[k].attrs["cla"] = int(placement_mix(data, d)["children"].sum())
    return out


def inhouse_note(config: Config) -> str:
    """What the in-house table counts, with the council's own settings: which providers are in-house
    (``inhouse_providers``, named from the SSDA903 code list) and the denominator ``inhouse_denominator``
    chose, in the words of ``cpkit.care.inhouse_share``, which computes it."""
    providers = "; ".join(f"{p}, {lower_first(label('PLACE_PROVIDER', p))}" for p in config.inhouse_providers)
    if config.inhouse_denominator == "excluding_parents":
        base = (
            "The share is of children in care on the day other than those placed with parents (PLACE "
            f"{code_span(PARENTS_PLACE)} or provider {PARENTS_PROVIDER}), to whom the DfE says a placement "
            "provider does not apply (as the council's settings choose); "
            "children with no provider recorded stay in it."
        )
    else:
        base = (
            "The share is of all children in care on the day, including those placed with parents and "
            "those with no provider recorded (as the council's settings choose)."
        )
    return f"In-house placement providers: {providers}. {base} A local measure, not published by the DfE."


def _total(frame: pd.DataFrame) -> Figure:
    row = frame.iloc[0]
    return {"numerator": int(row["inhouse"]), "denominator": int(row["children"]), "pct": float(row["pct"])}


def inhouse_sentences(
    tables: dict[str, pd.DataFrame],
    period: Period,
    narrative: Narrative,
    mix: dict[str, pd.DataFrame] | None = None,
) -> list[str]:
    """ "... moving from 42% at 31 March 2024 to 47% at 31 March 2025", and the same over the year before.

    A share whose in-house count the in-house table hides (``inhouse_table``, with ``mix``) is not
    given either."""
    published = mix_table(mix, period, narrative.config) if mix is not None else None
    ledger = inhouse_ledger({k: tables[k] for k in ("start", "end")}, narrative.config, published)
    in_table = {k: ledger.hidden((k, "inhouse", "All placements")) for k in ("start", "end")}
    # a base the ledger hides (it would give the children placed with parents back) is not printed
    base_hidden = {k: ledger.hidden((k, "children", "All placements")) for k in ("start", "end")}
    # the in-house count and its base under the in-house table's keys, for the report's audit (the day
    # before the previous period is in no table: its figures are unkeyed)
    keys = {
        k: (ledger.key_of((k, "inhouse", "All placements")), ledger.key_of((k, "children", "All placements")))
        for k in ("start", "end")
        if (k, "children", "All placements") in ledger.values
    }
    relations = ledger.relations()  # how they add up, for the same audit
    out = []
    for first, second, key in (
        ("start", "end", "inhouse_move"),
        ("previous_start", "start", "inhouse_before"),
    ):
        if not narrative.covers(pd.Timestamp(tables[first].attrs["day"]).date() + timedelta(days=1)):
            continue  # no return covers the earlier day: no movement is written from it
        a, b = _total(tables[first]), _total(tables[second])
        days = (day_label(tables[first].attrs["day"]), day_label(tables[second].attrs["day"]))
        t = narrative.config.small_number_threshold
        masked = (in_table.get(first, False), in_table.get(second, False))
        bases = (base_hidden.get(first, False), base_hidden.get(second, False))
        if hidden(a, t) or hidden(b, t) or any(masked) or any(bases):
            then, now = (
                NOT_SHOWN
                if base
                else with_relations(
                    narrative.n_of_m(
                        f["numerator"], f["denominator"], hidden=mask, keys=keys.get(day, (None, None))
                    ),
                    relations,
                )
                for f, base, mask, day in zip((a, b), bases, masked, (first, second), strict=True)
            )
            out.append(
                narrative.say("placements.inhouse_hidden", start=days[0], end=days[1], then=then, now=now)
            )
            continue
        out.append(
            narrative.say(
                f"placements.{key}",
                change=narrative.change(a["pct"], b["pct"], 0),
                start_pct=with_relations(
                    keyed_share(fmt_pct(a["pct"]), *keys.get(first, (None, None))), relations
                ),
                end_pct=keyed_share(fmt_pct(b["pct"]), *keys.get(second, (None, None))),
                start=days[0],
                end=days[1],
                previous=period.previous().label,
                n_of_m=narrative.n_of_m(
                    b["numerator"], b["denominator"], keys=keys.get(second, (None, None))
                ),
            )
        )
    return out


def inhouse_ledger(
    tables: dict[str, pd.DataFrame], config: Config, mix: pd.DataFrame | None = None
) -> Ledger:
    """The in-house table's figures protected together: per placement type and day, children and
    in-house add up to "All placements", and children - in-house (not in-house, never shown but easy to
    work out) is protected like any other count. ``mix`` (``mix_table``): the same children per type at
    the same two days, so a count hidden there is hidden here and one shown there stays shown."""
    ledger = Ledger(config)
    status = mix.attrs.get("hidden", {}) if mix is not None else {}
    for key, when in (("start", "previous"), ("end", "current")):
        frame = tables[key].set_index("placement_group")
        cla = tables[key].attrs.get("cla")
        for g in frame.index:
            if g == "All placements" and cla is not None and int(cla) != int(frame.at[g, "children"]):
                continue  # the share's base leaves out children placed with parents: not the mix's total
            group = "Total" if g == "All placements" else g
            if status.get((group, when)):
                ledger.hide((key, "children", g))
            elif (group, when) in status:
                ledger.keep((key, "children", g))
    for key in ("start", "end"):
        frame = tables[key].set_index("placement_group")
        for col in ("children", "inhouse", "other"):
            for g in frame.index:
                n = frame.at[g, "children"] - frame.at[g, "inhouse"] if col == "other" else frame.at[g, col]
                ledger.add((key, col, g), n, implicit=col == "other")
            ledger.total((key, col, "All placements"), [(key, col, g) for g in frame.index[1:]])
        for g in frame.index:
            ledger.relate({(key, "children", g): 1, (key, "inhouse", g): -1, (key, "other", g): -1})
        cla = tables[key].attrs.get("cla")
        if cla is not None and "All placements" in frame.index:
            # the base leaves out children placed with parents: children in care (shared, printed across
            # the report) less the base is that count, never shown but worked out at once
            left_out = int(cla) - int(frame.at["All placements", "children"])
            ledger.add((key, "cla"), int(cla), shared=shared_key(CLA, tables[key].attrs["day"]))
            ledger.add((key, "left out"), left_out, implicit=True)
            ledger.relate({(key, "cla"): 1, (key, "children", "All placements"): -1, (key, "left out"): -1})
    return ledger.resolve()


def inhouse_table(
    tables: dict[str, pd.DataFrame], config: Config, mix: dict[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Children and in-house placements per placement type at the start and end of the period.

    ``mix`` (``mix(data, period)``): the placement-type counts of the same two days, published in the
    section's first table; given, the two tables hide the same counts (``inhouse_ledger``), and where
    that table withholds its breakdown this one does too (its children per type are the same figures).
    """
    published = None
    if mix is not None:
        period = _period_of(tables)
        published = mix_table(mix, period, config) if period is not None else None
    if published is not None and published.attrs.get("withheld"):
        # the children per type are the placement-type table's, withheld there: withheld here too
        return pd.DataFrame({"Placement type": [published.attrs["withheld"]]})
    ledger = inhouse_ledger(tables, config, published)
    start, end = tables["start"], tables["end"]
    keep = (start["children"] > 0) | (end["children"] > 0)
    groups = start.loc[keep, "placement_group"].tolist()
    out: dict[str, list] = {"Placement type": groups}
    for key in ("start", "end"):
        frame = tables[key].set_index("placement_group")
        day = day_label(tables[key].attrs["day"])
        out[f"Children, {day}"] = [ledger.text((key, "children", g)) for g in groups]
        out[f"In-house, {day}"] = [ledger.text((key, "inhouse", g)) for g in groups]
        out[f"% in-house, {day}"] = [  # each names its two counts for the report's audit
            (
                hidden_figure(frame.at[g, "pct"])
                if ledger.hidden((key, "children", g)) or ledger.hidden((key, "inhouse", g))
                else share_text(
                    {
                        "numerator": frame.at[g, "inhouse"],
                        "denominator": frame.at[g, "children"],
                        "pct": frame.at[g, "pct"],
                    },
                    config,
                )
            ).with_counts(ledger.key_of((key, "inhouse", g)), ledger.key_of((key, "children", g)))
            for g in groups
        ]
    table = typed_frame(out)
    table.attrs["measures"] = ["inhouse_pct"]
    table.attrs["population"] = "children in care on the first and last day of the period, by placement type"
    return table


def _period_of(tables: dict[str, pd.DataFrame]) -> Period | None:
    """The report period the in-house tables were made for (their "end" day is the period's end)."""
    end = tables["end"].attrs.get("day")
    if end is None:
        return None
    for kind in ("financial", "calendar"):
        p = Period.from_year(end.year, kind)
        if p.end == end:
            return p
    return None


# --- Stability -----------------------------------------------------------------------------------------


def stability(figures: Figures, period: Period) -> dict[str, dict[str, Figure]]:
    """Three or more placements in the period (LAIT 372) and long-term stability (LAIT 393), both years,
    read from the run's figures table."""
    keys = ("placements_3plus_pct", "long_term_stability_pct")
    return {
        k: {m: figures.figure(m, p.year) for m in keys}
        for k, p in (("previous", period.previous()), ("current", period))
    }


STABILITY_MEASURES = ("placements_3plus_pct", "long_term_stability_pct")
STABILITY_LABELS = {
    k: f"{measure(k).label.removesuffix(' (%)')} (LAIT {measure(k).lait})" for k in STABILITY_MEASURES
}


def stability_note(config: Config) -> str:
    """Each stability measure's registry definition, and what the council's 3+ placements settings chose
    (``config.stability``: the choices the DfE leaves open)."""
    st = config.stability

    def counts(flag: bool) -> str:
        return "count" if flag else "do not count"

    parts = [f"LAIT {measure(k).lait}: {measure(k).definition}" for k in STABILITY_MEASURES]
    parts.append(
        f"In this report same-carer changes (RNE {code_span(SAME_CARER_RNE)}) "
        f"{counts(st.count_same_carer_changes)} as new placements for LAIT 372, and temporary moves (PLACE "
        f"{code_span(TEMPORARY_PLACEMENTS)}) {counts(st.count_temporary_moves)}. Short breaks "
        f"({code_span(SHORT_BREAK_LS)}) are not counted."
    )
    return " ".join(parts)


def stability_table(
    figs: dict[str, dict[str, Figure]], period: Period, config: Config, benchmarks: pd.DataFrame | None = None
) -> pd.DataFrame:
    rows = [
        (label, key, figs["previous"][key], figs["current"][key]) for key, label in STABILITY_LABELS.items()
    ]
    return measure_table(
        rows, (period.previous().label, period.label), config, benchmarks, periods=(period.previous(), period)
    )


def stability_sentences(
    figs: dict[str, dict[str, Figure]],
    period: Period,
    narrative: Narrative,
    benchmarks: pd.DataFrame | None = None,
) -> list[str]:
    out = []
    for key, words in (
        (
            "placements_3plus_pct",
            "The share of children in care with three or more placements during the year",
        ),
        (
            "long_term_stability_pct",
            "The share of children in care for two and a half years or more who had lived with the same carer for at least two years",
        ),
    ):
        # the counts under the stability table's keys (its "Number" and "Out of")
        both = measure_keys(figs["previous"][key], figs["current"][key], key, (period.previous(), period))
        out.append(compare_share(narrative, words, *both, year_phrases(period)))
        out.extend(benchmark_sentence(benchmarks, key, narrative))
    return out


def benchmark_sentence(benchmarks: pd.DataFrame | None, key: str, narrative: Narrative) -> list[str]:
    """ "England's figure for 2024-25 was 10%; the statistical neighbour average was 11%." (if published)."""
    if benchmarks is None or key not in benchmarks.index:
        return []
    row = benchmarks.loc[key]
    if pd.isna(row["england"]):  # no England figure: the neighbours' alone, or nothing (never "England ,")
        if pd.isna(row["neighbour_avg"]) or not row.get("neighbour_n"):
            return []
        return [
            narrative.say(
                "placements.neighbours_only",
                year=benchmarks.attrs["label"],
                neighbours=fmt_pct(row["neighbour_avg"]),
            )
        ]
    if pd.isna(row["neighbour_avg"]) or not row.get("neighbour_n"):
        return [
            narrative.say(
                "placements.england_only", year=benchmarks.attrs["label"], england=fmt_pct(row["england"])
            )
        ]
    return [
        narrative.say(
            "placements.benchmark",
            year=benchmarks.attrs["label"],
            england=fmt_pct(row["england"]),
            neighbours=fmt_pct(row["neighbour_avg"]),
        )
    ]


# --- Location ------------------------------------------------------------------------------------------


def location(
    data: Data903, period: Period, config: Config, lookup: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame] | str:
    """Children in care by boundary x distance band at the end of both periods, or why it cannot be shown."""
    eps = data.episodes
    if eps["HOME_POST"].isna().all() and eps["PL_POST"].isna().all():
        return "the SSDA903 episodes hold no home or placement postcodes"
    try:
        return {
            "previous": location_summary(data, period.previous().end, config, lookup),
            "current": location_summary(data, period.end, config, lookup),
        }
    except (ImportError, OSError) as exc:
        return f"the postcode directory could not be read ({exc})"


def location_note(config: Config) -> str:
    """What the location table and sentences count: the two measures' registry definitions and the
    council's districts (``la_district_codes``), which decide inside and outside."""
    districts = ", ".join(config.la_district_codes) or "none set"
    inside, far = measure("placed_inside_pct"), measure("placed_outside_over20_pct")
    return (
        f"{inside.label}: {inside.definition} {far.label} (LAIT {far.lait}): {far.definition} "
        f"The council's districts, as its settings name them: {districts}. Distance is in miles, one decimal, "
        "metres / 1000 / 1.6093 as the DfE converts. Not known: a postcode is blank or not in the directory."
    )


ROW_NAMES = {INSIDE: INSIDE, OUTSIDE: OUTSIDE, NOT_KNOWN: "Placement postcode not known"}
BAND_NAMES = {NEAR: NEAR, FAR: FAR, NOT_KNOWN: "Distance not known"}


def location_ledger(tables: dict[str, pd.DataFrame], config: Config) -> Ledger:
    """This year's boundary x distance counts protected together: each row adds up to its total, and the
    row totals to the number in care at the end of the period (published everywhere else, so kept)."""
    grid = tables["current"].pivot(index="boundary", columns="band", values="children")
    grid = grid.reindex(index=list(ROW_NAMES), columns=list(BAND_NAMES), fill_value=0).fillna(0)
    ledger = Ledger(config)
    for r in ROW_NAMES:
        for c in BAND_NAMES:
            ledger.add((r, c), int(grid.at[r, c]))
        ledger.add((r, "Total"), int(grid.loc[r].sum()))
        ledger.total((r, "Total"), [(r, c) for c in BAND_NAMES])
    ledger.add("all", int(grid.values.sum()))
    ledger.keep("all")
    ledger.total("all", [(r, "Total") for r in ROW_NAMES])
    return ledger.resolve()


def location_table(tables: dict[str, pd.DataFrame], period: Period, config: Config) -> pd.DataFrame:
    """Boundary (rows) x distance band (columns) with a total column, this year; small counts suppressed."""
    ledger = location_ledger(tables, config)
    out: dict[str, list] = {f"Where placed, {day_label(period.end)}": list(ROW_NAMES.values())}
    for c, name in BAND_NAMES.items():
        out[name] = [ledger.text((r, c)) for r in ROW_NAMES]
    out["Total"] = [ledger.text((r, "Total")) for r in ROW_NAMES]
    table = typed_frame(out)
    table.attrs["measures"] = ["placed_inside_pct", "placed_outside_over20_pct"]
    table.attrs["population"] = f"children in care at {day_label(period.end)}"
    return table


def location_figures(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, Figure]]:
    """Placed inside the boundary (of those whose placement is known), and outside and over 20 miles
    (LAIT 87, of all), both years: ``cpkit.care.location.location_figures``, the measures' own function."""
    return {k: care_location_figures(v) for k, v in tables.items()}


def location_sentences(tables: dict[str, pd.DataFrame], period: Period, narrative: Narrative) -> list[str]:
    """The inside-boundary share and LAIT 87, this year against last, and a warning when most placement
    postcodes are unknown.

    The inside share's denominator (children whose placement is known to be inside or outside) is the
    children in care less those not known; the children in care are published, so a year whose "not
    known" count the rule hides (the table's, or for last year the same ledger built on last year's
    counts) does not give that denominator: its share is "not shown" rather than "6 of 8", which would
    give the hidden count away."""
    figs = location_figures(tables)
    warning = unknown_postcode_sentence(tables["current"], day_label(period.end))
    ledger = location_ledger(tables, narrative.config)
    last_year = location_ledger({"current": tables["previous"]}, narrative.config)
    base_hidden = (last_year.hidden((NOT_KNOWN, "Total")), ledger.hidden((NOT_KNOWN, "Total")))
    masked = {
        "placed_inside_pct": (False, ledger.hidden((INSIDE, "Total"))),
        "placed_outside_over20_pct": (False, ledger.hidden((OUTSIDE, FAR))),
    }
    out = []
    for key, words in (
        ("placed_inside_pct", "The share of children in care placed inside the council's boundary"),
        (
            "placed_outside_over20_pct",
            "The share placed outside the boundary and more than 20 miles from home",
        ),
    ):
        previous, current = figs["previous"][key], figs["current"][key]
        current = _location_keys(ledger, key, current)  # this year's counts are the location table's
        if key == "placed_inside_pct" and any(base_hidden):
            out.append(
                _share_without_base(narrative, words, (previous, current), base_hidden, masked[key], period)
            )
            continue
        out.append(compare_share(narrative, words, previous, current, date_phrases(period), masked[key]))
    return out + ([warning] if warning else [])


def _location_keys(ledger: Ledger, measure_id: str, fig: Figure) -> Figure:
    """This year's share with the location table's keys for the counts it prints where the table holds
    the same figures (inside the boundary: its Total; outside and over 20 miles: that cell, of all the
    children in the table), and the table's relations, for the report's audit."""
    parts = {
        "placed_inside_pct": ((INSIDE, "Total"), None),
        "placed_outside_over20_pct": ((OUTSIDE, FAR), "all"),
    }
    keys = tuple(
        ledger.key_of(k)
        if k is not None and k in ledger.values and ledger.values[k] == float(fig[name])
        else None
        for k, name in zip(parts[measure_id], ("numerator", "denominator"), strict=True)
    )
    return {**fig, "keys": keys, "relations": ledger.relations()}  # type: ignore[dict-item]


def _share_without_base(
    narrative: Narrative,
    words: str,
    figs: tuple[Figure, Figure],
    base_hidden: tuple[bool, bool],
    masked: tuple[bool, bool],
    period: Period,
) -> str:
    """ "{words}: not shown ... at 31 March 2025, compared with 40 of 50 (80%) at 31 March 2024." for a
    share whose denominator one year may not give (see ``location_sentences``)."""
    if all(base_hidden):
        return narrative.say("children_in_care.not_shown", measure=words)
    then, now = (
        NOT_SHOWN
        if gone
        else with_relations(
            narrative.n_of_m(
                int(f["numerator"]),
                int(f["denominator"]),
                hidden=hide,
                keys=f.get("keys", (None, None)),  # type: ignore[arg-type]
            ),
            f.get("relations", ()),  # type: ignore[arg-type]
        )
        for f, gone, hide in zip(figs, base_hidden, masked, strict=True)
    )
    when = date_phrases(period)
    previous, current = when
    if not narrative.covers(when.needs):
        return narrative.no_previous(words, now, current, previous)
    return narrative.say(
        "children_in_care.compare_hidden",
        measure=words,
        then=then,
        now=now,
        previous=previous,
        current=current,
    )
