"""Write the synthetic SSDA903 sample: one folder of DfE-layout CSVs per collection year.

``write_903_sample`` simulates one council's children in care over the whole span
(``cpkit.sample.care``), then cuts the histories into the returns the council would have sent:
each year's Episodes hold the episodes open on 1 April or starting in the year, with DEC and REC
blank when the episode was still open on 31 March, so stacking the years duplicates the episodes
that span years, as real stacks do. The other tables follow the DfE's cohorts (OC2: looked after
continuously for 12 months at 31 March; OC3: care leavers with their 17th to 21st birthday in the
year; AD1: adopted in the year; ...). All fields are text, dates dd/mm/YYYY, rows sorted, so the
same seed gives byte-identical files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cpkit.errors import InputError
from cpkit.sample.care import CareSimulation, Child, Episode
from cpkit.sample.dice import Dice
from cpkit.sample.people import age_on, birthday
from cpkit.sample.placements import ADOPTION, FOSTER, NO_URN, OTHER_SPLIT
from cpkit.sample.postcodes import PostcodePool
from cpkit.ssda903.tables import TABLE_COLUMNS

FILE_NAMES: dict[str, str] = {
    "header": "header.csv",
    "episodes": "episodes.csv",
    "uasc": "uasc.csv",
    "oc2": "oc2.csv",
    "oc3": "oc3.csv",
    "ad1": "ad1.csv",
    "placed_adoption": "placed_adoption.csv",
    "missing": "missing.csv",
}
SIMULATION_LEAD_YEARS = 19  # so that the oldest child in care on the first day entered at birth
FIRST_MF_YEAR = 2025  # SEX is coded M/F from the 2024-25 return, 1/2 before
URN_BLANK_FROM = 2026  # from the 2025-26 return, no URN (not XXXXXXX) where none applies


def write_903_sample(
    out_dir: Path,
    seed: int = 2025,
    first_year: int = 2019,
    last_year: int = 2025,
    extract_date: date | None = None,
    extract_dir: Path | None = None,
    scale: float = 1.0,
) -> list[Path]:
    """Write returns ``first_year`` to ``last_year`` (2025 = 2024-25) under ``out_dir/<year>/``.

    With ``extract_date`` (after 31 March ``last_year``) the histories run on to that day and an in-year
    extract of the next collection year, to that day, is written to ``extract_dir`` (no OC2 or OC3: those
    cohorts exist only at 31 March), as a council's case system gives one between returns.
    ``scale`` sizes the council (``CareSimulation``: 1 is the shipped sample's, about 450 in care).
    Returns the files written, in order. Same arguments, same bytes.
    """
    if first_year > last_year:
        raise InputError(f"first_year {first_year} is after last_year {last_year}")
    last_day = date(last_year, 3, 31)
    if extract_date is not None and (extract_date <= last_day or extract_dir is None):
        raise InputError(f"an extract needs a folder and a date after {last_day}, not {extract_date}")
    children = simulate(seed, first_year, last_year, extract_date, scale=scale)
    cuts = [(Year(year), Path(out_dir) / str(year)) for year in range(first_year, last_year + 1)]
    if extract_date is not None and extract_dir is not None:
        cuts.append((Year(last_year + 1, extract_date), Path(extract_dir)))
    written: list[Path] = []
    for y, folder in cuts:
        folder.mkdir(parents=True, exist_ok=True)
        for name, rows in build_return(children, y, seed).items():
            if y.in_year and name in ("oc2", "oc3"):
                continue  # an in-year extract has no 31 March cohorts
            path = folder / FILE_NAMES[name]
            _write_csv(path, TABLE_COLUMNS[name], rows)
            written.append(path)
    return written


def simulate(
    seed: int = 2025,
    first_year: int = 2019,
    last_year: int = 2025,
    until: date | None = None,
    scale: float = 1.0,
) -> list[Child]:
    """The simulated children behind returns ``first_year`` to ``last_year`` (and an in-year extract to
    ``until``, when given), sorted by id (deterministic: the same arguments give the same children)."""
    simulation = CareSimulation(
        seed,
        start=date(first_year - SIMULATION_LEAD_YEARS, 4, 1),
        end=until or date(last_year, 3, 31),
        pool=PostcodePool(),
        scale=scale,
    )
    return sorted(simulation.run(), key=lambda c: c.child_id)


@dataclass(frozen=True)
class Year:
    """A collection year, or the part of one up to an in-year extract's date (``cut``)."""

    year: int
    cut: date | None = None

    @property
    def start(self) -> date:
        return date(self.year - 1, 4, 1)

    @property
    def end(self) -> date:
        return self.cut or date(self.year, 3, 31)

    @property
    def in_year(self) -> bool:
        return self.cut is not None


def build_return(children: list[Child], year: int | Year, seed: int) -> dict[str, list[dict[str, str]]]:
    """One collection year's tables (or, for a ``Year`` with a cut, an in-year extract's) as rows of text."""
    y = year if isinstance(year, Year) else Year(year)
    dice = Dice(seed * 10_000 + y.year)  # the year's own draws (health, care leavers), independent of others
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in FILE_NAMES}
    for child in children:
        episodes = [e for e in child.episodes if e.decom <= y.end and (e.dec is None or e.dec >= y.start)]
        leaver = _oc3_rows(child, y, dice) if not child.short_breaks and not y.in_year else []
        if episodes or leaver:
            # Every child the return holds has a Header row, care leavers too (DfE rule INT06), and an
            # unaccompanied child a UASC row until the return after the one in which that status ended:
            # DUC is the 18th birthday, in the future while the child is under 18 (rules 205A-205D
            # compare it across years; rule 104 wants no DUC before the year).
            tables["header"].append(_header_row(child, episodes, y))
            if child.uasc and birthday(child.dob, 18) >= y.start:
                tables["uasc"].append(
                    {
                        "CHILD": child.child_id,
                        "SEX": _sex(child, y),
                        "DOB": _d(child.dob),
                        "DUC": _d(birthday(child.dob, 18)),
                    }
                )
        if episodes:
            tables["episodes"] += [_episode_row(child, e, y) for e in episodes]
            tables["placed_adoption"] += _placed_adoption_rows(child, y)
            tables["ad1"] += _ad1_rows(child, episodes, y)
            tables["missing"] += [
                {
                    "CHILD": child.child_id,
                    "DOB": _d(child.dob),
                    "MISSING": kind,
                    "MIS_START": _d(start),
                    "MIS_END": _d(end) if end <= y.end else "",
                }
                for kind, start, end in sorted(child.missing, key=lambda m: m[1])
                # started in the year, or still open when the last return was made (rule 576)
                if y.start <= start <= y.end or start < y.start <= end
            ]
        if not child.short_breaks and not y.in_year and _in_oc2_cohort(child, y):
            tables["oc2"].append(_oc2_row(child, y, dice))
        tables["oc3"] += leaver
    return tables


