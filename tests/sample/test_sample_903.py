"""The synthetic SSDA903 sample: reproducible, in the DfE layout, and shaped like a real council's."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest

from cpkit.sample import SAMPLE_EXTRACT_DATE
from cpkit.sample.postcodes import COUNCIL_DISTRICTS, PostcodePool
from cpkit.sample.ssda903 import FILE_NAMES, write_903_sample
from cpkit.ssda903.tables import DATE_COLUMNS, TABLE_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "data" / "sample" / "ssda903"
YEARS = range(2019, 2026)

LS = {"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"}
RNE = {"S", "L", "P", "T", "B", "U"}
CIN = {f"N{i}" for i in range(1, 9)}
PLACE_ALWAYS = {
    "A3",
    "A4",
    "A5",
    "A6",
    "K1",
    "K2",
    "P1",
    "P3",
    "R1",
    "R2",
    "R3",
    "R5",
    "S1",
    "T0",
    "T1",
    "T2",
    "T3",
    "T4",
    "U1",
    "U2",
    "U3",
    "U4",
    "U5",
    "U6",
    "Z1",
}
PROVIDERS = {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}
REC = {
    "X1",
    "E11",
    "E12",
    "E13",
    "E14",
    "E15",
    "E16",
    "E17",
    "E2",
    "E3",
    "E41",
    "E45",
    "E46",
    "E47",
    "E48",
    "E4A",
    "E4B",
    "E5",
    "E6",
    "E7",
    "E8",
    "E9",
}
REASONS = {"CARPL", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER"}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample903")
    # as `cpkit sample` writes it: the returns, and the in-year extract the same simulation runs on to
    write_903_sample(out, extract_date=SAMPLE_EXTRACT_DATE, extract_dir=_extract_dir(out))
    return out


def _extract_dir(generated: Path) -> Path:
    return generated.with_name(generated.name + "-inyear")


@pytest.fixture(scope="module")
def tables() -> dict[int, dict[str, list[dict[str, str]]]]:
    return {
        y: {name: _read(COMMITTED / str(y) / file)[1] for name, file in FILE_NAMES.items()} for y in YEARS
    }


def test_regenerating_with_the_default_seed_gives_the_committed_files_byte_for_byte(generated: Path) -> None:
    made = sorted(p.relative_to(generated) for p in generated.rglob("*.csv"))
    kept = sorted(p.relative_to(COMMITTED) for p in COMMITTED.rglob("*.csv"))
    assert made == kept
    assert len(made) == len(YEARS) * len(FILE_NAMES)
    for rel in made:
        assert (generated / rel).read_bytes() == (COMMITTED / rel).read_bytes(), rel


def test_the_in_year_extract_is_regenerated_byte_for_byte_and_has_no_31_march_cohorts(
    generated: Path,
) -> None:
    committed = COMMITTED.parent / "inyear" / SAMPLE_EXTRACT_DATE.isoformat()
    made = sorted(p.name for p in _extract_dir(generated).glob("*.csv"))
    assert made == sorted(p.name for p in committed.glob("*.csv"))
    assert "oc2.csv" not in made and "oc3.csv" not in made and "episodes.csv" in made
    for name in made:
        assert (_extract_dir(generated) / name).read_bytes() == (committed / name).read_bytes(), name
    _, episodes = _read(committed / "episodes.csv")
    assert max(_day(r["DECOM"]) for r in episodes) <= SAMPLE_EXTRACT_DATE
    assert all(not r["DEC"] or _day(r["DEC"]) <= SAMPLE_EXTRACT_DATE for r in episodes)


def test_sample_stays_small() -> None:
    assert sum(p.stat().st_size for p in COMMITTED.rglob("*")) < 5_000_000


@pytest.mark.parametrize("year", YEARS)
def test_every_file_has_exactly_the_dfe_columns_and_dd_mm_yyyy_dates(year: int) -> None:
    for name, file in FILE_NAMES.items():
        columns, rows = _read(COMMITTED / str(year) / file)
        assert tuple(columns) == TABLE_COLUMNS[name], file
        for row in rows:
            for col in DATE_COLUMNS.intersection(columns):
                if row[col]:
                    assert re.fullmatch(r"\d\d/\d\d/\d{4}", row[col]), (file, col, row[col])
                    _day(row[col])


def test_codes_are_valid_for_their_year(tables) -> None:
    for year, t in tables.items():
        sexes = {r["SEX"] for r in t["header"] + t["uasc"]}
        assert sexes == ({"M", "F"} if year >= 2025 else {"1", "2"}), year
        places = {r["PLACE"] for r in t["episodes"]}
        allowed = set(PLACE_ALWAYS)
        if year <= 2024:
            allowed |= {"H5", "P2"}
        if year >= 2024:
            allowed |= {"K3"}
        assert places <= allowed, (year, places - allowed)
        for r in t["episodes"]:
            assert r["LS"] in LS and r["RNE"] in RNE and r["CIN"] in CIN
            # no provider for "other placement" Z1 (DfE rule 178), every other placement has one
            assert r["PLACE_PROVIDER"] in (PROVIDERS if r["PLACE"] != "Z1" else {""}), r
            assert r["REC"] in REC | {""} and (r["DEC"] == "") == (r["REC"] == "")
            assert (r["PLACE_PROVIDER"] == "PR0") == (r["PLACE"] == "P1")
        # The reason for a change of placement is on the episode the change ends (DfE rule 225): an X1
        # episode followed by a new placement (RNE P, B, T or U) has one, no other episode does.
        for eps in _by_child(t["episodes"]).values():
            eps = sorted(eps, key=lambda r: _day(r["DECOM"]))
            for r, after in zip(eps, [*eps[1:], None], strict=True):
                moved = r["REC"] == "X1" and after is not None and after["RNE"] in "PTBU"
                assert r["REASON_PLACE_CHANGE"] in (REASONS if moved else {""}), (year, r)
        for r in t["header"]:
            assert re.fullmatch(r"[A-HJ-NP-RT-Z]\d{12}|UN1", r["UPN"]), r["UPN"]
            assert re.fullmatch(r"\d{6,8}", r["CHILD"])
        assert len({r["CHILD"] for r in t["header"]}) == len(t["header"])
    # the DfE's changes show up in the sample: K3 arrives in 2023-24, alongside the old codes
    places_2024 = {r["PLACE"] for r in tables[2024]["episodes"]}
    assert {"H5", "K3"} <= places_2024


def _by_child(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        out[r["CHILD"]].append(r)
    return out


def test_episodes_do_not_overlap_and_x1_chains_same_day(tables) -> None:
    for year, t in tables.items():
        start = date(year - 1, 4, 1)
        for child, eps in _by_child(t["episodes"]).items():
            eps = sorted(eps, key=lambda r: _day(r["DECOM"]))
            for before, after in zip(eps, eps[1:], strict=False):
                assert before["DEC"], (year, child, "open episode followed by another")
                assert _day(before["DEC"]) <= _day(after["DECOM"]), (year, child)
                if before["REC"] == "X1":
                    assert before["DEC"] == after["DECOM"] and after["RNE"] != "S", (year, child)
                else:
                    assert after["RNE"] == "S", (year, child)
            if eps[-1]["REC"] == "X1":
                pytest.fail(f"{year} {child}: X1 with no following episode")
            if eps[0]["RNE"] != "S":
                assert _day(eps[0]["DECOM"]) < start, (year, child, "continuation must start before the year")
            for e in eps:
                if e["DEC"]:
                    assert _day(e["DEC"]) >= _day(e["DECOM"])


def test_about_450_children_in_care_at_31_march_2025_and_10_to_25_admissions_a_month(tables) -> None:
    end = date(2025, 3, 31)
    in_care = {
        r["CHILD"]
        for r in tables[2025]["episodes"]
        if r["LS"] not in ("V3", "V4") and _day(r["DECOM"]) <= end and not r["DEC"]
    }
    assert 420 <= len(in_care) <= 500
    for year, t in tables.items():
        starts = [
            r
            for r in t["episodes"]
            if r["RNE"] == "S" and r["LS"] not in ("V3", "V4") and _day(r["DECOM"]) >= date(year - 1, 4, 1)
        ]
        ceased = [r for r in t["episodes"] if r["REC"] not in ("", "X1") and r["LS"] not in ("V3", "V4")]
        assert 10 <= len(starts) / 12 <= 25, year
        assert 10 <= len(ceased) / 12 <= 25, year


def test_mixes_look_like_england(tables) -> None:
    eps = tables[2025]["episodes"]
    open_ = [r for r in eps if not r["DEC"] and r["LS"] not in ("V3", "V4")]
    share = lambda rows, test: sum(map(test, rows)) / len(rows)  # noqa: E731
    assert 0.6 <= share(open_, lambda r: r["PLACE"].startswith("U")) <= 0.78
    assert 0.5 <= share(open_, lambda r: r["LS"] == "C2") <= 0.7
    assert 0.55 <= share(open_, lambda r: r["CIN"] == "N1") <= 0.75
    header = {r["CHILD"]: r for r in tables[2025]["header"]}
    assert 0.68 <= share(open_, lambda r: header[r["CHILD"]]["ETHNIC"] == "WBRI") <= 0.82
    # UASC on 31 March: the status ends on the 18th birthday (DUC), after that day
    uasc = {r["CHILD"] for r in tables[2025]["uasc"] if _day(r["DUC"]) > date(2025, 3, 31)}
    assert 0.05 <= share(open_, lambda r: r["CHILD"] in uasc) <= 0.1
    ceased = [
        r
        for y in YEARS
        for r in tables[y]["episodes"]
        if r["REC"] not in ("", "X1") and r["LS"] not in ("V3", "V4")
    ]
    assert 0.25 <= share(ceased, lambda r: r["REC"] in ("E4A", "E4B")) <= 0.45
    assert 0.05 <= share(ceased, lambda r: r["REC"] in ("E11", "E12")) <= 0.11
    # the in-house share of fostering moves between years
    inhouse = []
    for y in YEARS:
        foster = [r for r in tables[y]["episodes"] if not r["DEC"] and r["PLACE"].startswith("U")]
        inhouse.append(share(foster, lambda r: r["PLACE_PROVIDER"] == "PR1"))
    assert max(inhouse) - min(inhouse) >= 0.04


def test_postcodes_are_real_and_mostly_near_home(tables) -> None:
    pool = PostcodePool()
    known = {p.code: p for p in pool.inside + pool.outside}
    # short breaks (V3/V4) have no placement location (DfE rules 214, 398)
    open_ = [r for r in tables[2025]["episodes"] if not r["DEC"] and r["LS"] not in ("V3", "V4")]
    assert all(not r["PL_POST"] for r in tables[2025]["episodes"] if r["LS"] in ("V3", "V4"))
    near = inside = 0
    uasc = {r["CHILD"] for r in tables[2025]["uasc"]}
    for r in open_:
        placed = known[r["PL_POST"]]  # every placement has a real postcode (DfE rules 169, 392b)
        inside += placed.district in COUNCIL_DISTRICTS
        if r["CHILD"] in uasc:  # no home postcode, so no distance, for UASC (DfE rule 406)
            assert r["HOME_POST"] == ""
            continue
        home = known[r["HOME_POST"]]
        assert home.district in COUNCIL_DISTRICTS
        assert r["PL_POST"] != r["HOME_POST"] or r["PLACE"] == "P1"  # DfE rule 392d
        near += placed.miles_to(home) <= 20
    assert 0.5 <= inside / len(open_) <= 0.7
    assert 0.68 <= near / len(open_) <= 0.88


def test_other_tables_agree_with_episodes(tables) -> None:
    for year, t in tables.items():
        end = date(year, 3, 31)
        header = {r["CHILD"]: r for r in t["header"]}
        # every child the return holds, care leavers too (DfE rule INT06)
        assert set(header) == {r["CHILD"] for r in t["episodes"]} | {r["CHILD"] for r in t["oc3"]}
        for name in ("uasc", "ad1", "placed_adoption", "missing"):
            for r in t[name]:
                assert r["CHILD"] in header and r["DOB"] == header[r["CHILD"]]["DOB"], (year, name)
        placed = {r["CHILD"]: _day(r["DECOM"]) for r in t["episodes"] if r["PLACE"] in ("A5", "A6")}
        for r in t["ad1"]:
            assert _day(r["DATE_INT"]) < _day(r["DATE_MATCH"]) <= end
            if r["CHILD"] in placed:
                assert _day(r["DATE_MATCH"]) <= placed[r["CHILD"]]
            assert r["FOSTER_CARE"] in ("0", "1")
        for r in t["oc2"]:
            assert not r["SDQ_SCORE"] or 0 <= int(r["SDQ_SCORE"]) <= 40
            under_4 = _day(r["DOB"]) > date(year - 4, 3, 31)
            # a score or the reason for none, except under 4: neither (DfE rule 188)
            assert bool(r["SDQ_SCORE"]) != bool(r["SDQ_REASON"]) or (under_4 and not r["SDQ_REASON"])
            assert r["CONVICTED"] in ("0", "1", "")
        for r in t["uasc"]:
            # UASC status ends on the 18th birthday; no row once it ended before the year (rule 104)
            assert _day(r["DUC"]).year == _day(r["DOB"]).year + 18
            assert _day(r["DUC"]) >= date(year - 1, 4, 1)
        for r in t["missing"]:
            assert r["MISSING"] in ("M", "A")
    oc2 = [r for t in tables.values() for r in t["oc2"]]
    assert 0.85 <= sum(r["HEALTH_ASSESSMENT"] == "1" for r in oc2) / len(oc2) <= 0.95
    scores = [int(r["SDQ_SCORE"]) for r in oc2 if r["SDQ_SCORE"]]
    assert 12 <= sum(scores) / len(scores) <= 16
    oc3 = [r for t in tables.values() for r in t["oc3"] if r["IN_TOUCH"] == "YES"]
    eet = sum(r["ACTIV"][0] in "FP" for r in oc3) / len(oc3)
    assert 0.45 <= eet <= 0.65


@pytest.mark.skipif(importlib.util.find_spec("cpkit.ssda903.read") is None, reason="load_903 not there yet")
def test_the_sample_loads_through_load_903_without_errors() -> None:
    import cpkit.ssda903 as ssda903
    from cpkit.ssda903.read import load_903

    data = load_903(COMMITTED)
    issues = [data.issues]
    check = getattr(ssda903, "check_903", None)  # the rule checks, once they are there
    if check is not None:
        found = check(data)
        issues.append(getattr(found, "issues", found))
    for frame in issues:
        errors = frame[frame["severity"] == "error"]
        assert errors.empty, errors.head(20).to_string()
    assert len(data.tables["episodes"]) > 0
