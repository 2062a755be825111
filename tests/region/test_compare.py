"""The regional comparison page and workbook, on hand-built figures tables whose answers are worked out
below (no returns are read: the regional step reads figures tables only)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from cpkit.config import Period
from cpkit.figures import Figures
from cpkit.figures.columns import COLUMNS, EMPTY
from cpkit.measures import registry
from cpkit.present import judgement
from cpkit.present.disclosure import Rule
from cpkit.region.compare import HTML_NAME, WORKBOOK_NAME, audit, build_regional, regional_document
from cpkit.region.pooled import Futures

YEAR = Period.from_year(2025)
MEASURES = {m.id: m for m in registry()}


def figures(values: dict[str, tuple], year: int = 2025, **meta) -> Figures:
    """A figures table from {measure: (numerator, denominator, england, vs_england)}; a count's value is
    its numerator, a percentage's numerator/denominator, a rate's numerator x 10,000 / denominator."""
    rows = []
    for measure, (num, den, england, vs_england) in values.items():
        m = MEASURES[measure]
        if m.unit == "percent":
            value = 100 * num / den
        elif m.unit == "rate_per_10k":
            value = num * 10_000 / den
        elif m.unit == "number":
            value = num
        else:
            value = num / den
        row = dict(EMPTY)  # the declared empty value of every column
        row.update(
            measure=measure,
            label=m.label,
            theme=m.theme,
            unit=m.unit,
            polarity=m.polarity,
            decimals=judgement.decimals_for(m.unit, m.decimals),
            year=year,
            value=float(value),
            numerator=float(num),
            denominator=float("nan") if den is None else float(den),
            england=float("nan") if england is None else float(england),
            vs_england=vs_england or "",
            vs_neighbours="",
            neighbour_n=0,
            reason="",
        )
        rows.append(row)
    return Figures(pd.DataFrame(rows, columns=COLUMNS), {"year": year, "kind": "financial", **meta})


# Three councils (threshold 5). Children in care at 31 March: A 3, B 20, C 30; the region 53.
#   A's 3 is a small count (<5). Beside the region's 53, B's 20 and C's 30 would give it back
#   (53 - 20 - 30 = 3), so one more is hidden: the smaller, B's 20 ([c]); the region's 53 and C's 30 stay.
#   Their rates per 10,000 (populations 10,000, 20,000, 30,000): A's with its small count, B's because
#   B's count is hidden (20 = rate x 20,000 / 10,000), so only C's (10) and the region's (8.8 -> 9).
# Fostered (placed_foster_pct): A 2 of 3, B 15 of 20, C 24 of 30; the region 41 of 53 (77%). A's 2 and
#   its complement 1 are small. Numerators: 41 - 15 - 24 = 2 gives A's back, so B's is hidden. Complements
#   (A 1, B 5, C 6, region 12): with B's hidden, 12 - 6 = 6 = A + B, A 1 to 4 and B 0 or 5 or more pins
#   A = 1, B = 5; so C's is hidden too. Only the region's 77% is shown.
# Health assessments (high is better): A 80 of 100, B 90 of 100, C 70 of 100; region 240 of 300 (80%);
#   England 85. League table, best first: B (90%) 1, A (80%) 2, C (70%) 3. Against the region (80%): A
#   similar, B better, C worse.
# Three or more placements (lower is better): A 10 of 100, B 6 of 100, C 10 of 100; region 26 of 300
#   (9%): B 1, A and C 2 (equal 10%, one rank), none 3.
COUNCILS = {
    "a": figures(
        {
            "cla_at_end": (3, None, 80_000, ""),
            "cla_rate_10k": (3, 10_000, 70, "lower"),
            "placed_foster_pct": (2, 3, 68, "worse"),
            "health_assessment_pct": (80, 100, 85, "worse"),
            "placements_3plus_pct": (10, 100, 10, "similar"),
        }
    ),
    "b": figures(
        {
            "cla_at_end": (20, None, 80_000, ""),
            "cla_rate_10k": (20, 20_000, 70, "lower"),
            "placed_foster_pct": (15, 20, 68, "better"),
            "health_assessment_pct": (90, 100, 85, "better"),
            "placements_3plus_pct": (6, 100, 10, "better"),
        }
    ),
    "c": figures(
        {
            "cla_at_end": (30, None, 80_000, ""),
            "cla_rate_10k": (30, 30_000, 70, "lower"),
            "placed_foster_pct": (24, 30, 68, "better"),
            "health_assessment_pct": (70, 100, 85, "worse"),
            "placements_3plus_pct": (10, 100, 10, "similar"),
        }
    ),
}
REGION = figures(
    {
        "cla_at_end": (53, None, 80_000, ""),
        "cla_rate_10k": (53, 60_000, 70, "lower"),
        "placed_foster_pct": (41, 53, 68, "better"),
        "health_assessment_pct": (240, 300, 85, "worse"),
        "placements_3plus_pct": (26, 300, 10, "better"),
    },
    councils=["a", "b", "c"],
)
NAMES = {"a": "Ayton", "b": "Beeford", "c": "Catton <b>Borough</b>", "d": "Dunham"}
CATTON = "Catton Borough"  # names are plain text: markup in region.yaml is dropped


def _futures() -> Futures:
    # 100 futures: fostered 100 + s in future s (s = 0..99), in homes 3 in every one.
    # Month 12: median of 100..199 is 149.5 -> 150, the 80% range 109.9 to 189.1 -> 110 to 189.
    # Now: fostered 100, homes 3 (<5), all placements 103: the 100 would give the 3 back, so it is [c].
    months = tuple(pd.date_range("2025-04-30", periods=12, freq="ME"))
    sims = np.zeros((100, 12, 2), dtype=np.int64)
    sims[:, :, 0] = 100 + np.arange(100)[:, None]
    sims[:, :, 1] = 3
    groups = ("Foster placements", "Secure homes and children's homes")
    return Futures(pd.Timestamp("2025-03-31"), months, groups, (100, 3), sims, ("a", "b", "c"))


def _table(page: str, caption: str) -> list[list[str]]:
    """The rows (header cell and cells, as text) of the table whose caption ends with ``caption``."""
    found = re.search(r"<caption>[^<]*?: " + re.escape(caption) + r"</caption>(.*?)</table>", page, re.S)
    assert found, f"no table {caption!r}"
    body = found.group(1).split("<tbody>")[1]
    return [
        [
            re.sub(r"<[^>]+>", "", c).replace("&lt;", "<").replace("&amp;", "&")
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("region")
    councils = {**COUNCILS, "d": "Episodes row 7: DECOM 31/02/2025 is not a date"}
    text = {"introduction": "Our region's **own** words.<script>alert(1)</script>"}
    paths = build_regional(
        out, "Northshire", YEAR, councils, REGION, _futures(), names=NAMES, rule=Rule(), text=text
    )
    return paths, paths[0].read_text(encoding="utf-8")


def test_writes_the_page_and_the_workbook(built):
    paths, _ = built
    assert [p.name for p in paths] == [HTML_NAME, WORKBOOK_NAME]


def test_the_regional_total_beside_the_councils_counts_gives_no_small_count_back(built):
    _, page = built
    rows = {r[0]: r[1] for r in _table(page, "Children looked after at the end of the period")}
    assert rows["Ayton"] == "<5"
    assert rows["Beeford"] == "[c]"  # 53 - 20 - 30 = 3 would give Ayton's back
    assert (rows[CATTON], rows["Northshire (region)"]) == ("30", "53")
    rates = {r[0]: r[1] for r in _table(page, "Children looked after per 10,000 children aged 0-17")}
    assert (rates["Ayton"], rates["Beeford"], rates[CATTON]) == ("[c]", "[c]", "10")
    assert rates["Northshire (region)"] == "9"
    fostered = {r[0]: r[1] for r in _table(page, "Children looked after in foster care (%)")}
    assert [fostered[n] for n in ("Ayton", "Beeford", CATTON, "Northshire (region)")] == ["[c]"] * 3 + ["77%"]
    assert fostered["Northshire (region)"] == "77%"


def test_the_audit_finds_nothing_open():
    _, ledgers = regional_document("Northshire", YEAR, COUNCILS, REGION, None, names=NAMES, rule=Rule())
    assert audit(ledgers) == []
    # the relation was there to protect: Beeford's count is hidden only because of it
    assert ledgers.hidden(("count", "cla_at_end", "b"))
    # without the region's figures no total ties them, and Beeford's 20 is shown
    _, alone = regional_document("Northshire", YEAR, COUNCILS, None, None, names=NAMES, rule=Rule())
    assert not alone.hidden(("count", "cla_at_end", "b"))


def test_each_council_against_the_region_and_england(built):
    _, page = built
    rows = {
        r[0]: r
        for r in _table(
            page, "Children looked after 12 months or more with their annual health assessment (%)"
        )
    }
    assert rows["Ayton"][1:] == ["80%", "", "Similar", "Worse", ""]
    assert rows["Beeford"][1:] == ["90%", "", "Better", "Better", ""]
    assert rows[CATTON][1:] == ["70%", "", "Worse", "Worse", ""]
    assert rows["Northshire (region)"][1] == "80%"
    assert rows["England"][1] == "85%"


def test_league_tables_for_rates_and_percentages_only(built):
    _, page = built
    health = _table(
        page, "League table: Children looked after 12 months or more with their annual health assessment (%)"
    )
    assert [r[:3] for r in health] == [
        ["Beeford", "1", "90%"],
        ["Ayton", "2", "80%"],
        [CATTON, "3", "70%"],
    ]
    moves = _table(
        page, "League table: Children looked after with three or more placements during the year (%)"
    )
    assert [r[:2] for r in moves] == [["Beeford", "1"], ["Ayton", "2"], [CATTON, "2"]]
    # no council's foster share is shown (see COUNCILS), so there is nothing to rank: no league table
    assert "League table: Children looked after in foster care" not in page
    assert "League table: Children looked after at the end" not in page  # a count ranks by size


def test_failed_councils_are_listed_with_their_reason(built):
    _, page = built
    assert "<h2>Councils not included</h2>" in page
    assert "Dunham: Episodes row 7: DECOM 31/02/2025 is not a date" in page


def test_page_is_accessible_and_input_text_inert(built):
    _, page = built
    headings = re.findall(r"<h([1-6])>(.*?)</h\1>", page)
    assert [h for _, h in headings] == [
        "Northshire: regional comparison 2024-25",
        "Introduction",
        "About the figures",
        "Councils not included",
        "Each council against the region, England and its neighbours",
        "League tables",
        "The region's trends",
        "The regional sufficiency forecast",
    ]
    assert [int(level) for level, _ in headings] == [1] + [2] * 7
    tables = re.findall(r"<table[ >].*?</table>", page, re.S)
    assert tables and all("<caption>" in t and '<th scope="col">' in t for t in tables)
    assert "<strong>own</strong>" in page and "alert(1)" not in page and "<script" not in page
    assert CATTON in page and "<b>Borough" not in page  # a council's name is text, never markup


def test_the_regional_forecast_is_published_through_the_rule(built):
    _, page = built
    rows = {r[0]: r[1:] for r in _table(page, "The region's sufficiency forecast by placement type")}
    # now, then month 12 (March 2026): forecast, 80% low, 80% high
    assert rows["Foster placements"] == ["[c]", "150", "110", "189"]
    assert rows["Secure homes and children's homes"] == ["<5", "<5", "<5", "<5"]
    assert rows["All placements"][0] == "103"


def test_the_workbook_holds_numbers_as_numbers_and_the_gss_shorthand(built):
    paths, _ = built
    book = load_workbook(paths[1])
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    sheet = book["Table 1"]
    cells = {
        r[0]: r[1:]
        for r in sheet.iter_rows(values_only=True)
        if r and r[0] in (*NAMES.values(), CATTON, "Northshire (region)", "England")
    }
    # the page prints Ayton's small count as <5; the workbook holds only GSS shorthand: [c] for both
    assert cells["Ayton"][0] == "[c]" and cells["Beeford"][0] == "[c]"
    assert not any(c == "<5" for row in cells.values() for c in row)
    assert cells[CATTON][0] == 30 and cells["Northshire (region)"][0] == 53
    assert cells["Northshire (region)"][1] == "[z]"  # the region has no statistical neighbours
    assert cells["Ayton"][1] == "[x]"  # no neighbours' figure published
    # a count against the region's total or England's is smaller by construction: not applicable
    assert cells[CATTON][2:4] == ("[z]", "[z]")
    assert cells["England"][0] == 80_000
    titles = {n: str(book[n]["A1"].value) for n in book.sheetnames}
    health = next(book[n] for n, t in titles.items() if "annual health assessment" in t and "League" not in t)
    found = {r[0].value: r[1] for r in health.iter_rows() if r[0].value in ("Ayton", "England")}
    assert found["Ayton"].value == pytest.approx(0.8) and found["Ayton"].number_format == "0%"
    assert found["England"].value == pytest.approx(0.85)


def test_the_graphs_call_lists_a_failed_council_and_uses_the_regions_rule(tmp_path):
    from types import SimpleNamespace

    from cpkit.region.compare import build_for_region

    region = SimpleNamespace(
        title="Northshire regional comparison",
        introduction="",
        councils=[SimpleNamespace(slug=s, name=n) for s, n in NAMES.items()],
    )
    results = [
        *(SimpleNamespace(slug=s, name=NAMES[s], status="published", reason="") for s in COUNCILS),
        SimpleNamespace(slug="d", name="Dunham", status="failed", reason="section 03_health failed"),
    ]
    # the region's threshold is 10 (its strictest council's): Beeford's 6 (three or more placements) is
    # now a small count too
    strict = Figures(REGION.frame, {**REGION.meta, "small_number_threshold": 10})
    folder = build_for_region(
        region=region,
        period=YEAR,
        out_dir=tmp_path,
        figures=COUNCILS,
        pooled=strict,
        futures=None,
        results=results,
    )
    page = (folder / HTML_NAME).read_text(encoding="utf-8")
    assert "<h1>Northshire: regional comparison 2024-25</h1>" in page
    assert "Dunham: section 03_health failed" in page
    rows = {r[0]: r[1] for r in _table(page, "Children looked after at the end of the period")}
    assert rows["Ayton"] == "<10"
    moves = {
        r[0]: r[1]
        for r in _table(page, "Children looked after with three or more placements during the year (%)")
    }
    # Beeford's 6 of 100 is small at 10. 26 - 10 - 10 = 6 would give it back, so Ayton's is hidden; with
    # Catton's 10 shown, Ayton + Beeford = 16 (Ayton 0 or 10 and more) narrows Beeford's to 1 to 6, which
    # the interval test (the default, the region's when any council keeps it) counts as a leak, so
    # Catton's is hidden too: Ayton + Catton = 26 - Beeford is any of 17 to 25 (one of them 10 and more,
    # the other 0), so Beeford is 1 to 9 again. The region's 9% stays.
    assert [moves[n] for n in ("Ayton", "Beeford", CATTON, "Northshire (region)")] == [
        "[c]",
        "[c]",
        "[c]",
        "9%",
    ]
    # Under the exact test (every council's disclosure_test: exact) narrowing is no leak: Catton's 10% is
    # published, since Beeford's 1 to 6 is not one value
    exact = Figures(REGION.frame, {**strict.meta, "disclosure_test": "exact"})
    folder = build_for_region(
        region=region,
        period=YEAR,
        out_dir=tmp_path / "exact",
        figures=COUNCILS,
        pooled=exact,
        futures=None,
        results=results,
    )
    page = (folder / HTML_NAME).read_text(encoding="utf-8")
    moves = {
        r[0]: r[1]
        for r in _table(page, "Children looked after with three or more placements during the year (%)")
    }
    assert [moves[n] for n in ("Ayton", "Beeford", CATTON, "Northshire (region)")] == [
        "[c]",
        "[c]",
        "10%",
        "9%",
    ]


def test_a_council_read_but_not_shown_is_not_given_back_by_the_regions_total():
    # The region was worked from Ayton (20), Beeford (30) and Dunham (3 in care), but Dunham's report
    # failed after its returns were read, so only Ayton and Beeford are shown. 53 - 20 - 30 = 3 would give
    # Dunham's small count back: Ayton's 20, the smaller, is hidden. Without Dunham's parts (a region table
    # that does not carry them) the region's total is hidden instead.
    shown = {
        "a": figures({"cla_at_end": (20, None, None, "")}),
        "b": figures({"cla_at_end": (30, None, None, "")}),
    }
    parts = {
        "a": {"cla_at_end": [20.0, math.nan]},
        "b": {"cla_at_end": [30.0, math.nan]},
        "d": {"cla_at_end": [3.0, math.nan]},
    }
    region = figures({"cla_at_end": (53, None, None, "")}, councils=["a", "b", "d"], parts=parts)
    _, ledgers = regional_document("Northshire", YEAR, {**shown, "d": "failed"}, region, None, rule=Rule())
    assert ledgers.hidden(("count", "cla_at_end", "a")) and not ledgers.hidden(("count", "cla_at_end", "b"))
    assert not ledgers.hidden(("count", "cla_at_end", "_region")) and audit(ledgers) == []
    bare = figures({"cla_at_end": (53, None, None, "")}, councils=["a", "b", "d"])
    _, ledgers = regional_document("Northshire", YEAR, {**shown, "d": "failed"}, bare, None, rule=Rule())
    assert ledgers.hidden(("count", "cla_at_end", "_region"))
    assert not ledgers.hidden(("count", "cla_at_end", "a"))


def test_a_name_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path):
    names = {**NAMES, "a": '=HYPERLINK("https://example.invalid","Ayton")'}
    paths = build_regional(tmp_path, "Northshire", YEAR, COUNCILS, REGION, None, names=names, rule=Rule())
    sheet = load_workbook(paths[1])["Table 1"]
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # text, shown as written, never a live formula


def test_page_and_workbook_round_an_exact_half_alike():
    from cpkit.region.compare import number_cell
    from cpkit.report.workbook import figure_cell

    # 84.5% is printed 85% (half away from zero, the kit's rule); Python's round() would store 0.84
    cell = number_cell(84.5, "percent", 0)
    assert str(cell) == "85%" and figure_cell(cell) == (0.85, "0%")
    assert figure_cell(number_cell(2.5, "number", 0)) == (3, "#,##0")


def test_the_comparisons_audit_searches_each_group_of_hidden_figures_once(tmp_path, monkeypatch):
    # The exact audit (cpkit.publish.audit) searches each group of hidden figures a relation joins. The
    # comparison's audit is the one made as its hidden figures are chosen (Ledger.resolve keeps it): no
    # group is searched twice with the same statuses (it was three times: Ledger.resolve, Ledgers.resolve
    # and build_regional's audit each searched again what protect had just searched).
    import cpkit.publish.audit as exact

    searched: list[tuple] = []
    search = exact._audit_group

    def spy(values, status, keys, *rest, **more):
        searched.append(tuple(sorted((str(k), status[k]) for k in keys)))
        return search(values, status, keys, *rest, **more)

    monkeypatch.setattr(exact, "_audit_group", spy)
    build_regional(tmp_path, "Northshire", YEAR, COUNCILS, REGION, _futures(), names=NAMES, rule=Rule())
    assert searched, "the comparison hides figures joined by relations: the audit must search them"
    assert len(searched) == len(set(searched)), "a group of hidden figures was searched again"
