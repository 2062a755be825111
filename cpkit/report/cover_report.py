"""The committee cover report: the council's own paper that puts the annual report before Council, Cabinet or
a scrutiny commission (``cover-report.docx`` and ``cover-report.pdf`` in the report folder).

A council never sends the annual report to a committee on its own. The clerk's template asks for the paper's
details (committee and date, title, whether it is a key decision and its forward plan reference, the
director approving it, authors, wards), a summary, the recommendations, the appendices (the annual report is
Appendix 1), background papers, other bodies that considered it, the approval required and whether it is
exempt; then the numbered sections every council report has: 1 Background, 2 Key issues, 3 Options,
4 Consultation, 5 Timetable and accountability, 6 Financial, 7 Legal, 8 Human resources, 9 Children and
young people, 10 Equalities, 11 Climate, 12 Partners, 13 Risks and mitigation; and the accountable officers.

Officers write everything but the figures in ``board/<year>/cover_report.yaml`` (or ``board/cover_report.yaml``
for every year): one key per field or section, plain text (a blank line starts a new paragraph; lines
starting ``- `` are a list). What they leave out is left out, except the title, committee, date, authors and
contact, which default to the annual report's own cover (``cover.yaml``), and the appendices, which default to
the annual report. **Section 2, Key issues**, is written by the kit: after any words the officers give under
``key_issues``, one paragraph per headline figure, each with what it is compared with (last year's figure,
and England's and the statistical neighbours' where the DfE publishes them for a rate or a percentage),
read from the run's figures table through the same small-number rule as every other figure
(``cpkit.present.figure_text.shown``). A comparison the data do not give is not written half: the paragraph
says which comparator is not published.

The key issues print the report's own figures, so they are in the report's one disclosure audit
(``cpkit.publish.ledger``): each paragraph is a ``cpkit.publish.text.Sentence`` carrying the council's
figures it prints (this year's and last year's, or last year's hidden one it says is too small to publish)
under the figures table's document keys (``cpkit.figures.keys``: ``cla@2025-03-31``, a percentage naming its
numerator and denominator), and ``key_issues_block`` gives them as a ``kind="text"`` block,
``cover_report/key-issues``, which the runner audits with every section's blocks before anything is
written (``cpkit.report.runner.render_stage``), then hands the same paragraphs to the writer. A figure the
cover report prints that the report hides elsewhere, or a small count it would give back, refuses the run
like any other (``DisclosureLeak``). England's and the neighbours' figures are not the council's counts.

Without ``cover_report.yaml`` no cover report is made (the kit does not invent a committee paper's
recommendations); the folder's contents page says so. The Word file and the PDF are written from one HTML
page by the kit's own writers (``cpkit.report.docx``, ``cpkit.report.pdf``), so they carry the same words.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from cpkit.config import Config, Period
from cpkit.errors import AuthoredError
from cpkit.figures.headline import Headline
from cpkit.present.figure_text import fmt_published, shown, visible
from cpkit.publish.block import Block
from cpkit.publish.text import Sentence, text_block

COVER_REPORT_FILE = "cover_report.yaml"
DOCX_NAME = "cover-report.docx"
PDF_NAME = "cover-report.pdf"

# The paper's details, in the order a council's template has them.
DETAILS: tuple[tuple[str, str], ...] = (
    ("committee", "Committee"),
    ("date", "Date of meeting"),
    ("title", "Report title"),
    ("key_decision", "Is this a key decision?"),
    ("forward_plan", "Forward plan reference"),
    ("director", "Strategic director approving the report"),
    ("authors", "Report author(s)"),
    ("contact", "Contact"),
    ("wards", "Ward(s) affected"),
)
PAPER: tuple[tuple[str, str], ...] = (
    ("summary", "Report summary"),
    ("recommendations", "Recommendations"),
    ("appendices", "List of appendices"),
    ("background_papers", "Background papers"),
    ("other_bodies", "Consideration by any other council committee, scrutiny or advisory panel"),
    ("approval_required", "Council approval required"),
    ("exempt", "Exempt from the press and public"),
)
SECTIONS: tuple[tuple[str, str], ...] = (
    ("background", "Background"),
    ("key_issues", "Key issues"),
    ("options", "Options considered and recommended proposal"),
    ("consultation", "Consultation on proposal"),
    ("timetable", "Timetable and accountability for implementing this decision"),
    ("financial", "Financial and procurement advice and implications"),
    ("legal", "Legal advice and implications"),
    ("human_resources", "Human resources advice and implications"),
    ("children", "Implications for children and young people and vulnerable adults"),
    ("equalities", "Equality and human rights advice and implications"),
    ("climate", "Implications for climate change"),
    ("partners", "Implications for partners"),
    ("risks", "Risks and mitigation"),
)
OFFICERS = ("officers", "Accountable officers")
KEYS = {k for k, _ in (*DETAILS, *PAPER, *SECTIONS, OFFICERS)}
# cover.yaml's keys that stand in for the cover report's when it does not give them.
FROM_COVER = {"committee": "meeting", "date": "date", "authors": "author", "contact": "contact"}

# The headline figures Section 2 reports, in the annual report's order (ids from cpkit/measures.yaml).
KEY_MEASURES = (
    "cla_at_end",
    "cla_rate_10k",
    "cla_started",
    "cla_ceased",
    "placed_foster_pct",
    "placements_3plus_pct",
    "long_term_stability_pct",
    "health_assessment_pct",
    "leavers_suitable_accom_19_21_pct",
    "leavers_eet_19_21_pct",
)
COUNT_UNITS = {"number"}  # a count is compared with last year only: England's count is not a comparator
BLOCK_ID = "cover_report/key-issues"  # the key issues' figures in the report's disclosure audit


@dataclass(frozen=True)
class CoverReport:
    """What officers wrote (``fields``, text or lists of text by key) and the kit's key issues."""

    fields: dict[str, str | list[str]]
    key_issues: list[str] = field(default_factory=list)

    def text(self, key: str) -> str | list[str]:
        return self.fields.get(key, "")


