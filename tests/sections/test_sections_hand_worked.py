"""Section figures on a hand-built council where the answers were worked out by hand.

Five children, financial year 2024-25 (previous 2023-24):
- A: in care from 1 Jun 2023 (N1), in-house foster care throughout;
- B: in care from 1 Jun 2024 (N2), private children's home;
- C: in care since 2020, private foster care, moved to in-house foster care on 1 Sep 2024;
- D: in care since 2022 (N4), private foster care, adopted 1 Feb 2025 (E11);
- E: in care 1 May to 1 Dec 2023 (N1), returned home (E4A).
At 31 March 2024: A, C, D in care, 1 of 3 in-house (33%). At 31 March 2025: A, B, C, 2 of 3 (67%).
Entries 2023-24: A and E (both N1); 2024-25: B (N2). Exits 2023-24: E returned home; 2024-25: D adopted.
"""

from __future__ import annotations

import pandas as pd

from cpkit.config import Config, Period
from cpkit.present.narrative import Narrative
from cpkit.publish.figure import Status
from cpkit.sections import care_leavers, health, placements
from cpkit.sections import children_in_care as cic
from tests.care.conftest import build

ROWS = [
    ("A", "01/06/2023", None, "S", "C2", "N1", "U4", None),
    ("B", "01/06/2024", None, "S", "V2", "N2", "K2", None),
    ("C", "01/01/2020", "01/09/2024", "S", "C2", "N1", "U4", "X1"),
    ("C", "01/09/2024", None, "P", "C2", "N1", "U4", None),
    ("D", "01/01/2022", "01/02/2025", "S", "E1", "N4", "U1", "E11"),
    ("E", "01/05/2023", "01/12/2023", "S", "V2", "N1", "K2", "E4A"),
]
PROVIDERS = ["PR1", "PR4", "PR4", "PR1", "PR4", "PR4"]
PERIOD = Period.from_year(2025)
EXACT = Config(small_number_threshold=1)  # nothing suppressed, so the hand-worked counts show


def data():
    return build(ROWS, episode_extra={"PLACE_PROVIDER": PROVIDERS})


def test_entries_and_exits_compare_with_last_year():
    d = data()
    entries = cic.entries_table(cic.entries(d, PERIOD), PERIOD, EXACT)
    assert entries["Category of need"].tolist() == [
        "Abuse or neglect (N1)",
        "Child's disability (N2)",
        "Total",
    ]
    assert entries["Children, 2023-24"].tolist() == ["2", "0", "2"]
    assert entries["Children, 2024-25"].tolist() == ["0", "1", "1"]
    exits = cic.exits(d, PERIOD)
    table = cic.exits_table(exits, PERIOD, EXACT).set_index("Reason for leaving care")
    assert table.loc["Adopted", "Children, 2024-25"] == "1"
    assert table.loc["Returned home to parents or relatives", "Children, 2023-24"] == "1"
    narrative = Narrative(config=EXACT)
    sentences = cic.exits_sentences(exits, PERIOD, narrative)
    assert sentences[0] == (
        "The number of children who ceased to be looked after stayed about the same, from 1 in 2023-24 to 1 in 2024-25."
    )
    assert sentences[1] == "The most common reason for leaving care was adopted: 1 of 1 (100%)."


def test_inhouse_share_moves_from_start_to_end_of_the_period():
    d = data()
    tables = placements.inhouse(d, PERIOD, EXACT)
    sentences = placements.inhouse_sentences(tables, PERIOD, Narrative(config=EXACT))
    assert sentences[0] == (
        "The share of children in care placed in the council's own provision (in-house) rose, moving from 33% "
        "at 31 March 2024 to 67% at 31 March 2025."
    )
    table = placements.inhouse_table(tables, EXACT).set_index("Placement type")
    assert table.loc["All placements", "% in-house, 31 March 2025"] == "67%"
    assert table.loc["Foster placements", "In-house, 31 March 2024"] == "1"


def test_inhouse_table_suppresses_small_counts_by_default():
    table = placements.inhouse_table(placements.inhouse(data(), PERIOD, Config()), Config())
    assert set(table["Children, 31 March 2025"]) <= {"<5", "0"}
    assert set(table["% in-house, 31 March 2025"]) <= {"[c]", ""}


