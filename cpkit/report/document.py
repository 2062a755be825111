"""The shareable documents: the section pages joined into the Board's report, ``annual-report.html``,
and the technical annex, ``technical-annex.html`` (the analyst's material: ``build_documents``).

Councils circulate the annual report as one attachment to committee papers, so each document must stand
alone: no script, no external resource, images as data URIs, one ``<h1>``, headings in order, ids unique
across sections (each section's ids get the section's name as a prefix), links between pages turned into
links within the document. Figures and tables are numbered in reading order ("Figure 2: ", "Table 3: ")
after the appendix has been moved to the end, and the numbering is returned so the Excel download can use
the same numbers.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Tag

from cpkit.config import Config, Period
from cpkit.present.disclosure import rule_note
from cpkit.publish.block import Block, slug
from cpkit.report.authored import Authored, Part, cover_html
from cpkit.report.render import page_from_html
from cpkit.report.sections import Section

DOCUMENT_NAME = "annual-report.html"
ANNEX_NAME = "technical-annex.html"
ANNEX_TITLE = "technical annex"
APPENDIX_CLASS = "cp-appendix"
ANNEX_CLASS = "cp-annex"  # a cell tagged ``annex`` on a section page (the kit's nbconvert template)
_HEADINGS = [f"h{i}" for i in range(1, 7)]
_ID_REFS = ("aria-labelledby", "aria-describedby", "aria-controls", "for", "headers")
_EXTERNAL = re.compile(r"^(https?:)?//", re.IGNORECASE)


@dataclass(frozen=True)
class Numbered:
    """A numbered figure or table of the document, as the Excel download needs to find it."""

    kind: str  # "Figure" or "Table"
    number: int
    section: str  # the section's name (its notebook stem)
    caption: str  # the caption as the section wrote it, without the number
    source: str  # what the published data calls it: the table's caption, or the figure's caption or alt
    series: str = ""  # "" in the Board's report, "A" in the technical annex ("Table A3")
    block: str = ""  # the typed block it shows ("<section>/<slug>", ``cpkit.publish``), "" for none
    # a table the document itself holds (the Board's own words: priorities, the year ahead) as a block of
    # words, for the Excel download; None for a table a section notebook published
    words: Block | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.series}{self.number}"


@dataclass(frozen=True)
class Documents:
    """The Board's report and the technical annex made from the same section pages, and their numbered
    figures and tables (the report's first, then the annex's "A" series)."""

    report: str
    annex: str | None  # None when no section or cell of the run is analyst material
    numbered: list[Numbered]


def build_documents(
    pages: list[tuple[Section, str]],
    config: Config,
    period: Period,
    meta: dict[str, Any],
    authored: Authored | None = None,
    disclosure: str = "",
) -> Documents:
    """The Board's report (``annual-report.html``) and the technical annex (``technical-annex.html``).

    The report is what a Board member reads at committee length: the authored parts in a Board report's
    order around the data sections. The analyst's material goes to the annex, in section order: whole
    sections marked ``annex`` (``Section.annex``: the five-year trends, the data quality checks) and, from
    any other section, the cells its notebook tagged ``annex`` (``<div class="cp-annex">`` on its page:
    how the forecast is made and its back test), each under its section's title, the report keeping a
    line that says what the annex holds. The small-number rule is said once per document, in "About the
    figures" on its contents page, and taken out of every table note, where it was repeated under each
    table (the section pages keep their notes whole, for the analyst who reads one page alone); the
    annex's (the report's, when there is no annex) also says what the disclosure audit found
    (``disclosure``). A link from one document to a place in the other becomes plain text: each document
    stands alone."""
    authored = authored or Authored()
    names = {s.name for s, _ in pages}
    by_name = {s.name: (s, page) for s, page in pages}
    order = authored.arrange([s.name for s, _ in pages])
    parts: list[Tag] = []
    appendix: list[Tag] = []
    annexed: list[tuple[Section, Tag]] = []
    soup = BeautifulSoup("", "html.parser")
    for item in order:
        if isinstance(item, Part):
            parts.append(_authored_part(soup, item))
            continue
        section, page = by_name[item]
        part, moved = _section_part(soup, section, page, names)
        if section.annex:
            annexed.append((section, part))
            continue
        extract = _annex_part(soup, section, part)
        if extract is not None:
            annexed.append((section, extract))
        parts.append(part)
        appendix.extend(moved)
    annexed.sort(key=lambda pair: [s.name for s, _ in pages].index(pair[0].name))
    rule = rule_note(config)
    container = soup.new_tag("div")
    for part in parts:
        container.append(part)
    if appendix:
        container.append(_appendix_part(soup, appendix))
    numbered = _number(soup, container)
    _drop_rule_notes(container, rule)
    _dedupe_ids(container)
    _unlink_missing(container)
    title = f"{config.la_name}: Corporate Parenting annual report {period.label}"
    contents = [
        (i.anchor, i.title) if isinstance(i, Part) else (i, by_name[i][0].title)
        for i in order
        if isinstance(i, Part) or not by_name[i][0].annex
    ]
    holds = [title for s, p in annexed for title in ([s.title] if s.annex else _holds(p))]
    fragments = [
        _cover(config, period, authored.cover),
        _toc(
            contents,
            bool(appendix),
            _about(rule, holds, in_annex=False, audit="" if annexed else disclosure),
        ),
        container.decode_contents(),
    ]
    report = page_from_html(fragments, title, {**meta, "nav": False})
    if not annexed:
        return Documents(report, None, numbered)
    annex_soup = BeautifulSoup("", "html.parser")
    holder = annex_soup.new_tag("div")
    for _, part in annexed:
        holder.append(part)
    numbered += _number(annex_soup, holder, series="A")
    _drop_rule_notes(holder, rule)
    _dedupe_ids(holder)
    _unlink_missing(holder)
    annex = page_from_html(
        [
            _cover(config, period, authored.cover, ANNEX_TITLE),
            _toc(
                [(str(p["aria-labelledby"]), s.title) for s, p in annexed],
                False,
                _about(rule, [], in_annex=True, audit=disclosure),
            ),
            holder.decode_contents(),
        ],
        f"{config.la_name}: Corporate Parenting annual report {period.label}: {ANNEX_TITLE}",
        {**meta, "nav": False},
    )
    return Documents(report, annex, numbered)


def build_document(
    pages: list[tuple[Section, str]],
    config: Config,
    period: Period,
    meta: dict[str, Any],
    authored: Authored | None = None,
) -> tuple[str, list[Numbered]]:
    """The Board's report as one HTML page and the numbered items of both documents (``build_documents``
    without the annex's HTML)."""
    documents = build_documents(pages, config, period, meta, authored)
    return documents.report, documents.numbered


