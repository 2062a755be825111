"""Care leavers (OC3): in touch, suitable accommodation, education/employment/training, staying put.

DfE definitions (LAIT 112, 113, 220, 221, 317, 354; SSDA903 guidance): OC3 holds former relevant young
people whose 19th, 20th or 21st birthday, or 17th or 18th birthday, falls in the collection year (1 April
to 31 March). Age group is the age reached on that birthday, i.e. the age at 31 March of the return year
(from OC3 DOB, Header DOB where OC3's is blank); rows of other ages are reported in ``leavers_breakdown``
as "Other ages" and left out of the headline figures.

Exclusions: young people who have died (IN_TOUCH DIED) or returned home for six months or more (RHOM)
are left out of every denominator, as the DfE does. REFU (refuses contact) and NREQ (no longer requires
services) stay in and count as not in touch. Suitable accommodation = ACCOM ending in 1, of those whose
suitability can be known (ACCOM G, H and R left out of that denominator, as the DfE does); EET = ACTIV
F1-F5/P1-P5; NEET = G4 (illness or disability), G5 (other), G6 (pregnancy or parenting); higher
education = F1/P1.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from cpkit.care.codes import FOSTER_PLACEMENTS
from cpkit.care.common import age_on, pct, rows_for_year, with_header
from cpkit.care.episodes import care_episodes, memo
from cpkit.ssda903.codes import suitable_accommodation
from cpkit.ssda903.model import Data903

EXCLUDED_IN_TOUCH = ("DIED", "RHOM")
EET = ("F1", "F2", "F3", "F4", "F5", "P1", "P2", "P3", "P4", "P5")
NEET = {"G4": "NEET: illness or disability", "G5": "NEET: other", "G6": "NEET: pregnancy or parenting"}
HIGHER_EDUCATION = ("F1", "P1")
AGE_GROUPS = {17: "17-18", 18: "17-18", 19: "19-21", 20: "19-21", 21: "19-21"}
# ACCOM first letters whose suitability cannot be known: G abroad, H deported, R residence not known.
SUITABILITY_UNKNOWABLE = ("G", "H", "R")
IN_TOUCH = "YES"  # IN_TOUCH code of a young person the council is in touch with
STAYING_PUT_ACCOM = "Z"  # ACCOM first letter: with former foster carers (staying put)


def care_leavers(data: Data903, year: int) -> pd.DataFrame:
    """OC3 rows of return ``year`` with ``age`` (at 31 March), ``age_group`` and ``excluded`` (DIED/RHOM).

    Built once per OC3 and Header table and year (each year's measures ask three times); do not modify it.
    """
    return memo((data.oc3, data.header), f"care_leavers:{year}", lambda: _care_leavers(data, year))


def _care_leavers(data: Data903, year: int) -> pd.DataFrame:
    oc3 = rows_for_year(data.oc3, year).drop_duplicates("CHILD", keep="last")
    oc3 = with_header(oc3.rename(columns={"DOB": "OC3_DOB"}), data, ("DOB",))
    dob = oc3["OC3_DOB"].fillna(oc3["DOB"])
    oc3 = oc3.assign(age=age_on(dob, pd.Timestamp(date(year, 3, 31))))
    oc3["age_group"] = oc3["age"].map(AGE_GROUPS).fillna("Other ages").astype("str")
    oc3["excluded"] = oc3["IN_TOUCH"].isin(EXCLUDED_IN_TOUCH).to_numpy(dtype=bool)
    return oc3.reset_index(drop=True)


def activity_group(activ: pd.Series) -> pd.Series:
    """EET, one of the NEET reasons, or Not known / not in touch."""
    out = activ.map(NEET).where(~activ.isin(EET), "EET")
    return out.fillna("Activity not known").astype("str")


def leavers_breakdown(data: Data903, year: int) -> pd.DataFrame:
    """Care leavers by age group and activity group (exclusions shown as their own rows): counts and pct."""
    cl = care_leavers(data, year)
    group = activity_group(cl["ACTIV"]).where(~cl["excluded"], "Excluded (died or returned home)")
    out = (
        pd.DataFrame({"age_group": cl["age_group"], "activity": group}).value_counts().rename("young_people")
    )
    out = out.reset_index().sort_values(["age_group", "activity"], ignore_index=True)
    counted = out["activity"].ne("Excluded (died or returned home)")
    totals = out[counted].groupby("age_group")["young_people"].transform("sum")
    out["pct"] = (out["young_people"] * 100.0 / totals).where(counted)
    return out


def staying_put(data: Data903, year: int, ages: tuple[int, ...] = (18,)) -> dict[str, float]:
    """Care leavers who ceased in foster care on their 18th birthday and are staying put (LAIT 354).

    The DfE publishes two groups, aged 18 and aged 19 to 20 (``ages``), each: denominator, OC3 young
    people of those ages (at 31 March; not excluded) whose period of care ended on their 18th birthday in
    a foster placement (U1-U6); numerator, those whose ACCOM is Z (with former foster carers). For ages
    19-20 the 18th birthday was in an earlier year, so its return must be loaded.
    """
    cl = care_leavers(data, year)
    cl = cl[cl["age"].isin(ages).fillna(False).to_numpy(dtype=bool) & ~cl["excluded"]]
    den_rows = cl[cl["CHILD"].isin(_ceased_in_foster_care_at_18(data))]
    num = int(den_rows["ACCOM"].str.startswith(STAYING_PUT_ACCOM).fillna(False).sum())
    return {"numerator": num, "denominator": len(den_rows), "pct": pct(num, len(den_rows))}


def _ceased_in_foster_care_at_18(data: Data903) -> frozenset[str]:
    """The children whose period of care ended on their 18th birthday in a foster placement (whatever
    the year: once per Episodes and Header table)."""

    def build() -> frozenset[str]:
        eps = care_episodes(data)
        ends = eps[eps["DEC"].notna() & eps["REC"].ne("X1") & eps["PLACE"].isin(FOSTER_PLACEMENTS)]
        ends = with_header(ends[["CHILD", "DEC"]], data, ("DOB",))
        birthday = ends["DOB"] + pd.DateOffset(years=18)
        return frozenset(ends.loc[ends["DEC"].eq(birthday), "CHILD"])

    return memo((data.episodes, data.header), "ceased_in_foster_care_at_18", build)


def leaver_outcomes(data: Data903, year: int) -> dict[str, dict[str, float]]:
    """Headline OC3 measures by age group, keyed by the registry ids (``leavers_*``).

    Suitable accommodation's denominator also leaves out young people abroad, deported or whose residence
    is not known (ACCOM G, H, R): "the suitability of the accommodation will be unknown" (CLA release data
    guidance, care leavers by whether their accommodation is suitable, footnote 2); those with no
    information because the council is not in touch, they refused contact or no longer require services
    (ACCOM 0 or blank) stay in, as the DfE's "No information".
    """
    cl = care_leavers(data, year)
    out: dict[str, dict[str, float]] = {}
    for suffix, group in (("17_18", "17-18"), ("19_21", "19-21")):
        rows = cl[(cl["age_group"] == group) & ~cl["excluded"]]
        den = len(rows)

        def put(key: str, mask: pd.Series, den: int = den) -> None:
            num = int(mask.fillna(False).sum())
            out[key] = {"numerator": num, "denominator": den, "pct": pct(num, den)}

        put(f"leavers_in_touch_{suffix}_pct", rows["IN_TOUCH"].eq(IN_TOUCH))
        knowable = ~rows["ACCOM"].str[:1].isin(SUITABILITY_UNKNOWABLE).fillna(False)
        # Only the DfE's suitable codes: S1/X1 (no fixed abode, custody) are never suitable.
        put(
            f"leavers_suitable_accom_{suffix}_pct",
            rows["ACCOM"].isin(suitable_accommodation()) & knowable,
            int(knowable.sum()),
        )
        put(f"leavers_eet_{suffix}_pct", rows["ACTIV"].isin(EET))
        put(f"leavers_neet_{suffix}_pct", rows["ACTIV"].isin(list(NEET)))
        if suffix == "19_21":
            put("leavers_higher_education_19_21_pct", rows["ACTIV"].isin(HIGHER_EDUCATION))
    out["leavers_staying_put_18_pct"] = staying_put(data, year, (18,))
    out["leavers_staying_put_19_20_pct"] = staying_put(data, year, (19, 20))
    return out
