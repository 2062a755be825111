"""A council's published figures beside England, its region and its statistical neighbours.

Follows the DfE LAIT conventions so the kit's figures match what councils see in LAIT: the neighbour
average is the unweighted mean of the neighbours' published values (suppressed ones skipped, and the
count of neighbours used shown); councils are ranked on the published (rounded) values.

Ranks and quartiles are given only where they mean something:

- only for rates and percentages (``RANKED_UNITS``): a count of children in care ranks councils by size,
  not by how well they do;
- only for measures with a better direction (polarity high or low in ``cpkit/measures.yaml``): the rate
  of children in care per 10,000 and the placement mix have none (LAIT gives them no polarity: "-"), so
  a rank 1 would read as the best when it is only the highest;
- only out of the councils actually present in the files for that measure and year (``ranked``), so the
  text says "ranked 12 of 151 councils", never a rank out of an assumed 153;
- a quartile only when at least ``MIN_COUNCILS_FOR_QUARTILE`` councils are ranked: a quartile of the
  handful of councils in a benchmark folder is not the national quartile LAIT shows, so below that the
  quartile is left empty and ``quartile_note`` says why.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cpkit.benchmarks.mapping import measure_info
from cpkit.benchmarks.neighbours import clean_code, is_new_code
from cpkit.errors import BenchmarkError

LA = "Local authority"
# Councils recoded since 2019 keep their old 3-digit code, which is how their earlier years are found.
RECODED = {"E06000065": "815", "E10000023": "815", "E06000066": "933", "E10000027": "933"}
QUARTILES = ("A", "B", "C", "D")
RANKED_UNITS = frozenset({"percent", "rate_per_10k"})
DIRECTED = frozenset({"high", "low"})  # polarities with a better direction: only these are ranked
MIN_COUNCILS_FOR_QUARTILE = 100

COLUMNS = [
    "measure",
    "label",
    "unit",
    "polarity",
    "year",
    "la_value",
    "la_numerator",
    "la_denominator",
    "la_status",
    "england",
    "region",
    "neighbour_avg",
    "neighbour_n",
    "neighbours_listed",
    "rank",
    "ranked",
    "quartile",
    "rank_order",
    "rank_text",
    "quartile_note",
    "previous_value",
    "change",
    "release",
]


def _council_ids(bench: pd.DataFrame) -> pd.Series:
    """One id per council row: its old 3-digit code (stable through recoding), else its new code."""
    old, new = bench["old_la_code"].fillna(""), bench["new_la_code"].fillna("")
    return old.where(old != "", new)


def _resolve(code: str, la_rows: pd.DataFrame) -> str:
    """The council id (old code) for an old or new code; a code no release knows is kept as it is."""
    code = clean_code(code)
    if not is_new_code(code):
        return code
    match = la_rows.loc[la_rows["new_la_code"] == code, "_id"]
    if len(match):
        return str(match.iloc[0])
    return RECODED.get(code, code)


def _value_at(rows: pd.DataFrame, column: str = "value") -> pd.Series:
    return rows.drop_duplicates("measure").set_index("measure")[column]


def _ranks(current: pd.DataFrame, polarity: pd.Series, units: pd.Series) -> pd.DataFrame:
    """Rank of every council per rate or percentage with a better direction, 1 = best by polarity
    (``polarity`` high or low; a neutral measure, or one the registry does not know, is not ranked).

    Ties share the best rank of their block ("min" / competition ranking: 1, 2, 2, 4), as LAIT does;
    quartile A is the best quarter: ceil(4 x rank / councils ranked), and none below
    ``MIN_COUNCILS_FOR_QUARTILE`` councils ranked.
    """
    rankable = current["measure"].map(units).isin(RANKED_UNITS)
    directed = current["measure"].map(polarity).isin(DIRECTED)
    rows = current[current["value"].notna() & rankable & directed].copy()
    if rows.empty:  # e.g. a year whose files hold counts only
        return pd.DataFrame(columns=["_id", "measure", "rank", "ranked", "quartile"])
    sign = rows["measure"].map(polarity).map({"low": 1.0, "high": -1.0}).astype(float)
    rows["_key"] = rows["value"].astype(float) * sign
    rows["rank"] = rows.groupby("measure")["_key"].rank(method="min").astype(int)
    rows["ranked"] = rows.groupby("measure")["_key"].transform("size").astype(int)
    quart = np.ceil(4 * rows["rank"] / rows["ranked"]).clip(1, 4).astype(int)
    rows["quartile"] = [QUARTILES[q - 1] for q in quart]
    rows.loc[rows["ranked"] < MIN_COUNCILS_FOR_QUARTILE, "quartile"] = None
    return rows[["_id", "measure", "rank", "ranked", "quartile"]]


def compare(bench: pd.DataFrame, la: str, year: int, neighbours: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per published measure of ``year``: the council beside England, region and neighbours.

    ``la`` and ``neighbours`` take old (370) or new (E08000016) codes. A council absent from a year (not
    yet created, like Cumberland before 2024, or not published) gets missing values with la_status
    "absent", not an error. ``change`` is this year's value minus last year's, in the measure's unit.
    ``rank_order`` is "best first" where the measure is ranked (a measure with no better direction is not
    ranked, and ``quartile_note`` says so).
    """
    if bench.empty:
        raise BenchmarkError("the benchmark table is empty: no DfE release files were read")
    bench = bench.assign(_id=_council_ids(bench))
    la_rows = bench[bench["geographic_level"] == LA]
    la_id = _resolve(la, la_rows)
    neighbour_ids = list(dict.fromkeys(_resolve(c, la_rows) for c in (neighbours or [])))
    info = measure_info()
    polarity = info["polarity"]

    current = bench[bench["year"] == year]
    previous = bench[bench["year"] == year - 1]
    cur_la = current[current["geographic_level"] == LA]
    own = cur_la[cur_la["_id"] == la_id].drop_duplicates("measure").set_index("measure")
    own_prev = _value_at(previous[(previous["geographic_level"] == LA) & (previous["_id"] == la_id)])
    region_code = _region_of(la_rows, la_id, year)
    national = _value_at(current[current["geographic_level"] == "National"])
    regional = _value_at(
        current[(current["geographic_level"] == "Regional") & (current["region_code"] == region_code)]
    )
    near = cur_la[cur_la["_id"].isin(neighbour_ids)].groupby("measure")["value"]
    ranks = _ranks(cur_la, polarity, info["unit"])
    own_rank = ranks[ranks["_id"] == la_id].drop_duplicates("measure").set_index("measure")

    measures = sorted(current["measure"].unique())
    out = pd.DataFrame({"measure": measures})
    out["label"] = out["measure"].map(info["label"]).fillna(out["measure"])
    out["unit"] = out["measure"].map(info["unit"])
    out["polarity"] = out["measure"].map(polarity).fillna("neutral")
    out["year"] = year
    for col in ("value", "numerator", "denominator"):
        out[f"la_{col}"] = out["measure"].map(own[col]).astype(float)
    statuses = dict(zip(own.index, own["status"], strict=True))
    out["la_status"] = [statuses.get(m, "absent") for m in out["measure"]]
    out["england"] = out["measure"].map(national).astype(float)
    out["region"] = out["measure"].map(regional).astype(float)
    out["neighbour_avg"] = out["measure"].map(near.mean()).astype(float)
    out["neighbour_n"] = out["measure"].map(near.count()).fillna(0).astype(int)
    out["neighbours_listed"] = len(neighbour_ids)
    out["rank"] = out["measure"].map(own_rank["rank"]).astype("Int64")
    out["ranked"] = out["measure"].map(ranks.groupby("measure")["ranked"].first()).fillna(0).astype(int)
    out["quartile"] = out["measure"].map(own_rank["quartile"])
    out["rank_order"] = np.where(out["ranked"] > 0, "best first", "")
    out["rank_text"] = [rank_text(r, n) for r, n in zip(out["rank"], out["ranked"], strict=True)]
    out["quartile_note"] = [
        quartile_note(u, r, n, p)
        for u, r, n, p in zip(out["unit"], out["rank"], out["ranked"], out["polarity"], strict=True)
    ]
    out["previous_value"] = out["measure"].map(own_prev).astype(float)
    out["change"] = out["la_value"] - out["previous_value"]
    out["release"] = out["measure"].map(own["release"])
    out.attrs.update(la=la, la_id=la_id, region_code=region_code, neighbours=neighbour_ids)
    return out[COLUMNS]


