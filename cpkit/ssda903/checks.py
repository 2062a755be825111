"""``check_903``: every data quality problem in a council's SSDA903 data, one row per problem.

The result has the columns file, table, row, column, value, rule, severity, message (see
``cpkit.ssda903.issues``). It holds what reading found plus the checks below. ``value`` can be a
child's identifier or a postcode: it is for the officer fixing the data and must never be rendered;
the report's data quality section shows ``summarise(problems)`` (counts) and ``rule_description``.

Codes are checked against the list for the row's return year; where a row has none: for an
episode, the year its DEC falls in (a code was valid when the episode ended), capped at ``year``;
otherwise ``year``. With no year at all, a code only has to be one the return has ever used.
All checks are vectorised; a million episodes take a few seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cpkit.ssda903 import codes as codelists
from cpkit.ssda903.issues import make_issues, tidy_issues
from cpkit.ssda903.model import Data903
from cpkit.ssda903.normalise import collection_year
from cpkit.ssda903.rules import RULES, rule_description
from cpkit.ssda903.schemas import FORMATS, NOT_BLANK, failure_cases
from cpkit.ssda903.tables import DFE_NAMES, RETURN_YEAR, SOURCE_FILE, SOURCE_ROW, TABLE_COLUMNS
from cpkit.ssda903.validator import merge_findings

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Tables without which the report cannot be produced.
ESSENTIAL_TABLES = ("header", "episodes")


def check_903(data: Data903, year: int | None = None) -> pd.DataFrame:
    """All problems: reading issues plus the checks on the cleaned tables, errors first."""
    found = [data.issues]
    for name in ESSENTIAL_TABLES:
        if not data.has(name):
            found.append(
                make_issues(
                    file=None,
                    table=name,
                    row=None,
                    column=None,
                    value=None,
                    rule="missing_table",
                    message=f"no usable {name} rows were found",
                )
            )
    for name, table in data.tables.items():
        if len(table):
            found.append(_schema_problems(name, table, data.issues))
            found.append(_code_problems(name, table, year))
    found += _episode_problems(data.episodes, _closed_by_stacking(data))
    found += _child_problems(data.episodes, data.header, data.oc3)
    found.append(_missing_episode_problems(data.missing))
    out = merge_findings(tidy_issues(found))
    order = out["severity"].map(SEVERITY_ORDER).fillna(3)
    out = out.assign(_o=order).sort_values(["_o", "table", "file", "row"], kind="stable", na_position="first")
    return out.drop(columns="_o").reset_index(drop=True)


def _isin(values: pd.Series, others: pd.Series) -> pd.Series:
    """``values.isin(others)`` for long text columns (pandas' own walks ``others`` in Python)."""
    found = pc.is_in(
        pa.array(values.to_numpy(dtype=object), type=pa.string()),
        value_set=pa.array(others.dropna().unique().astype(object), type=pa.string()),
    )
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index).fillna(False).astype(bool)


def blocking(problems: pd.DataFrame) -> bool:
    """True if any of the kit's own problems is an error, which stops the report being produced.

    The DfE validation rules' findings (``dfe_*``) are listed for the data team but do not decide
    whether the report's figures stand: the kit's own checks do (``cpkit.ssda903.validator``)."""
    own = ~problems["rule"].astype("str").str.startswith("dfe_")
    return bool(((problems["severity"] == "error") & own).any())


# Placements the DfE wants no placement provider for (rule 178): temporary placements and "other" (Z1,
# Z11-Z14 from 2025-26). A blank PLACE_PROVIDER there is right, not a missing value.
NO_PROVIDER = frozenset({"T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"})
SELF_DESCRIBED = frozenset({"dfe_validator_failed", "dfe_validator_known_wrong"})


