"""Fixtures for the section tests: the sample's cache for 2024, prepared once for the notebook runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_cache_2024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache ``cpkit report --year 2024`` writes for the sample before its sections run
    (``cpkit.report.prepare.prepare_data``: the cleaned SSDA903 tables, the figures table and the postcode
    look-up), made once, so the notebooks run for 2024 take what a report run gives them, and do not each
    parse the raw returns or build the figures table again in their kernel (the placements, health and
    care leavers sections read it)."""
    from cpkit.config import Config, Period
    from cpkit.report.prepare import prepare_data

    cache, _ = prepare_data(
        SAMPLE_DIR,
        tmp_path_factory.mktemp("cache") / "cache",
        Period.from_year(2024),
        Config.for_data(SAMPLE_DIR),
    )
    return cache
