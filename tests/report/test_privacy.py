"""Nothing the report publishes identifies a child.

Every HTML page, the single document, the Excel download (every cell of every sheet) and manifest.json
are scanned for the identifiers in the input SSDA903 files: CHILD ids, UPNs, dates of birth (the child's
and, for mothers, their child's) and postcodes (home and placement). Both the sample council and a small
council cut out of it (about thirty children, where small numbers are everywhere) are checked.

How the scan avoids false alarms, so that it can be strict everywhere else:
- Images (``data:`` URIs) are removed first: base64 text is full of short letter-digit runs.
- Ids, UPNs and postcodes written without a space are matched as whole letter-digit tokens, never inside
  a longer one. CHILD ids shorter than 5 characters are not searched for: they could be any ordinary
  figure in a table. The sample's ids are 7 and 8 digits, so none is skipped there (asserted below).
- Dates are found in the forms 01/02/2010, 2010-02-01, "1 February 2010" and "1 Feb 2010", then compared
  as dates. Dates the report shows for other reasons are not counted as a date of birth: the first and
  last day of every month (period boundaries such as "31 March 2024"), today (the manifest's build time)
  and any date in the non-SSDA903 inputs (the action plan's due and update dates, the KPI file, the
  benchmarks). A child born on such a day is not looked for.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from cpkit.config import Config, find_config
from cpkit.report.document import DOCUMENT_NAME
from cpkit.report.docx import DOCX_NAME
from cpkit.report.pdf import PDF_NAME
from cpkit.report.runner import SAMPLE_DIR
from cpkit.report.sections import discover
from cpkit.report.workbook import WORKBOOK_NAME

from .conftest import report_pages

MIN_ID_LENGTH = 5
DATE_COLUMNS = ("DOB", "MC_DOB")
POSTCODE_COLUMNS = ("HOME_POST", "PL_POST")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_DATA_URI = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_POSTCODE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s+(\d[A-Za-z]{2})(?![A-Za-z0-9])")
_DMY = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})(?!\d)")


@dataclass
class Identifiers:
    """What identifies a child in the input files, normalised for matching."""

    tokens: set[str] = field(default_factory=set)  # CHILD ids, UPNs, postcodes without the space (upper case)
    postcodes: set[str] = field(default_factory=set)  # "S35 9ZP"
    dobs: set[date] = field(default_factory=set)
    short_ids: int = 0  # CHILD ids too short to search for


def _parse_date(day: str, month: str | int, year: str) -> date | None:
    try:
        m = month if isinstance(month, int) else _MONTHS.get(month[:3].lower())
        return date(int(year), int(m), int(day)) if m else None
    except ValueError:
        return None


def dates_in(text: str) -> set[date]:
    """Every date written in one of the forms a page or cell could use."""
    found = {_parse_date(d, int(m), y) for d, m, y in _DMY.findall(text)}
    found |= {_parse_date(d, int(m), y) for y, m, d in _ISO.findall(text)}
    found |= {_parse_date(d, m, y) for d, m, y in _WORDS.findall(text) if m[:3].lower() in _MONTHS}
    return {d for d in found if d is not None}


def identifiers(data_dir: Path) -> Identifiers:
    """The identifiers in every SSDA903 CSV of every year under ``data_dir``."""
    ids = Identifiers()
    files = sorted((data_dir / "ssda903").rglob("*.csv"))
    assert files, f"no SSDA903 files under {data_dir}"
    for file in files:
        table = pd.read_csv(file, dtype=str, keep_default_na=False)
        for value in table.get("CHILD", pd.Series(dtype=str)):
            if len(value.strip()) >= MIN_ID_LENGTH:
                ids.tokens.add(value.strip().upper())
            elif value.strip():
                ids.short_ids += 1
        ids.tokens |= {v.strip().upper() for v in table.get("UPN", pd.Series(dtype=str)) if v.strip()}
        for column in DATE_COLUMNS:
            ids.dobs |= {d for v in table.get(column, pd.Series(dtype=str)) if (d := _dmy(v))}
        for column in POSTCODE_COLUMNS:
            for value in table.get(column, pd.Series(dtype=str)):
                compact = "".join(value.split()).upper()
                if len(compact) >= 5:
                    ids.tokens.add(compact)
                    ids.postcodes.add(f"{compact[:-3]} {compact[-3:]}")
    return ids


def _dmy(value: str) -> date | None:
    match = _DMY.fullmatch(value.strip())
    return _parse_date(match[1], int(match[2]), match[3]) if match else None


def allowed_dates(data_dir: Path) -> set[date]:
    """Dates a report shows for reasons other than a child's birthday (see the module docstring)."""
    allowed = {date.today(), date.today() - timedelta(days=1)}
    for year in range(1990, date.today().year + 2):
        for month in range(1, 13):
            allowed |= {date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])}
    for path in data_dir.rglob("*"):
        if not path.is_file() or "ssda903" in path.relative_to(data_dir).parts:
            continue
        if path.suffix.lower() == ".xlsx":
            allowed |= dates_in(workbook_text(path))
        elif path.suffix.lower() in (".csv", ".txt", ".yaml", ".md"):
            allowed |= dates_in(path.read_text(encoding="utf-8", errors="replace"))
    return allowed


