"""Section 9, the executive summary: about a page, written from the numbers (not from other sections).

It reads the same headline frame as the scorecard (``cpkit.figures.headline``, itself read from the run's
figures table), so the summary and the scorecard can never disagree: the measures that moved most since
last year, those better and worse than both England and statistical neighbours (with their rank on the
DfE's published figures, labelled as such), the action plan position, and areas of focus drawn from the
worst measures, red targets and delayed actions. A council figure printed here is its own figure, and
where the DfE published a different one both are given with their sources.
"""

from __future__ import annotations

import pandas as pd

from cpkit.actions.as_at import Position
from cpkit.figures.headline import SSDA903, Headline
from cpkit.present import comparators
from cpkit.present.figure_text import (
    PERIOD_COVERED,
    fmt_value,
    labelled,
    period_covered,
    rank_phrase,
    said,
    shown,
    visible,
)
from cpkit.present.judgement import printed_change
from cpkit.present.narrative import Narrative, fmt_number
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.figure import Figure

MOVES = 5
STANDING = 3
FOCUS = 6


def introduction(card: Headline, narrative: Narrative) -> str:
    """What the summary covers and, when they differ, which DfE year the published figures are for."""
    p = card.period
    text = f"This summary covers {p.long_label}, against {p.previous().label}."
    if card.bench_differs:
        text += " " + narrative.say(
            "scorecard.calendar_note",
            period=p.label,
            bench=f"the year ending 31 March {card.bench_year} ({card.bench_label})",
        )
    return text


def moves(card: Headline, config, n: int = MOVES) -> pd.DataFrame:
    """The ``n`` headline figures with the largest relative change since last year (both years shown).

    Relative, so a count of hundreds and a percentage compare fairly; changes the judgement rule calls
    "about the same" (``cpkit.present.judgement``) are left out.
    """
    rows = []
    for _, r in card.frame.iterrows():
        if not (visible(r, config) and visible(r, config, "previous_")) or r["previous_value"] == 0:
            continue
        if r["change_kind"] in ("", "stable"):
            continue
        rel = (r["value"] - r["previous_value"]) / abs(r["previous_value"])
        rows.append({**r.to_dict(), "relative": rel})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["size"] = out["relative"].abs()
    top = out.sort_values("size", ascending=False, kind="stable").head(n).reset_index(drop=True)
    top.attrs["total"] = len(out)  # how many moved: the summary says when it shows only some
    return top


def moves_more(top: pd.DataFrame) -> str:
    """ " The 5 largest of the 12 changes are shown; the scorecard has every measure." or "" when all are."""
    total = int(top.attrs.get("total", len(top)))
    if total <= len(top):
        return ""
    return f" The {len(top)} largest of the {total} changes are shown; the scorecard has every measure."


def moves_table(top: pd.DataFrame, card: Headline, config) -> pd.DataFrame:
    """The moves as published: last year, this year, change in per cent, direction of travel; one value a
    cell, a local measure's period (where not the column's year) in "Period covered", there only when some
    row fills it."""
    p = card.period
    labels = (p.previous().label, p.label)
    table = typed_frame(
        {
            "Measure": top["label"].tolist(),
            labels[0]: [shown(r, config, "previous_", period=False) for _, r in top.iterrows()],
            labels[1]: [shown(r, config, period=False) for _, r in top.iterrows()],
            PERIOD_COVERED: [period_covered(r, labels) for _, r in top.iterrows()],
            "Relative change": [
                Figure(f"{printed_change(100 * x)}%", 100 * x, "percent", 0) for x in top["relative"]
            ],
            "Direction of travel": top["direction_label"].tolist(),
        }
    )
    return table if table[PERIOD_COVERED].astype(bool).any() else table.drop(columns=PERIOD_COVERED)


def moves_sentences(top: pd.DataFrame, narrative: Narrative) -> list[str]:
    """ "The share of ... fell, from 10% to 9% (an improvement)."; the change word from the judgement."""
    out = []
    for _, r in top.iterrows():
        way = r["direction"]
        judgement = narrative.say(f"executive_summary.{way}") if way in ("better", "worse") else ""
        out.append(
            narrative.say(
                "executive_summary.moved",
                label=_sentence_label(r["label"]),
                change=narrative.templates["change"][r["change_kind"]],
                then=said(r, narrative.config, "previous_"),
                now=said(r, narrative.config),
                judgement=judgement,
            )
        )
    return out


