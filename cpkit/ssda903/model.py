"""``Data903``: the cleaned SSDA903 tables of one council, as every measure receives them.

Conventions every table follows once cleaned (measures rely on these and nothing else):
- columns are the return's names (``cpkit.ssda903.tables.TABLE_COLUMNS``) plus ``source_file``,
  ``source_row`` (the row as a person counts it in that file, so a problem can be traced to it: the
  heading row is row 1, so ``load_903`` gives the first data row 2; ``from_frames`` numbers 1..n) and
  ``return_year`` (nullable Int64: the collection year the row came from, 2025 for 2024-25);
- date columns are ``datetime64[ns]``, blank as ``NaT``;
- code columns are stripped, upper-case strings, blank as missing (``pd.NA``/``NaN``);
- ``CHILD`` is a stripped string;
- a table the input did not have is an empty frame with the right columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cpkit.ssda903.tables import (
    DATE_COLUMNS,
    PROVENANCE,
    RETURN_YEAR,
    SOURCE_FILE,
    SOURCE_ROW,
    TABLE_COLUMNS,
    TEXT_COLUMNS,
)

# ``year``: the return year a problem concerns (2025 for the 2024-25 return; missing when unknown), so
# a problem in a return submitted years ago can be told from one in the report year's.
ISSUE_COLUMNS = ["file", "table", "row", "column", "value", "rule", "severity", "message", "year"]
SET_ASIDE_COLUMNS = ["file", "table", "row", "reason"]
# ``year``: the return year the file's rows were read as (missing when unknown), so the returns in a
# stack are known even where a later return superseded every row of an earlier one.
SOURCE_COLUMNS = ["path", "table", "rows", "sha256", "year"]


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the return's columns and the kit's dtypes."""
    cols = list(TABLE_COLUMNS[name]) + list(PROVENANCE)
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    for c in cols:
        if c in DATE_COLUMNS:
            frame[c] = pd.Series(dtype="datetime64[ns]")
    frame[SOURCE_ROW] = pd.Series(dtype="int64")
    frame[RETURN_YEAR] = pd.Series(dtype="Int64")
    return frame


def basic_clean(name: str, frame: pd.DataFrame, file: str = "<memory>") -> pd.DataFrame:
    """Minimal normalisation for frames built in code: strip, upper-case codes, parse dd/mm/YYYY dates.

    The readers in ``cpkit.ssda903.read`` do the full job for files (other date forms, code sets,
    set-aside rows); this is what ``Data903.from_frames`` uses for hand-built test data.
    """
    out = frame.copy()
    for col in TABLE_COLUMNS[name]:
        if col not in out.columns:
            out[col] = pd.NA
    for col in TABLE_COLUMNS[name]:
        if col in DATE_COLUMNS:
            if not pd.api.types.is_datetime64_any_dtype(out[col]):
                out[col] = pd.to_datetime(out[col], format="%d/%m/%Y", errors="raise")
            out[col] = out[col].astype("datetime64[ns]")
        else:
            upper = col not in TEXT_COLUMNS
            out[col] = pd.Series([_clean_cell(v, upper) for v in out[col]], index=out.index, dtype="object")
    if SOURCE_FILE not in out.columns:
        out[SOURCE_FILE] = file
    if SOURCE_ROW not in out.columns:
        out[SOURCE_ROW] = range(1, len(out) + 1)
    out[RETURN_YEAR] = out[RETURN_YEAR] if RETURN_YEAR in out.columns else pd.NA
    out[RETURN_YEAR] = out[RETURN_YEAR].astype("Int64")
    return out[list(TABLE_COLUMNS[name]) + list(PROVENANCE)].reset_index(drop=True)


def _clean_cell(value: object, upper: bool) -> str | None:
    """Stripped text (upper-cased for codes); blank and missing become None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    return text.upper() if upper else text


@dataclass
class Data903:
    """The council's cleaned SSDA903 tables plus what reading them found.

    ``issues``: one row per problem (file, table, row, column, value, rule, severity, message);
    ``set_aside``: one row per input row the reader did not keep, with the reason (nothing is dropped
    silently); ``sources``: the files read, with their SHA-256 for the report's manifest.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    issues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ISSUE_COLUMNS))
    set_aside: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SET_ASIDE_COLUMNS))
    sources: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SOURCE_COLUMNS))
    # The episodes as each return held them, before the stacking rules (``cpkit.ssda903.stack``)
    # merged the returns: what the DfE's validation rules are run on. None when not read from files.
    returns_episodes: pd.DataFrame | None = field(default=None, repr=False)
    # The Header rows as each return held them (one per child per return), before a child's older
    # returns' rows were superseded by the latest: also for the DfE's rules. None when not read from files.
    returns_header: pd.DataFrame | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in TABLE_COLUMNS:
            if name not in self.tables:
                self.tables[name] = empty_table(name)

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame) -> Data903:
        """Build from DataFrames keyed by table name (``episodes=...``, ``header=...``); for tests."""
        unknown = set(frames) - set(TABLE_COLUMNS)
        if unknown:
            raise ValueError(f"unknown table(s): {sorted(unknown)}; known: {sorted(TABLE_COLUMNS)}")
        return cls(tables={name: basic_clean(name, f) for name, f in frames.items()})

    def has(self, name: str) -> bool:
        """True if the input held this table with at least one row."""
        return len(self.tables[name]) > 0

    # Attribute access for the tables, so measures read ``data.episodes``.
    @property
    def header(self) -> pd.DataFrame:
        return self.tables["header"]

    @property
    def episodes(self) -> pd.DataFrame:
        return self.tables["episodes"]

    @property
    def reviews(self) -> pd.DataFrame:
        return self.tables["reviews"]

    @property
    def uasc(self) -> pd.DataFrame:
        return self.tables["uasc"]

    @property
    def oc2(self) -> pd.DataFrame:
        return self.tables["oc2"]

    @property
    def oc3(self) -> pd.DataFrame:
        return self.tables["oc3"]

    @property
    def ad1(self) -> pd.DataFrame:
        return self.tables["ad1"]

    @property
    def placed_adoption(self) -> pd.DataFrame:
        return self.tables["placed_adoption"]

    @property
    def prev_perm(self) -> pd.DataFrame:
        return self.tables["prev_perm"]

    @property
    def missing(self) -> pd.DataFrame:
        return self.tables["missing"]

    @property
    def sw_episodes(self) -> pd.DataFrame:
        return self.tables["sw_episodes"]
