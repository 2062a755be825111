"""Simulate one council's children in care, day by day of their care histories, over many years.

Children enter care (a Poisson stream, with unaccompanied asylum-seeking children and short-break
children as their own streams), follow a route out of care (home, special guardianship, adoption,
to adulthood, ...) whose length depends on the route, move placement, change legal status, go
missing and sometimes come back into care. The simulation starts years before the first return so
that the children already in care on its first day have realistic histories; ``cpkit.sample.ssda903``
then cuts the histories into yearly returns. Everything is drawn from one seeded ``Dice``, children
in order of entry, so a seed always gives the same council.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from cpkit.sample.dice import Dice
from cpkit.sample.people import (
    ChildIds,
    age_on,
    birthday,
    dob_for,
    entry_age_days,
    ethnicity,
    sex,
    upn,
)
from cpkit.sample.placements import (
    ADOPTION,
    FIRST_PLACEMENT,
    FOSTER,
    K3_REGISTRATION,
    KINSHIP,
    NEXT_PLACEMENT,
    REASON_PLACE_CHANGE,
    SUPPORTED,
    Placement,
    PlacementMaker,
)
from cpkit.sample.postcodes import Postcode, PostcodePool

# Routes out of care, by age at entry: the leaving mix then matches England's reasons ceased
# (returned home about a third, special guardianship ~12%, adoption ~8%, 18th birthday ~20%).
ROUTES: dict[str, dict[str, float]] = {
    "0": {
        "adoption": 38,
        "sgo": 22,
        "home_short": 9,
        "home_long": 13,
        "long_term": 10,
        "relatives": 2,
        "other": 6,
    },
    "1-4": {
        "adoption": 22,
        "sgo": 22,
        "home_short": 15,
        "home_long": 17,
        "long_term": 15,
        "relatives": 3,
        "other": 6,
    },
    "5-9": {
        "adoption": 2,
        "sgo": 16,
        "home_short": 27,
        "home_long": 19,
        "long_term": 24,
        "relatives": 4,
        "other": 8,
    },
    "10-15": {"sgo": 4, "home_short": 41, "home_long": 15, "long_term": 22, "relatives": 5, "other": 13},
    "16-17": {"home_short": 40, "long_term": 45, "relatives": 5, "other": 10},
}
CIN_NON_UASC: dict[str, float] = {
    "N1": 70,
    "N2": 3,
    "N3": 3,
    "N4": 8,
    "N5": 10,
    "N6": 2,
    "N7": 0.5,
    "N8": 3.5,
}
# Monthly seasonality of entries (fewer in August and December, as in real councils).
SEASON = {
    1: 1.05,
    2: 1.0,
    3: 1.05,
    4: 1.0,
    5: 1.05,
    6: 1.0,
    7: 1.05,
    8: 0.85,
    9: 1.07,
    10: 1.05,
    11: 1.0,
    12: 0.83,
}


@dataclass
class Episode:
    decom: date
    rne: str
    ls: str
    cin: str
    placement: Placement
    home_post: str
    reason_change: str = ""
    dec: date | None = None
    rec: str = ""


@dataclass
class Adoption:
    """The adoption decision and what became of it (AD1 and PlacedAdoption)."""

    decision: date
    match: date | None = None
    placed: date | None = None
    foster_care: int = 0
    adopters: tuple[str, str, str] = ("", "", "")  # NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR
    ceased: date | None = None
    ceased_reason: str = ""


@dataclass
class Child:
    child_id: str
    sex: int
    dob: date
    ethnic: str
    upn: str
    uasc: bool = False
    short_breaks: bool = False
    upn_unknown_when_young: bool = False
    mc_dob: date | None = None
    episodes: list[Episode] = field(default_factory=list)
    missing: list[tuple[str, date, date]] = field(default_factory=list)
    adoptions: list[Adoption] = field(default_factory=list)


def _days(n: float) -> timedelta:
    return timedelta(days=max(1, round(n)))


class CareSimulation:
    """Children in care from ``start`` to ``end`` (the last day any return covers).

    ``scale`` multiplies every entry stream's rate (local, UASC, short breaks), so the council's size in
    children in care scales with it (the sample's seed at 1, returns to 2025: 451 with an episode open on
    31 March 2025, short breaks aside; 0.1 gives about a tenth, 4 about four times); the children's own histories
    are drawn as before. At 1 the draws and arithmetic are unchanged (a rate times 1.0 is the same float),
    so the shipped sample's bytes are too (tests/sample/test_sample_903.py).
    """

    def __init__(self, seed: int, start: date, end: date, pool: PostcodePool, scale: float = 1.0) -> None:
        if not scale > 0:
            raise ValueError(f"scale must be above 0, not {scale}")
        self.dice = Dice(seed)
        self.scale = scale
        self.start = start
        self.end = end
        self.pool = pool
        self.places = PlacementMaker(self.dice, pool)
        self.ids = ChildIds(self.dice)
        self.children: list[Child] = []

    # ---- entry streams -------------------------------------------------------------------------
    def run(self) -> list[Child]:
        arrivals: list[tuple[date, int, str]] = []  # (day, order, stream): merged so ids follow time
        # A gap between entries is whole days, one at least, so one stream gives one entry a day at most:
        # above 1 the scale is ceil(scale) streams of each kind at scale / ceil(scale) apiece, none faster
        # than the shipped sample's (whose gaps, 1 copy at 1.0, are drawn exactly as before).
        copies = max(1, math.ceil(self.scale))
        each = self.scale / copies
        for stream, rate in (
            ("local", _local_rate),
            ("uasc", _uasc_rate),
            ("short_breaks", _short_break_rate),
        ):
            for _ in range(copies):
                day = self.start
                while True:
                    day = day + _days(self.dice.exponential(30.44 / (rate(day) * SEASON[day.month] * each)))
                    if day > self.end:
                        break
                    arrivals.append((day, len(arrivals), stream))
        for day, _, stream in sorted(arrivals):
            if stream == "short_breaks":
                self._short_break_child(day)
            else:
                self._new_child(day, uasc=stream == "uasc")
        return self.children

    def _new_child(self, day: date, uasc: bool) -> None:
        dice = self.dice
        if uasc:
            age_years = dice.pick({"13": 3, "14": 7, "15": 20, "16": 38, "17": 32})
            age_days = int(age_years) * 365 + dice.integer(0, 364)
        else:
            age_days = entry_age_days(dice)
        child_sex = sex(dice, uasc)
        child = Child(
            child_id=self.ids.new(),
            sex=child_sex,
            dob=dob_for(day, age_days),
            ethnic=ethnicity(dice, uasc),
            upn=upn(dice),
            uasc=uasc,
            upn_unknown_when_young=dice.chance(0.6),
        )
        self.children.append(child)
        cin = "N8" if uasc and dice.chance(0.9) else dice.pick(CIN_NON_UASC)
        home = self.pool.home(dice)
        missing_rate = 0.0 if dice.chance(0.74) else dice.lognormal(3.0, 0.9)
        when = day
        for _ in range(4):  # re-entries
            before = len(child.episodes)
            left, rec = self._spell(child, when, home, cin)
            self._missing(child, child.episodes[before:], missing_rate)
            age = age_on(child.dob, left)
            if rec not in ("E4A", "E4B", "E13", "E8", "E41", "E45", "E47") or age >= 16 or left >= self.end:
                break
            if not dice.chance(0.05 if rec in ("E45", "E47") else 0.17):
                break
            when = left + _days(dice.lognormal(280, 0.8))
            if when >= min(self.end, birthday(child.dob, 17)):
                break
            if dice.chance(0.3):
                home = self.pool.home(dice)
        self._maybe_mother(child)

    # ---- one period of care --------------------------------------------------------------------
    def _spell(self, child: Child, start: date, home: Postcode, cin: str) -> tuple[date, str]:
        """Add one period of care's episodes; return the day it ended and why."""
        dice = self.dice
        age = age_on(child.dob, start)
        eighteen = birthday(child.dob, 18)
        band = (
            "0" if age < 1 else "1-4" if age < 5 else "5-9" if age < 10 else "10-15" if age < 16 else "16-17"
        )
        route = "uasc" if child.uasc else dice.pick(ROUTES[band])
        ls = self._first_legal_status(route, age)
        if route in ("home_short", "relatives", "other") and ls in ("L1", "L2"):
            duration = (
                dice.integer(1, 3 if ls == "L1" else 8) if dice.chance(0.5) else dice.lognormal(60, 1.0)
            )
        else:
            duration = {
                "home_short": lambda: dice.lognormal(50, 1.1),
                "home_long": lambda: dice.lognormal(430, 0.45),
                "sgo": lambda: dice.lognormal(560, 0.35),
                "relatives": lambda: dice.lognormal(150, 0.8),
                "other": lambda: dice.lognormal(120, 0.9),
                "long_term": lambda: (eighteen - start).days,
                "uasc": lambda: (eighteen - start).days,
                "adoption": lambda: 0,
            }[route]()
        if ls == "J2" and route != "long_term":
            duration = dice.integer(1, 10)  # a PACE transfer ends within 21 days (DfE rule 364)
        end = start + _days(duration)
        if route == "uasc" and dice.chance(0.03):
            end, route = start + _days(dice.integer(20, 120)), "age_assessed"
        if route == "adoption" and ls == "V2":
            ls = "C1"  # adoption needs care proceedings (consent placements A3/A4 are left out)
        # legal status changes before the final hearing
        legal: dict[date, str] = {}
        if ls == "L1":
            legal[start + _days(dice.integer(1, 3))] = "C1" if route not in ("home_short", "uasc") else "V2"
        elif ls == "L2":
            legal[start + _days(dice.integer(3, 8))] = "C1"
        elif ls == "V2" and route in ("sgo", "home_long") and dice.chance(0.8):
            legal[start + _days(dice.lognormal(40, 0.6))] = "C1"
        elif ls == "V2" and route == "long_term" and age < 14 and dice.chance(0.6):
            legal[start + _days(dice.lognormal(90, 0.7))] = "C1"
        elif ls in ("J1", "J2") and route == "long_term":
            # remand (J1) lasts weeks; a PACE transfer (J2) at most 21 days (DfE rule 364)
            days = dice.lognormal(40, 0.5) if ls == "J1" else dice.integer(1, 10)
            legal[start + _days(days)] = "V2" if dice.chance(0.6) else "C1"
        c1_days = [d for d, v in legal.items() if v == "C1"] + ([start] if ls == "C1" else [])
        hearing = None
        if c1_days:
            hearing = max(start + _days(dice.lognormal(205, 0.25)), min(c1_days) + _days(60))
        adoption: Adoption | None = None
        if route == "adoption" and hearing is not None:
            adoption, end, route = self._adoption_plan(start, hearing, eighteen)
        elif route == "adoption":
            route, end = "sgo", start + _days(dice.lognormal(560, 0.35))
        if end >= eighteen:
            end, route = eighteen, ("uasc" if child.uasc else "long_term")
        if hearing is not None:
            if adoption is not None and adoption.ceased_reason != "RD2":
                legal[hearing] = "E1"
                if adoption.ceased is not None:
                    legal[adoption.ceased] = "C2"
            elif route != "home_short" or dice.chance(0.5):
                legal[hearing] = "C2"
        changes = self._placements(child, start, end, home, route, ls, legal, adoption)
        episodes = self._episodes(start, end, ls, cin, home, legal, changes, child.uasc)
        rec = self._reason_ceased(child, route, episodes[-1], ls)
        episodes[-1].dec, episodes[-1].rec = end, rec
        if adoption is not None:  # a plan in each period of care that had one (DfE rules 551, 553)
            child.adoptions.append(adoption)
        child.episodes.extend(episodes)
        return end, rec

    def _first_legal_status(self, route: str, age: int) -> str:
        dice = self.dice
        if route == "uasc":
            return "V2" if dice.chance(0.95) else "C1"
        if route in ("adoption", "sgo", "home_long"):
            return dice.pick({"C1": 74, "L2": 6, "L1": 5, "V2": 15})
        if route == "home_short":
            return dice.pick({"V2": 62, "L1": 16, "L2": 4, "C1": 18})
        if route == "long_term":
            if age >= 12:
                return dice.pick({"V2": 52, "C1": 38, "J1": 6, "L1": 4})
            return dice.pick({"C1": 70, "V2": 22, "L1": 4, "L2": 4})
        if age >= 12 and dice.chance(0.3):
            return dice.pick({"J1": 60, "J2": 40})
        return dice.pick({"V2": 55, "C1": 35, "L1": 10})

    def _adoption_plan(self, start: date, hearing: date, eighteen: date) -> tuple[Adoption, date, str]:
        """Decision, placement order, match, placement, adoption order; or a plan that changes."""
        dice = self.dice
        decision = hearing - _days(dice.integer(20, 75))
        adoption = Adoption(decision=max(decision, start + _days(30)))
        if dice.chance(0.13):  # the plan changes
            reason = dice.pick({"RD1": 35, "RD2": 20, "RD3": 25, "RD4": 20})
            adoption.ceased = hearing if reason == "RD2" else hearing + _days(dice.lognormal(200, 0.4))
            adoption.ceased_reason = reason
            after = dice.pick({"sgo": 50, "long_term": 50})
            end = adoption.ceased + _days(dice.lognormal(300, 0.5)) if after == "sgo" else eighteen
            return adoption, end, after
        adoption.match = hearing + _days(dice.lognormal(110, 0.5))
        adoption.placed = adoption.match + timedelta(days=dice.integer(0, 28))
        adoption.adopters = dice.pick(
            {
                "2|MF|L11": 52,
                "2|MF|L3": 12,
                "1|F1|L0": 14,
                "1|M1|L0": 2,
                "2|FF|L12": 6,
                "2|MM|L12": 6,
                "2|FF|L2": 3,
                "2|MM|L4": 2,
                "2|FF|L4": 3,
            }
        ).split("|")
        adoption.adopters = tuple(adoption.adopters)
        end = adoption.placed + _days(dice.lognormal(280, 0.35))
        return adoption, end, "adoption"

    def _placements(
        self,
        child: Child,
        start: date,
        end: date,
        home: Postcode,
        route: str,
        ls: str,
        legal: dict[date, str],
        adoption: Adoption | None,
    ) -> dict[date, tuple[Placement, str, str]]:
        """Placement changes: day -> (placement, "P" new carer or "T" same carer, reason)."""
        dice, places = self.dice, self.places
        age = age_on(child.dob, start)
        first_type = places.choose_type(FIRST_PLACEMENT, age, start, ls)
        if route == "sgo" and first_type in FOSTER and dice.chance(0.45):
            first_type = "U3"
        if child.uasc and age >= 16 and first_type in ("U6", "U3", "P1"):
            first_type = "U6" if dice.chance(0.35) else ("K3" if start >= K3_REGISTRATION else "H5")
        if ls in ("J1", "J2"):
            first_type = dice.pick({"K2": 40, "U6": 25, "K1": 20, "R5": 15})
        changes: dict[date, tuple[Placement, str, str]] = {
            start: (places.make(first_type, start, home), "P", "")
        }
        current = changes[start][0]
        stop = adoption.placed if adoption is not None and adoption.placed is not None else end
        moves: list[date] = []
        day = start + _days(dice.integer(2, 45)) if dice.chance(0.3) else start  # emergency, then planned
        while True:
            if day > start:
                moves.append(day)
            day = day + _days(dice.exponential(365 / self._move_rate(age_on(child.dob, day))))
            if day >= stop:
                break
        sixteen_move = None
        if route in ("long_term", "uasc") and dice.chance(0.4):
            sixteen_move = birthday(child.dob, 16) + _days(dice.integer(1, 540))
            if start < sixteen_move < stop:
                moves.append(sixteen_move)
        for day in sorted(set(moves)):
            if day >= stop:
                break
            if day == sixteen_move:
                if current.place in SUPPORTED:
                    continue
                new_type = places.choose_type({"16-17": {"SUP": 1}}, 16, day, "")
            else:
                new_type = places.choose_type(
                    NEXT_PLACEMENT, age_on(child.dob, day), day, self._ls_on(ls, legal, day)
                )
            if new_type == "P1" and current.place == "P1":
                continue  # still with parents: no change of placement to record (DfE rule 435)
            if (
                current.place in ("U6", "U3")
                and new_type in FOSTER
                and dice.chance(0.3)
                and route != "home_short"
            ):
                new, how, reason = (
                    places.retype(current, "U4" if current.place == "U6" else "U1"),
                    "T",
                    "PLACE",
                )
            else:
                new, how, reason = places.make(new_type, day, home), "P", dice.pick(REASON_PLACE_CHANGE)
                if new_type == "R5":
                    reason = "CUSTOD"
            changes[day] = (new, how, reason)
            current = new
        if adoption is not None and adoption.placed is not None and adoption.placed < end:
            if current.place in ("U5", "U4", "U6") and (current.place == "U5" or dice.chance(0.12)):
                changes[adoption.placed] = (places.retype(current, "A5"), "T", "PLACE")
                adoption.foster_care = 1
            else:
                changes[adoption.placed] = (places.make("A6", adoption.placed, home), "P", "CARPL")
        # Supported accommodation open when registration became compulsory is recoded as K3.
        days = sorted(changes)
        for i, d in enumerate(days):
            placement = changes[d][0]
            until = days[i + 1] if i + 1 < len(days) else end
            if placement.place in ("H5", "P2") and d < K3_REGISTRATION < until:
                changes[K3_REGISTRATION] = (places.retype(placement, "K3"), "T", "PLACE")
        return changes

    @staticmethod
    def _move_rate(age: int) -> float:
        """Placement moves a year, by age (teenagers move most)."""
        return 0.28 if age < 5 else 0.32 if age < 10 else 0.5 if age < 14 else 0.62

    @staticmethod
    def _ls_on(first: str, legal: dict[date, str], day: date) -> str:
        ls = first
        for d in sorted(legal):
            if d <= day:
                ls = legal[d]
        return ls

    def _episodes(
        self,
        start: date,
        end: date,
        ls: str,
        cin: str,
        home: Postcode,
        legal: dict[date, str],
        changes: dict[date, tuple[Placement, str, str]],
        uasc: bool = False,
    ) -> list[Episode]:
        """Merge legal and placement changes into episodes chained by X1 on the same day."""
        dice = self.dice
        # A legal change near a move often happens with it (RNE B); not near placements with parents,
        # which need the care order first.
        # Police protection (L1) and an EPO (L2) end when the law says (72 hours, 21 days: DfE rules 361
        # and 362), so the change that ends them stays on its day.
        with_parents = any(p.place == "P1" for p, _, _ in changes.values())
        limited = ls in ("L1", "L2")
        for d in sorted(legal) if not with_parents else []:
            if limited and d == min(legal):
                continue
            near = [c for c in changes if c != start and abs((c - d).days) <= 30 and c not in legal]
            if near and dice.chance(0.5):
                legal[near[0]] = legal.pop(d)
        current = changes[start][0]
        # No home postcode for an unaccompanied asylum-seeking child, so no distance (DfE rule 406).
        home_post = "" if uasc else home.code
        episodes = [Episode(start, "S", ls, cin, current, home_post)]
        for d in sorted(set(legal) | set(changes)):
            if d <= start or d >= end:
                continue
            new_ls = legal.get(d, episodes[-1].ls)
            if d in changes:
                placement, how, reason = changes[d]
            else:
                placement, how, reason = episodes[-1].placement, "", ""
            legal_change = new_ls != episodes[-1].ls
            if not legal_change and not how:
                continue
            rne = ("B" if how == "P" else "U") if legal_change and how else ("L" if legal_change else how)
            episodes[-1].dec, episodes[-1].rec = d, "X1"
            # The reason for a change of placement is recorded on the episode the change ends (DfE rule 225)
            episodes[-1].reason_change = reason if how else ""
            episodes.append(Episode(d, rne, new_ls, cin, placement, home_post))
        return episodes

    def _reason_ceased(self, child: Child, route: str, last: Episode, first_ls: str) -> str:
        dice = self.dice
        place = last.placement.place
        if route == "adoption" and place in ADOPTION:
            return "E11" if dice.chance(0.72) else "E12"
        if route == "age_assessed":
            return "E15"
        if route in ("home_short", "home_long"):
            if route == "home_long" and dice.chance(0.15):
                return "E41"
            return "E4A" if dice.chance(0.78) else "E4B"
        if route == "relatives":
            return "E13"
        if route in ("sgo", "adoption"):
            if place in KINSHIP:
                return "E45"
            if place in FOSTER and dice.chance(0.35):
                return "E46"
            return "E47" if dice.chance(0.75) else "E48"
        if route == "other":
            if last.ls in ("J1", "J2"):
                return "E14" if dice.chance(0.7) else "E9"
            return dice.pick({"E8": 36, "E3": 16, "E41": 22, "E13": 16, "E16": 4, "E2": 1, "E4B": 5})
        # 18th birthday (long_term, uasc)
        if place in FOSTER:
            return dice.pick({"E17": 50, "E5": 20, "E6": 12, "E4A": 4, "E4B": 4, "E8": 6, "E13": 4})
        if place in SUPPORTED:
            return dice.pick({"E5": 55, "E6": 25, "E8": 8, "E4B": 7, "E13": 5})
        return dice.pick({"E5": 32, "E6": 24, "E7": 6, "E4B": 14, "E8": 14, "E13": 10})

    # ---- missing, motherhood, short breaks -----------------------------------------------------
    def _missing(self, child: Child, episodes: list[Episode], rate: float) -> None:
        """Missing (M) and away (A) episodes while aged 10+, most from children's homes."""
        if rate <= 0:
            return
        dice = self.dice
        taken = {m[1] for m in child.missing}
        for ep in episodes:
            factor = {"K2": 2.0, "K1": 0.2, "H5": 1.5, "K3": 1.5, "P2": 1.2, "R5": 0.0}.get(
                ep.placement.place, 0.6
            )
            first = max(ep.decom, birthday(child.dob, 10))
            day = first + _days(dice.exponential(365 / (rate * factor))) if factor else ep.dec
            while day < ep.dec:
                length = dice.pick({"0": 38, "1": 34, "2": 14, "3": 8, "5": 4, "9": 2})
                # back before the placement ends (DfE rules 575 and 577 want no missing period outliving
                # the care it started in; rule 580 a leaver missing on the last day to be recorded E8)
                back = min(day + timedelta(days=int(length)), max(day, ep.dec - timedelta(days=1)))
                if day not in taken:
                    child.missing.append(("M" if dice.chance(0.85) else "A", day, back))
                    taken.add(day)
                day = back + _days(dice.exponential(365 / (rate * factor)))

    def _maybe_mother(self, child: Child) -> None:
        if child.sex != 2 or not self.dice.chance(0.05):
            return
        in_care = [e for e in child.episodes if e.dec is not None and e.dec > birthday(child.dob, 15)]
        if in_care:
            first = max(in_care[0].decom, birthday(child.dob, 15))
            last = min(in_care[-1].dec, birthday(child.dob, 18) - timedelta(days=1))
            if first < last:
                child.mc_dob = self.dice.day_between(first, last)

    def _short_break_child(self, day: date) -> None:
        """A disabled child having planned short breaks: many short episodes (V3), or V4 agreements."""
        dice = self.dice
        age_days = dice.integer(5 * 365, 15 * 365)
        child = Child(
            child_id=self.ids.new(),
            sex=1 if dice.chance(0.65) else 2,
            dob=dob_for(day, age_days),
            ethnic=ethnicity(dice, False),
            upn=upn(dice),
            short_breaks=True,
        )
        self.children.append(child)
        ls = "V3" if dice.chance(0.8) else "V4"
        # The council's own short-break unit, else a short-break foster carer. The DfE asks for no
        # placement location for short breaks: no postcodes, no URN (rules 214, 398, 420).
        if dice.chance(0.6):
            unit = Placement("K2", "PR1", "", "", self.places.carer())
        else:
            carer = self.places.make("U6", day, self.pool.home(dice))
            unit = Placement("U6", carer.provider, "", "", carer.carer)
        home = ""
        stop = min(day + _days(dice.integer(300, 1400)), birthday(child.dob, 18) - timedelta(days=5))
        while day < stop:
            nights = dice.integer(1, 4)
            child.episodes.append(
                Episode(day, "S", ls, "N2", unit, home, "", day + timedelta(days=nights), "E4A")
            )
            day = day + timedelta(days=nights + dice.integer(14, 42))


def _local_rate(day: date) -> float:
    """Children entering care each month (excluding UASC): rising slowly, as in England since 2015."""
    year = day.year + (day.month - 1) / 12
    return 12.6 + 0.3 * min(max(year - 2012, 0), 13)


def _uasc_rate(day: date) -> float:
    """UASC entering each month: few before 2015, more after the National Transfer Scheme (2016) and
    its mandatory version (2021-22)."""
    if day < date(2015, 9, 1):
        return 0.35
    if day < date(2021, 12, 1):
        return 1.2
    return 1.6


def _short_break_rate(day: date) -> float:
    return 0.45