def _sentence_label(label: str) -> str:
    """Registry labels end "(%)"; a sentence says the share."""
    text = label.removesuffix(" (%)")
    return ("The share of " + text[:1].lower() + text[1:]) if label.endswith("(%)") else text


def standing(card: Headline, config, n: int = STANDING) -> dict[str, pd.DataFrame]:
    """Measures better (``best``) and worse (``worst``) than every published comparator they have.

    From the figures' judgement through ``cpkit.present.comparators.standing``: "better" is better than
    England and the statistical neighbours where both are published, or than the one that is (the
    ``against`` column says which). SSDA903 measures with a better direction whose figure can be printed;
    ordered by their rank on the published figures where ranked; the first ``n`` of each, with how many
    there were in ``attrs["total"]`` (the summary says when it shows only some).
    """
    f = card.frame
    if f.empty:
        return {"best": f, "worst": f}
    keep = (f["source"] == SSDA903) & f["polarity"].isin(["high", "low"])
    rows = f[keep].copy()
    rows = rows[[visible(r, config) for _, r in rows.iterrows()]]
    found = [comparators.standing(r) for _, r in rows.iterrows()]
    rows["standing"] = [s.verdict for s in found]
    rows["against"] = [s.against for s in found]
    ranked = pd.to_numeric(rows["ranked"], errors="coerce")
    rank = pd.to_numeric(rows["rank"].astype(object).where(rows["rank"].notna(), None), errors="coerce")
    rows["position"] = rank / ranked.where(ranked > 0)
    out = {}
    for key, verdict, ascending in (("best", "better", True), ("worst", "worse", False)):
        group = rows[rows["standing"] == verdict].sort_values("position", ascending=ascending, kind="stable")
        out[key] = group.head(n).copy()
        out[key].attrs["total"] = len(group)
    return out


def standing_sentences(
    found: dict[str, pd.DataFrame], card: Headline, narrative: Narrative
) -> dict[str, list[str]]:
    """One sentence per best and worst measure: the council's figure (labelled if the published one
    differs), the published comparators that have a figure, and the rank on the published figures."""
    config = narrative.config
    out: dict[str, list[str]] = {}
    for key, rows in found.items():
        out[key] = []
        for _, r in rows.iterrows():
            rank = rank_phrase(r, card.bench_label)
            out[key].append(
                narrative.say(
                    f"executive_summary.{key}",
                    label=r["label"].removesuffix(" (%)"),
                    value=labelled(r, config)
                    if card.bench_year and not card.bench_differs
                    else said(r, config),
                    comparators=comparators.figures_clause(r),
                    rank=f"; {rank}" if rank else "",
                )
            )
    return out


_HEADINGS = {
    ("better", True): "Better than both England and the statistical neighbour average:",
    ("worse", True): "Worse than both England and the statistical neighbour average:",
}


def standing_text(found: dict[str, pd.DataFrame], card: Headline, narrative: Narrative) -> str:
    """The "against England and neighbours" part of the summary, as Markdown: a list per verdict and per
    set of comparators judged (a measure with no England figure is "better than the statistical neighbour
    average", never "better than both"), what is missing said once, and how many more the scorecard has."""
    lines = standing_sentences(found, card, narrative)
    parts = []
    for key, verdict in (("best", "better"), ("worst", "worse")):
        rows = found.get(key)
        if rows is None or rows.empty:
            continue
        groups: dict[tuple[str, ...], list[str]] = {}
        for against, line in zip(rows["against"], lines[key], strict=True):
            groups.setdefault(tuple(against), []).append(line)
        for against, items in groups.items():
            both = against == (comparators.ENGLAND, comparators.NEIGHBOURS)
            heading = _HEADINGS.get((verdict, both)) or (
                f"{verdict.capitalize()} than {_one_comparator(against)}:"
            )
            parts.append(heading + "\n\n" + "\n".join(f"- {s}" for s in items))
        more = int(rows.attrs.get("total", len(rows))) - len(rows)
        if more > 0:
            parts.append(narrative.say("executive_summary.more", n=more, where="the scorecard"))
    note = comparators.missing_note(card.frame, card.bench_label)
    if not parts:
        available = _available(card)
        if not available:
            return (
                "No England or statistical neighbour figures for the year were supplied, so no measure is "
                f"compared with them. {' '.join([n for n in card.notes if 'DfE' in n][:1])}"
            ).strip()
        text = f"No headline measure is better or worse than {comparators.against_words(available)}."
        return f"{text} {note}".strip()
    if card.bench_year:
        parts.append(
            f"England, neighbour and rank figures are the DfE's published figures for the year ending 31 March "
            f"{card.bench_year}; rank 1 is the best. {note}".strip()
        )
    return "\n\n".join(parts)


