"""Writing the shareable report folder: one page per section, the contents page and the manifest.

The contents page says in one line what each section shows and records how the report was made (date,
parameters, cpkit version, the input files' checksums) so a figure can be traced to its inputs. Only
the files the run used are listed, by their path relative to the data folder or the name of the setting
that pointed to them (``cpkit.report.provenance``): no absolute path, and no other file of the folder.
A report of some sections only says so at the top of its contents page and in the manifest.
"""

from __future__ import annotations

import dataclasses
import html
import json
import logging
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from cpkit.config import Config, Period
from cpkit.errors import PdfUnavailable
from cpkit.report.authored import Authored, load_authored, tracker_people
from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME, build_documents
from cpkit.report.docx import DOCX_NAME, write_docx
from cpkit.report.execute import SectionRun
from cpkit.report.pdf import ANNEX_PDF_NAME, PDF_NAME, paper_ready, write_pdf
from cpkit.report.render import page_from_html, render_file
from cpkit.report.sections import Section, reading_order
from cpkit.report.timings import stage
from cpkit.report.workbook import WORKBOOK_NAME, build_workbook

if TYPE_CHECKING:
    from cpkit.publish.ledger import DocumentAudit


def page_meta(config: Config, period: Period, nav: bool = True) -> dict[str, object]:
    """What the template's header and footer show."""
    return {
        "la_name": config.la_name,
        "period_label": period.label,
        "sample": config.sample,
        "nav": nav,
        "footer": f"{config.la_name} Corporate Parenting report {period.label} ({period.long_label}). "
        f"Produced with cpkit {version('cpkit')}.",
    }


def _cover_report(
    staging: Path,
    data_dir: Path,
    cache_dir: Path | None,
    authored: Authored,
    config: Config,
    period: Period,
    meta: dict[str, object],
    annex: bool = False,
) -> None:
    """The committee cover report, where the council wrote ``board/cover_report.yaml``: its key issues
    from the same headline figures as the scorecard and the executive summary; the technical annex among
    its appendices where the run made one."""
    from cpkit.figures.headline import gather
    from cpkit.report.context import SectionContext
    from cpkit.report.cover_report import key_issues, load_cover_report, write_cover_report

    report = load_cover_report(data_dir, period.year, authored.cover, period, annex)
    if report is None:
        return
    card = gather(SectionContext("cover_report", config, period, data_dir, cache_dir))
    report = dataclasses.replace(report, key_issues=key_issues(card, config))
    write_cover_report(staging, report, config, period, meta)