# ---- rows -------------------------------------------------------------------------------------------
def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else ""


def _sex(child: Child, y: Year) -> str:
    if y.year >= FIRST_MF_YEAR:
        return "M" if child.sex == 1 else "F"
    return str(child.sex)


def _header_row(child: Child, episodes: list[Episode], y: Year) -> dict[str, str]:
    age = age_on(child.dob, y.end)
    unique_pupil = "UN1" if child.upn_unknown_when_young and age < 5 else child.upn
    mother = mc_dob = ""
    # MOTHER for every girl looked after in the year other than on short breaks (DfE rules 393, 607),
    # blank for a care leaver not looked after in the year (rule 165).
    if child.sex == 2 and any(e.ls not in ("V3", "V4") for e in episodes):
        # a mother by the end of the year, or by the day she left care if she left in it (DfE rule 625)
        left = episodes[-1].dec if episodes[-1].dec is not None and episodes[-1].dec <= y.end else y.end
        is_mother = child.mc_dob is not None and child.mc_dob <= left
        mother, mc_dob = ("1", _d(child.mc_dob)) if is_mother else ("0", "")
    return {
        "CHILD": child.child_id,
        "SEX": _sex(child, y),
        "DOB": _d(child.dob),
        "ETHNIC": child.ethnic,
        "UPN": unique_pupil,
        "MOTHER": mother,
        "MC_DOB": mc_dob,
    }


