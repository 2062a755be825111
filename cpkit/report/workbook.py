"""The Excel download to the Analysis Function's spreadsheet standard, written with ``gptables``.

Members and analysts ask for "the numbers behind the charts". Each section's executed notebook carries the
typed block of every table and chart it showed (``cpkit.publish``: cells that are ``Figure``s, with the
value, unit, decimals and disclosure status, or words), so the download holds exactly what the report
shows and nothing finer, read from the figures themselves, never from their text:

- a shown figure is its value as published (at the decimals printed): a count an integer (``#,##0``), a
  percentage the number 0.45 shown as a percentage (``0%``), a date an Excel date, anything else a number
  at its printed decimals;
- a figure not shown is the GSS shorthand for its status (``Figure.shorthand``): ``[c]`` for a small or
  protecting count (the council's "<5" is for the pages; the workbook says in words what [c] means),
  ``[z]`` not applicable, ``[x]`` not available, ``[low]`` rounds to zero; each shorthand used is
  explained on the Cover and the Notes sheet;
- **one unit per column**: a column whose figures share a unit names it in its heading ("Children
  (number)", "Share (%)"); a table whose rows are different measures (a scorecard) gets a "Unit" column
  saying each row's;
- words are text: a plain ``str`` cell is written as it is (action references "5.10", codes "007"),
  xlsxwriter is told never to turn strings into formulas, links or numbers, and the saved workbook goes
  through ``cpkit.present.sanitise.no_formulas`` so a tracker cell that looks like a formula is stored as
  its text with Excel's quote-prefix flag.

The Analysis Function's guidance "Releasing statistics in spreadsheets" (and ``gptables``, the Function's
own package) gives the rest: a **Cover** sheet (title, period, source, the report's publication date,
contact, the shorthand), a **Contents** sheet linking every table, a **Notes** sheet whose notes the table
titles cite, one table per sheet marked as an Excel table with its title in A1 and no blank row above it;
group heading rows (the scorecard's themes) become a column.

Sheets are named and numbered as in the report ("Table 3", "Figure 2", "Table A3" in the annex), paired
with the document's numbering by block id (``cpkit.report.document.Numbered.block``), never by caption.
The Board's own tables (priorities, the year ahead) are words and have their sheets too.

Nothing here reads a figure from its text: a number written as a ``str`` would be written as text, and
``tests/report/test_workbook_standard.py`` fails on any table of the sample report that has one.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from cpkit.config import Config, Period
from cpkit.present.disclosure import Rule
from cpkit.present.sanitise import no_formulas
from cpkit.publish.block import Block
from cpkit.publish.figure import SHORTHAND, SHORTHAND_MEANING, Figure, Status
from cpkit.report.document import Numbered
from cpkit.report.sections import Section

WORKBOOK_NAME = "annual-report-data.xlsx"
COVER, CONTENTS, NOTES = "Cover", "Contents", "Notes"
MAX_SHEET_NAME = 31  # Excel's limit
NOT_AVAILABLE = "[x]"
CONFIDENTIAL = "[c]"
SHORTHAND_ORDER = ("[c]", "[low]", "[x]", "[z]")
GROUP_COLUMN = "Group"
UNIT_COLUMN = "Unit"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_WORD = re.compile(r"[A-Za-z0-9]")  # gptables refuses a cell without a letter or digit

# A column heading's unit ("Share (%)", "Distance (miles)"); a unit not here is named as it is; a count's
# heading says what it counts ("Children") and needs no unit
UNIT_HEADING = {
    "count": "",
    "percent": "%",
    "points": "percentage points",
    "number": "",
    "date": "",
}
# Words for a row's unit in a "Unit" column (words: gptables refuses a cell of symbols alone, such as "%")
UNIT_WORDS = {"count": "number", "percent": "percentage", "points": "percentage points", "number": "number"}

# Notes the table titles cite (gptables turns "$$name$$" into "[note N]" and fills the Notes sheet).
NOTE_SMALL, NOTE_PUBLISHED, NOTE_OWN, NOTE_SHORTHAND = "small", "published", "own", "shorthand"


@dataclass
class TidyTable:
    """A published table with one value per cell, and the Excel number formats of its cells."""

    frame: pd.DataFrame
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> number format
    group_column: bool = False
    shorthand: set[str] = field(default_factory=set)  # the GSS shorthand its cells use
    index_columns: int = 1


def small_number_note(config: Config | Rule) -> str:
    """The small-number rule as the workbook states it: in a sheet every figure the report does not show
    is [c], whichever symbol the report printed (``cpkit.present.disclosure.Rule``)."""
    rule = Rule.of(config)
    return (
        f"Small-number rule: {CONFIDENTIAL} (confidential) stands for a figure the report does not show: a "
        f"count from 1 to {rule.threshold - 1} (printed {rule.symbol} in the report), so that no child can be "
        f"identified; a figure hidden so that such a count cannot be worked out from the others (printed "
        f"{rule.secondary}; a hidden count of this kind is 0 or {rule.threshold} or more); or a percentage, "
        "average or change based on a hidden or small count."
    )


def shorthand(
    config: Config | Rule, used: set[str] | None = None, meaning: dict[str, str] | None = None
) -> list[str]:
    """What each shorthand in the cells means (the cover's key), for those ``used`` (all by default);
    ``meaning``: a workbook's own words for a shorthand (the regional comparison's [z])."""
    rule = Rule.of(config)
    meaning = {
        **SHORTHAND_MEANING,
        **(meaning or {}),
        CONFIDENTIAL: f"confidential: a figure not shown so that no child can be identified (a count from 1 "
        f"to {rule.threshold - 1}, printed {rule.symbol} in the report, or a figure hidden to protect one, "
        f"printed {rule.secondary})",
    }
    return [f"{s}: {meaning[s]}." for s in SHORTHAND_ORDER if used is None or s in used]


# --- typed cells ---------------------------------------------------------------------------------------

_NO_LINK = "]\u200b("  # gptables makes "[text](url)" a live link: a zero-width space keeps input text as text


def _inert(text: str) -> str:
    """Input text as gptables must write it: never a link ("[see](javascript:...)" stays words)."""
    return text.replace("](", _NO_LINK)


def _decimals_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def figure_cell(fig: Figure) -> tuple[object, str | None]:
    """A Figure as Excel holds it: its published value and number format, or the GSS shorthand for its
    status (a Figure that is shown but has no value, as an empty cell would be, is ``[x]``)."""
    value = fig.published_value
    if value is None:
        return fig.shorthand() or NOT_AVAILABLE, None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), "d mmm yyyy"
    if fig.unit == "percent":
        # 45.2% printed "45%" is 0.45 shown as 45%: the fraction at the printed precision
        return round(float(value) / 100, fig.decimals + 2), "0" + (
            "." + "0" * fig.decimals if fig.decimals else ""
        ) + "%"
    if fig.unit == "count" or (isinstance(value, int) and fig.decimals == 0):
        return int(value), "#,##0"
    return value, _decimals_format(fig.decimals)


def _unit_of(cell: object) -> str | None:
    return cell.unit if isinstance(cell, Figure) and cell.unit != "date" else None


def _heading(name: str, unit: str) -> str:
    """ "Share" and "percent" -> "Share (%)"; a heading that already names its unit keeps it."""
    shown = UNIT_HEADING.get(unit, unit)
    lowered = name.lower()
    if not shown or shown.lower() in lowered or (unit == "percent" and ("percent" in lowered or "%" in name)):
        return name
    if unit == "points" and "point" in lowered:
        return name
    return f"{name} ({shown})"


# --- one table ------------------------------------------------------------------------------------------


def _groups(columns: list[str], rows: list[list[object]]) -> tuple[list[str], list[list[object]], bool]:
    """Heading rows (text in the first cell, the rest empty words) become a first column naming the group;
    a row whose figures are all absent (a council with no figure for the measure: [x] printed as
    nothing) is a row like the others."""
    if len(columns) < 3:
        return columns, rows, False

    def heading(r: list[object]) -> bool:  # words alone: a row of figures not given ("") is still a row
        return bool(str(r[0]).strip()) and all(
            not isinstance(c, Figure) and not str(c).strip() for c in r[1:]
        )

    if not any(heading(r) for r in rows):
        return columns, rows, False
    out, group = [], ""
    for r in rows:
        if heading(r):
            group = str(r[0]).strip()
            continue
        out.append([group, *r])
    return [GROUP_COLUMN, *columns], out, True


def tidy(block: Block) -> TidyTable:
    """The block as a sheet's table: one value per cell, one unit per column (see the module docstring)."""
    columns, rows, grouped = _groups(list(block.columns), [list(r) for r in block.rows])
    width = len(columns)
    rows = [[*r, *[""] * (width - len(r))][:width] for r in rows]
    labels = 2 if grouped else 1  # the row label columns (group, then the first column)
    units = [{u for r in rows if (u := _unit_of(r[j]))} for j in range(width)]
    mixed = [j for j in range(width) if len(units[j]) > 1]
    names = []
    for j, name in enumerate(columns):
        name = _inert(str(name).strip()) or f"Column {j + 1}"
        if len(units[j]) == 1 and j not in mixed:
            name = _heading(name, next(iter(units[j])))
        names.append(name)
    data: list[list[object]] = []
    formats: dict[tuple[int, int], str] = {}
    used: set[str] = set()
    row_units: list[str] = []
    for i, row in enumerate(rows):
        out: list[object] = []
        for j, cell in enumerate(row):
            value, fmt = _sheet_cell(cell)
            if value in SHORTHAND_ORDER:
                used.add(str(value))
            out.append(value)
            if fmt:
                formats[(i, j)] = fmt
        data.append(out)
        row_units.append(_row_unit([u for j in mixed if (u := _unit_of(row[j]))]))
    names = _unique(names)
    frame = pd.DataFrame(data, columns=names, dtype=object)
    if mixed:  # rows of different measures: each row's unit in a column after the row's label
        frame.insert(labels, UNIT_COLUMN, row_units)
        formats = {(i, j + (j >= labels)): f for (i, j), f in formats.items()}
    return TidyTable(frame, formats, grouped, used, labels)