def summarise(problems: pd.DataFrame) -> pd.DataFrame:
    """Counts by table, rule and severity with each rule's plain-English description (no values)."""
    cols = ["table", "rule", "severity", "count", "description"]
    if problems.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "count" else "str") for c in cols})
    # Notes about the DfE's rules themselves (one that could not run, findings that are the validator's
    # fault) each say which rule and why: one line each, in their own words, so that the console and the
    # data quality page name every rule that did not run, not only the --out CSV.
    own_words = problems["rule"].isin(SELF_DESCRIBED)
    key = problems["message"].astype("object").where(own_words, "")
    counts = (
        problems.assign(_key=key)
        .groupby(["table", "rule", "severity", "_key"], dropna=False)
        .size()
        .rename("count")
        .reset_index()
    )
    # Rules from outside the kit (the DfE validator's) describe themselves in their message.
    first_message = problems.drop_duplicates("rule").set_index("rule")["message"]
    counts["description"] = [
        str(k) if r in SELF_DESCRIBED else rule_description(r) if r in RULES else str(first_message.get(r, r))
        for r, k in zip(counts["rule"], counts["_key"], strict=True)
    ]
    counts["_o"] = counts["severity"].map(SEVERITY_ORDER).fillna(3)
    counts = counts.sort_values(["_o", "count", "table"], ascending=[True, False, True], kind="stable")
    return counts[cols].reset_index(drop=True)


def _issues(
    table: str,
    frame: pd.DataFrame,
    mask: pd.Series,
    column: str | None,
    value: object,
    rule: str,
    message: object,
    severity: str | None = None,
) -> pd.DataFrame:
    """Issues for the rows of a cleaned table where ``mask`` holds, named by their source file and row."""
    if not mask.any():
        return tidy_issues([])
    rows = frame.loc[mask, [SOURCE_FILE, SOURCE_ROW]]
    if isinstance(value, pd.Series):
        value = value[mask]
        if pd.api.types.is_datetime64_any_dtype(value):
            value = value.dt.strftime("%d/%m/%Y")
    if isinstance(message, pd.Series) and len(message) == len(mask):
        message = message[mask]
    return make_issues(
        file=rows[SOURCE_FILE],
        table=table,
        row=rows[SOURCE_ROW],
        column=column,
        value=value,
        rule=rule,
        message=message,
        severity=severity,
        year=frame.loc[mask, RETURN_YEAR] if RETURN_YEAR in frame.columns else None,
    )


def _schema_problems(name: str, table: pd.DataFrame, read_issues: pd.DataFrame) -> pd.DataFrame:
    """Blank required values and bad formats, from the pandera schema in ``schemas``."""
    cases = failure_cases(name, table[list(TABLE_COLUMNS[name])])
    cases = cases[cases["check"].isin(["not_nullable", *(f[0] for f in FORMATS.values())])]
    if cases.empty:
        return tidy_issues([])
    idx = table.index.get_indexer(cases["index"].to_numpy())  # pandera reports index labels
    blank = (cases["check"] == "not_nullable").to_numpy()
    column = cases["column"].astype("str").to_numpy()
    severity = [
        NOT_BLANK[name].get(c, "warning") if b else FORMATS[c][2] for c, b in zip(column, blank, strict=True)
    ]
    out = pd.DataFrame(
        {
            "file": table[SOURCE_FILE].to_numpy()[idx],
            "table": name,
            "row": table[SOURCE_ROW].to_numpy()[idx],
            "column": column,
            "value": pd.Series(cases["failure_case"].to_numpy(), dtype="object")
            .where(~blank, None)
            .to_numpy(),
            "rule": pd.Series(cases["check"].to_numpy()).where(~blank, "missing_value").to_numpy(),
            "severity": severity,
            "year": table[RETURN_YEAR].to_numpy()[idx] if RETURN_YEAR in table.columns else None,
        }
    )
    out["message"] = (
        out["column"]
        + pd.Series(["is blank" if b else "is not in the expected form" for b in blank], dtype="str")
        .radd(" ")
        .to_numpy()
    )
    # A column the file did not have is reported once (missing_column), not once per row.
    absent = read_issues.loc[read_issues["rule"] == "missing_column", ["file", "column"]]
    if len(absent):
        gone = pd.MultiIndex.from_frame(absent.astype("str"))
        here = pd.MultiIndex.from_arrays([out["file"].astype("str"), out["column"].astype("str")])
        out = out[~(here.isin(gone) & (out["rule"] == "missing_value").to_numpy())]
    if name == "episodes":  # no provider for temporary and "other" placements (DfE rule 178)
        place = table["PLACE"].to_numpy()[idx]
        out = out[
            ~((out["column"] == "PLACE_PROVIDER") & blank & pd.Series(place).isin(NO_PROVIDER).to_numpy())
        ]
    out["table"] = DFE_NAMES[name]
    return tidy_issues([out])


def _effective_year(name: str, table: pd.DataFrame, year: int | None) -> pd.Series:
    eff = table[RETURN_YEAR].astype("Int64")
    if name == "episodes":
        ended = collection_year(table["DEC"])
        if year is not None:
            ended = ended.clip(upper=year)
        eff = eff.fillna(ended)
    if year is not None:
        eff = eff.fillna(year)
    return eff