def _episode_row(child: Child, e: Episode, y: Year) -> dict[str, str]:
    closed = e.dec is not None and e.dec <= y.end
    p = e.placement
    place, urn = p.place, p.urn
    if y.year >= URN_BLANK_FROM:
        if urn == NO_URN and place not in FOSTER | ADOPTION:
            urn = ""  # from 2025-26, XXXXXXX is for fostering and adoption only (DfE rule 242)
        if place == "Z1":  # split into Z11-Z14 from 2025-26 (rule 146): an open Z1 is restated as one
            place = OTHER_SPLIT[p.carer % len(OTHER_SPLIT)]
    return {
        "CHILD": child.child_id,
        "DECOM": _d(e.decom),
        "RNE": e.rne,
        "LS": e.ls,
        "CIN": e.cin,
        "PLACE": place,
        "PLACE_PROVIDER": p.provider,
        "DEC": _d(e.dec) if closed else "",
        "REC": e.rec if closed else "",
        "REASON_PLACE_CHANGE": e.reason_change if closed else "",
        "HOME_POST": e.home_post,
        "PL_POST": p.postcode,
        "URN": urn,
    }


def _placed_adoption_rows(child: Child, y: Year) -> list[dict[str, str]]:
    rows = []
    for a in child.adoptions:
        if a.decision > y.end or (a.ceased is not None and a.ceased < y.start):
            continue
        ceased = a.ceased is not None and a.ceased <= y.end
        rows.append(
            {
                "CHILD": child.child_id,
                "DOB": _d(child.dob),
                "DATE_PLACED": _d(a.decision),
                "DATE_PLACED_CEASED": _d(a.ceased) if ceased else "",
                "REASON_PLACED_CEASED": a.ceased_reason if ceased else "",
            }
        )
    return rows


def _ad1_rows(child: Child, episodes: list[Episode], y: Year) -> list[dict[str, str]]:
    adopted = any(e.rec in ("E11", "E12") and e.dec is not None and e.dec <= y.end for e in episodes)
    plans = [a for a in child.adoptions if a.ceased is None]  # the plan that ended in adoption
    if not plans or not adopted:
        return []
    a = plans[-1]
    nb, sex_adoptr, ls_adoptr = a.adopters
    return [
        {
            "CHILD": child.child_id,
            "DOB": _d(child.dob),
            "DATE_INT": _d(a.decision),
            "DATE_MATCH": _d(a.match),
            "FOSTER_CARE": str(a.foster_care),
            "NB_ADOPTR": nb,
            "SEX_ADOPTR": sex_adoptr,
            "LS_ADOPTR": ls_adoptr,
        }
    ]


def _spell_on(child: Child, day: date) -> tuple[date, Episode] | None:
    """(start of the period of care, episode) for the episode open at the end of ``day``."""
    start = None
    for e in child.episodes:
        if e.rne == "S":
            start = e.decom
        if e.decom <= day and (e.dec is None or e.dec > day):
            return start, e
    return None


def _in_oc2_cohort(child: Child, y: Year) -> bool:
    """Looked after on 31 March and continuously since at least 1 April of the previous year."""
    found = _spell_on(child, y.end)
    return found is not None and found[0] <= y.start and found[1].ls not in ("V3", "V4")


def _oc2_row(child: Child, y: Year, dice: Dice) -> dict[str, str]:
    age = age_on(child.dob, y.end)
    flag = lambda p: "1" if dice.chance(p) else "0"  # noqa: E731
    sdq_score = sdq_reason = ""  # nothing under 4 (DfE rule 188)
    if 4 <= age <= 16:
        if dice.chance(0.8):
            base = Dice(int(child.child_id)).normal(14.0, 6.0)  # the child's own level, year after year
            sdq_score = str(int(min(40, max(0, round(base + dice.normal(0, 2.5))))))
        else:
            sdq_reason = dice.pick({"SDQ2": 18, "SDQ3": 14, "SDQ4": 48, "SDQ5": 20})
    elif age > 16:
        sdq_reason = "SDQ1"
    misuse = flag(0.05) if age >= 10 else "0"
    received = offered = ""
    if misuse == "1":
        received = flag(0.6)
        offered = "" if received == "1" else flag(0.85)  # asked only when none was received (rule 158)
    return {
        "CHILD": child.child_id,
        "DOB": _d(child.dob),
        "SDQ_SCORE": sdq_score,
        "SDQ_REASON": sdq_reason,
        "CONVICTED": flag(0.03) if age >= 10 else "",  # blank under 10 (DfE rule 542)
        "HEALTH_CHECK": flag(0.88) if age < 5 else "",
        "IMMUNISATIONS": flag(0.85),
        "TEETH_CHECK": flag(0.80),
        "HEALTH_ASSESSMENT": flag(0.90),
        "SUBSTANCE_MISUSE": misuse,
        "INTERVENTION_RECEIVED": received,
        "INTERVENTION_OFFERED": offered,
    }


