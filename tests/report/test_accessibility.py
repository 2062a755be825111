"""Every page of the sample report and the single document pass axe-core (WCAG 2.2 AA and best practice)
in headless Chromium, and meet the checks axe cannot make: real alt text, captioned tables with scoped
header cells, headings that never skip a level. The single document must also open with no network.

Chromium is Debian's (``/usr/bin/chromium``), driven by Playwright; Playwright's own browser download is
never used. Where Chromium is absent the browser tests skip and say so; the structural checks still run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cpkit.report.document import DOCUMENT_NAME
from cpkit.report.sections import discover

from .conftest import report_pages

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
NBCONVERT_PLACEHOLDER = "no description has been provided"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sample_report")]


def _pages(report: Path) -> list[Path]:
    pages = report_pages(report)
    expected = {f"{s.name}.html" for s in discover()} | {"index.html", DOCUMENT_NAME}
    assert expected <= {p.name for p in pages}, f"missing pages: {expected - {p.name for p in pages}}"
    return pages


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"accessibility tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _violations(results: dict) -> list[str]:
    lines = []
    for v in results["violations"]:
        targets = "; ".join(", ".join(map(str, n["target"])) + " " + n["html"][:160] for n in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} node(s)] {targets}")
    return lines


def test_every_page_passes_axe(sample_report, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    failures = {}
    page = browser.new_page()
    try:
        for path in _pages(sample_report):
            page.goto(path.as_uri())
            results = axe.run(
                page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
            )
            if found := _violations(results.response):
                failures[path.name] = found
    finally:
        page.close()
    assert not failures, "axe-core violations:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(lines) for name, lines in failures.items()
    )


def test_the_document_opens_with_no_network(sample_report, browser):
    """Opened as an email attachment would be: every request other than the file itself is refused, and
    none may be attempted (images are data URIs, styles inline, no script)."""
    context = browser.new_context(offline=True, java_script_enabled=False)
    requested: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto((sample_report / DOCUMENT_NAME).as_uri())
        page.wait_for_load_state("load")
        assert page.title().endswith("Corporate Parenting annual report 2024-25")
        sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
        assert sizes and all(sizes), "every chart image renders offline"
    finally:
        context.close()
    assert [u for u in requested if not u.startswith(("file:", "data:"))] == []


def test_images_tables_and_headings_meet_the_checks_axe_cannot_make(sample_report):
    problems = []
    for path in _pages(sample_report):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for img in soup.find_all("img"):
            alt = " ".join(str(img.get("alt", "")).split())
            if not alt or NBCONVERT_PLACEHOLDER in alt.lower():
                problems.append(f"{path.name}: image without real alt text ({alt!r})")
        for i, table in enumerate(soup.find_all("table"), start=1):
            if table.find("caption") is None or not table.caption.get_text(strip=True):
                problems.append(f"{path.name}: table {i} has no caption")
            headers = table.find_all("th")
            if not headers or any(not th.get("scope") for th in headers):
                problems.append(f"{path.name}: table {i} has header cells without scope (or none)")
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        if not levels or levels[0] != 1 or levels.count(1) != 1:
            problems.append(f"{path.name}: the page must start with its one <h1> (levels {levels})")
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                problems.append(f"{path.name}: heading jumps from h{before} to h{after}")
    assert not problems, "\n".join(problems)


# A4 less the print stylesheet's 15 mm margins, in CSS pixels (96 per inch): 180 mm portrait, 267 mm landscape.
A4_TEXT_PX = {"portrait": round(180 / 25.4 * 96), "landscape": round(267 / 25.4 * 96)}
TOO_WIDE = """(landscape) => {
  const out = [];
  for (const t of document.querySelectorAll('table')) {
    if (t.parentElement.closest('table') || t.closest('.cp-screen-only')) continue;
    if (!!t.closest('.cp-landscape') !== landscape) continue;
    const width = document.documentElement.clientWidth;
    const right = Math.ceil(t.getBoundingClientRect().right);
    let clipped = false;
    for (let e = t.parentElement; e; e = e.parentElement)
      if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') clipped = true;
    if (right > width || clipped)
      out.push(`${(t.querySelector('caption') || {}).innerText}: ${right}px on a ${width}px page`);
  }
  return out;
}"""


def test_the_document_printed_from_a_browser_fits_every_table_on_a4(sample_report, browser):
    """Printed from Chromium (print media, A4), no table of the single document is wider than its page or
    clipped by a scrolling box: tables marked for landscape are measured on a landscape page's width, the
    rest on a portrait page's, and the print shows the transposed copy of any table too wide for either.
    Before the print rules, seven of the sample's tables were clipped (the scorecard's Rank column, the
    monthly movements, the action plan)."""
    too_wide = []
    for orientation, width in A4_TEXT_PX.items():
        page = browser.new_page(viewport={"width": width, "height": 1100})
        try:
            page.emulate_media(media="print")
            page.goto((sample_report / DOCUMENT_NAME).as_uri())
            too_wide += page.evaluate(TOO_WIDE, orientation == "landscape")
        finally:
            page.close()
    assert not too_wide, "tables wider than A4 when printed:\n" + "\n".join(too_wide)
    # Chromium honours the named landscape pages: the printout mixes portrait and landscape A4 sheets.
    page = browser.new_page()
    try:
        page.goto((sample_report / DOCUMENT_NAME).as_uri())
        pdf = page.pdf(prefer_css_page_size=True)
    finally:
        page.close()
    from io import BytesIO

    from pypdf import PdfReader

    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(BytesIO(pdf)).pages
    }
    assert sizes == {(595, 842), (842, 595)}, sizes
