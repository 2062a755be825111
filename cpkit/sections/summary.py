"""Section 9, the executive summary: about a page, written from the numbers (not from other sections).

It reuses the scorecard's figures (``cpkit.sections.scorecard.gather``) so the summary and the scorecard
can never disagree: the measures that moved most since last year, the best and worst against
statistical neighbours (published quartile and rank), the action plan position, and areas of focus
drawn from the worst measures, red targets and delayed actions.
"""

from __future__ import annotations

import pandas as pd

from cpkit.config import Config
from cpkit.present.narrative import Narrative, fmt_number
from cpkit.sections.scorecard import Scorecard, direction, fmt_value, rag, shown, visible

MOVES = 5
STANDING = 3
FOCUS = 6


def introduction(card: Scorecard, narrative: Narrative) -> str:
    """What the summary covers and, when they differ, which DfE year the published figures are for."""
    p = card.period
    text = f"This summary covers {p.long_label}, against {p.previous().label}."
    if card.bench_year and (p.kind == "calendar" or card.bench_year != p.year):
        text += " " + narrative.say(
            "scorecard.calendar_note",
            period=p.label,
            bench=f"the year ending 31 March {card.bench_year} ({card.bench_label})",
        )
    return text


def moves(card: Scorecard, config: Config, n: int = MOVES) -> pd.DataFrame:
    """The ``n`` headline figures with the largest relative change since last year (both years shown).

    Relative, so a count of hundreds and a percentage compare fairly; changes too small to see at the
    printed precision are left out.
    """
    rows = []
    for _, r in card.frame.iterrows():
        if not (visible(r, config) and visible(r, config, "previous_")) or r["previous_value"] == 0:
            continue
        way = direction(r["previous_value"], r["value"], r["polarity"], int(r["decimals"]))
        if way.startswith("No change"):
            continue
        rel = (r["value"] - r["previous_value"]) / abs(r["previous_value"])
        rows.append({**r.to_dict(), "relative": rel, "direction": way})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["size"] = out["relative"].abs()
    return out.sort_values("size", ascending=False, kind="stable").head(n).reset_index(drop=True)


def moves_table(top: pd.DataFrame, card: Scorecard, config: Config) -> pd.DataFrame:
    """The moves as published: last year, this year, change in per cent, direction of travel."""
    p = card.period
    return pd.DataFrame(
        {
            "Measure": top["label"].tolist(),
            p.previous().label: [shown(r, config, "previous_") for _, r in top.iterrows()],
            p.label: [shown(r, config) for _, r in top.iterrows()],
            "Relative change": [f"{100 * x:+.0f}%" for x in top["relative"]],
            "Direction of travel": top["direction"].tolist(),
        }
    )


def moves_sentences(top: pd.DataFrame, narrative: Narrative) -> list[str]:
    """ "Children in care with three or more placements fell, from 10% to 9% (an improvement)."."""
    out = []
    for _, r in top.iterrows():
        way = r["direction"].split()[0].lower()
        judgement = narrative.say(f"executive_summary.{way}") if way in ("better", "worse") else ""
        out.append(
            narrative.say(
                "executive_summary.moved",
                label=_sentence_label(r["label"]),
                change=narrative.change(r["previous_value"], r["value"]),
                then=shown(r, narrative.config, "previous_"),
                now=shown(r, narrative.config),
                judgement=judgement,
            )
        )
    return out


def _sentence_label(label: str) -> str:
    """Registry labels end "(%)"; a sentence says the share."""
    text = label.removesuffix(" (%)")
    return ("The share of " + text[:1].lower() + text[1:]) if label.endswith("(%)") else text