def rank_text(rank: object, ranked: int) -> str:
    """ "ranked 12 of 151 councils", or "" where the council has no rank."""
    if rank is None or pd.isna(rank) or not ranked:
        return ""
    return f"ranked {int(rank)} of {int(ranked)} councils"


def quartile_note(unit: object, rank: object, ranked: int, polarity: object = "high") -> str:
    """Why a measure has no quartile ("" where it has one or the council is not ranked for another reason)."""
    if unit not in RANKED_UNITS:
        return "not ranked: only rates and percentages are ranked (a count or an average ranks councils by size or mix, not performance)"
    if polarity not in DIRECTED:
        return "not ranked: a higher figure is neither better nor worse for this measure, so a rank would only order councils by size of the figure"
    if rank is None or pd.isna(rank):
        return ""
    if ranked < MIN_COUNCILS_FOR_QUARTILE:
        return (
            f"no quartile: only {int(ranked)} councils are in the published files supplied "
            f"(quartiles need {MIN_COUNCILS_FOR_QUARTILE} or more, as in the full DfE release)"
        )
    return ""


def _region_of(la_rows: pd.DataFrame, la_id: str, year: int) -> str | None:
    """The council's region code, from the year asked for if it is there, else the nearest year."""
    rows = la_rows[(la_rows["_id"] == la_id) & (la_rows["region_code"].fillna("") != "")]
    if rows.empty:
        return None
    nearest = rows.loc[(rows["year"] - year).abs().idxmin()]
    return str(nearest["region_code"])


def quartile_number(letter: str | float) -> float:
    """LAIT's A-D as 1-4 (1 best), for charts that want a number."""
    if not isinstance(letter, str):
        return math.nan
    return float(QUARTILES.index(letter) + 1)
