"""A synthetic Corporate Parenting action plan tracker, as messy as the real ones.

Six priorities, about 40 actions, kept "by many hands": a title above the header, the header repeated
part way down in other words, priority titles merged across the table, champions listed in one cell,
sub-objectives as single cells or as ref-and-text rows, HTML from a SharePoint export, statuses with
extra words, a ref typo ("31.4"), free-text dates, and progress written as a running log. Dates suit
the 2025 report (financial year April 2024 to March 2025). The same seed gives the same bytes.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

PRIORITIES = [
    (
        "1. Priority 1 - Promoting success and aspiration",
        "Cllr A Patel, Cllr R Hughes",
        [
            (
                "To celebrate the achievements of children in care",
                [
                    "Hold an annual celebration event for children in care and care leavers",
                    "Introduce achievement awards in every school with a child in care",
                    "Publish a termly newsletter of success stories written with young people",
                ],
            ),
            (
                "To widen access to leisure, culture and sport",
                [
                    "Offer free leisure passes to all children in care and care leavers",
                    "Agree a 'first look' scheme for council work experience places",
                    "Fund music and arts tuition through the Virtual School",
                    "Give care leavers free entry to council museums and events",
                ],
            ),
        ],
    ),
    (
        "Priority 2: Leaving care and preparing for adulthood",
        "Cllr S Begum",
        [
            (
                "To improve the quality of pathway plans",
                [
                    "Audit pathway plans and act on the findings",
                    "Train personal advisers in co-produced pathway planning",
                    "Introduce independence skills sessions from age 15",
                    "Start pathway planning at 15 and a half with the young person",
                ],
            ),
            (
                "To support care leavers with money and housing",
                [
                    "Extend the council tax exemption to care leavers up to 25",
                    "Set up a care leavers' hub with partner agencies",
                    "Review the local offer with the care leavers' forum",
                    "Create a rent guarantor scheme for care leavers",
                ],
            ),
        ],
    ),
    (
        "3. Priority 3 - Accommodation and placement sufficiency",
        "Cllr J Okafor, Cllr M Price",
        [
            (
                "To increase local homes for children in care",
                [
                    "Open a new two-bed children's home in the borough",
                    "Recruit 20 more in-house foster carers",
                    "Commission supported lodgings for 16 and 17 year olds",
                    "Refresh the sufficiency strategy with young people",
                    "Reduce the number of children placed more than 20 miles away",
                    "Develop a staying close offer for young people leaving residential care",
                ],
            )
        ],
    ),
    (
        "4. Priority 4 - Health and emotional wellbeing",
        "Cllr L Grant",
        [
            (
                "To improve timeliness of health assessments",
                [
                    "Agree a joint protocol with the ICB for initial health assessments",
                    "Track review health assessments monthly at the Board",
                    "Offer every child in care a dental check within 3 months",
                ],
            ),
            (
                "To improve access to emotional wellbeing support",
                [
                    "Embed a CAMHS worker in the children in care team",
                    "Use SDQ scores to trigger a wellbeing review",
                    "Introduce care-experienced peer mentors",
                ],
            ),
        ],
    ),
    (
        "Priority 5 - Education, employment and training",
        "Cllr D Shah",
        [
            (
                "",
                [
                    "Ensure every child in care has a PEP reviewed each term",
                    "Reduce suspensions of children in care",
                    "Offer ring-fenced apprenticeships in the council to care leavers",
                    "Provide a bursary for care leavers in higher education",
                    "Track the attendance of children in care placed out of area",
                    "Offer every care leaver a careers adviser",
                    "Run a summer school for children in care in year 10",
                ],
            )
        ],
    ),
    (
        "6. Priority 6 - Fostering",
        "Cllr A Patel",
        [
            (
                "",
                [
                    "Launch a foster carer recruitment campaign",
                    "Review the foster carer fee and allowance scheme",
                    "Introduce the Mockingbird model of fostering",
                    "Offer foster carers training in trauma-informed care",
                    "Set up a foster carer buddy scheme",
                    "Streamline the fostering assessment process",
                ],
            )
        ],
    ),
]
LEADS = [
    "Head of Service, Children in Care",
    "Virtual School Head",
    "Designated Nurse, Children in Care",
    "Service Manager, Leaving Care",
    "Head of Fostering",
    "Placements Commissioning Manager",
    "Participation Lead",
    "Head of Housing Options",
    "Principal Social Worker",
]
STATUS_WORDS = {
    "complete": [
        "Complete",
        "Complete - now business as usual",
        "Complete. (Review if issues arise)",
        "Complete but ongoing monitoring required",
        "Blue",
        "COMPLETED",
    ],
    "in progress": [
        "On track",
        "Green",
        "In progress",
        "Amber",
        "Amber - waiting for funding decision",
        "green",
    ],
    "delayed": ["Delayed", "Red", "RED - recruitment delays"],
    "awaiting start": ["Not started", "Awaiting start", "Not Started"],
}
UPDATES = [
    "Working group met and agreed terms of reference.",
    "Draft shared with the Children in Care Council.",
    "Update given to the Board; comments received.",
    "Funding agreed by the Cabinet Member.",
    "Young people helped shape the approach.",
    "Progress slower than planned due to staffing.",
    "Data now reported monthly to the Board.",
    "Pilot running with first cohort.",
    "Feedback from care leavers is positive.",
    "Partners signed up to the plan.",
]
FIXED_TIME = datetime(2025, 4, 1, 9, 0, 0)


def _due_text(rng: random.Random, status: str) -> object:
    past = [
        "October 2024",
        "Dec 24",
        "26th December 2024",
        "Q3 2024/25",
        "End of September 2024",
        "End of spring term 2025",
        datetime(2024, 11, 29),
    ]
    future = [
        "End of May 2025",
        "Q1 2025/26",
        "October 2025",
        "End of summer term 2025",
        "March 2026",
        "Oct/Nov 2025 Spring 2026",
        datetime(2025, 6, 30),
        "Ongoing",
    ]
    if status in ("complete", "delayed"):
        return rng.choice(past)
    if status == "in progress" and rng.random() < 0.15:
        return rng.choice(past[:2])  # slipped but still marked in progress: problems() flags it
    return rng.choice(future)


def _progress(rng: random.Random, new: bool) -> str:
    n = rng.randint(0, 3)
    if n == 0:
        return ""
    start = date(2024, rng.randint(5, 9), 1) if new else date(2023, rng.randint(6, 12), 1)
    entries = []
    for k in range(n):
        month = start.month - 1 + 3 * k
        d = date(start.year + month // 12, month % 12 + 1, rng.randint(1, 28))
        style = rng.randrange(4)
        written = [
            f"{d.day}/{d.month}/{d:%y}",
            f"{d.day}.{d.month}.{d:%y}",
            f"{d:%b-%y}:",
            f"{d.day:02d}/{d.month:02d}/{d.year}",
        ][style]
        entries.append(f"{written} {rng.choice(UPDATES)}")
    if rng.random() < 0.25:  # a SharePoint export
        return "<ul>" + "".join(f"<li>{e.replace('&', '&amp;')}</li>" for e in entries) + "</ul>"
    return "\n".join(entries)


def _rows(rng: random.Random) -> list[list[object]]:
    header = ["Ref", "Action", "Progress Update", "Lead Officer", "By When", "RAG Status"]
    repeat = ["No.", "ACTIONS", "Progress update", "Lead", "Deadline", "RAG"]
    rows: list[list[object]] = [
        ["Sample Council Corporate Parenting Board - Action Plan 2024-2027"],
        ["Progress at March 2025. Key: Blue = complete, Green = on track, Amber = at risk, Red = delayed"],
        [],
        header,
    ]
    statuses = list(STATUS_WORDS)
    for p, (title, champions, objectives) in enumerate(PRIORITIES, start=1):
        if p == 4:
            rows += [[], repeat]  # the header copied again when the plan was pasted page by page
        rows.append([title])
        rows.append([f"Champions: {champions}. Leads: {rng.choice(LEADS)}, {rng.choice(LEADS)}"])
        for o, (objective, actions) in enumerate(objectives, start=1):
            if objective:
                rows.append([f"{p}.{o} {objective}"] if o == 1 else [f"{p}.{o}", objective])
            for a, action in enumerate(actions, start=1):
                ref = f"{p}.{o}.{a}" if objective else f"{p}.{a}"
                status = rng.choices(statuses, weights=[30, 40, 15, 15])[0]
                new = rng.random() < 0.3
                words = rng.choice(STATUS_WORDS[status])
                due = _due_text(rng, status)
                if p == 3 and a == 4:
                    ref = "31.4"  # typo: 3.1.4 without its first dot
                if p == 2 and o == 2 and a == 1:
                    words, due = "", "Complete Nov 2024"  # status written in the date cell
                if p == 6 and a == 3:
                    words = "Partially implemented"  # not a status the mapping knows
                if (p, a) == (3, 5):
                    due = "TBC"
                if (p, a) == (6, 5):
                    due, words = "", "Not started"
                lead = "" if (p, a) in {(5, 2)} else rng.choice(LEADS)
                text = f"{action} (new)" if new and rng.random() < 0.5 else action
                if p == 1 and a == 2:
                    text = f"<p>{action.replace(chr(39), '&#39;')}</p>"
                rows.append([ref, text, _progress(rng, new), lead, due, words])
    rows.append(["Plan owner: Head of Service, Children in Care"])
    return rows


def write_action_plan(path: Path, seed: int = 2025) -> Path:
    """Write the messy tracker to ``path`` (.xlsx); the same seed gives byte-identical files."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action plan"
    for row in _rows(rng):
        ws.append(row)
        r = ws.max_row
        if len(row) == 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
            ws.cell(r, 1).font = Font(bold=True)
        if row and str(row[0]) in ("Ref", "No."):
            for c in range(1, 7):
                ws.cell(r, c).font = Font(bold=True)
        for c in range(1, 7):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(ws.cell(r, c).value, datetime):
                ws.cell(r, c).number_format = "dd/mm/yyyy"
    for col, width in zip("ABCDEF", [8, 50, 60, 28, 18, 24], strict=True):
        ws.column_dimensions[col].width = width
    wb.properties.creator = "cpkit sample"
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


def _fixed_zip(data: bytes) -> bytes:
    """The workbook with its save time and zip entry times fixed, so the bytes depend on the seed only."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()
