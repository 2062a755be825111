"""Finding SSDA903 files and reading them into raw text frames (no cleaning here).

A raw frame keeps every cell as the file gave it (text for CSV; text, numbers or datetimes for
xlsx), its headings stripped and upper-cased, and ``rows``: each data row's number as a person
counts it in the file (heading row 1, first data row 2). Blank rows are kept so the numbers match
the file; the cleaner sets them aside and counts them.
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

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}

# A collection-year folder: 2025, 2024-25, 2024_25, 202425, 2024-2025 (all the 2024-25 return ->
# 2025), optionally with words around it ("returns 2024-25", "903_2025"). The later year is the return year.
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


class EmptyFileError(ValueError):
    """A file with nothing in it (not even headings): reported, not an error."""

    def __init__(self, file: Path, sha256: str) -> None:
        super().__init__(f"{file} is empty")
        self.sha256 = sha256


def return_year_from_name(name: str) -> int | None:
    """The return year a folder name stands for, or None: "2024-25", "2024_25", "202425", "2025" -> 2025."""
    m = _YEAR_NAME.match(name)
    if not m:
        return None
    first, second = int(m["a"]), m["b"]
    if second is None:
        return first
    if len(second) == 2:
        return first + 1 if int(second) == (first + 1) % 100 else None
    return first + 1 if int(second) == first + 1 else None


def _year_for(file: Path, root: Path | None) -> int | None:
    """The innermost year-named folder between ``root`` (itself included) and the file."""
    if root is None:
        names = [file.parent.name]
    else:
        names = [root.name, *file.relative_to(root).parent.parts]
    year = None
    for name in names:
        found = return_year_from_name(name)
        if found is not None:
            year = found
    return year


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
            raise FileNotFoundError(f"SSDA903 input not found: {p}")


def read_file(file: Path, root: Path | None) -> list[RawFrame]:
    """Read one CSV file or workbook into raw frames (one per sheet). Raises ValueError if unreadable."""
    content = file.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if not content.strip():
        raise EmptyFileError(file, digest)
    year = _year_for(file, root)
    suffix = file.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [_read_csv(file, content, digest, year)]
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(file, content, digest, year)
    raise TypeError(f"{file}: not a CSV file or Excel workbook")


def _decode(content: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes of the file and the encoding it was in: UTF-8 (with or without BOM), else cp1252."""
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace").encode("utf-8"), "cp1252"
    return content.removeprefix(b"\xef\xbb\xbf"), "utf-8"


def _read_csv(file: Path, content: bytes, digest: str, year: int | None) -> RawFrame:
    data, encoding = _decode(content)
    first = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    headings = next(csv.reader([first]), []) if first.strip() else []
    if not headings:
        raise ValueError(f"{file}: the first line is blank; expected the column headings")
    frame, rows, ragged = _csv_fast(data, len(headings))
    if frame is None:
        frame, rows, ragged = _csv_tolerant(data, len(headings))
    return _finish(str(file), file, digest, year, headings, frame, rows, encoding, ragged)


def _csv_fast(data: bytes, width: int) -> tuple[pd.DataFrame | None, np.ndarray, tuple]:
    """pyarrow's parser, every field as text; None if any row has the wrong number of fields."""
    names = [f"c{i}" for i in range(width)]
    invalid: list[int] = []

    def on_invalid(_row: object) -> str:
        invalid.append(1)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            # Without newlines_in_values the parse runs in parallel; a quoted line break then shows
            # as a row of the wrong width, and the tolerant reader takes over.
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False, invalid_row_handler=on_invalid),
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
    return frame, np.arange(2, len(frame) + 2), ()


def _csv_tolerant(data: bytes, width: int) -> tuple[pd.DataFrame, np.ndarray, tuple]:
    """Python's csv module for files with short or long rows (slower; only for messy files).

    Short rows are padded with blanks (spreadsheets drop trailing empty cells); extra fields that are
    blank are dropped; rows with extra filled fields are returned in ``ragged`` for the cleaner.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(reader, None)
    records: list[list[str]] = []
    ragged: list[tuple[int, int]] = []
    for number, fields in enumerate(reader, start=2):
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            ragged.append((number, len(fields)))
        fields = (fields + [""] * width)[:width]
        records.append(fields)
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(width)], dtype="str")
    return frame, np.arange(2, len(frame) + 2), tuple(ragged)


def _read_xlsx(file: Path, content: bytes, digest: str, year: int | None) -> list[RawFrame]:
    try:
        sheets = pd.read_excel(
            io.BytesIO(content), sheet_name=None, header=None, dtype=object, engine="openpyxl"
        )
    except Exception as err:  # openpyxl raises many types for a corrupt workbook
        raise ValueError(f"{file}: could not be opened as an Excel workbook ({err})") from err
    out = []
    for sheet, grid in sheets.items():
        grid = grid.dropna(how="all", axis=1)
        filled = grid.notna().any(axis=1)
        if not filled.any():
            continue
        # The headings are the first row with anything in it (a sheet may start lower down).
        grid = grid.loc[filled.idxmax() :]
        headings = [_cell_text(v) for v in grid.iloc[0].tolist()]
        body = grid.iloc[1:].reset_index(drop=True)
        body.columns = [f"c{i}" for i in range(len(headings))]
        for c in body.columns:
            body[c] = body[c].map(_cell_value)
        # read_excel keeps blank rows, so the grid's row i is the sheet's row i + 1.
        rows = grid.index.to_numpy()[1:] + 1
        label = f"{file} [{sheet}]"
        out.append(_finish(label, file, digest, year, headings, body, rows, "xlsx", ()))
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
