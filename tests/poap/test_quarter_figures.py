"""Quarter figures on hand-built returns and an in-year extract, worked out by hand.

The data folder holds the 2024-25 return (to 31 March 2025) and a case-system extract run on 31 December
2025 (the 2025-26 year so far). Q3 2025-26 is 1 October to 31 December 2025; the same quarter last year is
1 October to 31 December 2024.

Children (S = started care; X1 = same-day change of placement, not leaving care):
  A  started 15/10/2024, still in care             entered Q3 2024-25; in care at both quarter ends
  B  started 01/10/2025 (first day of the quarter) entered Q3 2025-26
  C  started 31/12/2025 (last day of the quarter)  entered Q3 2025-26
  D  started 01/01/2024 in U4; X1 to U6 01/06/2025; X1 to K2 01/11/2025: 3 placements in the 12 months to
     31/12/2025 (the return has D's first episode open; the extract closes it: stacked, not duplicated)
  E  started 01/02/2025, left 30/09/2025 (E13)     not in care at 31/12/2025, not a Q3 leaver
  F  started 01/03/2025, left 15/11/2025 (E45 special guardianship)   Q3 leaver, to an SGO
  G  started 01/05/2025, left 01/10/2025 (E4A home) Q3 leaver, home
  H  short breaks (V3) from 01/11/2025             excluded from every count
  I  started 01/09/2025 in U6, X1 to U4 15/10/2025 entered Q2 (not Q3); 2 placements
  K  started 01/08/2024, left 15/01/2025 (E13)     in care at 31/12/2024: left after the date asked

Q3 2025-26: entered 2 (B, C); entered 2025-26 to Q3: 4 (G, I, B, C); in care at 31/12/2025: 5 (A, B, C, D, I);
left 2 (F, G), 1 of them to special guardianship (50%); 3+ placements: 1 (D) of the 5 in care (20%).
Q3 2024-25: entered 1 (A); entered 2024-25 to Q3: 2 (K, A); in care at 31/12/2024: 3 (A, D, K); left 0.
The 12 months before 31/12/2024 start on 1/1/2024, before the oldest return (1/4/2024): that year's 3+
placements figure is not known, so none is shown rather than a short one.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cpkit.config import Config, Period
from cpkit.errors import ConfigError
from cpkit.poap import build_page, latest_extract

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
RETURN_2025 = [
    "A,15/10/2024,S,C2,N1,U4,PR1,,,,,,",
    "D,01/01/2024,S,C2,N1,U4,PR1,,,,,,",
    "E,01/02/2025,S,C2,N1,U4,PR1,,,,,,",
    "F,01/03/2025,S,V2,N1,U4,PR1,,,,,,",
    "K,01/08/2024,S,C2,N1,U4,PR1,15/01/2025,E13,,,,",
]
EXTRACT = [
    "A,15/10/2024,S,C2,N1,U4,PR1,,,,,,",
    "D,01/01/2024,S,C2,N1,U4,PR1,01/06/2025,X1,,,,",
    "D,01/06/2025,P,C2,N1,U6,PR4,01/11/2025,X1,CARPL,,,",
    "D,01/11/2025,P,C2,N1,K2,PR4,,,CARPL,,,",
    "E,01/02/2025,S,C2,N1,U4,PR1,30/09/2025,E13,,,,",
    "F,01/03/2025,S,V2,N1,U4,PR1,15/11/2025,E45,,,,",
    "G,01/05/2025,S,V2,N1,U4,PR1,01/10/2025,E4A,,,,",
    "I,01/09/2025,S,C1,N1,U6,PR1,15/10/2025,X1,,,,",
    "I,15/10/2025,P,C1,N1,U4,PR1,,,CARPL,,,",
    "B,01/10/2025,S,V2,N4,U6,PR1,,,,,,",
    "C,31/12/2025,S,C1,N1,K2,PR4,,,,,,",
    "H,01/11/2025,S,V3,N2,R1,PR4,,,,,,",
]
CONFIG = (
    "la_name: Hand Council\nla_code: E06000998\nla_old_code: '998'\npopulation_0_17: 10000\n"
    "la_district_codes: [E06000998]\n"  # required (cpkit/config_checks.py); no placement postcodes here
)


def _write(path: Path, header: str, rows: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def _headers(children: str) -> list[str]:
    return [f"{c},1,01/01/2012,WBRI,,," for c in children]


@pytest.fixture
def council(tmp_path: Path) -> Path:
    _write(tmp_path / "ssda903" / "2025" / "episodes.csv", EPISODES, RETURN_2025)
    _write(tmp_path / "ssda903" / "2025" / "header.csv", HEADER, _headers("ADEFK"))
    _write(tmp_path / "inyear" / "2025-12-31" / "episodes.csv", EPISODES, EXTRACT)
    _write(tmp_path / "inyear" / "2025-12-31" / "header.csv", HEADER, _headers("ABCDEFGHI"))
    (tmp_path / "cpkit.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


@pytest.fixture
def page(council: Path):
    return build_page(council, Period.in_year(2026, 3), Config.load(council / "cpkit.yaml"))


def _fig(page, measure: str, quarter: str) -> dict:
    rows = page.trends[(page.trends["measure"] == measure) & (page.trends["quarter"] == quarter)]
    assert len(rows) <= 1
    return rows.iloc[0].to_dict() if len(rows) else {"value": math.nan}


@pytest.mark.parametrize(
    ("measure", "now", "last"),
    [
        ("entered_quarter", 2, 1),
        ("entered_ytd", 4, 2),
        ("cla_at_end", 5, 3),
        ("ceased_quarter", 2, 0),
        ("uasc_at_end", 0, 0),
        ("adopted_quarter", 0, 0),
    ],
)
def test_counts_worked_by_hand(page, measure, now, last):
    assert (_fig(page, measure, "Q3 2025-26")["value"], _fig(page, measure, "Q3 2024-25")["value"]) == (
        now,
        last,
    )


def test_leavers_shares_by_reason_and_rate(page):
    # Q3 2025-26 leavers F (E45, special guardianship) and G (E4A, home): 1 of 2 to an SGO, none adopted
    sgo = _fig(page, "ceased_sgo_pct", "Q3 2025-26")
    assert (sgo["numerator"], sgo["denominator"], sgo["value"]) == (1, 2, 50)
    adopted = _fig(page, "ceased_adopted_pct", "Q3 2025-26")
    assert (adopted["numerator"], adopted["denominator"], adopted["value"]) == (0, 2, 0)
    assert _fig(page, "cla_rate_10k", "Q3 2025-26")["value"] == pytest.approx(5.0)  # 5 per 10,000 of 10,000


def test_three_plus_placements_in_the_twelve_months_to_the_quarter_end(page):
    fig = _fig(page, "placements_3plus_pct", "Q3 2025-26")
    assert (fig["numerator"], fig["denominator"], fig["value"]) == (1, 5, 20)
    # last year's 12 months start before the oldest return: not computed, and published as not available
    assert math.isnan(_fig(page, "placements_3plus_pct", "Q3 2024-25")["value"])
    assert page.published.text("placements_3plus_pct", "Q3 2024-25") == "not available"


def test_small_counts_and_what_rests_on_them_are_withheld(page):
    pub = page.published
    assert pub.text("entered_quarter", "Q3 2025-26") == "<5"
    assert pub.text("ceased_sgo_pct", "Q3 2025-26") == "[c]"  # 1 of 2
    assert pub.text("cla_at_end", "Q3 2025-26") == "5"  # 5 is not small (1 to 4 are)
    assert pub.text("cla_rate_10k", "Q3 2025-26") == "5"
    assert pub.text("cla_at_end", "Q3 2024-25") == "<5"  # 3 children
    assert pub.text("cla_rate_10k", "Q3 2024-25") == "[c]"  # 3 per 10,000 of 10,000 would give back the 3


def test_the_year_to_date_cannot_give_back_a_withheld_quarter():
    """Entries Q1 10, Q2 3, Q3 12; year to date 10, 13, 25: Q2 is a small count, and 13 - 10 or 25 - 10 - 12
    would give it back, so more figures are withheld ([c]) until no relation pins it."""
    import pandas as pd

    from cpkit.poap.page import Published

    rows = [("entered_quarter", q, v) for q, v in (("Q1 2025-26", 10), ("Q2 2025-26", 3), ("Q3 2025-26", 12))]
    rows += [("entered_ytd", q, v) for q, v in (("Q1 2025-26", 10), ("Q2 2025-26", 13), ("Q3 2025-26", 25))]
    trends = pd.DataFrame(
        [{"measure": m, "quarter": q, "value": v, "numerator": v, "denominator": math.nan, "unit": "number",
          "average_of": False} for m, q, v in rows]
    )  # fmt: skip
    pub = Published(trends, Config())
    assert pub.text("entered_quarter", "Q2 2025-26") == "<5"
    assert pub.ledger.open() == []
    texts = [pub.text(m, q) for m, q, _ in rows]
    assert texts.count("[c]") >= 2 and "3" not in texts


def test_the_extract_is_known_and_stands_for_its_collection_year(council):
    extract = latest_extract(council)
    assert (str(extract.extract_date), extract.collection_year) == ("2025-12-31", 2026)


def test_a_quarter_after_the_extract_is_refused(council):
    with pytest.raises(ConfigError, match="the data run only to 31 December 2025"):
        build_page(council, Period.in_year(2026, 4), Config.load(council / "cpkit.yaml"))


def test_without_an_extract_the_year_after_the_last_return_is_refused(council):
    import shutil

    shutil.rmtree(council / "inyear")
    with pytest.raises(ConfigError, match="the data run only to 31 March 2025"):
        build_page(council, Period.in_year(2026, 3), Config.load(council / "cpkit.yaml"))


def test_an_extract_folder_must_be_named_by_its_date(council):
    (council / "inyear" / "latest").mkdir()
    with pytest.raises(ConfigError, match="named by its extract date"):
        latest_extract(council)


def test_quarterly_measures_judge_a_direction_as_the_registry_does():
    # The page kept its own polarities: adoptions in the quarter were "higher is better" while the
    # registry's adoptions count has no better direction, so 3 -> 6 adoptions read "Better" on the page
    # and "Higher" in the scorecard. Each quarterly figure now takes its registry measure's polarity.
    from cpkit.config import Config
    from cpkit.measures import measure
    from cpkit.poap.measures import QUARTER_MEASURES
    from cpkit.poap.present import _direction

    by_id = {m.id: m for m in QUARTER_MEASURES}
    adopted = by_id["adopted_quarter"]
    assert adopted.polarity == measure("adopted").polarity == "neutral"
    assert _direction(3, 6, {"polarity": adopted.polarity, "unit": adopted.unit}, Config()).startswith(
        "Higher"
    )
    rate = by_id["cla_rate_10k"]
    assert rate.polarity == "neutral"
    assert _direction(50, 60, {"polarity": rate.polarity, "unit": rate.unit}, Config()).startswith("Higher")
    # the page names each measure as the registry does (its short label), with the window
    assert by_id["long_term_stability_pct"].label == "Long-term placement stability at the quarter end (%)"


def test_foster_households_are_not_children_and_are_shown_in_full():
    """3 new foster carer households and 3 children entering care in one quarter: the children's 3 is a
    small count (<5); the households' 3 counts no child and is published as it is (Ofsted publishes the
    same counts in full), and the page's note says which counts the rule covers."""
    import pandas as pd

    from cpkit.poap.page import Published, counts_children

    rows = [("entered_quarter", 3.0), ("New foster carer households approved", 3.0)]
    trends = pd.DataFrame(
        [{"measure": m, "quarter": "Q3 2025-26", "value": v, "numerator": v, "denominator": math.nan,
          "unit": "number", "average_of": False} for m, v in rows]
    )  # fmt: skip
    pub = Published(trends, Config())
    assert pub.text("entered_quarter", "Q3 2025-26") == "<5"
    assert pub.text("New foster carer households approved", "Q3 2025-26") == "3"
    assert not counts_children("Foster carer households de-registered") and counts_children("entered_quarter")


def test_a_local_kpi_gets_the_published_figures_of_the_measure_it_is_a_version_of():
    import pandas as pd

    from cpkit.figures.headline import same_measure
    from cpkit.poap.page import _kpi_rows

    assert same_measure("Dental checks up to date") == "teeth_check_pct"
    assert (
        same_measure("Care leavers aged 19-21 in suitable accommodation")
        == "leavers_suitable_accom_19_21_pct"
    )
    assert same_measure("Care leavers in suitable accommodation") is None  # 17-18 or 19-21: not guessed
    assert same_measure("Statutory visits up to date") is None
    kpis = pd.DataFrame(
        [{"indicator": n, "period": "2025-26 Q3", "unit": "percent", "polarity": "high", "target": 90}
         for n in ("Dental checks up to date", "Statutory visits up to date")]
    )  # fmt: skip
    bench = pd.DataFrame({"england": [79.0], "neighbour_avg": [81.5]}, index=["teeth_check_pct"])
    rows = _kpi_rows(kpis, Period.in_year(2026, 3, "quarter"), bench)
    assert [r[-2:] for r in rows][0] == [79.0, 81.5]
    assert all(math.isnan(v) for v in rows[1][-2:])


def test_a_measure_with_no_direction_in_the_registry_gets_none_on_the_page(tmp_path):
    """Leavers in Q3 2024-25: 12 children (6 adopted E11, 6 home E13); in Q3 2025-26: 15 (10 adopted, 5
    home). Adoptions 6 -> 10, leavers 12 -> 15 and the adopted share 50% -> 67% (10 of 15, its complement
    5 not small) are all published, and the registry gives none of them a better direction: each reads
    "Higher", never "Better", as in the annual report. The page's own "share to permanence" (polarity high,
    no registry entry) read "Better" for the same rise."""
    from cpkit.measures import measure
    from cpkit.poap.measures import QUARTER_MEASURES
    from cpkit.poap.present import indicator_table

    last = [
        f"L{i:02d},01/06/2024,S,C2,N1,U4,PR1,15/11/2024,{'E11' if i < 6 else 'E13'},,,," for i in range(12)
    ]
    now = [
        f"N{i:02d},01/05/2025,S,C2,N1,U4,PR1,15/11/2025,{'E11' if i < 10 else 'E13'},,,," for i in range(15)
    ]
    _write(tmp_path / "ssda903" / "2025" / "episodes.csv", EPISODES, last)
    _write(tmp_path / "ssda903" / "2025" / "header.csv", HEADER, _headers([f"L{i:02d}" for i in range(12)]))
    _write(tmp_path / "inyear" / "2025-12-31" / "episodes.csv", EPISODES, now)
    _write(
        tmp_path / "inyear" / "2025-12-31" / "header.csv", HEADER, _headers([f"N{i:02d}" for i in range(15)])
    )
    (tmp_path / "cpkit.yaml").write_text(CONFIG, encoding="utf-8")
    config = Config.load(tmp_path / "cpkit.yaml")
    page = build_page(tmp_path, Period.in_year(2026, 3), config)
    table, _, _ = indicator_table(page, config)
    direction = dict(zip(page.rows["measure"], table["Direction"], strict=True))
    assert direction["adopted_quarter"].startswith("Higher")
    assert direction["ceased_quarter"].startswith("Higher")
    assert direction["ceased_adopted_pct"].startswith("Higher")
    of = {m.id: m.of for m in QUARTER_MEASURES}
    assert set(of) <= set(direction)  # every SSDA903 row is a registry measure's
    for mid, way in direction.items():
        if mid in of and measure(of[mid]).polarity == "neutral":
            assert not way.startswith(("Better", "Worse")), (mid, way)


def test_no_quarter_measure_repeats_what_the_registry_holds():
    """A quarterly measure holds only its window and computation: a label, unit, polarity, definition or
    code list kept beside the registry's is a second registry that can disagree with it (the page's
    adoptions were "higher is better" where the registry's have no direction)."""
    from dataclasses import fields

    from cpkit.measures import Measure, registry
    from cpkit.poap import measures as quarterly
    from cpkit.poap.measures import QUARTER_MEASURES, QuarterMeasure
    from cpkit.ssda903.codes import code_list, code_lists

    own = {f.name for f in fields(QuarterMeasure)}
    registry_fields = {f.name for f in fields(Measure)} - {"id"}
    assert own & registry_fields == set(), "a registry attribute is kept again in QuarterMeasure"
    ids = {m.id for m in registry()}
    for m in QUARTER_MEASURES:
        assert m.of in ids, m.id
        for f in fields(m):
            value = getattr(m, f.name)
            if isinstance(value, str) and f.name not in ("id", "of", "window"):
                assert value not in {getattr(m.measure, r) for r in ("label", "short_label", "definition")}
    # no code list of its own: every SSDA903 code group is the kit's (cpkit.care.codes)
    all_codes = {code for name in code_lists() for code in code_list(name).codes}
    for name, value in vars(quarterly).items():
        if isinstance(value, (tuple, list, frozenset)) and value and all(isinstance(v, str) for v in value):
            assert not set(value) <= all_codes, f"cpkit.poap.measures.{name} is a copy of SSDA903 codes"


def test_a_child_entering_care_twice_in_the_year_keeps_the_quarters_protected():
    """Entries Q1 10, Q2 3, Q3 12, with one child entering in both Q1 and Q2: the year to date counts each
    child once (10, 12, 24), so it is not the sum of the quarters (the page's relation said it was, and
    the disclosure ledger refused the figures: "off by -1"). The relation now carries the repeat entry
    (1, a small count of its own, never printed): Q2's 3 is withheld and neither it nor the repeat can be
    worked out from what is shown."""
    import pandas as pd

    from cpkit.poap.page import Published

    rows = [("entered_quarter", q, v) for q, v in (("Q1 2025-26", 10), ("Q2 2025-26", 3), ("Q3 2025-26", 12))]
    rows += [("entered_ytd", q, v) for q, v in (("Q1 2025-26", 10), ("Q2 2025-26", 12), ("Q3 2025-26", 24))]
    trends = pd.DataFrame(
        [{"measure": m, "quarter": q, "value": v, "numerator": v, "denominator": math.nan, "unit": "number",
          "average_of": False} for m, q, v in rows]
    )  # fmt: skip
    pub = Published(trends, Config())
    assert pub.text("entered_quarter", "Q2 2025-26") == "<5"
    assert pub.ledger.hidden(("entered_ytd repeat entries", "Q2 2025-26"))  # 1: small
    assert pub.ledger.open() == []
    texts = [pub.text(m, q) for m, q, _ in rows]
    assert "3" not in texts


def test_a_problem_in_the_extract_names_the_extracts_own_file(council):
    # the extract is laid out in a temporary folder to be read as its year's return; a message about its
    # rows (and the manifest's list of inputs) must name the file the council gave, not that folder
    from cpkit.poap.inyear import load_with_extract

    extract = council / "inyear" / "2025-12-31" / "episodes.csv"
    _write(extract, EPISODES, [*EXTRACT, "J,31/02/2025,S,C2,N1,U4,PR1,,,,,,"])  # no 31 February
    data = load_with_extract(council, latest_extract(council))
    named = set(data.issues.loc[data.issues["rule"] == "unparseable_date", "file"])
    assert named == {str(extract)}
    assert str(extract) in set(data.sources["path"])
    assert {str(extract)} <= set(data.episodes["source_file"])
    assert not any("cpkit-inyear" in str(v) for v in [*data.sources["path"], *data.episodes["source_file"]])
