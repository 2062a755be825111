"""``annual-report.pdf``: A4 pages, page numbers, a running header, and every column of every table printed.

First on small hand-made documents whose layout we know (a table of 9 wide columns must go landscape, one of
20 columns must be transposed, a narrow one stays portrait), then on the sample report. The PDF's text is
read back with pypdf, so a column clipped off the page is missing from the text and the test fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytest.importorskip("pypdf")
from pypdf import PdfReader  # noqa: E402

from cpkit.report.pdf import PDF_NAME, layout, print_html, write_pdf  # noqa: E402

try:  # the layout engine needs Pango from the system; without it the report skips the PDF, and so do we
    import weasyprint  # noqa: F401

    HAVE_WEASYPRINT = True
except (ImportError, OSError):  # pragma: no cover - depends on the machine
    HAVE_WEASYPRINT = False

needs_engine = pytest.mark.skipif(not HAVE_WEASYPRINT, reason="WeasyPrint or Pango is not installed")

A4 = (595, 842)  # points, portrait; landscape is the same pair swapped


def _table(columns: list[str], rows: list[list[str]], caption: str) -> str:
    head = "".join(f'<th scope="col">{c}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
    return (
        f'<div class="cp-table"><table><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _document(*parts: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><title>Test</title></head><body><header class="cp-header">'
        '<p class="cp-masthead">Test Council · Corporate Parenting report 2024-25</p></header><main>'
        + "".join(parts)
        + "</main></body></html>"
    )


def _squash(text: str) -> str:
    """Text without whitespace: a header wrapped over two lines in the PDF still matches."""
    return re.sub(r"\s+", "", text)


def _soup_table(html: str):
    return BeautifulSoup(html, "html.parser").find("table")


# A table of 9 columns each holding 22 characters of text is 9 * (22 + 3) = 225 characters across:
# more than a portrait page holds at 9 pt (PORTRAIT_CHARS = 100), and only 9 columns -> landscape.
WIDE = _table(
    [f"Column {i}" for i in range(1, 9)] + ["LastWideColumn"],
    [["a value of 22 letters."] * 9 for _ in range(3)],
    "A wide table",
)
# 20 columns is more than a landscape page holds at any size (MAX_LANDSCAPE_COLUMNS = 16) -> transposed.
VERY_WIDE = _table(
    [f"M{i}" for i in range(1, 20)] + ["FinalMonthColumn"], [[str(i) for i in range(20)]], "Twenty columns"
)
NARROW = _table(["Age band", "Children"], [["Under 1", "12"], ["1 to 4", "30"]], "A narrow table")


def test_layout_decisions_follow_the_width_of_the_text():
    assert layout(_soup_table(NARROW)) == "portrait"
    assert layout(_soup_table(WIDE)) == "landscape"
    assert layout(_soup_table(VERY_WIDE)) == "transpose"


def test_a_transposed_table_keeps_every_cell_and_its_caption():
    soup = BeautifulSoup(print_html(_document(VERY_WIDE)), "html.parser")
    table = soup.find("table")
    assert table.find("caption").get_text() == "Twenty columns"
    # 20 columns x 2 rows become 20 rows x 2 columns: the old headers are now the row headers
    rows = table.find_all("tr")
    assert len(rows) == 20
    assert [c.get_text() for c in rows[-1].find_all(["th", "td"])] == ["FinalMonthColumn", "19"]
    assert rows[-1].find("th")["scope"] == "row"


@needs_engine
@pytest.mark.slow
def test_pdf_is_a4_numbered_with_a_running_header_and_no_column_is_lost(tmp_path: Path):
    # enough text to need a second page, so the header and "Page N of M" can be checked past the cover
    filler = "".join(f"<p>Paragraph {i} of filler text to fill the first page.</p>" for i in range(60))
    html = _document(
        '<div class="cp-cover"><h1>Cover</h1></div>',
        f'<section class="cp-doc-section"><h2>Section one</h2>{filler}{NARROW}{WIDE}{VERY_WIDE}</section>',
    )
    pdf = write_pdf(html, tmp_path / PDF_NAME)
    reader = PdfReader(str(pdf))
    sizes = [(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages]
    assert all(s in (A4, A4[::-1]) for s in sizes), sizes
    assert A4[::-1] in sizes, "the wide table must have a landscape page"
    texts = [p.extract_text() for p in reader.pages]
    n = len(texts)
    for i, text in enumerate(texts, start=1):
        assert f"Page {i} of {n}" in text
    assert all("Test Council · Corporate Parenting report 2024-25" in t for t in texts[1:])
    everything = _squash(" ".join(texts))
    assert "LastWideColumn" in everything and "FinalMonthColumn" in everything
    landscape_text = " ".join(t for t, s in zip(texts, sizes, strict=True) if s == A4[::-1])
    assert "LastWideColumn" in _squash(landscape_text)


@needs_engine
@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_pdf_has_every_column_of_every_table(sample_report: Path):
    pdf = sample_report / PDF_NAME
    assert pdf.exists(), "make report must write annual-report.pdf"
    reader = PdfReader(str(pdf))
    sizes = {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages}
    assert sizes <= {A4, A4[::-1]}, f"pages not A4: {sizes}"
    texts = [p.extract_text() for p in reader.pages]
    assert all(f"Page {i} of {len(texts)}" in t for i, t in enumerate(texts, start=1))
    everything = _squash(" ".join(texts))
    soup = BeautifulSoup((sample_report / "annual-report.html").read_text(encoding="utf-8"), "html.parser")
    tables = [t for t in soup.find_all("table") if t.find("thead")]
    widest = max(tables, key=lambda t: len(t.find("thead").find_all("th")))
    last = widest.find("thead").find_all("th")[-1].get_text()
    assert _squash(last) in everything, f"the widest table's last column {last!r} is not in the PDF"
    missing = []
    for table in tables:
        headers = table.find("thead").find_all("th")
        caption = table.find("caption").get_text()
        if _squash(headers[-1].get_text()) not in everything:
            missing.append(f"{caption}: {headers[-1].get_text()}")
        body = table.find("tbody").find_all("tr")
        if body:
            cells = body[-1].find_all(["th", "td"])
            if cells and cells[-1].get_text(strip=True) and _squash(cells[-1].get_text()) not in everything:
                missing.append(f"{caption}: last cell {cells[-1].get_text()!r}")
    assert not missing, "columns lost in the PDF:\n" + "\n".join(missing)


# Five columns of long text made of short words (35 characters, no word over 8) and two short ones:
# counted at 25 characters a text column it is 5 * 25 + 3 + 3 + 7 * 3 padding = 152 characters across
# (landscape); wrapping the text at 15 it is 5 * 15 + 6 + 21 = 102, within the 112 a portrait page holds
# at 8 pt -> compact. Nine columns of 22-letter values (WIDE) stay landscape: 9 * (15 + 3) = 162 even tight.
LONG_TEXT = _table(
    ["Ref", "Due", "Action", "Lead", "Status", "Update", "Risk"],
    [["1.1", "2025", *["a sentence of many short words here"] * 5]],
    "Delayed actions",
)


def test_a_table_wide_only_for_long_text_stays_portrait_in_smaller_type():
    assert layout(_soup_table(LONG_TEXT)) == "compact"
    assert layout(_soup_table(WIDE)) == "landscape"
    html = print_html(_document(LONG_TEXT))
    holder = BeautifulSoup(html, "html.parser").find("div", class_="cp-table")
    assert "cp-compact" in holder["class"] and "cp-landscape" not in holder["class"]


def test_a_section_that_turns_landscape_stays_so_with_a_short_part_after_it():
    section = '<section class="cp-doc-section" data-section="{0}"><h2 id="{0}">{0}</h2>{1}</section>'
    html = print_html(
        _document(
            section.format(
                "scorecard", f"<p>Read across each row.</p>{WIDE}<figure><img alt='x' /></figure>"
            ),
            section.format("contact", "<p>Ask the Corporate Parenting Team.</p>"),
            section.format("health", f"<p>Checks.</p>{_table(['A'], [['1']], 'Narrow')}"),
        )
    )
    soup = BeautifulSoup(html, "html.parser")
    runs = {s["data-section"] for s in soup.find_all("section") if "cp-landscape-run" in s.get("class", [])}
    # the scorecard from its heading (nothing but text before its wide table) and the contact after it;
    # the next section with a table of its own starts its own (portrait) pages
    assert runs == {"scorecard", "contact"}


def _png(image) -> str:  # noqa: ANN001 - a Pillow image
    import base64
    import io

    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


@needs_engine
def test_a_chart_is_printed_with_its_own_pixels_and_alt_text(tmp_path: Path):
    """The charts (256-colour PNGs) reach WeasyPrint as RGB pixels by their own address
    (``_charts_as_rgb``): the PDF's picture is the chart's pixels exactly, its description is still the
    PDF's alternative text, and a picture with a transparent part keeps its mask."""
    from PIL import Image

    # three stripes of known colours, reduced to a palette as the charts are; a palette of 3 loses no
    # colour, so the PDF's pixels must be these exactly
    chart = Image.new("RGB", (60, 30), (255, 255, 255))
    for x in range(60):
        for y in range(30):
            chart.putpixel((x, y), [(29, 112, 184), (244, 119, 56), (255, 255, 255)][x // 20])
    palette = chart.quantize(colors=3)
    assert palette.mode == "P"
    see_through = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    see_through.putpixel((5, 5), (212, 53, 28, 255))
    html = _document(
        f'<figure class="cp-figure"><img src="{_png(palette)}" alt="Three stripes: blue, orange, white"/>'
        "<figcaption>Figure 1: stripes</figcaption></figure>",
        f'<figure class="cp-figure"><img src="{_png(see_through)}" alt="A red dot"/></figure>',
    )
    reader = PdfReader(str(write_pdf(html, tmp_path / PDF_NAME)))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2
    stripes = images[0].image.convert("RGB")
    assert stripes.size == (60, 30)
    assert stripes.tobytes() == palette.convert("RGB").tobytes()
    dot = [x.get_object() for page in reader.pages for x in page["/Resources"]["/XObject"].values()]
    assert sum("/SMask" in x for x in dot) == 1  # the transparent picture's mask, as before
    assert {"Three stripes: blue, orange, white", "A red dot"} <= _alt_texts(
        reader.trailer["/Root"]["/StructTreeRoot"]
    )


def _alt_texts(element) -> set[str]:  # noqa: ANN001 - a node of the PDF's structure tree
    """Every alternative text in the tagged PDF's structure tree under ``element``."""
    element = element.get_object()
    found = set()
    if hasattr(element, "get"):
        if "/Alt" in element:
            found.add(str(element["/Alt"]))
        kids = element.get("/K", [])
    else:
        kids = element
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid.get_object(), "get") or isinstance(kid.get_object(), list):
            found |= _alt_texts(kid)
    return found
