"""The SSDA903 return's tables: their names, columns and which columns are dates.

Tables are recognised by their exact set of column names, as the DfE validator does, so exports
named anything are read. Column names follow the DfE return guidance.
"""

from __future__ import annotations

from collections.abc import Sequence

# name used in the kit -> columns in the return, in the DfE's order
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "oc2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "placed_adoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "prev_perm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "sw_episodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}

# The DfE's names for the tables, for messages and the data quality section.
DFE_NAMES: dict[str, str] = {
    "header": "Header",
    "episodes": "Episodes",
    "reviews": "Reviews",
    "uasc": "UASC",
    "oc2": "OC2",
    "oc3": "OC3",
    "ad1": "AD1",
    "placed_adoption": "PlacedAdoption",
    "prev_perm": "PrevPerm",
    "missing": "Missing",
    "sw_episodes": "SWEpisodes",
}

DATE_COLUMNS: frozenset[str] = frozenset(
    {
        "DOB",
        "MC_DOB",
        "DECOM",
        "DEC",
        "REVIEW",
        "DUC",
        "DATE_INT",
        "DATE_MATCH",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "DATE_PERM",
        "MIS_START",
        "MIS_END",
        "SW_DECOM",
        "SW_DEC",
    }
)

# Free-text or identifier columns: stripped, never upper-cased or code-checked.
TEXT_COLUMNS: frozenset[str] = frozenset({"CHILD", "UPN", "HOME_POST", "PL_POST", "URN", "SW_ID"})

# Provenance columns the reader adds to every table so a message can name the file and row.
SOURCE_FILE = "source_file"
SOURCE_ROW = "source_row"
# The collection year the row came from (2025 for the 2024-25 return): OC2 and OC3 carry no date of
# their own, so stacked returns need it. Missing where the reader cannot tell.
RETURN_YEAR = "return_year"
PROVENANCE = (SOURCE_FILE, SOURCE_ROW, RETURN_YEAR)

# A file is taken for a table when it has at least this share of the table's columns (and more of
# them than of any other table's), so an export missing a column or two is still read and reported.
MATCH_SHARE = 0.6


def recognise(columns: Sequence[object]) -> str | None:
    """The table whose columns these headings hold (stripped, any case), or None if none or ambiguous.

    Used both to name a file's table and to find its heading row (a CSV or sheet may have title rows
    above the headings), so it must not match a line of data: data cells are never column names.
    """
    found = {str(c).strip().lstrip("\ufeff").strip().upper() for c in columns}
    scored = []
    for name, cols in TABLE_COLUMNS.items():
        hit = len(found & set(cols))
        if hit >= max(2, MATCH_SHARE * len(cols)):
            scored.append((hit, hit / len(cols), name))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None
    return scored[0][2]
