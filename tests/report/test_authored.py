"""The Board's authored sections: read from the data folder, placed in a Board report's order, inert text."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cpkit.config import Config, Period
from cpkit.errors import AuthoredError
from cpkit.report.authored import (
    PARTS,
    load_authored,
    priorities_from_tracker,
)
from cpkit.report.document import build_document
from cpkit.report.render import page_from_html
from cpkit.report.sections import Section
from cpkit.report.site import page_meta

PERIOD = Period.from_year(2025)


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    board, year = tmp_path / "board", tmp_path / "board" / "2025"
    _write(board, "background.md", "# Our duty\n\nThe seven principles.\n\n## The local offer\n\nText.\n")
    _write(board, "foreword.md", "An old foreword that this year's replaces.\n")
    _write(year, "foreword.md", "Thank you to the <script>alert(1)</script> [forum](javascript:alert(1)).\n")
    _write(board, "contact.md", "Write to us.\n")
    _write(
        year,
        "year_ahead.yaml",
        "intro: Our focus.\nrows:\n"
        "  - area: Stability\n    actions: [Stability panel, Carer support]\n    impact: Fewer moves\n"
        "  - area: Health <b>checks</b>\n    actions: Monthly tracking\n    impact: On time\n",
    )
    _write(year, "cover.yaml", "meeting: Board\ndate: 2025-07-14\nauthor: A Officer\nversion: '1.0'\n")
    return tmp_path


def test_parts_come_in_the_board_reports_order_this_years_file_first(data_dir: Path):
    authored = load_authored(data_dir, 2025)
    assert [p.key for p in authored.parts] == ["foreword", "background", "year_ahead", "contact"]
    assert [p.key for p in authored.parts] == [
        s.key for s in PARTS if s.key in {p.key for p in authored.parts}
    ]
    foreword = authored.parts[0]
    assert foreword.title == "Chair's foreword" and "old foreword" not in foreword.body
    background = authored.parts[1]
    assert background.title == "Our duty", "a file's first # heading is the part's title"
    assert "<h3>The local offer</h3>" in background.body, "its other headings sit under the part's <h2>"
    assert authored.cover == {
        "meeting": "Board",
        "date": "14 July 2025",
        "author": "A Officer",
        "version": "1.0",
    }
    assert load_authored(data_dir, 2024).parts[0].body.count("old foreword") == 1, "other years: board/"


def test_text_from_the_files_is_data_never_markup(data_dir: Path):
    authored = load_authored(data_dir, 2025)
    body = authored.parts[0].body
    assert "<script" not in body and "&lt;script&gt;" in body
    assert "javascript:" not in body
    table = BeautifulSoup(authored.parts[2].body, "html.parser")
    cells = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    assert cells == [
        ["Area of focus", "Actions to be taken", "Impact"],
        ["Stability", "Stability panelCarer support", "Fewer moves"],
        ["Health <b>checks</b>", "Monthly tracking", "On time"],
    ]
    assert [li.get_text() for li in table.find_all("li")] == ["Stability panel", "Carer support"]
    assert table.find("b") is None


def test_authored_markdown_passes_the_kits_allow_list():
    from cpkit.report.authored import markdown_html

    soup = BeautifulSoup(
        markdown_html(
            "See [the strategy](https://example.gov.uk/cp), [old site](http://example.com/x), "
            "[a page](data:text/html;base64,PHNjcmlwdD4=) and ![a picture](https://example.com/p.png)."
        ),
        "html.parser",
    )
    links = {a.get_text(): a.get("href") for a in soup.find_all("a")}
    assert links.get("the strategy") == "https://example.gov.uk/cp"  # https: stays a link
    assert soup.find("a", href="https://example.gov.uk/cp")["rel"] == ["noopener", "noreferrer"]
    assert not any(h and h.startswith(("http:", "data:")) for h in links.values())  # never fetched or run
    assert soup.find("img") is None  # nothing the page would fetch from elsewhere
    assert "old site" in soup.get_text() and "a page" in soup.get_text()  # the words stay


@pytest.mark.parametrize(
    "name, text, message",
    [
        (
            "cover.yaml",
            "meting: Board\n",
            "unknown key 'meting' (did you mean 'meeting'?); the keys it can have: author, contact, date, "
            "meeting, version",
        ),
        (
            "year_ahead.yaml",
            "rows:\n  - area: A\n    impact: B\n",
            "rows item 1 (line 2) must have area, actions and impact",
        ),
        (
            "priorities.yaml",
            "intro: Ours.\npriorities:\n  - title: A\n  - champions: [Cllr A]\n",
            "priorities item 2 (line 4): title is missing",
        ),
        # a # after a space starts a YAML note: "Board #1 meeting" would have printed as "Board"
        (
            "cover.yaml",
            "meeting: Board #1 meeting\ndate: 2025-07-14  # a note, meant\n",
            "cover.yaml, line 1: a # after a space starts a note in YAML, so '#1 meeting' would be left out",
        ),
        ("cover.yaml", "meeting: [unclosed\n", "line 2: a [ opened and never closed"),
        # a colon in a sentence: PyYAML's "mapping values are not allowed here", in plain words
        (
            "year_ahead.yaml",
            "rows:\n  - area: Health\n    actions: Agree a protocol: track it monthly\n    impact: B\n",
            "year_ahead.yaml, line 3: a colon followed by a space inside a sentence; put the whole text "
            "after the key's colon in double quotes",
        ),
    ],
)
def test_a_mistake_names_the_file_and_key(tmp_path: Path, name: str, text: str, message: str):
    _write(tmp_path / "board", name, text)
    with pytest.raises(AuthoredError) as caught:
        load_authored(tmp_path, 2025)
    assert str(tmp_path / "board" / name) in str(caught.value) and message in str(caught.value)


def test_priorities_come_from_the_trackers_champions_unless_overridden(tmp_path: Path):
    titles = {1: "Promoting success", 2: "Leaving care"}
    champions = {
        1: "Champions: Cllr A Patel, Cllr R Hughes. Leads: Principal Social Worker, Virtual School Head",
        2: "Champion: Cllr S Begum; Lead: Head of Fostering",
    }
    rows = priorities_from_tracker(titles, champions)
    assert rows == [
        {
            "number": 1,
            "title": "Promoting success",
            "champions": ["Cllr A Patel", "Cllr R Hughes"],
            "leads": ["Principal Social Worker", "Virtual School Head"],
            "supporters": [],
        },
        {
            "number": 2,
            "title": "Leaving care",
            "champions": ["Cllr S Begum"],
            "leads": ["Head of Fostering"],
            "supporters": [],
        },
    ]
    from_tracker = load_authored(tmp_path, 2025, (titles, champions))
    (part,) = from_tracker.parts
    assert "Cllr R Hughes" in part.body and "action plan tracker" in part.body
    _write(
        tmp_path / "board",
        "priorities.yaml",
        "priorities:\n  - number: 1\n    title: Our own title\n    champions: Cllr Z\n    supporters: [Forum]\n",
    )
    (part,) = load_authored(tmp_path, 2025, (titles, champions)).parts
    assert "Our own title" in part.body and "Cllr R Hughes" not in part.body and "Forum" in part.body


def _page(section: Section, body: str, config: Config) -> str:
    return page_from_html([f"<h1>{section.title}</h1>{body}"], section.title, page_meta(config, PERIOD))


def test_document_places_the_parts_around_the_data_sections(data_dir: Path):
    config = Config(la_name="Test Council")
    _write(data_dir / "board" / "2025", "coproduction.md", "Young inspectors.\n")
    sections = [
        Section("09_executive_summary", "Executive summary", "S."),
        Section("01_children_in_care", "Children in care", "C."),
        Section("06_action_plan", "The Board's action plan", "A."),
        Section("07_scorecard", "Scorecard", "K."),
    ]
    pages = [(s, _page(s, "<p>Figures.</p>", config)) for s in sections]
    text, _ = build_document(pages, config, PERIOD, page_meta(config, PERIOD), load_authored(data_dir, 2025))
    soup = BeautifulSoup(text, "html.parser")
    order = [h.get_text() for h in soup.select("section.cp-doc-section > h2")]
    assert order == [
        "Chair's foreword",
        "Executive summary",
        "Our duty",
        "Children in care",
        "The Board's action plan",
        "Co-production and the voice of children and young people",
        "The year ahead",
        "Scorecard",
        "Contact",
    ]
    toc = [a.get_text() for a in soup.select("nav.cp-toc a")]
    assert toc == order
    cover = soup.select_one(".cp-cover").get_text(" ", strip=True)
    assert "Meeting Board" in cover and "Date 14 July 2025" in cover and "Version 1.0" in cover
    # without the action plan section the parts that follow it still appear, after the last section
    text, _ = build_document(
        pages[:2], config, PERIOD, page_meta(config, PERIOD), load_authored(data_dir, 2025)
    )
    order = [h.get_text() for h in BeautifulSoup(text, "html.parser").select("section.cp-doc-section > h2")]
    assert order[-3:] == [
        "Co-production and the voice of children and young people",
        "The year ahead",
        "Contact",
    ]


@pytest.mark.slow
@pytest.mark.xdist_group("sample_report")
def test_sample_document_holds_the_authored_sections_in_order(sample_report: Path):
    soup = BeautifulSoup((sample_report / "annual-report.html").read_text(encoding="utf-8"), "html.parser")
    order = [h.get_text() for h in soup.select("section.cp-doc-section > h2")]
    assert order == [
        "Chair's foreword",
        "Executive summary",
        "Background: the council as corporate parent",
        "The Corporate Parenting Board",
        "Our priorities, their champions and leads",
        "Children in care",
        "Placements and sufficiency",
        "Health",
        "Education of children in care",
        "Care leavers",
        "The Board's action plan",
        "Co-production and the voice of children and young people",
        "Sufficiency",
        "The year ahead",
        "Risk management",
        "Scorecard",
        "Contact",
    ]  # the trends, data quality and the full action plan are the technical annex's (test_annex.py)
    priorities = soup.find(id="board-priorities").parent.get_text(" ")
    assert "Cllr A Patel" in priorities and "Virtual School Head" in priorities, "the tracker's champions"
    cover = soup.select_one(".cp-cover").get_text(" ", strip=True)
    assert "Meeting" in cover and "Report author" in cover and "Version" in cover


def _table_cells(body: str) -> list[list[str]]:
    table = BeautifulSoup(body, "html.parser").find("table")
    return [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]


def test_no_supporters_column_of_not_named_when_no_priority_names_supporters(tmp_path: Path):
    # the tracker's headings name champions and leads only: a Supporters column would read "Not named" on
    # every row, as if no one supported any priority
    titles = {4: "Health"}
    champions = {
        4: "Champions: Cllr L Grant. Leads: Head of Service, Children in Care, Head of Service, Children in Care"
    }
    (part,) = load_authored(tmp_path, 2025, (titles, champions)).parts
    assert _table_cells(part.body) == [
        ["Priority", "Champions", "Lead officers"],
        ["4. Health", "Cllr L Grant", "Head of Service, Children in Care"],  # the same lead once
    ]
    assert (
        "Not named" not in part.body
        and "priorities file would name each priority&#x27;s supporters" in part.body
    )
    assert "priorities.yaml" not in part.body, "the published report names no file"
    _write(
        tmp_path / "board",
        "priorities.yaml",
        "priorities:\n  - title: Health\n    champions: Cllr L Grant\n    supporters: [Youth Forum]\n"
        "  - title: Homes\n    leads: Head of Placements\n",
    )
    (part,) = load_authored(tmp_path, 2025, (titles, champions)).parts
    assert _table_cells(part.body) == [
        ["Priority", "Champions", "Lead officers", "Supporters"],
        ["Health", "Cllr L Grant", "Not named", "Youth Forum"],
        ["Homes", "Not named", "Head of Placements", "Not named"],
    ]