def _code_problems(name: str, table: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Codes the return never used (error) and codes not valid in the row's year (warning)."""
    found = []
    eff = None
    for col in TABLE_COLUMNS[name]:
        listname = codelists.list_for_column(col)
        if listname is None:
            continue
        values = table[col]
        present = values.notna()
        if not present.any():
            continue
        unknown = present & ~values.isin(codelists.known_codes(listname))
        found.append(
            _issues(
                name,
                table,
                unknown,
                col,
                values,
                "unknown_code",
                f"{col} is not a code of the {codelists.code_list(listname).label} list",
            )
        )
        eff = _effective_year(name, table, year) if eff is None else eff
        wrong_year = pd.Series(False, index=table.index)
        for y in eff.dropna().unique():
            valid = codelists.valid_codes(listname, int(y))
            wrong_year |= (eff == y).fillna(False) & present & ~unknown & ~values.isin(valid)
        if wrong_year.any():
            message = f"{col} code not valid in the return for the year ending March " + eff[
                wrong_year
            ].astype("str")
            found.append(_issues(name, table, wrong_year, col, values, "code_out_of_year", message))
    return tidy_issues(found)


def _closed_by_stacking(data: Data903) -> pd.Series:
    """Episodes the stacking rules closed (``episode_not_restated``): a blank REC is explained there."""
    i = data.issues
    closed = i.loc[i["rule"] == "episode_not_restated", ["file", "row"]]
    e = data.episodes
    if closed.empty or e.empty:
        return pd.Series(False, index=e.index)
    keys = pd.MultiIndex.from_frame(closed.astype({"file": "str", "row": "int64"}))
    here = pd.MultiIndex.from_arrays([e[SOURCE_FILE].astype("str"), e[SOURCE_ROW].astype("int64")])
    return pd.Series(here.isin(keys), index=e.index)


def _episode_problems(e: pd.DataFrame, closed: pd.Series | None = None) -> list[pd.DataFrame]:
    """Rules within the Episodes table: dates, pairing of DEC/REC, overlaps, duplicates, X1 links."""
    if e.empty:
        return []
    t = "episodes"
    closed = pd.Series(False, index=e.index) if closed is None else closed
    out = [
        _issues(
            t, e, e["DEC"] < e["DECOM"], "DEC", e["DEC"], "episode_ends_before_start", "DEC is before DECOM"
        ),
        _issues(
            t,
            e,
            e["DEC"].notna() & e["REC"].isna() & ~closed,
            "REC",
            None,
            "dec_without_rec",
            "the episode has a DEC but no REC",
        ),
        _issues(
            t,
            e,
            e["REC"].notna() & e["DEC"].isna(),
            "DEC",
            e["REC"],
            "rec_without_dec",
            "the episode has a REC but no DEC",
        ),
        _issues(
            t,
            e,
            (e["PLACE_PROVIDER"] == "PR0") & (e["PLACE"] != "P1"),
            "PLACE_PROVIDER",
            e["PLACE"],
            "provider_place_mismatch",
            "PLACE_PROVIDER is PR0 but PLACE is not P1",
        ),
    ]
    year_end = pd.Series(pd.NaT, index=e.index, dtype="datetime64[ns]")
    for y in e[RETURN_YEAR].dropna().unique():
        year_end[(e[RETURN_YEAR] == y).fillna(False)] = pd.Timestamp(int(y), 3, 31)
    for col in ("DECOM", "DEC"):
        late = (e[col] > year_end).fillna(False)
        out.append(
            _issues(
                t,
                e,
                late,
                col,
                e[col],
                "date_after_return_year",
                f"{col} is after 31 March of the return's year",
            )
        )

    # Episodes in order of child then start date (integer child codes: sorting text is slow).
    child_code, _ = pd.factorize(e["CHILD"])
    order = np.lexsort((e["DECOM"].to_numpy(), child_code))
    s = e[["CHILD", "DECOM", "DEC", "REC", "RNE", SOURCE_FILE, SOURCE_ROW]].take(order)
    child = pd.Series(child_code[order], index=s.index)
    same_child = child.eq(child.shift())
    same_start = same_child & s["DECOM"].eq(s["DECOM"].shift())
    prev_dec = s["DEC"].shift()
    overlap = same_child & ~same_start & (prev_dec.isna() | (prev_dec > s["DECOM"]))
    prev_file, prev_row = s[SOURCE_FILE].shift(), s[SOURCE_ROW].shift()

    def previous(mask: pd.Series) -> pd.Series:
        return (
            " ("
            + prev_file[mask].astype("str")
            + " row "
            + prev_row[mask].astype("Int64").astype("str")
            + ")"
        )

    out.append(
        _issues(
            t,
            s,
            same_start,
            "DECOM",
            s["DECOM"],
            "duplicate_episode",
            "another episode of this child starts the same day" + previous(same_start),
        )
    )
    out.append(
        _issues(
            t,
            s,
            overlap,
            "DECOM",
            s["DECOM"],
            "overlapping_episodes",
            "starts before the child's previous episode ended" + previous(overlap),
        )
    )
    # X1 means the child stays in care: the next episode continues (RNE not S); after any other
    # ending, or a gap, the child starts a new period of care (RNE S).
    prev_rec = s["REC"].shift()
    continuing = same_child & prev_dec.eq(s["DECOM"]) & prev_rec.eq("X1")
    new_period = same_child & ~continuing & ~same_start & prev_dec.notna() & (prev_dec <= s["DECOM"])
    rne_wrong = (continuing & s["RNE"].eq("S")) | (new_period & s["RNE"].notna() & s["RNE"].ne("S"))
    out.append(
        _issues(
            t,
            s,
            rne_wrong.fillna(False),
            "RNE",
            s["RNE"],
            "rne_mismatch",
            "RNE does not fit how the child's previous episode ended" + previous(rne_wrong.fillna(False)),
        )
    )
    next_same_day = child.eq(child.shift(-1)) & s["DEC"].eq(s["DECOM"].shift(-1))
    x1_alone = (s["REC"] == "X1") & s["DEC"].notna() & ~next_same_day
    out.append(
        _issues(
            t,
            s,
            x1_alone,
            "REC",
            s["REC"],
            "x1_without_next",
            "REC is X1 but no episode of this child starts on its DEC",
        )
    )
    return out


def _child_problems(e: pd.DataFrame, h: pd.DataFrame, oc3: pd.DataFrame | None = None) -> list[pd.DataFrame]:
    """Rules across Episodes and Header: every child in both, and episodes within childhood. A care
    leaver in OC3 has a Header row without episodes when the return's years hold none of their care
    (the DfE's rule INT06 wants every OC3 child in the Header)."""
    if e.empty or h.empty:
        return []
    out = []
    first_episode = ~e["CHILD"].duplicated()
    no_header = first_episode & ~_isin(e["CHILD"], h["CHILD"])
    out.append(
        _issues(
            "episodes",
            e,
            no_header,
            "CHILD",
            e["CHILD"],
            "child_not_in_header",
            "this child has episodes but no Header row",
        )
    )
    out.append(
        _issues(
            "header",
            h,
            ~_isin(h["CHILD"], e["CHILD"])
            & ~_isin(h["CHILD"], oc3["CHILD"] if oc3 is not None else pd.Series(dtype="str")),
            "CHILD",
            h["CHILD"],
            "child_without_episodes",
            "this child has a Header row but no episodes",
        )
    )
    dob = e["CHILD"].map(h.drop_duplicates("CHILD").set_index("CHILD")["DOB"])
    start = e["DECOM"]
    before = (start < dob).fillna(False)
    out.append(
        _issues(
            "episodes", e, before, "DECOM", start, "episode_before_birth", "DECOM is before the child's DOB"
        )
    )
    had_birthday = (start.dt.month * 100 + start.dt.day) >= (dob.dt.month * 100 + dob.dt.day)
    age = start.dt.year - dob.dt.year - (~had_birthday).astype("int64")
    adult = (age >= 18).fillna(False)
    out.append(
        _issues(
            "episodes",
            e,
            adult,
            "DECOM",
            start,
            "started_after_18",
            "the episode starts on or after the child's 18th birthday",
        )
    )
    return out


def _missing_episode_problems(m: pd.DataFrame) -> pd.DataFrame:
    if m.empty:
        return tidy_issues([])
    reversed_ = (m["MIS_END"] < m["MIS_START"]).fillna(False)
    return _issues(
        "missing",
        m,
        reversed_,
        "MIS_END",
        m["MIS_END"],
        "missing_ends_before_start",
        "MIS_END is before MIS_START",
    )
