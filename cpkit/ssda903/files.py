"""Finding SSDA903 files and reading them into raw text frames (no cleaning here).

A raw frame keeps every cell as the file gave it (text for CSV; text, numbers or datetimes for
xlsx), its headings stripped and upper-cased, and ``rows``: each data row's number as a person
counts it in the file (the heading row is ``heading_row``, usually 1, and the first data row the one
after it). Blank rows are kept so the numbers match the file; the cleaner sets them aside and counts them.

What is recognised from the content, not the name (so any case system's export is read):
- the form: an Excel workbook (by its zip signature), the DfE XML return (``<EXPSSDA903>``, see
  ``cpkit.ssda903.xmlreturn``), else delimited text;
- the text encoding: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"),
  else Windows-1252 (Excel's "CSV"), else Latin-1 (every byte is a Latin-1 character);
- the delimiter: comma, semicolon, tab or pipe, whichever makes a line of the file the headings of an
  SSDA903 table;
- the heading row: the first of the file's first ``HEADING_SEARCH`` lines (or sheet rows) holding a
  table's headings, so title rows above the headings ("Episodes 2024-25, run 3 April") are skipped.

The return year comes from the innermost folder or file name holding one ("2024-25", "2025",
``2019-episodes.csv``); a bare year is checked against the dates in ``cpkit.ssda903.read``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from cpkit.errors import DataNotThere, EmptyFileError, InputError
from cpkit.ssda903.tables import recognise

CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".dat"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
XML_SUFFIXES = {".xml"}
DELIMITERS = (",", ";", "\t", "|")
# How far down a file the heading row is looked for (title rows above it are skipped).
HEADING_SEARCH = 20

# A collection-year name: 2025, 2024-25, 2024_25, 202425, 2024-2025 (all the 2024-25 return ->
# 2025), optionally with words around it ("returns 2024-25", "903_2025", "2019-episodes"). The later
# year is the return year.
_YEAR_NAME = re.compile(r"^(?:.*\D)?(?P<a>(?:19|20)\d{2})(?:[-_ ]?(?P<b>(?:19|20)\d{2}|\d{2}))?\D*$")


@dataclass
class RawFrame:
    """One CSV file or one xlsx sheet, unparsed."""

    label: str  # how messages name it: the path, plus " [sheet]" for a workbook tab
    path: Path
    sha256: str
    data: pd.DataFrame  # columns: headings stripped and upper-cased; duplicates dropped
    rows: np.ndarray  # row number in the file for each data row
    return_year: int | None
    encoding: str = "utf-8"
    duplicate_headings: tuple[str, ...] = ()
    ragged_rows: tuple[tuple[int, int], ...] = ()  # (row, fields) of rows with extra filled fields
    heading_row: int = 1  # the row of the file (or sheet) holding the headings
    delimiter: str = ","
    # True when the year came from a bare year ("2019"), which councils and tools use both for the
    # year a return ends in and the year it starts in; the reader settles it from the dates.
    year_ambiguous: bool = False
    year_source: str | None = None  # the folder or file name the year was read from


# In a file's name the year may have other words with digits after it ("2019-ad1", "2024-25_oc2").
_YEAR_IN_FILE = re.compile(
    r"(?:^|[^0-9])(?P<a>(?:19|20)\d{2})(?:[-_ ]?(?P<b>(?:19|20)\d{2}|\d{2}))?(?![0-9])"
)


def _year_match(name: str, file: bool = False) -> tuple[int, bool] | None:
    """(return year, bare) for a name holding a collection year; bare is True for a single year."""
    m = (_YEAR_IN_FILE.search if file else _YEAR_NAME.match)(name)
    if not m:
        return None
    first, second = int(m["a"]), m["b"]
    if second is None:
        return first, True
    if len(second) == 2:
        return (first + 1, False) if int(second) == (first + 1) % 100 else None
    return (first + 1, False) if int(second) == first + 1 else None


def return_year_from_name(name: str) -> int | None:
    """The return year a folder name stands for, or None: "2024-25", "2024_25", "202425", "2025" -> 2025."""
    found = _year_match(name)
    return found[0] if found else None


def year_for(file: Path, root: Path | None) -> tuple[int | None, bool, str | None]:
    """(year, bare, name) from the innermost year-named folder between ``root`` (itself included)
    and the file, or the file's own name (``2019-episodes.csv``)."""
    if root is None:
        names = [file.parent.name, file.stem]
    else:
        names = [root.name, *file.relative_to(root).parent.parts, file.stem]
    found: tuple[int | None, bool, str | None] = (None, False, None)
    for i, name in enumerate(names):
        hit = _year_match(name, file=i == len(names) - 1)
        if hit is not None:
            found = (hit[0], hit[1], name)
    return found


