"""Regional (stacked) SSDA903 files: several councils and years in one table, told apart by columns.

Regional data hubs (the London Innovation and Improvement Alliance's pipeline, LIIA, and others like
it) publish one file per table holding many councils' returns, with an ``LA`` column (the council: its
three-digit DfE code, nine-character ONS code or name, whichever the hub uses) and a ``YEAR`` column
(the collection year). A report is for one council, so:
- rows are split by council; the council is chosen by its settings (``Council``: ``la_name``,
  ``la_code``, ``la_old_code``), each compared with ``LA`` ignoring case and punctuation
  (``match_council``, which also says which settings matched: one info note per file,
  ``council_matched``). Rows of other councils are skipped and counted (one note per file);
- a file holding several councils when no council was chosen is an error naming them
  (``CouncilChoiceError``), never a silent merge of several councils' children;
- a chosen council absent from a file holding others is an error naming those found;
- each ``YEAR`` becomes the return year of its rows, read like a folder name ("2023", "2022-23").

How names are compared (``normalise_name``): lower case; "&" read as "and"; every character that is
not a letter or digit read as a space; then the words that say what kind of council it is dropped
from either end ("London Borough of", "Royal Borough of", "City of", "County of", "Metropolitan
Borough of", "Borough of", "The"; "City Council", "County Council", "Borough Council", "District
Council", "Council", "City", "Council of the"), so "Kingston upon Hull, City of",
"KINGSTON-UPON-HULL" and "Kingston upon Hull City Council" are one council, as are "Bristol, City of"
and "City of Bristol", and "London Borough of Hillingdon" and "HILLINGDON". Names are never matched in
part ("Hull" is not "Kingston upon Hull"): a hub using another short name needs the council's codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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


_PUNCTUATION = re.compile(r"[^a-z0-9]+")
# Words naming the kind of council, dropped from the start or the end of a name (longest first).
_NAME_PREFIXES = (
    "the council of the",
    "council of the",
    "metropolitan borough of",
    "london borough of",
    "royal borough of",
    "city and county of",
    "borough of",
    "county of",
    "city of",
    "the",
)
_NAME_SUFFIXES = (
    "metropolitan borough council",
    "borough council",
    "county council",
    "district council",
    "city council",
    "council",
    "city of",
    "county of",
    "city",
)


def normalise_name(value: object) -> str | None:
    """A council's name as compared (see the module docstring): "Bristol, City of" -> "bristol"."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = " " + _PUNCTUATION.sub(" ", str(value).lower().replace("&", " and ")).strip() + " "
    changed = True
    while changed:
        changed = False
        for words in _NAME_PREFIXES:
            if text.startswith(f" {words} ") and len(text) > len(words) + 3:
                text, changed = text[len(words) + 1 :], True
        for words in _NAME_SUFFIXES:
            if text.endswith(f" {words} ") and len(text) > len(words) + 3:
                text, changed = text[: -len(words) - 1], True
    return text.strip() or None


def _code_key(value: object) -> str | None:
    """A code as compared: ``normalise_code`` after dropping spaces and punctuation ("E09 000017")."""
    code = normalise_code(value)
    return normalise_code(re.sub(r"[^A-Z0-9]", "", code)) if code else None


