"""The Excel download to the Analysis Function's spreadsheet standard, written with ``gptables``.

Members and analysts ask for "the numbers behind the charts". The executed notebooks carry each table's
and chart's published data (already formatted and suppressed by the disclosure rules, see
``cpkit.present.tables.DATA_MIME``), so the download holds exactly what the report shows and nothing finer:
the published values are taken as they are, never worked out again.

The Analysis Function's guidance "Releasing statistics in spreadsheets" asks for, and ``gptables`` (the
Function's own package) lays out:

- a **Cover** sheet: title, period, source, publication date, contact, the small-number rule and the
  shorthand used in cells (``[c]``, ``[x]`` and the council's small-count symbol);
- a **Contents** sheet linking every table, and a **Notes** sheet whose notes the table titles cite;
- **one table per sheet**, marked as an Excel table, its title in A1 and no blank row above it;
- **one value per cell**: a published "457 (10)" (a neighbours' average and how many councils it averages)
  becomes two columns; "+1.7 points" becomes the number 1.7 in a column saying "percentage points";
  "45%" the number 0.45 shown as a percentage; "31 Mar 2025" a date; group heading rows (the scorecard's
  themes) become a column; an empty cell becomes ``[x]``;
- **text stays text**: action references ("5.10" is not the number 5.1), codes with leading zeros; xlsxwriter
  is told never to turn strings into formulas, links or numbers, and the saved workbook goes through
  ``cpkit.present.sanitise.no_formulas`` so a tracker cell that looks like a formula is stored as its text
  with Excel's quote-prefix flag (it stays text even when edited).

Sheets are named and numbered as in the report ("Table 3", "Figure 2").
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import nbformat
import pandas as pd

from cpkit.config import Config, Period
from cpkit.present.disclosure import SECONDARY_SYMBOL, Rule, rule_note
from cpkit.present.sanitise import no_formulas
from cpkit.present.tables import DATA_MIME
from cpkit.report.document import CHART_DATA_PREFIX, Numbered
from cpkit.report.execute import SectionRun
from cpkit.report.sections import Section

WORKBOOK_NAME = "annual-report-data.xlsx"
COVER, CONTENTS, NOTES = "Cover", "Contents", "Notes"
MAX_SHEET_NAME = 31  # Excel's limit
NOT_AVAILABLE = "[x]"
CONFIDENTIAL = SECONDARY_SYMBOL  # the GSS shorthand, as the disclosure module writes it
GROUP_COLUMN = "Group"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|0|[1-9]\d*)(?:\.\d+)?$")
_PERCENT = re.compile(r"^[+-]?(?:0|[1-9]\d*)(?:\.(\d+))?%$")
_POINTS = re.compile(r"^([+-]?(?:0|[1-9]\d*)(?:\.\d+)?) (?:percentage )?points?$")
_WITH_COUNT = re.compile(r"^(?P<value>\S+) \((?P<n>\d+)\)$")  # "457 (10)", "67.1% (10)"
# "92.9% (2024-25)", "94.0% (2024-25 Q4; no full-year figure)", "<5 (2025)": a figure and its period
_WITH_PERIOD = re.compile(
    r"^(?P<value>\S+) \((?P<period>20\d{2}(?:-\d{2})?(?: ?Q[1-4])?(?:; no full-year figure)?)\)$"
)
_DAY_MONTH_YEAR = re.compile(r"^\d{1,2} [A-Z][a-z]{2,8} \d{4}$")  # "31 Mar 2025", "31 March 2025"
_MONTH_YEAR = re.compile(r"^[A-Z][a-z]{2,8} \d{4}$")  # "Apr 2024"
_TEXT_COLUMN = re.compile(r"^(ref|reference|code|la code|urn)\b", re.IGNORECASE)
_LEGACY_CONFIDENTIAL = {"c"}  # the DfE's bare "c", written in the GSS shorthand as "[c]"

# Notes the table titles cite (gptables turns "$$name$$" into "[note N]" and fills the Notes sheet).
NOTE_SMALL, NOTE_PUBLISHED, NOTE_OWN = "small", "published", "own"


@dataclass(frozen=True)
class DataTable:
    """One published table or chart's data, as a section notebook attached it to its output."""

    section: str
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class TidyTable:
    """A published table with one value per cell, and the Excel number formats of its cells."""

    frame: pd.DataFrame
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> number format
    group_column: bool = False


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
    """The suppression rule in words, as the cover and the notes state it (one wording,
    ``cpkit.present.disclosure.Rule.note``)."""
    return "Small-number rule: " + rule_note(config)