def discover(paths: list[Path]) -> Iterator[tuple[Path, Path | None]]:
    """Yield (file, root) for every file under the given files and folders, sorted, hidden ones skipped."""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith((".", "~$")):
                    yield f, p
        elif p.is_file():
            yield p, None
        else:
            raise DataNotThere(f"SSDA903 input not found: {p}")


def read_file(file: Path, root: Path | None) -> list[RawFrame]:
    """Read one file into raw frames (one per sheet or table). Raises ValueError if unreadable,
    ``EmptyFileError`` if empty and TypeError if it is not a table file at all."""
    content = file.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    year, bare, source = year_for(file, root)
    if not content.strip():
        raise EmptyFileError(file, digest, year)
    suffix = file.suffix.lower()
    common = {"year": year, "year_ambiguous": bare, "year_source": source}
    if content.startswith(b"PK\x03\x04") and suffix not in CSV_SUFFIXES | XML_SUFFIXES:
        return _read_xlsx(file, content, digest, **common)
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in XML_SUFFIXES or head.startswith(b"<?xml") or head.startswith(b"<EXPSSDA903"):
        from cpkit.ssda903.xmlreturn import read_xml

        return read_xml(file, content, digest, **common)
    if suffix in XLSX_SUFFIXES:
        raise InputError(
            f"{file}: not an Excel workbook (an .xlsx file is a zip archive); re-save it from Excel"
        )
    if suffix in CSV_SUFFIXES:
        return [_read_csv(file, content, digest, **common)]
    raise TypeError(f"{file}: not a CSV file, Excel workbook or DfE XML return")


def decode(content: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was in (see the module docstring for the order tried)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "latin-1"


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def find_headings(lines: list[str]) -> tuple[int, str]:
    """(index of the heading line, delimiter) for the first lines of a text file.

    The heading line is the first line that, split on some delimiter, names an SSDA903 table's
    columns. A file whose headings match no table gets its first non-blank line and the delimiter
    that splits it most, so it is reported with the headings it has.
    """
    for i, line in enumerate(lines[:HEADING_SEARCH]):
        found = [(len(_split(line, d)), d) for d in DELIMITERS if recognise(_split(line, d))]
        if found:
            return i, max(found)[1]
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    line = lines[first] if lines else ""
    best = max(DELIMITERS, key=lambda d: (len(_split(line, d)), d == ","))
    return first, best


def _read_csv(
    file: Path, content: bytes, digest: str, year: int | None, year_ambiguous: bool, year_source: str | None
) -> RawFrame:
    text, encoding = decode(content)
    lines = text[: 200 * 1024].splitlines()
    index, delimiter = find_headings(lines)
    headings = _split(lines[index], delimiter) if index < len(lines) else []
    if not any(h.strip() for h in headings):
        raise InputError(f"{file}: no column headings found in its first lines")
    data = text.encode("utf-8")
    skip = index + 1
    frame, rows, ragged = _csv_fast(data, len(headings), delimiter, skip)
    if frame is None:
        frame, rows, ragged = _csv_tolerant(data, len(headings), delimiter, skip)
    raw = _finish(str(file), file, digest, year, headings, frame, rows, encoding, ragged)
    raw.heading_row, raw.delimiter = index + 1, delimiter
    raw.year_ambiguous, raw.year_source = year_ambiguous, year_source
    return raw


def _csv_fast(
    data: bytes, width: int, delimiter: str = ",", skip: int = 1
) -> tuple[pd.DataFrame | None, np.ndarray, tuple]:
    """pyarrow's parser, every field as text; None if any row has the wrong number of fields."""
    names = [f"c{i}" for i in range(width)]
    invalid: list[int] = []

    def on_invalid(_row: object) -> str:
        invalid.append(1)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=skip),
            # Without newlines_in_values the parse runs in parallel; a quoted line break then shows
            # as a row of the wrong width, and the tolerant reader takes over.
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None, np.array([]), ()
    if invalid:
        return None, np.array([]), ()
    frame = table.to_pandas()
    return frame, np.arange(skip + 1, len(frame) + skip + 1), ()


