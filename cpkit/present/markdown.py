"""Prose in the report: generated paragraphs and the analyst's own commentary.

Generated prose is shown with ``show_markdown``: beside the Markdown it records, in a ``kind="text"``
block under the tables' MIME type, every figure its sentences print (the sentences the kit filled and
registered in the kernel whose text it shows: ``cpkit.publish.text``), so the report's disclosure audit
checks the words with the tables. Only the Markdown is rendered; the block is for the writers that read
blocks (the audit; the workbook leaves text blocks out).

Commentary is the analyst's Markdown, which would let raw HTML through; it is rendered, then cleaned to
text, lists, tables and https links (``cpkit.present.sanitise.clean_commentary_html``): no script, event
handler, frame, style or image, so nothing in it runs or is fetched when an officer opens the page.
"""

from __future__ import annotations

import html
from pathlib import Path

from IPython.display import HTML, Markdown, display


def show_markdown(text: str) -> None:
    """Display generated prose (Markdown) as part of the section, with the figures its sentences print
    as a text block beside it (``cpkit.publish.text``: the registered sentences it shows)."""
    from cpkit.present.tables import BLOCK_MIME, block_slug
    from cpkit.publish.text import gather, text_block

    sentences = gather(text)
    block = text_block(sentences) if sentences else None
    if block is None:
        display(Markdown(text))
        return
    block.id = block_slug(block.caption)
    display({"text/markdown": str(text), BLOCK_MIME: block.to_json()}, raw=True)


def commentary_path(data_dir: str | Path, year: int, section: str) -> Path:
    """Where an analyst keeps commentary: ``<data_dir>/commentary/<year>/<section>.md``, the section named
    with its number (``01_children_in_care.md``) or without (``children_in_care.md``), as ``--sections``
    takes either; the numbered name when there is neither (``cpkit.report.input_names`` reports a
    misnamed file, and both names for one section, before the report runs)."""
    folder = Path(data_dir) / "commentary" / str(year)
    numbered = folder / f"{section}.md"
    plain = folder / f"{section.split('_', 1)[-1]}.md"
    return plain if plain.is_file() and not numbered.is_file() else numbered


def show_commentary(data_dir: str | Path, year: int, section: str) -> bool:
    """Show the analyst's commentary for this section and year in a marked box, if there is one."""
    path = commentary_path(data_dir, year, section)
    if not path.exists():
        return False
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from cpkit.present.sanitise import clean_commentary_html

    body = clean_commentary_html(markdown2html_mistune(path.read_text(encoding="utf-8")))
    display(
        HTML(
            '<aside class="cp-commentary" aria-label="Analyst commentary">'
            f'<p class="cp-commentary-title">Commentary from the analyst ({html.escape(str(year))})</p>'
            f"{body}</aside>"
        )
    )
    return True


def commentary_pictures(text: str) -> list[str]:
    """The pictures a commentary file names (Markdown ``![...](...)`` or an ``<img>`` tag): commentary
    shows text, lists, tables and links only, so ``cpkit check`` and ``cpkit report`` say each is left out
    rather than drop it without a word (``cpkit.report.input_names``)."""
    import re

    import mistune

    found: list[str] = []

    def walk(tokens: list[dict]) -> None:
        for token in tokens:
            if token.get("type") == "image":
                found.append(str(token.get("attrs", {}).get("url", "")))
            if token.get("type") in ("block_html", "inline_html"):
                found.extend(
                    re.findall(r"<img\b[^>]*?src=[\"']?([^\"'\s>]*)", str(token.get("raw", "")), re.I)
                )
            walk(token.get("children") or [])

    walk(mistune.create_markdown(renderer=None, plugins=["table"])(text))
    return found