def shorthand(config: Config) -> list[str]:
    """What each symbol in a cell means (the cover's key); the two suppression symbols are the disclosure
    module's (``cpkit.present.disclosure.Rule``)."""
    rule = Rule.of(config)
    return [
        f"{rule.symbol}: a count from 1 to {rule.threshold - 1}, not shown so that no child can be identified.",
        f"{rule.secondary}: confidential: a figure hidden so that a small count cannot be worked out from the "
        "others, or a percentage, average or change based on a hidden or small count.",
        f"{NOT_AVAILABLE}: not available: the data do not give this figure, or it is not published.",
    ]


# --- one value per cell -------------------------------------------------------------------------------


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
    if m := _POINTS.match(value):
        return float(m.group(1))
    return text


def _number_format(text: str, value: object) -> str | None:
    text = text.strip()
    if m := _PERCENT.match(text):
        return "0." + "0" * len(m.group(1)) + "%" if m.group(1) else "0%"
    if isinstance(value, int):
        return "#,##0"
    if isinstance(value, float) and "." in text:
        return "#,##0." + "0" * len(text.split(".")[-1].split()[0].rstrip("%"))
    return None


def _date(text: str) -> tuple[datetime, str] | None:
    value = text.strip()
    for pattern, formats, shown in (
        (_DAY_MONTH_YEAR, ("%d %b %Y", "%d %B %Y"), "d mmm yyyy"),
        (_MONTH_YEAR, ("%b %Y", "%B %Y"), "mmm yyyy"),
    ):
        if pattern.match(value):
            for fmt in formats:
                try:
                    return datetime.strptime(value, fmt), shown
                except ValueError:
                    continue
    return None


_NO_LINK = "]\u200b("  # gptables makes "[text](url)" a live link: a zero-width space keeps input text as text


def _inert(text: str) -> str:
    """Input text as gptables must write it: never a link ("[see](javascript:...)" stays words)."""
    return text.replace("](", _NO_LINK)


def _typed(text: str, text_column: bool, symbols: set[str]) -> tuple[object, str | None]:
    """One cell's value and number format (None: Excel's General)."""
    value = _inert(str(text).strip())
    if value == "":
        return NOT_AVAILABLE, None
    if value in _LEGACY_CONFIDENTIAL:
        return CONFIDENTIAL, None
    if value in symbols or text_column:
        return value, None
    if (found := _date(value)) is not None:
        return found
    typed = cell_value(value)
    if isinstance(typed, int | float):
        return typed, _number_format(value, typed)
    return value, None


