"""The report's notes that describe a measure are written from the measures' own definitions and the
council's settings, so a note cannot state one grouping or denominator while the figures use another.

Before: the placement-type note was typed in the notebook and had residential schools (S1) with other
residential settings and residential employment (P3) with other placements, the reverse of the grouping
the figures use (the DfE: "Living independently includes children in residential employment. Other
includes placement in residential schools", CLA release data guidance, placement type footnote 3); the
in-house note said the share was of all children, parents included, while the default setting leaves
children placed with parents out of the denominator.
"""

from __future__ import annotations

from importlib import resources

from cpkit.care.codes import PLACEMENT_GROUPS, placement_groups
from cpkit.care.placements import inhouse_share, placement_mix
from cpkit.config import Config, StabilitySettings
from cpkit.measures import parse_registry
from cpkit.sections.placements import STABILITY_LABELS, inhouse_note, mix_note, stability_note
from cpkit.ssda903.codes import known_codes
from tests.care.conftest import build

DAY = "2025-03-31"


def _registry_text() -> str:
    return resources.files("cpkit").joinpath("measures.yaml").read_text(encoding="utf-8")


def test_placement_note_states_the_grouping_the_figures_use():
    note = mix_note()
    assert "supported accommodation and independent living K3, H5, P2, P3 (LAIT 398)" in note
    assert "other residential settings R1-R3, R5 (LAIT 399)" in note
    assert "other placements S1, T0-T4, Z1, Z11-Z14 and any blank or unrecognised code (LAIT 400)" in note
    # Two children at 31 March 2025: one in residential employment (P3), one at a residential school (S1).
    # The figures put P3 with supported accommodation and S1 with other placements, as the note says.
    data = build(
        [
            ("p3", "01/04/2024", None, "S", "C2", "N1", "P3", None),
            ("s1", "01/04/2024", None, "S", "C2", "N1", "S1", None),
        ]
    )
    mix = placement_mix(data, DAY).set_index("placement_group")["children"]
    assert mix["Supported accommodation and independent living"] == 1 and mix["Other placements"] == 1
    assert mix["Other residential settings"] == 0


def test_moving_a_code_in_the_registry_moves_it_in_the_note_and_the_figures():
    # A test registry with residential employment (P3) moved from LAIT 398 to LAIT 400.
    text = _registry_text()
    text = text.replace('codes: {PLACE: ["K3", "H5", "P2", "P3"]}', 'codes: {PLACE: ["K3", "H5", "P2"]}')
    text = text.replace('"Z13", "Z14"]}', '"Z13", "Z14", "P3"]}')
    moved = parse_registry(text)
    note = mix_note(moved)
    assert "independent living K3, H5, P2 (LAIT 398)" in note
    assert "other placements S1, T0-T4, Z1, Z11-Z14, P3 and any" in note
    # The registry's own definition of LAIT 400 now says P3 too.
    other = next(m for m in moved if m.id == "placed_other_pct")
    assert "(PLACE S1, T0-T4, Z1, Z11-Z14, P3," in other.definition
    # And the figures follow the same list: the P3 child is now counted in other placements.
    data = build([("p3", "01/04/2024", None, "S", "C2", "N1", "P3", None)])
    mix = placement_mix(data, DAY, groups=placement_groups(moved)).set_index("placement_group")["children"]
    assert mix["Supported accommodation and independent living"] == 0 and mix["Other placements"] == 1


def test_every_place_code_is_in_exactly_one_group():
    grouped = [c for codes in PLACEMENT_GROUPS.values() for c in codes]
    assert len(grouped) == len(set(grouped))
    assert set(grouped) == set(known_codes("PLACE"))


# In-house at 31 March 2025 (every child placed since 1 April 2024):
#   a: foster care U4, provider PR1 (own provision)       -> in-house
#   b: foster care U4, provider PR4 (private)
#   c: placed with parents P1, provider PR0
#   d: children's home K2, no provider recorded
# excluding_parents (the default): 1 in-house of 3 (c left out) = 33.3%; all: 1 of 4 = 25%.
INHOUSE_ROWS = [
    (c, "01/04/2024", None, "S", "C2", "N1", place, None)
    for c, place in (("a", "U4"), ("b", "U4"), ("c", "P1"), ("d", "K2"))
]
PROVIDERS = ["PR1", "PR4", "PR0", None]


