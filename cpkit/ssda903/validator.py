"""The DfE's own SSDA903 validation rules, run by ``csc-validator-be-903`` in its own environment.

The validator (MIT, Data to Insight / Social Finance; import name ``lac_validator``) encodes the DfE's
~300 validation rules for each collection year, numbered as analysts know them (103, 562, 1010...). It
pins pandas<2 and numpy<1.25, so it cannot share cpkit's environment: ``make`` creates
``.venv-validator`` beside ``.venv`` (target ``validator``; Python 3.11 works) and this module runs it in
a subprocess (``validator_runner.py``) on the council's returns, one run per collection year with the
year before as the validator's "previous year" (rules such as 562 and 1010 compare the two).

What it is given: the kit's cleaned tables of each return, written as the validator's CSV tables
(dates dd/mm/yyyy; SEX back to 1/2 before 2024-25), so every form the kit reads (XML, semicolons,
regional files...) is validated the same way; the episodes and the Header as the return held them,
before stacking (the stacked Header keeps only a child's latest return's row, which left the earlier
returns' Episodes, OC2, OC3 and Missing rows "not in Header" to rules INT03-INT09).
What comes back: one problem per rule and row, ``rule`` = ``dfe_<code>``, the DfE's wording as the
message, named by the kit's file and row; never a child's identifier (the validator's output is
reduced to table, row and rule inside its own process).

Merging with the kit's own checks (``merge_findings``): a kit problem on the same file, row and
column as a DfE finding is the same problem and is dropped (the DfE's number is what the data team
will look up); the kit's checks the validator lacks stay. The DfE findings are listed, not blocking:
whether the report's figures stand is decided by the kit's own checks (``checks.blocking``).

If the environment is missing, a problem says so (``dfe_validator_unavailable``) and the rest carries
on. ``CPKIT_DFE_RULES=off`` skips the validator silently (the test suite's report runs use it: one
run takes tens of seconds); ``CPKIT_VALIDATOR_PYTHON`` points at another interpreter. A kit installed
from a wheel has no checkout to hold ``.venv-validator``: there only ``CPKIT_VALIDATOR_PYTHON`` finds the
rules, and without it the problem says how to set it (``cpkit.resources``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from cpkit.resources import VALIDATOR_VENV as VENV
from cpkit.ssda903.issues import make_issues, tidy_issues
from cpkit.ssda903.model import Data903
from cpkit.ssda903.tables import (
    DATE_COLUMNS,
    DFE_NAMES,
    RETURN_YEAR,
    SOURCE_FILE,
    SOURCE_ROW,
    TABLE_COLUMNS,
)

RUNNER = Path(__file__).with_name("validator_runner.py")
# The validator's table names -> the kit's.
FROM_DFE = {v: k for k, v in DFE_NAMES.items()}
# The first return year that used M/F/U for sex (1/2 before).
SEX_LETTERS_FROM = 2025


@dataclass(frozen=True)
class KnownWrong:
    """Findings of one rule, in some years, that are the validator's fault, not the council's: not listed
    as errors; each is a note of its file and row saying why (``dfe_validator_known_wrong``), counted
    together in the data quality table."""

    rule: str
    first: int  # the first and last collection years the fault is in
    last: int
    wrong: Callable[[pd.DataFrame], pd.Series]  # the source rows whose findings are wrong
    why: str


KNOWN_WRONG = (
    # Its 2023-24 placement list lacks K3 and its 2024-25 list has "k3" in lower case.
    KnownWrong(
        "146",
        2024,
        2025,
        lambda rows: rows["PLACE"].eq("K3"),
        "it rejects K3 (registered supported accommodation), which the DfE guide allows that year",
    ),
    # 2025-26's rule 218 no longer spares a placement with no postcode, so it asks short breaks for the
    # URN that rule 214 says they must not have.
    KnownWrong(
        "218",
        2026,
        9999,
        lambda rows: rows["LS"].isin(("V3", "V4")),
        "it asks short breaks (V3/V4) for an Ofsted URN, which its own rule 214 says they must not have",
    ),
    # "LA of placement is not an LA the provider has premises": the validator has no providers' premises
    # and compares the placement's council with the placing council instead.
    KnownWrong(
        "241",
        2026,
        9999,
        lambda rows: pd.Series(True, index=rows.index),
        "it compares the council where supported accommodation is with the placing council, not with the "
        "councils where the provider has premises",
    ),
)
# The columns of the rows written that the faults above, and the care leavers' window below, look at.
KNOWN_WRONG_COLUMNS = {"episodes": ("PLACE", "LS"), "oc3": ("CHILD", "DOB")}
# Rules 1001 and 1002 judge a care leaver from this year's and last year's episodes only (their own note
# says so): where the young person's care may lie in earlier returns, a finding is that note's false
# positive, not a fault of the return (``_before_window``).
WINDOW_RULES = ("1001", "1002")
# Seconds one validator run may take before it is abandoned (a national stack takes minutes).
TIMEOUT = int(os.environ.get("CPKIT_VALIDATOR_TIMEOUT", "1800"))


def validator_python() -> Path | None:
    """The validator environment's interpreter, or None when it is not set up."""
    given = os.environ.get("CPKIT_VALIDATOR_PYTHON")
    if given:
        candidates = [Path(given)]
    elif VENV is not None:  # a checkout: the environment ``make validator`` set up
        candidates = [VENV / "bin" / "python", VENV / "Scripts" / "python.exe"]
    else:  # installed from a wheel: only the variable says where the rules are
        candidates = []
    return next((p for p in candidates if p.is_file()), None)


