"""The action plan's exceptions for a quarter, on a hand-built tracker (Q3 2025-26: 1 Oct - 31 Dec 2025)."""

from __future__ import annotations

import pandas as pd

from cpkit.config import Period
from cpkit.poap.exceptions import action_exceptions


def test_overdue_delayed_and_completed_in_the_quarter():
    plan = pd.DataFrame(
        {
            "ref": ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"],
            "action": ["due in Q3, open", "due in Q3, revised to 2026", "delayed, news in Q3",
                       "delayed, no news", "complete in Q3", "complete before Q3"],
            "lead": ["L"] * 6,
            "due": pd.to_datetime(["2025-11-30", "2025-10-31", "2025-06-30", "2025-06-30", "2025-12-31", "2025-06-30"]),
            "revised_due": pd.to_datetime([None, "2026-01-31", None, None, None, None]),
            "status": ["in progress", "in progress", "delayed", "delayed", "complete", "complete"],
            "latest_update_date": pd.to_datetime(["2025-11-01", "2025-11-01", "2025-12-01", "2025-06-01",
                                                  "2025-12-15", "2025-07-01"]),
        }
    )  # fmt: skip
    got = action_exceptions(plan, Period.in_year(2026, 3))
    assert got[["Exception", "Ref"]].values.tolist() == [
        ["Overdue in the quarter", "1.1"],  # 1.2's revised date is after the quarter
        ["Delayed", "1.3"],
        ["Completed in the quarter", "1.5"],
    ]


def test_no_tracker_no_exceptions():
    assert action_exceptions(None, Period.in_year(2026, 3)).empty