def test_inhouse_note_says_the_denominator_the_setting_chose():
    data = build(INHOUSE_ROWS, episode_extra={"PLACE_PROVIDER": PROVIDERS})
    default = Config()
    total = inhouse_share(data, DAY, default).iloc[0]
    assert (total["inhouse"], total["children"]) == (1, 3)
    note = inhouse_note(default)
    assert "other than those placed with parents (PLACE P1 or provider PR0)" in note
    assert "no provider recorded stay in" in note
    assert "inhouse_denominator" not in note, "the published note names no setting"
    assert "of all children in care" not in note
    assert note.startswith("In-house placement providers: PR1, own provision (by the council).")

    everyone = Config(inhouse_denominator="all", inhouse_providers=["PR1", "PR4"])
    total = inhouse_share(data, DAY, everyone).iloc[0]
    assert (total["inhouse"], total["children"]) == (2, 4)
    note = inhouse_note(everyone)
    assert "of all children in care on the day, including those placed with parents" in note
    assert "PR1, own provision (by the council); PR4, private provision." in note


def test_stability_note_and_labels_come_from_the_registry_and_the_settings():
    note = stability_note(Config())
    # LAIT 393 is "the same carer", with the DfE's fostering-for-adoption rule (footnote 2).
    assert "same placement" not in note and "(U2, U5)" in note
    assert "same-carer changes (RNE T, U) count as new placements for LAIT 372" in note
    assert "temporary moves (PLACE T0-T4) do not count" in note
    chosen = Config(stability=StabilitySettings(count_same_carer_changes=False, count_temporary_moves=True))
    note = stability_note(chosen)
    assert "(RNE T, U) do not count as new placements" in note and "(PLACE T0-T4) count." in note
    assert STABILITY_LABELS["long_term_stability_pct"] == (
        "Children under 16 looked after 2.5 years or more, living with the same carer 2 years or more (LAIT 393)"
    )


def test_exits_note_names_the_codes_each_reason_is_counted_by():
    # Three children leave care in 2024-25: with E13 (to relatives, no parental responsibility), E17
    # (aged 18, stayed with carers) and E48 (special guardianship to other carers). The table counts them
    # under returned home, aged 18 or over and special guardianship; the note says those codes are there
    # (the typed note gave three of the ten groups and not the rest).
    from cpkit.care.flows import exits_by_reason
    from cpkit.sections.children_in_care import exits_note

    data = build(
        [
            ("r1", "01/01/2024", "01/06/2024", "S", "C2", "N1", "U4", "E13"),
            ("r2", "01/01/2024", "01/07/2024", "S", "C2", "N1", "U4", "E17"),
            ("r3", "01/01/2024", "01/08/2024", "S", "C2", "N1", "U4", "E48"),
        ]
    )
    got = exits_by_reason(data, "2024-04-01", DAY).set_index("reason")["children"]
    assert got["Returned home to parents or relatives"] == 1
    assert got["Aged 18 or over, stayed with carers or moved to adult care"] == 1
    assert got["Special guardianship order"] == 1
    note = exits_note()
    assert note.startswith("DfE measure: children leaving care (LAIT 392)")
    assert "returned home to parents or relatives E4A, E4B, E13;" in note
    assert "aged 18 or over, stayed with carers or moved to adult care E17, E15, E7;" in note
    assert "special guardianship order E43-E48;" in note
    assert note.endswith("other E8 and any blank or unrecognised code.")


def test_care_leavers_note_states_the_bases_the_figures_use():
    # Four 19-21 year olds in the 2025 OC3 return: two in suitable accommodation (B1, U1), one in
    # unsuitable (B2), one abroad (G1, whose suitability cannot be known). Suitable: 2 of the 3 whose
    # suitability can be known (67%), not of 4; the note says G is left out (the typed note said only
    # "accommodation recorded as suitable", silent on the base).
    import pandas as pd

    from cpkit.care.leavers import leaver_outcomes
    from cpkit.sections.care_leavers import outcomes_note

    oc3 = pd.DataFrame(
        {
            "CHILD": ["c1", "c2", "c3", "c4"],
            "DOB": ["01/06/2005"] * 4,
            "IN_TOUCH": ["YES"] * 4,
            "ACTIV": ["F2", "F5", "G5", "F1"],
            "ACCOM": ["B1", "U1", "B2", "G1"],
            "return_year": [2025] * 4,
        }
    )
    rows = [(c, "01/01/2020", "01/06/2023", "S", "C2", "N1", "U4", "E17") for c in ("c1", "c2", "c3", "c4")]
    header = [(c, "M", "01/06/2005", "WBRI") for c in ("c1", "c2", "c3", "c4")]
    figs = leaver_outcomes(build(rows, header, oc3=oc3), 2025)
    assert figs["leavers_suitable_accom_19_21_pct"]["numerator"] == 2
    assert figs["leavers_suitable_accom_19_21_pct"]["denominator"] == 3
    note = outcomes_note()
    assert "of those whose suitability can be known (ACCOM beginning G, H, R" in note
    assert "NEET is ACTIV G4-G6" in note and "IN_TOUCH DIED, RHOM" in note