def _annex_part(soup: BeautifulSoup, section: Section, part: Tag) -> Tag | None:
    """Take the section's cells tagged ``annex`` out of its part, leaving one line where the first was
    that says the annex has them; return them as the annex's part for the section (headings from
    ``<h3>``), or None when the section has none."""
    found = [e for e in part.find_all(class_=ANNEX_CLASS) if e.find_parent(class_=ANNEX_CLASS) is None]
    if not found:
        return None
    anchor = f"{section.name}-annex"
    extract = soup.new_tag(
        "section",
        attrs={"class": "cp-doc-section", "aria-labelledby": anchor, "data-section": section.name},
    )
    heading = soup.new_tag("h2", attrs={"id": anchor})
    heading.string = section.title
    extract.append(heading)
    note = soup.new_tag("p", attrs={"class": "cp-note cp-annex-note"})
    found[0].insert_before(note)
    for element in found:
        extract.append(element.extract())
    levels = [int(h.name[1]) for h in extract.find_all(_HEADINGS) if h is not heading]
    if levels:
        shift = 3 - min(levels)
        for h in extract.find_all(_HEADINGS):
            if h is not heading:
                h.name = f"h{max(3, min(6, int(h.name[1]) + shift))}"
    titles = _holds(extract)
    note.string = (
        f"More in the technical annex published with this report: {'; '.join(titles)}."
        if titles
        else "More on this is in the technical annex published with this report."
    )
    return extract


