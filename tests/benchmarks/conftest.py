"""Small hand-built DfE files in the 2025 release layout, written row by row so each test can say its answer."""

from __future__ import annotations

from pathlib import Path

import pytest

GEO = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code"
NUMBERS_HEADER = GEO + ",population_type,population_estimate,children_count,rate_per_10000"
LOOKED_AFTER = "Children looked after on 31 March each year"


def geo(year: int, level: str, code: str = "", old: str = "", name: str = "", region: str = "E12000001") -> str:
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
def real_bench(dfe_dir):
    """All three real releases read once for the whole session (about three seconds)."""
    from cpkit.benchmarks import load_benchmarks

    return load_benchmarks(dfe_dir)
