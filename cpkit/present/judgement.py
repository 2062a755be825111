"""One rule for judging a figure, used by every part of the report.

Three judgements are made about a council's figures, and before this module each section made them its own
way, so one document could call the same change "stayed about the same" in one place and "Better" in
another. Here they are made once, by one rule, with the thresholds as settings:

- **Direction of travel** (``direction``): this year against last. Both figures are first rounded to the
  precision the report prints them at (``decimals``), so a change the reader cannot see is "About the same".
  A change smaller than ``stable`` (relative to last year's figure) is also "About the same"; up to
  ``slight`` it is a slight rise or fall; beyond, a rise or fall. Whether a rise is better or worse follows
  the measure's polarity (``high``: higher is better, ``low``: lower is better, ``neutral``: neither, so
  the words are "Higher" and "Lower").
- **Against target** (``rag``): Green when the printed figure meets the target (at or above it for ``high``,
  at or below for ``low``); Amber when it is short by no more than ``amber_points`` percentage points (for
  percentages and scores) or ``amber_share`` of the target (for counts, rates, days...); Red beyond that. No
  RAG without a target, or for a neutral measure (a target there is a planning figure, not a standard).
- **Against England or neighbours** (``versus``): the council's figure is rounded to the precision the
  comparator was published at (the one precision rule: compare at published precision), then "similar"
  when within ``similar_points`` points (percentages and scores) or ``similar_share`` of the comparator,
  else "better"/"worse" by polarity ("higher"/"lower" for neutral measures).

``differs_from_published`` applies the same precision rule to the council's own figure against the one
the DfE published for it. The thresholds come from the settings (``Config.narrative`` for stable/slight,
``Config.judgement`` for the rest), through ``Thresholds.from_config``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cpkit.publish.figure import Figure, at_precision

# Units whose gaps are judged in points (percentage points, score points); the rest as a share of the target.
POINT_UNITS = frozenset({"percent", "score"})
# The precision the report prints (and the DfE publishes) each unit at, when the measure does not say.
DECIMALS = {"percent": 0, "rate_per_10k": 0, "number": 0, "days": 0, "score": 1, "miles": 1}
ARROW = {"up": "\u2191", "down": "\u2193", "same": "\u2192"}
_EPS = 1e-9

GREEN, AMBER, RED = "Green", "Amber", "Red"
BETTER, WORSE, SIMILAR, HIGHER, LOWER = "better", "worse", "similar", "higher", "lower"


@dataclass(frozen=True)
class Thresholds:
    """The judgement settings (see the module docstring); defaults as in ``cpkit.config``."""

    stable: float = 0.01
    slight: float = 0.05
    amber_points: float = 5.0
    amber_share: float = 0.05
    similar_points: float = 1.0
    similar_share: float = 0.02

    @classmethod
    def from_config(cls, config: Any | None) -> Thresholds:
        """From a ``Config`` (its ``narrative`` and ``judgement`` settings); defaults without one."""
        if config is None:
            return cls()
        narrative = getattr(config, "narrative", None)
        judgement = getattr(config, "judgement", None)
        values: dict[str, float] = {}
        if narrative is not None:
            values.update(stable=narrative.stable, slight=narrative.slight)
        if judgement is not None:
            values.update(
                amber_points=judgement.amber_points,
                amber_share=judgement.amber_share,
                similar_points=judgement.similar_points,
                similar_share=judgement.similar_share,
            )
        return cls(**values)


def _missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def decimals_for(unit: str, decimals: int | None = None) -> int:
    """The precision a figure is printed at: the measure's own ``decimals`` if given, else by unit."""
    if decimals is not None and not _missing(decimals):
        return int(decimals)
    return DECIMALS.get(unit, 1)


def published_decimals(value: float) -> int:
    """Decimal places the DfE published a figure to (whole numbers, or one place like 20.4)."""
    return 0 if float(value).is_integer() else 1


def printed(value: float, decimals: int = 0, unit: str = "number") -> Figure:
    """``value`` as the report prints it: rounded by ``at_precision`` (half away from zero, the rule the
    judgements compare by, so "84.5%" is printed 85% and judged as 85), with thousands separated ("1,235")
    and no negative zero. Every figure the kit prints goes through here (``fmt_number``, ``fmt_pct``,
    the disclosure rule's texts), so a printed figure and its judgement never disagree at an exact half.
    A ``Figure`` (``cpkit.publish.figure``): the text, and the value in ``unit`` for the writers."""
    return Figure(f"{at_precision(value, decimals) + 0.0:,.{decimals}f}", value, unit, decimals)


def printed_change(value: float, decimals: int = 0, unit: str = "number") -> Figure:
    """A change as printed, with its sign ("+1.5", "-3", "+0"), rounded as ``printed`` (a ``Figure``;
    ``unit`` "points" for a change between percentages)."""
    return Figure(f"{at_precision(value, decimals) + 0.0:+,.{decimals}f}", value, unit, decimals)


# --- Direction of travel -------------------------------------------------------------------------------


