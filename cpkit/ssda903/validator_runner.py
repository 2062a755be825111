"""Run the DfE's SSDA903 validation rules (``csc-validator-be-903``) on prepared CSV returns.

This script runs INSIDE the validator's own environment (``.venv-validator``: pandas<2, numpy<1.25),
never in cpkit's: it imports nothing from cpkit. ``cpkit.ssda903.validator`` writes the returns as
the validator's CSV tables and a job file, runs ``python validator_runner.py JOB OUT`` and reads OUT.

JOB (JSON): {"la_code": str, "districts": [ONS district codes of the council's area],
             "runs": [{"year": 2025, "this_year": [csv paths], "prev_year": [csv paths],
                       "cut": "31/12/2025" for an in-year extract (its last day), else absent}]}
OUT (JSON): {"results": [{"year", "table", "row", "rule", "message", "columns"}], "rulesets": {year: name},
            "failed": {year: {rule code that raised: why}}}. No child identifier is written to OUT.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import warnings
from collections.abc import MutableMapping

# Councils whose ONS codes changed after the 2021 authorities table the validator derives the placement's
# council from (``lac_validator.datastore.la_df``), while its postcode directory already uses the new
# codes: without them a valid postcode there reads as "LA of placement not valid" (rules 169, 179, 1015).
# Each is its own upper tier: Cumberland, Westmorland and Furness, North Yorkshire, Somerset (April
# 2023 reorganisations) and Barnsley and Sheffield (the 2023 boundary change).
NEW_CODES = {
    "E06000063": "Cumberland",
    "E06000064": "Westmorland and Furness",
    "E06000065": "North Yorkshire",
    "E06000066": "Somerset",
    "E08000038": "Barnsley",
    "E08000039": "Sheffield",
}

# Rules of csc-validator-be-903 0.1.17 that raise on any return, and why (its faults, not the data's).
CANNOT_RUN = {
    "231": "it looks for a Header column UASC_STATUS, which the validator's own reader never makes (it "
    "makes UASC)",
    "233": "it looks for an Episodes column DATE_EPISODE_CEASED, which the validator's tables call DEC",
}

# The rule packs by collection year (the year the return ends in): 2023 is lac2022_23. A year
# before the first pack is checked with the first; a year after the last with the last.
FIRST, LAST = 2023, 2027


def ruleset_for(year: int) -> str:
    y = min(max(year, FIRST), LAST)
    return f"lac{y - 1}_{y % 100:02d}"


def authorities(table, la_code: str, districts: list[str]):
    """The validator's district -> council table with the codes it lacks, and the council's own districts
    (``la_district_codes`` in its settings) read as the council itself, so that placements in its area
    are "in" its area whatever code the directory gives them."""
    import pandas as pd

    known = set(table["LTLA21CD"])
    extra = [
        {"LTLA21CD": code, "LTLA21NM": name, "UTLA21CD": code, "UTLA21NM": name}
        for code, name in NEW_CODES.items()
        if code not in known
    ]
    extra += [
        {"LTLA21CD": code, "LTLA21NM": code, "UTLA21CD": la_code, "UTLA21NM": la_code}
        for code in districts
        if code not in known and code not in NEW_CODES
    ]
    table = pd.concat([table, pd.DataFrame(extra)], ignore_index=True) if extra else table.copy()
    own = table["LTLA21CD"].isin(districts)
    table.loc[own, "UTLA21CD"] = la_code
    return table


def why_failed(code: str, registry, validator) -> str:
    """Why a rule raised: the known fault, else the error it raises when run again on the same tables."""
    if code in CANNOT_RUN:
        return CANNOT_RUN[code]
    from lac_validator.datastore import copy_datastore, create_datastore

    try:
        registry[code].func(copy_datastore(create_datastore(validator.dfs, validator.metadata)))
    except Exception as err:  # noqa: BLE001 (any error of the rule is its reason)
        return f"it stopped with {type(err).__name__}: {str(err)[:120]}"
    return "it stopped with an error"


def deep_copy(data_store: dict) -> Copies:
    """Each rule's own copy of the tables. The validator hands each rule a shallow copy, and some rules
    write into it (365 fills every blank DEC with 31 March): every rule after them then read open
    episodes as ended, which made 575 and 577 flag missing periods still open at 31 March."""
    return Copies(data_store)


class Copies(MutableMapping):
    """One rule's tables (:func:`deep_copy`): a table is deep-copied from the shared ones when the rule
    first reads it, so a rule writes only into its own copies, and a table it never reads (most: a rule
    reads one to three of about twenty) is never copied. A table written under a name is the rule's own.

    The shared tables are consolidated (one block per dtype) once before they are copied, where the copy
    consolidated its result again for every rule (most of the copying's time): the rule gets the same
    values in the same layout, as deep a copy as before. ``metadata`` (settings, not tables) is shared,
    as the validator shares it."""

    def __init__(self, shared: dict) -> None:
        self._shared = shared
        self._own: dict = {}
        self._names = list(shared)

    def __getitem__(self, name):
        if name not in self._own:
            if name not in self._names:
                raise KeyError(name)
            table = self._shared[name]
            if name != "metadata":
                table._consolidate_inplace()  # a no-op once done: pandas remembers it
                table = table.copy(deep=True)
            self._own[name] = table
        return self._own[name]

    def __setitem__(self, name, value) -> None:
        if name not in self._names:
            self._names.append(name)
        self._own[name] = value

    def __delitem__(self, name) -> None:
        if name not in self._names:
            raise KeyError(name)
        self._names.remove(name)
        self._own.pop(name, None)

    def __iter__(self):
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name) -> bool:
        return name in self._names


class _Rows:
    """The postcode directory as :func:`one_directory` shows it to the validator's merge: only the rows
    the merge can match, already loaded."""

    def __init__(self, frame) -> None:
        self.dataframe = frame

    def load_postcodes(self, letters) -> None:
        pass  # loaded by one_directory's merge before it hands this over


def one_directory(datastore):
    """The validator's ``merge_postcodes`` merging with only the directory's rows the table can match.

    It left-merges every table's postcodes with the whole directory of their first letters (more than a
    million rows for the sample's S, D, H and W) six times a run (home and placement postcodes of both
    years' Episodes, and rule 392c's own two): a second of the run's five. The directory is still loaded
    by the validator's own reader (its letters, once each); the merge is the validator's own, given
    the directory's rows whose key is one of the table's (in the directory's order), so each left row
    meets the same rows in the same order and the result is the same frame."""
    import numpy as np
    import pandas as pd

    merge = datastore.merge_postcodes
    directory = datastore.postcodes
    index: dict[str, object] = {}  # the directory's keys as an index, for the frame it was built from

    def merged(df, postcode_field):
        written = df[postcode_field].str.upper()
        directory.load_postcodes(written.str[0].dropna().unique())
        frame = directory.dataframe
        if index.get("frame") is not frame:
            index.update(frame=frame, keys=pd.Index(frame["pcd_abbr"]))
        keys = pd.Index(written.str.replace(" ", "").unique())
        found = index["keys"].get_indexer_non_unique(keys)[0]
        rows = frame.take(np.unique(found[found >= 0]))
        datastore.postcodes = _Rows(rows)
        try:
            return merge(df, postcode_field)
        finally:
            datastore.postcodes = directory

    return merged


def first_of_each(name: str):
    """``SeriesGroupBy.idxmin`` / ``idxmax`` (``name``) of the validator's pandas (1.5), for what its rules
    ask (about forty calls a run: each child's first or last episode): a date column grouped by one
    column. pandas runs ``Series.idxmin`` on each group in turn (a third of the rules' time on the
    sample); this finds the same label at once: in each group, among the dates that are not NaT, the
    first row (in the table's order) holding the earliest (latest) date, as ``Series.idxmin`` (argmin
    over the non-missing values) finds it in the group pandas cut out in that order. The result is built
    as pandas builds it (a Series of those labels on the groups' index, named for the column). Anything
    else goes to pandas' own: another dtype, a group with no date (pandas raises there, and the rule is
    reported as failed), ``skipna=False``, arguments, several or categorical groupings, ``as_index=False``,
    no rows."""
    import numpy as np
    import pandas as pd

    def first(self, *args, **kwargs):
        obj = self._obj_with_exclusions
        grouper = self.grouper
        plain = (
            not args
            and set(kwargs) <= {"skipna"}
            and kwargs.get("skipna", True) is True
            and self.axis == 0
            and self.as_index
            and isinstance(obj, pd.Series)
            and obj.dtype == np.dtype("datetime64[ns]")
            and len(obj) > 0
            and len(grouper.groupings) == 1
            and not isinstance(grouper.result_index, pd.CategoricalIndex)
        )
        if plain:
            ids, _, ngroups = grouper.group_info
            stamps = obj._values.asi8  # NaT is the smallest int64, and never taken
            kept = (ids >= 0) & ~obj.isna().to_numpy()
            rows = np.flatnonzero(kept)
            groups = ids[rows]
            if ngroups > 0 and np.bincount(groups, minlength=ngroups).all():
                when = stamps[rows] if name == "idxmin" else -stamps[rows]
                order = rows[np.lexsort((rows, when, groups))]  # by group, date, then row
                starts = np.r_[True, ids[order][1:] != ids[order][:-1]]
                labels = [obj.index[i] for i in order[starts]]
                result = obj._constructor(data=labels, index=grouper.result_index, name=obj.name)
                return self._reindex_output(result)
        return self._make_wrapper(name)(*args, **kwargs)

    first.__name__ = name
    return first


def patch_everywhere(name: str, old, new) -> None:
    """Point every loaded module of the validator that holds ``old`` under ``name`` at ``new`` (rule 392c
    imports ``merge_postcodes`` by name from the datastore)."""
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("lac_validator") and getattr(module, name, None) is old:
            setattr(module, name, new)


def ending_at_cut(process):
    """The validator's collection dates, ending on an in-year extract's last day when the run has one: an
    extract of 31 December is not a return to 31 March, and read as one its open episodes run on to 31
    March (a child turning 18 by then is "looked after after the 18th birthday", rule 359; an open short
    break is over the 17 and 75 days of rules 365 and 367)."""

    def processed(metadata: dict) -> dict:
        out = process(metadata)
        if metadata.get("cut"):
            out["collection_end"] = metadata["cut"]
        return out

    return processed


def apart(func):
    """Rule 1001 with last year's episodes numbered after this year's. It stacks the two years keeping
    each table's row numbers and then drops short-break rows by number, so a care leaver's episode that
    shares its row number with a short break of the other year was dropped too and the young person
    read as not a care leaver. Its findings are on OC3 rows, which this does not renumber."""

    def run(dfs: dict):
        if "Episodes" in dfs and "Episodes_last" in dfs:
            dfs = dict(dfs)
            last = dfs["Episodes_last"].copy()
            last.index = last.index + len(dfs["Episodes"]) + 1
            dfs["Episodes_last"] = last
        return func(dfs)

    return run


def with_fixes(registry: dict) -> dict:
    """The rule pack with the rules whose own faults the kit works around (``apart``)."""
    import dataclasses

    rules = dict(registry)
    if "1001" in rules:
        rules["1001"] = dataclasses.replace(rules["1001"], func=apart(rules["1001"].func))
    return rules


def flagged(data_store: dict):
    """Every table's rows with the rules that flagged them (``ERR_<code>`` True), one frame in the order
    the validator's ``Report`` lays them out (tables in turn, its columns ``CHILD``, the ``ERR_`` ones,
    ``Table``, ``RowID``), without the report's ``Context`` column: a dict of every row's cells, built
    row by row (a tenth of the run), that the runner never reads (it is the child's data, kept out of
    OUT)."""
    import pandas as pd

    frames = []
    for table, value in data_store.items():
        if table == "metadata":
            continue
        frame = value[["CHILD"] + [c for c in value.columns if c[:4] == "ERR_"]].copy()
        frame["Table"] = table
        frame["RowID"] = frame.index
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def main(job_path: str, out_path: str) -> int:
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    from lac_validator import datastore, lac_validator
    from lac_validator.utils import process_uploaded_files

    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    datastore.la_df = authorities(datastore.la_df, job["la_code"], list(job.get("districts") or []))
    lac_validator.copy_datastore = deep_copy  # the name the validator runs each rule with
    merge_postcodes = datastore.merge_postcodes
    directory_merge = one_directory(datastore)
    datastore._process_metadata = ending_at_cut(datastore._process_metadata)
    from pandas.core.groupby.generic import SeriesGroupBy

    SeriesGroupBy.idxmin, SeriesGroupBy.idxmax = first_of_each("idxmin"), first_of_each("idxmax")
    results: list[dict[str, object]] = []
    rulesets: dict[str, str] = {}
    failed: dict[str, list[str]] = {}
    for run in job["runs"]:
        year = int(run["year"])
        name = ruleset_for(year)
        rulesets[str(year)] = name
        registry = with_fixes(importlib.import_module(f"lac_validator.rules.{name}").registry)
        patch_everywhere("merge_postcodes", merge_postcodes, directory_merge)
        files = process_uploaded_files({"This year": run["this_year"], "Prev year": run["prev_year"]})
        v = lac_validator.LacValidator(
            metadata={"collectionYear": str(year), "localAuthority": job["la_code"], "cut": run.get("cut")},
            files=files,
            registry=registry,
            selected_rules=None,
        )
        failed[str(year)] = {code: why_failed(code, registry, v) for code in v.fails}
        messages = {rule.code: rule.message for rule in registry.values()}
        fields = {rule.code: list(rule.affected_fields) for rule in registry.values()}
        frame = flagged(v.ds_results)
        for col in [c for c in frame.columns if c.startswith("ERR_")]:
            code = col[4:]
            hit = frame[frame[col] == True]  # noqa: E712 (object column of True/NaN)
            for table, row in zip(hit["Table"], hit["RowID"]):  # noqa: B905 (runs on Python 3.9 too)
                results.append(
                    {
                        "year": year,
                        "table": str(table),
                        "row": int(row),
                        "rule": code,
                        "message": messages.get(code, ""),
                        "columns": fields.get(code, []),
                    }
                )
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"results": results, "rulesets": rulesets, "failed": failed}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