def _holds(extract: Tag) -> list[str]:
    """What a section's part of the annex holds, in words: its headings, and before the first of them the
    caption of each table or chart that has none."""
    titles: list[str] = []
    for element in extract.find_all(class_=ANNEX_CLASS, recursive=False):
        top = element.find("h3")
        if top is not None:
            titles.append(top.get_text(" ", strip=True))
        elif not titles:
            captions = element.find_all(["caption", "figcaption"])
            titles.extend(" ".join(c.get_text(" ", strip=True).split()) for c in captions)
    return titles


def _about(rule: str, annexed: list[str], in_annex: bool, audit: str = "") -> str:
    """'About the figures': the small-number rule, said once for the whole document, and what the other
    document holds."""
    other = (
        "This annex is published with the Corporate Parenting annual report and holds the analyst's "
        "material behind it, section by section. Its figures and tables are numbered A1, A2 and so on."
        if in_annex
        else (
            f"A technical annex published with this report holds the detail behind it: {'; '.join(annexed)}."
            if annexed
            else ""
        )
    )
    return (
        '<section class="cp-about" aria-labelledby="about-figures">'
        '<h2 id="about-figures">About the figures</h2>'
        f"<p>Small numbers: {html.escape(rule)}</p>"
        + (f"<p>{html.escape(audit)}</p>" if audit else "")
        + (f"<p>{html.escape(other)}</p>" if other else "")
        + "</section>"
    )


def _drop_rule_notes(container: Tag, rule: str) -> None:
    """Take the small-number rule's sentence out of every note (it is said once, in "About the figures");
    a note left empty goes."""
    for text in list(container.find_all(string=lambda t: t is not None and rule in t)):
        text.replace_with(re.sub(r"  +", " ", str(text).replace(rule, "")))
    for note in container.find_all("p", class_="cp-table-note"):
        if not note.get_text(strip=True):
            note.decompose()


def _unlink_missing(container: Tag) -> None:
    """A link to a place that is not in this document (it went to the other one) becomes its text."""
    ids = {str(e["id"]) for e in container.find_all(id=True)} | {"content", "toc-heading", "about-figures"}
    for link in container.find_all("a", href=True):
        href = str(link["href"])
        if href.startswith("#") and href[1:] not in ids:
            link.unwrap()


def _cover(config: Config, period: Period, details: dict[str, str] | None = None, subtitle: str = "") -> str:
    """Council, title, period and the paper's details (meeting, date, author, contact, version) where the
    council gave them; the template's header above it carries the synthetic-data banner."""
    title = f"Corporate Parenting annual report {period.label}" + (f": {subtitle}" if subtitle else "")
    return (
        '<div class="cp-cover">'
        f'<p class="cp-cover-council">{html.escape(config.la_name)}</p>'
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="cp-cover-period">{html.escape(period.long_label)}</p>'
        f"{cover_html(details or {})}"
        "</div>"
    )


def _authored_part(soup: BeautifulSoup, part: Part) -> Tag:
    """One authored part as a document section: its title an ``<h2>``, its body as the file gave it."""
    section = soup.new_tag(
        "section",
        attrs={
            "class": "cp-doc-section cp-authored",
            "aria-labelledby": part.anchor,
            "data-section": part.anchor,
        },
    )
    heading = soup.new_tag("h2", attrs={"id": part.anchor})
    heading.string = part.title
    section.append(heading)
    body = BeautifulSoup(part.body, "html.parser")
    _make_self_contained(soup, body)
    for child in list(body.contents):
        section.append(child.extract())
    return section