def _as_text(value: object, path: Path, key: str) -> str | list[str]:
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str | int | float):
        return str(value).strip()
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v).strip() for v in value]
    raise AuthoredError(f"{path}: {key} must be text or a list of text")


def read_fields(data_dir: Path, year: int) -> dict[str, str | list[str]] | None:
    """The officers' fields from ``board/<year>/cover_report.yaml`` (else ``board/cover_report.yaml``), as
    written; None when there is no file. A key the cover report does not have, a YAML mistake or a value
    that is not text is an ``AuthoredError`` naming the file (``cpkit check`` and the report's first step
    report it through ``cpkit.report.authored``)."""
    from cpkit.report.authored import _find, _read_yaml

    path = _find(Path(data_dir), year, COVER_REPORT_FILE)
    if path is None:
        return None
    raw = _read_yaml(path, KEYS)
    fields = {str(k): _as_text(v, path, str(k)) for k, v in raw.items() if v not in (None, "", [])}
    return fields or None  # a file of notes only (cpkit board init's template) makes no cover report


def load_cover_report(
    data_dir: Path, year: int, cover: dict[str, str], period: Period, annex: bool = False
) -> CoverReport | None:
    """The cover report's fields (``read_fields``), with the annual report's cover standing in for the
    details it shares and the annual report as its appendix, and its technical annex as the second where
    the run made one (``annex``); None when there is no file."""
    fields = read_fields(data_dir, year)
    if fields is None:
        return None
    for key, cover_key in FROM_COVER.items():
        if key not in fields and cover.get(cover_key):
            fields[key] = cover[cover_key]
    fields.setdefault("title", f"Corporate Parenting annual report {period.label}")
    appendices = [f"Appendix 1: Corporate Parenting annual report {period.label}"]
    if annex:
        appendices.append(f"Appendix 2: Corporate Parenting annual report {period.label}: technical annex")
    fields.setdefault("appendices", appendices)
    return CoverReport(fields)


def _row(card: Headline, measure: str) -> pd.Series | None:
    rows = card.frame[(card.frame["source"] == "SSDA903") & (card.frame["indicator"] == measure)]
    return None if rows.empty else rows.iloc[0]


def key_issue(row: pd.Series, card: Headline, config: Config) -> Sentence | None:
    """One paragraph for a headline figure: this year, last year and (for a rate or a percentage) England
    and the statistical neighbours; None when the small-number rule hides this year's figure or there is
    none. A hidden or missing comparison is named, never printed as a blank. A ``Sentence`` carrying the
    council's figures it prints with their document keys, last year's too where it says it is hidden (a
    reader learns its status), for the report's audit."""
    if not visible(row, config):
        return None
    label = str(row["label"]).removesuffix(" (%)")
    period = card.period
    now = shown(row, config)
    figures = [now]
    text = f"{label}: {now} in {period.label}"
    if visible(row, config, "previous_"):
        figures.append(before := shown(row, config, "previous_"))
        text += f", against {before} in {period.previous().label}"
    elif not pd.isna(row["previous_value"]):
        figures.append(shown(row, config, "previous_"))
        text += f" (the {period.previous().label} figure is too small to publish)"
    else:
        text += f" (no figure for {period.previous().label})"
    return Sentence(_comparison(text, row, card), figures)