@dataclass(frozen=True)
class Council:
    """The council a report is for, as its settings name it (``la_name``, ``la_code``, ``la_old_code``).

    ``other_codes``: codes given without saying which setting they are (``load_903(la_code=[...])``).
    """

    name: str | None = None
    code: str | None = None
    old_code: str | None = None
    other_codes: tuple[str, ...] = field(default=())

    @classmethod
    def from_config(cls, config: object) -> Council:
        """The council of a ``cpkit.config.Config``."""
        return cls(
            name=getattr(config, "la_name", None) or None,
            code=getattr(config, "la_code", None) or None,
            old_code=getattr(config, "la_old_code", None) or None,
        )

    @classmethod
    def of(cls, chosen: Council | str | Sequence[str] | None) -> Council:
        """A ``Council`` from what ``load_903`` was given: one, a code, a list of codes, or nothing."""
        if chosen is None or isinstance(chosen, Council):
            return chosen or cls()
        codes = [chosen] if isinstance(chosen, str) else [c for c in chosen if c]
        return cls(other_codes=tuple(str(c) for c in codes))

    def keys(self) -> dict[str, str]:
        """Each setting that is set, with its value as compared."""
        found = {
            "la_name": normalise_name(self.name),
            "la_code": _code_key(self.code),
            "la_old_code": _code_key(self.old_code),
        }
        found.update({f"code {c}": _code_key(c) for c in self.other_codes})
        return {k: v for k, v in found.items() if v}

    def describe(self) -> str:
        """ "la_name Hillingdon, la_code E09000017, la_old_code 312" for messages."""
        given = [("la_name", self.name), ("la_code", self.code), ("la_old_code", self.old_code)]
        words = [f"{k} {v}" for k, v in given if v] + list(self.other_codes)
        return ", ".join(words) or "none"


@dataclass(frozen=True)
class CouncilMatch:
    """Which rows of an ``LA`` column are the council's, and by which settings they were found."""

    rows: pd.Series  # bool, aligned with the LA column
    matched_by: dict[str, list[str]]  # setting -> the LA values it matched, as written


def match_council(la: pd.Series, council: Council) -> CouncilMatch:
    """Rows of a regional file's ``LA`` column that are ``council``: the one rule every reader of
    regional files uses (each setting compared ignoring case and punctuation; module docstring)."""
    keys = council.keys()
    rows = pd.Series(False, index=la.index)
    matched_by: dict[str, list[str]] = {}
    if not keys:
        return CouncilMatch(rows, matched_by)
    values = pd.Series(la.dropna().astype("str").unique())
    as_code, as_name = values.map(_code_key), values.map(normalise_name)
    for setting, key in keys.items():
        compared = as_name if setting == "la_name" else as_code
        hit = values[(compared == key).to_numpy()]
        if len(hit):
            matched_by[setting] = sorted(hit)
            rows |= la.astype("str").isin(set(hit)) & la.notna()
    return CouncilMatch(rows, matched_by)


def split_councils(
    raws: Iterable[RawFrame], la_code: Council | str | Sequence[str] | None = None
) -> tuple[list[RawFrame], list[pd.DataFrame]]:
    """Raw frames with ``LA``/``YEAR`` columns cut into one frame per return year of the chosen
    council (a ``Council``, or its codes); others passed through. Returns (frames, issues). Raises
    ``CouncilChoiceError``."""
    council = Council.of(la_code)
    chosen = bool(council.keys())
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
            la = data[LA_COLUMN].where(data[LA_COLUMN].astype("str").str.strip() != "")
            found = _distinct(la)
            if chosen:
                match = match_council(la, council)
                keep = match.rows
                if not keep.any():
                    issues.append(
                        _file_issue(
                            raw,
                            "council_not_in_file",
                            f"{raw.label} holds councils {', '.join(found) or '(none)'} but not the council "
                            f"chosen ({council.describe()}; compared ignoring case and punctuation); nothing "
                            "read from it",
                        )
                    )
                else:
                    how = "; ".join(
                        f"{k} ({', '.join(repr(v) for v in vs)})" for k, vs in match.matched_by.items()
                    )
                    issues.append(
                        _file_issue(
                            raw,
                            "council_matched",
                            f"{raw.label}: the council's {int(keep.sum())} rows found by {how}",
                        )
                    )
                    if (~keep).any():
                        others = _distinct(la[~keep])
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


def _distinct(la: pd.Series) -> list[str]:
    """The councils an LA column holds, as written (one spelling each, ignoring case)."""
    values = pd.Series(la.dropna().astype("str").str.strip().unique())
    return sorted(values[~values.str.upper().duplicated()].tolist())


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