def _split_periods(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A column whose cells name the period of their figure ("92.9% (2024-25)", "94.0% (2024-25 Q4; no
    full-year figure)": local KPIs, ``cpkit.kpis.year_figures``) becomes two: the value, and beside it the
    period, so the figure stays a number."""
    for j in reversed(range(len(columns))):
        cells = [r[j] if j < len(r) else "" for r in rows]
        matches = [_WITH_PERIOD.match(str(c).strip()) for c in cells]
        if not any(matches):
            continue
        columns = [*columns[: j + 1], f"{columns[j]}: period", *columns[j + 1 :]]
        rows = [
            [*r[:j], m["value"] if m else r[j], m["period"] if m else "", *r[j + 1 :]]
            for r, m in zip(rows, matches, strict=True)
        ]
    return columns, rows


def _split_counts(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A column whose cells read "457 (10)" becomes two: the value and, beside it, the count."""
    for j in reversed(range(len(columns))):
        cells = [r[j] if j < len(r) else "" for r in rows]
        matches = [_WITH_COUNT.match(str(c).strip()) for c in cells]
        if not any(matches) or any(
            c.strip() and (m is None or isinstance(cell_value(m["value"]), str))
            for c, m in zip(cells, matches, strict=True)
        ):
            continue
        name = columns[j]
        count_name = f"{name}: councils averaged" if "neighbour" in name.lower() else f"{name}: number"
        columns = [*columns[: j + 1], count_name, *columns[j + 1 :]]
        rows = [
            [*r[:j], m["value"] if m else r[j], m["n"] if m else "", *r[j + 1 :]]
            for r, m in zip(rows, matches, strict=True)
        ]
    return columns, rows


def _groups(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]], bool]:
    """Heading rows (text in the first cell, the rest empty) become a first column naming the group."""
    if len(columns) < 3:
        return columns, rows, False

    def heading(r: list[str]) -> bool:
        return bool(str(r[0]).strip()) and all(not str(c).strip() for c in r[1:])

    if not any(heading(r) for r in rows):
        return columns, rows, False
    out, group = [], ""
    for r in rows:
        if heading(r):
            group = str(r[0]).strip()
            continue
        out.append([group, *r])
    return [GROUP_COLUMN, *columns], out, True


def _points_headers(columns: list[str], rows: list[list[str]]) -> list[str]:
    named = []
    for j, name in enumerate(columns):
        cells = [str(r[j]).strip() for r in rows if j < len(r)]
        if any(_POINTS.match(c) for c in cells) and "point" not in name.lower():
            name = f"{name} (percentage points)"
        named.append(name)
    return named


def tidy(columns: list[str], rows: list[list[str]], symbols: set[str]) -> TidyTable:
    """The published table with one value per cell (see the module docstring for the rules)."""
    columns, rows, grouped = _groups(list(columns), [list(r) for r in rows])
    columns, rows = _split_periods(columns, rows)
    columns, rows = _split_counts(columns, rows)
    columns = _points_headers(columns, rows)
    names = _unique([_inert(str(c).strip()) or f"Column {j + 1}" for j, c in enumerate(columns)])
    text_columns = [bool(_TEXT_COLUMN.match(c)) for c in names]
    data: list[list[object]] = []
    formats: dict[tuple[int, int], str] = {}
    for i, row in enumerate(rows):
        typed_row = []
        for j in range(len(names)):
            value, fmt = _typed(
                row[j] if j < len(row) else "", text_columns[j] or (grouped and j == 0), symbols
            )
            typed_row.append(value)
            if fmt:
                formats[(i, j)] = fmt
        data.append(typed_row)
    frame = pd.DataFrame(data, columns=names, dtype=object)
    return TidyTable(frame, formats, grouped)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


# --- the workbook -------------------------------------------------------------------------------------


