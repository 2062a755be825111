"""The disclosure-control rule, case by case, each worked by hand (threshold 5, "<5" and "[c]").

The working for each case is in its comment: what a reader knows of each symbol ("<5" is 1 to 4; a
hidden count shown "[c]" is 0 or 5 and more), what the relations give, and why the chosen cells stop
the small count being worked out.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cpkit.config import Config
from cpkit.present.disclosure import (
    PRIMARY,
    SECONDARY,
    Ledger,
    Rule,
    breakdown_ledger,
    breakdown_status,
    disclosed,
    protect,
    suppress_counts,
    suppress_frame,
    withheld_reason,
)

from ..conftest import SAMPLE_DIR

RULE = Rule(5, "<5")
P, S = PRIMARY, SECONDARY


@pytest.mark.parametrize(
    ("n", "hidden", "text"),
    [
        (0, False, "0"),  # zero identifies no child: shown
        (1, False, "<5"),
        (4, False, "<5"),
        (4.0, True, "<5"),  # a small count is primary even when asked to hide it as secondary
        (5, False, "5"),
        (7, True, "[c]"),  # a secondary cell of 5 or more never shows "<5"
        (1234, False, "1,234"),
        (None, False, ""),
        (float("nan"), False, ""),
    ],
)
def test_a_count_as_published(n, hidden, text):
    assert RULE.count(n, hidden) == text


@pytest.mark.parametrize(
    ("n", "m", "hidden"),
    [
        (38, 90, False),  # 38 of 90, 52 not: nothing small
        (3, 40, True),  # numerator small
        (4, 4, True),  # denominator small
        (6, 8, True),  # "75% of 8": the complement is 2
        (38, 40, True),  # 95% of 40: 2 did not (complement)
        (35, 40, False),  # complement 5
        (0, 10, False),  # none of 10: complement 10
        (10, 10, False),  # all of 10: complement 0
        (0, 0, True),  # no denominator: no share to show
    ],
)
def test_a_share_is_hidden_when_numerator_denominator_or_complement_is_small(n, m, hidden):
    assert RULE.share_hidden(n, m) is hidden
    pct = 100 * n / m if m else float("nan")
    assert RULE.pct(pct, n, m) == ("[c]" if hidden and m else ("" if not m else f"{pct:.0f}%"))


def test_an_average_of_a_small_group_is_hidden():
    assert RULE.average(14.25, 4) == "[c]"
    assert (
        RULE.average(14.25, 5) == "14.3"
    )  # half away from zero, as every printed figure (judgement.printed)
    assert RULE.average(14.0, 0) == ""


def test_words_for_a_sentence():
    assert RULE.words(3) == "fewer than 5"
    assert RULE.words(1234) == "1,234"


def test_the_note_names_both_symbols_and_what_each_means():
    note = Rule(5, "<5").note()
    assert "<5 is a count from 1 to 4" in note and "[c]" in note and "5 or more" in note
    assert (
        Rule.of(Config(small_number_threshold=10, suppression_symbol="[low]"))
        .note()
        .startswith("[low] is a count from 1 to 9")
    )


# --- protect: one line with a published total -------------------------------------------------------
# Cells are named; "T" is the total; each case lists the true values and the expected status.

LINE_CASES = [
    # 10 + 3 + 7 + 0 = 20. 3 is primary; alone in the line it would be 20 - 10 - 7 - 0 = 3, so the smallest
    # other non-zero count (7) is hidden as [c]. Reader: p + s = 10, p in 1..4, s 0 or >= 5: p 1..4, s 6..9.
    ({"a": 10, "b": 3, "c": 7, "d": 0, "T": 20}, {"b": P, "c": S}),
    # 1 + 5 + 10 = 16. Hiding the smallest other cell (5) is not enough: p + s = 6 with p in 1..4 and s 0
    # or >= 5 forces s = 5, p = 1. So 10 is hidden instead: p + s = 11 leaves p 1..4 (s 7..10).
    ({"a": 1, "b": 5, "c": 10, "T": 16}, {"a": P, "c": S}),
    # 1 + 1 + 20 = 22: two small counts summing to 2 must both be 1, so a third cell (20) is hidden.
    ({"a": 1, "b": 1, "c": 20, "T": 22}, {"a": P, "b": P, "c": S}),
    # 4 + 4 + 30 = 38: two small counts summing to 8 must both be 4 (the most "<5" allows): hide 30.
    ({"a": 4, "b": 4, "c": 30, "T": 38}, {"a": P, "b": P, "c": S}),
    # 2 + 3 + 20 = 25: two small counts summing to 5 could be 1+4, 2+3, 3+2, 4+1: nothing more hidden.
    ({"a": 2, "b": 3, "c": 20, "T": 25}, {"a": P, "b": P}),
    # 3 + 0 + 0 = 3: the total is itself small, so primary; a = T is all a reader learns (1 to 4).
    ({"a": 3, "b": 0, "c": 0, "T": 3}, {"a": P, "T": P}),
    # 12 + 6 + 8 = 26: nothing small, nothing hidden.
    ({"a": 12, "b": 6, "c": 8, "T": 26}, {}),
]


@pytest.mark.parametrize(("values", "expected"), LINE_CASES)
def test_protect_one_line(values, expected):
    parts = [k for k in values if k != "T"]
    eq = {"T": 1, **{k: -1 for k in parts}}
    status = protect(values, [eq], RULE)
    assert {k: s for k, s in status.items() if s} == expected
    assert disclosed(values, [eq], status, RULE) == []


# --- the disclosure test: interval (the default) or exact ----------------------------------------------

EXACT_RULE = Rule(5, "<5", test="exact")


def test_a_narrowed_count_is_protected_under_the_interval_test_and_left_under_the_exact_one():
    """Boys 6, girls 2, 8 in all. Girls is "<5"; 6 beside 8 would pin it, so boys is "[c]" under either
    test. A reader of "[c] boys, <5 girls, 8" then knows boys is 0 or 5 and more and girls 1 to 4, adding up
    to 8: boys 5 to 7, girls 1 to 3. Not pinned, so the exact test publishes the 8; but narrowed (the shape
    of the table alone, a total of 0 or 5 and more, allows girls 1 to 4), so the interval test hides the
    total too: "[c]" + "<5" = "[c]" says girls is 1 to 4."""
    values = {"boys": 6, "girls": 2, "total": 8}
    eq = [{"total": 1, "boys": -1, "girls": -1}]
    for rule, total in ((RULE, "[c]"), (EXACT_RULE, "8")):
        ledger = Ledger(rule)
        for k, v in values.items():
            ledger.add(k, v)
        ledger.total("total", ["boys", "girls"])
        ledger.resolve()
        assert [ledger.text(k) for k in ("boys", "girls", "total")] == ["[c]", "<5", total], rule.test
        assert ledger.open() == []
    # what the exact test publishes is open under the interval one
    exact = protect(values, eq, EXACT_RULE)
    assert disclosed(values, eq, exact, EXACT_RULE) == [] and disclosed(values, eq, exact, RULE) == ["girls"]
    # the total printed elsewhere (kept): nothing is left to hide, so under the interval test the breakdown
    # is withheld; under the exact test it is published
    columns = {"2025": ({"boys": 6, "girls": 2}, 8)}
    assert breakdown_status(columns, RULE)[1] == ["2025"]
    assert breakdown_status(columns, EXACT_RULE)[1] == []


def test_a_part_whose_share_is_printed_elsewhere_is_not_hidden_to_protect_the_others():
    """28 children in care: foster 23, homes 2, supported 2, adoption 1. The scorecard prints foster's
    share, 82% of 28 (100n/28 in [81.5, 82.5): 22.82 to 23.10 children, so 23), under the count's measure
    key, and ``breakdown_ledger`` gives ``protect`` that share (``Ledger.printed_share``). Hiding foster
    here would hide nothing: homes + supported + adoption = 28 - 23 = 5, three "<5" counts each 1 to 3
    (1 + 1 + 3, 1 + 2 + 2, ...), narrowed from the 1 to 4 the table's shape allows, so under the interval
    test the column is withheld. Under the exact test none is pinned: published, foster shown (hiding it
    protects nothing, so it is not hidden). Without the key (no share printed elsewhere) foster is hidden
    as before and the three are 1 to 4 again (foster "[c]" is 5 to 25)."""
    parts = {"foster": 23, "homes": 2, "supported": 2, "adoption": 1}
    keyed = {"p": {"foster": "placed_foster_pct:numerator@2023-24"}}
    ledger, withheld = breakdown_ledger({"p": (parts, 28)}, RULE, part_keys=keyed)
    assert withheld == ["p"]
    ledger, withheld = breakdown_ledger({"p": (parts, 28)}, EXACT_RULE, part_keys=keyed)
    assert withheld == [] and ledger.text(("foster", "p")) == "23"
    ledger, withheld = breakdown_ledger({"p": (parts, 28)}, RULE)
    assert withheld == [] and ledger.text(("foster", "p")) == "[c]"


def test_the_shape_of_a_table_alone_is_never_counted_as_narrowing():
    """1 + 1 + 1 = 3, every figure small: "<5" + "<5" + "<5" = "<5" says each part is 1 or 2, whatever is
    hidden (no figure is shown). That is the shape of the table, not something the figures shown tell: no
    leak under the interval test, nothing more to hide and nothing withheld."""
    values = {"a": 1, "b": 1, "c": 1, "T": 3}
    eq = [{"T": 1, "a": -1, "b": -1, "c": -1}]
    status = protect(values, eq, RULE)
    assert status == {"a": P, "b": P, "c": P, "T": P}
    assert disclosed(values, eq, status, RULE) == []
    assert breakdown_status({"2025": ({"a": 1, "b": 1, "c": 1}, 3)}, RULE)[1] == []


def test_a_disclosure_test_is_one_of_two_words():
    assert Rule.of(Config()).test == "interval" and Rule.of(Config()).narrowing
    assert Rule.of(Config(disclosure_test="exact")).test == "exact"
    assert not Rule.of(Config(disclosure_test="exact")).narrowing
    with pytest.raises(ValueError, match="interval"):
        Rule(5, "<5", test="narrow")


def test_the_audit_finds_what_a_single_primary_leaves_open():
    values = {"a": 10, "b": 3, "c": 7, "T": 20}
    eq = {"T": 1, "a": -1, "b": -1, "c": -1}
    assert disclosed(values, [eq], {"b": P}, RULE) == ["b"]  # 20 - 10 - 7 = 3
    # 1 + 5 hidden, the rest shown: p + s = 6 forces p = 1 (s cannot be 1 to 4)
    values = {"a": 1, "b": 5, "c": 10, "T": 16}
    eq = {"T": 1, "a": -1, "b": -1, "c": -1}
    assert disclosed(values, [eq], {"a": P, "b": S}, RULE) == ["a"]


def test_net_change_month_is_protected_through_the_stock():
    # start 10 + admissions 2 - ceased 0 = end 12; net = 2. With the stock shown, admissions - ceased = 2
    # and ceased can only be 0 (5 or more would need admissions of 7 or more), so admissions = 2. Hiding
    # the net change or ceased does not help: the stock must be hidden too. Start and end are the same
    # figure as the month before's end and the month after's start, so they are one cell each here.
    values = {"start": 10, "adm": 2, "ceased": 0, "end": 12, "net": 2}
    eqs = [
        {"end": 1, "start": -1, "adm": -1, "ceased": 1},
        {"net": 1, "adm": -1, "ceased": 1},
    ]
    status = protect(values, eqs, RULE, signed={"net"})
    assert status["adm"] == P
    assert disclosed(values, eqs, status, RULE, signed={"net"}) == []
    assert status["start"] == S or status["end"] == S  # a stock figure is hidden
    assert status["net"] == S  # net = end - start would otherwise give it back


def test_the_period_total_beside_monthly_cells():
    # Five months of 1 admission each and seven of 0; "5 periods started" in a sentence: each hidden month
    # is at least 1 and they add to 5, so each is 1. The total must go (it is the only shown cell left).
    months = {f"m{i}": (1 if i < 5 else 0) for i in range(12)}
    values = {**months, "year": 5}
    eq = {"year": 1, **{k: -1 for k in months}}
    status = protect(values, [eq], RULE)
    assert all(status[f"m{i}"] == P for i in range(5))
    assert status["year"] == S
    assert disclosed(values, [eq], status, RULE) == []


def test_a_grid_with_both_margins():
    # rows r1, r2, total; columns x, y, total.
    #        x    y   T
    # r1    3   10   13
    # r2    8    9   17
    # T    11   19   30
    # 3 is primary. Row r1 needs a second hidden cell, column x too. Hiding 8 (smallest in column x) and
    # then 10 or 9 (row r2 then has 8 alone) closes the rectangle 3, 10, 8, 9: each row and column has two.
    rows, cols = ["r1", "r2", "T"], ["x", "y", "T"]
    grid = {("r1", "x"): 3, ("r1", "y"): 10, ("r2", "x"): 8, ("r2", "y"): 9}
    values = dict(grid)
    for r in rows[:2]:
        values[(r, "T")] = sum(grid[(r, c)] for c in cols[:2])
    for c in cols[:2]:
        values[("T", c)] = sum(grid[(r, c)] for r in rows[:2])
    values[("T", "T")] = 30
    eqs = [{(r, "T"): 1, (r, "x"): -1, (r, "y"): -1} for r in rows]
    eqs += [{("T", c): 1, ("r1", c): -1, ("r2", c): -1} for c in cols]
    status = protect(values, eqs, RULE)
    assert status[("r1", "x")] == P
    assert disclosed(values, eqs, status, RULE) == []
    hidden = {k for k, s in status.items() if s}
    assert {("r1", "x"), ("r1", "y"), ("r2", "x"), ("r2", "y")} <= hidden
    assert not {k for k in hidden if "T" in k}  # the margins stay


def test_forced_hiding_protects_a_figure_another_table_hid():
    values = {"a": 20, "b": 30, "T": 50}
    status = protect(values, [{"T": 1, "a": -1, "b": -1}], RULE, hide=["a"])
    # a is hidden elsewhere; alone in its line it would be 50 - 30, so b goes too
    assert status == {"a": S, "b": S, "T": ""}


def test_suppress_frame_column_totals_and_statuses():
    df = pd.DataFrame({"g": ["a", "b", "c", "Total"], "n": [10, 3, 7, 20]})
    out, flags = suppress_frame(df, ["n"], RULE, total_row=3)
    assert out["n"].tolist() == ["10", "<5", "[c]", "20"]
    assert flags["n"].tolist() == ["", P, S, ""]


def test_suppress_counts_keeps_the_older_interface():
    df = pd.DataFrame({"where": ["in", "out"], "near": [3, 10], "far": [6, 2], "Total": [9, 12]})
    out = suppress_counts(df, ["near", "far"], 5, "<5", total_column="Total", axis="row")
    # row in: 3 + 6 = 9: 3 primary, 6 hidden ([c]); row out: 10 + 2 = 12: 2 primary, 10 hidden
    assert out[["near", "far", "Total"]].values.tolist() == [["<5", "[c]", "9"], ["[c]", "<5", "12"]]


def test_inf_bounds_do_not_break_the_audit():
    values = {"a": 3, "net": -4, "b": 7}
    eqs = [{"net": 1, "a": -1, "b": 1}]
    status = {"a": P, "net": S, "b": S}
    assert disclosed(values, eqs, status, RULE, signed={"net"}) == []
    assert math.isinf(float("inf"))


# --- the rule a council may set in cpkit.yaml ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("small_number_threshold: 2\n", "small_number_threshold must be a whole number of at least 3"),
        ("small_number_threshold: 1\n", "small_number_threshold must be a whole number of at least 3"),
        ("small_number_threshold: yes\n", "small_number_threshold must be a whole number of at least 3"),
        ("small_number_threshold: 4.5\n", "small_number_threshold must be a whole number of at least 3"),
        ('suppression_symbol: "5"\n', "suppression_symbol must be text that cannot be read as a count"),
        ('suppression_symbol: "[c]"\n', "is not [c]"),
        ('suppression_symbol: ""\n', "suppression_symbol must be text"),
    ],
)
def test_cpkit_yaml_cannot_weaken_the_rule(tmp_path, text, message):
    from cpkit.errors import ConfigError

    path = tmp_path / "cpkit.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Config.load(path)
    assert message in str(err.value) and "cpkit.yaml" in str(err.value)
    assert ("small_number_threshold" in text) == ("small_number_threshold" in str(err.value))


def test_cpkit_yaml_may_make_the_rule_stricter(tmp_path):
    path = tmp_path / "cpkit.yaml"
    council = (SAMPLE_DIR / "cpkit.yaml").read_text(encoding="utf-8")  # the settings every council must give
    path.write_text(council + 'small_number_threshold: 10\nsuppression_symbol: "[low]"\n', encoding="utf-8")
    rule = Rule.of(Config.load(path))
    assert (rule.threshold, rule.symbol, rule.count(9), rule.count(10)) == (10, "[low]", "[low]", "10")
    path.write_text(council + "small_number_threshold: 3\n", encoding="utf-8")
    assert Rule.of(Config.load(path)).count(3) == "3"


# --- the ledger: figures of several tables and sentences protected together ---------------------------


def test_a_ledger_keeps_a_figure_published_elsewhere_and_hides_another_instead():
    # 3 + 20 = 23, and 20 is also another table's "Out of": keep it, so the total goes ([c]).
    ledger = Ledger(RULE)
    ledger.add("a", 3)
    ledger.add("b", 20)
    ledger.add("T", 23)
    ledger.total("T", ["a", "b"])
    ledger.keep("b")
    ledger.resolve()
    assert [ledger.text(k) for k in ("a", "b", "T")] == ["<5", "20", "[c]"]
    assert ledger.open() == []


def test_a_ledger_refuses_one_figure_with_two_values():
    ledger = Ledger(RULE)
    ledger.add("a", 3)
    with pytest.raises(ValueError, match="added twice"):
        ledger.add("a", 4)


def test_a_ledger_says_when_nothing_left_can_protect_a_count(caplog):
    # 4 + 4 = 8 with the 8 kept (published elsewhere): both must be 4, and there is nothing else to hide.
    ledger = Ledger(RULE)
    ledger.add("a", 4)
    ledger.add("b", 4)
    ledger.add("T", 8)
    ledger.total("T", ["a", "b"])
    ledger.keep("T")
    with caplog.at_level("WARNING"):
        ledger.resolve()
    assert sorted(ledger.open()) == ["a", "b"]
    assert "can still be worked out" in caplog.text


def test_disclosed_finds_a_count_pinned_by_whole_numbers_the_intervals_miss():
    """6 = "[c]" + "<5" + "[c]" (foster 5, homes 1, with parents 0, the 6 printed elsewhere): each "[c]"
    is 0 or 5 and more, and the two add up to 6 - (1 to 4) = 2 to 5, so one is 5, the other 0, and homes
    is 1. Interval bounds alone give homes 1 to 4; the whole-number search pins it."""
    values = {"total": 6, "foster": 5, "homes": 1, "parents": 0}
    eq = [{"total": 1, "foster": -1, "homes": -1, "parents": -1}]
    status = {"total": "", "foster": SECONDARY, "homes": PRIMARY, "parents": SECONDARY}
    assert disclosed(values, eq, status, RULE) == ["homes"]
    # with 12 in all the two "[c]" add up to 8 to 11 (8 + 0 ... 11 + 0, or 5 + 5 = 10): homes 1 to 4
    assert disclosed({**values, "total": 12, "foster": 10, "homes": 2}, eq, status, RULE) == []


def test_a_breakdown_whose_total_is_published_elsewhere_is_withheld_when_nothing_protects_it():
    """The total is kept (the report prints it elsewhere). 5 + 1 + 0 = 6: hiding foster and the 0 still
    pins homes (above), so the column is withheld; 3 + 3 = 6 ("<5" + "<5": 2+4, 3+3, 4+2) pins neither,
    so it is published under the exact test and withheld under the interval test (each is 2 to 4, not 1
    to 4, and the shape alone, "<5" + "<5" = a total of 0 or 5 and more, allows 1 to 4); 4 + 4 = 8
    ("<5" + "<5" can only make 8 as 4 + 4) is withheld under either."""
    status, withheld = breakdown_status({"2025": ({"foster": 5, "homes": 1, "parents": 0}, 6)}, RULE)
    assert withheld == ["2025"] and status[("Total", "2025")] == ""
    exact = Rule(5, "<5", test="exact")
    assert breakdown_status({"2025": ({"boys": 3, "girls": 3}, 6)}, exact)[1] == []
    assert breakdown_status({"2025": ({"boys": 3, "girls": 3}, 6)}, RULE)[1] == ["2025"]
    assert breakdown_status({"2024": ({"boys": 4, "girls": 4}, 8)}, exact)[1] == ["2024"]
    assert breakdown_status({"2024": ({"boys": 4, "girls": 4}, 8)}, RULE)[1] == ["2024"]
    # 30 + "<5" + 0 = 31: hiding foster ([c], 5 and more) leaves homes 1 to 4: published, total shown
    status, withheld = breakdown_status({"2025": ({"foster": 30, "homes": 1, "x": 0}, 31)}, RULE)
    assert withheld == [] and status[("foster", "2025")] == SECONDARY and status[("Total", "2025")] == ""
    assert withheld_reason([(6, "at 31 March 2025")], "children in care", RULE) == (
        "Not shown: with 6 children in care at 31 March 2025 the breakdown would identify some of them."
    )


def test_a_share_of_no_one_is_printed_nowhere_and_binds_nothing():
    # no child in the group: "0 of 0" has no percentage (GSS [z]), so no reader holds one; the ledger takes
    # none (a share of 0 would divide by zero), and its other printed share is kept: 6 of 24 is 25%
    ledger = Ledger(RULE)
    ledger.add("none", 0)
    ledger.add("empty", 0)
    ledger.add("a", 6)
    ledger.add("all", 24)
    assert ledger.printed_share("none", "empty") is None
    share = ledger.printed_share("a", "all")
    assert ledger.printed_shares == [share] and share.percent == 25.0
