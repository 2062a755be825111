"""Missing comparators: a comparison is written only with both figures, and the page says once what is
missing. Hand-built headline frames (as the figures table gives them with no England rows in the DfE files,
or no statistical neighbours); the verdicts are those the judgement rule gives for the figures shown."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cpkit.config import Config, Period
from cpkit.figures.headline import COLUMNS, SSDA903, Headline
from cpkit.present.narrative import Narrative
from cpkit.sections import scorecard as sc
from cpkit.sections import summary as su
from cpkit.sections.common import benchmark_note
from cpkit.sections.placements import benchmark_sentence


def _row(key: str, value: float, **published) -> dict:
    """A headline row: a percentage where lower is better, 100 children, no previous year."""
    return (
        {c: float("nan") for c in COLUMNS}
        | {
            "theme": "placements",
            "source": SSDA903,
            "indicator": key,
            "label": f"{key} (%)",
            "short": key,
            "unit": "percent",
            "polarity": "low",
            "decimals": 0,
            "value": value,
            "numerator": value,
            "denominator": 100.0,
            "check_value": value,
            "check_numerator": value,
            "check_denominator": 100.0,
            "change_kind": "",
            "direction": "",
            "direction_label": "",
            "rag": "",
            "ranked": 0,
            "rank": pd.NA,
            "rank_text": "",
            "neighbour_n": 0,
            "vs_england": "",
            "vs_neighbours": "",
            "published_status": "absent",
            "own_vs_published": "",
        }
        | published
    )


def _card(*rows: dict) -> Headline:
    return Headline(pd.DataFrame(list(rows)), Period.from_year(2025), bench_year=2025)


# No England rows: 54% against a neighbour average of 10.3% (9 neighbours) is worse; 8% better.
NO_ENGLAND = _card(
    _row("moves", 54.0, neighbour_avg=10.3, neighbour_n=9, vs_neighbours="worse"),
    _row("missing", 8.0, neighbour_avg=10.3, neighbour_n=9, vs_neighbours="better"),
)
# No neighbours: 54% against England's 10% is worse.
NO_NEIGHBOURS = _card(_row("moves", 54.0, england=10.0, vs_england="worse"))


def test_no_england_rows_writes_no_england_clause_and_says_so_once():
    narrative = Narrative(config=Config())
    found = su.standing(NO_ENGLAND, Config())
    lines = su.standing_sentences(found, NO_ENGLAND, narrative)
    # Before: "moves: 54%; England , statistical neighbour average 10.3%."
    assert lines["worst"] == ["moves: 54%; statistical neighbour average 10.3%."]
    text = su.standing_text(found, NO_ENGLAND, narrative)
    assert "England ," not in text and "both" not in text
    assert "Worse than the statistical neighbour average (no England figure is published for them):" in text
    assert text.count("The DfE files supplied hold no England figures for 2024-25") == 1
    # Before: "moves: worse than England and statistical neighbours (54%; England )."
    focus = su.focus(NO_ENGLAND, found, None, narrative)
    assert focus == ["moves: worse than statistical neighbours (54%; statistical neighbour average 10.3%)."]
    # Before: "Placements: better than England and statistical neighbours for missing; worse than ..."
    assert sc.theme_sentences(NO_ENGLAND, narrative) == [
        "Placements: better than statistical neighbours for missing; worse than statistical neighbours "
        "for moves."
    ]
    assert (
        "hold no England figures for 2024-25, so measures are compared with the statistical neighbours"
        in (sc.table_note(NO_ENGLAND, Config()))
    )


def test_no_neighbours_is_never_worse_than_both():
    narrative = Narrative(config=Config())
    found = su.standing(NO_NEIGHBOURS, Config())
    text = su.standing_text(found, NO_NEIGHBOURS, narrative)
    assert "both" not in text
    assert "Worse than England (no statistical neighbour figure is published for them):" in text
    assert "- moves: 54%; England 10%." in text
    assert sc.theme_sentences(NO_NEIGHBOURS, narrative) == ["Placements: worse than England for moves."]
    assert su.focus(NO_NEIGHBOURS, found, None, narrative) == [
        "moves: worse than England (54%; England 10%)."
    ]


def test_the_summary_says_when_it_shows_only_the_first_few():
    # Three measures better than both (England 20%, neighbours 19.0%), the summary shows two.
    both = {"england": 20.0, "neighbour_avg": 19.0, "neighbour_n": 9, "vs_england": "better"}
    card = _card(*(_row(k, 5.0 + i, vs_neighbours="better", **both) for i, k in enumerate("abc")))
    narrative = Narrative(config=Config())
    found = su.standing(card, Config(), n=2)
    assert found["best"]["indicator"].tolist() == ["a", "b"]
    text = su.standing_text(found, card, narrative)
    assert "Better than both England and the statistical neighbour average:" in text
    assert "And 1 more: see the scorecard." in text
    # Areas of focus: three worse than both, two shown.
    worse = {"england": 1.0, "neighbour_avg": 1.0, "neighbour_n": 9, "vs_england": "worse"}
    card = _card(*(_row(k, 50.0, vs_neighbours="worse", **worse) for k in "abc"))
    found = su.standing(card, Config())
    focus = su.focus(card, found, None, narrative, n=2)
    assert focus[-1] == "And 1 more: see the scorecard and the action plan."
    assert len(focus) == 3
    # The largest changes: a table of the first two of three says so.
    moved = [
        _row(
            k, v, previous_value=10.0, previous_numerator=10.0, previous_denominator=100.0, change_kind="rise"
        )
        for k, v in (("a", 20.0), ("b", 30.0), ("c", 40.0))
    ]
    top = su.moves(_card(*moved), Config(), n=2)
    assert su.moves_more(top) == " The 2 largest of the 3 changes are shown; the scorecard has every measure."


def test_a_table_without_published_figures_says_why():
    # A 2019-20 report with DfE files for 2020-21 onwards: no published year ends by 31 March 2020, so
    # ``Figures.benchmarks`` is None and the tables have no England column; the note says so.
    note = benchmark_note(None, Period.from_year(2020))
    assert "England and statistical-neighbour figures are not shown" in note and "2019-20" in note
    # No England rows: the note names the neighbours' figures and says England is missing; the sentence
    # gives the neighbours' figure alone.
    bench = pd.DataFrame(
        {"england": [float("nan")], "neighbour_avg": [10.3], "neighbour_n": [9]},
        index=pd.Index(["placements_3plus_pct"], name="measure"),
    )
    bench.attrs.update(year=2025, label="2024-25", neighbours=9)
    note = benchmark_note(bench, Period.from_year(2025))
    assert (
        "hold no England figures" in note and "England and statistical-neighbour figures are the" not in note
    )
    narrative = Narrative(config=Config())
    assert benchmark_sentence(bench, "placements_3plus_pct", narrative) == [
        "The average of the council's statistical neighbours' published figures in 2024-25 was 10%."
    ]
    # No neighbours: England alone, and the note says no neighbours' figures were found.
    bench = pd.DataFrame(
        {"england": [10.0], "neighbour_avg": [float("nan")], "neighbour_n": [0]},
        index=pd.Index(["placements_3plus_pct"], name="measure"),
    )
    bench.attrs.update(year=2025, label="2024-25", neighbours=0)
    assert "no statistical neighbours' figures were found" in benchmark_note(bench, Period.from_year(2025))
    assert "average of the 0" not in benchmark_note(bench, Period.from_year(2025))


def test_a_report_from_one_return_does_not_compare_with_a_year_no_return_covers(tmp_path):
    # One return, 2017-18 (from 1 April 2017). Six children ceased in 2017-18 (returned home, E13); none
    # can be seen ceasing in 2016-17, which no return covers. Before: "The number of children who ceased
    # to be looked after rose, from 0 in 2016-17 to 6 in 2017-18."
    from cpkit.report.cache import save_903
    from cpkit.report.context import SectionContext
    from cpkit.sections import children_in_care as cis
    from tests.care.conftest import build

    rows = [(f"c{i}", "01/05/2017", "01/02/2018", "S", "C2", "N1", "U4", "E13") for i in range(6)]
    data = build(rows, episode_extra={"return_year": [2018] * 6})
    save_903(data, tmp_path / "cache" / "ssda903")
    period = Period.from_year(2018)
    ctx = SectionContext("01_children_in_care", Config(), period, tmp_path, tmp_path / "cache")
    sentences = cis.exits_sentences(cis.exits(ctx.data, period), period, ctx.narrative)
    assert sentences[0] == (
        "The number of children who ceased to be looked after: 6 in 2017-18. The returns supplied start on "
        "1 April 2017, so there is no figure in 2016-17 to compare it with."
    )
    assert not any("rose" in s or "from 0" in s for s in sentences)
    # The table gives no figure for 2016-17 either (before: 0 children, a number the data cannot give).
    table = cis.exits_table(cis.exits(ctx.data, period), period, ctx.config)
    assert set(table["Children, 2016-17"]) == {"n/a"} and set(table["%, 2016-17"]) == {"n/a"}
    assert table.set_index("Reason for leaving care").loc["Total", "Children, 2017-18"] == "6"
    # With the 2016-17 return too (five children ceased then), the comparison is written: 5 -> 6, a rise.
    before = [(f"d{i}", "01/05/2016", "01/02/2017", "S", "C2", "N1", "U4", "E13") for i in range(5)]
    earlier = build([*rows, *before], episode_extra={"return_year": [2018] * 6 + [2017] * 5})
    narrative = Narrative(config=Config(), first_day=date(2016, 4, 1))
    first = cis.exits_sentences(cis.exits(earlier, period), period, narrative)[0]
    assert (
        first
        == "The number of children who ceased to be looked after rose, from 5 in 2016-17 to 6 in 2017-18."
    )


def test_health_from_one_return_does_not_compare_with_the_year_before_it():
    # One return, 2018-19 (from 1 April 2018): the OC2 cohort of 120 has no 2017-18 figure to compare with.
    # Before: "The number of children looked after continuously ... rose, from 0 in 2017-18 to 120 in 2018-19."
    from cpkit.sections import health

    narrative = Narrative(config=Config(), first_day=date(2018, 4, 1))
    assert health.cohort_sentence((0, 120), Period.from_year(2019), narrative) == (
        "The number of children looked after continuously for 12 months or more at 31 March: 120 in 2018-19. "
        "The returns supplied start on 1 April 2018, so there is no figure in 2017-18 to compare it with."
    )


def test_a_scorecard_from_one_return_says_why_last_year_has_no_figures(tmp_path):
    # One return, 2018-19: the figures table holds 2018-19 only; the scorecard's 2017-18 column is empty,
    # and its note says why (before: empty cells and no word).
    from types import SimpleNamespace

    from cpkit.figures import build_figures
    from cpkit.figures.headline import gather
    from tests.care.conftest import build

    data = build(
        [("a", "01/05/2018", None, "S", "C2", "N1", "U4", None)], episode_extra={"return_year": [2019]}
    )
    period = Period.from_year(2019)
    figures = build_figures(data, period, Config(), tmp_path)
    assert figures.years == [2019]
    ctx = SimpleNamespace(
        config=Config(), period=period, figures=figures, file=lambda setting, default: tmp_path / default
    )
    card = gather(ctx)
    assert (
        "The SSDA903 returns supplied do not cover 2017-18 (they start on 1 April 2018), so the council's own "
        "figures for it, and the direction of travel, are not shown." in sc.table_note(card, Config())
    )


def test_the_quarterly_page_names_only_the_comparators_it_has(tmp_path):
    # DfE numbers for 2025: the council (999) and England, no statistical neighbour file: the page's note
    # says England only. Before: "England and statistical-neighbour figures are the DfE's latest ...".
    from cpkit.poap.page import _benchmarks
    from cpkit.sample import sample_config
    from tests.benchmarks.conftest import LOOKED_AFTER, NUMBERS_HEADER, geo

    folder = tmp_path / "benchmarks"
    folder.mkdir()
    rows = [
        f"{geo(2025, 'Local authority', 'E06000999', '999', 'Sample')},{LOOKED_AFTER},64000,300,47",
        f"{geo(2025, 'National')},{LOOKED_AFTER},1000000,80000,80",
    ]
    (folder / "numbers.csv").write_text("\n".join([NUMBERS_HEADER, *rows]) + "\n", encoding="utf-8")
    notes: list[str] = []
    table, year = _benchmarks(tmp_path, sample_config(), notes)
    assert year == 2025
    text = " ".join(notes)
    assert "England and statistical-neighbour figures are" not in text
    assert "England figures (the files supplied hold none for the council's statistical neighbours)" in text


def test_a_summary_with_no_published_year_says_why_it_compares_nothing():
    # A 2018-19 report with DfE files for 2020-21 onwards: no comparator for any measure; the summary says
    # none was supplied for the year and why (the figures table's note), not "were supplied" bare.
    card = Headline(pd.DataFrame([_row("moves", 54.0)]), Period.from_year(2019))
    card.notes.append("The DfE figures supplied are for 2021, 2022; none ends by the end of 2018-19.")
    text = su.standing_text(su.standing(card, Config()), card, Narrative(config=Config()))
    assert text == (
        "No England or statistical neighbour figures for the year were supplied, so no measure is compared "
        "with them. The DfE figures supplied are for 2021, 2022; none ends by the end of 2018-19."
    )
