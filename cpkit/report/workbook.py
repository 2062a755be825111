"""The Excel download: the data behind every chart and table of the report, one sheet each.

Members and analysts ask for "the numbers behind the charts". The executed notebooks carry each table's
and chart's published data (already formatted and suppressed, see ``cpkit.present.tables.DATA_MIME``), so
the download holds exactly what the report shows and nothing finer. Sheets are named and numbered as in
``annual-report.html`` ("Table 3", "Figure 2") and listed on a first "Contents" sheet with the
small-number rule. Plain numbers and percentages become Excel numbers; everything else ("<5", "c",
"+7") stays as the report wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from cpkit.config import Config, Period
from cpkit.present.disclosure import rule_note
from cpkit.present.sanitise import no_formulas
from cpkit.present.tables import DATA_MIME
from cpkit.report.document import CHART_DATA_PREFIX, Numbered
from cpkit.report.execute import SectionRun
from cpkit.report.sections import Section

WORKBOOK_NAME = "annual-report-data.xlsx"
CONTENTS = "Contents"
MAX_SHEET_NAME = 31  # Excel's limit
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|0|[1-9]\d*)(?:\.\d+)?$")
_PERCENT = re.compile(r"^[+-]?(?:0|[1-9]\d*)(?:\.(\d+))?%$")
_BOLD = Font(bold=True)
HEADER_ROW = 5  # on each data sheet: title, section, rule, blank, then the column headings


@dataclass(frozen=True)
class DataTable:
    """One published table or chart's data, as a section notebook attached it to its output."""

    section: str
    caption: str
    columns: list[str]
    rows: list[list[str]]


def published_tables(notebook: Path, section: str) -> list[DataTable]:
    """Every table and chart payload in an executed notebook, in output order."""
    nb = nbformat.read(str(notebook), as_version=4)
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(DATA_MIME)
            if isinstance(payload, dict):
                found.append(
                    DataTable(
                        section,
                        str(payload.get("caption", "")),
                        [str(c) for c in payload.get("columns", [])],
                        [list(r) for r in payload.get("rows", [])],
                    )
                )
    return found


def small_number_note(config: Config) -> str:
    """The suppression rule in words, as the Contents sheet and every data sheet state it (one wording,
    ``cpkit.present.disclosure.Rule.note``)."""
    return "Small-number rule: " + rule_note(config)


def build_workbook(
    path: Path,
    sections: list[Section],
    runs: list[SectionRun],
    numbered: list[Numbered],
    config: Config,
    period: Period,
) -> Path:
    """Write the download to ``path``: a Contents sheet, then one sheet per table or chart's data."""
    by_name = {r.name: r for r in runs}
    titles = {s.name: s.title for s in sections}
    tables = [t for s in sections for t in published_tables(by_name[s.name].output, s.name)]
    entries = _match(tables, numbered)
    wb = Workbook()
    contents = wb.active
    contents.title = CONTENTS
    names: set[str] = {CONTENTS}
    listed = []
    unnumbered = 0
    for table, item in entries:
        unnumbered += item is None
        name = _sheet_name(item.label if item else f"Data {unnumbered}", names)
        number = item.label if item else ""
        caption = item.caption if item else table.caption
        if item and item.kind == "Figure":
            caption = f"{caption} (the data behind the chart)"
        _data_sheet(
            wb.create_sheet(name), number, caption, titles.get(table.section, table.section), table, config
        )
        listed.append((name, number, caption, titles.get(table.section, table.section)))
    _contents_sheet(contents, listed, config, period)
    wb.properties.creator = "cpkit"
    wb.properties.title = f"{config.la_name}: Corporate Parenting annual report {period.label}: data"
    wb.properties.created = datetime(period.end.year, period.end.month, period.end.day)
    path.parent.mkdir(parents=True, exist_ok=True)
    no_formulas(wb).save(path)  # text from input (a tracker's "=HYPERLINK(...)") is stored as text
    return path


