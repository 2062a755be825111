"""Synthetic regions: many councils from the sample's generator, for ``cpkit region`` at scale.

A synthetic council is the shipped sample's simulation (``cpkit.sample.ssda903``) with its own seed and
size (``scale``, the entry rates' multiplier: about 451 children in care on 31 March 2025 at 1), a
fictional name and fictional codes. ``synthetic_councils(n)`` spreads their sizes evenly on a log scale
from 50 to 2,000 children in care (England's councils run from a few dozen to about 2,500; the spread's
mean, about 530 for 12 or 151 councils, is near England's 83,000 over 153 councils) and lists them in
an order that interleaves small and large, so the first few of a region are already a spread.

``write_region`` writes them as a regional hub's folder, the layout ``cpkit region --data`` reads
(``cpkit.region.settings``):

- ``ssda903/<table>.csv``: every council's returns stacked, one file per table, with ``LA`` (the
  council's ONS code) and ``YEAR`` (the collection year, 2025 = 2024-25) before the DfE's columns, as the
  regional LIIA pipeline writes them;
- ``benchmarks/``: the shipped sample's DfE files, linked (no synthetic council is in them: the reports
  say so, as for a council the DfE has not published);
- ``region.yaml``: the councils (name, ONS code, population) and, as defaults, the sample's region, its
  postcode districts (the generator draws Sheffield's postcodes) and ``sample: true`` (the banner).

``write_council_folder`` writes one of them as its own ``cpkit report --data`` folder (its returns one
folder per year, its ``cpkit.yaml``), so a benchmark can set ``cpkit region`` against ``cpkit report`` on
the same children.

**Codes.** The ONS codes are E06, E08, E09 and E10 codes numbered from 500: England's real councils stop at
E06000066, E08000040, E09000033 and E10000034 (the DfE's 2025 release), and the kit's own fixtures use
E06000981 to E06000999. The DfE's three-digit codes are numbered from 050 (up to 200 for 151 councils):
England's start at 201 (City of London). The hub's ``LA`` column holds the ONS code.
"""

from __future__ import annotations

import csv
import math
import os
import random
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cpkit.sample.ssda903 import FILE_NAMES, Year, build_return, simulate, write_903_sample

# seed 2025 at scale 1, returns to 2025 only: children with an episode open on 31 March 2025, short breaks
# aside (the shipped sample, simulated on to its December 2025 extract, draws other children: 476)
SAMPLE_CHILDREN_IN_CARE = 451
SAMPLE_POPULATION = 64_000  # its population aged 0 to 17 (cpkit.sample.SAMPLE_CONFIG)
SMALLEST, LARGEST = 50, 2_000
FIRST_YEAR, LAST_YEAR = 2019, 2025
PREFIXES = ("E06", "E08", "E09", "E10")
FIRST_NUMBER = 500  # above every real council's number in each prefix (module docstring)
FIRST_OLD_CODE = 50  # the DfE's three-digit codes: below every real one (201 and up)
HUB_COLUMNS = ("LA", "YEAR")

# Invented place-name parts; the names they make are checked against England's councils by a test.
_STARTS = ("Ash", "Bram", "Cold", "Dun", "Elm", "Fern", "Gran", "Hal", "Ivy", "Kes", "Lang", "Mar", "Nor")
_ENDS = (
    "bridge",
    "combe",
    "dale",
    "field",
    "holm",
    "hurst",
    "mere",
    "stead",
    "thorpe",
    "wick",
    "worth",
    "by",
)
REGION_DEFAULTS = {
    "region": "Yorkshire and The Humber",
    "la_district_codes": ["E08000019", "E08000039"],  # the generator's postcodes (cpkit.sample.postcodes)
    "sample": True,
}


@dataclass(frozen=True)
class SyntheticCouncil:
    """One synthetic council: who it is and how its children are drawn."""

    name: str
    la_code: str
    la_old_code: str
    seed: int
    children: int  # the children in care on 31 March 2025 aimed at (the simulation gives about this)
    population_0_17: int

    @property
    def scale(self) -> float:
        return self.children / SAMPLE_CHILDREN_IN_CARE

    def settings(self) -> dict[str, object]:
        """Its ``cpkit.yaml`` settings, as ``region.yaml`` lists them and ``write_council_folder`` writes."""
        return {
            "la_name": self.name,
            "la_code": self.la_code,
            "la_old_code": self.la_old_code,
            "population_0_17": self.population_0_17,
        }


