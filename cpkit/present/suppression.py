"""Moved: the small-number rule lives in ``cpkit.present.disclosure`` (one home for disclosure control).

These names are re-exported for code written against the old module; new code imports from
``cpkit.present.disclosure``.
"""

from cpkit.present.disclosure import is_small, suppress_counts, suppress_pct, suppress_value

__all__ = ["is_small", "suppress_counts", "suppress_pct", "suppress_value"]
