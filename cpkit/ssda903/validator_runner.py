"""Run the DfE's SSDA903 validation rules (``csc-validator-be-903``) on prepared CSV returns.

This script runs INSIDE the validator's own environment (``.venv-validator``: pandas<2, numpy<1.25),
never in cpkit's: it imports nothing from cpkit. ``cpkit.ssda903.validator`` writes the returns as
the validator's CSV tables and a job file, runs ``python validator_runner.py JOB OUT`` and reads OUT.

JOB (JSON): {"la_code": str, "runs": [{"year": 2025, "this_year": [csv paths], "prev_year": [csv paths]}]}
OUT (JSON): {"results": [{"year", "table", "row", "rule", "message", "columns"}], "rulesets": {year: name},
            "failed": {year: [rule codes that raised]}}. No child identifier is written to OUT.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import warnings

# The rule packs by collection year (the year the return ends in): 2023 is lac2022_23. A year
# before the first pack is checked with the first; a year after the last with the last.
FIRST, LAST = 2023, 2027


def ruleset_for(year: int) -> str:
    y = min(max(year, FIRST), LAST)
    return f"lac{y - 1}_{y % 100:02d}"


def main(job_path: str, out_path: str) -> int:
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    from lac_validator import lac_validator
    from lac_validator.report import Report
    from lac_validator.utils import process_uploaded_files

    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    results: list[dict[str, object]] = []
    rulesets: dict[str, str] = {}
    failed: dict[str, list[str]] = {}
    for run in job["runs"]:
        year = int(run["year"])
        name = ruleset_for(year)
        rulesets[str(year)] = name
        registry = importlib.import_module(f"lac_validator.rules.{name}").registry
        files = process_uploaded_files({"This year": run["this_year"], "Prev year": run["prev_year"]})
        v = lac_validator.LacValidator(
            metadata={"collectionYear": str(year), "localAuthority": job["la_code"]},
            files=files,
            registry=registry,
            selected_rules=None,
        )
        failed[str(year)] = list(v.fails)
        report = Report(v.ds_results, registry)
        messages = {rule.code: rule.message for rule in registry.values()}
        fields = {rule.code: list(rule.affected_fields) for rule in registry.values()}
        frame = report.report
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
