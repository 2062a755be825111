"""Who the sample's children are: identifiers, sex, ethnicity, age at entry.

Mixes follow England's children looked after (DfE "Children looked after in England", 2023-2025):
about 56% boys, most starters either babies or teenagers, about three quarters white British once
unaccompanied asylum-seeking children (UASC, mostly 16-17-year-old boys) are counted in.
"""

from __future__ import annotations

from datetime import date, timedelta

from cpkit.sample.dice import Dice

# Starters' age at entry (years), non-UASC, shaped on England's starters by age group.
ENTRY_AGE_BANDS: dict[str, float] = {"0": 20, "1-4": 17, "5-9": 17, "10-15": 32, "16-17": 14}
_BAND_RANGE = {"0": (0, 0), "1-4": (1, 4), "5-9": (5, 9), "10-15": (10, 15), "16-17": (16, 17)}

ETHNIC_NON_UASC: dict[str, float] = {
    "WBRI": 80.0,
    "WIRI": 0.4,
    "WIRT": 0.4,
    "WOTH": 2.8,
    "WROM": 0.6,
    "MWBC": 4.0,
    "MWBA": 0.9,
    "MWAS": 1.1,
    "MOTH": 2.6,
    "AIND": 0.4,
    "APKN": 1.8,
    "ABAN": 0.3,
    "AOTH": 0.5,
    "BCRB": 0.9,
    "BAFR": 1.4,
    "BOTH": 0.4,
    "CHNE": 0.2,
    "OOTH": 0.9,
    "REFU": 0.3,
    "NOBT": 0.2,
}
# Unaccompanied children mostly come from Afghanistan, Eritrea, Sudan, Iran/Iraq (Kurdish), Albania.
ETHNIC_UASC: dict[str, float] = {"AOTH": 34, "BAFR": 30, "OOTH": 20, "WOTH": 10, "BOTH": 6}

# The first UPN letter may not be I, O or S (DfE rule); 999 is the sample's made-up LA number.
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def entry_age_days(dice: Dice) -> int:
    """Age on the day of entry, in days (under 1s skew young: many enter at birth)."""
    band = dice.pick(ENTRY_AGE_BANDS)
    if band == "0":
        return 0 if dice.chance(0.3) else int(dice.exponential(90)) % 365
    low, high = _BAND_RANGE[band]
    return dice.integer(low * 365, high * 365 + 364)


def birthday(dob: date, years: int) -> date:
    """The ``years``-th birthday (29 February birthdays fall on 1 March in other years)."""
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return date(dob.year + years, 3, 1)


def age_on(dob: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def dob_for(start: date, age_days: int) -> date:
    return start - timedelta(days=age_days)


def sex(dice: Dice, uasc: bool) -> int:
    """1 male, 2 female (the pre-2024-25 coding; the writer turns it into M/F where needed)."""
    return 1 if dice.chance(0.94 if uasc else 0.53) else 2


def ethnicity(dice: Dice, uasc: bool) -> str:
    return dice.pick(ETHNIC_UASC if uasc else ETHNIC_NON_UASC)


def upn(dice: Dice) -> str:
    """13 characters: a letter, the made-up LA number 999, then nine digits (never a real pupil)."""
    return dice.choice(_UPN_LETTERS) + "999" + "".join(str(dice.integer(0, 9)) for _ in range(9))


class ChildIds:
    """Unique CHILD identifiers: 6-8 digit strings, as case management systems issue them."""

    def __init__(self, dice: Dice) -> None:
        self._dice = dice
        self._used: set[str] = set()

    def new(self) -> str:
        while True:
            length = self._dice.pick({"6": 25, "7": 65, "8": 10})
            low = 10 ** (int(length) - 1)
            candidate = str(self._dice.integer(low, 10 * low - 1))
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate
