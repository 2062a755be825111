"""The action plan's exceptions for the quarter's page: what the Board needs to hear about since it last met.

A tracker keeps only each action's current status, not its history, so "newly" is read from the dates the
tracker does keep: an action is listed when its (revised) due date fell in the quarter and it is not complete
(newly overdue), when it is delayed and its progress log has an entry dated in the quarter (newly delayed
or still delayed with news), or when it is complete and its last update is dated in the quarter (newly
complete). Each row says which.
"""

from __future__ import annotations

import pandas as pd

from cpkit.config import Period

COLUMNS = ["Exception", "Ref", "Action", "Lead officer", "Due", "Status"]
ORDER = {"Overdue in the quarter": 0, "Delayed": 1, "Completed in the quarter": 2}


def action_exceptions(plan: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """One row per action the Board should hear about for ``period`` (see the module docstring)."""
    if plan is None or plan.empty:
        return pd.DataFrame(columns=COLUMNS)
    start, end = period.start_ts, period.end_ts
    due = pd.to_datetime(plan["revised_due"], errors="coerce").fillna(
        pd.to_datetime(plan["due"], errors="coerce")
    )
    updated = pd.to_datetime(plan["latest_update_date"], errors="coerce")
    in_quarter = updated.between(start, end)
    status = plan["status"]
    kinds = pd.Series("", index=plan.index)
    kinds[due.between(start, end) & (status != "complete")] = "Overdue in the quarter"
    kinds[(kinds == "") & (status == "delayed") & in_quarter] = "Delayed"
    kinds[(status == "complete") & in_quarter] = "Completed in the quarter"
    chosen = plan[kinds != ""]
    out = pd.DataFrame(
        {
            "Exception": kinds[kinds != ""],
            "Ref": chosen["ref"].astype(str),
            "Action": chosen["action"].astype(str),
            "Lead officer": chosen["lead"].fillna("").astype(str),
            "Due": [d.strftime("%d %b %Y") if pd.notna(d) else "" for d in due[kinds != ""]],
            "Status": chosen["status"].str.capitalize(),
        }
    )
    return out.sort_values("Exception", key=lambda s: s.map(ORDER), kind="stable").reset_index(drop=True)
