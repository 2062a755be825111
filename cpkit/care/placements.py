"""Where children in care live on a day: placement type mix and the council's in-house share.

Counts are of children in care at the end of the day (LAIT 332 rule), by the PLACE code of their open
episode, grouped as the DfE reports them at 31 March (LAIT 396-401 and the national tables; the grouping
is ``cpkit.care.codes.PLACEMENT_GROUPS``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cpkit.care.codes import OTHER_PLACEMENTS, PLACEMENT_GROUPS
from cpkit.care.common import count_share, pct
from cpkit.care.episodes import DateLike, as_timestamp, in_care_on
from cpkit.config import Config
from cpkit.errors import ConfigError
from cpkit.ssda903.model import Data903

PARENTS_GROUP = "Placed with parents or other person with parental responsibility"
PARENTS_PLACE: tuple[str, ...] = PLACEMENT_GROUPS[PARENTS_GROUP]
# The provider code of a placement with parents: the DfE says a provider "is not applicable" to it.
PARENTS_PROVIDER = "PR0"
Groups = dict[str, tuple[str, ...]]


def placement_group(place: pd.Series, groups: Groups | None = None) -> pd.Series:
    """The DfE placement group of each PLACE code; blank or unrecognised codes go to Other placements.

    ``groups``: group -> PLACE codes (default ``PLACEMENT_GROUPS``, the registry's ``placed_*_pct`` codes)."""
    to_group = {code: group for group, codes in (groups or PLACEMENT_GROUPS).items() for code in codes}
    return place.map(to_group).fillna(OTHER_PLACEMENTS).astype("str")


def placement_mix(
    data: Data903, day: DateLike, include_short_breaks: bool = False, groups: Groups | None = None
) -> pd.DataFrame:
    """Children in care at ``day`` by DfE placement group: columns placement_group, children, pct.

    The groups and their PLACE codes are the ``placed_*_pct`` measures' ``codes`` in ``cpkit/measures.yaml``
    (``cpkit.care.codes.placement_groups``; LAIT 396-401), as the DfE groups them; a blank or unrecognised
    code goes to Other placements, and ``unrecognised`` counts the children there for that reason.
    ``groups`` replaces the registry's grouping (a test's own registry).
    """
    groups = groups or PLACEMENT_GROUPS
    on = in_care_on(data, day, include_short_breaks)
    out = count_share(placement_group(on["PLACE"], groups), list(groups), "placement_group")
    unknown = int((~on["PLACE"].isin({c for codes in groups.values() for c in codes})).sum())
    out["unrecognised"] = np.where(out["placement_group"] == OTHER_PLACEMENTS, unknown, 0)
    return out


def inhouse_share(
    data: Data903, day: DateLike, config: Config | None = None, include_short_breaks: bool = False
) -> pd.DataFrame:
    """Children in care at ``day`` placed with the council's own provision, overall and per placement group.

    In-house = PLACE_PROVIDER in ``config.inhouse_providers`` (default PR1, "own provision"). The
    denominator follows ``config.inhouse_denominator``:

    - ``excluding_parents`` (default): children placed with parents (``PARENTS_PLACE``, or provider
      ``PARENTS_PROVIDER``) are left out,
      since the DfE says a placement provider "is not applicable for children placed with parents" (CLA
      release data guidance, placement provider footnote 3); a council cannot provide those placements
      itself, so counting them would move its in-house share with the number placed at home. This is how
      councils using the DfE provider tables and LAIT-style in-house measures count it.
    - ``all``: every child in care that day.

    Children with no provider recorded stay in (``provider_not_recorded`` counts them), so shares on two
    dates compare like with like. Columns: placement_group ("All placements" first), children, inhouse,
    provider_not_recorded, pct.
    """
    config = config or Config()
    on = in_care_on(data, day, include_short_breaks)
    if config.inhouse_denominator == "excluding_parents":
        on = on[~(on["PLACE"].isin(PARENTS_PLACE) | on["PLACE_PROVIDER"].eq(PARENTS_PROVIDER))]
    elif config.inhouse_denominator != "all":
        raise ConfigError(
            f"inhouse_denominator must be 'excluding_parents' or 'all', not {config.inhouse_denominator!r}"
        )
    frame = pd.DataFrame(
        {
            "placement_group": placement_group(on["PLACE"]),
            "inhouse": on["PLACE_PROVIDER"].isin(config.inhouse_providers),
            "missing": on["PLACE_PROVIDER"].isna(),
        }
    )
    grouped = frame.groupby("placement_group").agg(
        children=("inhouse", "size"), inhouse=("inhouse", "sum"), provider_not_recorded=("missing", "sum")
    )
    grouped = grouped.reindex(list(PLACEMENT_GROUPS), fill_value=0)
    total = pd.DataFrame(grouped.sum()).T.set_axis(["All placements"])
    out = pd.concat([total, grouped]).astype("int64").rename_axis("placement_group").reset_index()
    out["pct"] = [pct(n, d) for n, d in zip(out["inhouse"], out["children"], strict=True)]
    return out


def inhouse_comparison(
    data: Data903, first: DateLike, second: DateLike, config: Config | None = None
) -> pd.DataFrame:
    """The in-house share on two days, for the "moving from 42% to 47%" sentence.

    One row per day (date, children, inhouse, pct) and a ``change_pp`` column on the second row: the change
    in percentage points from the first day.
    """
    rows = []
    for day in (first, second):
        total = inhouse_share(data, day, config).iloc[0]
        rows.append(
            {
                "date": as_timestamp(day),
                "children": int(total["children"]),
                "inhouse": int(total["inhouse"]),
                "pct": float(total["pct"]),
            }
        )
    out = pd.DataFrame(rows)
    out["change_pp"] = [np.nan, out["pct"].iloc[1] - out["pct"].iloc[0]]
    return out