def _one_comparator(against: tuple[str, ...]) -> str:
    if against == (comparators.ENGLAND,):
        return "England (no statistical neighbour figure is published for them)"
    return "the statistical neighbour average (no England figure is published for them)"


def _available(card: Headline) -> tuple[str, ...]:
    """The comparators with a published figure for at least one of the card's measures."""
    f = card.frame
    found = []
    if any(comparators.has_england(r) for _, r in f.iterrows()):
        found.append(comparators.ENGLAND)
    if any(comparators.has_neighbours(r) for _, r in f.iterrows()):
        found.append(comparators.NEIGHBOURS)
    return tuple(found)


def action_position(
    plan: pd.DataFrame, narrative: Narrative, position: Position | None = None
) -> tuple[str, pd.DataFrame]:
    """ "The action plan has 40 actions: 12 complete, ...", and the priorities with delayed actions.

    With ``position`` (``cpkit.actions.as_at.position``), the plan counted is the one it gives (as at the
    period end where the tracker's dates allow) and, when that is not plainly the period end's plan, the
    sentence saying what it is follows: today's plan, or one rebuilt from dated updates.

    Its counts are of actions, not children: they name no child and no document key (a number printed
    by ``fmt_number``, unit "number", which the report's audit leaves aside), so "3 delayed" is printed
    as it is, never suppressed.
    """
    from cpkit.actions import summary
    from cpkit.actions.summary import UNKNOWN_THEN

    if position is not None:
        plan = position.plan
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
    then = int(total.get(UNKNOWN_THEN, 0))
    if then:
        text += f" For {fmt_number(then)} {'action' if then == 1 else 'actions'}, the tracker does not record the status then."
    if position is not None and position.sentence and (not position.as_at_end or position.left_out or then):
        text += " " + position.sentence
    unread = int(total.get("status not recognised", 0))
    if unread:
        text += " " + narrative.say(
            "executive_summary.actions_unread", n=fmt_number(unread)
        )  # counts of actions
    per = table[(table["priority_title"] != "All priorities") & (table["delayed"] > 0)]
    return text, per


def focus(
    card: Headline,
    found: dict[str, pd.DataFrame],
    delayed: pd.DataFrame | None,
    narrative: Narrative,
    n: int = FOCUS,
) -> list[str]:
    """Areas of focus: measures worse than England and neighbours (or the one with a figure), red targets,
    then delayed priorities; the first ``n``, and how many more there are when that is not all."""
    config = narrative.config
    items = []
    for _, r in found.get("worst", pd.DataFrame()).iterrows():
        items.append(
            narrative.say(
                "executive_summary.focus_measure",
                label=r["label"].removesuffix(" (%)"),
                against=comparators.standing(r).words,
                value=said(r, config),
                comparators=comparators.figures_clause(r),
            )
            + _why(card, r)
        )
    for _, r in card.frame.iterrows():
        if visible(r, config) and r["rag"] == "Red":
            items.append(
                narrative.say(
                    "executive_summary.focus_red",
                    label=r["label"],
                    value=said(r, config),
                    target=fmt_value(r["target"], r["unit"], int(r["decimals"])),
                )
                + _why(card, r)
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
    worst = found.get("worst")
    more = len(items) + len(actions) - len(out)
    if worst is not None and "total" in worst.attrs:
        more += int(worst.attrs["total"]) - len(worst)
    if more > 0:
        out.append(narrative.say("executive_summary.more", n=more, where="the scorecard and the action plan"))
    if out:
        return out
    available = _available(card)
    if not available:
        return [narrative.say("executive_summary.no_focus_unpublished")]
    return [narrative.say("executive_summary.no_focus", against=comparators.against_words(available))]


def _why(card: Headline, row: pd.Series) -> str:
    """Where this figure's verdict is the opposite of the same thing's other figure (a local KPI and the
    SSDA903 measure, ``cpkit.figures.headline.contrasts``), the sentence saying why, after a space."""
    key = row["indicator"]
    side = "local" if row["source"] != SSDA903 else "measure"
    texts = [c.text for c in card.contrasts if getattr(c, side) == key]
    return "".join(" " + t for t in texts)
