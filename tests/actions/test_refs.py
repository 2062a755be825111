from cpkit.actions.refs import leading_ref, out_of_sequence, repair_refs, tidy_ref


def test_tidy_ref_forms():
    assert [tidy_ref(r) for r in ["1.2.", " 4.3.1 ", "1, 2", "Action 3.1", "A1"]] == [
        "1.2",
        "4.3.1",
        "1.2",
        "3.1",
        "A1",
    ]


def test_dot_typo_between_neighbours_is_repaired():
    refs = ["3.1.2", "3.1.3", "31.4", "3.2.1"]
    fixed, repairs = repair_refs(refs, [3, 3, 3, 3])
    assert fixed == ["3.1.2", "3.1.3", "3.1.4", "3.2.1"]
    assert [(r.index, r.written, r.repaired) for r in repairs] == [(2, "31.4", "3.1.4")]


def test_repair_works_without_priority_titles():
    fixed, repairs = repair_refs(["1.1", "12", "1.3"], [None, None, None])
    assert fixed == ["1.1", "1.2", "1.3"] and len(repairs) == 1


def test_only_one_placement_of_the_dots_fits():
    # "13" between 1.1 and 2.1: 13 sorts after 2.1, so only 1.3 fits.
    assert repair_refs(["1.1", "13", "2.1"], [None, None, None])[0] == ["1.1", "1.3", "2.1"]
    # "115" between 1.1 and 1.20: 1.1.5 and 1.15 both fit, so it is left alone.
    assert repair_refs(["1.1", "115", "1.20"], [None, None, None])[1] == []


def test_impossible_refs_are_left_as_written():
    fixed, repairs = repair_refs(["2.2", "1.3", "2.4"], [2, 2, 2])
    assert fixed == ["2.2", "1.3", "2.4"] and repairs == []
    assert out_of_sequence(["2.2", "1.3", "2.4"], [2, 2, 2]) == [1]


def test_a_repair_never_creates_a_duplicate():
    fixed, repairs = repair_refs(["2.1.2", "21.2", "2.1.3"], [2, 2, 2])
    assert repairs == [] and fixed[1] == "21.2"


def test_duplicates_are_not_out_of_sequence():
    assert out_of_sequence(["1.1", "1.2", "1.2", "1.3"], [1, 1, 1, 1]) == []


def test_leading_ref_splits_a_heading():
    assert leading_ref("2.1 To improve the quality of plans") == ("2.1", "To improve the quality of plans")
    assert leading_ref("3. Priority 3") is None
