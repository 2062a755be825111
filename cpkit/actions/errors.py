"""The one error the action plan reader raises for input it cannot use."""

from cpkit.errors import CpkitError


class ActionPlanError(CpkitError, ValueError):
    """The tracker cannot be read (missing, wrong type, no recognisable header); the message names the file."""
