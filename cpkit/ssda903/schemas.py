"""The SSDA903 tables' schemas, declared once with pandera and used by the reader and the checks.

What is declared here: which columns a file must have for its table to be usable (``required``),
which cells must not be blank (``nullable=False``), the dtype of dates, and simple format rules
(postcode, UPN, URN, SDQ score). Each column carries the severity of its failures in
``metadata["severity"]``. Code lists depend on the return year, so ``checks`` tests them separately
against ``codes.yaml``.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa

from cpkit.ssda903.tables import DATE_COLUMNS, TABLE_COLUMNS

# Columns a table cannot be used without: a file missing one is an error (other missing columns
# are a warning and are added blank). Their cells must not be blank either.
REQUIRED: dict[str, tuple[str, ...]] = {
    "header": ("CHILD", "SEX", "DOB"),
    "episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "DEC", "REC"),
    "reviews": ("CHILD", "REVIEW"),
    "uasc": ("CHILD", "DOB"),
    "oc2": ("CHILD", "DOB"),
    "oc3": ("CHILD", "DOB", "IN_TOUCH"),
    "ad1": ("CHILD", "DOB"),
    "placed_adoption": ("CHILD", "DATE_PLACED"),
    "prev_perm": ("CHILD", "PREV_PERM"),
    "missing": ("CHILD", "MISSING", "MIS_START"),
    "sw_episodes": ("CHILD", "SW_ID", "SW_DECOM"),
}

# Cells that must be filled in, beyond REQUIRED (which covers the key ones), with their severity.
# DEC and REC may be blank (an open episode): their pairing is a rule of its own in ``checks``.
NOT_BLANK: dict[str, dict[str, str]] = {
    "header": {"CHILD": "error", "SEX": "error", "DOB": "error", "ETHNIC": "warning"},
    "episodes": {
        "CHILD": "error",
        "DECOM": "error",
        "RNE": "error",
        "LS": "error",
        "CIN": "error",
        "PLACE": "error",
        "PLACE_PROVIDER": "warning",
    },
    "reviews": {"CHILD": "error", "REVIEW": "error"},
    "uasc": {"CHILD": "error", "DOB": "error"},
    "oc2": {"CHILD": "error"},
    "oc3": {"CHILD": "error", "IN_TOUCH": "error"},
    "ad1": {"CHILD": "error"},
    "placed_adoption": {"CHILD": "error", "DATE_PLACED": "error"},
    "prev_perm": {"CHILD": "error"},
    "missing": {"CHILD": "error", "MISSING": "error", "MIS_START": "error"},
    "sw_episodes": {"CHILD": "error", "SW_ID": "error", "SW_DECOM": "error"},
}

# The date each row is about: a row whose key date is blank or unreadable cannot be placed in time,
# so the reader sets it aside (and reports it) rather than keep a row every measure would misread.
KEY_DATES: dict[str, str] = {
    "episodes": "DECOM",
    "reviews": "REVIEW",
    "placed_adoption": "DATE_PLACED",
    "missing": "MIS_START",
    "sw_episodes": "SW_DECOM",
}

# Dates whose misreading changes headline counts (DUC: the UASC count; DATE_MATCH: adoption timing A2)
# and the key dates: unparseable is an error (in the report year's return it stops the report,
# ``cpkit.report.date_blocks``). Other dates: a warning.
CRITICAL_DATES: frozenset[str] = frozenset(
    {"DOB", "DECOM", "DEC", "DUC", "DATE_MATCH"} | set(KEY_DATES.values())
)

# Format rules: column -> (rule id, regular expression, severity). Blank cells are not tested.
FORMATS: dict[str, tuple[str, str, str]] = {
    "HOME_POST": ("postcode_format", r"(?i)^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", "warning"),
    "PL_POST": ("postcode_format", r"(?i)^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", "warning"),
    # 13 characters (letter, 11 digits, check character), or UN1-UN10 where there is no UPN.
    "UPN": ("upn_format", r"(?i)^([A-Z]\d{11}[A-Z0-9]|UN([1-9]|10))$", "warning"),
    # Ofsted URN (SC + 6 digits, or 6-7 digits), or X's for a placement without one.
    "URN": ("urn_format", r"(?i)^(SC\d{6}|\d{6,7}|X+)$", "warning"),
    "SDQ_SCORE": ("sdq_score_range", r"^(\d|[1-3]\d|40)$", "error"),
}


def _matches(rule: str, pattern: str) -> pa.Check:
    return pa.Check(lambda s: s.astype("str").str.match(pattern), name=rule, ignore_na=True)


@cache
def table_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of one table (return columns only; provenance columns are left alone)."""
    columns: dict[str, pa.Column] = {}
    for col in TABLE_COLUMNS[name]:
        checks = []
        severity = NOT_BLANK[name].get(col, "warning")
        if col in FORMATS:
            rule, pattern, severity = FORMATS[col]
            checks.append(_matches(rule, pattern))
        columns[col] = pa.Column(
            "datetime64[ns]" if col in DATE_COLUMNS else None,
            checks=checks,
            nullable=col not in NOT_BLANK[name],
            required=col in REQUIRED[name],
            metadata={"severity": severity, "blank_severity": NOT_BLANK[name].get(col)},
        )
    return pa.DataFrameSchema(columns, name=name, strict=False)


def failure_cases(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Run the schema lazily; one row per failing cell: index, column, check, failure_case."""
    try:
        table_schema(name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        return cases[cases["index"].notna()][["index", "column", "check", "failure_case"]]
    return pd.DataFrame(columns=["index", "column", "check", "failure_case"])