def _comparison(text: str, row: pd.Series, card: Headline) -> str:
    """The paragraph's end: England's and the neighbours' figures for a rate or a percentage."""
    if str(row["unit"]) in COUNT_UNITS:
        return text + "."
    unit = str(row["unit"])
    england = fmt_published(row["england"], unit)
    neighbours = fmt_published(row["neighbour_avg"], unit)
    when = f" ({card.bench_label})" if card.bench_label else ""
    if england and neighbours:
        return text + f". England: {england}; statistical neighbours' average: {neighbours}{when}."
    if england:
        return text + f". England: {england}{when}; no statistical neighbour figure is published."
    if neighbours:
        return (
            text + f". Statistical neighbours' average: {neighbours}{when}; no England figure is published."
        )
    return text + ". The DfE publishes no England or statistical neighbour figure for it to compare with."


def key_issues(card: Headline, config: Config) -> list[Sentence]:
    """Section 2's generated paragraphs, in ``KEY_MEASURES`` order (figures the data do not hold, or that
    the small-number rule hides, are left out)."""
    out = []
    for measure in KEY_MEASURES:
        row = _row(card, measure)
        if row is not None and (paragraph := key_issue(row, card, config)) is not None:
            out.append(paragraph)
    return out


def key_issues_block(paragraphs: list[Sentence]) -> Block | None:
    """The key issues' figures as the report's audit reads them: a ``kind="text"`` block ``BLOCK_ID`` (its
    section ``cover_report``; every key is a shared one, the same figure as the scorecard's); None when
    they print none."""
    return text_block(list(paragraphs), BLOCK_ID)


def report_key_issues(
    data_dir: Path, cache_dir: Path | None, config: Config, period: Period
) -> list[Sentence] | None:
    """The cover report's key issues from the run's figures table, worked out once by the runner before
    the report's audit (the writer prints these very paragraphs); None when the council has no
    ``cover_report.yaml`` (no cover report, nothing printed)."""
    if read_fields(data_dir, period.year) is None:
        return None
    from cpkit.figures.headline import gather
    from cpkit.report.context import SectionContext

    card = gather(SectionContext("cover_report", config, period, data_dir, cache_dir))
    return key_issues(card, config)


def _paragraphs(value: str | list[str]) -> str:
    """Officers' text as HTML: a list of text is a list; in text, a blank line starts a paragraph and
    lines starting ``- `` are a list. Escaped: never markup."""
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{html.escape(v)}</li>" for v in value) + "</ul>"
    out = []
    for block in str(value).split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{html.escape(line[2:])}</li>" for line in lines) + "</ul>")
        else:
            out.append(f"<p>{html.escape(' '.join(lines))}</p>")
    return "".join(out)


def cover_report_html(report: CoverReport, config: Config, period: Period) -> list[str]:
    """The cover report as page fragments: the details table, the paper's fields, the numbered sections."""
    title = str(report.text("title"))
    rows = "".join(
        f'<tr><th scope="row">{label}</th><td>{html.escape(str(report.text(key)))}</td></tr>'
        for key, label in DETAILS
        if report.text(key) and key != "title"
    )
    parts = [
        f'<section class="cp-cover"><p class="cp-cover-council">{html.escape(config.la_name)}</p>'
        f"<h1>{html.escape(title)}</h1>"
        f'<div class="cp-table"><table><caption>About this report</caption><tbody>{rows}</tbody>'
        "</table></div></section>"
    ]
    for key, label in PAPER:
        if report.text(key):
            recommended = key == "recommendations" and isinstance(report.text(key), list)
            body = (
                "<ol>" + "".join(f"<li>{html.escape(v)}</li>" for v in report.text(key)) + "</ol>"
                if recommended
                else _paragraphs(report.text(key))
            )
            parts.append(f"<h2>{label}</h2>{body}")
    number = 0
    for key, label in SECTIONS:
        body = _paragraphs(report.text(key)) if report.text(key) else ""
        if key == "key_issues":
            body += "".join(f"<p>{html.escape(p)}</p>" for p in report.key_issues)
            if report.key_issues:
                body += (
                    "<p>Figures are the council's own, from its SSDA903 returns; England's and the "
                    "statistical neighbours' are the DfE's published figures. Counts from 1 to "
                    f"{config.small_number_threshold - 1} are not published.</p>"
                )
        if not body:
            continue
        number += 1
        parts.append(f"<h2>{number}. {label}</h2>{body}")
    if report.text(OFFICERS[0]):
        parts.append(f"<h2>{OFFICERS[1]}</h2>{_paragraphs(report.text(OFFICERS[0]))}")
    return parts


def cover_report_page(report: CoverReport, config: Config, period: Period, meta: dict[str, object]) -> str:
    """The cover report as one HTML page, which its Word file and its PDF are both written from."""
    from cpkit.report.render import page_from_html

    return page_from_html(
        cover_report_html(report, config, period),
        f"{config.la_name}: {report.text('title')}",
        {**meta, "nav": False},
    )