def _toc(contents: list[tuple[str, str]], appendix: bool, about: str = "") -> str:
    """The contents page: the contents, then "About the figures" on the same page."""
    items = "".join(f'<li><a href="#{anchor}">{html.escape(title)}</a></li>' for anchor, title in contents)
    if appendix:
        items += '<li><a href="#appendix">Appendix</a></li>'
    return (
        '<div class="cp-front"><nav class="cp-toc" aria-labelledby="toc-heading">'
        f'<h2 id="toc-heading">Contents</h2><ol>{items}</ol></nav>{about}</div>'
    )


def _section_part(soup: BeautifulSoup, section: Section, page: str, names: set[str]) -> tuple[Tag, list[Tag]]:
    """One section's content from its page, headings one level down, ids prefixed, appendix lifted out."""
    main = BeautifulSoup(page, "html.parser").find("main")
    if main is None:
        raise ValueError(f"section {section.name}: rendered page has no <main>")
    for anchor in main.select("a.anchor-link"):  # nbconvert's pilcrow links: noise in a document
        anchor.decompose()
    _prefix_ids(main, section.name, names)
    _make_self_contained(soup, main)
    for level in range(6, 0, -1):
        for heading in main.find_all(f"h{level}"):
            heading.name = f"h{min(level + 1, 6)}"
    part = soup.new_tag(
        "section",
        attrs={"class": "cp-doc-section", "aria-labelledby": section.name, "data-section": section.name},
    )
    first = main.find(_HEADINGS)
    if first is not None and first.name == "h2":
        first["id"] = section.name  # the section's own title becomes its anchor
    else:
        heading = soup.new_tag("h2", attrs={"id": section.name})
        heading.string = section.title
        main.insert(0, heading)
    moved = []
    for element in main.find_all(class_=APPENDIX_CLASS):
        if element.find_parent(class_=APPENDIX_CLASS) is not None:
            continue  # moves with its enclosing appendix element
        if element.find_parent(class_=ANNEX_CLASS) is not None:
            continue  # the technical annex holds it where its section put it
        element["id"] = element.get("id") or f"{section.name}-appendix-{len(moved) + 1}"
        element["data-section"] = section.name
        note = soup.new_tag("p", attrs={"class": "cp-note"})
        link = soup.new_tag("a", attrs={"href": f"#{element['id']}"})
        title = element.find(_HEADINGS)
        link.string = str(
            element.get("aria-label")
            or (title.get_text(strip=True) if title else f"Appendix: {section.title}")
        )
        note.append("See ")
        note.append(link)
        note.append(".")
        element.replace_with(note)
        moved.append(element)
    for child in list(main.contents):
        part.append(child.extract())
    return part, moved


def _appendix_part(soup: BeautifulSoup, elements: list[Tag]) -> Tag:
    """The appendix after the last section: each moved element under an ``<h3>``."""
    part = soup.new_tag(
        "section", attrs={"class": "cp-doc-section cp-doc-appendix", "aria-labelledby": "appendix"}
    )
    heading = soup.new_tag("h2", attrs={"id": "appendix"})
    heading.string = "Appendix"
    part.append(heading)
    for element in elements:
        headings = element.find_all(_HEADINGS)
        if not headings:
            title = soup.new_tag("h3")
            title.string = str(element.get("aria-label") or "Appendix")
            element.insert(0, title)
        else:
            shift = 3 - int(headings[0].name[1])
            for h in headings:
                h.name = f"h{max(3, min(6, int(h.name[1]) + shift))}"
        part.append(element)
    return part


def _prefix_ids(main: Tag, prefix: str, names: set[str]) -> None:
    """Prefix every id with the section's name and follow the links and references that use them."""
    for element in main.find_all(id=True):
        element["id"] = f"{prefix}-{element['id']}"
    for element in main.find_all(lambda t: any(t.has_attr(a) for a in _ID_REFS)):
        for attr in _ID_REFS:
            if element.has_attr(attr):
                value = element[attr]
                refs = value if isinstance(value, list) else str(value).split()
                element[attr] = " ".join(f"{prefix}-{r}" for r in refs)
    for link in main.find_all("a", href=True):
        href = str(link["href"])
        page, _, fragment = href.partition("#")
        if not page:
            link["href"] = f"#{prefix}-{fragment}"
        elif page == "index.html":
            link["href"] = "#toc-heading"
        elif page.endswith(".html") and page[:-5] in names:
            link["href"] = f"#{page[:-5]}-{fragment}" if fragment else f"#{page[:-5]}"


