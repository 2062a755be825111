"""The single shareable document, ``annual-report.html``.

First on two small section pages rendered with the real template (every rule in one place), then on the
sample report with every section notebook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cpkit.config import Config, Period
from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME, build_document
from cpkit.report.render import page_from_html
from cpkit.report.runner import ReportRequest, build_report
from cpkit.report.sections import Section, discover, reading_order
from cpkit.report.site import page_meta
from cpkit.report.workbook import WORKBOOK_NAME

PERIOD = Period.from_year(2025)
SIZE_BUDGET = 2 * 1024 * 1024  # bytes: an email attachment most mail systems accept
PNG = "data:image/png;base64,iVBORw0KGgo="
EXTERNAL = re.compile(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", re.IGNORECASE)


def heading_levels(soup: BeautifulSoup) -> list[int]:
    return [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def assert_headings_in_order(levels: list[int], where: str) -> None:
    assert levels and levels[0] == 1, f"{where}: the first heading must be the page's <h1>"
    assert levels.count(1) == 1, f"{where}: exactly one <h1>"
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{where}: heading level jumps from h{before} to h{after}"


def internal_links_resolve(soup: BeautifulSoup) -> list[str]:
    ids = {str(t["id"]) for t in soup.find_all(id=True)}
    return [
        str(a["href"])
        for a in soup.find_all("a", href=True)
        if str(a["href"]).startswith("#") and str(a["href"])[1:] not in ids
    ]


def _page(section: Section, fragments: list[str], config: Config) -> str:
    return page_from_html(fragments, section.title, page_meta(config, PERIOD))


@pytest.fixture(scope="module")
def small_document() -> tuple[BeautifulSoup, list, str]:
    config = Config(la_name="Test Council", sample=True)
    a = Section("01_alpha", "Alpha", "First.")
    b = Section("02_beta", "Beta", "Second.")
    page_a = _page(
        a,
        [
            '<h1 id="Alpha">Alpha</h1><p>See <a href="#Same">below</a>, <a href="02_beta.html#Same">Beta</a>, '
            '<a href="index.html">contents</a> and <a href="https://www.gov.uk/x">the guidance</a>.</p>'
            '<h2 id="Same">Same heading</h2>'
            f'<figure class="cp-figure"><img src="{PNG}" alt="Children in care rose from 10 to 12 in the year" />'
            "</figure>"
            '<div class="cp-table"><table><caption>Alpha table</caption><thead><tr><th scope="col">A</th>'
            "</tr></thead><tbody><tr><td>1</td></tr></tbody></table></div>",
        ],
        config,
    )
    page_b = _page(
        b,
        [
            '<h1 id="Beta">Beta</h1><h2 id="Same">Same heading</h2>'
            f'<figure class="cp-figure" data-block="progress"><img src="{PNG}" alt="Actions by status in the year shown" />'
            "<figcaption>Progress of actions</figcaption></figure>"
            '<section class="cp-appendix" aria-labelledby="full-plan"><h2 id="full-plan">The full action plan</h2>'
            '<div class="cp-table"><table><caption>Every action</caption><thead><tr><th scope="col">Ref</th>'
            "</tr></thead><tbody><tr><td>1.1</td></tr></tbody></table></div></section>"
            '<div class="cp-table"><table data-block="beta-table"><caption>Beta table</caption><thead><tr><th scope="col">B</th>'
            "</tr></thead><tbody><tr><td>2</td></tr></tbody></table></div>",
        ],
        config,
    )
    text, numbered = build_document([(a, page_a), (b, page_b)], config, PERIOD, page_meta(config, PERIOD))
    return BeautifulSoup(text, "html.parser"), numbered, text


def test_document_has_a_cover_contents_and_every_section_in_order(small_document):
    soup, _, _ = small_document
    assert (
        soup.html["lang"] == "en"
        and soup.title.string == "Test Council: Corporate Parenting annual report 2024-25"
    )
    main = soup.find("main")
    assert main.find("h1").get_text() == "Corporate Parenting annual report 2024-25"
    cover = main.find(class_="cp-cover").get_text(" ")
    assert "Test Council" in cover and "1 April 2024 to 31 March 2025" in cover
    assert "Synthetic sample data" in soup.get_text()
    toc = [a["href"] for a in main.find("nav").find_all("a")]
    assert toc == ["#01_alpha", "#02_beta", "#appendix"]
    assert [h.get_text() for h in main.find_all("h2")] == [
        "Contents",
        "About the figures",
        "Alpha",
        "Beta",
        "Appendix",
    ]
    assert_headings_in_order(heading_levels(soup), "document")


def test_ids_are_unique_and_links_stay_inside_the_document(small_document):
    soup, _, text = small_document
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert "01_alpha-Same" in ids and "02_beta-Same" in ids
    assert internal_links_resolve(soup) == []
    hrefs = [a["href"] for a in soup.find(id="01_alpha").parent.find_all("a", href=True)]
    assert hrefs == ["#01_alpha-Same", "#02_beta-Same", "#toc-heading"]
    assert "the guidance (https://www.gov.uk/x)" in soup.get_text(), (
        "an external link keeps its address as text"
    )
    assert not EXTERNAL.search(text) and "<script" not in text.lower()
    assert "¶" not in text, "nbconvert's anchor links are dropped"


def test_figures_and_tables_are_numbered_in_reading_order_with_the_appendix_last(small_document):
    soup, numbered, _ = small_document
    assert [f.get_text() for f in soup.find_all("figcaption")] == [
        "Figure 1: Children in care rose from 10 to 12 in the year",  # no caption: made from the alt text
        "Figure 2: Progress of actions",
    ]
    assert [c.get_text() for c in soup.find_all("caption")] == [
        "Table 1: Alpha table",
        "Table 2: Beta table",
        "Table 3: Every action",
    ]
    assert [(n.label, n.section, n.source) for n in numbered] == [
        ("Figure 1", "01_alpha", "Children in care rose from 10 to 12 in the year"),
        ("Table 1", "01_alpha", "Alpha table"),
        ("Figure 2", "02_beta", "Progress of actions"),
        ("Table 2", "02_beta", "Beta table"),
        ("Table 3", "02_beta", "Every action"),
    ]


def test_each_numbered_item_names_its_block_and_a_table_without_one_is_words(small_document):
    """The workbook pairs "Table 2" with its data by the block id the section wrote on the table, not by
    caption (tables 2 and 26 were lost when captions did not match); a table no section published (the
    Board's own words) is carried as a block of words."""
    _, numbered, _ = small_document
    assert [n.block for n in numbered] == [
        "",  # a chart drawn without data
        "01_alpha/alpha-table",
        "02_beta/progress",
        "02_beta/beta-table",
        "02_beta/every-action",
    ]
    alpha = numbered[1].words
    assert (alpha.columns, alpha.rows, alpha.caption) == (["A"], [["1"]], "Alpha table")
    assert numbered[3].words is None  # the section's own block carries its figures


def test_the_appendix_moves_after_the_last_section_and_is_linked_from_where_it_was(small_document):
    soup, _, _ = small_document
    appendix = soup.find(id="appendix").parent
    assert appendix is soup.find("main").find_all("section", recursive=False)[-1]
    moved = appendix.find(class_="cp-appendix")
    assert moved.find("h3").get_text() == "The full action plan"
    beta = soup.find(id="02_beta").parent
    assert beta.find(class_="cp-appendix") is None
    pointer = beta.find("a", href=f"#{moved['id']}")
    assert pointer is not None and pointer.get_text() == "The full action plan", (
        "the section says where its appendix went"
    )


# --- the sample report, with every section notebook ---------------------------------------------------


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_document_holds_every_section_and_stays_self_contained(sample_report):
    path = sample_report / DOCUMENT_NAME
    text = path.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert path.stat().st_size < SIZE_BUDGET, f"{path.stat().st_size:,} bytes is over the 2 MB budget"
    sections = [s for s in reading_order(list(discover())) if not s.annex]  # the rest: technical annex
    assert sections[0].name == "09_executive_summary", (
        "the summary opens the document, as in councils' reports"
    )
    # the Board's authored parts (ids "board-...", tests/report/test_authored.py) sit among the sections
    toc = [a["href"] for a in soup.find("nav", class_="cp-toc").find_all("a")]
    assert [h for h in toc if not h.startswith("#board-")][: len(sections)] == [
        f"#{s.name}" for s in sections
    ]
    parts = soup.find("main").find_all("section", class_="cp-doc-section", recursive=False)
    named = [p["data-section"] for p in parts if p.get("data-section")]
    assert [n for n in named if not n.startswith("board-")][: len(sections)] == [s.name for s in sections]
    assert "<script" not in text.lower() and not EXTERNAL.search(text)
    assert re.search(r"<title>[^<]+</title>", text) and soup.find("main") is not None
    assert_headings_in_order(heading_levels(soup), DOCUMENT_NAME)
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert internal_links_resolve(soup) == []
    if "Synthetic sample data" in (sample_report / "index.html").read_text(encoding="utf-8"):
        assert "Synthetic sample data" in text


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_document_numbers_every_figure_and_table_of_the_section_pages(sample_report):
    """Every figure and table of the section pages is numbered once: in the Board's report (1, 2, ...) or
    in the technical annex (A1, A2, ...)."""
    soup = _soup(sample_report / DOCUMENT_NAME)
    annex = _soup(sample_report / ANNEX_NAME)
    pages = [_soup(sample_report / f"{s.name}.html") for s in discover()]
    figures = sum(len(p.find_all("figure")) for p in pages)
    tables = sum(len(p.find_all("table")) for p in pages)
    tables += len(soup.select("section.cp-authored table"))  # the Board's own tables (year ahead, priorities)
    for kind, tag, total in (("Figure", "figcaption", figures), ("Table", "caption", tables)):
        report = [re.match(rf"{kind} (\d+): \S", c.get_text()).group(1) for c in soup.find_all(tag)]
        annexed = [re.match(rf"{kind} A(\d+): \S", c.get_text()).group(1) for c in annex.find_all(tag)]
        assert report == [str(i) for i in range(1, len(report) + 1)]
        assert annexed == [str(i) for i in range(1, len(annexed) + 1)]
        assert len(report) + len(annexed) == total, kind
    images = [img["src"] for img in soup.find_all("img")]
    assert images and all(src.startswith("data:image/") for src in images)


@pytest.mark.slow
@pytest.mark.xdist_group("small_council")
def test_each_year_gets_its_own_folder_and_a_later_build_leaves_an_earlier_one_alone(
    small_council_data, tmp_path
):
    """2024 then 2025 into one output folder: two complete, independent reports. One section is enough to
    show it (the folder handling does not depend on which sections run) and keeps the test quick; with no
    full report to rebuild, one section's report is built as ``<year>-partial`` (see the runner). It is the
    education section, among the cheapest to run: the first, children in care, took some 4 CPU-seconds
    more a run."""
    first = "04_education"
    assert first in {s.name for s in discover()}
    out = tmp_path / "reports"

    def build(year: int) -> Path:
        request = ReportRequest(
            year=year, data_dir=small_council_data, out_dir=out, sections=[first], progress=False, jobs=1
        )
        return build_report(request)

    older = build(2024)
    before = {p.name: p.read_bytes() for p in older.iterdir()}
    newer = build(2025)
    assert (older, newer) == (out / "2024-partial", out / "2025-partial")
    assert {p.name: p.read_bytes() for p in older.iterdir()} == before, (
        "building 2025 changed the 2024 report"
    )
    for year, folder in ((2024, older), (2025, newer)):
        assert {f"{first}.html", "index.html", DOCUMENT_NAME, WORKBOOK_NAME, "manifest.json"} <= {
            p.name for p in folder.iterdir()
        }
        assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["period"]["year"] == year
        label = Period.from_year(year).label
        assert f"annual report {label}" in _soup(folder / DOCUMENT_NAME).title.get_text()
    assert (out / "_analyst" / "2024" / f"{first}.ipynb").exists() and (out / "_analyst" / "2025").is_dir()
    assert sorted(p.name for p in out.iterdir()) == ["2024-partial", "2025-partial", "_analyst"], (
        "no staging folder or lock left"
    )
