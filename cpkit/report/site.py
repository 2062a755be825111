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
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from cpkit.config import Config, Period
from cpkit.errors import PdfUnavailable, ReportFailed
from cpkit.report.authored import Authored, load_authored, tracker_people
from cpkit.report.document import ANNEX_NAME, DOCUMENT_NAME, build_documents
from cpkit.report.docx import DOCX_NAME, write_docx
from cpkit.report.execute import SectionRun
from cpkit.report.pdf import ANNEX_PDF_NAME, PDF_NAME, no_cycle_collection, paper_ready, write_pdf
from cpkit.report.render import page_from_html, render_file
from cpkit.report.sections import Section, reading_order
from cpkit.report.timings import add, stage
from cpkit.report.workbook import WORKBOOK_NAME, build_workbook
from cpkit.report.writer_pool import WRITERS_AT_ONCE, started, writers, written

if TYPE_CHECKING:
    from cpkit.publish.block import Block
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


def _cover_page(
    data_dir: Path,
    authored: Authored,
    config: Config,
    period: Period,
    meta: dict[str, object],
    issues: list[str] | None = None,
    annex: bool = False,
) -> tuple[str, str] | None:
    """The committee cover report's page and title, where the council wrote ``board/cover_report.yaml``
    (None otherwise): its key issues are ``issues`` exactly as the runner worked them out and audited them
    with the report, never worked out again here (a paragraph made after the audit would be a figure no
    audit saw; none given: the cover report has no key issues); the technical annex among its appendices
    where the run made one. Its Word file and its PDF are both written from the page."""
    from cpkit.report.cover_report import cover_report_page, load_cover_report

    report = load_cover_report(data_dir, period.year, authored.cover, period, annex)
    if report is None:
        return None
    report = dataclasses.replace(report, key_issues=list(issues or []))
    return cover_report_page(report, config, period, meta), str(report.text("title"))


