"""The run's figures table: every measure computed once, read by every section.

``build_figures`` computes it (own figures from the SSDA903 returns, the DfE's published figures, the
judgement), ``save_figures``/``load_figures`` keep it with the run's cache, and ``Figures`` is what sections
read: ``figures.get(measure, year)``, ``figures.series(measure)``, ``figures.year()``.
"""

from cpkit.figures.build import build_figures, report_years
from cpkit.figures.columns import COLUMNS
from cpkit.figures.table import FIGURES_FILE, Figures, load_figures, save_figures

__all__ = [
    "COLUMNS",
    "FIGURES_FILE",
    "Figures",
    "build_figures",
    "load_figures",
    "report_years",
    "save_figures",
]
