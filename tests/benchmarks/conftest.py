"""Small hand-built DfE files in the 2025 release layout, written row by row so each test can say its answer."""

from __future__ import annotations

from pathlib import Path

import pytest

GEO = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code"
NUMBERS_HEADER = GEO + ",population_type,population_estimate,children_count,rate_per_10000"
LOOKED_AFTER = "Children looked after on 31 March each year"


def geo(
    year: int, level: str, code: str = "", old: str = "", name: str = "", region: str = "E12000001"
) -> str:
    """The ten geography columns of one row (England, a region or a council)."""
    if level == "National":
        return f"{year},Reporting year,National,E92000001,England,,,,,"
    if level == "Regional":
        return f"{year},Reporting year,Regional,E92000001,England,{region},North West,,,"
    return f"{year},Reporting year,Local authority,E92000001,England,{region},North West,{old},{name},{code}"


@pytest.fixture
def write_csv(tmp_path: Path):
    def write(relative: str, header: str, rows: list[str]) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def real_bench(dfe_dir, tmp_path_factory):
    """The three 14-council release extracts (2023-2025) read once for the whole session.

    ``ees_2025_release_full`` (every council) sits beside them in ../shared; the hand-worked ranks here are
    out of the 14 councils of the extracts, so that folder is left out by copying the three extracts alone.
    """
    import shutil

    from cpkit.benchmarks import load_benchmarks

    root = tmp_path_factory.mktemp("extracts")
    for release in ("ees_2023_release", "ees_2024_release", "ees_2025_release"):
        shutil.copytree(dfe_dir / release, root / release)
    shutil.copy(dfe_dir / "PROVENANCE_ees_files.csv", root)
    return load_benchmarks(root)