def _unavailable() -> str:
    """Why the rules were not run and what to do, for a checkout or an installed kit."""
    given = os.environ.get("CPKIT_VALIDATOR_PYTHON")
    if given:
        where = "or unset it to use .venv-validator (`make validator`)" if VENV is not None else ""
        return (
            f"the DfE's validation rules were not run: CPKIT_VALIDATOR_PYTHON ({given}) is not a file; "
            f"set it to the validator environment's python {where}".rstrip()
        )
    if VENV is None:
        return (
            "the DfE's validation rules were not run: this installed cpkit has no environment for them; "
            "set CPKIT_VALIDATOR_PYTHON to the python of an environment (Python 3.9-3.11) with "
            "csc-validator-be-903==0.1.17 installed"
        )
    return (
        "the DfE's validation rules were not run: their environment (.venv-validator) is not set up; "
        "run `make validator` (or `make report` / `make test`) to create it"
    )


def _note(rule: str, message: str, year: int | None) -> pd.DataFrame:
    return make_issues(
        file=None, table=None, row=None, column=None, value=None, rule=rule, message=message, year=year
    )


def _as_written(name: str, frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """A table as the validator reads it: its columns only, dates dd/mm/yyyy, text cells; SEX in the codes
    of return ``year`` (a previous year is written in the codes of the year it is compared with, or rule
    202 reads every child's 1 last year and M this year as a change of sex)."""
    out = pd.DataFrame(index=frame.index)
    for col in TABLE_COLUMNS[name]:
        values = frame[col]
        if col in DATE_COLUMNS:
            out[col] = values.dt.strftime("%d/%m/%Y")
        elif col == "SEX" and year < SEX_LETTERS_FROM:
            out[col] = values.replace({"M": "1", "F": "2"})
        else:
            out[col] = values
    return out.astype("object").where(out.notna(), "")


def _as_held(data: Data903) -> dict[str, pd.DataFrame]:
    """Every table as the returns held it: the episodes and Header before stacking merged the returns."""
    tables = dict(data.tables)
    if data.returns_episodes is not None:
        tables["episodes"] = data.returns_episodes
    if data.returns_header is not None:
        tables["header"] = data.returns_header
    return tables


def _write_return(
    tables: dict[str, pd.DataFrame], year: int, folder: Path, codes_of: int | None = None
) -> tuple[list[str], dict[str, pd.DataFrame]]:
    """Write return ``year``'s tables to ``folder`` in the codes of return ``codes_of`` (default ``year``):
    (paths, rows written per validator table name)."""
    codes_of = codes_of or year
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[str] = []
    where: dict[str, pd.DataFrame] = {}
    for name in TABLE_COLUMNS:
        table = tables[name]
        rows = table[(table[RETURN_YEAR] == year).fillna(False)].reset_index(drop=True)
        if rows.empty:
            continue
        path = folder / f"{name}.csv"
        _as_written(name, rows, codes_of).to_csv(path, index=False)
        paths.append(str(path))
        where[DFE_NAMES[name]] = rows[[SOURCE_FILE, SOURCE_ROW, *KNOWN_WRONG_COLUMNS.get(name, ())]]
    return paths, where


def dfe_findings(
    data: Data903,
    years: Iterable[int] | None = None,
    la_code: str | None = None,
    districts: Iterable[str] = (),
    cut: date | None = None,
) -> pd.DataFrame:
    """The DfE rules' findings on the council's returns for ``years`` (default: every year read).

    ``districts``: the ONS district codes of the council's area (``la_district_codes``): the validator
    reads a placement postcode there as in the council (``validator_runner.authorities``).
    ``cut``: the last day of an in-year extract (the quarterly page's): the rules check its collection
    year as ending that day, not on 31 March (``validator_runner.ending_at_cut``).
    Returns problems in the kit's frame (``rule`` = ``dfe_<code>``), or one problem saying why the
    rules could not be run. Empty when ``CPKIT_DFE_RULES=off``.
    """
    with start_dfe_findings(data, years, la_code, districts, cut) as pending:
        return pending.result()


class PendingFindings:
    """The DfE rules running in their own process (:func:`start_dfe_findings`) while the caller goes on;
    :meth:`result` waits for their findings. A context manager: leaving it ends the process if it is
    still running and removes its files (the returns written for it are child-level data)."""

    def __init__(
        self,
        found: pd.DataFrame | None = None,
        process: subprocess.Popen | None = None,
        tmp: tempfile.TemporaryDirectory | None = None,
        written: dict[int, tuple[list[str], dict[str, pd.DataFrame]]] | None = None,
        episodes: pd.DataFrame | None = None,
        year: int | None = None,
    ) -> None:
        self._found, self._process, self._tmp = found, process, tmp
        self._written, self._episodes, self._year = written or {}, episodes, year
        self._began = time.monotonic()

    def __enter__(self) -> PendingFindings:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def result(self) -> pd.DataFrame:
        """The findings (waiting for the rules to finish), or one problem saying why there are none."""
        if self._found is None:
            self._found = self._collect()
            self.close()
        return self._found

    def _collect(self) -> pd.DataFrame:
        assert self._process is not None and self._tmp is not None
        tmpdir = Path(self._tmp.name)
        try:
            self._process.wait(timeout=max(1.0, TIMEOUT - (time.monotonic() - self._began)))
        except subprocess.TimeoutExpired as err:
            return _note(
                "dfe_validator_failed", f"the DfE's validation rules did not finish: {err}", self._year
            )
        out = tmpdir / "out.json"
        if self._process.returncode != 0 or not out.is_file():
            stderr = (tmpdir / "stderr.txt").read_text(encoding="utf-8", errors="replace")
            last = (stderr.strip().splitlines() or ["no message"])[-1]
            return _note(
                "dfe_validator_failed",
                f"the DfE's validation rules stopped (exit {self._process.returncode}): {last}",
                self._year,
            )
        result = json.loads(out.read_text(encoding="utf-8"))
        return _to_problems(result, self._written, self._episodes)

    def close(self) -> None:
        """End the rules' process if it still runs, and remove its files."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def start_dfe_findings(
    data: Data903,
    years: Iterable[int] | None = None,
    la_code: str | None = None,
    districts: Iterable[str] = (),
    cut: date | None = None,
) -> PendingFindings:
    """Start the DfE rules on ``data`` (as :func:`dfe_findings`) and return at once: the report's own
    checks and figures table are computed while the rules run on the other core (they took 7 s of the
    prepare step's 13 s, one after the other)."""
    if os.environ.get("CPKIT_DFE_RULES", "").lower() in ("off", "0", "no", "false"):
        return PendingFindings(tidy_issues([]))
    tables = _as_held(data)
    present = sorted(
        {int(y) for t in (tables["episodes"], tables["header"]) for y in t[RETURN_YEAR].dropna().unique()}
    )
    asked = None if years is None else sorted(set(years))
    if not present and asked and len(asked) == 1:
        # Files that do not say their year (one return, no year in any name): the year asked for.
        tables, present = {n: t.assign(return_year=asked[0]) for n, t in tables.items()}, asked
    wanted = [y for y in (present if asked is None else asked) if y in present]
    python = validator_python()
    if python is None:
        return PendingFindings(
            _note("dfe_validator_unavailable", _unavailable(), max(wanted) if wanted else None)
        )
    if not wanted:
        return PendingFindings(tidy_issues([]))
    tmp = tempfile.TemporaryDirectory(prefix="cpkit-dfe-")
    try:
        tmpdir = Path(tmp.name)
        # each return as written for the validator, with the rows written (the findings' rows are named
        # by them); a previous year in other codes than the year it is compared with is written in that
        # year's codes, and in its own only when it is checked itself
        written: dict[int, tuple[list[str], dict[str, pd.DataFrame]]] = {}
        runs = []
        for y in wanted:
            if y not in written:
                written[y] = _write_return(tables, y, tmpdir / str(y))
            if not written[y][0]:
                continue
            prev: list[str] = []
            if y - 1 in present and (y - 1 < SEX_LETTERS_FROM) == (y < SEX_LETTERS_FROM):
                if y - 1 not in written:
                    written[y - 1] = _write_return(tables, y - 1, tmpdir / str(y - 1))
                prev = written[y - 1][0]
            elif y - 1 in present:
                as_this = _write_return(tables, y - 1, tmpdir / f"{y - 1}-as-{y}", codes_of=y)
                written.setdefault(y - 1, as_this)  # the same rows, in other codes
                prev = as_this[0]
            run = {"year": y, "this_year": written[y][0], "prev_year": prev}
            if cut is not None and y == cut.year + (cut.month >= 4) and (cut.month, cut.day) != (3, 31):
                run["cut"] = cut.strftime("%d/%m/%Y")
            runs.append(run)
        job, out = tmpdir / "job.json", tmpdir / "out.json"
        job.write_text(
            json.dumps({"la_code": la_code or "E09000027", "districts": list(districts), "runs": runs}),
            encoding="utf-8",
        )
        # output to files, not pipes: nobody reads a pipe while the caller works, and a full one would
        # stop the rules
        with open(tmpdir / "stdout.txt", "wb") as stdout, open(tmpdir / "stderr.txt", "wb") as stderr:
            process = subprocess.Popen(
                [str(python), str(RUNNER), str(job), str(out)], stdout=stdout, stderr=stderr
            )
    except OSError as err:
        tmp.cleanup()
        return PendingFindings(
            _note("dfe_validator_failed", f"the DfE's validation rules did not finish: {err}", max(wanted))
        )
    except BaseException:
        tmp.cleanup()
        raise
    return PendingFindings(None, process, tmp, written, tables["episodes"], max(wanted))


def _before_window(leavers: pd.DataFrame, year: int, episodes: pd.DataFrame) -> pd.Series:
    """For OC3 rows of return ``year``: True where the young person's care may lie before last year's
    return, which is all rules 1001 and 1002 see: the returns read hold an episode of theirs in an
    earlier return, or begin after their 16th birthday (the care that made them a care leaver may be
    older than any return read). False where the returns reach back and show no such care: a real finding."""
    known = episodes[RETURN_YEAR].dropna()
    if known.empty:
        return pd.Series(False, index=leavers.index)
    earlier = set(episodes.loc[(episodes[RETURN_YEAR] < year - 1).fillna(False), "CHILD"])
    first_day = pd.Timestamp(int(known.min()) - 1, 4, 1)
    sixteenth = leavers["DOB"] + pd.DateOffset(years=16)
    return leavers["CHILD"].isin(earlier) | (sixteenth < first_day).fillna(False)


def _to_problems(
    result: dict,
    written: dict[int, tuple[list[str], dict[str, pd.DataFrame]]],
    episodes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    found = pd.DataFrame(result["results"], columns=["year", "table", "row", "rule", "message", "columns"])
    notes = [
        _note(
            "dfe_validator_failed",
            f"DfE rule {code} could not run on the {y} return" + (f": {why}" if why else ""),
            int(y),
        )
        for y, codes in result.get("failed", {}).items()
        for code, why in (codes.items() if isinstance(codes, dict) else ((c, "") for c in codes))
    ]
    if found.empty:
        return tidy_issues(notes)
    last = found["table"].str.endswith("_last")
    found["source_year"] = found["year"] - last.astype("int64")
    found["dfe_table"] = found["table"].str.removesuffix("_last")
    frames = []
    for (y, table), group in found.groupby(["source_year", "dfe_table"], sort=True):
        rows = written.get(int(y), ([], {}))[1].get(table)
        name = FROM_DFE.get(table)
        if rows is None or name is None:
            continue
        group = group[group["row"] < len(rows)]
        src = rows.iloc[group["row"].to_numpy()]
        wrong = pd.Series(False, index=group.index)

        def set_aside(mask: np.ndarray, why: str, group=group, src=src, name=name, y=y) -> pd.Series:
            """Findings the validator gets wrong: left out of the errors, each kept as a note of its own
            file and row saying why (no column, so it names no cell for ``merge_findings``), so the data
            quality table counts them in its Count column, not in the words (issue 22: one value a cell)."""
            notes.append(
                make_issues(
                    file=pd.Series(src[SOURCE_FILE].to_numpy()[mask]),
                    table=name,
                    row=pd.Series(src[SOURCE_ROW].to_numpy()[mask]),
                    column=None,
                    value=None,
                    rule="dfe_validator_known_wrong",
                    message=f"Findings of {why}",
                    year=int(y),
                )
            )
            return pd.Series(mask, index=group.index)

        for fault in KNOWN_WRONG:
            hit = ((group["rule"] == fault.rule) & group["year"].between(fault.first, fault.last)).to_numpy()
            if not hit.any():
                continue
            try:
                bad = hit & fault.wrong(src.reset_index(drop=True)).fillna(False).to_numpy(dtype=bool)
            except KeyError:  # the table lacks the column the fault is about
                continue
            if bad.any():
                wrong |= set_aside(
                    bad,
                    f"DfE rule {fault.rule} not listed: {fault.why} (the validator's fault; see "
                    "cpkit/ssda903/validator.py)",
                )
        if table == "OC3" and episodes is not None and "CHILD" in src.columns:
            hit = group["rule"].isin(WINDOW_RULES).to_numpy()
            if hit.any():
                window = hit & _before_window(src.reset_index(drop=True), int(y), episodes).to_numpy()
                if window.any():
                    wrong |= set_aside(
                        window,
                        "DfE rules 1001/1002 not listed: they judge a care leaver from this year's and last "
                        "year's episodes only, and this young person's care is in, or may be in, earlier returns",
                    )
        if wrong.any():
            group, src = group[~wrong], src[~wrong.to_numpy()]
        own = set(TABLE_COLUMNS[name])
        columns = group["columns"].map(lambda cols, own=own: ", ".join(c for c in cols if c in own) or None)
        frames.append(
            make_issues(
                file=pd.Series(src[SOURCE_FILE].to_numpy(), index=group.index),
                table=name,
                row=pd.Series(src[SOURCE_ROW].to_numpy(), index=group.index),
                column=columns,
                value=None,
                rule=group["rule"].map(lambda c: f"dfe_{c}"),
                message="DfE rule " + group["rule"].astype("str") + ": " + group["message"].astype("str"),
                severity="error",
                year=group["year"],
            )
        )
    return tidy_issues([*frames, *notes])


def add_dfe_findings(
    data: Data903,
    years: Iterable[int] | None = None,
    la_code: str | None = None,
    districts: Iterable[str] = (),
    cut: date | None = None,
) -> Data903:
    """``data`` with the DfE rules' findings (or why there are none) added to its ``issues``."""
    return with_findings(data, dfe_findings(data, years, la_code, districts, cut))


def with_findings(data: Data903, found: pd.DataFrame) -> Data903:
    """``data`` with the DfE rules' findings ``found`` added to its ``issues``."""
    if found.empty:
        return data
    return replace(data, issues=tidy_issues([data.issues, found]))


def merge_findings(problems: pd.DataFrame) -> pd.DataFrame:
    """Drop the kit's problems that a DfE finding already names (same file, row and column)."""
    dfe = problems["rule"].str.startswith("dfe_").fillna(False)
    if not dfe.any():
        return problems
    named = problems[dfe & problems["row"].notna() & problems["column"].notna()]
    keys = {
        (f, int(r), c.strip())
        for f, r, cols in zip(named["file"], named["row"], named["column"], strict=True)
        for c in str(cols).split(",")
    }
    ours = ~dfe & problems["row"].notna() & problems["column"].notna()
    same = pd.Series(False, index=problems.index)
    idx = problems.index[ours]
    if not len(idx):  # no problem of the kit's own names a cell: nothing to drop
        return problems
    same[idx] = [
        (f, int(r), str(c)) in keys
        for f, r, c in zip(
            problems.loc[idx, "file"], problems.loc[idx, "row"], problems.loc[idx, "column"], strict=True
        )
    ]
    return problems[~same].reset_index(drop=True)


def main() -> int:  # pragma: no cover - a manual check: python -m cpkit.ssda903.validator FOLDER YEAR
    from cpkit.ssda903 import load_903

    data = load_903(sys.argv[1])
    found = dfe_findings(data, [int(sys.argv[2])] if len(sys.argv) > 2 else None)
    print(found.groupby(["rule", "severity"]).size().sort_values(ascending=False).head(30).to_string())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