def _match(tables: list[DataTable], numbered: list[Numbered]) -> list[tuple[DataTable, Numbered | None]]:
    """Pair each payload with the document's figure or table it belongs to (same section and caption),
    in the document's order; payloads the document does not show come last, unnumbered."""
    free = list(numbered)
    paired: list[tuple[int, DataTable, Numbered | None]] = []
    for i, table in enumerate(tables):
        caption = " ".join(table.caption.split())
        kind = "Table"
        if caption.startswith(CHART_DATA_PREFIX):
            kind, caption = "Figure", caption[len(CHART_DATA_PREFIX) :]
        item = next(
            (n for n in free if n.section == table.section and n.kind == kind and n.source == caption), None
        )
        if item is not None:
            free.remove(item)
        order = numbered.index(item) if item is not None else len(numbered) + i
        paired.append((order, table, item))
    return [(t, n) for _, t, n in sorted(paired, key=lambda p: p[0])]


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A unique sheet name of at most 31 characters with none of the characters Excel refuses."""
    base = _BAD_SHEET_CHARS.sub(" ", wanted).strip()[:MAX_SHEET_NAME] or "Sheet"
    name, n = base, 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(name)
    return name


def cell_value(text: object) -> object:
    """A published cell as Excel should hold it: numbers and percentages as numbers, the rest as text."""
    if not isinstance(text, str):
        return text
    value = text.strip()
    if _NUMBER.match(value):
        number = float(value.replace(",", ""))
        return int(number) if "." not in value else number
    if m := _PERCENT.match(value):
        return round(float(value[:-1]) / 100, len(m.group(1) or "") + 2)  # 0.227, not 0.22699999999999998
    return text


def _percent_format(text: object) -> str | None:
    if isinstance(text, str) and (m := _PERCENT.match(text.strip())):
        return "0." + "0" * len(m.group(1)) + "%" if m.group(1) else "0%"
    return None


def _data_sheet(
    ws: Worksheet, number: str, caption: str, section: str, table: DataTable, config: Config
) -> None:
    ws.cell(1, 1, f"{number}: {caption}" if number else caption).font = _BOLD
    ws.cell(2, 1, f"Section: {section}")
    ws.cell(3, 1, small_number_note(config))
    for j, column in enumerate(table.columns, start=1):
        ws.cell(HEADER_ROW, j, column).font = _BOLD
    for i, row in enumerate(table.rows, start=HEADER_ROW + 1):
        for j, text in enumerate(row, start=1):
            cell = ws.cell(i, j, cell_value(text))
            if fmt := _percent_format(text):
                cell.number_format = fmt
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 2 if table.columns else 1)
    _widths(ws, [table.columns, *table.rows])


def _contents_sheet(
    ws: Worksheet, listed: list[tuple[str, str, str, str]], config: Config, period: Period
) -> None:
    ws.cell(
        1,
        1,
        f"{config.la_name}: Corporate Parenting annual report {period.label}: the data behind the charts and tables",
    ).font = _BOLD
    ws.cell(
        2,
        1,
        f"Covers {period.long_label}. Each table, and the data of each chart, is on a sheet of its own, "
        "numbered as in the report (annual-report.html).",
    )
    ws.cell(3, 1, small_number_note(config))
    if config.sample:
        ws.cell(4, 1, "Synthetic sample data: these figures are made up and describe no real children.")
    for j, heading in enumerate(("Sheet", "Number", "Caption", "Section"), start=1):
        ws.cell(6, j, heading).font = _BOLD
    for i, (name, number, caption, section) in enumerate(listed, start=7):
        link = ws.cell(i, 1, name)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1")  # within the workbook
        link.style = "Hyperlink"
        ws.cell(i, 2, number or "not in the document")
        ws.cell(i, 3, caption)
        ws.cell(i, 4, section)
    ws.freeze_panes = "A7"
    _widths(ws, [["Sheet", "Number", "Caption", "Section"], *[list(r) for r in listed]])


def _widths(ws: Worksheet, rows: list[list[object]]) -> None:
    """Column widths that fit the headings and values (the long title rows may overflow)."""
    widths: dict[int, int] = {}
    for row in rows:
        for j, value in enumerate(row, start=1):
            widths[j] = max(widths.get(j, 8), min(60, len(str(value)) + 2))
    for j, width in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = width