def workbook_text(path: Path) -> str:
    """Every cell value of every sheet, dates written as the report would write them."""
    parts = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, datetime):
                    value = value.date()
                if isinstance(value, date):
                    parts.append(f"{value.isoformat()} {value:%d/%m/%Y} {value.day} {value:%B %Y}")
                elif value is not None:
                    parts.append(str(value))
    return "\n".join(parts)


def leaks(text: str, ids: Identifiers, allowed: set[date]) -> list[str]:
    """The identifiers ``text`` contains."""
    text = _DATA_URI.sub(" ", text)
    found = sorted({t.upper() for t in _TOKEN.findall(text)} & ids.tokens)
    found += sorted({f"{a} {b}".upper() for a, b in _POSTCODE.findall(text)} & ids.postcodes)
    found += sorted(str(d) for d in (dates_in(text) & ids.dobs) - allowed)
    return found


def published(report: Path) -> dict[str, str]:
    """The text of everything in the report folder that leaves the council."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in report_pages(report)}
    texts["manifest.json"] = (report / "manifest.json").read_text(encoding="utf-8")
    texts[WORKBOOK_NAME] = workbook_text(report / WORKBOOK_NAME)
    texts[DOCX_NAME] = docx_text(report / DOCX_NAME)
    if (report / PDF_NAME).exists():  # made where the layout engine can load (tests/report/test_pdf.py)
        from pypdf import PdfReader

        texts[PDF_NAME] = "\n".join(page.extract_text() for page in PdfReader(str(report / PDF_NAME)).pages)
    return texts


def docx_text(path: Path) -> str:
    """Every paragraph, table cell and picture description of the Word document."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    parts += [shape._inline.docPr.get("descr") or "" for shape in doc.inline_shapes]
    return "\n".join(parts)


def assert_no_identifiers(report: Path, data_dir: Path) -> None:
    ids, allowed = identifiers(data_dir), allowed_dates(data_dir)
    texts = published(report)
    assert DOCUMENT_NAME in texts and len(texts) >= len(discover()) + 4
    found = {name: hits for name, text in texts.items() if (hits := leaks(text, ids, allowed))}
    assert not found, f"identifiers from the input files were published: {found}"


# --- the scan itself can fail ---------------------------------------------------------------------------


def test_the_scan_finds_each_kind_of_identifier_in_each_form():
    ids = identifiers(SAMPLE_DIR)
    assert ids.short_ids == 0, "the sample's CHILD ids are all long enough to search for"
    allowed = allowed_dates(SAMPLE_DIR)
    header = pd.read_csv(next((SAMPLE_DIR / "ssda903").glob("2025/header.csv")), dtype=str)
    episodes = pd.read_csv(next((SAMPLE_DIR / "ssda903").glob("2025/episodes.csv")), dtype=str)
    child, upn = header["CHILD"].iloc[0], header["UPN"].dropna().iloc[0]
    dob = next(d for d in map(_dmy, header["DOB"]) if d and d not in allowed)
    postcode = episodes["HOME_POST"].dropna().iloc[0]
    for text, expected in [
        (f"<td>{child}</td>", child),
        (f"pupil {upn.lower()} here", upn),
        (f"born {dob:%d/%m/%Y}.", str(dob)),
        (f"born {dob.isoformat()}", str(dob)),
        (f"born {dob.day} {dob:%B %Y}", str(dob)),
        (f"born {dob.day} {dob:%b %Y}", str(dob)),
        (f"lives at {postcode.lower()}", postcode.upper()),
        (f"lives at {postcode.replace(' ', '')}", postcode.replace(" ", "").upper()),
    ]:
        assert leaks(text, ids, allowed) == [expected], text
    clean = f"<td>{child}0</td> <td>1{child}</td> 450 children; at 31 March 2024; see image data:image/png;base64,{child}"
    assert leaks(clean, ids, allowed) == []


# --- the reports ------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_the_sample_report_publishes_no_identifiers(sample_report):
    assert_no_identifiers(sample_report, SAMPLE_DIR)


@pytest.mark.slow
@pytest.mark.xdist_group("small_council")
def test_a_small_council_report_publishes_no_identifiers(small_council, small_council_data):
    assert_no_identifiers(small_council, small_council_data)


@pytest.mark.slow
@pytest.mark.xdist_group("small_council")
def test_a_small_council_report_suppresses_small_numbers(small_council, small_council_data):
    symbol = Config.load(find_config(small_council_data)).suppression_symbol
    report = small_council
    pages = [report / f"{s.name}.html" for s in discover()] + [report / DOCUMENT_NAME]
    shown = [
        p.name
        for p in pages
        if symbol in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text()
    ]
    assert DOCUMENT_NAME in shown, f"no {symbol!r} anywhere in the report of a council with 30 children"
    # the workbook puts the GSS shorthand [c] in place of each hidden figure, never the page's symbol
    cells = [
        v
        for ws in load_workbook(report / WORKBOOK_NAME).worksheets[3:]
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    ]
    assert "[c]" in cells and symbol not in cells
