"""The shipped synthetic sample loads and checks clean (skipped until the sample exists)."""

from __future__ import annotations

import pytest

from cpkit.ssda903 import blocking, check_903, load_903


def test_sample_loads_with_no_errors(root):
    folder = root / "data" / "sample" / "ssda903"
    if not folder.is_dir():
        pytest.skip(f"no synthetic sample at {folder}")
    data = load_903(folder)
    problems = check_903(data)
    errors = problems[problems["severity"] == "error"]
    assert not blocking(problems), errors[["file", "row", "column", "rule", "message"]].head(20).to_string()
    assert data.has("episodes") and data.has("header")
    # Stacked yearly returns: every episode once, with the year of the return that last held it.
    assert not data.episodes.duplicated(["CHILD", "DECOM"]).any()
    assert data.episodes["return_year"].notna().all()
    assert not data.header["CHILD"].duplicated().any()
    assert data.sources["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