def write_site(
    staging: Path,
    sections: list[Section],
    runs: list[SectionRun],
    config: Config,
    period: Period,
    parameters: dict[str, object],
    inputs: list[dict[str, object]],
    *,
    blocks: list[Block],
    data_dir: Path | None = None,
    disclosure: DocumentAudit | None = None,
    cover_issues: list[str] | None = None,
) -> Path:
    """Render every section page, then the contents page and ``manifest.json``, into ``staging``.

    ``disclosure``: the whole report's disclosure audit (``cpkit.publish.ledger``), said in the technical
    annex's "About the figures" and recorded in the manifest.

    ``data_dir`` (the council's data folder) gives the Board's authored sections (``cpkit.report.authored``)
    and the committee cover report (``cpkit.report.cover_report``); without it the document has the data
    sections only.

    ``blocks``: every section's typed blocks (``cpkit.publish``), as the runner read them once for its
    audit (``cpkit.report.runner.read_blocks``), never read again here. Every writer that reads blocks
    takes them from here (the workbook; the Word file's tables and charts, ``cpkit.report.docx``).

    ``cover_issues``: the cover report's key issues as the runner audited them with the report
    (``cpkit.report.cover_report.report_key_issues``), printed as they are."""
    from cpkit.report.cover_report import DOCX_NAME as COVER_DOCX
    from cpkit.report.cover_report import PDF_NAME as COVER_PDF
    from cpkit.report.runner import pause_for_test

    staging.mkdir(parents=True)
    # The PDFs are laid out by writer processes (``cpkit.report.writer_pool``), which start now and import
    # WeasyPrint while the pages are rendered; the workbook and the Word files are written here meanwhile.
    # the writers here make many objects that live until their file is written: no cycle collection
    # meanwhile (``no_cycle_collection``)
    with writers() as pool, no_cycle_collection():
        for _ in range(WRITERS_AT_ONCE):
            pool.submit(started)
        sections = reading_order(sections)
        meta = page_meta(config, period)
        by_name = {r.name: r for r in runs}
        with stage("writers", "the Board's own sections read"):
            authored = _authored(Path(data_dir), config, period) if data_dir is not None else Authored()
        cover: tuple[str, str] | None = None
        pdfs: dict[Future, str] = {}
        annex_sections = any(s.annex for s in sections)
        if data_dir is not None and annex_sections:
            # The cover report reads no page, only whether there is a technical annex (its Appendix 2),
            # and a section of the annex is in the run: its PDF is laid out now, by a writer process
            # beside the pages, instead of after the report's two.
            with stage("writers", "cover report (HTML)"):
                cover = _cover_page(Path(data_dir), authored, config, period, meta, cover_issues, True)
            if cover is not None:
                pdfs = _submit(pool, [("cover report (PDF)", write_pdf, (cover[0], staging / COVER_PDF), {})])
        pages = []
        with stage("writers", "section pages"):
            for section in sections:
                page = render_file(
                    by_name[section.name].output, f"{section.title}: {config.la_name} {period.label}", meta
                )
                (staging / f"{section.name}.html").write_text(page, encoding="utf-8")
                pages.append((section, page))
        with stage("writers", "single document and annex (HTML)"):
            audit_text = disclosure.sentence() if disclosure is not None else ""
            documents = build_documents(pages, config, period, meta, authored, disclosure=audit_text)
            document, numbered = documents.report, documents.numbered
            (staging / DOCUMENT_NAME).write_text(paper_ready(document), encoding="utf-8")
            if documents.annex is not None:
                (staging / ANNEX_NAME).write_text(paper_ready(documents.annex), encoding="utf-8")
        # The PDFs each read the finished HTML and write their own file, the longest first, on the writer
        # processes (the Board report's PDF alone was 6 s, one writer after another 20 s). A stop signal
        # ends the pool's processes at once (``process_pool``) and the staging folder goes with them.
        jobs: list[tuple[str, Callable[..., object], tuple, dict]] = [
            ("PDF: Board report", write_pdf, (document, staging / PDF_NAME), {}),
        ]
        if documents.annex is not None:
            jobs.append(("PDF: technical annex", write_pdf, (documents.annex, staging / ANNEX_PDF_NAME), {}))
        if data_dir is not None and not annex_sections:
            with stage("writers", "cover report (HTML)"):
                cover = _cover_page(
                    Path(data_dir), authored, config, period, meta, cover_issues, documents.annex is not None
                )
            if cover is not None:
                jobs.append(("cover report (PDF)", write_pdf, (cover[0], staging / COVER_PDF), {}))
        pdfs.update(_submit(pool, jobs))
        pause_for_test("writers")
        # Meanwhile, in this process, which has the figures, blocks and settings they read already
        # imported: the workbook, the longest, first.
        with stage("writers", "workbook"):
            build_workbook(
                staging / WORKBOOK_NAME,
                sections,
                blocks,
                numbered,
                config,
                period,
                contact=authored.cover.get("contact"),
                published=authored.cover.get("date"),  # the report's date, as its cover prints it
            )
        with stage("writers", "Word: Board report"):
            write_docx(document, staging / DOCX_NAME, blocks=blocks, numbered=numbered)
        if cover is not None:
            with stage("writers", "cover report (Word)"):
                write_docx(cover[0], staging / COVER_DOCX, title=cover[1])
        _wait_for(pdfs)
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


def _submit(
    pool: ProcessPoolExecutor, jobs: list[tuple[str, Callable[..., object], tuple, dict]]
) -> dict[Future, str]:
    """Each ``(stage, writer, args, kwargs)`` started on ``pool``: its future and its stage's name."""
    return {pool.submit(written, writer, *args, **kwargs): name for name, writer, args, kwargs in jobs}


def _wait_for(futures: dict[Future, str]) -> None:
    """Wait for the writer processes' ``futures`` (``_submit``), timing each as a writers' stage; a PDF
    WeasyPrint cannot make is a warning naming every PDF not made (the HTML, the Word files and the data
    still make a report), as are the warnings the writers log (re-logged here, where the command line
    shows them)."""
    unavailable: list[PdfUnavailable] = []
    for future in as_completed(futures):
        try:
            seconds, records = future.result()
        except PdfUnavailable as error:
            unavailable.append(error)
            continue
        except BrokenProcessPool:
            raise ReportFailed(
                "a process writing the report's files ended abruptly (killed, or out of memory); no report "
                "was written and the previous one is unchanged"
            ) from None
        add("writers", futures[future], seconds)
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
    if unavailable:  # every PDF fails for the one reason: said once
        logging.getLogger(__name__).warning("%s", unavailable[0])


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
