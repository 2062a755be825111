"""Files officers write (``board/``, ``commentary/``, ``narrative.yaml``) that the kit used to ignore
silently or refuse as a bug: the real command line, on hand-built data folders."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from cpkit import cli
from cpkit.errors import AuthoredError
from cpkit.present.markdown import commentary_path
from cpkit.report.input_names import name_problems, nearest, refuse_misnamed

from ..conftest import SAMPLE_DIR

SECTIONS = ["01_children_in_care", "02_placements", "08_data_quality"]


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    """A council folder with the sample's settings and these files (no returns: the report stops on the
    officers' files before it reads any)."""
    data = tmp_path / "council"
    (data / "ssda903").mkdir(parents=True)
    (data / "cpkit.yaml").write_text(
        (SAMPLE_DIR / "cpkit.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for name, text in files.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(text, encoding="utf-8")
    return data


def _report(data: Path, tmp_path: Path, capsys) -> tuple[int, str]:
    code = cli.main(
        ["report", "--year", "2025", "--data", str(data), "--out", str(tmp_path / "out"), "--quiet"]
    )
    err = capsys.readouterr().err
    return code, err


def test_a_misspelt_board_file_stops_the_report_naming_the_file_and_the_name_meant(tmp_path, capsys):
    data = _folder(tmp_path, {"board/2025/forword.md": "Thank you all.\n"})
    code, err = _report(data, tmp_path, capsys)
    assert code == 1
    assert err.count("\n") == 1  # one line, no traceback
    assert "board/2025/forword.md: not a board file the kit reads; did you mean foreword.md?" in err
    assert "Chair's foreword" in err and "report it" not in err
    assert not (tmp_path / "out" / "2025").exists()


def test_a_misspelt_cover_key_is_one_line_naming_file_key_and_known_keys(tmp_path, capsys):
    # AuthoredError was a plain ValueError: this printed "unexpected error ... report it"
    data = _folder(tmp_path, {"board/2025/cover.yaml": "meeting: Board\ndat: 2025-07-14\n"})
    code, err = _report(data, tmp_path, capsys)
    assert code == 1 and err.count("\n") == 1 and "report it" not in err
    assert str(Path("board/2025/cover.yaml")) in err
    assert "unknown key 'dat' (did you mean 'date'?)" in err
    assert "the keys it can have: author, contact, date, meeting, version" in err


def test_a_colon_in_a_sentence_names_the_file_and_line_in_plain_words(tmp_path, capsys):
    cover = "meeting: Board\nauthor: Head of Service: Children in Care\n"  # line 2: PyYAML's "mapping values"
    data = _folder(tmp_path, {"board/2025/cover.yaml": cover})
    code, err = _report(data, tmp_path, capsys)
    assert code == 1 and err.count("\n") == 1
    assert "cover.yaml, line 2: a colon followed by a space inside a sentence" in err
    assert "in double quotes" in err and "mapping values" not in err and "report it" not in err


def test_a_bad_narrative_yaml_stops_the_report_once_in_plain_words(tmp_path, capsys):
    data = _folder(tmp_path, {"narrative.yaml": "children_in_care:\n  intro: Children: {count}\n"})
    code, err = _report(data, tmp_path, capsys)
    assert code == 1 and err.count("\n") == 1 and "report it" not in err
    assert "narrative.yaml, line 2: a colon followed by a space inside a sentence" in err


def test_names_the_kit_does_not_read_stop_or_warn(tmp_path):
    data = _folder(
        tmp_path,
        {
            "board/2025/forword.md": "x",  # typo, no foreword.md: stops
            "board/2025/Contact.md": "x",  # another capitalisation: read on Windows, not here: stops
            "board/2025/notes.md": "x",  # nothing it resembles: warning
            "board/2025/_draft_foreword.md": "x",  # starts with _: kept there unread, never reported
            "board/risk.md": "x",
            "board/risk_old.md": "x",  # risk.md beside it: a leftover copy, a warning
            "board/priorities.example.yaml": "x",  # the sample's own example: never reported
            "board/2025/cover.yml": "meeting: Board\n",  # .yml does for .yaml: read, not reported
            "board/2025/photo.jpg": "x",  # pictures are never reported
            "commentary/2025/children_in_care.md": "x",  # without its number: read (see below)
            "commentary/2025/10_placements.md": "x",  # a wrong number: stops, did you mean 02_placements.md
            "commentary/2025/08_data_quality.md": "x",
            "commentary/2025/data_quality.md": "x",  # the same section twice: stops
        },
    )
    found = {p.shown: p for p in name_problems(data, 2025, SECTIONS)}
    assert {k: p.stops for k, p in found.items()} == {
        "board/2025/forword.md": True,
        "board/2025/Contact.md": True,
        "board/2025/notes.md": False,
        "board/risk_old.md": False,
        "commentary/2025/10_placements.md": True,
        "commentary/2025/data_quality.md": True,
    }
    assert "did you mean contact.md?" in found["board/2025/Contact.md"].message
    assert "did you mean 02_placements.md?" in found["commentary/2025/10_placements.md"].message
    assert "(_notes.md)" in found["board/2025/notes.md"].message  # how to keep it there unread
    with pytest.raises(AuthoredError) as caught:
        refuse_misnamed(data, 2025, SECTIONS)
    assert str(caught.value).count("did you mean") == 3


def test_warnings_are_printed_and_the_report_goes_on(tmp_path, caplog):
    data = _folder(tmp_path, {"board/notes.md": "x", "board/foreword.md": "Thanks.\n"})
    with caplog.at_level(logging.WARNING, logger="cpkit"):
        found = refuse_misnamed(data, 2025, SECTIONS)
    assert [p.shown for p in found] == ["board/notes.md"]
    assert "board/notes.md: not a board file the kit reads, so it is left out" in caplog.text


def test_commentary_without_the_section_number_is_read(tmp_path):
    folder = tmp_path / "commentary" / "2025"
    folder.mkdir(parents=True)
    (folder / "children_in_care.md").write_text("Numbers rose.\n", encoding="utf-8")
    assert commentary_path(tmp_path, 2025, "01_children_in_care") == folder / "children_in_care.md"
    (folder / "01_children_in_care.md").write_text("Numbers rose.\n", encoding="utf-8")
    assert commentary_path(tmp_path, 2025, "01_children_in_care") == folder / "01_children_in_care.md"
    assert commentary_path(tmp_path, 2025, "02_placements") == folder / "02_placements.md"


def test_nearest_known_name():
    known = ["foreword", "background", "board", "priorities", "year_ahead", "risk", "contact", "cover"]
    assert nearest("forword", known) == "foreword"
    assert nearest("chair_foreword", known) == "foreword"
    assert nearest("YEAR-AHEAD", known) == "year_ahead"
    assert nearest("notes", known) is None and nearest("minutes", known) is None


def test_check_lists_the_officers_files_with_the_datas_problems(tmp_path, capsys):
    from ..test_cli import _council

    data = _council(tmp_path, "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n")
    for name, text in {
        "board/2025/forword.md": "Thanks.\n",  # stops: did you mean foreword.md
        "board/2025/cover.yaml": "meeting: Board\ndat: 2025-07-14\n",  # stops: misspelt key
        "board/year_ahead.yaml": "rows:\n  - area: A\n    actions: Agree: a plan\n    impact: B\n",  # line 3
        "board/notes.md": "x",  # a warning
        "narrative.yaml": "children_in_care:\n  no_such_template: x\n",
    }.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(text, encoding="utf-8")
    assert cli.main(["check", "--data", str(data), "--year", "2025"]) == 1
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    assert "1 file(s) in board/ or commentary/ the report would leave out:" in out
    assert "board/notes.md: not a board file the kit reads" in out
    # every problem, not only the first, among what stops the report
    assert "board/2025/forword.md: not a board file the kit reads; did you mean foreword.md?" in err
    assert "unknown key 'dat' (did you mean 'date'?)" in err
    assert "year_ahead.yaml, line 3: a colon followed by a space inside a sentence" in err
    assert "template children_in_care.no_such_template: the kit has no template of this name" in err


def test_the_data_quality_section_names_the_files_left_out(tmp_path):
    from cpkit.present.narrative import Narrative
    from cpkit.sections.data_quality import files_left_out_sentences

    data = _folder(tmp_path, {"board/notes.md": "x", "board/2025/[x](https:evil).md": "x"})
    narrative = Narrative.for_data(data)
    assert files_left_out_sentences(name_problems(data, 2025, SECTIONS), narrative) == [
        "Files in the Board's own folders that the kit does not read, so they are left out of this report: "
        "board/2025/\\[x\\](https\\:evil).md, board/notes.md. Rename each to a name the kit reads (the data quality "
        "checks say which), or start its name with _ to keep it there unread."
    ]
    assert files_left_out_sentences([], narrative) == [
        "Every file in the Board's own folders (board/ and commentary/) was read."
    ]


def test_word_files_are_known_names_too(tmp_path):
    data = _folder(
        tmp_path,
        {
            "board/2025/forword.docx": "x",  # stops: did you mean foreword.docx
            "board/2025/background.docx": "x",  # read: not reported
            "board/rsik.docx": "x",
            "board/risk.md": "x",  # risk.md beside rsik.docx: a leftover, a warning
        },
    )
    found = {p.shown: (p.stops, p.message) for p in name_problems(data, 2025, SECTIONS)}
    assert set(found) == {"board/2025/forword.docx", "board/rsik.docx"}
    assert (
        found["board/2025/forword.docx"][0]
        and "did you mean foreword.docx?" in found["board/2025/forword.docx"][1]
    )
    assert found["board/rsik.docx"][0] is False


def test_check_says_which_of_the_boards_parts_the_report_will_hold(tmp_path, capsys):
    from ..test_cli import _council

    data = _council(tmp_path, "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n")
    (data / "board" / "2025").mkdir(parents=True)
    (data / "board" / "2025" / "foreword.md").write_text("Thank you.\n", encoding="utf-8")
    (data / "board" / "risk.md").write_text("<!-- write the risks here -->\n", encoding="utf-8")  # a template
    assert cli.main(["check", "--data", str(data), "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert (
        "Note: the Board's own parts (board/): written: Chair's foreword; left out, with no file or nothing "
        "written in it yet: Background: the council as corporate parent, The Corporate Parenting Board, "
        "Co-production and the voice of children and young people, Sufficiency, The year ahead, Risk "
        "management, Contact; the priorities table comes from the action plan tracker"
    ) in " ".join(out.split())


def test_a_picture_in_commentary_is_said_to_be_left_out(tmp_path):
    # commentary shows text, lists, tables and links: its pictures were dropped without a word
    data = _folder(
        tmp_path,
        {"commentary/2025/children_in_care.md": "Numbers rose.\n\n![Chart](chart.png)\n\n<img src=x.png>\n"},
    )
    (found,) = name_problems(data, 2025, SECTIONS)
    assert not found.stops and not found.unread
    assert found.message.startswith(
        "commentary/2025/children_in_care.md: the picture(s) chart.png, x.png are left out: commentary shows"
    )


def test_board_check_needs_no_returns_and_lists_what_would_stop_the_report(tmp_path, capsys):
    data = tmp_path / "council"  # no ssda903/, no settings: officers check their words on their own
    (data / "board" / "2025").mkdir(parents=True)
    (data / "board" / "2025" / "cover.yaml").write_text("meeting: Board\ndat: 2025-07-14\n", encoding="utf-8")
    (data / "board" / "notes.md").write_text("x\n", encoding="utf-8")
    assert cli.main(["board", "check", "--data", str(data), "--year", "2025"]) == 1
    captured = capsys.readouterr()
    assert "warning: board/notes.md: not a board file the kit reads" in captured.out
    assert "error: " in captured.err and "unknown key 'dat' (did you mean 'date'?)" in captured.err
    (data / "board" / "2025" / "cover.yaml").write_text(
        "meeting: Board\ndate: 2025-07-14\n", encoding="utf-8"
    )
    assert cli.main(["board", "check", "--data", str(data), "--year", "2025"]) == 0
    assert "Nothing here stops the report; see the warnings." in capsys.readouterr().out


def test_the_report_names_every_problem_in_the_officers_files_at_once(tmp_path, capsys):
    data = _folder(
        tmp_path,
        {"board/2025/forword.md": "Thanks.\n", "board/2025/cover.yaml": "dat: 2025-07-14\n"},
    )
    code, err = _report(data, tmp_path, capsys)
    assert code == 1 and err.count("\n") == 1  # one line, both problems: one run shows all there is to mend
    assert "unknown key 'dat' (did you mean 'date'?)" in err and "did you mean foreword.md?" in err
