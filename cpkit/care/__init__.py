"""Care indicators: pure functions from ``Data903`` to tidy tables (stock, flows, placements, outcomes)."""

from cpkit.care.adoption import adopted_children, adoption_timings
from cpkit.care.episodes import (
    care_episodes,
    ceased_in,
    cla_on,
    continuity_issues,
    in_care_on,
    periods_of_care,
    started_in,
)
from cpkit.care.flows import children_ceased, children_started, entries_by_category_of_need, exits_by_reason
from cpkit.care.health import health_outcomes, oc2_cohort, oc2_mismatches, sdq_bands
from cpkit.care.indicators import indicators, load_measures, write_indicators
from cpkit.care.leavers import care_leavers, leaver_outcomes, leavers_breakdown
from cpkit.care.location import (
    location_summary,
    new_placement_distances,
    placement_locations,
    postcode_lookup,
)
from cpkit.care.missing import missing_summary
from cpkit.care.movements import monthly_movements
from cpkit.care.placements import inhouse_comparison, inhouse_share, placement_mix
from cpkit.care.stability import (
    carer_since,
    carer_starts,
    long_term_stability,
    long_term_stability_children,
    placement_counts,
    placements,
    three_plus_placements,
)
from cpkit.care.stock import (
    children_on,
    ethnic_minority_by_age,
    stock_by_age,
    stock_by_category_of_need,
    stock_by_ethnicity,
    stock_by_legal_status,
    stock_by_sex,
    uasc_on,
)

__all__ = [
    "adopted_children",
    "adoption_timings",
    "care_episodes",
    "care_leavers",
    "carer_since",
    "carer_starts",
    "ceased_in",
    "children_ceased",
    "children_on",
    "children_started",
    "cla_on",
    "continuity_issues",
    "entries_by_category_of_need",
    "ethnic_minority_by_age",
    "exits_by_reason",
    "health_outcomes",
    "in_care_on",
    "indicators",
    "inhouse_comparison",
    "inhouse_share",
    "leaver_outcomes",
    "leavers_breakdown",
    "load_measures",
    "location_summary",
    "long_term_stability",
    "long_term_stability_children",
    "missing_summary",
    "monthly_movements",
    "new_placement_distances",
    "oc2_cohort",
    "oc2_mismatches",
    "periods_of_care",
    "placement_counts",
    "placement_locations",
    "placement_mix",
    "placements",
    "postcode_lookup",
    "sdq_bands",
    "started_in",
    "stock_by_age",
    "stock_by_category_of_need",
    "stock_by_ethnicity",
    "stock_by_legal_status",
    "stock_by_sex",
    "three_plus_placements",
    "uasc_on",
    "write_indicators",
]