# Care leavers' activity and accommodation (England, 2023-2025: about 55% in education, employment or
# training; about 88% in suitable accommodation).
ACTIV_17_18 = {"F1": 1, "F2": 38, "P2": 5, "F4": 4, "P4": 1, "F5": 7, "P5": 4, "G4": 8, "G5": 26, "G6": 6}
ACTIV_19_21 = {
    "F1": 7,
    "P1": 1,
    "F2": 14,
    "P2": 3,
    "F4": 4,
    "P4": 1,
    "F5": 15,
    "P5": 10,
    "G4": 10,
    "G5": 27,
    "G6": 8,
}
ACCOM_17_18 = {
    "D1": 28,
    "B1": 14,
    "E1": 9,
    "U1": 12,
    "T1": 4,
    "K1": 3,
    "C1": 3,
    "Y1": 5,
    "G1": 1,
    "X2": 3,
    "S2": 1,
    "W2": 1,
    "B2": 3,
    "D2": 3,
    "R2": 2,
    "V2": 1,
}
ACCOM_19_21 = {
    "U1": 44,
    "B1": 13,
    "D1": 9,
    "E1": 5,
    "T1": 3,
    "K1": 3,
    "Y1": 4,
    "G1": 1,
    "X2": 3,
    "S2": 2,
    "W2": 1,
    "B2": 3,
    "U2": 4,
    "R2": 3,
    "V2": 1,
}


def _oc3_rows(child: Child, y: Year, dice: Dice) -> list[dict[str, str]]:
    rows = []
    for years in (17, 18, 19, 20, 21):
        day = birthday(child.dob, years)
        if not (y.start <= day <= y.end) or not _eligible_care_leaver(child, day):
            continue
        young = years <= 18
        in_touch = dice.pick(
            {"YES": 94, "NO": 2, "REFU": 2, "NREQ": 1, "RHOM": 1}
            if young
            else {"YES": 88, "NO": 4, "REFU": 3, "NREQ": 3, "RHOM": 1.6, "DIED": 0.4}
        )
        activ = accom = "0"
        if in_touch == "YES":
            activ = dice.pick(ACTIV_17_18 if young else ACTIV_19_21)
            staying_put = years <= 20 and any(e.rec == "E17" for e in child.episodes) and dice.chance(0.65)
            accom = "Z1" if staying_put else dice.pick(ACCOM_17_18 if young else ACCOM_19_21)
        rows.append(
            {
                "CHILD": child.child_id,
                "DOB": _d(child.dob),
                "IN_TOUCH": in_touch,
                "ACTIV": activ,
                "ACCOM": accom,
            }
        )
    return rows


def _eligible_care_leaver(child: Child, day: date) -> bool:
    """Left care before the birthday ``day``, having been looked after 13 weeks or more since the 14th
    birthday, some of it after the 16th birthday (the DfE's "eligible"/"former relevant" child), and
    not adopted nor passed to another council's care at the end (DfE rules 1001, 1011). A young person
    who leaves on or after the birthday is not a care leaver for it (rule 1016)."""
    fourteen, sixteen = birthday(child.dob, 14), birthday(child.dob, 16)
    days, after_sixteen, last = 0, False, None
    for e in child.episodes:
        if e.ls in ("V3", "V4"):
            continue
        if e.decom <= day and (e.dec is None or e.dec >= day):
            return False  # still looked after on the birthday
        if e.decom > day or e.dec is None:
            continue
        days += max(0, (min(e.dec, day) - max(e.decom, fourteen)).days)
        after_sixteen = after_sixteen or e.dec > sixteen
        last = e
    if last is None or last.rec in ("E11", "E12", "E3"):
        return False
    return days >= 91 and after_sixteen


def _write_csv(path: Path, columns: Iterable[str], rows: list[dict[str, str]]) -> None:
    columns = list(columns)
    key_date = next((c for c in ("DECOM", "MIS_START", "DATE_PLACED") if c in columns), None)

    def sort_key(row: dict[str, str]) -> tuple:
        day = row.get(key_date, "") if key_date else ""
        parsed = date(int(day[6:]), int(day[3:5]), int(day[:2])) if day else date.min
        return (row["CHILD"], parsed, tuple(row[c] for c in columns))

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in sorted(rows, key=sort_key):
            writer.writerow([row[c] for c in columns])


__all__ = ["FILE_NAMES", "build_return", "write_903_sample"]
