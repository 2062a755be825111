"""Reading, cleaning and checking the SSDA903 (children looked after) return."""

from cpkit.ssda903.checks import blocking, check_903, rule_description, summarise
from cpkit.ssda903.councils import Council, CouncilChoiceError, match_council
from cpkit.ssda903.model import Data903
from cpkit.ssda903.read import load_903

__all__ = [
    "Council",
    "CouncilChoiceError",
    "Data903",
    "match_council",
    "blocking",
    "check_903",
    "load_903",
    "rule_description",
    "summarise",
]
