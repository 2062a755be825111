"""What a section notebook needs, from its parameters: settings, period, data, narrative.

Every section notebook starts with ``ctx = open_section(...)`` on its parameters, so the notebooks hold no
set-up logic and an analyst running one by hand in JupyterLab gets the same result as the runner (which
passes a cache of the cleaned tables, the figures table and the settings read once, so ten sections do not
parse the same files ten times: ``cpkit.report.settings_cache``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from cpkit.config import Config, Period
from cpkit.errors import InputError
from cpkit.present.narrative import Narrative
from cpkit.ssda903.model import Data903

if TYPE_CHECKING:
    import pandas as pd

    from cpkit.figures import Figures

SSDA903_DIR = "ssda903"


@dataclass
class SectionContext:
    """Settings, period and (lazily) the council's cleaned data for one section run."""

    section: str
    config: Config
    period: Period
    data_dir: Path
    cache_dir: Path | None = None
    # The templates in force: the run's reading (``cpkit.report.settings_cache``), else read here.
    narrative: Narrative = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.narrative is None:
            self.narrative = Narrative.for_data(self.data_dir, self.config)

    @cached_property
    def data(self) -> Data903:
        """The cleaned SSDA903 tables: from the run's cache when there is one, else read from the data folder."""
        if self.cache_dir is not None and (self.cache_dir / SSDA903_DIR).is_dir():
            from cpkit.report.cache import read_903

            data = read_903(self.cache_dir / SSDA903_DIR)
        else:
            from cpkit.ssda903 import Council, load_903

            data = load_903(self.data_dir / SSDA903_DIR, council=Council.from_config(self.config))
        self._mark_coverage(data)
        return data

    def _mark_coverage(self, data: Data903) -> None:
        """Tell the narrative the first day the returns cover, so no sentence compares with a year before
        it (``Narrative.covers``)."""
        from cpkit.care.history import coverage_start

        first = coverage_start(data)
        self.narrative.first_day = first.date() if first is not None else None

    @cached_property
    def figures(self) -> Figures:
        """The run's figures table (``cpkit.figures``): from the cache the prepare step wrote, or, for a
        notebook run by hand without one, built here from the data folder."""
        from cpkit.figures import build_figures, load_figures

        found = load_figures(self.cache_dir) if self.cache_dir is not None else None
        if found is None:
            has_903 = (self.cache_dir is not None and (self.cache_dir / SSDA903_DIR).is_dir()) or (
                self.data_dir / SSDA903_DIR
            ).is_dir()
            found = build_figures(self.data if has_903 else None, self.period, self.config, self.data_dir)
        first = found.meta.get("first_day")
        if self.narrative.first_day is None and first:
            self.narrative.first_day = date.fromisoformat(first)
        return found

    @cached_property
    def postcodes(self) -> pd.DataFrame | None:
        """The postcode directory's rows for the returns' postcodes, looked up once by the prepare step
        (``cpkit.report.cache.save_postcodes``); ``None`` without a cache (a section then looks them up)."""
        from cpkit.report.cache import read_postcodes

        return read_postcodes(self.cache_dir)

    def file(self, setting: str | None, default: str) -> Path:
        """A council file named in config (relative to the data folder) or its default name."""
        return self.config.path_in(self.data_dir, setting, default)

    def show_commentary(self) -> bool:
        """The analyst's commentary for this section and year, in a marked box, if any."""
        from cpkit.present.markdown import show_commentary

        return show_commentary(self.data_dir, self.period.year, self.section)


def open_section(
    section: str,
    *,
    year: int,
    period: str,
    data_dir: str = "",
    la_name: str = "",
    la_code: str = "",
    config_file: str = "",
    cache_dir: str = "",
    quarter: int = 0,
) -> SectionContext:
    """Build the context from a notebook's parameters.

    A blank ``data_dir`` (every notebook's default) is the shipped sample, wherever the kit is (a checkout
    or an installed wheel: ``cpkit.resources``), so a notebook runs as it stands from JupyterLab, from
    papermill in any folder (``papermill notebooks/01_children_in_care.ipynb out.ipynb`` from the
    repository's root), or from the runner, which always passes the council's folder. A relative path is
    relative to the folder the kernel runs in: the notebook's own in JupyterLab, the current one under
    papermill unless ``--cwd`` says otherwise.

    With the run's ``cache_dir``, the settings and narrative are the ones the prepare step read
    (``cpkit.report.settings_cache``): neither file is read again, and one changed since stops the
    section. Without one (JupyterLab), both are read here. With one, the section's ledgers also record
    what they protect for the report's one choice of hidden cells, and read it (``cpkit.publish.plan``)."""
    from cpkit.report.settings_cache import load_settings, settings_key
    from cpkit.resources import SAMPLE_DIR

    data = Path(data_dir).resolve() if data_dir else SAMPLE_DIR
    if not data.is_dir():
        raise InputError(f"data folder not found: {data}")
    cache = Path(cache_dir) if cache_dir else None
    prepared = load_settings(cache, settings_key(data, config_file, la_name, la_code))
    if prepared is not None:
        config, narrative = prepared
    else:
        config = Config.for_data(data, config_file or None, la_name=la_name or None, la_code=la_code or None)
        narrative = None
    from cpkit.publish import plan

    plan.begin(section, cache)  # the section's ledgers record for, and read, the document's plan
    return SectionContext(
        section=section,
        config=config,
        period=Period.from_year(int(year), period, int(quarter) or None),
        data_dir=data,
        cache_dir=cache,
        narrative=narrative,
    )
