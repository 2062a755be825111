"""Counts by priority and status, the data problems a tracker's keepers should fix, and new actions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from cpkit.actions.refs import out_of_sequence
from cpkit.actions.statuses import STATUSES

NOT_MAPPED = "status not recognised"
UNKNOWN_THEN = "status then not recorded"  # a past period's status the tracker does not keep (actions.as_at)


def summary(plan: pd.DataFrame, total: bool = True) -> pd.DataFrame:
    """Actions by priority (rows) and status (columns, in report order), with a total column.

    A column for statuses that could not be read, and one for statuses at a past period's end that the
    tracker does not record (``cpkit.actions.as_at``), appear only when there are some, so the counts
    always add up to the number of actions. ``total`` adds an "All priorities" row (priority <NA>).
    """
    status = plan["status"].astype("object").where(plan["status"].notna(), NOT_MAPPED)
    extra = [s for s in (UNKNOWN_THEN, NOT_MAPPED) if (status == s).any()]  # only when there are some
    columns = list(STATUSES) + extra
    keys = plan["priority"].astype("Int64")
    counts = pd.crosstab(keys, status).reindex(columns=columns, fill_value=0)
    if plan["priority"].isna().any():  # actions with no priority at all still count
        counts.loc[pd.NA] = status[keys.isna()].value_counts().reindex(columns, fill_value=0)
    counts.columns.name = None
    titles = (
        plan.dropna(subset=["priority"])
        .groupby("priority")["priority_title"]
        .agg(lambda s: next((t for t in s if t), ""))
    )
    out = counts.reset_index(names="priority")
    out.insert(1, "priority_title", out["priority"].map(titles).fillna(""))
    out["total"] = out[columns].sum(axis=1)
    if total:
        row = {
            "priority": pd.NA,
            "priority_title": "All priorities",
            **out[columns + ["total"]].sum().to_dict(),
        }
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    out["priority"] = out["priority"].astype("Int64")
    return out


def new_actions(plan: pd.DataFrame, start: date | str, end: date | str) -> pd.Series:
    """Actions new in the period: marked new ("(new)", "NEW"), or first dated update between start and end.

    A running log that was trimmed makes an old action look new; the marker is the surer sign.
    """
    first = plan["first_update_date"]
    in_period = (first >= pd.Timestamp(start)) & (first <= pd.Timestamp(end))
    return plan["new_marker"] | in_period.fillna(False).astype(bool)


PROBLEM_COLUMNS = ["file", "location", "ref", "column", "problem", "detail"]


def problems(plan: pd.DataFrame) -> pd.DataFrame:
    """Data quality issues, one row each: where, which action and column, what, and the text concerned.

    Missing lead; missing or unparseable due date on an open action; unmapped or missing status;
    missing, repaired, duplicate or out-of-sequence ref; overdue but not marked delayed; and every
    row the loader set aside as a note (so nothing leaves the tracker unseen).
    """
    found: list[dict[str, str]] = []

    def add(mask: pd.Series, column: str, problem: str, detail: pd.Series | str = "") -> None:
        for i in plan.index[mask.fillna(False).astype(bool)]:
            text = detail.loc[i] if isinstance(detail, pd.Series) else detail
            found.append(
                {
                    "location": plan.at[i, "location"],
                    "ref": plan.at[i, "ref"],
                    "column": column,
                    "problem": problem,
                    "detail": str(text),
                }
            )

    open_ = plan["status"] != "complete"
    add(plan["lead"] == "", "lead", "missing lead")
    add(open_ & (plan["due_kind"] == "missing"), "due", "missing due date")
    add(open_ & (plan["due_kind"] == "unparseable"), "due", "unparseable due date", plan["due_text"])
    add(plan["status"].isna() & (plan["status_text"] != ""), "status", "unmapped status", plan["status_text"])
    add(plan["status"].isna() & (plan["status_text"] == ""), "status", "missing status")
    add(plan["ref"] == "", "ref", "missing ref")
    add((plan["ref"] != "") & plan["ref"].duplicated(keep=False), "ref", "duplicate ref", plan["ref"])
    priorities = [None if pd.isna(p) else int(p) for p in plan["priority"]]
    positions = out_of_sequence(list(plan["ref"]), priorities)
    add(
        pd.Series(plan.index.isin(plan.index[positions]), index=plan.index),
        "ref",
        "ref out of sequence",
        plan["ref"],
    )
    overdue_detail = "due " + plan["due_text"] + "; status " + plan["status"].fillna("not recognised")
    add(
        plan["overdue"] & (plan["status"] != "delayed"),
        "status",
        "overdue but not marked delayed",
        overdue_detail,
    )
    for repair in plan.attrs.get("ref_repairs", []):
        found.append(
            {
                "location": repair["location"],
                "ref": repair["repaired"],
                "column": "ref",
                "problem": "repaired ref",
                "detail": f"written {repair['written']!r}, read as {repair['repaired']!r}",
            }
        )
    for row in plan.attrs.get("set_aside_rows", []):
        found.append(
            {
                "location": row["location"],
                "ref": "",
                "column": "",
                "problem": f"row set aside ({row['reason']})",
                "detail": row["text"],
            }
        )
    out = pd.DataFrame(found, columns=[c for c in PROBLEM_COLUMNS if c != "file"])
    out.insert(0, "file", Path(plan.attrs.get("source", "")).name)
    return out