def _make_self_contained(soup: BeautifulSoup, main: Tag) -> None:
    """Nothing may be fetched when the attachment is opened: external links become text with their
    address, images that are not data URIs become their alt text, scripts go."""
    for element in main.find_all(["script", "link", "iframe", "object", "embed"]):
        element.decompose()
    for link in main.find_all("a", href=True):
        href = str(link["href"])
        if _EXTERNAL.match(href) or href.startswith("mailto:"):
            text = link.get_text(" ", strip=True)
            link.replace_with(text if href.endswith(text) else f"{text} ({href})")
    for img in main.find_all("img"):
        if not str(img.get("src", "")).startswith("data:"):
            span = soup.new_tag("span")
            span.string = f"[Image not included: {img.get('alt') or 'no description'}]"
            img.replace_with(span)


def _number(soup: BeautifulSoup, container: Tag, series: str = "") -> list[Numbered]:
    """Prefix "Figure N: " to each figure's caption and "Table N: " to each table's, in reading order.

    A figure without a caption gets one from its alt text; a table without a caption is left unnumbered
    (the accessibility tests fail it anyway). Each numbered item names the typed block it shows (its
    ``data-block``, written by ``show_table``/``show_chart``), so the Excel download pairs them by id, not
    by caption; a table with no block (the Board's own words) is carried as a block of words.
    """
    counts = {"Figure": 0, "Table": 0}
    numbered = []
    for element in container.find_all(["figure", "table"]):
        owner = element.find_parent(attrs={"data-section": True})
        section = str(owner["data-section"]) if owner is not None else ""
        words = None
        if element.name == "figure":
            kind, caption = "Figure", element.find("figcaption")
            img = element.find("img")
            alt = " ".join(str(img.get("alt", "")).split()) if img is not None else ""
            if caption is None:
                caption = soup.new_tag("figcaption")
                caption.string = alt or "Figure"
                element.append(caption)
                text = ""
            else:
                text = " ".join(caption.get_text().split())
            source = text or alt
        else:
            kind, caption = "Table", element.find("caption")
            if caption is None:
                continue
            text = source = " ".join(caption.get_text().split())
            if not element.get("data-block"):
                words = _words_block(element, section, text)
        block = str(element.get("data-block") or "")
        counts[kind] += 1
        caption.insert(0, f"{kind} {series}{counts[kind]}: ")
        numbered.append(
            Numbered(
                kind,
                counts[kind],
                section,
                text or source,
                source,
                series,
                block=f"{section}/{block}" if block else (words.id if words else ""),
                words=words,
            )
        )
    return numbered


def _words_block(table: Tag, section: str, caption: str) -> Block:
    """A table of the document's own words (an authored part) as a block whose cells are all words: the
    text of each cell, a list's items joined by "; "."""

    def text(cell: Tag) -> str:
        items = cell.find_all("li")
        if items:
            return "; ".join(" ".join(li.get_text(" ").split()) for li in items)
        return " ".join(cell.get_text(" ").split())

    head = table.find("thead")
    columns = [text(c) for c in head.find_all("th")] if head is not None else []
    body = table.find("tbody") or table
    rows = [[text(c) for c in tr.find_all(["th", "td"])] for tr in body.find_all("tr")]
    if not columns and rows:
        columns, rows = rows[0], rows[1:]
    return Block(f"{section}/{slug(caption)}", "table", caption, columns, rows)  # type: ignore[arg-type]


def _dedupe_ids(container: Tag) -> None:
    """Ids must be unique in the whole document (a section may repeat one; the cover uses a few)."""
    seen = {"content", "toc-heading", "about-figures"}
    for element in container.find_all(id=True):
        base = str(element["id"])
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        element["id"] = candidate
        seen.add(candidate)
