"""Care indicators: pure functions from ``Data903`` to tidy tables (stock, flows, placements, outcomes)."""

from cpkit.care.episodes import (
    care_episodes,
    ceased_in,
    cla_on,
    continuity_issues,
    in_care_on,
    periods_of_care,
    started_in,
)
from cpkit.care.movements import monthly_movements

__all__ = [
    "care_episodes",
    "ceased_in",
    "cla_on",
    "continuity_issues",
    "in_care_on",
    "monthly_movements",
    "periods_of_care",
    "started_in",
]