def write_site(
    staging: Path,
    sections: list[Section],
    runs: list[SectionRun],
    config: Config,
    period: Period,
    parameters: dict[str, object],
    inputs: list[dict[str, object]],
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
    disclosure: DocumentAudit | None = None,
) -> Path:
    """Render every section page, then the contents page and ``manifest.json``, into ``staging``.

    ``disclosure``: the whole report's disclosure audit (``cpkit.publish.ledger``), said in the technical
    annex's "About the figures" and recorded in the manifest.

    ``data_dir`` (the council's data folder) gives the Board's authored sections (``cpkit.report.authored``)
    and the committee cover report (``cpkit.report.cover_report``, with the run's figures table from
    ``cache_dir``); without it the document has the data sections only."""
    staging.mkdir(parents=True)
    sections = reading_order(sections)
    meta = page_meta(config, period)
    by_name = {r.name: r for r in runs}
    pages = []
    with stage("writers", "section pages"):
        for section in sections:
            page = render_file(
                by_name[section.name].output, f"{section.title}: {config.la_name} {period.label}", meta
            )
            (staging / f"{section.name}.html").write_text(page, encoding="utf-8")
            pages.append((section, page))
    with stage("writers", "single document and annex (HTML)"):
        authored = _authored(Path(data_dir), config, period) if data_dir is not None else Authored()
        audit_text = disclosure.sentence() if disclosure is not None else ""
        documents = build_documents(pages, config, period, meta, authored, disclosure=audit_text)
        document, numbered = documents.report, documents.numbered
        (staging / DOCUMENT_NAME).write_text(paper_ready(document), encoding="utf-8")
        if documents.annex is not None:
            (staging / ANNEX_NAME).write_text(paper_ready(documents.annex), encoding="utf-8")
    with stage("writers", "Word: Board report"):
        write_docx(document, staging / DOCX_NAME)
    try:
        with stage("writers", "PDF: Board report"):
            write_pdf(document, staging / PDF_NAME)
        if documents.annex is not None:
            with stage("writers", "PDF: technical annex"):
                write_pdf(documents.annex, staging / ANNEX_PDF_NAME)
    except PdfUnavailable as error:  # the HTML and the data still make a report; say what is missing
        logging.getLogger(__name__).warning("%s", error)
    if data_dir is not None:
        with stage("writers", "cover report (Word and PDF)"):
            _cover_report(
                staging,
                Path(data_dir),
                cache_dir,
                authored,
                config,
                period,
                meta,
                documents.annex is not None,
            )
    with stage("writers", "workbook"):
        build_workbook(
            staging / WORKBOOK_NAME,
            sections,
            runs,
            numbered,
            config,
            period,
            contact=authored.cover.get("contact"),
            published=authored.cover.get("date"),  # the report's date, as its cover prints it
        )
    manifest = {
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpkit_version": version("cpkit"),
        "period": {
            "year": period.year,
            "kind": period.kind,
            "start": str(period.start),
            "end": str(period.end),
        },
        "parameters": dict(parameters),
        "partial": parameters.get("sections") == "some",
        "sections": [
            {"name": s.name, "title": s.title, "seconds": round(by_name[s.name].seconds, 1)} for s in sections
        ],
        "inputs": inputs,
    }
    if disclosure is not None:
        manifest["disclosure_audit"] = disclosure.summary()
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    index = page_from_html(
        _contents(sections, config, period, manifest, staging),
        f"Corporate Parenting report {period.label}: {config.la_name}",
        {**meta, "nav": False},
    )
    (staging / "index.html").write_text(index, encoding="utf-8")
    return staging


def _authored(data_dir: Path, config: Config, period: Period) -> Authored:
    """The Board's own sections for this year; the tracker's priorities, champions and leads when it can be
    read (its problems are the action plan section's to report, not this one's)."""
    tracker = None
    path = config.path_in(data_dir, config.action_plan_file, "action_plan.xlsx")
    if path.is_file():
        from cpkit.actions import load_action_plan
        from cpkit.errors import ActionPlanError

        try:
            tracker = tracker_people(load_action_plan(path, as_of=period.end))
        except ActionPlanError as error:  # the action plan section has already reported it; a signal
            # (ReportInterrupted) or a bug is not swallowed here
            logging.getLogger(__name__).warning("priorities table: the tracker could not be read (%s)", error)
    return load_authored(data_dir, period.year, tracker)


def _downloads(staging: Path) -> str:
    """Links to the whole report as one file and to its data, with their sizes."""
    size = {
        name: max(1, round((staging / name).stat().st_size / 1024))
        for name in (DOCUMENT_NAME, WORKBOOK_NAME, PDF_NAME, DOCX_NAME, ANNEX_NAME, ANNEX_PDF_NAME)
        if (staging / name).exists()
    }
    pdf = (
        f'<li><a href="{PDF_NAME}">The whole report as a PDF</a> (A4, {size[PDF_NAME]:,} KB): for publishing '
        "with the committee papers.</li>"
        if PDF_NAME in size
        else ""
    )
    return (
        '<h2>The whole report</h2><ul class="cp-downloads">'
        f'<li><a href="{DOCUMENT_NAME}">The whole report as one document</a> (HTML, {size[DOCUMENT_NAME]:,} KB): '
        f"a single file to attach to committee papers; it opens in any browser with no network.</li>{pdf}"
        f'<li><a href="{DOCX_NAME}">The whole report as a Word document</a> ({size[DOCX_NAME]:,} KB): for '
        "officers to edit and paste into the council's committee template.</li>"
        f"{_annex_links(size)}"
        f'<li><a href="{WORKBOOK_NAME}">The data behind every chart and table</a> (Excel, '
        f"{size[WORKBOOK_NAME]:,} KB), numbered as in the report and the annex.</li>{_cover_links(staging)}</ul>"
    )


