"""Section 8, data quality: what the checks found, counted, in words an officer can act on.

Five sources, each turned into a table of counts with a plain-English description and what to do:
``check_903`` problems by table and rule (what blocks the report and what is a warning), rows the reader
set aside (``Data903.set_aside`` reasons, grouped), episodes whose codes disagree with their dates
(``continuity_issues``), OC2 rows outside the 12-month cohort (``oc2_mismatches``) and the action plan
tracker's problems (``cpkit.actions.problems``).

Nothing here shows a value, a child identifier or a row: the problem frames carry them for the officer
fixing the data (``cpkit check --out``), and the report shows only counts, through the small-number rule
(the tracker's counts are of actions, not children, so they are shown as they are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from cpkit.config import Config, Period
from cpkit.present.disclosure import Ledger, Rule
from cpkit.present.narrative import Narrative
from cpkit.publish.block import frame as typed_frame
from cpkit.publish.text import with_relations
from cpkit.resources import INSTALLED
from cpkit.ssda903.checks import summarise
from cpkit.ssda903.model import Data903
from cpkit.ssda903.stack import year_sources

if TYPE_CHECKING:
    from cpkit.report.input_names import NameProblem

EFFECT = {"error": "Blocks the report", "warning": "Warning", "info": "For information"}

CASE_TEAM = "Ask the case system team to "
# What to do about each check_903 rule; a rule not listed gets DEFAULT_ACTION.
RULE_ACTIONS: dict[str, str] = {
    "file_unrecognised": "Check the file is an SSDA903 table export with the return's column headings, or move it out of the data folder.",
    "file_unreadable": "Re-save the file as CSV (UTF-8) or as an Excel workbook and run the report again.",
    "file_skipped": "None needed; move other files out of the SSDA903 folder to keep it tidy.",
    "empty_file": "Check the extract ran for the whole year: a table with no rows is usually a failed export.",
    "encoding_fallback": "None needed; save future extracts as CSV UTF-8 to be sure names and characters read correctly.",
    "extra_columns": "None needed; the extra columns were ignored.",
    "missing_column": CASE_TEAM + "include every column of the table in the extract.",
    "missing_table": CASE_TEAM + "supply the missing table: the report cannot be produced without it.",
    "blank_rows": "None needed; the blank rows were skipped.",
    "unparseable_date": CASE_TEAM
    + "correct the dates to dd/mm/yyyy in the case management system and re-extract.",
    "date_column_mixed": CASE_TEAM
    + "export the column's dates in one layout (dd/mm/yyyy or yyyy-mm-dd): some are day first, some month first.",
    "date_column_ambiguous": CASE_TEAM
    + "export the return's dates as dd/mm/yyyy or yyyy-mm-dd: this column cannot tell day from month.",
    "date_layout": "None needed; check the dates read as the message says (month first, or two-digit years).",
    "missing_key_date": CASE_TEAM
    + "record the missing dates: until then those rows are left out of every figure.",
    "extra_fields": "Check the files for stray commas (often in free text) and re-export them.",
    "missing_child": CASE_TEAM
    + "fill in the child identifier: rows without one are left out of every figure.",
    "duplicate_row": CASE_TEAM + "find why the extract repeats rows; the copies were not counted twice.",
    "duplicate_child": CASE_TEAM
    + "merge the duplicate child records so each child has one Header row a year.",
    "old_code_set": CASE_TEAM + "map sex to M and F in the extract (the kit read 1 and 2 as M and F).",
    "missing_value": CASE_TEAM + "fill in the blank values the return requires.",
    "unknown_code": CASE_TEAM + "correct the codes to ones in the DfE's SSDA903 guidance for that year.",
    "code_out_of_year": CASE_TEAM + "update the codes to those the return allowed in that year.",
    "postcode_format": CASE_TEAM
    + "record full postcodes: distance-from-home figures leave these placements out.",
    "upn_format": "Ask the Virtual School and the case system team to correct the unique pupil numbers.",
    "urn_format": CASE_TEAM + "correct the Ofsted unique reference numbers of these placements.",
    "sdq_score_range": "Ask the health team to correct the SDQ scores to whole numbers from 0 to 40.",
    "episode_ends_before_start": CASE_TEAM + "correct the start or end dates of these episodes.",
    "overlapping_episodes": CASE_TEAM + "correct the dates so each child has one episode at a time.",
    "duplicate_episode": CASE_TEAM + "remove or correct the duplicate episodes.",
    "child_not_in_header": CASE_TEAM + "add the missing Header rows (date of birth, sex, ethnicity).",
    "child_without_episodes": CASE_TEAM + "check these children should be in the return; remove them if not.",
    "dec_without_rec": CASE_TEAM + "record the reason each of these episodes ended.",
    "rec_without_dec": CASE_TEAM
    + "record the end date, or remove the reason for ending if the episode is open.",
    "episode_before_birth": CASE_TEAM + "correct the child's date of birth or the episode's start date.",
    "started_after_18": CASE_TEAM + "check the date of birth and the episode's start date.",
    "x1_without_next": CASE_TEAM + "add the episode that follows, or change the reason the episode ended.",
    "rne_mismatch": CASE_TEAM
    + "correct the reason for new episode (S for the first episode of a period of care).",
    "provider_place_mismatch": CASE_TEAM + "correct the placement type or the provider.",
    "date_after_return_year": CASE_TEAM + "check the dates: the year's return should not hold later events.",
    "missing_ends_before_start": CASE_TEAM
    + "correct the start or end dates of these missing or away episodes.",
    # reading (cpkit.ssda903.files, councils) and stacking returns (cpkit.ssda903.stack)
    "table_without_rows": "Check the extract ran for the whole year: a table with no rows is usually a failed export.",
    "title_rows": "None needed; the rows above the column headings were skipped.",
    "delimiter": "None needed; the file was read with its own separator.",
    "year_from_dates": "None needed; name folders by the year the return ends in (2025 for 2024-25) to be sure.",
    "council_not_in_file": "Check the council's name and codes in its settings, or supply the council's own files.",
    "other_councils": "None needed; only the council's own rows were read.",
    "council_matched": "None needed; check the council named is the report's.",
    "unreadable_year": "Correct the YEAR column of the regional file to the collection year.",
    "episode_amended": "None needed; the later return's version was used. Check the change was intended.",
    "episode_start_amended": CASE_TEAM
    + "check the start date: the returns disagree (the DfE's rule 562 will query it).",
    "episode_match_unresolved": CASE_TEAM
    + "check the episodes of these children starting that day: the returns tell them differently.",
    "episode_not_restated": CASE_TEAM
    + "check whether the child left care: the episode is missing from the next year's return.",
    "episode_start_moved": CASE_TEAM
    + "check the start date: the earlier return did not have the child in care then.",
    "episode_outside_return_year": CASE_TEAM
    + "check these episodes: they belong to an earlier return's year, which does not have them.",
    "dfe_validator_unavailable": (
        "Set CPKIT_VALIDATOR_PYTHON to the python of an environment with csc-validator-be-903 installed, "
        "then check again."
        if INSTALLED  # a kit installed from a wheel has no checkout to run `make` in
        else "Run `make validator` to set up the DfE's validation rules, then check again."
    ),
    "dfe_validator_failed": (
        "Where the message names a fault of the validator, nothing in the data causes it: check that rule "
        "by hand before submitting. Otherwise run the data quality checks again; if they fail again, report "
        "it with the message shown."
    ),
    "dfe_validator_known_wrong": "None needed: the message says why these findings are the validator's fault.",
}
# The DfE's own rules (dfe_<number>): what to do is in the DfE's wording of each rule.
DFE_ACTION = (
    CASE_TEAM + "correct the records the DfE's rule names (its number is in the DfE's validation guide)."
)
DEFAULT_ACTION = CASE_TEAM + "correct these records in the case management system and send a new extract."


@dataclass(frozen=True)
class Kind:
    """A group of similar free-text reasons: how the report names it and what to do about it."""

    pattern: str
    label: str
    action: str
    expected: bool = False  # the kit's normal working, not a fault


SET_ASIDE_KINDS = [
    Kind(
        r"superseded by the \d{4} return",
        "Replaced by the same row in a later year's return",
        "None needed: each return repeats children and open episodes, and the latest return is used.",
        True,
    ),
    Kind(
        r"^the same episode as .* whose start date differs$",
        "Same episode with another start date in a later return",
        RULE_ACTIONS["episode_start_amended"],
    ),
    Kind(
        r"ended before (its|this) return's year|starts in the year the \d{4} return covers",
        "Episode outside its return's year",
        RULE_ACTIONS["episode_outside_return_year"],
    ),
    Kind(
        r"^the same episode is in a return of known year$",
        "Same episode in a return of known year",
        "None needed: the return's version was used.",
        True,
    ),
    Kind(r"^exact copy of", "Exact copy of another row in the same return", RULE_ACTIONS["duplicate_row"]),
    Kind(r"^blank row$", "Completely blank row", "None needed.", True),
    Kind(r"^no child identifier", "No child identifier", RULE_ACTIONS["missing_child"]),
    Kind(
        r"^(\w+) is not a readable date$",
        r"Key date (\1) not a readable date",
        RULE_ACTIONS["unparseable_date"],
    ),
    Kind(r"^(\w+) is blank$", r"Key date (\1) blank", RULE_ACTIONS["missing_key_date"]),
    Kind(
        r"^more fields than column headings$",
        "More fields than column headings",
        RULE_ACTIONS["extra_fields"],
    ),
    Kind(
        r"^another Header row for this child",
        "A later, different Header row for the child in the same return",
        RULE_ACTIONS["duplicate_child"],
    ),
]
OTHER_KIND = Kind("", "Other reason", "See the full list the data quality checks give the data team.")

CONTINUITY_ACTIONS = {
    "X1 but no episode starts that day": (
        "Episode ended with X1 (care continues) but no episode starts that day; counted as leaving care",
        CASE_TEAM + "add the episode that follows, or record the real reason care ended.",
    ),
    "REC other than X1 but an episode starts that day": (
        "Episode ended with a leaving-care reason but another starts that day; counted as continuing care",
        CASE_TEAM + "change the reason to X1 if care continued, or correct the next episode's start date.",
    ),
    "REC set but DEC blank": (
        "Reason for ending recorded without an end date; counted as still open",
        RULE_ACTIONS["rec_without_dec"],
    ),
    "period starts without RNE S": (
        "A period of care starts with a reason for new episode other than S; counted as starting care",
        RULE_ACTIONS["rne_mismatch"],
    ),
}
OC2_ACTIONS = {
    "OC2 row for a child not looked after continuously for 12 months": (
        "OC2 (health) row for a child not looked after continuously for 12 months; left out of the health figures",
        CASE_TEAM
        + "check these children's episode dates (a gap takes a child out of the cohort) or remove the rows.",
    ),
    "in the 12-month cohort but no OC2 row": (
        "Child looked after for 12 months with no OC2 (health) row; counted with no checks recorded",
        CASE_TEAM + "add the OC2 rows (health and dental checks, immunisations, SDQ) for these children.",
    ),
}
TRACKER_ACTIONS = {
    "missing lead": "Ask the tracker's keeper to name a lead officer for each action.",
    "missing due date": "Ask the lead officers to give each open action a due date.",
    "unparseable due date": "Write due dates as a date or a month and year (March 2025).",
    "unmapped status": "Use the RAG key's words: complete, in progress, delayed, awaiting start.",
    "missing status": "Use the RAG key's words: complete, in progress, delayed, awaiting start.",
    "missing ref": "Give every action a reference number (2.1, 4.3).",
    "duplicate ref": "Give each action its own reference number.",
    "ref out of sequence": "Check the reference numbers follow the priority they sit under.",
    "repaired ref": "Correct the reference as written (the kit read it as intended).",
    "overdue but not marked delayed": "Mark the action delayed, or record a revised date, at the next meeting.",
    "row set aside": "None needed if the row is a note; move progress notes into the action's update cell.",
}


def counts_ledger(
    counts: list[int], groups: list[str], config: Config, overall: bool = True, *, name: str | None = None
) -> Ledger:
    """A table's counts (keys 0, 1, ...) and the totals its sentence gives: per group (``("total", g)``)
    and, when ``overall``, over all (``"all"``), protected together, so a sentence's total cannot give a
    hidden row back. ``name``: the ledger's namespace in the document (its keys are row numbers, so two
    tables' ledgers need different names, or the report's audit takes row 0 of each for one figure)."""
    ledger = Ledger(config, name=name)
    for i, n in enumerate(counts):
        ledger.add(i, int(n))
    for g in dict.fromkeys(groups):
        members = [i for i, h in enumerate(groups) if h == g]
        ledger.add(("total", g), int(sum(counts[i] for i in members)))
        ledger.total(("total", g), members)
    if overall:
        ledger.add("all", int(sum(counts)))
        ledger.total("all", list(range(len(counts))))
    return ledger.resolve()


def _said(ledger: Ledger, key: object, narrative: Narrative) -> str:
    """A total for a sentence: the number, "fewer than 5", or "some" when it is hidden to protect a row.

    A printed total is a phrase carrying its ``Figure`` under the ledger's document key, with the ledger's
    relations (the total is its table's rows added up), so the report's audit reads "12 rows were set
    aside" with the table's rows it adds up; "some" prints no figure."""
    if key not in ledger.values:
        return "0"
    n = ledger.values[key]
    if ledger.hidden(key) and not ledger.rule.is_small(n):
        return "some"
    figure = Rule(narrative.config.small_number_threshold).words(n, key=ledger.key_of(key))
    return with_relations(figure, ledger.relations(), ledger.signed_keys())


# --- check_903 problems ---------------------------------------------------------------------------------


def _problem_counts(problems: pd.DataFrame) -> pd.DataFrame:
    full = problems.copy()
    for col in ("table", "rule", "message"):
        if col not in full.columns:
            full[col] = ""
    return summarise(full)


def _effect_groups(s: pd.DataFrame) -> list[str]:
    """Each summarised row's group in the sentence: error, warning (with the DfE's errors, which do not
    block) or info."""
    dfe = s["rule"].astype("str").str.startswith("dfe_")
    sev = s["severity"].astype("str")
    return ["warning" if (v == "error" and d) else v for v, d in zip(sev, dfe, strict=True)]


def problems_table(problems: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Problems counted by table and rule, errors first: what was found, its effect, what to do."""
    s = _problem_counts(problems)
    dfe = s["rule"].astype("str").str.startswith("dfe_")
    ledger = counts_ledger(list(s["count"]), _effect_groups(s), config, overall=False, name="dq-problems")
    table = (
        s["table"].astype("object").where(~s["table"].isin(["None", "nan", ""]) & s["table"].notna(), "Files")
    )
    return typed_frame(
        {
            "Table": table.to_numpy(),
            "What was found": s["description"].to_numpy(),
            "Effect": s["severity"]
            .map(EFFECT)
            .fillna("For information")
            .where(~(dfe & (s["severity"] == "error")), "DfE error: does not block the report")
            .to_numpy(),
            "Count": [ledger.text(i) for i in range(len(s))],
            "What to do": [
                RULE_ACTIONS.get(r, DFE_ACTION if r.startswith("dfe_") else DEFAULT_ACTION) for r in s["rule"]
            ],
        }
    )


def problems_sentences(problems: pd.DataFrame, narrative: Narrative) -> list[str]:
    """How many problems block the report and how many are warnings, and what that means. The totals
    are the table's rows added up, protected with them (``counts_ledger``)."""
    if problems.empty:
        return [narrative.say("data_quality.no_problems")]
    s = _problem_counts(problems)
    groups = _effect_groups(s)
    ledger = counts_ledger(list(s["count"]), groups, narrative.config, overall=False, name="dq-problems")
    # The DfE's errors are listed but do not block (cpkit.ssda903.checks.blocking): counted as warnings.
    errors = int(sum(n for n, g in zip(s["count"], groups, strict=True) if g == "error"))
    out = [
        narrative.say(
            "data_quality.problems",
            errors=_said(ledger, ("total", "error"), narrative),
            warnings=_said(ledger, ("total", "warning"), narrative),
            info=_said(ledger, ("total", "info"), narrative),
        )
    ]
    out.append(narrative.say("data_quality.blocking" if errors else "data_quality.not_blocking"))
    return out


# --- rows set aside while reading -----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def set_aside_kind(reason: str) -> tuple[str, Kind]:
    """The group a set-aside reason belongs to and its label (reasons can name a file and row: not shown).

    Remembered per reason: a run sets aside thousands of rows for a dozen reasons (the sample: 6,700 rows,
    12 reasons), and ``Match.expand`` parses its template at every call (2.5 s of the section on a loaded
    machine, for the table and the sentences)."""
    for kind in SET_ASIDE_KINDS:
        m = re.search(kind.pattern, str(reason))
        if m:
            return m.expand(kind.label), kind
    return OTHER_KIND.label, OTHER_KIND


def set_aside_table(set_aside: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Rows set aside counted by table and reason group; faults first, the kit's normal working last."""
    cols = ["Table", "Why the rows were set aside", "Rows", "What to do"]
    if set_aside.empty:
        return pd.DataFrame(columns=cols)
    kinds = [set_aside_kind(r) for r in set_aside["reason"]]
    frame = pd.DataFrame(
        {
            "table": set_aside["table"].astype("str").to_numpy(),
            "label": [k[0] for k in kinds],
            "action": [k[1].action for k in kinds],
            "expected": [k[1].expected for k in kinds],
        }
    )
    counts = (
        frame.groupby(["expected", "table", "label", "action"], sort=False).size().rename("n").reset_index()
    )
    counts = counts.sort_values(["expected", "n", "table"], ascending=[True, False, True], kind="stable")
    ledger = counts_ledger(
        list(counts["n"]), [str(e) for e in counts["expected"]], config, name="dq-set-aside"
    )
    return typed_frame(
        {
            "Table": counts["table"].to_numpy(),
            cols[1]: counts["label"].to_numpy(),
            "Rows": [ledger.text(i) for i in range(len(counts))],
            "What to do": counts["action"].to_numpy(),
        }
    )


def set_aside_sentences(set_aside: pd.DataFrame, narrative: Narrative) -> list[str]:
    """Rows set aside: how many were the kit's normal working and how many need fixing (the table's rows
    added up, protected with them)."""
    if set_aside.empty:
        return [narrative.say("data_quality.none_set_aside")]
    kinds = [set_aside_kind(r) for r in set_aside["reason"]]
    frame = pd.DataFrame(
        {
            "table": set_aside["table"].astype("str").to_numpy(),
            "label": [k[0] for k in kinds],
            "expected": [k[1].expected for k in kinds],
        }
    )
    counts = frame.groupby(["expected", "table", "label"], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values(["expected", "n", "table"], ascending=[True, False, True], kind="stable")
    ledger = counts_ledger(
        list(counts["n"]), [str(e) for e in counts["expected"]], narrative.config, name="dq-set-aside"
    )
    faults = int(counts.loc[~counts["expected"], "n"].sum())
    out = [
        narrative.say(
            "data_quality.set_aside",
            total=_said(ledger, "all", narrative),
            expected=_said(ledger, ("total", "True"), narrative),
            faults=_said(ledger, ("total", "False"), narrative),
        )
    ]
    if faults:
        out.append(narrative.say("data_quality.set_aside_fix"))
    return out


# --- episodes whose codes disagree with their dates; OC2 outside the cohort ----------------------------


def in_period(episodes: pd.DataFrame, period: Period) -> pd.Series:
    """Episodes open at some time in the period."""
    return (episodes["DECOM"] <= period.end_ts) & (
        episodes["DEC"].isna() | (episodes["DEC"] >= period.start_ts)
    )


def _continuity_counts(issues: pd.DataFrame, period: Period) -> list[tuple[str, str, int, int]]:
    now = in_period(issues, period) if len(issues) else pd.Series(dtype=bool)
    rows = []
    for reason, (label, action) in CONTINUITY_ACTIONS.items():
        mask = issues["reason"] == reason if len(issues) else pd.Series(dtype=bool)
        if mask.any():
            rows.append((label, action, int((mask & now).sum()), int(mask.sum())))
    return rows


def _continuity_ledgers(issues: pd.DataFrame, period: Period, config: Config) -> tuple[Ledger, Ledger]:
    rows = _continuity_counts(issues, period)
    now = counts_ledger([r[2] for r in rows], [], config, name="dq-continuity-period")
    ever = counts_ledger([r[3] for r in rows], [], config, name="dq-continuity-all")
    return now, ever


def continuity_table(issues: pd.DataFrame, period: Period, config: Config) -> pd.DataFrame:
    """Episodes by reason their codes disagree with their dates: in the period and in all years supplied
    (each column protected with the total its sentence gives)."""
    rows = _continuity_counts(issues, period)
    now, ever = _continuity_ledgers(issues, period, config)
    columns = [
        "What was found",
        f"Episodes open in {period.label}",
        "Episodes, all years supplied",
        "What to do",
    ]
    return typed_frame(
        [[label, now.text(i), ever.text(i), action] for i, (label, action, _, _) in enumerate(rows)],
        columns=columns,
    )


def continuity_sentences(issues: pd.DataFrame, period: Period, narrative: Narrative) -> list[str]:
    if issues.empty:
        return [narrative.say("data_quality.no_continuity")]
    now, ever = _continuity_ledgers(issues, period, narrative.config)
    return [
        narrative.say(
            "data_quality.continuity",
            total=_said(ever, "all", narrative),
            now=_said(now, "all", narrative),
            period=period.label,
        )
    ]


# --- which return each year's figures come from (stacked returns) -------------------------------------


def _year_label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def sources_table(data: Data903, config: Config) -> pd.DataFrame:
    """One row per collection year of the returns supplied: the return its figures come from, how
    many of its episodes later returns tell differently and which (``cpkit.ssda903.stack.year_sources``;
    counts through the small-number rule). Empty for a single return."""
    found = year_sources(data.episodes, data.issues, data.sources)
    cols = ["Year", "Figures from", "Episodes later returns tell differently", "Told differently by"]
    if len(found) < 2:
        return pd.DataFrame(columns=cols)
    counts = [int(n) for n in found["disagreements"]]
    ledger = counts_ledger(counts, [str(i) for i in range(len(counts))], config, name="dq-sources")
    return typed_frame(
        {
            cols[0]: [_year_label(int(y)) for y in found["year"]],
            cols[1]: [
                f"the {_year_label(int(y))} return" if pd.notna(y) else "no return supplied"
                for y in found["return_year"]
            ],
            cols[2]: [ledger.text(i) for i in range(len(counts))],
            cols[3]: [
                ", ".join(f"the {_year_label(int(y))} return" for y in str(by).split(", ")) if by else ""
                for by in found["later_returns"]
            ],
        },
        columns=cols,
    )


def sources_sentences(data: Data903, narrative: Narrative) -> list[str]:
    """How the returns were put together: each year from its own return; how many episodes later
    returns tell differently (protected with the table's counts)."""
    found = year_sources(data.episodes, data.issues, data.sources)
    if len(found) < 2:
        if len(found) and pd.notna(found["return_year"].iloc[0]):
            return [narrative.say("data_quality.sources_one", year=_year_label(int(found["year"].iloc[0])))]
        return []
    counts = [int(n) for n in found["disagreements"]]
    ledger = counts_ledger(counts, [str(i) for i in range(len(counts))], narrative.config, name="dq-sources")
    out = [
        narrative.say(
            "data_quality.sources",
            first=_year_label(int(found["year"].min())),
            last=_year_label(int(found["year"].max())),
        )
    ]
    if sum(counts):
        out.append(narrative.say("data_quality.sources_disagree", n=_said(ledger, "all", narrative)))
    missing = [
        _year_label(int(y)) for y, r in zip(found["year"], found["return_year"], strict=True) if pd.isna(r)
    ]
    if missing:
        out.append(narrative.say("data_quality.sources_missing", years=", ".join(missing)))
    return out


def oc2_table(mismatches: pd.DataFrame, config: Config) -> pd.DataFrame:
    """OC2 rows outside the cohort and cohort children without OC2 rows, counted."""
    rows = []
    for reason, (label, action) in OC2_ACTIONS.items():
        n = int((mismatches["reason"] == reason).sum()) if len(mismatches) else 0
        if n:
            rows.append(
                {
                    "What was found": label,
                    "Children": Rule.of(config).count(n, key=_oc2_key(reason)),
                    "What to do": action,
                }
            )
    return typed_frame(rows, columns=["What was found", "Children", "What to do"])


def _oc2_key(reason: str) -> str:
    """The document key of the children counted for one OC2 mismatch: the table's cell and the
    sentence's count are one figure in the report's audit."""
    return f"dq-oc2:{list(OC2_ACTIONS).index(reason)}"


def oc2_sentences(mismatches: pd.DataFrame, year: int, narrative: Narrative) -> list[str]:
    """How many OC2 rows are for children outside the cohort and how many in it have none, each under
    the OC2 table's key for its row (``_oc2_key``)."""
    rule = Rule.of(narrative.config)
    counts = mismatches["reason"].value_counts() if len(mismatches) else pd.Series(dtype="int64")
    outside = int(counts.get(next(iter(OC2_ACTIONS)), 0))
    missing = int(counts.get(list(OC2_ACTIONS)[1], 0))
    if not outside and not missing:
        return [narrative.say("data_quality.oc2_match", year=year)]
    return [
        narrative.say(
            "data_quality.oc2",
            year=year,
            outside=rule.words(outside, key=_oc2_key(list(OC2_ACTIONS)[0])),
            missing=rule.words(missing, key=_oc2_key(list(OC2_ACTIONS)[1])),
        )
    ]


# --- the action plan tracker ---------------------------------------------------------------------------


def tracker_kind(problem: str) -> str:
    """ "row set aside (note)" -> "row set aside": one line per kind, whatever the loader's reason."""
    return "row set aside" if str(problem).startswith("row set aside") else str(problem)


def tracker_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The tracker's problems counted by kind (of actions, not children: no suppression), with what to do."""
    cols = ["Problem", "Actions or rows", "What to do"]
    if problems.empty:
        return pd.DataFrame(columns=cols)
    counts = problems["problem"].map(tracker_kind).value_counts(sort=True)
    return pd.DataFrame(
        {
            "Problem": [k[0].upper() + k[1:] for k in counts.index],
            "Actions or rows": counts.to_numpy(),
            "What to do": [
                TRACKER_ACTIONS.get(k, "Ask the tracker's keeper to correct it.") for k in counts.index
            ],
        }
    )


def tracker_sentences(problems: pd.DataFrame, narrative: Narrative) -> list[str]:
    if problems.empty:
        return [narrative.say("data_quality.tracker_clean")]
    kinds = problems["problem"].map(tracker_kind)
    return [narrative.say("data_quality.tracker", total=len(problems), kinds=kinds.nunique())]


# --- the Board's own files -------------------------------------------------------------------------------


def files_left_out_sentences(problems: list[NameProblem], narrative: Narrative) -> list[str]:
    """Files in ``board/`` and ``commentary/`` the report did not read (``cpkit.report.input_names``;
    those that would have stopped it never reach here), named by their place in the data folder."""
    from cpkit.present.sanitise import escape_markdown

    problems = [p for p in problems if p.unread]
    if not problems:
        return [narrative.say("data_quality.files_all_read")]
    names = ", ".join(escape_markdown(p.shown) for p in problems)
    return [narrative.say("data_quality.files_left_out", files=names)]
