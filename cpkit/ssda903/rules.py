"""Every data quality rule the reader and the checks can raise: its usual severity and what it means.

The descriptions are written for officers and Board members: the data quality section prints them
beside counts (never beside values, which can be child identifiers or postcodes).

Severity: "error" blocks the report (a headline figure would be wrong or the row is unusable);
"warning" is worth fixing but figures stand; "info" records what the reader did.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    description: str


_RULES = [
    # What reading the files found.
    Rule(
        "file_unrecognised",
        "warning",
        "A file or spreadsheet tab did not have the columns of any SSDA903 table, so it was not read.",
    ),
    Rule("file_unreadable", "error", "A file could not be opened as a CSV file or an Excel workbook."),
    Rule(
        "file_skipped", "info", "A file in the data folder was not a CSV file, Excel workbook or XML return."
    ),
    Rule("empty_file", "error", "A file was empty: not even column headings, so its table is lost."),
    Rule(
        "table_without_rows",
        "info",
        "A file had an SSDA903 table's column headings but no rows (an error for the Header and "
        "Episodes tables, which the report needs).",
    ),
    Rule("title_rows", "info", "A file's column headings were below title rows, which were skipped."),
    Rule("delimiter", "info", "A file's fields were separated by semicolons, tabs or pipes, not commas."),
    Rule(
        "year_from_dates",
        "info",
        "The return year was read from the episodes' dates: files named with a single year that held "
        "the return starting in that year, or files whose names hold no year at all.",
    ),
    Rule(
        "council_not_in_file",
        "error",
        "A regional file holding several councils' returns did not hold the council the report is for.",
    ),
    Rule("other_councils", "info", "Rows of other councils in a regional file were skipped."),
    Rule(
        "council_matched",
        "info",
        "Which of the council's settings (la_name, la_code, la_old_code) found its rows in a regional file.",
    ),
    Rule("unreadable_year", "warning", "A regional file's YEAR value is not a collection year."),
    Rule(
        "encoding_fallback",
        "info",
        "A file was not saved as UTF-8 text; it was read as Windows (Excel) text instead.",
    ),
    Rule(
        "extra_columns",
        "info",
        "A file had columns beside those of its SSDA903 table; the extra columns were ignored.",
    ),
    Rule("missing_column", "error", "A file lacked a column that its SSDA903 table needs."),
    Rule("missing_table", "error", "One of the SSDA903 tables the report needs was not among the files."),
    Rule("blank_rows", "info", "Some rows of a file were completely blank and were skipped."),
    Rule(
        "unparseable_date",
        "error",
        "A date could not be read as a date in the layout of the rest of its column (dd/mm/yyyy, dd/mm/yy, "
        "yyyy-mm-dd, d-Mon-yy, Excel dates).",
    ),
    Rule(
        "date_column_mixed",
        "error",
        "A date column held some dates that can only be day-first and others that can only be month-first; "
        "no one layout reads it, so it was not read.",
    ),
    Rule(
        "date_column_ambiguous",
        "error",
        "A date column's dates fit both day-first and month-first, and the same return writes other dates "
        "month first, so which part is the day cannot be told; it was not read.",
    ),
    Rule(
        "date_layout",
        "info",
        "A date column was not written the DfE's way (dd/mm/yyyy): month first (a US export) or with "
        "two-digit years; the message says how it was read.",
    ),
    Rule(
        "missing_key_date",
        "error",
        "A row had no readable date for the event it records (such as the date an episode started), "
        "so it was set aside.",
    ),
    Rule(
        "extra_fields",
        "error",
        "A row had more filled fields than the file has column headings "
        "(often a stray comma), so it was set aside.",
    ),
    Rule("missing_child", "error", "A row had no child identifier, so it was set aside."),
    Rule(
        "duplicate_row",
        "warning",
        "A row appeared more than once in the same year's return; the copies were set aside.",
    ),
    Rule(
        "duplicate_child",
        "error",
        "A child had more than one different Header row in the same return; only the last was kept.",
    ),
    Rule(
        "old_code_set",
        "warning",
        "Sex was recorded as 1 or 2, codes the return replaced with M and F from 2024-25.",
    ),
    # What the checks on the cleaned tables find.
    Rule("missing_value", "error", "A value the return requires was left blank."),
    Rule("unknown_code", "error", "A value is not a code the SSDA903 return uses in that column."),
    Rule(
        "code_out_of_year",
        "warning",
        "A code was used in a year when the return did not allow it (it was withdrawn or not yet "
        "introduced).",
    ),
    Rule("postcode_format", "warning", "A postcode is not in the form of a full UK postcode."),
    Rule("upn_format", "warning", "A unique pupil number is not 13 characters in the expected form."),
    Rule(
        "urn_format", "warning", "A placement's Ofsted unique reference number is not in the expected form."
    ),
    Rule(
        "sdq_score_range",
        "error",
        "A strengths and difficulties (SDQ) score is not a whole number from 0 to 40.",
    ),
    Rule("episode_ends_before_start", "error", "An episode of care ends before the date it started."),
    Rule(
        "overlapping_episodes",
        "error",
        "A child's episode of care starts before their previous episode has ended.",
    ),
    Rule("duplicate_episode", "error", "A child has more than one episode starting on the same date."),
    Rule(
        "child_not_in_header",
        "error",
        "A child has episodes of care but no Header row, so their age, sex and ethnicity are unknown.",
    ),
    Rule("child_without_episodes", "warning", "A child has a Header row but no episodes of care."),
    Rule("dec_without_rec", "error", "An episode has an end date but no reason for ending."),
    Rule("rec_without_dec", "error", "An episode has a reason for ending but no end date."),
    Rule("episode_before_birth", "error", "An episode of care starts before the child's date of birth."),
    Rule("started_after_18", "warning", "An episode of care starts on or after the child's 18th birthday."),
    Rule(
        "x1_without_next",
        "warning",
        "An episode ended with reason X1 (a new episode starts the same day) but no episode starts that day.",
    ),
    Rule(
        "rne_mismatch",
        "warning",
        "An episode's reason for starting does not fit how the child's previous episode ended (a new "
        "period of care should start with S; an episode following an X1 ending should not).",
    ),
    Rule(
        "provider_place_mismatch",
        "warning",
        "The placement provider is 'parent' (PR0) but the placement is not with parents (P1).",
    ),
    Rule(
        "date_after_return_year",
        "error",
        "An episode date falls after the end of the year its return covers (this stops the report for "
        "that year).",
    ),
    Rule("missing_ends_before_start", "warning", "A missing or away episode ends before it started."),
    # What stacking several years' returns found (cpkit.ssda903.stack): where two returns disagree.
    Rule(
        "episode_amended",
        "info",
        "A later return tells an episode with different codes from an earlier return; the later "
        "version was kept.",
    ),
    Rule(
        "episode_start_amended",
        "warning",
        "A later return gives an open episode a different start date from the earlier return; they "
        "were read as one episode (the DfE's rule 562 checks this).",
    ),
    Rule(
        "episode_match_unresolved",
        "warning",
        "Two returns tell a child's episodes starting the same day with different numbers of episodes, "
        "so they could not be paired; each return's version was used for its own year.",
    ),
    Rule(
        "episode_not_restated",
        "warning",
        "An episode open at the end of one return is missing from the next return, so it was read as "
        "ended when the next return's year began (the DfE's rules 562 and 1010 check this).",
    ),
    Rule(
        "episode_start_moved",
        "warning",
        "A return has an episode starting in an earlier return's year which that return does not have "
        "open at its end; it was read as starting when the later return's year began.",
    ),
    Rule(
        "episode_outside_return_year",
        "warning",
        "A return holds an episode wholly in the years another return covers, which does not have it; "
        "it was set aside.",
    ),
    # The DfE's own validation rules (csc-validator-be-903) run in their own environment.
    Rule(
        "dfe_validator_unavailable",
        "info",
        "The DfE's validation rules could not be run (their environment is not set up), so only the "
        "kit's own checks were made.",
    ),
    Rule("dfe_validator_failed", "warning", "The DfE's validation rules were started but did not finish."),
    Rule(
        "dfe_validator_known_wrong",
        "info",
        "Some findings of the DfE's validation rules were not listed because the validator rejects codes "
        "the DfE's guide allows that year (its known faults).",
    ),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def rule_description(rule: str) -> str:
    """The plain-English sentence for a rule id (a clear error for an unknown id)."""
    try:
        return RULES[rule].description
    except KeyError:
        raise KeyError(f"unknown data quality rule {rule!r}; known: {sorted(RULES)}") from None


def default_severity(rule: str) -> str:
    """The severity a rule usually carries (some rules are milder for less important columns)."""
    if rule.startswith("dfe_") and rule not in RULES:
        return "error"  # a DfE validation rule the validator found broken (cpkit.ssda903.validator)
    return RULES[rule].severity