def standing(comparison: pd.DataFrame | None, n: int = STANDING) -> dict[str, pd.DataFrame]:
    """Best (quartile A) and worst (quartile D) published measures with a better direction, by rank."""
    empty = {"best": pd.DataFrame(), "worst": pd.DataFrame()}
    if comparison is None or comparison.empty:
        return empty
    from cpkit.care.indicators import load_measures

    known = set(load_measures()["indicator"])
    c = comparison[comparison["measure"].isin(known) & comparison["polarity"].isin(["high", "low"])]
    c = c[c["quartile"].notna() & (c["ranked"] > 0)].copy()
    c["position"] = c["rank"].astype(float) / c["ranked"]
    return {
        "best": c[c["quartile"] == "A"].sort_values("position", kind="stable").head(n),
        "worst": c[c["quartile"] == "D"].sort_values("position", ascending=False, kind="stable").head(n),
    }


def standing_sentences(found: dict[str, pd.DataFrame], narrative: Narrative) -> dict[str, list[str]]:
    """One sentence per best and worst measure, with rank, value and the neighbour average."""
    out: dict[str, list[str]] = {}
    for key, rows in found.items():
        out[key] = [
            narrative.say(
                f"executive_summary.{key}",
                label=r["label"].removesuffix(" (%)"),
                rank=int(r["rank"]),
                ranked=int(r["ranked"]),
                value=fmt_value(r["la_value"], r["unit"], 0 if float(r["la_value"]).is_integer() else 1),
                neighbours=fmt_value(r["neighbour_avg"], r["unit"], 1),
            )
            for _, r in rows.iterrows()
        ]
    return out


def action_position(plan: pd.DataFrame, narrative: Narrative) -> tuple[str, pd.DataFrame]:
    """ "The action plan has 40 actions: 12 complete, ...", and the priorities with delayed actions."""
    from cpkit.actions import summary

    table = summary(plan)
    total = table[table["priority_title"] == "All priorities"].iloc[0]
    text = narrative.say(
        "executive_summary.actions",
        total=fmt_number(total["total"]),
        complete=fmt_number(total["complete"]),
        in_progress=fmt_number(total["in progress"]),
        delayed=fmt_number(total["delayed"]),
        awaiting=fmt_number(total["awaiting start"]),
    )
    unread = int(total.get("status not recognised", 0))
    if unread:
        text += " " + narrative.say(
            "executive_summary.actions_unread", n=fmt_number(unread)
        )  # counts of actions
    per = table[(table["priority_title"] != "All priorities") & (table["delayed"] > 0)]
    return text, per


def focus(
    card: Scorecard,
    found: dict[str, pd.DataFrame],
    delayed: pd.DataFrame | None,
    narrative: Narrative,
    n: int = FOCUS,
) -> list[str]:
    """Areas of focus: bottom-quarter measures, red local targets, then priorities with delayed actions."""
    config = narrative.config
    items = []
    for _, r in found.get("worst", pd.DataFrame()).iterrows():
        items.append(
            narrative.say(
                "executive_summary.focus_measure",
                label=r["label"].removesuffix(" (%)"),
                value=fmt_value(r["la_value"], r["unit"], 0 if float(r["la_value"]).is_integer() else 1),
                england=fmt_value(r["england"], r["unit"], 0 if float(r["england"]).is_integer() else 1),
            )
        )
    for _, r in card.frame.iterrows():
        if (
            visible(r, config)
            and rag(r["value"], r["target"], r["polarity"], r["unit"], int(r["decimals"])) == "Red"
        ):
            items.append(
                narrative.say(
                    "executive_summary.focus_red",
                    label=r["label"],
                    value=shown(r, config),
                    target=fmt_value(r["target"], r["unit"], int(r["decimals"])),
                )
            )
    measures = items[: max(n - 2, 1)] if delayed is not None and len(delayed) else items[:n]
    actions = []
    if delayed is not None:
        for _, r in delayed.sort_values("delayed", ascending=False, kind="stable").iterrows():
            k = int(r["delayed"])
            actions.append(
                narrative.say(
                    "executive_summary.focus_priority",
                    priority=r["priority"],
                    title=r["priority_title"],
                    delayed=f"{k} action" + ("" if k == 1 else "s"),
                )
            )
    out = measures + actions[: n - len(measures)]
    return out or [narrative.say("executive_summary.no_focus")]