def _row_unit(units: list[str]) -> str:
    """A row's unit in words for the Unit column: "number", "percentage", "percentage (changes in
    percentage points)"; ``[z]`` for a row with no figure in the columns of several units."""
    found = list(dict.fromkeys(units))
    if "percent" in found and "points" in found:
        found.remove("points")
        rest = "; ".join(UNIT_WORDS.get(u, u) for u in found)
        return f"{rest} (changes in percentage points)"
    return "; ".join(UNIT_WORDS.get(u, u) for u in found) or SHORTHAND[Status.NOT_APPLICABLE]


def _sheet_cell(cell: object) -> tuple[object, str | None]:
    """One cell's value and number format (None: Excel's General): a Figure's published value or
    shorthand (``figure_cell``); words as they are, made inert."""
    if isinstance(cell, Figure):
        return figure_cell(cell)
    text = _inert(str(cell).strip())
    if not _WORD.search(text):  # nothing, or symbols alone ("-", "—"): no figure and no words
        return NOT_AVAILABLE, None
    return text, None


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


# --- the workbook -------------------------------------------------------------------------------------


def sheets_in_order(blocks: list[Block], numbered: list[Numbered]) -> list[tuple[Block, Numbered | None]]:
    """Each numbered table and figure of the documents with its block (by id), in the documents' order;
    then the blocks no document shows, unnumbered. A numbered table of the document's own words carries
    its block (``Numbered.words``); a chart with no data has none and no sheet."""
    by_id = {b.id: b for b in blocks}
    out: list[tuple[Block, Numbered | None]] = []
    for item in numbered:
        block = by_id.pop(item.block, None) or item.words
        if block is not None:
            out.append((block, item))
    out += [(b, None) for b in blocks if b.id in by_id]
    return out