def build_workbook(
    path: Path,
    sections: list[Section],
    runs: list[SectionRun],
    numbered: list[Numbered],
    config: Config,
    period: Period,
    *,
    contact: str | None = None,
    published: date | None = None,
) -> Path:
    """Write the download to ``path``: Cover, Contents and Notes sheets, then one sheet per table."""
    import gptables as gpt

    by_name = {r.name: r for r in runs}
    titles = {s.name: s.title for s in sections}
    tables = [t for s in sections for t in published_tables(by_name[s.name].output, s.name)]
    rule = Rule.of(config)
    symbols = {rule.symbol, rule.secondary, CONFIDENTIAL, NOT_AVAILABLE}
    sheets: dict[str, object] = {}
    taken = {COVER.lower(), CONTENTS.lower(), NOTES.lower()}
    unnumbered = 0
    for table, item in _match(tables, numbered):
        unnumbered += item is None
        name = _sheet_name(item.label if item else f"Data {unnumbered}", taken)
        caption = item.caption if item else table.caption
        if item and item.kind == "Figure":
            caption = f"{caption} (the data behind the chart)"
        title = f"{item.label}: {caption}" if item else f"{caption} (not shown in the report)"
        tidied = tidy(table.columns, table.rows, symbols)
        if tidied.frame.empty or not len(tidied.frame.columns):
            continue
        cells = tidied.frame.to_numpy().ravel().tolist()
        notes = [NOTE_OWN]
        if any(isinstance(v, str) and v in symbols - {NOT_AVAILABLE} for v in cells):
            notes.append(NOTE_SMALL)
        if any(re.search(r"england|neighbour|quartile", c, re.IGNORECASE) for c in tidied.frame.columns):
            notes.append(NOTE_PUBLISHED)
        sheets[name] = gpt.GPTable(
            table=tidied.frame,
            table_name=re.sub(r"\W", "_", name).lower(),
            title=_no_refs(title) + "".join(f" $${n}$$" for n in notes),
            subtitles=[_no_refs(f"Section: {titles.get(table.section, table.section)}")],
            instructions="This worksheet contains one table. Shorthand in cells is explained on the Cover sheet.",
            source=f"Source: {config.la_name}, {period.long_label}.",
            index_columns={1: 0, 2: 1} if tidied.group_column else {2: 0},
            additional_formatting=[
                {"cell": {"cells": (i + 1, j), "format": {"num_format": fmt}}}
                for (i, j), fmt in tidied.formats.items()
            ],
        )
    cover = gpt.Cover(
        title=_no_refs(f"{config.la_name}: Corporate Parenting annual report {period.label}: data tables"),
        intro=_cover_intro(config, period, published or date.today()),
        about=[small_number_note(config), "Shorthand used in cells:", *shorthand(config), *_about()],
        contact=[_no_refs(contact or "The council's performance and intelligence team.")],
    )
    notes_table = pd.DataFrame(
        {
            "Note number": [NOTE_OWN, NOTE_SMALL, NOTE_PUBLISHED],
            "Note text": [
                "The council's own figures are worked out from its SSDA903 returns (DfE definitions), its "
                "action plan tracker and its local KPI file.",
                small_number_note(config),
                "England, statistical neighbour and quartile figures are the DfE's published statistics "
                "(Children looked after in England including adoptions); the neighbours' figure is the "
                "unweighted average of the neighbours' published values, with the number averaged beside it.",
            ],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # gptables: advice on empty cells (we write [x]) and pandas deprecations
        gpt.write_workbook(
            filename=str(path),
            sheets=sheets,
            cover=cover,
            # a run whose sections published no table (one section whose input was refused) still gets
            # its workbook, without a contents sheet, which gptables cannot build for no sheets
            contentsheet_label=CONTENTS if sheets else None,
            contentsheet_options={"additional_elements": ["subtitles"]},
            notes_table=notes_table,
            notesheet_label=NOTES,
            workbook_options={
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
    from openpyxl import load_workbook

    # text from input that looks like a formula ("=HYPERLINK(...)") is stored as the text it is, with
    # Excel's quote-prefix flag, by the kit's one helper for workbooks (cpkit.present.sanitise)
    no_formulas(load_workbook(path)).save(path)
    return path


def _no_refs(text: str) -> str:
    """gptables reads "$$name$$" as a note reference: text from input must not be able to make one."""
    return _inert(text.replace("$$", "$ $"))


def _cover_intro(config: Config, period: Period, published: date) -> list[str]:
    lines = [
        "The data behind every chart and table of the council's Corporate Parenting annual report, one "
        "table per sheet, numbered as in the report (Table 1, Figure 1) and its technical annex (Table A1, "
        "Figure A1).",
        f"Period covered: {period.long_label}.",
        "Source: the council's SSDA903 returns to the Department for Education, the Corporate Parenting "
        "Board's action plan tracker and local KPIs; England and statistical neighbours from the DfE's "
        "'Children looked after in England including adoptions'.",
        f"Published: {published.day} {published:%B %Y}.",
    ]
    if config.sample:
        lines.append("Synthetic sample data: these figures are made up and describe no real children.")
    return lines


def _about() -> list[str]:
    return [
        "Percentages are stored as numbers and shown as percentages; columns marked 'percentage points' hold "
        "the difference between two percentages.",
        "Where the report shows a figure with a count in brackets, the count has a column of its own.",
        "Dates are Excel dates.",
    ]


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
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(name.lower())
    return name
