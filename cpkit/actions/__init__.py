"""The Board's action plan: read the hand-kept tracker, count progress, list data problems, and
present the report's action plan section.

>>> plan = load_action_plan("data/sample/action_plan.xlsx", as_of="2025-03-31")  # doctest: +SKIP
>>> summary(plan)  # actions by priority and status  # doctest: +SKIP
>>> problems(plan)  # what the tracker's keepers should fix  # doctest: +SKIP
"""

from cpkit.actions.read import COLUMNS, effective_due, is_overdue, load_action_plan
from cpkit.actions.statuses import STATUSES, classify_status
from cpkit.actions.summary import new_actions, problems, summary
from cpkit.errors import ActionPlanError

__all__ = [
    "COLUMNS",
    "STATUSES",
    "ActionPlanError",
    "classify_status",
    "effective_due",
    "is_overdue",
    "load_action_plan",
    "new_actions",
    "problems",
    "summary",
]
