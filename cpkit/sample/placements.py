"""Placement types, providers, Ofsted URNs and placement postcodes for the synthetic sample.

The mixes follow England's children looked after at 31 March (about 70% fostered, a fifth of them with
relatives or friends; 10-12% in children's homes; 6% placed with parents; 3% placed for adoption),
with the code changes the DfE made: supported accommodation K3 from the 2023-24 return (providers had
to register with Ofsted by 28 October 2023), H5 and P2 withdrawn from the 2024-25 return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cpkit.sample.dice import Dice
from cpkit.sample.postcodes import Postcode, PostcodePool

K3_FIRST_DAY = date(2023, 4, 1)  # first day of the 2023-24 return, the first to carry K3
K3_REGISTRATION = date(2023, 10, 28)  # unregistered supported accommodation became unlawful
Z1_SPLIT = date(2025, 4, 1)  # first day of the 2025-26 return: "other placement" Z1 becomes Z11-Z14
NO_URN = "XXXXXXX"
OTHER_SPLIT = ("Z11", "Z12", "Z13", "Z14")
# The DfE asks for no Ofsted URN for these placement types.
_NO_URN_TYPES = frozenset(
    {"P1", "P2", "P3", "H5", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", *OTHER_SPLIT}
)
# No placement provider for these (DfE rule 178).
NO_PROVIDER_TYPES = frozenset({"T0", "T1", "T2", "T3", "T4", "Z1", *OTHER_SPLIT})

FOSTER = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
KINSHIP = frozenset({"U1", "U2", "U3"})
SUPPORTED = frozenset({"H5", "P2", "K3"})
ADOPTION = frozenset({"A3", "A4", "A5", "A6"})

# Placement on entering care, by age on the day. "SUP" stands for supported accommodation
# (H5/P2 before K3 existed, K3 after): see ``supported_code``.
FIRST_PLACEMENT: dict[str, dict[str, float]] = {
    "0": {"U6": 58, "U3": 14, "U5": 6, "R3": 12, "P1": 6, "U4": 2, "R2": 2},
    "1-4": {"U6": 63, "U3": 22, "P1": 8, "U4": 3, "K2": 1, "R3": 2, "Z1": 1},
    "5-9": {"U6": 62, "U3": 21, "P1": 8, "U4": 4, "K2": 3, "S1": 1, "Z1": 1},
    "10-13": {"U6": 58, "U3": 15, "P1": 9, "U4": 3, "K2": 13, "K1": 1, "S1": 1, "R1": 1},
    "14-15": {"U6": 49, "U3": 12, "P1": 8, "U4": 2, "K2": 24, "K1": 2, "S1": 2, "R1": 1, "Z1": 1},
    "16-17": {"U6": 28, "U3": 6, "P1": 4, "K2": 14, "SUP": 45, "K1": 1, "Z1": 2},
}
# Later placements (after a move), by age on the day of the move.
NEXT_PLACEMENT: dict[str, dict[str, float]] = {
    "0": {"U6": 68, "U4": 8, "U3": 14, "P1": 8, "R3": 2},
    "1-4": {"U6": 56, "U4": 18, "U3": 14, "P1": 10, "K2": 2},
    "5-9": {"U6": 50, "U4": 22, "U3": 14, "P1": 9, "K2": 4, "S1": 1},
    "10-13": {"U6": 44, "U4": 18, "U3": 10, "P1": 8, "K2": 19, "K1": 1, "S1": 1, "R1": 1},
    "14-15": {"U6": 39, "U4": 12, "U3": 8, "P1": 7, "K2": 30, "K1": 2, "S1": 2, "R1": 1, "Z1": 1},
    "16-17": {"U6": 20, "U4": 8, "U3": 5, "P1": 3, "K2": 16, "SUP": 46, "K1": 1, "R5": 1, "Z1": 1},
}
REASON_PLACE_CHANGE: dict[str, float] = {
    "CARPL": 42,
    "CREQB": 14,
    "CREQO": 10,
    "CHILD": 8,
    "LAREQ": 8,
    "ALLEG": 3,
    "STAND": 3,
    "APPRR": 2,
    "OTHER": 10,
}
# Share of new non-kinship foster placements with the council's own carers, by collection year of
# the placement's start: the in-house share dips as carers retire, then recovers after a
# recruitment drive, so the report has a trend to describe.
INHOUSE_FOSTER_SHARE: dict[int, float] = {
    2017: 0.40,
    2018: 0.39,
    2019: 0.38,
    2020: 0.35,
    2021: 0.31,
    2022: 0.28,
    2023: 0.29,
    2024: 0.34,
    2025: 0.39,
}
# Where placements are, relative to the council: inside, outside within 20 miles of home, further.
_BANDS: dict[str, dict[str, float]] = {
    "kinship": {"inside": 70, "near": 16, "far": 14},
    "foster_inhouse": {"inside": 86, "near": 11, "far": 3},
    "foster_external": {"inside": 48, "near": 26, "far": 26},
    "adoption": {"inside": 35, "near": 30, "far": 35},
    "home_inhouse": {"inside": 100},
    "home_external": {"inside": 26, "near": 26, "far": 48},
    "supported": {"inside": 62, "near": 26, "far": 12},
    "secure": {"near": 30, "far": 70},
    "other": {"inside": 34, "near": 30, "far": 36},
}


@dataclass(frozen=True)
class Placement:
    """One carer or setting: changing any of these is a change of placement."""

    place: str
    provider: str
    postcode: str  # "" when not recorded
    urn: str
    carer: int  # identifies the carer, so a change of placement type can keep the same carer


def collection_year(day: date) -> int:
    """The return a day belongs to: 2025 for 1 April 2024 to 31 March 2025."""
    return day.year + 1 if day.month >= 4 else day.year


def age_band(age: int) -> str:
    if age < 1:
        return "0"
    if age < 5:
        return "1-4"
    if age < 10:
        return "5-9"
    if age < 14:
        return "10-13"
    if age < 16:
        return "14-15"
    return "16-17"


def supported_code(dice: Dice, day: date) -> str:
    """The code for a 16-17-year-old's supported accommodation placement starting on ``day``."""
    if day >= K3_REGISTRATION:
        return "K3"
    if day >= K3_FIRST_DAY:
        return "K3" if dice.chance(0.35) else ("H5" if dice.chance(0.9) else "P2")
    return "H5" if dice.chance(0.88) else "P2"


