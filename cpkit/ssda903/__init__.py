"""Reading, cleaning and checking the SSDA903 (children looked after) return."""

from cpkit.ssda903.model import Data903

__all__ = ["Data903"]