def synthetic_councils(
    n: int, seed: int = 21, smallest: int = SMALLEST, largest: int = LARGEST
) -> list[SyntheticCouncil]:
    """``n`` councils with distinct names, codes and seeds, sizes ``smallest`` to ``largest`` children in
    care spread evenly on a log scale (both ends included), small and large interleaved. The same
    arguments give the same councils."""
    if n < 1 or n > len(_STARTS) * len(_ENDS):
        raise ValueError(f"between 1 and {len(_STARTS) * len(_ENDS)} councils, not {n}")
    rng = random.Random(seed)
    if n == 1:
        sizes = [round(math.sqrt(smallest * largest))]
    else:
        sizes = [round(smallest * (largest / smallest) ** (i / (n - 1))) for i in range(n)]
    # interleave: smallest, largest, second smallest, second largest, ...
    order = [sizes[i // 2] if i % 2 == 0 else sizes[n - 1 - i // 2] for i in range(n)]
    names = [a + b for a in _STARTS for b in _ENDS]
    rng.shuffle(names)
    councils = []
    for i, children in enumerate(order):
        # about 70 per 10,000 children as the sample, from about 45 to 110 between councils
        population = round(
            children * SAMPLE_POPULATION / SAMPLE_CHILDREN_IN_CARE * rng.uniform(0.65, 1.55), -2
        )
        councils.append(
            SyntheticCouncil(
                name=names[i],
                la_code=f"{PREFIXES[i % len(PREFIXES)]}{FIRST_NUMBER + i:06d}",
                la_old_code=f"{FIRST_OLD_CODE + i:03d}",
                seed=seed * 1_000 + i,
                children=children,
                population_0_17=int(max(population, 1_000)),
            )
        )
    return councils


def write_region(
    out_dir: Path,
    councils: Iterable[SyntheticCouncil],
    title: str = "Synthetic region",
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
) -> Path:
    """Write ``councils`` as a hub's folder in ``out_dir`` (see the module docstring); return it.
    Each council's rows are its ``write_903_sample`` returns (same seed and scale), with ``LA``/``YEAR``."""
    import yaml

    from cpkit.resources import SAMPLE_DIR
    from cpkit.ssda903.tables import TABLE_COLUMNS

    councils = list(councils)
    out_dir = Path(out_dir)
    folder = out_dir / "ssda903"
    folder.mkdir(parents=True, exist_ok=True)
    handles = {
        name: (folder / file).open("w", encoding="utf-8", newline="") for name, file in FILE_NAMES.items()
    }
    try:
        writers = {name: csv.writer(h, lineterminator="\n") for name, h in handles.items()}
        for name, writer in writers.items():
            writer.writerow([*HUB_COLUMNS, *TABLE_COLUMNS[name]])
        for council in councils:
            children = simulate(council.seed, first_year, last_year, scale=council.scale)
            for year in range(first_year, last_year + 1):
                for name, rows in build_return(children, Year(year), council.seed).items():
                    columns = TABLE_COLUMNS[name]
                    writers[name].writerows(
                        [council.la_code, str(year), *(r[c] for c in columns)] for r in rows
                    )
    finally:
        for handle in handles.values():
            handle.close()
    _link_benchmarks(SAMPLE_DIR / "benchmarks", out_dir / "benchmarks")
    region = {
        "title": title,
        "introduction": f"{len(councils)} synthetic councils from the kit's sample generator (cpkit.sample.region).",
        "defaults": dict(REGION_DEFAULTS),
        "councils": [c.settings() for c in councils],
    }
    (out_dir / "region.yaml").write_text(yaml.safe_dump(region, sort_keys=False), encoding="utf-8")
    return out_dir


def write_council_folder(
    out_dir: Path, council: SyntheticCouncil, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR
) -> Path:
    """One synthetic council as its own ``cpkit report --data`` folder: ``ssda903/<year>/``, its
    ``cpkit.yaml`` (its settings and the region's defaults) and the sample's ``benchmarks/``, linked."""
    import yaml

    from cpkit.resources import SAMPLE_DIR

    out_dir = Path(out_dir)
    write_903_sample(
        out_dir / "ssda903",
        seed=council.seed,
        first_year=first_year,
        last_year=last_year,
        scale=council.scale,
    )
    _link_benchmarks(SAMPLE_DIR / "benchmarks", out_dir / "benchmarks")
    settings = {**REGION_DEFAULTS, **council.settings()}
    (out_dir / "cpkit.yaml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return out_dir


def _link_benchmarks(source: Path, link: Path) -> None:
    """The sample's DfE files: a link where the filesystem allows one, else a copy."""
    if link.exists() or link.is_symlink():
        return
    try:
        os.symlink(source, link, target_is_directory=True)
    except OSError:
        shutil.copytree(source, link)


__all__ = [
    "SyntheticCouncil",
    "synthetic_councils",
    "write_council_folder",
    "write_region",
]