def test_profile_and_placement_mix_at_the_end_of_both_years(tmp_path):
    from cpkit.figures import build_figures

    d = data()
    prof = cic.profile(d, PERIOD)
    legal = cic.profile_table(prof["legal_status"], "legal_status", "Legal status", PERIOD, EXACT).set_index(
        "Legal status"
    )
    assert legal.loc["Full care order (C2)", "Children, 31 March 2025"] == "2"
    assert legal.loc["Placement order (E1)", "Children, 31 March 2024"] == "1"
    # from the figures table (both years in it), and with last year missing from it (one return):
    # last year's 31 March is then worked out from the return, by the function the measures use
    for years in ([2024, 2025], [2025]):
        figures = build_figures(d, PERIOD, EXACT, tmp_path, years=years)
        mix = placements.mix_table(placements.mix(figures, PERIOD, d), PERIOD, EXACT).set_index(
            "Placement type"
        )
        assert mix.loc["Foster placements", "Children, 31 March 2024"] == "3", years
        assert mix.loc["Secure homes and children's homes", "%, 31 March 2025"] == "33%", years


def test_health_uses_the_return_year_ending_in_the_period_year():
    assert health.return_year(Period.from_year(2025, "calendar")) == 2025
    assert "year ending 31 March 2025 (2024-25)" in health.year_note(Period.from_year(2025, "calendar"))
    assert health.year_note(Period.from_year(2025)) == ""
    figs = {
        "previous": None,
        "current": {
            "sdq_received_pct": {"numerator": 20, "denominator": 30, "pct": 66.7},
            "sdq_normal_pct": {"numerator": 12, "denominator": 20, "pct": 60.0},
            "sdq_borderline_pct": {"numerator": 3, "denominator": 20, "pct": 15.0},
            "sdq_concern_pct": {"numerator": 5, "denominator": 20, "pct": 25.0},
        },
    }
    bands = health.sdq_band_table(figs, PERIOD, Config())
    # Borderline (3) is hidden, so the next smallest (concern, 5) is hidden too, as [c] (it is not small):
    # received = 30 - 10 = 20, and with normal 12 shown, borderline + concern = 8 with concern 0 or 5+
    # leaves borderline 1..3: narrowed, which the report's default test (interval) refuses, so normal is
    # hidden too: normal + borderline + concern = 20 with normal and concern 0 or 5+ leaves borderline
    # 1..4 (4 + 11 + 5 ... 1 + 14 + 5). Under the DfE's exact test the 12 stays (3 is not pinned).
    assert bands["Children, 2024-25"].tolist() == ["[c]", "<5", "[c]", "10", "30"]
    assert bands["%, 2024-25"].tolist() == ["[c]", "[c]", "[c]", "33%", "100%"]
    # no OC2 figures for 2023-24 (previous is None): not "0 children" in every band, but not available
    assert [f.status for f in bands["Children, 2023-24"]] == [Status.NOT_AVAILABLE] * 5
    assert [f.shorthand() for f in bands["%, 2023-24"]] == ["[x]"] * 5
    exact = health.sdq_band_table(figs, PERIOD, Config(disclosure_test="exact"))
    assert exact["Children, 2024-25"].tolist() == ["12", "<5", "[c]", "10", "30"]
    assert exact["%, 2024-25"].tolist() == ["40%", "[c]", "[c]", "33%", "100%"]


def test_care_leaver_numbers_table_totals_and_suppression():
    counts = pd.DataFrame(
        {"previous": [6, 20, 1], "current": [3, 21, 0]}, index=["17-18", "19-21", "excluded"]
    )
    out = care_leavers.numbers_table(counts, PERIOD, Config())
    assert out["Age group"].tolist() == ["Aged 17 to 18", "Aged 19 to 21", "Total"]
    assert out["2023-24"].tolist() == ["6", "20", "26"]
    # 3 is hidden. The age groups' counts are also the outcomes table's "Out of", so they stay and the
    # total (24) is hidden instead ([c]: it is not a small count): 21 + "<5" = "[c]" leaves 1 to 4.
    assert out["2024-25"].tolist() == ["<5", "21", "[c]"]
