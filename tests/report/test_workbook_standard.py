"""The sample report's workbook against the Analysis Function's standard, table by table (issue 22).

Every table and chart the report numbers has its sheet; no cell holds a figure written as text (a number,
a percentage, "<5", "11 of 21", "3 months", "457 (10)", "315 to 360"); only GSS shorthand ([c], [x], [z],
[low]) stands in place of a figure, each one used explained on the cover; a column holds one unit; the
cover's publication date is the report's. And behind the workbook, every number cell of every block a
section published is a typed ``Figure`` (a writer never parses text).

``UNTYPED`` names, by block id, tables whose builders still put figures in as text (empty since every
section's tables give Figures; the writer no longer converts text, so such a table would hold its figures
as text). The test fails for a table not on the list, and for a table on it that no longer needs to be.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from cpkit.publish import Figure
from cpkit.publish.read import blocks_of
from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME
from cpkit.report.workbook import GROUP_COLUMN, UNIT_COLUMN, WORKBOOK_NAME

# A text cell that is a figure: a number or percentage (signed, with separators), the council's symbol,
# "11 of 21", "3 months", "+1.7 points", "457 (10)", "315 to 360", "92.9% (2024-25)"
_FIGURE_TEXT = re.compile(
    r"""^(?:
        [+\-−]?\d[\d,]*(?:\.\d+)?%?                                  # 12, 1,234, -2.5, 45%
      | [<>≤≥]\s?\d+                                               # <5
      | \d[\d,]*(?:\.\d+)?%?\ of\ \d[\d,]*.*                        # 11 of 21
      | [+\-−]?\d[\d,]*(?:\.\d+)?\ (?:days?|weeks?|months?|years?|points?|percentage\ points|miles|km)
      | [+\-−]?\d[\d,]*(?:\.\d+)?%?\ \(.*\)                          # 457 (10), 92.9% (2024-25)
      | \d[\d,]*(?:\.\d+)?%?\ to\ \d[\d,]*(?:\.\d+)?%?               # 315 to 360
    )$""",
    re.VERBOSE,
)
_SHORTHAND = re.compile(r"^\[[a-z]+\]$")
GSS = {"[c]", "[x]", "[z]", "[low]"}
_WORDS_COLUMN = re.compile(r"^(ref|reference|code|la code|urn)\b", re.IGNORECASE)  # "5.10" is a name

# Tables whose builders still write figures as text, by block id. Take a table off as soon as its builder
# gives Figures.
UNTYPED: set[str] = set()


def reads_as_figure(text: str) -> bool:
    return bool(_FIGURE_TEXT.match(text.strip()))


@pytest.mark.parametrize(
    "text, figure",
    [
        ("1,234", True),
        ("45%", True),
        ("-2.5", True),
        ("<5", True),
        ("11 of 21", True),
        ("3 months", True),
        ("+1.7 points", True),
        ("457 (10)", True),
        ("315 to 360", True),
        ("Under 1", False),
        ("2024-25", False),
        ("Aged 17 to 18", False),
        ("1 to 4", True),  # an age band reads as a range: the test leaves row labels alone
        ("Q3 2024/25", False),
        ("[c]", False),
    ],
)
def test_what_reads_as_a_figure(text: str, figure: bool) -> None:
    assert reads_as_figure(text) is figure


def _numbered(report: Path) -> dict[str, str]:
    """Sheet name ("Table 3", "Figure A2") -> the block id the document numbered as it ("" for none)."""
    found = {}
    for name in (DOCUMENT_NAME, ANNEX_NAME):
        path = report / name
        if not path.exists():
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(["table", "figure"]):
            caption = element.find("caption" if element.name == "table" else "figcaption")
            if caption is None:
                continue
            label = caption.get_text().split(":", 1)[0].strip()
            if not re.fullmatch(r"(Table|Figure) A?\d+", label):
                continue
            owner = element.find_parent(attrs={"data-section": True})
            section = str(owner["data-section"]) if owner is not None else ""
            block = element.get("data-block")
            found[label] = f"{section}/{block}" if block else ""
    return found


def _table(ws) -> list[list[object]]:
    (table,) = ws.tables.values()
    return [[c.value for c in row] for row in ws[table.ref]]


def _report_date(report: Path) -> str:
    soup = BeautifulSoup((report / DOCUMENT_NAME).read_text(encoding="utf-8"), "html.parser")
    for dt in soup.select(".cp-cover-details dt"):
        if dt.get_text(strip=True) == "Date":
            return dt.find_next_sibling("dd").get_text(strip=True)
    raise AssertionError("the report's cover gives no date")


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_every_table_of_the_sample_workbook_meets_the_standard(sample_report: Path) -> None:
    report = sample_report
    wb = load_workbook(report / WORKBOOK_NAME)
    cover = " ".join(str(v) for row in wb["Cover"].iter_rows(values_only=True) for v in row if v)
    numbered = _numbered(report)
    sheets = wb.sheetnames[3:]
    # every table and chart the report and its annex number has its sheet, under the same number
    missing = sorted(set(numbered) - set(sheets))
    assert not missing, f"tables and figures of the report with no sheet: {missing}"
    # the publication date is the report's
    assert f"Published: {_report_date(report)}." in cover
    failing: dict[str, list[str]] = {}
    used: set[str] = set()
    for name in sheets:
        rows = _table(wb[name])
        head, body = [str(h) for h in rows[0]], rows[1:]
        problems = []
        labels = 2 if head[0] == GROUP_COLUMN else 1  # the row labels ("1 to 4" is an age band)
        for j, heading in enumerate(head):
            if j < labels or _WORDS_COLUMN.match(heading) or heading == UNIT_COLUMN:
                continue
            for row in body:
                value = row[j]
                if not isinstance(value, str):
                    continue
                if _SHORTHAND.match(value.strip()):
                    used.add(value.strip())
                    if value.strip() not in GSS:
                        problems.append(f"{heading}: shorthand {value!r} is not GSS")
                elif reads_as_figure(value):
                    problems.append(f"{heading}: figure written as text {value!r}")
        problems += _units(wb[name], head, len(body))
        if problems:
            failing[numbered.get(name) or name] = problems
    for shorthand in used:
        assert f"{shorthand}: " in cover, f"{shorthand} is used but the cover does not explain it"
    # behind the workbook: every number cell of every block is a Figure
    for notebook in sorted((report.parent / "_analyst" / report.name).glob("*.ipynb")):
        for block in blocks_of(notebook):
            for row in block.rows:
                for heading, cell in list(zip(block.columns, row, strict=False))[1:]:  # after the row label
                    if _WORDS_COLUMN.match(heading) or isinstance(cell, Figure):
                        continue
                    if reads_as_figure(cell):
                        failing.setdefault(block.id, []).append(f"{heading}: text {cell!r} in the block")
    unexpected = {k: v[:3] for k, v in failing.items() if k not in UNTYPED}
    assert not unexpected, f"tables that break the standard: {unexpected}"
    fixed = sorted(UNTYPED - set(failing))
    assert not fixed, f"take these off UNTYPED, they meet the standard now: {fixed}"


def _units(ws, head: list[str], n: int) -> list[str]:
    """A column whose numbers are partly percentages and partly not holds two units (unless a Unit
    column says each row's); a column of percentages says so in its heading."""
    (table,) = ws.tables.values()
    top = int(re.sub(r"\D", "", table.ref.split(":")[0]))
    first = ord(re.sub(r"\d", "", table.ref.split(":")[0])) - 64
    out = []
    for j, heading in enumerate(head):
        kinds = set()
        for i in range(n):
            cell = ws.cell(top + 1 + i, first + j)
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                kinds.add("%" in (cell.number_format or ""))
        if len(kinds) > 1 and UNIT_COLUMN not in head:
            out.append(f"{heading}: percentages and other numbers in one column")
        if (
            kinds == {True}
            and UNIT_COLUMN not in head
            and not re.search(r"%|percent", heading, re.IGNORECASE)
        ):
            out.append(f"{heading}: percentages under a heading that does not say so")
    return out
