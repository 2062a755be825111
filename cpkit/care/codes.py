"""Code groupings the DfE uses to report SSDA903 codes, kept as data so they can be checked and changed.

Sources: the DfE "Children looked after in England including adoptions" national tables and methodology
(placement groups as in LAIT measures 396-401; reasons ceased), the SSDA903 return guidance for the codes
(summarised in ``shared/reference/ssda903.md``).
"""

from __future__ import annotations

from collections.abc import Iterable

from cpkit.measures import Measure, RegistryError, registry

# Placement groups at 31 March (LAIT 396-401 and the DfE national tables): each group is a registry
# measure (``placed_*_pct``) and its PLACE codes are that measure's ``codes`` in ``cpkit/measures.yaml``,
# so the grouping the figures use and the one the definitions and the report's notes state are one list.
# The DfE: "Living independently includes children in residential employment. Other includes placement
# in residential schools and other placements" (CLA release data guidance, placement type footnote 3):
# P3 is with supported accommodation and independent living, S1 with other placements.
# ``cpkit.care.placements`` puts any code not in a group in "Other placements" and says so in its output.
PLACEMENT_GROUP_IDS: dict[str, str] = {
    "Foster placements": "placed_foster_pct",  # LAIT 396
    "Secure homes and children's homes": "placed_homes_pct",  # LAIT 397
    "Supported accommodation and independent living": "placed_supported_pct",  # LAIT 398
    "Placed with parents or other person with parental responsibility": "placed_parents_pct",  # LAIT 401
    "Placed for adoption": "placed_adoption_pct",
    "Other residential settings": "placed_other_residential_pct",  # LAIT 399
    "Other placements": "placed_other_pct",  # LAIT 400
}
OTHER_PLACEMENTS = "Other placements"


def placement_groups(measures: Iterable[Measure] | None = None) -> dict[str, tuple[str, ...]]:
    """Placement group -> its PLACE codes, from the ``placed_*_pct`` measures of ``measures`` (default the
    kit's registry). A code in two groups is refused: a child would be counted twice."""
    by_id = {m.id: m for m in (registry() if measures is None else measures)}
    groups = {name: by_id[mid].codes_of("PLACE") for name, mid in PLACEMENT_GROUP_IDS.items()}
    seen: dict[str, str] = {}
    for name, codes in groups.items():
        for code in codes:
            if code in seen:
                raise RegistryError(f"PLACE {code} is in two placement groups: {seen[code]} and {name}")
            seen[code] = name
    return groups


PLACEMENT_GROUPS: dict[str, tuple[str, ...]] = placement_groups()

FOSTER_PLACEMENTS: tuple[str, ...] = PLACEMENT_GROUPS["Foster placements"]
# Placed for adoption with the child's current foster carer: not a new placement (LAIT 372, 393).
ADOPTION_WITH_CURRENT_CARER: tuple[str, ...] = ("A3", "A5")
ADOPTION_PLACEMENTS: tuple[str, ...] = PLACEMENT_GROUPS["Placed for adoption"]
TEMPORARY_PLACEMENTS: tuple[str, ...] = ("T0", "T1", "T2", "T3", "T4")
# Fostering for adoption / concurrent planning: foster carers who are also approved adopters (U2 relative or
# friend, U5 other carer). A move into one is a change of placement for long-term stability (LAIT 393) even
# with the same carer: CLA release data guidance, placement stability footnote 2 ("include children in
# fostering placements with relative(s) or friend(s) or other foster carers who is/are also an approved
# adopter(s) - fostering for adoption/concurrent planning (placement codes U2 and U5) as a placement change").
FOSTERING_FOR_ADOPTION: tuple[str, ...] = ("U2", "U5")

# Reasons for new episode that mean a new placement (P and B: new carer; T and U: same carer). RNE S
# starts a period of care (and so a carer); RNE L changes the legal status only.
NEW_CARER_RNE: tuple[str, ...] = ("P", "B")
SAME_CARER_RNE: tuple[str, ...] = ("T", "U")
LEGAL_ONLY_RNE: tuple[str, ...] = ("L",)

# Reasons ceased, grouped as the DfE reports them (national tables, "reason episode ceased").
REC_GROUPS: dict[str, tuple[str, ...]] = {
    "Adopted": ("E11", "E12"),
    "Special guardianship order": ("E43", "E44", "E45", "E46", "E47", "E48"),
    "Returned home to parents or relatives": ("E4A", "E4B", "E13"),
    "Residence or child arrangements order": ("E41",),
    "Independent living": ("E5", "E6"),
    "Aged 18 or over, stayed with carers or moved to adult care": ("E17", "E15", "E7"),
    "Care taken over by another local authority": ("E3",),
    "Custody, remand ended or moved abroad": ("E9", "E14", "E16"),
    "Died": ("E2",),
    "Other": ("E8",),
}
OTHER_REASON = "Other"
ADOPTED_REC: tuple[str, ...] = REC_GROUPS["Adopted"]
SGO_REC: tuple[str, ...] = REC_GROUPS["Special guardianship order"]
RETURNED_HOME_REC: tuple[str, ...] = REC_GROUPS["Returned home to parents or relatives"]
# The registry's exit measures and the reasons ceased each counts: the annual figures
# (``cpkit.care.indicators``) and the quarterly page's (``cpkit.poap.measures``) read this one list.
EXIT_REC: dict[str, tuple[str, ...]] = {
    "adopted": ADOPTED_REC,
    "ceased_adopted_pct": ADOPTED_REC,
    "ceased_sgo_pct": SGO_REC,
    "ceased_returned_home_pct": RETURNED_HOME_REC,
}

CATEGORY_OF_NEED: dict[str, str] = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}
LEGAL_STATUS: dict[str, str] = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order",
    "E1": "Placement order",
    "J1": "Remand",
    "J2": "Police protection (PACE)",
    "J3": "Youth rehabilitation order with residence",
    "L1": "Police protection",
    "L2": "Emergency protection order",
    "L3": "Child assessment order",
    "V2": "Single period of accommodation under section 20",
    "V3": "Short breaks (episodes recorded)",
    "V4": "Short breaks (agreements recorded)",
}
# Placement order (or the freeing order it replaced): the start of the A2 clock.
PLACEMENT_ORDER_LS: tuple[str, ...] = ("E1", "D1")

# Age bands at a date, as in the DfE national tables: (label, lowest age, highest age) inclusive.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0),
    ("1 to 4", 1, 4),
    ("5 to 9", 5, 9),
    ("10 to 15", 10, 15),
    ("16 to 17", 16, 17),
)
AGE_18_PLUS = "18 and over"
WHITE_BRITISH = "WBRI"
# ETHNIC codes that record no ethnicity: refused, information not yet obtained. The DfE publishes them as
# their own groups, never as an ethnic minority.
ETHNICITY_NOT_KNOWN: tuple[str, ...] = ("REFU", "NOBT")
NOT_RECORDED = "Not recorded"