class Settings:
    """Registered settings (children's homes, secure homes, supported accommodation): each has one URN
    and one postcode, so children placed in the same home share both, as in real returns."""

    def __init__(self, dice: Dice, pool: PostcodePool) -> None:
        self._dice = dice
        self._pool = pool
        self._centre = pool.inside[0]  # a fixed reference point for drawing where homes are
        self.homes: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._add("K2", "PR1", 8, "SC9992", "home_inhouse")
        self._add("K2", "PR4", 60, "SC9993", "home_external")
        self._add("K2", "PR5", 6, "SC9994", "home_external")
        self._add("K2", "PR2", 4, "SC9995", "home_external")
        self._add("K1", "PR2", 5, "SC9996", "secure")
        self._add("K1", "PR1", 1, "SC9997", "home_inhouse")
        self._add("K3", "PR4", 24, "2999", "supported")
        self._add("K3", "PR5", 6, "2998", "supported")
        self._add("K3", "PR1", 3, "2997", "home_inhouse")
        self._add("R3", "PR4", 3, "SC9981", "other")
        self._add("R3", "PR1", 1, "SC9982", "home_inhouse")
        self._add("S1", "PR4", 6, "9990", "other")
        self._add("S1", "PR3", 3, "9991", "other")

    def _add(self, place: str, provider: str, count: int, prefix: str, band_key: str) -> None:
        homes = []
        for i in range(count):
            urn = (
                f"{prefix}{i + 1:0{8 - len(prefix)}d}" if prefix.startswith("SC") else f"{prefix}{i + 1:03d}"
            )
            band = self._dice.pick(_BANDS[band_key])
            homes.append((urn, self._pool.placement(self._dice, self._centre, band).code))
        self.homes[(place, provider)] = homes

    def pick(self, place: str, provider: str) -> tuple[str, str]:
        return self._dice.choice(self.homes[(place, provider)])


