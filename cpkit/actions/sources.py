"""Read a tracker file (.xlsx, .csv, .docx) into grids of cell text, each cell with its location.

Nothing is interpreted here: each file type yields its tables as rows of cleaned text, so the
same header and structure rules apply to all three. Merged cells are undone the way a reader sees
them: a cell merged down several rows (one lead for three actions) gives its text to each row; a
cell merged across a row (a priority title spanning the table) counts once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from cpkit.actions.text import clean_text
from cpkit.errors import ActionPlanError, CpkitError


@dataclass
class Grid:
    """One table of a file. ``label`` names it in messages; ``continues`` says a table without its own
    header takes the previous table's (Word tables split across pages)."""

    label: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number as the user sees it, cells)
    continues: bool = False

    def where(self, row: int) -> str:
        return f"{self.label}row {row}"


def read_grids(path: Path) -> list[Grid]:
    """The tables in a tracker file, by file type."""
    readers = {".xlsx": _xlsx, ".xlsm": _xlsx, ".csv": _csv, ".docx": _docx}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise ActionPlanError(
            f"{path}: cannot read {path.suffix or 'files without an extension'}; "
            f"use {', '.join(sorted(readers))}"
        )
    if not path.exists():
        raise ActionPlanError(f"{path}: file not found")
    try:
        return reader(path)
    except CpkitError:
        raise  # the kit's own: the tracker's problem already named, or the run stopped by a signal
    except Exception as exc:  # a corrupt or mislabelled file: name it and say why
        raise ActionPlanError(f"{path}: could not be read as {path.suffix}: {exc}") from exc


def _xlsx(path: Path) -> list[Grid]:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    grids = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        values = [[cell.value for cell in row] for row in ws.iter_rows()]
        for rng in ws.merged_cells.ranges:
            if rng.max_row > rng.min_row:  # merged down: every row shares the text
                top = values[rng.min_row - 1][rng.min_col - 1]
                for r in range(rng.min_row + 1, rng.max_row + 1):
                    values[r - 1][rng.min_col - 1] = top
        label = f"sheet '{ws.title}' " if len(wb.worksheets) > 1 else ""
        grid = Grid(label)
        for r, row in enumerate(values, start=1):
            grid.rows.append((r, [clean_text(v) for v in row]))
        grids.append(grid)
    return grids


def _csv(path: Path) -> list[Grid]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    grid = Grid("")
    # Row numbers are records, which is the row a spreadsheet shows even when a cell holds line breaks.
    for r, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        grid.rows.append((r, [clean_text(v) for v in row]))
    return [grid]


def _docx(path: Path) -> list[Grid]:
    import docx

    document = docx.Document(str(path))
    grids = []
    for t, table in enumerate(document.tables, start=1):
        grid = Grid(f"table {t} ", continues=True)
        for r, row in enumerate(table.rows, start=1):
            cells, seen = [], None
            for cell in row.cells:
                # python-docx repeats a cell merged across columns; blank the repeats.
                cells.append("" if cell._tc is seen else clean_text(cell.text))
                seen = cell._tc
            grid.rows.append((r, cells))
        grids.append(grid)
    return grids
