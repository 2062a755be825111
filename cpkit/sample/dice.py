"""Seeded random draws for the synthetic sample, built only on ``random.Random.random()``.

Python promises that ``random()`` gives the same stream for the same seed on every version, while
helpers such as ``choices`` or numpy's distributions may change between releases. Building every
draw from ``random()`` keeps the committed sample byte-identical when Python or numpy is upgraded.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from itertools import accumulate
from statistics import NormalDist

_STANDARD_NORMAL = NormalDist()


class Dice:
    """A seeded source of the few kinds of draw the simulation needs."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def u(self) -> float:
        """Uniform on [0, 1)."""
        return self._random.random()

    def chance(self, p: float) -> bool:
        return self.u() < p

    def integer(self, low: int, high: int) -> int:
        """Uniform integer, both ends inclusive."""
        return low + min(int(self.u() * (high - low + 1)), high - low)

    def pick(self, weights: Mapping[str, float]) -> str:
        """One key, with probability proportional to its weight (mapping order is the tie-break)."""
        keys = list(weights)
        cumulative = list(accumulate(weights[k] for k in keys))
        return keys[min(bisect_right(cumulative, self.u() * cumulative[-1]), len(keys) - 1)]

    def choice(self, items: Sequence):
        return items[min(int(self.u() * len(items)), len(items) - 1)]

    def normal(self, mean: float, sd: float) -> float:
        return mean + sd * _STANDARD_NORMAL.inv_cdf(min(max(self.u(), 1e-12), 1 - 1e-12))

    def lognormal(self, median: float, sigma: float) -> float:
        """Skewed positive durations: half below ``median``, spread ``sigma`` on the log scale."""
        return median * math.exp(self.normal(0.0, sigma))

    def exponential(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.u())

    def day_between(self, first: date, last: date) -> date:
        """A uniform day, both ends inclusive."""
        return first + timedelta(days=self.integer(0, (last - first).days))
