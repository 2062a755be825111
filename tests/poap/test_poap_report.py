"""`cpkit poap` on the shipped sample: a real run through the report runner (papermill, nbconvert), the page
a Board member reads, axe-core in Debian's Chromium, and one A4 landscape sheet when printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cpkit.cli import main
from tests.conftest import SAMPLE_DIR
from tests.report.test_accessibility import AXE_TAGS, CHROMIUM, CHROMIUM_ARGS, _violations

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("poap")
    assert main(["poap", "--year", "2026", "--quarter", "3", "--out", str(out), "--quiet"]) == 0
    return out / "2025-26-Q3"


def test_the_quarter_is_kept_in_its_own_folder_with_its_manifest(built):
    assert sorted(p.name for p in built.iterdir()) == [
        "index.html",
        "manifest.json",
        "performance-on-a-page.docx",
        "performance-on-a-page.pdf",
    ]
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["period"] == {
        "year": 2026,
        "kind": "quarter",
        "quarter": 3,
        "start": "2025-10-01",
        "end": "2025-12-31",
    }


def test_the_page_shows_each_indicator_with_last_year_trend_and_benchmarks(built):
    soup = BeautifulSoup((built / "index.html").read_text(), "html.parser")
    table = soup.find("caption", string=re.compile("Key indicators")).find_parent("table")
    heads = [th.get_text() for th in table.thead.find_all("th")]
    assert (
        heads[:3] == ["Indicator", "Q3 2025-26", "Q3 2024-25"]
        and "England" in heads
        and "Last 8 quarters" in heads
    )
    rows = {r.th.get_text(): [td.get_text() for td in r.find_all("td")] for r in table.tbody.find_all("tr")}
    for label in (
        "Children starting care in the quarter",
        "Children in care at the quarter end",
        "Three or more placements in the 12 months to the quarter end (%)",
        "Health assessments up to date",
        "Pathway plans up to date",
        "New foster carer households approved",
        "Initial health assessments within 20 working days",
        "Children in care aged 10-17 cautioned or convicted in the quarter",
        "Care leavers aged 17-21 the council supports",
    ):
        assert label in rows
    three_plus = rows["Three or more placements in the 12 months to the quarter end (%)"]
    assert three_plus[heads.index("England") - 1].endswith("%")  # the DfE's latest England figure
    # a local KPI of a measure the DfE publishes has England's figure too (it had none on 19 of 22 rows)
    assert rows["Health assessments up to date"][heads.index("England") - 1].endswith("%")
    youth_justice = rows["Children in care aged 10-17 cautioned or convicted in the quarter"]
    assert youth_justice[heads.index("England") - 1].endswith("%")  # the DfE's convictions (OC2) figure
    sparks = table.find_all("svg", attrs={"role": "img"})
    assert sparks and all(s["aria-label"].count("Q") == 8 for s in sparks)  # eight quarters in words
    assert soup.find("h2", string="Action plan exceptions")
    assert "in-year extract of 31 December 2025" in soup.get_text()


def test_the_page_has_an_editable_word_version(built):
    from docx import Document

    doc = Document(str(built / "performance-on-a-page.docx"))
    table = next(t for t in doc.tables if t.cell(0, 0).text == "Indicator")
    labels = [row.cells[0].text for row in table.rows[1:]]
    assert "Children starting care in the quarter" in labels and "Pathway plans up to date" in labels


def test_no_child_identifier_reaches_the_page(built):
    import pandas as pd

    text = (built / "index.html").read_text()
    children = pd.read_csv(SAMPLE_DIR / "inyear" / "2025-12-31" / "header.csv", dtype=str)["CHILD"]
    assert not [c for c in children if re.search(rf"\b{re.escape(c)}\b", text)]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_axe_finds_no_violations(built, browser):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    page.goto((built / "index.html").as_uri())
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    )
    assert _violations(results.response) == []


def test_prints_on_one_a4_landscape_sheet(built, browser):
    page = browser.new_page()
    page.goto((built / "index.html").as_uri())
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    width, height = (float(v) for v in boxes[0])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points


def test_the_pdf_is_one_a4_landscape_sheet_with_every_column(built):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(built / "performance-on-a-page.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape in points
    text = reader.pages[0].extract_text()
    assert "Source" in text and "Against target" in text  # the table's last columns are on the sheet