def _annex_links(size: dict[str, int]) -> str:
    """The technical annex's files, where the run made one."""
    if ANNEX_NAME not in size:
        return ""
    pdf = (
        f' and <a href="{ANNEX_PDF_NAME}">as a PDF</a> ({size[ANNEX_PDF_NAME]:,} KB)'
        if ANNEX_PDF_NAME in size
        else ""
    )
    return (
        f'<li><a href="{ANNEX_NAME}">The technical annex</a> (HTML, {size[ANNEX_NAME]:,} KB){pdf}: the analyst\'s '
        "material behind the report (methods, the trends in full, the forecast's method and back test, the checks "
        "on the data), published with it.</li>"
    )


def _cover_links(staging: Path) -> str:
    """The committee cover report's files, or how to have one (``board/cover_report.yaml``)."""
    from cpkit.report.cover_report import DOCX_NAME as COVER_DOCX
    from cpkit.report.cover_report import PDF_NAME as COVER_PDF

    found = [
        f'<a href="{name}">{kind}</a> ({max(1, round((staging / name).stat().st_size / 1024)):,} KB)'
        for name, kind in ((COVER_DOCX, "Word"), (COVER_PDF, "PDF"))
        if (staging / name).exists()
    ]
    if found:
        return (
            f"<li>The committee cover report that puts this report before the committee: {' and '.join(found)}; "
            "its key issues are written from the headline figures.</li>"
        )
    return (
        "<li>No committee cover report: the council's data folder has no board/cover_report.yaml (the "
        "sample's shows every field).</li>"
    )


def _contents(
    sections: list[Section], config: Config, period: Period, manifest: dict, staging: Path
) -> list[str]:
    title = html.escape(f"{config.la_name}: Corporate Parenting report {period.label}")
    items = "".join(
        f'<li><a href="{s.name}.html">{html.escape(s.title)}</a>: {html.escape(s.summary)}</li>'
        for s in sections
    )
    params = manifest["parameters"]
    partial = (
        '<p class="cp-banner" role="note"><strong>Some sections only.</strong> This report was built with '
        "<code>--sections</code> and holds only the sections listed below; the full report is in its own "
        "folder.</p>"
        if manifest.get("partial")
        else ""
    )
    rows = "".join(
        f'<tr><th scope="row">{html.escape(str(i["file"]))}</th><td>{i["bytes"]:,}</td>'
        f"<td><code>{html.escape(str(i['sha256'])[:16])}</code></td></tr>"
        for i in manifest["inputs"]
    )
    return [
        f"<h1>{title}</h1>{partial}"
        f"<p>This report covers {html.escape(period.long_label)}. Each section below is a page of its own.</p>"
        f'<h2>Contents</h2><ol class="cp-contents">{items}</ol>' + _downloads(staging),
        "<h2>How this report was made</h2>"
        '<dl class="cp-manifest">'
        f"<dt>Produced</dt><dd>{html.escape(manifest['created'])}</dd>"
        f"<dt>cpkit version</dt><dd>{html.escape(manifest['cpkit_version'])}</dd>"
        f"<dt>Reporting year and period</dt><dd>{params['year']} ({html.escape(str(params['period']))}: "
        f"{html.escape(period.long_label)})</dd>"
        f"<dt>Council</dt><dd>{html.escape(str(params['la_name']))} ({html.escape(str(params['la_code']))})</dd>"
        "</dl>"
        '<div class="cp-table"><table><caption>Input files used and their SHA-256 checksums (first 16 '
        "characters; the full values are in manifest.json). Files are named relative to the data folder, "
        "or by the setting that pointed to them</caption><thead><tr>"
        '<th scope="col">File</th>'
        f'<th scope="col">Bytes</th><th scope="col">SHA-256</th></tr></thead><tbody>{rows}</tbody></table></div>',
    ]