def change_kind(previous: float, current: float, decimals: int, thresholds: Thresholds = Thresholds()) -> str:
    """ "stable", "slight_rise", "rise", "slight_fall" or "fall" ("" when either figure is missing)."""
    if _missing(previous) or _missing(current):
        return ""
    old, new = at_precision(previous, decimals), at_precision(current, decimals)
    if abs(new - old) < _EPS:
        return "stable"
    if old == 0:
        return "rise" if new > 0 else "fall"
    rel = (new - old) / abs(old)
    if abs(rel) < thresholds.stable:
        return "stable"
    size = "slight_" if abs(rel) <= thresholds.slight + _EPS else ""
    return f"{size}{'rise' if rel > 0 else 'fall'}"


@dataclass(frozen=True)
class Direction:
    """A direction of travel: ``kind`` from ``change_kind``, ``verdict`` better/worse/higher/lower/same."""

    kind: str
    verdict: str

    @property
    def label(self) -> str:
        """ "Better ↑", "Worse ↓", "Higher ↑", "Lower ↓", "About the same →", or "" when unknown."""
        if not self.kind:
            return ""
        if self.verdict == "same":
            return f"About the same {ARROW['same']}"
        arrow = ARROW["up" if self.kind.endswith("rise") else "down"]
        return f"{self.verdict.capitalize()} {arrow}"

    @property
    def known(self) -> bool:
        return bool(self.kind)


def direction(
    previous: float,
    current: float,
    polarity: str,
    decimals: int = 0,
    thresholds: Thresholds = Thresholds(),
) -> Direction:
    """This year against last, by polarity, at the printed precision (see the module docstring)."""
    kind = change_kind(previous, current, decimals, thresholds)
    if not kind:
        return Direction("", "")
    if kind == "stable":
        return Direction(kind, "same")
    rose = kind.endswith("rise")
    if polarity == "high":
        verdict = BETTER if rose else WORSE
    elif polarity == "low":
        verdict = WORSE if rose else BETTER
    else:
        verdict = HIGHER if rose else LOWER
    return Direction(kind, verdict)


# --- Against target --------------------------------------------------------------------------------------


def rag(
    value: float,
    target: float,
    polarity: str,
    unit: str,
    decimals: int | None = None,
    thresholds: Thresholds = Thresholds(),
) -> str:
    """ "Green", "Amber", "Red", or "" when no RAG applies (see the module docstring)."""
    if _missing(value) or _missing(target) or polarity not in ("high", "low"):
        return ""
    shown = at_precision(value, decimals_for(unit, decimals))
    shortfall = (float(target) - shown) * (1 if polarity == "high" else -1)
    if shortfall <= _EPS:
        return GREEN
    margin = thresholds.amber_points if unit in POINT_UNITS else thresholds.amber_share * abs(float(target))
    return AMBER if shortfall <= margin + _EPS else RED


def amber_words(thresholds: Thresholds = Thresholds()) -> str:
    """How Amber is defined, for table notes: "up to 5 percentage points (or 5% of the target ...)"."""
    return (
        f"up to {thresholds.amber_points:g} percentage points (or score points) short of the target, or "
        f"{thresholds.amber_share:.0%} of the target for counts, rates and days"
    )


# --- Against England and neighbours ----------------------------------------------------------------------


def versus(
    value: float,
    comparator: float,
    polarity: str,
    unit: str,
    thresholds: Thresholds = Thresholds(),
) -> str:
    """ "better", "worse", "similar" (or "higher"/"lower" for neutral measures); "" if either is missing.

    The council's figure is rounded to the precision the comparator was published at first.
    """
    if _missing(value) or _missing(comparator):
        return ""
    comparator = float(comparator)
    own = at_precision(value, max(published_decimals(comparator), 0))
    diff = own - comparator
    close = thresholds.similar_points if unit in POINT_UNITS else thresholds.similar_share * abs(comparator)
    if abs(diff) <= close + _EPS:
        return SIMILAR
    if polarity == "high":
        return BETTER if diff > 0 else WORSE
    if polarity == "low":
        return WORSE if diff > 0 else BETTER
    return HIGHER if diff > 0 else LOWER


def standing(england: str, neighbours: str) -> str:
    """Two ``versus`` verdicts in one: "better" or "worse" than every comparator judged, "mixed", or "" with
    nothing to judge. With one verdict ("" for the other: no figure) it is that comparator's alone, so a
    sentence must name which: ``cpkit.present.comparators.standing`` does, and every sentence goes through it.

    Only better/worse/similar count (a neutral measure has no standing).
    """
    known = [x for x in (england, neighbours) if x in (BETTER, WORSE, SIMILAR)]
    if not known:
        return ""
    if all(x == BETTER for x in known):
        return BETTER
    if all(x == WORSE for x in known):
        return WORSE
    return "mixed"


def differs_from_published(own: float, published: float) -> bool:
    """True when the council's own figure, rounded as the DfE rounded the published one, is not it."""
    if _missing(own) or _missing(published):
        return False
    d = published_decimals(published)
    return abs(at_precision(own, d) - float(published)) > _EPS