@dataclass
class Sheet:
    """One table of a workbook: its block, the sheet's name ("Table 3", made valid and unique when
    written) and the table's title and subtitles."""

    name: str
    block: Block
    title: str
    subtitles: list[str] = field(default_factory=list)


@dataclass
class WorkbookText:
    """What a workbook says around its tables: the cover (title, introduction, contact), each table's
    source line, and the notes its tables cite (``own``: where the figures come from; ``published``:
    England's and the neighbours'). ``rule`` is the small-number rule its [c] stands for; ``meaning``
    the shorthand's meanings where this workbook's words differ from ``SHORTHAND_MEANING``."""

    title: str
    intro: list[str]
    source: str
    contact: str
    rule: Rule
    own: str
    published: str
    about: list[str] = field(default_factory=lambda: _about())
    meaning: dict[str, str] = field(default_factory=dict)


def build_workbook(
    path: Path,
    sections: list[Section],
    blocks: list[Block],
    numbered: list[Numbered],
    config: Config,
    period: Period,
    *,
    contact: str | None = None,
    published: date | str | None = None,
) -> Path:
    """Write the report's download to ``path``: Cover, Contents and Notes sheets, then one sheet per table.

    ``blocks`` are every section's (``cpkit.publish.read.report_blocks``, read once per run); a block of a
    section not among ``sections`` has no sheet. ``published`` is the report's date as its cover gives it
    (``cover.yaml``'s date, a date or the words the council wrote); without one, today's date, the day the
    report was made."""
    titles = {s.name: s.title for s in sections}
    by_section: dict[str, list[Block]] = {}
    for b in blocks:
        # a book of tables: the figures a section's sentences print travel in text blocks, for the audit
        # (``cpkit.publish.text``); the sentences are the report's, not sheets of their own
        if b.kind != "text":
            by_section.setdefault(b.section, []).append(b)
    ordered = [b for s in sections for b in by_section.get(s.name, [])]
    sheets: list[Sheet] = []
    unnumbered = 0
    for block, item in sheets_in_order(ordered, numbered):
        if item is None:
            unnumbered += 1
        caption = item.caption if item else block.caption
        if item and item.kind == "Figure":
            caption = f"{caption} (the data behind the chart)"
        section = block.section or (item.section if item else "")
        subtitles = [f"Section: {titles.get(section, section)}"] if section in titles else []
        subtitles += [f"Note: {n}" for n in block.notes if n.strip()]
        sheets.append(
            Sheet(
                item.label if item else f"Data {unnumbered}",
                block,
                f"{item.label}: {caption}" if item else f"{caption} (not shown in the report)",
                subtitles,
            )
        )
    text = WorkbookText(
        title=f"{config.la_name}: Corporate Parenting annual report {period.label}: data tables",
        intro=_cover_intro(config, period, published or date.today()),
        source=f"Source: {config.la_name}, {period.long_label}.",
        contact=contact or "The council's performance and intelligence team.",
        rule=Rule.of(config),
        own="The council's own figures are worked out from its SSDA903 returns (DfE definitions), its "
        "action plan tracker and its local KPI file.",
        published="England, statistical neighbour and quartile figures are the DfE's published statistics "
        "(Children looked after in England including adoptions); the neighbours' figure is the "
        "unweighted average of the neighbours' published values, with the number averaged beside it.",
    )
    return write_tables(path, sheets, text)