def test_ceased_measures_definitions_name_the_codes_the_exits_are_grouped_by():
    # The registry's definitions of the leaving-care shares type their REC codes; the figures count by
    # REC_GROUPS. Each definition must name its group's codes as the exits note does.
    from cpkit.care.codes import REC_GROUPS
    from cpkit.measures import code_span, measure

    for mid, group in (
        ("adopted", "Adopted"),
        ("ceased_adopted_pct", "Adopted"),
        ("ceased_sgo_pct", "Special guardianship order"),
        ("ceased_returned_home_pct", "Returned home to parents or relatives"),
    ):
        assert f"(REC {code_span(REC_GROUPS[group])})" in measure(mid).definition, mid


def test_health_note_states_the_ages_the_checks_are_counted_for():
    # Two children in care since 01/01/2023 (in the 2025 OC2 cohort): h4 aged 4 and h5 aged 5 at
    # 31/03/2025, both with HEALTH_CHECK 1 and an SDQ score. Development assessments count only h4 (under
    # 5); the SDQ only h5 (5 to 16). The note says so from the same ages.
    import pandas as pd

    from cpkit.care.health import health_outcomes
    from cpkit.sections.health import checks_note

    rows = [(c, "01/01/2023", None, "S", "C2", "N1", "U4", None) for c in ("h4", "h5")]
    header = [("h4", "M", "01/01/2021", "WBRI"), ("h5", "M", "01/01/2020", "WBRI")]
    oc2 = pd.DataFrame(
        {
            "CHILD": ["h4", "h5"],
            "DOB": ["01/01/2021", "01/01/2020"],
            "HEALTH_CHECK": ["1", "1"],
            "SDQ_SCORE": ["10", "12"],
            "return_year": [2025, 2025],
        }
    )
    figs = health_outcomes(build(rows, header, oc2=oc2), 2025)
    assert figs["health_surveillance_pct"]["denominator"] == 1
    assert figs["sdq_received_pct"]["denominator"] == 1
    note = checks_note()
    assert "development assessments of those under 5, SDQ of those aged 5 to 16" in note
    assert note.startswith("DfE measures (LAIT 3 and the national tables): children looked after")
    assert "legal status V3, V4" in note


def test_refused_or_not_obtained_ethnicity_is_not_an_ethnic_minority():
    # Four children aged 10 in care at 31/03/2025: White British, Black African, refused (REFU) and not
    # yet obtained (NOBT). Ethnic minority: 1 (BAFR) of the 2 whose ethnicity is known = 50%; REFU and
    # NOBT record no ethnicity and are left out, as the note says (they were counted as minorities: 3 of 4,
    # 75%).
    from cpkit.care.stock import ethnic_minority_by_age
    from cpkit.sections.children_in_care import ethnicity_note

    kids = {"e1": "WBRI", "e2": "BAFR", "e3": "REFU", "e4": "NOBT"}
    rows = [(c, "01/04/2024", None, "S", "C2", "N1", "U4", None) for c in kids]
    header = [(c, "F", "01/01/2015", eth) for c, eth in kids.items()]
    got = ethnic_minority_by_age(build(rows, header), DAY).set_index("age_band").loc["All ages"]
    assert (got["children"], got["ethnic_minority"], got["not_recorded"], got["pct"]) == (4, 1, 2, 50.0)
    note = ethnicity_note()
    assert "other than White British (WBRI)" in note
    assert "refused (REFU) or information not yet obtained (NOBT), are left out of the share" in note
