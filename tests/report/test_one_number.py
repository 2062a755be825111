"""One number per measure: on the built sample report, a measure that appears in more than one place
(executive summary, the care sections' tables, the scorecard, the Excel download) shows the same figure
everywhere, or, where the DfE's published figure is given too, each is labelled with its source.

The places are read from what a reader sees: the single document's tables and summary sentences, and the
workbook's sheets; each row or sentence is tied to its measure by the label the section prints for it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from cpkit.care.indicators import load_measures
from cpkit.report.document import DOCUMENT_NAME
from cpkit.report.workbook import GROUP_COLUMN, NOT_AVAILABLE, WORKBOOK_NAME
from cpkit.sections import care_leavers, health, placements

YEAR = "2024-25"
PUBLISHED = re.compile(r"^from the council's return: (?P<own>[^;]+); published by the DfE: (?P<pub>[^;]+)$")


def as_stored(text: str) -> object:
    """A figure printed in the document as the workbook stores it: "1,234" 1234, "45%" 0.45, "12.5" 12.5;
    a hidden one ("<5" on the page) [c], the workbook's GSS shorthand; other text as it is."""
    value = text.strip()
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})*(\.\d+)?", value):
        number = float(value.replace(",", ""))
        return number if "." in value else int(number)
    if m := re.fullmatch(r"[+-]?(\d+)(?:\.(\d+))?%", value):
        return round(float(value[:-1]) / 100, len(m.group(2) or "") + 2)
    if value.startswith("<"):
        return "[c]"
    return text


def row_labels() -> dict[str, str]:
    """The label each table prints for a measure -> the measure id (scorecard rows use the registry label)."""
    labels = {m.label: m.indicator for m in load_measures().itertuples(index=False)}
    labels.update({label: key for key, label in {**health.CHECKS, **health.SDQ}.items()})
    labels.update({label: key for key, label in placements.STABILITY_LABELS.items()})
    for ages in ("17_18", "19_21"):
        words = ages.replace("_", " to ")
        for key, label in care_leavers.MEASURES.items():
            labels[f"{label}, aged {words}"] = f"leavers_{key}_{ages}_pct"
    return labels


def sentence_labels() -> dict[str, str]:
    """How the executive summary names a measure at the start of a line: its label without "(%)"."""
    return {m.label.removesuffix(" (%)"): m.indicator for m in load_measures().itertuples(index=False)}


def _table_rows(table) -> tuple[list[str], list[list[str]]]:
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    return rows[0], rows[1:]


def document_figures(report: Path) -> dict[str, list[tuple[str, str]]]:
    """measure -> [(where, the council's figure as printed)] from the document's tables and summary."""
    soup = BeautifulSoup((report / DOCUMENT_NAME).read_text(encoding="utf-8"), "html.parser")
    labels, names = row_labels(), sentence_labels()
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for table in soup.find_all("table"):
        head, rows = _table_rows(table)
        if YEAR not in head:
            continue
        col = head.index(YEAR)
        caption = table.caption.get_text(" ", strip=True) if table.caption else "?"
        for row in rows:
            if row and row[0] in labels and row[col]:
                found[labels[row[0]]].append((f"table {caption}", row[col]))
    for item in soup.find_all("li"):
        text = item.get_text(" ", strip=True)
        for name, key in names.items():
            if not text.startswith(f"{name}: "):
                continue
            first = text[len(name) + 2 :]
            if first.startswith("worse than England and statistical neighbours ("):
                value = first.split("(", 1)[1].split(";")[0]
            else:
                parts = first.split("; ")
                labelled = PUBLISHED.match("; ".join(parts[:2]))
                if labelled:  # both figures, each with its source: the council's is the one to compare
                    value = labelled["own"]
                else:
                    value = parts[0]
                    assert "published" not in value, f"unlabelled published figure in the summary: {text}"
            found[key].append((f"summary: {text[:60]}", value.rstrip(".")))
    return found


def workbook_figures(report: Path) -> dict[str, list[tuple[str, object]]]:
    """measure -> [(sheet, value as Excel holds it)] from the workbook's data sheets (each one Excel table;
    the scorecard's theme is a first "Group" column, so the label is the first other column)."""
    wb = load_workbook(report / WORKBOOK_NAME)
    labels = row_labels()
    found: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for ws in wb.worksheets[3:]:  # after Cover, Contents and Notes
        if len(ws.tables) != 1:
            continue
        (table,) = ws.tables.values()
        rows = [[c.value for c in row] for row in ws[table.ref]]
        # the year's column: "2024-25", or with its unit ("2024-25 (%)") where the column holds one unit
        cols = [
            j for j, h in enumerate(rows[0] if rows else []) if h == YEAR or str(h).startswith(f"{YEAR} (")
        ]
        if not cols:
            continue
        col = cols[0]
        first = 1 if rows[0][0] == GROUP_COLUMN else 0
        for row in rows[1:]:
            if row and row[first] in labels and row[col] not in (None, "", NOT_AVAILABLE):
                found[labels[row[first]]].append((f"sheet {ws.title}", row[col]))
    return found


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_a_measure_shown_twice_shows_one_number_or_labelled_numbers(sample_report):
    doc = document_figures(sample_report)
    book = workbook_figures(sample_report)
    repeated = 0
    for key in sorted(set(doc) | set(book)):
        places = [(w, as_stored(v)) for w, v in doc.get(key, [])] + book.get(key, [])
        if len(places) < 2:
            continue
        repeated += 1
        values = {v for _, v in places}
        assert len(values) == 1, f"{key} is shown as {len(values)} different numbers: {places}"
    # The test is only worth something if it saw measures repeated across the document and the workbook.
    assert repeated >= 10
    # The executive summary's figures are among those compared (its sentences were read).
    assert any(w.startswith("summary") for places in doc.values() for w, _ in places)