def write_tables(path: Path, sheets: list[Sheet], text: WorkbookText) -> Path:
    """Write ``sheets`` to ``path`` to the Analysis Function's standard with ``gptables``: Cover, Contents
    and Notes, then one table per sheet (``tidy``: typed figures as numbers, GSS shorthand in place of
    the rest). The one workbook writer: the council's report (``build_workbook``) and the regional
    comparison (``cpkit.region.compare``) both write theirs with it."""
    import gptables as gpt

    tables: dict[str, object] = {}
    taken = {COVER.lower(), CONTENTS.lower(), NOTES.lower()}
    used: set[str] = set()
    for sheet in sheets:
        tidied = tidy(sheet.block)
        if tidied.frame.empty or not len(tidied.frame.columns):
            continue
        name = _sheet_name(sheet.name, taken)
        used |= tidied.shorthand
        notes = [NOTE_OWN]
        if CONFIDENTIAL in tidied.shorthand:
            notes.append(NOTE_SMALL)
        if tidied.shorthand - {CONFIDENTIAL}:
            notes.append(NOTE_SHORTHAND)
        if any(re.search(r"england|neighbour|quartile", c, re.IGNORECASE) for c in tidied.frame.columns):
            notes.append(NOTE_PUBLISHED)
        tables[name] = gpt.GPTable(
            table=tidied.frame,
            table_name=re.sub(r"\W", "_", name).lower(),
            title=_no_refs(sheet.title) + "".join(f" $${n}$$" for n in notes),
            subtitles=[_no_refs(t) for t in sheet.subtitles],
            instructions="This worksheet contains one table. Shorthand in cells is explained on the Cover sheet.",
            source=_no_refs(text.source),
            index_columns={1: 0, 2: 1} if tidied.group_column else {2: 0},
            additional_formatting=[
                {"cell": {"cells": (i + 1, j), "format": {"num_format": fmt}}}
                for (i, j), fmt in tidied.formats.items()
            ],
        )
    rule = text.rule
    cover = gpt.Cover(
        title=_no_refs(text.title),
        intro=[_no_refs(line) for line in text.intro],
        about=[
            small_number_note(rule),
            *(["Shorthand used in cells:", *shorthand(rule, used, text.meaning)] if used else []),
            *text.about,
        ],
        contact=[_no_refs(text.contact)],
    )
    others = shorthand(rule, used - {CONFIDENTIAL}, text.meaning) or shorthand(
        rule, {NOT_AVAILABLE}, text.meaning
    )
    notes_table = pd.DataFrame(
        {
            "Note number": [NOTE_OWN, NOTE_SMALL, NOTE_SHORTHAND, NOTE_PUBLISHED],
            "Note text": [
                text.own,
                small_number_note(rule),
                "Shorthand in place of a figure: " + " ".join(others),
                text.published,
            ],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gptables: advice on empty cells and pandas deprecations
        gpt.write_workbook(
            filename=str(path),
            sheets=tables,
            cover=cover,
            # a run whose sections published no table (one section whose input was refused) still gets
            # its workbook, without a contents sheet, which gptables cannot build for no sheets
            contentsheet_label=CONTENTS if tables else None,
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


def _cover_intro(config: Config, period: Period, published: date | str) -> list[str]:
    lines = [
        "The data behind every chart and table of the council's Corporate Parenting annual report, one "
        "table per sheet, numbered as in the report (Table 1, Figure 1) and its technical annex (Table A1, "
        "Figure A1).",
        f"Period covered: {period.long_label}.",
        "Source: the council's SSDA903 returns to the Department for Education, the Corporate Parenting "
        "Board's action plan tracker and local KPIs; England and statistical neighbours from the DfE's "
        "'Children looked after in England including adoptions'.",
        f"Published: {_date_words(published)}.",
    ]
    if config.sample:
        lines.append("Synthetic sample data: these figures are made up and describe no real children.")
    return lines


def _date_words(when: date | str) -> str:
    """ "14 July 2025", as the report's cover prints a date (``cpkit.report.authored``); words as written."""
    if isinstance(when, dt.date):
        return f"{when.day} {when:%B %Y}"
    return str(when).strip().rstrip(".")


def _about() -> list[str]:
    return [
        "Each figure is stored as a number at the precision the report shows it. Percentages are stored as "
        "numbers and shown as percentages; columns marked 'percentage points' hold the difference between "
        "two percentages. A column heading names the unit of its figures; where the rows are different "
        "measures, a Unit column names each row's.",
        "Where the report shows a figure with a count in brackets, the count has a column of its own.",
        "Dates are Excel dates.",
    ]


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