def _csv_tolerant(
    data: bytes, width: int, delimiter: str = ",", skip: int = 1
) -> tuple[pd.DataFrame, np.ndarray, tuple]:
    """Python's csv module for files with short or long rows (slower; only for messy files).

    Short rows are padded with blanks (spreadsheets drop trailing empty cells); extra fields that are
    blank are dropped; rows with extra filled fields are returned in ``ragged`` for the cleaner.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter)
    for _ in range(skip):
        next(reader, None)
    records: list[list[str]] = []
    ragged: list[tuple[int, int]] = []
    for number, fields in enumerate(reader, start=skip + 1):
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            ragged.append((number, len(fields)))
        fields = (fields + [""] * width)[:width]
        records.append(fields)
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(width)], dtype="str")
    return frame, np.arange(skip + 1, len(frame) + skip + 1), tuple(ragged)


def _read_xlsx(
    file: Path, content: bytes, digest: str, year: int | None, year_ambiguous: bool, year_source: str | None
) -> list[RawFrame]:
    try:
        sheets = pd.read_excel(
            io.BytesIO(content), sheet_name=None, header=None, dtype=object, engine="openpyxl"
        )
    except Exception as err:  # openpyxl raises many types for a corrupt workbook
        raise InputError(f"{file}: could not be opened as an Excel workbook ({err})") from err
    out = []
    for sheet, grid in sheets.items():
        grid = grid.dropna(how="all", axis=1)
        filled = grid.notna().any(axis=1)
        if not filled.any():
            continue
        # The headings are the first row naming a table's columns (title rows may sit above them),
        # else the first row with anything in it.
        start = filled.idxmax()
        for pos in grid.index[filled][:HEADING_SEARCH]:
            if recognise([_cell_text(v) for v in grid.loc[pos].tolist()]):
                start = pos
                break
        grid = grid.loc[start:]
        headings = [_cell_text(v) for v in grid.iloc[0].tolist()]
        body = grid.iloc[1:].reset_index(drop=True)
        body.columns = [f"c{i}" for i in range(len(headings))]
        for c in body.columns:
            body[c] = body[c].map(_cell_value)
        # read_excel keeps blank rows, so the grid's row i is the sheet's row i + 1.
        rows = grid.index.to_numpy()[1:] + 1
        label = f"{file} [{sheet}]"
        raw = _finish(label, file, digest, year, headings, body, rows, "xlsx", ())
        raw.heading_row = int(start) + 1
        raw.year_ambiguous, raw.year_source = year_ambiguous, year_source
        out.append(raw)
    return out


def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _cell_value(v: object) -> object:
    """An xlsx cell as the cleaner wants it: datetimes kept (dates), everything else as text."""
    if isinstance(v, (pd.Timestamp,)) or hasattr(v, "year") and hasattr(v, "month"):
        return v
    return _cell_text(v)


def _finish(
    label: str,
    file: Path,
    digest: str,
    year: int | None,
    headings: list[str],
    frame: pd.DataFrame,
    rows: np.ndarray,
    encoding: str,
    ragged: tuple,
) -> RawFrame:
    names = [h.strip().lstrip("\ufeff").strip().upper() for h in headings]
    frame.columns = names
    keep = ~pd.Index(names).duplicated()
    dupes = tuple(n for n, k in zip(names, keep, strict=True) if not k and n)
    frame = frame.loc[:, keep]
    # Unnamed columns that are entirely empty are a spreadsheet's trailing commas, not data.
    if "" in frame.columns:
        blank = frame[""].astype("str").str.strip().fillna("") == ""
        if bool(blank.all()):
            frame = frame.drop(columns=[""])
    return RawFrame(
        label,
        file,
        digest,
        frame.reset_index(drop=True),
        np.asarray(rows, dtype="int64"),
        year,
        encoding,
        dupes,
        ragged,
    )
