"""``cpkit board init``: the Board's own sections as files to fill in, each saying what it is for.

An officer who has never written Markdown or YAML gets one file per part of the Board report, in the
place the kit reads it from, each opening with a note (a Markdown ``<!-- comment -->`` or YAML ``#``
lines) that says what goes in it, where it appears, how to write it, and that a Word file of the same
name does instead. Nothing written yet means nothing shown: a file holding only its note is left out of
the report (``cpkit.report.authored``), so a template never reaches a committee paper as placeholder
text. Parts written afresh each year go in ``board/<year>/``; those that carry over (the legal
background, the Board's membership, the priorities, the contact) in ``board/``. A file that is already
there is never overwritten.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cpkit.report.authored import BOARD_DIR, PARTS

EACH_YEAR = {"foreword", "coproduction", "sufficiency", "year_ahead", "risk", "cover", "cover_report"}

_MARKDOWN_HOW = """\
How to write it: plain text; a blank line starts a new paragraph. The first line, if it starts with "# ",
is the part's title (else the kit's: "{title}"). "## " starts a sub-heading. *one star* for italic,
**two** for bold, "- " at the start of a line for a bullet, "1. " for a numbered list, [words](https://...)
for a link. A picture: save it in this folder and write ![what the picture shows](photo.jpg) on a line of
its own (the words in the square brackets are read aloud to readers who cannot see it: they are needed).
Prefer Word? Delete this file and save a Word document as {key}.docx here instead: the kit reads its
headings, bold and italic, lists, tables and pictures (give each picture alt text: right-click, Edit Alt
Text).
Everything between the comment marks is a note to you and is never shown; while this file holds nothing
else, the part is left out of the report. Check your files with: cpkit check --data <your data folder>"""

_ABOUT = {
    "foreword": "The chair's foreword: a personal introduction from the chair of the Corporate Parenting "
    "Board (thanks to young people, the year's highlights, the ask of councillors). It opens the report, "
    "before the executive summary. Sign it off on its last line, e.g. *Councillor A Patel, Chair*.",
    "background": "The council as corporate parent: the legal duty (Children and Social Work Act 2017) and "
    "the seven corporate parenting principles, and what the Board is for. It follows the executive "
    "summary. It carries over from year to year, so it lives in board/, not in a year's folder.",
    "board": "The Corporate Parenting Board: who sits on it (members, officers, the Children in Care "
    "Council), how often it meets and how it holds services to account. It follows the executive summary "
    "and carries over from year to year.",
    "coproduction": "Co-production and the voice of children and young people: how children in care and "
    "care leavers shaped the Board's work this year (the Children in Care Council, surveys, young "
    "inspectors). It follows the action plan.",
    "sufficiency": "Sufficiency: homes for children in care, foster carers recruited and lost, kinship "
    "care, the sufficiency strategy. It follows the action plan.",
    "risk": "Risk management: the risks to the Board's priorities and how they are managed. It follows "
    "the action plan.",
    "contact": "Who to contact about this report (a team mailbox rather than a person's name, since the "
    "report is published). It comes at the end, before the appendix, and carries over from year to year.",
}

_COVER = """\
# The cover of the committee paper: the meeting, its date, the author, a contact and the version.
# Remove the "# " in front of a line and fill it in; lines left starting with "#" are notes, never shown.
# Every line is optional. Text with a colon followed by a space in it must be in double quotes, as below.
# The date is the meeting's, written year-month-day.
#
# meeting: Corporate Parenting Board
# date: 2025-07-14
# author: "Head of Service: Children in Care"
# contact: corporate.parenting@your-council.gov.uk
# version: "1.0 (final, for publication)"
"""

_COVER_REPORT = """\
# The committee cover report (cover-report.docx and .pdf): the paper that puts the annual report before
# Council, Cabinet or a scrutiny commission, in the shape of a council's template. Remove the "# " in
# front of a line and fill it in; lines left starting with "#" are notes, never shown. While every line
# is a note, no cover report is made. Committee, date, author and contact come from cover.yaml unless
# given here. Section 2, Key issues, is written by the kit from the headline figures, after any text you
# give under key_issues. Text with a colon followed by a space in it must be in double quotes. In a long
# text, a blank line starts a new paragraph; lines starting "- " make a list.
#
# committee: Improving Lives Select Commission
# key_decision: "No"
# forward_plan: Not applicable
# director: Strategic Director of Children's Services
# authors: "Head of Service: Children in Care"
# wards: All wards
# summary: The Board's annual report for the year, with its action plan and its priorities for the next.
# recommendations:
#   - That the Commission notes the Corporate Parenting Partnership Board's annual report.
#   - That the Commission notes the progress of the Board's action plan.
# background_papers: Corporate Parenting Partnership Board minutes.
# other_bodies: The Corporate Parenting Partnership Board considered the report at its last meeting.
# approval_required: "No"
# exempt: "No"
# background: Every council is the corporate parent of the children it looks after and of its care leavers.
# key_issues: The headline figures are these.
# options: The report is for information. No options are proposed.
# consultation: Children in care and care leavers contributed to the report.
# timetable: The Board reports progress against its action plan at each meeting.
# financial: There are no direct financial implications.
# legal: The council's duties as corporate parent are set out in the Children and Social Work Act 2017.
# human_resources: There are no direct human resources implications.
# children: The report is about the outcomes of children in care and care leavers.
# equalities: The report considers the needs of children with protected characteristics.
# climate: There are no direct implications for climate change.
# partners: Health, education and housing partners are members of the Board.
# risks: The main risks are set out in the annual report with their mitigation.
# officers: Head of Service, Children in Care
"""

_PRIORITIES = """\
# The Board's priorities, each with its elected-member champions, lead officers and supporters, shown as a
# table after the executive summary. Without this file (or while it holds only these notes) the table
# comes from the action plan tracker's priority headings ("Champions: Cllr A. Leads: Head of Fostering"),
# which name no supporters. Carries over from year to year, so it lives in board/.
#
# Remove the "# " in front of the lines below and fill them in, keeping the indentation (spaces, not
# tabs). A list of names goes in square brackets; one name needs none. Text with a colon followed by a
# space in it must be in double quotes.
#
# Prefer Word? Delete this file and save a Word document as priorities.docx here instead: one table whose
# first row is headed Priority | Champions | Lead officers | Supporters (each name on its own line in a
# cell), and any paragraphs above it as the introduction.
#
# intro: Each of the Board's priorities has an elected-member champion and lead officers.
# priorities:
#   - number: 1
#     title: Promoting success and aspiration
#     champions: [Cllr A Patel, Cllr R Hughes]
#     leads: [Principal Social Worker, Virtual School Head]
#     supporters: [Children in Care Council]
#   - number: 2
#     title: Leaving care and preparing for adulthood
#     champions: Cllr S Begum
#     leads: "Head of Service: Children in Care"
#     supporters: [Care Leavers' Forum, Housing Options]
"""

_YEAR_AHEAD = """\
# The year ahead: the areas the Board will focus on next year, the actions to be taken and their impact,
# shown as a table after the action plan, under an introduction.
#
# Remove the "# " in front of the lines below and fill them in, keeping the indentation (spaces, not
# tabs). "actions" may be one sentence or a list of them (each on a line starting "- "). Text with a colon
# followed by a space in it must be in double quotes.
#
# Prefer Word? Delete this file and save a Word document as year_ahead.docx here instead: one table whose
# first row is headed Area of focus | Actions to be taken | Impact (each action on its own line in a
# cell), and any paragraphs above it as the introduction.
#
# intro: In the coming year the Board will concentrate on the areas below.
# rows:
#   - area: Placement stability
#     actions:
#       - Review every child with three or more moves at a stability panel
#       - Extend therapeutic support to foster carers
#     impact: Fewer children moving home.
#   - area: Health assessments on time
#     actions: Agree a joint protocol with the Integrated Care Board
#     impact: "Every child's initial health assessment within 20 working days."
"""

_README = """\
The Board's own sections of the Corporate Parenting report: one file per part, written by officers.

Files in this folder carry over from year to year; files in the year's folder (e.g. 2026/) are this
year's and win over a file of the same name here. Each file says what it is for. A file holding only its
notes is left out of the report, so fill in the ones you want and leave the rest.

Files whose names start with _ (like this one) are never read: keep drafts and notes that way. A name the
kit does not know (forword.md) stops the report with "did you mean foreword.md?".

Check everything with: cpkit check --data <your data folder>
"""


@dataclass(frozen=True)
class Written:
    """What ``init`` did: the files it wrote and those it left as they were."""

    written: list[Path]
    kept: list[Path]


def default_year(today: date | None = None) -> int:
    """The report year a Board is usually writing for: the financial year that ended last 31 March."""
    today = today or date.today()
    return today.year if today.month >= 4 else today.year - 1


def templates() -> dict[str, str]:
    """Each template's file name and text."""
    out: dict[str, str] = {}
    for spec in PARTS:
        name = spec.key + spec.suffix
        if spec.key == "priorities":
            out[name] = _PRIORITIES
        elif spec.key == "year_ahead":
            out[name] = _YEAR_AHEAD
        else:
            how = _MARKDOWN_HOW.format(title=spec.title, key=spec.key)
            out[name] = f"<!--\n{textwrap.fill(_ABOUT[spec.key], 105)}\n\n{how}\n-->\n"
    out["cover.yaml"] = _COVER
    out["cover_report.yaml"] = _COVER_REPORT
    return out


def init_board(data_dir: Path, year: int) -> Written:
    """Write the templates under ``data_dir/board/`` (see the module docstring); never overwrite."""
    root = Path(data_dir) / BOARD_DIR
    written, kept = [], []
    files = {"_README.txt": _README, **templates()}
    for name, text in files.items():
        folder = root / str(year) if Path(name).stem in EACH_YEAR else root
        path = folder / name
        if path.exists() or (path.suffix == ".md" and path.with_suffix(".docx").exists()):
            kept.append(path)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return Written(written, kept)
