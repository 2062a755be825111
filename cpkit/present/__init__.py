"""Presentation: how figures leave the kit for people. Charts with alt text, accessible tables,
small-number suppression and narrative sentences. Measures never import from here."""

from cpkit.present.charts import chart_style, show_chart
from cpkit.present.disclosure import Rule, rule_note, suppress_counts, suppress_value
from cpkit.present.markdown import show_commentary, show_markdown
from cpkit.present.narrative import Narrative, change_phrase, fmt_count, fmt_number, fmt_pct, n_of_m
from cpkit.present.tables import show_appendix, show_table, table_html

__all__ = [
    "Narrative",
    "Rule",
    "change_phrase",
    "chart_style",
    "fmt_count",
    "fmt_number",
    "fmt_pct",
    "n_of_m",
    "rule_note",
    "show_appendix",
    "show_chart",
    "show_commentary",
    "show_markdown",
    "show_table",
    "suppress_counts",
    "suppress_value",
    "table_html",
]