class PlacementMaker:
    """Chooses the provider, carer, URN and postcode for a placement type."""

    def __init__(self, dice: Dice, pool: PostcodePool) -> None:
        self.dice = dice
        self.pool = pool
        self.settings = Settings(dice, pool)
        self._next_carer = 0
        self._ifa_urns = [f"SC999{100 + i}" for i in range(1, 25)]
        self._vaa_urns = [f"SC999{400 + i}" for i in range(1, 6)]

    def carer(self) -> int:
        self._next_carer += 1
        return self._next_carer

    def choose_type(self, table: dict[str, dict[str, float]], age: int, day: date, ls: str) -> str:
        place = self.dice.pick(table[age_band(age)])
        if place == "SUP":
            place = supported_code(self.dice, day)
        if place == "Z1" and day >= Z1_SPLIT:
            place = self.dice.choice(OTHER_SPLIT)
        if place == "P1" and ls not in ("C1", "C2"):
            place = "U6"  # placement with parents needs a care order
        return place

    def make(self, place: str, day: date, home: Postcode) -> Placement:
        dice = self.dice
        if place in KINSHIP:
            provider, band, urn = "PR1", "kinship", "SC999001"
        elif place in FOSTER:
            share = INHOUSE_FOSTER_SHARE.get(collection_year(day), 0.38)
            if dice.chance(share):
                provider, band, urn = "PR1", "foster_inhouse", "SC999001"
            else:
                provider = "PR5" if dice.chance(0.1) else "PR4"
                band, urn = "foster_external", dice.choice(self._ifa_urns)
        elif place in ADOPTION:
            provider = dice.pick({"PR1": 70, "PR5": 20, "PR2": 10})
            band = "adoption"
            urn = "SC999401" if provider != "PR5" else dice.choice(self._vaa_urns)
        elif place == "P1":
            postcode = home.code if dice.chance(0.85) else self.pool.home(dice).code
            return Placement(place, "PR0", postcode, NO_URN, self.carer())
        elif place in ("K1", "K2", "K3", "R3", "S1"):
            weights = {
                "K2": {"PR4": 76, "PR1": 16, "PR5": 5, "PR2": 3},
                "K1": {"PR2": 85, "PR1": 15},
                "K3": {"PR4": 72, "PR5": 18, "PR1": 10},
                "R3": {"PR4": 70, "PR1": 30},
                "S1": {"PR4": 70, "PR3": 30},
            }[place]
            provider = dice.pick(weights)
            urn, postcode = self.settings.pick(place, provider)
            return Placement(place, provider, postcode, urn, self.carer())
        elif place in NO_PROVIDER_TYPES:  # Z1 (Z11-Z14 from 2025-26): no provider, no URN
            band, provider, urn = "other", "", NO_URN
        else:  # H5, P2, R1, R2, R5, P3: no URN
            provider = {
                "H5": {"PR4": 70, "PR5": 20, "PR1": 10},
                "P2": {"PR1": 60, "PR4": 40},
                "R1": {"PR4": 70, "PR3": 30},
                "R2": {"PR3": 100},
                "R5": {"PR3": 100},
                "P3": {"PR4": 100},
            }[place]
            provider = dice.pick(provider)
            band = "supported" if place in SUPPORTED else "other"
            urn = NO_URN
        # The council's own provision other than foster carers and adopters is in its own area (DfE rule
        # 1015). Every placement has a postcode (rules 392b, 169), never the child's home one (rule 392d).
        where = (
            "inside" if provider == "PR1" and band not in ("kinship", "foster_inhouse", "adoption") else None
        )
        while True:
            postcode = self.pool.placement(dice, home, where or dice.pick(_BANDS[band])).code
            if postcode != home.code:
                return Placement(place, provider, postcode, urn, self.carer())

    def retype(self, old: Placement, place: str) -> Placement:
        """The same carer, a new placement type (RNE T): e.g. short-term to long-term fostering."""
        urn = old.urn
        if place in ADOPTION:
            urn = "SC999401"
        elif place in _NO_URN_TYPES:
            urn = NO_URN
        elif old.urn == NO_URN:
            urn = f"2999{self.dice.integer(1, 24):03d}" if place == "K3" else "SC999001"
        return Placement(place, old.provider, old.postcode, urn, old.carer)
