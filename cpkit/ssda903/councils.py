"""Regional (stacked) SSDA903 files: several councils and years in one table, told apart by columns.

Regional data hubs (the London Innovation and Improvement Alliance's pipeline, LIIA, and others like
it) publish one file per table holding many councils' returns, with an ``LA`` column (the council:
its three-digit DfE code or nine-character ONS code, whichever the hub uses) and a ``YEAR`` column
(the collection year). A report is for one council, so:
- rows are split by council; the council is chosen by its codes (``la_code``, either form; the
  settings give both). Rows of other councils are skipped and counted (one note per file);
- a file holding several councils when no council was chosen is an error naming them
  (``CouncilChoiceError``), never a silent merge of several councils' children;
- a chosen council absent from a file holding others is an error naming those found;
- each ``YEAR`` becomes the return year of its rows, read like a folder name ("2023", "2022-23").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

from cpkit.errors import CouncilChoiceError
from cpkit.ssda903.files import RawFrame, _year_match
from cpkit.ssda903.issues import HEADING_ROW, make_issues
from cpkit.ssda903.tables import recognise

LA_COLUMN = "LA"
YEAR_COLUMN = "YEAR"
_NUMBER = re.compile(r"^\d+(\.0*)?$")


def normalise_code(value: object) -> str | None:
    """A council code as compared: stripped, upper case; "202", "202.0" and " 202" are the same."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip().upper()
    if not text:
        return None
    if _NUMBER.match(text):
        return str(int(float(text)))
    return text


def wanted_codes(la_code: str | Sequence[str] | None) -> frozenset[str]:
    """The chosen council's codes, normalised (empty when none was chosen)."""
    if la_code is None:
        return frozenset()
    codes = [la_code] if isinstance(la_code, str) else list(la_code)
    return frozenset(c for c in (normalise_code(x) for x in codes) if c)


def split_councils(
    raws: Iterable[RawFrame], la_code: str | Sequence[str] | None = None
) -> tuple[list[RawFrame], list[pd.DataFrame]]:
    """Raw frames with ``LA``/``YEAR`` columns cut into one frame per return year of the chosen
    council; others passed through. Returns (frames, issues). Raises ``CouncilChoiceError``."""
    wanted = wanted_codes(la_code)
    out: list[RawFrame] = []
    issues: list[pd.DataFrame] = []
    several: dict[str, list[str]] = {}
    for raw in raws:
        cols = list(raw.data.columns)
        if (LA_COLUMN not in cols and YEAR_COLUMN not in cols) or recognise(cols) is None:
            out.append(raw)
            continue
        data, rows = raw.data, pd.Series(raw.rows, index=raw.data.index)
        keep = pd.Series(True, index=data.index)
        if LA_COLUMN in cols:
            la = data[LA_COLUMN].map(normalise_code)
            found = sorted(set(la.dropna()))
            if wanted:
                keep = la.isin(wanted)
                if not keep.any():
                    issues.append(
                        _file_issue(
                            raw,
                            "council_not_in_file",
                            f"{raw.label} holds councils {', '.join(found) or '(none)'} but not the council "
                            f"chosen ({', '.join(sorted(wanted))}); nothing read from it",
                        )
                    )
                elif (~keep).any():
                    others = sorted(set(la[~keep].dropna()))
                    issues.append(
                        _file_issue(
                            raw,
                            "other_councils",
                            f"{int((~keep).sum())} rows of other councils ({', '.join(others)}) skipped",
                        )
                    )
            elif len(found) > 1:
                several[raw.label] = found
        years = data[YEAR_COLUMN] if YEAR_COLUMN in cols else pd.Series(None, index=data.index, dtype="str")
        years = years.astype("str").str.strip().str.replace(r"\.0+$", "", regex=True)
        body = data.drop(columns=[c for c in (LA_COLUMN, YEAR_COLUMN) if c in cols])
        for value in sorted(set(years[keep].fillna(""))):
            part = keep & (years.fillna("") == value)
            hit = _year_match(value) if value else None
            if value and hit is None:
                issues.append(
                    make_issues(
                        file=raw.label,
                        table=recognise(cols),
                        row=HEADING_ROW,
                        column=YEAR_COLUMN,
                        value=value,
                        rule="unreadable_year",
                        message=f"YEAR {value!r} is not a collection year; "
                        f"{int(part.sum())} rows read without one",
                    )
                )
            piece = RawFrame(
                label=raw.label if len(set(years[keep])) <= 1 else f"{raw.label} (YEAR {value})",
                path=raw.path,
                sha256=raw.sha256,
                data=body[part].reset_index(drop=True),
                rows=rows[part].to_numpy(),
                return_year=hit[0] if hit else raw.return_year,
                encoding=raw.encoding,
                duplicate_headings=raw.duplicate_headings,
                ragged_rows=raw.ragged_rows,
                heading_row=raw.heading_row,
                delimiter=raw.delimiter,
                year_ambiguous=hit[1] if hit else raw.year_ambiguous,
                year_source=f"YEAR {value}" if hit else raw.year_source,
            )
            out.append(piece)
    if several:
        listing = "; ".join(f"{label}: {', '.join(codes)}" for label, codes in several.items())
        raise CouncilChoiceError(
            "the SSDA903 files hold more than one council's returns and no council was chosen "
            f"({listing}). Set la_code (and la_old_code) in cpkit.yaml to the council the report is for."
        )
    return out, issues


def _file_issue(raw: RawFrame, rule: str, message: str) -> pd.DataFrame:
    """A problem with a whole regional file's council column (no one row to point at)."""
    return make_issues(
        file=raw.label,
        table=recognise(list(raw.data.columns)),
        row=None,
        column=LA_COLUMN,
        value=None,
        rule=rule,
        message=message,
        year=raw.return_year,
    )
