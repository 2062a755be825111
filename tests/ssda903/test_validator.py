"""The DfE's validation rules (csc-validator-be-903 in .venv-validator), run for real, and the merge.

The real runs skip cleanly when the validator's environment is not set up (``make validator``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cpkit.ssda903 import check_903, load_903
from cpkit.ssda903.checks import blocking
from cpkit.ssda903.issues import make_issues, tidy_issues
from cpkit.ssda903.validator import add_dfe_findings, dfe_findings, merge_findings, validator_python

from .helpers import EPISODES, HEADER, csv, write

ROOT = Path(__file__).resolve().parents[2]
FAKE = ROOT.parent / "shared" / "data" / "ssda903_validator_fake"


def _problem(rule: str, row: int, column: str, severity: str = "error") -> pd.DataFrame:
    return make_issues(
        file="e.csv",
        table="episodes",
        row=row,
        column=column,
        value=None,
        rule=rule,
        message=rule,
        severity=severity,
    )


def test_merge_drops_the_kits_problem_the_dfe_rule_names_and_keeps_the_rest():
    problems = tidy_issues(
        [
            _problem("unknown_code", 2, "PLACE"),  # same cell as DfE 146: dropped
            _problem("dfe_146", 2, "PLACE"),
            _problem("overlapping_episodes", 3, "DECOM"),  # the DfE rule names another column: kept
            _problem("dfe_503", 3, "DEC, REC"),
            _problem("missing_value", 4, "LS"),  # no DfE finding on row 4: kept
        ]
    )
    kept = merge_findings(problems)
    assert kept["rule"].tolist() == ["dfe_146", "overlapping_episodes", "dfe_503", "missing_value"]


def test_merge_with_dfe_findings_only_keeps_them_all():
    # `cpkit poap` for a year with no return of its own: the DfE's findings and nothing of the kit's to drop
    problems = tidy_issues([_problem("dfe_146", 2, "PLACE"), _problem("dfe_503", 3, "DEC, REC")])
    assert merge_findings(problems)["rule"].tolist() == ["dfe_146", "dfe_503"]


def test_dfe_findings_are_listed_but_do_not_block():
    assert not blocking(tidy_issues([_problem("dfe_146", 2, "PLACE")]))
    assert blocking(tidy_issues([_problem("dfe_146", 2, "PLACE"), _problem("missing_value", 4, "LS")]))


def _return(root: Path) -> Path:
    """Two returns by hand. 2023-24: C1 open from 01/05/2023. 2024-25: C1 open from 03/05/2023 (a
    start the 2024 return does not have: the DfE's rule 562), C2 moved for provider closure (CLOSE,
    valid) into registered supported accommodation (K3: valid from 2023-24, which the validator's
    2024-25 list has in lower case), C3 with a reason for placement change that is no code (XXXX:
    the DfE's rule 1009)."""
    header = csv(HEADER, "C1,1,01/06/2010,WBRI,A123456789012,,")
    write(root / "2023-24" / "header.csv", header)
    write(root / "2023-24" / "episodes.csv", csv(EPISODES, "C1,01/05/2023,S,C2,N1,U4,PR1,,,,,,"))
    write(
        root / "2024-25" / "header.csv",
        csv(
            HEADER,
            "C1,M,01/06/2010,WBRI,A123456789012,,",
            "C2,F,01/06/2011,WBRI,,,",
            "C3,F,01/06/2011,WBRI,,,",
        ),
    )
    write(
        root / "2024-25" / "episodes.csv",
        csv(
            EPISODES,
            "C1,03/05/2023,S,C2,N1,U4,PR1,,,,,,",  # row 2
            "C2,01/05/2024,S,C2,N1,U4,PR1,01/07/2024,X1,CLOSE,,,",  # row 3
            "C2,01/07/2024,P,C2,N1,K3,PR4,,,,,,",  # row 4: K3, which the validator's 2024-25 pack rejects
            "C3,01/05/2024,S,C2,N1,U4,PR1,01/07/2024,X1,XXXX,,,",  # row 5
            "C3,01/07/2024,P,C2,N1,U6,PR4,,,,,,",  # row 6
        ),
    )
    return root


def test_unavailable_environment_is_said_and_the_rest_carries_on(tmp_path, monkeypatch):
    monkeypatch.setenv("CPKIT_DFE_RULES", "on")
    monkeypatch.setenv("CPKIT_VALIDATOR_PYTHON", str(tmp_path / "no-such-python"))
    data = add_dfe_findings(load_903(_return(tmp_path)), [2025])
    problems = check_903(data, year=2025)
    note = problems[problems["rule"] == "dfe_validator_unavailable"]
    assert note[["severity", "year"]].values.tolist() == [["info", 2025]]
    assert "make validator" in note["message"].iloc[0]
    # the kit's own checks are all still there: XXXX is not a reason for placement change
    assert ((problems["rule"] == "unknown_code") & (problems["column"] == "REASON_PLACE_CHANGE")).sum() == 1


def test_switched_off_adds_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CPKIT_DFE_RULES", "off")
    assert dfe_findings(load_903(_return(tmp_path)), [2025]).empty


needs_validator = pytest.mark.skipif(
    validator_python() is None, reason="the DfE validator's environment is not set up (make validator)"
)


@needs_validator
def test_the_dfe_rules_on_a_hand_made_return(tmp_path, monkeypatch):
    monkeypatch.setenv("CPKIT_DFE_RULES", "on")
    data = add_dfe_findings(load_903(_return(tmp_path)), [2025])
    problems = check_903(data, year=2025)
    dfe = problems[problems["rule"].str.match(r"dfe_\d") & problems["row"].notna()]  # the rules' findings
    where = {(r, int(row)) for r, row in zip(dfe["rule"], dfe["row"], strict=True)}
    assert ("dfe_1009", 5) in where and ("dfe_1009", 3) not in where  # XXXX flagged, CLOSE not
    assert ("dfe_562", 2) in where  # C1's start is not the 2024 return's last episode start
    assert ("dfe_502", 2) in where  # the same, seen from the 2024 return's open episode
    # the validator's fault on K3 is not passed on, and a note says so
    assert ("dfe_146", 4) not in where
    # ... each finding set aside is a note of its own row, its count not in the words (issue 22: the data
    # quality table's Count column counts them)
    (note,) = problems[problems["rule"] == "dfe_validator_known_wrong"].itertuples()
    assert (note.table, note.row, note.severity) == ("Episodes", 4, "info") and pd.isna(note.column)
    assert note.message.startswith("Findings of DfE rule 146 not listed: ")
    assert (dfe["year"] == 2025).all() and dfe["message"].str.startswith("DfE rule ").all()
    # the kit's unknown_code on the same cell gave way to the DfE's 1009
    assert not ((problems["rule"] == "unknown_code") & (problems["column"] == "REASON_PLACE_CHANGE")).any()
    # never a child's identifier in what the validator reports
    assert dfe["value"].isna().all()


@needs_validator
@pytest.mark.skipif(not FAKE.is_dir(), reason=f"validator fake return not found at {FAKE}")
def test_the_dfe_rules_on_the_validators_fake_return(monkeypatch):
    monkeypatch.setenv("CPKIT_DFE_RULES", "on")
    data = add_dfe_findings(load_903(FAKE / "fake_903.xml"), [2018])
    problems = check_903(data, year=2018)
    dfe = problems[problems["rule"].str.startswith("dfe_") & problems["row"].notna()]
    assert len(dfe) > 1000 and dfe["file"].str.endswith("]").all()  # "fake_903.xml [Episodes]" etc.
    # The fake's random codes break many rules, each named by the kit's table and row.
    assert set(dfe["table"]) >= {"Episodes", "Header", "OC2", "Reviews"}
    assert dfe["row"].min() >= 2


@needs_validator
def test_each_return_is_validated_as_it_was_sent_and_a_rule_that_cannot_run_is_named(tmp_path, monkeypatch):
    """The hand-made returns above, both years checked. C1 is in both returns' Header: as 1 (male) in
    2023-24 and M in 2024-25, the codes of each year. The stacked Header keeps only the 2024-25 row, so
    before each return's own Header was given, the 2023-24 episode was "not in Header" (INT03); and with
    2023-24 written in 1/2 beside 2024-25's M/F, rule 202 read C1 as a change of sex. Rule 231 raises on
    any return (it reads a column, UASC_STATUS, the validator's reader never makes): the note names it
    with its reason, one line of the summary that the console and the data quality page print."""
    from cpkit.sample import sample_config
    from cpkit.sections.data_quality import problems_table
    from cpkit.ssda903.checks import summarise

    monkeypatch.setenv("CPKIT_DFE_RULES", "on")
    data = add_dfe_findings(load_903(_return(tmp_path)), [2024, 2025])
    problems = data.issues
    assert not (problems["rule"] == "dfe_INT03").any()
    assert not (problems["rule"] == "dfe_202").any()
    failed = problems[problems["rule"] == "dfe_validator_failed"]
    assert failed["message"].tolist() == [
        "DfE rule 231 could not run on the 2025 return: it looks for a Header column UASC_STATUS, which "
        "the validator's own reader never makes (it makes UASC)"
    ]
    said = summarise(problems)
    assert failed["message"].iloc[0] in said["description"].tolist()
    page = problems_table(problems, sample_config())
    assert page["What was found"].str.contains("DfE rule 231 could not run").sum() == 1


@needs_validator
def test_a_rule_cannot_change_the_tables_the_next_rule_reads_and_an_extract_ends_on_its_day(
    tmp_path, monkeypatch
):
    """2024-25: C1 in care from 01/05/2024, still in care and missing since 30/03/2025 at 31 March (the
    missing period rightly has no end). The validator's rule 365 used to write 31/03/2025 into every
    blank DEC of the tables all later rules share, so 575 and 577 read C1's open episode as ended with
    the missing period still open. 2025-26, an in-year extract to 31/12/2025: C2, born 01/02/2008, in
    care and under 18 on that day; read as a return to 31 March 2026 he would be looked after past his
    18th birthday (rule 359)."""
    from datetime import date

    from .helpers import EPISODES, HEADER, csv, write

    missing = "CHILD,DOB,MISSING,MIS_START,MIS_END"
    head = csv(HEADER, "C1,M,01/06/2010,WBRI,A123456789012,,", "C2,M,01/02/2008,WBRI,A123456789013,,")
    eps = csv(EPISODES, "C1,01/05/2024,S,C2,N1,U4,PR1,,,,,,", "C2,01/05/2024,S,C2,N1,U4,PR1,,,,,,")
    write(tmp_path / "2024-25" / "header.csv", head)
    write(tmp_path / "2024-25" / "episodes.csv", eps)
    write(tmp_path / "2024-25" / "missing.csv", csv(missing, "C1,01/06/2010,M,30/03/2025,"))
    write(tmp_path / "2025-26" / "header.csv", head)
    write(tmp_path / "2025-26" / "episodes.csv", eps)
    write(tmp_path / "2025-26" / "missing.csv", csv(missing, "C1,01/06/2010,M,30/03/2025,02/04/2025"))
    monkeypatch.setenv("CPKIT_DFE_RULES", "on")
    found = dfe_findings(load_903(tmp_path), [2025, 2026], cut=date(2025, 12, 31))
    rules = set(zip(found["rule"], found["year"], strict=True))
    assert ("dfe_575", 2025) not in rules and ("dfe_577", 2025) not in rules
    assert ("dfe_359", 2026) not in rules


@needs_validator
def test_placement_postcodes_are_found_read_and_measured_as_the_validator_reads_them(tmp_path, monkeypatch):
    """The runner merges each table's postcodes with only the directory's rows they can match (the whole
    directory of their letters took a second of every run): a valid postcode in any case is still found
    and an invalid one is not (rule 392c, whose own import of the merge is patched too), and the distances
    from home are still worked out for both years (rule 503G: the first episode's distance against the
    open episode's last year). From the directory's grid references (metres), miles = metres / 1000 /
    1.6093 to one decimal: S1 1AA (435732, 387312) to S10 2TN (434120, 387290) is 1612 m, 1.0 miles;
    S1 1AA to S2 2BB (437332, 384530) is 3209 m, 2.0 miles.
    C1: placed at S10 2TN in the 2024 return, at S2 2BB in 2025's: 1.0 then 2.0 miles, 503G.
    C2: S2 2BB in both, written "s2 2bb" in 2025: 2.0 and 2.0, no 503G, and a valid postcode.
    C3: placed at "S99 9ZZ", no postcode: 392c."""
    head = csv(
        HEADER,
        "C1,M,01/06/2010,WBRI,A123456789012,,",
        "C2,M,01/06/2010,WBRI,A123456789013,,",
        "C3,M,01/06/2010,WBRI,A123456789014,,",
    )
    write(tmp_path / "2023-24" / "header.csv", head.replace(",M,", ",1,"))
    write(
        tmp_path / "2023-24" / "episodes.csv",
        csv(
            EPISODES,
            "C1,01/05/2023,S,C2,N1,U4,PR1,,,,S1 1AA,S10 2TN,",
            "C2,01/05/2023,S,C2,N1,U4,PR1,,,,S1 1AA,S2 2BB,",
        ),
    )
    write(tmp_path / "2024-25" / "header.csv", head)
    write(
        tmp_path / "2024-25" / "episodes.csv",
        csv(
            EPISODES,
            "C1,01/05/2023,S,C2,N1,U4,PR1,,,,S1 1AA,S2 2BB,",  # row 2
            "C2,01/05/2023,S,C2,N1,U4,PR1,,,,s1 1aa,s2 2bb,",  # row 3
            "C3,01/05/2024,S,C2,N1,U4,PR1,,,,S1 1AA,S99 9ZZ,",  # row 4
        ),
    )
    monkeypatch.setenv("CPKIT_DFE_RULES", "on")
    found = dfe_findings(load_903(tmp_path), [2025], la_code="E08000039")
    rows = lambda rule: sorted(found.loc[found["rule"] == rule, "row"].astype(int))  # noqa: E731
    assert rows("dfe_392c") == [4]
    assert rows("dfe_503G") == [2]


def _in_validator_env(tmp_path: Path, script: str) -> list[str]:
    """The lines ``script`` prints, run in the validator's environment (pandas 1.5) with the runner's
    folder as its first argument (it imports nothing from cpkit)."""
    import subprocess

    path = tmp_path / "script.py"
    path.write_text(script, encoding="utf-8")
    runner_dir = Path(__file__).resolve().parents[2] / "cpkit" / "ssda903"
    done = subprocess.run(
        [str(validator_python()), str(path), str(runner_dir)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


_COPIES = r"""
import sys
sys.path.insert(0, sys.argv[1])
import pandas as pd
import validator_runner as vr

shared = {"Episodes": pd.DataFrame({"CHILD": ["C1", "C2"], "DEC": ["", None]}),
          "Header": pd.DataFrame({"CHILD": ["C1"]}), "metadata": {"collectionYear": "2025"}}
shared["Episodes"]["N"] = [1, 2]
first = vr.deep_copy(shared)  # one rule's tables
eps = first["Episodes"]
eps["DEC"] = eps["DEC"].fillna("31/03/2025")
eps.loc[0, "N"] = 99
eps.reset_index(inplace=True)
first["Extra"] = pd.DataFrame()
del first["Header"]
second = vr.deep_copy(shared)  # the next rule's
print(second["Episodes"].to_dict("list"), shared["Episodes"].to_dict("list") == second["Episodes"].to_dict("list"))
print(list(first), list(second), len(first))
print(first["Episodes"] is eps, "Header" in first, "Header" in second, second["metadata"] is shared["metadata"])
try:
    first["Header"]
except KeyError:
    print("no Header")
print({name: len(table) for name, table in dict(second).items() if name != "metadata"})
"""


@needs_validator
def test_a_rule_writes_only_into_its_own_copies_of_the_tables(tmp_path):
    """Each rule's tables (validator_runner.deep_copy, copied when the rule first reads one): the first
    rule fills a blank DEC (as rule 365 did into the tables every rule shared), changes a number, resets
    the index in place, adds a table and drops one; the next rule still reads the tables as the return
    held them (C1 and C2, DEC blank and missing, N 1 and 2), has the Header, and sees nothing the first
    added; the first rule reads its own changed table again, not a fresh copy."""
    assert _in_validator_env(tmp_path, _COPIES) == [
        "{'CHILD': ['C1', 'C2'], 'DEC': ['', None], 'N': [1, 2]} True",
        "['Episodes', 'metadata', 'Extra'] ['Episodes', 'Header', 'metadata'] 3",
        "True False True True",
        "no Header",
        "{'Episodes': 2, 'Header': 1}",
    ]


# Run in the validator's environment (pandas 1.5): the runner's idxmin/idxmax against pandas' own.
_FIRST_OF_EACH = r"""
import sys, warnings
import numpy as np, pandas as pd
sys.path.insert(0, sys.argv[1])
from pandas.core.groupby.generic import SeriesGroupBy
import validator_runner as vr
warnings.simplefilter("ignore")

OWN = {name: getattr(SeriesGroupBy, name) for name in ("idxmin", "idxmax")}

def both(frame, by, col, name, **kw):
    pandas_own = getattr(frame.groupby(by, **kw)[col], name)()
    setattr(SeriesGroupBy, name, vr.first_of_each(name))
    try:
        ours = getattr(frame.groupby(by, **kw)[col], name)()
    finally:
        setattr(SeriesGroupBy, name, OWN[name])
    assert type(ours) is type(pandas_own)
    check = pd.testing.assert_series_equal if isinstance(ours, pd.Series) else pd.testing.assert_frame_equal
    check(ours, pandas_own, check_index_type=True)
    return ours.to_dict()

d = pd.to_datetime
eps = pd.DataFrame(
    {"CHILD": ["B", "A", "B", "A", None, "B", "B"],
     "DECOM": d(["2024-05-01", "2024-03-01", "2024-01-01", "2024-03-01", "2020-01-01", None, "2024-01-01"])},
    index=[10, 11, 12, 13, 14, 15, 16],
)
print(both(eps, "CHILD", "DECOM", "idxmin"), both(eps, ["CHILD"], "DECOM", "idxmax"))
print(list(both(eps, "CHILD", "DECOM", "idxmin", sort=False)))
both(eps, "CHILD", "DECOM", "idxmax", as_index=False), both(eps, eps["CHILD"].str.lower(), "DECOM", "idxmin")
# a child whose only date is missing: pandas raises (the rule is reported failed), and so does the runner's
nat = pd.concat([eps, pd.DataFrame({"CHILD": ["C"], "DECOM": d([None])}, index=[17])])
for name in ("idxmin", "idxmax"):
    try:
        getattr(nat.groupby("CHILD")["DECOM"], name)()
    except ValueError as err:
        own = str(err)
    setattr(SeriesGroupBy, name, vr.first_of_each(name))
    try:
        getattr(nat.groupby("CHILD")["DECOM"], name)()
    except ValueError as err:
        print(name, "raises", str(err) == own)
    finally:
        setattr(SeriesGroupBy, name, OWN[name])
# days of the year (numbers, not dates): pandas' own
print(both(eps.assign(DECOM=eps["DECOM"].dt.dayofyear), "CHILD", "DECOM", "idxmin"))
# many children, ties and missing dates, a shuffled index
rng = np.random.default_rng(7)
n = 5000
many = pd.DataFrame(
    {"CHILD": rng.integers(0, 800, n).astype(str),
     "DECOM": pd.Series(d("2020-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D")).mask(rng.random(n) < 0.1)},
)
many.index = rng.permutation(n) + 100
many = many[many.groupby("CHILD")["DECOM"].transform("count") > 0]
both(many, "CHILD", "DECOM", "idxmin"), both(many, ["CHILD"], "DECOM", "idxmax")
print("same")
"""


@needs_validator
def test_each_childs_first_and_last_episode_are_found_as_pandas_finds_them(tmp_path):
    """The runner's groupby idxmin/idxmax (cpkit/ssda903/validator_runner.py first_of_each: the rules ask
    for each child's first or last episode about forty times a run, a third of their time) against pandas'
    own, in the validator's environment. By hand: A's dates are 1 March twice (rows 11 and 13), so its
    first and last are both row 11 (the first of a tie, as pandas takes it); B's are 1 May (10), 1 Jan (12),
    missing (15) and 1 Jan (16): first 12, last 10; row 14 has no child and is left out, however early.
    Unsorted, the groups come in the order met, B then A. A child whose only date is missing makes pandas
    raise (the rule is then reported as failed), and the runner's the same; numbers, not dates, and 5,000 rows of
    random dates with ties and gaps give pandas' own answer, same dtype, index and name."""
    assert _in_validator_env(tmp_path, _FIRST_OF_EACH) == [
        "{'A': 11, 'B': 12} {'A': 11, 'B': 10}",
        "['B', 'A']",
        "idxmin raises True",
        "idxmax raises True",
        "{'A': 11, 'B': 12}",
        "same",
    ]
