"""Synthetic councils of any size and synthetic regions (``cpkit.sample.region``), for the region benchmark.

The sizes come from the generator's entry rates times ``scale`` (``cpkit.sample.care``). Worked by hand from
the rates in care.py for the year 2024-25: local entries 12.6 + 0.3 x 13 = 16.5 a month from April 2025,
16.3 to 16.5 through the year (``_local_rate``), UASC 1.6 (``_uasc_rate``), the seasonal factors averaging
1.0 (``SEASON`` sums to 11.99): about 18 entries a month, 216 in the year at scale 1, a little under it
since a gap between entries is rounded to whole days; 21.6 at scale 0.1 (a Poisson count: 3 standard
deviations are 14); 3 times the scale-1 count at scale 3. The shipped sample's bytes at scale 1 (the
default) are pinned by tests/sample/test_sample_903.py, which regenerates it and compares every file.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import yaml

from cpkit.sample.care import CareSimulation
from cpkit.sample.postcodes import PostcodePool
from cpkit.sample.region import synthetic_councils, write_council_folder, write_region
from cpkit.ssda903.tables import TABLE_COLUMNS

YEAR_START, YEAR_END = date(2024, 4, 1), date(2025, 3, 31)


def _entries_in_2024_25(seed: int, scale: float) -> int:
    """Children (short breaks aside) whose first episode starts in 2024-25, simulated from April 2023."""
    children = CareSimulation(seed, date(2023, 4, 1), YEAR_END, PostcodePool(), scale=scale).run()
    return sum(1 for c in children if not c.short_breaks and YEAR_START <= c.episodes[0].decom <= YEAR_END)


def test_scale_a_tenth_gives_about_a_tenth_of_the_entries() -> None:
    # about 21.6 expected (module docstring); the unscaled generator gives about 216
    for seed in (1, 2, 3):
        assert 10 <= _entries_in_2024_25(seed, 0.1) <= 35, seed


def test_scale_three_gives_about_three_times_the_entries() -> None:
    # One stream could give one entry a day at most (gaps rounded to whole days, one at least), so a
    # scale of 3 gave about twice the entries, not three times: scale above 1 is ceil(scale) streams.
    for seed in (1, 2):
        one, three = _entries_in_2024_25(seed, 1.0), _entries_in_2024_25(seed, 3.0)
        assert 180 <= one <= 240, (seed, one)
        assert 2.5 <= three / one <= 3.5, (seed, one, three)


def test_synthetic_councils_are_distinct_fictional_and_spread_50_to_2000() -> None:
    councils = synthetic_councils(151)
    assert len({c.name for c in councils}) == 151
    assert len({c.la_code for c in councils}) == 151
    assert len({c.seed for c in councils}) == 151
    # England's real councils stop at E06000066, E08000040, E09000033 and E10000034: numbered from 500
    assert all(c.la_code[:3] in {"E06", "E08", "E09", "E10"} and int(c.la_code[3:]) >= 500 for c in councils)
    # the DfE's three-digit codes start at 201 (City of London)
    assert len({c.la_old_code for c in councils}) == 151
    assert all(len(c.la_old_code) == 3 and int(c.la_old_code) < 201 for c in councils)
    assert min(c.children for c in councils) == 50 and max(c.children for c in councils) == 2000
    # small and large interleaved, so a region's first four already spread: 50, 2000, then the next ones in
    first_four = sorted(c.children for c in synthetic_councils(4))
    assert first_four[0] == 50 and first_four[-1] == 2000 and len(set(first_four)) == 4
    assert synthetic_councils(12) == synthetic_councils(12)  # the same arguments, the same councils


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_the_hub_stacks_each_councils_own_returns_under_its_code_and_year(tmp_path: Path) -> None:
    """Each council's rows in the hub are its own returns; cpkit region reads the hub and cuts them back."""
    from cpkit.region.hub import split_hub
    from cpkit.region.settings import load_region

    councils = synthetic_councils(2, smallest=10, largest=20)  # a few dozen children each: fast
    hub = write_region(tmp_path / "hub", councils, first_year=2024, last_year=2025)
    region = yaml.safe_load((hub / "region.yaml").read_text(encoding="utf-8"))
    assert [c["la_code"] for c in region["councils"]] == [c.la_code for c in councils]
    assert region["defaults"]["sample"] is True  # the reports carry the synthetic-data banner
    assert (hub / "benchmarks").is_dir()
    seen = 0
    for council in councils:
        alone = write_council_folder(tmp_path / council.la_code, council, first_year=2024, last_year=2025)
        for table, columns in TABLE_COLUMNS.items():
            if not (hub / "ssda903" / f"{table}.csv").exists():
                continue
            headings, stacked = _rows(hub / "ssda903" / f"{table}.csv")
            assert headings == ["LA", "YEAR", *columns]
            for year in (2024, 2025):
                own_headings, own = _rows(alone / "ssda903" / str(year) / f"{table}.csv")
                mine = [r[2:] for r in stacked if r[0] == council.la_code and r[1] == str(year)]
                assert own_headings == list(columns)
                assert sorted(mine) == sorted(own), (council.name, table, year)
                seen += len(own)
    assert seen > 0  # the councils have children: the comparison above compared rows
    # what cpkit region reads: region.yaml's councils, each cut from the hub by its code to its own rows
    loaded = load_region(hub)
    assert loaded.hub and [c.la_code for c in loaded.councils] == [c.la_code for c in councils]
    folders = split_hub(hub, loaded.councils, tmp_path / "work")
    for council, entry in zip(councils, loaded.councils, strict=True):
        cut = folders[entry.slug]
        assert isinstance(cut, Path), cut
        _, rows = _rows(cut / "ssda903" / "episodes.csv")
        _, own = _rows(tmp_path / council.la_code / "ssda903" / "2025" / "episodes.csv")
        assert sorted(r[2:] for r in rows if r[1] == "2025") == sorted(own), council.name
        assert {r[0] for r in rows} == {council.la_code}
