"""Writing a quarter's Performance on a Page folder: the page itself, and how it was made.

The folder (``reports/2025-26-Q3/``) holds ``index.html``, the one page the Board reads, printable on one
A4 landscape sheet (its own print rules below); ``performance-on-a-page.pdf``, that sheet laid out by the
same engine as the annual report's PDF (WeasyPrint); ``performance-on-a-page.docx``, the same page in Word
for an officer to edit (the annual report's Word writer: named styles, RAG shading beside the words); and ``manifest.json`` recording the run as the annual
report's does, so each quarter's page is kept and traceable.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from cpkit.config import Config, Period
from cpkit.report.execute import SectionRun
from cpkit.report.render import render_file
from cpkit.report.sections import Section

PAGE_NAME = "index.html"
PDF_NAME = "performance-on-a-page.pdf"
DOCX_NAME = "performance-on-a-page.docx"  # the editable version: the same page in Word
# One A4 landscape sheet: small type, tight table, no navigation; the screen view is unchanged.
PRINT_CSS = """
body { max-width: 84rem; font-size: .95rem; }
.cp-spark { vertical-align: middle; }
.cp-table th[scope=row] { min-width: 16rem; font-weight: normal; }
@page { size: A4 landscape; margin: 7mm; }
@media print {
  body { font-size: 7.5pt; line-height: 1.15; max-width: none; margin: 0; padding: 0; }
  h1 { font-size: 12pt; margin: 0 0 1pt; } h2 { font-size: 9pt; margin: 3pt 0 1pt; }
  p, li { margin: 0; } ul { margin: 0; padding-left: 1.2em; }
  .cp-header { margin: 0 0 2pt; padding: 0; border-bottom-width: 3px; }
  .cp-banner { margin: 0; padding: 1pt 4pt; }
  .cp-masthead { margin: 0; }
  footer, .cp-skip { display: none; }
  .cp-table { margin: 2pt 0; overflow: visible; }
  .cp-table table { font-size: 7pt; width: 100%; }
  .cp-table th, .cp-table td { padding: 0 3pt; }
  .cp-table th[scope=row] { min-width: 0; }
  .cp-table-note { font-size: 6pt; margin: 0; }
  .cp-spark { height: 9pt; width: 40pt; }
}
"""


def _write_pdf(page: str, path: Path) -> None:
    """The page on one A4 landscape sheet (its own @page rule), or a warning when WeasyPrint cannot load."""
    from cpkit.errors import PdfUnavailable

    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # Pango missing: the HTML page still serves
        logging.getLogger(__name__).warning("%s", PdfUnavailable(f"{path.name} was not made: {error}"))
        return
    HTML(string=page, base_url=None).write_pdf(str(path), pdf_tags=True, media_type="print")


def write_poap_site(
    staging: Path,
    sections: list[Section],
    runs: list[SectionRun],
    config: Config,
    period: Period,
    parameters: dict[str, object],
    inputs: list[dict[str, object]],
) -> Path:
    """Render the page and its manifest into ``staging``."""
    from cpkit.report.site import page_meta

    staging.mkdir(parents=True)
    (section,) = sections
    (run,) = runs
    meta = {**page_meta(config, period, nav=False), "page_css": PRINT_CSS}
    title = f"Performance on a Page {period.label}: {config.la_name}"
    from cpkit.report.docx import write_docx
    from cpkit.report.timings import stage

    with stage("writers", "quarterly page (HTML)"):
        page = render_file(run.output, title, meta)
        (staging / PAGE_NAME).write_text(page, encoding="utf-8")
    with stage("writers", "quarterly page (PDF)"):
        _write_pdf(page, staging / PDF_NAME)
    with stage("writers", "quarterly page (Word)"):
        write_docx(page, staging / DOCX_NAME, title=title)
    manifest = {
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpkit_version": version("cpkit"),
        "product": "performance on a page",
        "period": {
            "year": period.year,
            "kind": period.kind,
            "quarter": period.quarter,
            "start": str(period.start),
            "end": str(period.end),
        },
        "parameters": {k: v for k, v in parameters.items() if k not in ("cache_dir",)},
        "sections": [{"name": section.name, "title": section.title, "seconds": round(run.seconds, 1)}],
        "inputs": inputs,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return staging
