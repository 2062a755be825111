"""Rendering executed notebooks to the officers' HTML with nbconvert and the kit's own template.

The template (``templates/cpkit``) keeps only Markdown cells and rich outputs: no code, prompts,
parameter cells, printed text or tracebacks; it loads no script and no external URL, and gives every page
``lang="en"``, a real ``<title>``, a ``<main>`` landmark and the sample-data banner when it applies.
Every HTML and Markdown output passes through ``cpkit.present.sanitise.clean_page_html`` (the filter
``cpkit_clean``) on its way into the page, so text that came from input can never be script, an event
handler, a frame or a remote resource, whichever section displayed it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat

from cpkit.present.sanitise import clean_page_html

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("cpkit.report").joinpath("templates/report.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _exporter():  # noqa: ANN202 - nbconvert's exporter type
    """One exporter per process, reused for every page: making one loads and compiles the templates,
    which took three times as long as rendering the ten section pages with it."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES_DIR)], template_name="cpkit")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_anchor_links = True  # "¶" links on every heading are noise for officers
    exporter.register_filter("cpkit_clean", clean_page_html)
    return exporter


def render_notebook(nb: nbformat.NotebookNode, title: str, meta: dict[str, Any]) -> str:
    """HTML for an executed notebook; ``meta`` fills the header (council, period, sample banner, footer)."""
    nb = nbformat.from_dict(nb)  # copy: the analyst's executed notebook keeps its own metadata
    nb.metadata["title"] = title
    nb.metadata["cpkit"] = meta
    body, _ = _exporter().from_notebook_node(nb, resources={"cpkit_css": _css()})
    return body


def render_file(path: Path, title: str, meta: dict[str, Any]) -> str:
    """Render an executed notebook file."""
    return render_notebook(nbformat.read(str(path), as_version=4), title, meta)


def page_from_html(fragments: list[str], title: str, meta: dict[str, Any]) -> str:
    """A page of the report that is not a notebook (contents, manifest), in the same template."""
    nb = nbformat.v4.new_notebook()
    for fragment in fragments:
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": fragment})]
        nb.cells.append(cell)
    return render_notebook(nb, title, meta)
