"""Authoring the Board's own sections without a programmer: pictures embedded or refused (never dropped),
Word files read like Markdown, templates that explain themselves and are left out until written."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from cpkit.config import Period
from cpkit.errors import AuthoredError
from cpkit.report.authored import load_authored
from cpkit.report.cover_report import load_cover_report


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _photo(path: Path, size: tuple[int, int] = (40, 30), fmt: str = "JPEG", gps: bool = False) -> Path:
    """A small picture: left half red, right half blue (so it can be told apart after re-encoding)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPSInfo: a latitude
    image.save(path, fmt, exif=exif.tobytes() if gps else b"")
    return path


def _embedded(body: str) -> Image.Image:
    img = BeautifulSoup(body, "html.parser").find("img")
    data = base64.b64decode(img["src"].split(",", 1)[1])
    return Image.open(io.BytesIO(data))


def test_a_local_picture_in_markdown_is_embedded_drawn_again_without_its_metadata(tmp_path: Path):
    _photo(tmp_path / "board" / "2025" / "chair.jpg", size=(2400, 1800), gps=True)
    _write(tmp_path / "board" / "2025" / "foreword.md", "Thank you.\n\n![Cllr A Patel, chair](chair.jpg)\n")
    (part,) = load_authored(tmp_path, 2025).parts
    soup = BeautifulSoup(part.body, "html.parser")
    figure = soup.find("figure")
    assert figure is not None and figure.img["alt"] == "Cllr A Patel, chair"
    assert figure.img["src"].startswith("data:image/jpeg;base64,")
    picture = _embedded(part.body)
    assert picture.size == (1200, 900)  # 2400 x 1800 drawn at most 1200 pixels on its longer side
    assert picture.getpixel((100, 450))[0] > 200 and picture.getpixel((1100, 450))[2] > 200  # red | blue
    assert not picture.getexif(), "no camera or location metadata reaches the report"


@pytest.mark.parametrize(
    "markdown, files, words",
    [
        ("![](chair.jpg)", {"chair.jpg"}, "line 3: picture chair.jpg: no description"),
        ("![The chair](https://example.com/chair.jpg)", set(), "never fetches a picture from elsewhere"),
        ("![The chair](../../../secret.png)", {"../../../secret.png"}, "outside the data folder"),
        ("![The chair](Chair.JPG)", {"chair.jpg"}, "there is no file Chair.JPG"),
        ("![The chair](chair.jpg)", {"chair.jpg:not a picture"}, "cannot be read as a picture"),
    ],
)
def test_a_picture_that_cannot_be_used_is_refused_naming_file_and_line(tmp_path, markdown, files, words):
    data = tmp_path / "council"
    folder = data / "board" / "2025"
    for name in files:
        name, _, text = name.partition(":")
        if text:
            _write(folder / name, text)
        else:
            _photo(folder / name, fmt="PNG" if name.endswith("png") else "JPEG")
    _write(folder / "foreword.md", f"# Foreword\n\n{markdown}\n")
    with pytest.raises(AuthoredError) as caught:
        load_authored(data, 2025)
    assert str(folder / "foreword.md") in str(caught.value) and words in str(caught.value)


def test_comments_explain_and_an_unwritten_template_is_left_out(tmp_path: Path):
    _write(tmp_path / "board" / "foreword.md", "<!-- The chair's foreword: write it below. -->\n\n")
    _write(tmp_path / "board" / "risk.md", "<!-- note to self -->\nRisks are low.<!-- check -->\n")
    _write(tmp_path / "board" / "year_ahead.yaml", "# rows:\n#   - area: ...\n")
    authored = load_authored(tmp_path, 2025)
    assert [p.key for p in authored.parts] == ["risk"]
    assert authored.parts[0].body == "<p>Risks are low.</p>\n" and "note" not in authored.parts[0].body


