from cpkit.ssda903 import codes


def test_every_list_the_return_needs_is_there_with_labels():
    needed = {
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "REC",
        "REASON_PLACE_CHANGE",
        "SEX",
        "FLAG",
        "SDQ_REASON",
        "IN_TOUCH",
        "ACTIV",
        "ACCOM",
        "ETHNIC",
    }
    assert needed <= set(codes.code_lists())
    for name in needed:
        for code in codes.code_list(name).codes.values():
            assert code.label and code.label != code.code, (name, code)


def test_place_codes_follow_the_years_they_were_valid():
    # K3 from 2023-24 (return 2024); H5 and P2 gone from 2024-25 (2025); Z1 split from 2025-26 (2026).
    assert "K3" not in codes.valid_codes("PLACE", 2023)
    assert {"K3", "H5", "P2", "Z1"} <= codes.valid_codes("PLACE", 2024)
    y2025 = codes.valid_codes("PLACE", 2025)
    assert "K3" in y2025 and "Z1" in y2025 and not {"H5", "P2"} & y2025
    y2026 = codes.valid_codes("PLACE", 2026)
    assert {"Z11", "Z12", "Z13", "Z14"} <= y2026 and "Z1" not in y2026
    assert {"H5", "Z1", "Z11"} <= codes.known_codes("PLACE")


def test_sex_old_codes_are_aliases_of_m_and_f():
    assert codes.valid_codes("SEX", 2024, normalised=False) == {"1", "2"}
    assert codes.valid_codes("SEX", 2024) == {"M", "F"}  # as the reader leaves them
    assert codes.valid_codes("SEX", 2025) == {"M", "F", "U"}
    assert codes.label("SEX", "1") == "Male"


def test_ethnicity_and_accommodation_codes():
    eth = codes.codes("ETHNIC")
    assert {"WBRI", "WIRT", "WROM", "MWBA", "APKN", "BCRB", "CHNE", "REFU", "NOBT"} <= set(eth)
    assert len(eth) == 20
    # 16 accommodation letters x suitable/unsuitable, less S1 and X1 (no fixed abode and custody are
    # never suitable: the DfE validator's rule 133 lists only S2 and X2), plus 0: 32 - 2 + 1 = 31.
    assert len(codes.codes("ACCOM")) == 31 and codes.label("ACCOM", "Z1").endswith("suitable")
    assert not {"S1", "X1"} & codes.known_codes("ACCOM")


def test_suitable_accommodation_is_the_dfe_list_not_any_code_ending_in_1():
    suitable = codes.suitable_accommodation()
    # 16 letters less S and X, each with its "1": B C D E G H K R T U V W Y Z = 14.
    assert len(suitable) == 14 and {"B1", "Z1", "U1"} <= suitable
    assert not {"S1", "X1", "S2", "0"} & suitable


def test_close_is_a_reason_for_placement_change_in_every_year():
    # The validator's rule 1009 accepts CLOSE (provider closure) in every year it covers.
    for year in (2018, 2023, 2026):
        assert "CLOSE" in codes.valid_codes("REASON_PLACE_CHANGE", year)
    assert codes.label("REASON_PLACE_CHANGE", "CLOSE") == "Provider closure"


def test_columns_map_to_lists_and_unknown_list_is_a_clear_error():
    assert codes.list_for_column("CONVICTED") == "FLAG"
    assert codes.list_for_column("HOME_POST") is None
    try:
        codes.code_list("PLACES")
    except KeyError as err:
        assert "PLACES" in str(err)
    else:
        raise AssertionError("expected KeyError")
