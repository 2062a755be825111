"""Fixtures for the section tests: the sample's cleaned tables cached once for the notebook runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's SSDA903 tables read once and written as the runner's cache, so eight notebook runs
    do not each parse the raw returns."""
    try:
        from cpkit.ssda903 import load_903
    except ImportError:  # the reader is not exported from the package yet
        from cpkit.ssda903.read import load_903
    from cpkit.report.cache import save_903

    cache = tmp_path_factory.mktemp("cache")
    save_903(load_903(SAMPLE_DIR / "ssda903"), cache / "ssda903")
    return cache