def _word(path: Path, build) -> Path:  # noqa: ANN001
    document = docx.Document()
    build(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _alt(document, text: str) -> None:  # noqa: ANN001 - the last picture's alt text, as Word's Edit Alt Text
    from docx.oxml.ns import qn

    document.inline_shapes[-1]._inline.find(qn("wp:docPr")).set("descr", text)


def test_a_word_file_is_read_like_markdown(tmp_path: Path):
    photo = _photo(tmp_path / "chair.png", fmt="PNG")

    def build(d):  # noqa: ANN001
        d.add_heading("A word from the chair", level=1)
        p = d.add_paragraph("We are ")
        p.add_run("proud").bold = True
        p.add_run(" of our ")
        p.add_run("children").italic = True
        p.add_run(" <script>alert(1)</script>.")
        d.add_heading("This year", level=2)
        d.add_paragraph("More homes", style="List Bullet")
        d.add_paragraph("Fewer moves", style="List Bullet")
        d.add_paragraph("First step", style="List Number")
        d.add_picture(str(photo))
        _alt(d, "Cllr A Patel, chair of the Board")
        d.add_paragraph("Who attends", style="Caption")
        table = d.add_table(rows=2, cols=2)
        for cell, text in zip(table._cells, ["Member", "Role", "Cllr A Patel", "Chair"], strict=True):
            cell.text = text

    _word(tmp_path / "board" / "2025" / "foreword.docx", build)
    (part,) = load_authored(tmp_path, 2025).parts
    assert part.key == "foreword" and part.title == "A word from the chair"
    soup = BeautifulSoup(part.body, "html.parser")
    first = soup.find("p")
    assert first.get_text() == "We are proud of our children <script>alert(1)</script>."
    assert first.strong.get_text() == "proud" and first.em.get_text() == "children"
    assert soup.find("script") is None
    assert [h.get_text() for h in soup.find_all("h3")] == ["This year"]
    assert [li.get_text() for li in soup.find("ul").find_all("li")] == ["More homes", "Fewer moves"]
    assert [li.get_text() for li in soup.find("ol").find_all("li")] == ["First step"]
    assert soup.find("figure").img["alt"] == "Cllr A Patel, chair of the Board"
    assert _embedded(part.body).size == (40, 30)
    table = soup.find("table")
    assert table.caption.get_text() == "Who attends"
    assert [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")] == [
        ["Member", "Role"],
        ["Cllr A Patel", "Chair"],
    ]


def test_a_word_picture_without_alt_text_and_a_damaged_file_are_refused(tmp_path: Path):
    photo = _photo(tmp_path / "chair.png", fmt="PNG")

    def build(d):  # noqa: ANN001
        d.add_paragraph("Hello.")
        d.add_picture(str(photo))

    _word(tmp_path / "board" / "2025" / "board.docx", build)
    _write(tmp_path / "board" / "2025" / "risk.docx", "not a Word file")
    with pytest.raises(AuthoredError) as caught:
        load_authored(tmp_path, 2025)
    message = str(caught.value)
    assert "board.docx, paragraph 2: picture: no description; in Word right-click the picture" in message
    assert "risk.docx: cannot be read as a Word document" in message


def test_markdown_and_word_for_one_part_in_one_folder_is_refused(tmp_path: Path):
    _write(tmp_path / "board" / "contact.md", "Write to us.\n")
    _word(tmp_path / "board" / "contact.docx", lambda d: d.add_paragraph("Phone us."))
    with pytest.raises(AuthoredError, match="both contact.md and contact.docx hold 'Contact'; keep one"):
        load_authored(tmp_path, 2025)
    # this year's Word file over the Markdown that carries over is fine: this year's wins
    (tmp_path / "board" / "2025").mkdir()
    (tmp_path / "board" / "contact.docx").rename(tmp_path / "board" / "2025" / "contact.docx")
    (part,) = load_authored(tmp_path, 2025).parts
    assert part.body == "<p>Phone us.</p>"


def test_an_officers_photo_reaches_the_word_file_with_its_alt_text(tmp_path: Path):
    # the Word writer took only the charts' PNGs: a JPEG photo became "[Image not included: ...]"
    from cpkit.report.docx import write_docx

    _photo(tmp_path / "board" / "chair.jpg")
    _write(tmp_path / "board" / "foreword.md", "![Cllr A Patel, chair](chair.jpg)\n")
    (part,) = load_authored(tmp_path, 2025).parts
    doc = docx.Document(str(write_docx(f"<html><body>{part.body}</body></html>", tmp_path / "r.docx")))
    assert [s._inline.docPr.get("descr") for s in doc.inline_shapes] == ["Cllr A Patel, chair"]
    assert "Image not included" not in "\n".join(p.text for p in doc.paragraphs)


def _uncommented(text: str, first: str) -> str:
    """A YAML template with its example switched on: the "# " removed from ``first`` onwards."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"# {first}"))
    return "\n".join(line[2:] for line in lines[start:]) + "\n"


def test_board_init_writes_templates_that_show_nothing_until_filled_in(tmp_path: Path, capsys):
    from cpkit import cli
    from cpkit.report.input_names import name_problems

    (tmp_path / "ssda903").mkdir()
    assert cli.main(["board", "init", "--data", str(tmp_path), "--year", "2026"]) == 0
    assert "wrote" in capsys.readouterr().out
    this_year = sorted(p.name for p in (tmp_path / "board" / "2026").iterdir())
    assert this_year == [
        "coproduction.md", "cover.yaml", "cover_report.yaml", "foreword.md", "risk.md", "sufficiency.md",
        "year_ahead.yaml",
    ]  # fmt: skip
    carried = sorted(p.name for p in (tmp_path / "board").iterdir() if p.is_file())
    assert carried == ["_README.txt", "background.md", "board.md", "contact.md", "priorities.yaml"]
    # every template is only notes: no part, no cover, no placeholder text in a committee paper
    authored = load_authored(tmp_path, 2026)
    assert authored.parts == () and authored.cover == {}
    assert load_cover_report(tmp_path, 2026, {}, Period.from_year(2026)) is None  # no cover report yet
    assert name_problems(tmp_path, 2026, []) == []  # and the kit knows every name it wrote
    foreword = (tmp_path / "board" / "2026" / "foreword.md").read_text(encoding="utf-8")
    assert "Chair's foreword" in foreword and "foreword.docx" in foreword and "Edit Alt" in foreword

    # the examples in the YAML notes are valid once switched on, colons in quotes included
    board = tmp_path / "board"
    (board / "2026" / "cover.yaml").write_text(
        _uncommented((board / "2026" / "cover.yaml").read_text(encoding="utf-8"), "meeting:"),
        encoding="utf-8",
    )
    (board / "priorities.yaml").write_text(
        _uncommented((board / "priorities.yaml").read_text(encoding="utf-8"), "intro:"), encoding="utf-8"
    )
    (board / "2026" / "year_ahead.yaml").write_text(
        _uncommented((board / "2026" / "year_ahead.yaml").read_text(encoding="utf-8"), "intro:"),
        encoding="utf-8",
    )
    (board / "2026" / "cover_report.yaml").write_text(
        _uncommented((board / "2026" / "cover_report.yaml").read_text(encoding="utf-8"), "committee:"),
        encoding="utf-8",
    )
    report = load_cover_report(tmp_path, 2026, {}, Period.from_year(2026))
    assert (
        report.text("authors") == "Head of Service: Children in Care"
        and len(report.text("recommendations")) == 2
    )
    authored = load_authored(tmp_path, 2026)
    assert authored.cover["author"] == "Head of Service: Children in Care"
    assert authored.cover["date"] == "14 July 2025"
    assert [p.key for p in authored.parts] == ["priorities", "year_ahead"]
    assert "Head of Service: Children in Care" in authored.parts[0].body

    # a second run changes nothing already there; a Word file may replace a template left as written
    (board / "2026" / "risk.md").write_text("Risks are low.\n", encoding="utf-8")
    _word(board / "2026" / "foreword.docx", lambda d: d.add_paragraph("Thank you."))
    assert cli.main(["board", "init", "--data", str(tmp_path), "--year", "2026"]) == 0
    assert "wrote" not in capsys.readouterr().out
    assert (board / "2026" / "risk.md").read_text(encoding="utf-8") == "Risks are low.\n"
    parts = {p.key: p.body for p in load_authored(tmp_path, 2026).parts}
    assert parts["foreword"] == "<p>Thank you.</p>" and parts["risk"] == "<p>Risks are low.</p>\n"


def _table_doc(rows: list[list[str | list[str]]], intro: str = "") -> object:
    """A Word document builder: an introduction paragraph and one table (a list in a cell: one
    paragraph each)."""

    def build(d):  # noqa: ANN001
        if intro:
            d.add_paragraph(intro)
        table = d.add_table(rows=len(rows), cols=len(rows[0]))
        for tr, row in zip(table.rows, rows, strict=True):
            for cell, value in zip(tr.cells, row, strict=True):
                lines = value if isinstance(value, list) else [value]
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)

    return build


def test_the_year_ahead_and_the_priorities_may_be_word_tables(tmp_path: Path):
    board = tmp_path / "board" / "2025"
    _word(
        board / "year_ahead.docx",
        _table_doc(
            [
                ["Area of focus", "Actions to be taken", "Impact"],
                ["Stability", ["Stability panel", "Carer support"], "Fewer moves"],
                ["", "", ""],  # an empty row is left out
                ["Health", "Monthly tracking", "On time"],
            ],
            intro="Our focus, chosen with the Children in Care Council.",
        ),
    )
    _word(
        board / "priorities.docx",
        _table_doc(
            [
                ["Priority", "Champions", "Lead officers"],
                ["Promoting success", ["Cllr A Patel", "Cllr R Hughes"], "Virtual School Head"],
            ]
        ),
    )
    parts = {p.key: p for p in load_authored(tmp_path, 2025).parts}
    ahead = BeautifulSoup(parts["year_ahead"].body, "html.parser")
    assert ahead.find("p").get_text() == "Our focus, chosen with the Children in Care Council."
    rows = [[c.get_text("|") for c in tr.find_all(["th", "td"])] for tr in ahead.find_all("tr")]
    assert rows == [
        ["Area of focus", "Actions to be taken", "Impact"],
        ["Stability", "Stability panel|Carer support", "Fewer moves"],
        ["Health", "Monthly tracking", "On time"],
    ]
    priorities = BeautifulSoup(parts["priorities"].body, "html.parser")
    assert [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in priorities.find_all("tr")] == [
        ["Priority", "Champions", "Lead officers"],
        ["Promoting success", "Cllr A Patel, Cllr R Hughes", "Virtual School Head"],
    ]


def test_a_word_table_with_headings_the_kit_does_not_know_is_refused(tmp_path: Path):
    board = tmp_path / "board"
    _word(board / "year_ahead.docx", _table_doc([["Area", "Actoins", "Impact"], ["A", "B", "C"]]))
    _word(board / "priorities.docx", _table_doc([["Champions", "Leads"], ["Cllr A", "Head"]]))
    with pytest.raises(AuthoredError) as caught:
        load_authored(tmp_path, 2025)
    message = str(caught.value)
    assert "year_ahead.docx: the table's column 2 is headed 'actoins', which the kit does not know" in message
    assert "the headings it reads are 'Area', 'Actions', 'Impact'" in message
    assert "priorities.docx: the table has no column headed 'Priority' in its first row" in message
