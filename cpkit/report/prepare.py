"""Before any section runs: read and check the council's data once, compute its figures once, and record
what was read.

Blocking data problems stop the run here, with a message saying how many and where, before nine
notebooks each fail on them. The figures table (``cpkit.figures``: every measure for the report year and
up to four earlier ones, own and published, with the judgement) is built here and cached beside the
SSDA903 tables, so every section reads the same numbers and none recomputes them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cpkit.config import IN_YEAR_KINDS, Config, Period
from cpkit.report.context import SSDA903_DIR


class DataProblem(RuntimeError):
    """The data has problems that stop the report (run ``cpkit check`` for the full list)."""


def prepare_data(
    data_dir: Path, cache_dir: Path, period: Period, config: Config
) -> tuple[Path, pd.DataFrame]:
    """Load, check and cache the SSDA903 tables and the figures table; return the cache folder and the
    SSDA903 files read (``Data903.sources``, from which the manifest lists those that gave a table)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    sources = pd.DataFrame(columns=["path", "table"])
    source = data_dir / SSDA903_DIR
    data = None
    if source.is_dir():
        from cpkit.report.cache import save_903
        from cpkit.ssda903 import check_903, load_903
        from cpkit.ssda903.checks import blocking, summarise
        from cpkit.ssda903.validator import add_dfe_findings

        data = load_903(source, la_code=[config.la_code, config.la_old_code])
        # the DfE's own validation rules on the report year's return (listed, not blocking)
        data = add_dfe_findings(data, [period.year], la_code=config.la_code)
        problems = check_903(data, year=period.year)
        if blocking(problems):
            counts = summarise(problems)
            errors = counts[counts["severity"] == "error"]
            listing = "\n".join(
                f"- {r.table}: {r.rule} ({r.count} row(s))" for r in errors.itertuples(index=False)
            )
            raise DataProblem(
                f"the SSDA903 data in {source} has problems that stop the report:\n{listing}\n"
                f"Run `cpkit check --data {data_dir} --year {period.year}` to see each row."
            )
        save_903(data, cache_dir / SSDA903_DIR)
        sources = data.sources
    if period.kind not in IN_YEAR_KINDS:  # the annual report's table; the quarter's page has its own measures
        from cpkit.figures import build_figures, save_figures

        save_figures(build_figures(data, period, config, data_dir), cache_dir)
    return cache_dir, sources
