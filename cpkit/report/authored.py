"""The Board report's own words: the sections officers write, kept as editable files in the data folder.

About 40% of a Corporate Parenting Board annual report is not data: the chair's foreword, the legal
background, the Board's governance and membership, the priorities with their champions and leads,
co-production and the voice of children, sufficiency, the year ahead, risk management and a contact.
Officers write these in Markdown (and YAML where a table fits) beside the data, and the kit places them in
the order a Board report has them (``../shared/reference/report-anatomy.md``) around the data sections.

Files live in ``<data>/board/<year>/`` (this year's words) or ``<data>/board/`` (words that carry over from
year to year, such as the legal background); the year's file wins. Every file is optional: a part with no
file, or with nothing written in it but ``<!-- comments -->``, is left out. A Markdown file's first
``# Heading`` is the part's title (otherwise the default below); its other headings sit under it. Each
``.md`` part may be a Word file instead (``foreword.docx``, read by ``cpkit.report.authored_word``), and a
picture either names is embedded or refused (``cpkit.report.pictures``).

========================  =======================================================  =====================
file                      what it holds                                            placed
========================  =======================================================  =====================
``cover.yaml``            meeting, date, author, contact, version (the cover)      cover
``foreword.md``           the chair's foreword                                     before the summary
``background.md``         the legal duty, the seven corporate parenting principles after the summary
``board.md``              governance and membership                                after the summary
``priorities.yaml``       priorities with champions, leads and supporters          after the summary
                          (without it, the tracker's champions and leads)
``coproduction.md``       co-production and the voice of children                  after the action plan
``sufficiency.md``        sufficiency: homes, foster carers, kinship care          after the action plan
``year_ahead.yaml``       intro (Markdown) and rows of area / actions / impact     after the action plan
``risk.md``               risk management                                          after the action plan
``contact.md``            who to contact                                           at the end
========================  =======================================================  =====================

Text from these files is data: Markdown is rendered with raw HTML escaped and harmful links dropped, YAML
values are escaped. A file that cannot be read, is not valid YAML or has an unknown key is an error naming
the file and the line or key, in plain words (``cpkit.yaml_problems``; "did you mean 'date'?"); a file
whose name the kit does not know is reported by ``cpkit.report.input_names``. ``cover.yml`` does for
``cover.yaml`` (and so for every YAML file).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from cpkit.errors import AuthoredError

BOARD_DIR = "board"
TEXT_SUFFIXES = (".md", ".docx")  # a written part: Markdown or a Word file
YAML_SUFFIXES = (".yaml", ".yml", ".docx")  # a table part: YAML or a Word file holding the table
START, END = "", "*end*"  # anchors: before every data section, after every data section


@dataclass(frozen=True)
class PartSpec:
    """One authored part: its file stem, default title and the data section it follows."""

    key: str
    title: str
    after: str  # a data section's short name (notebook name without its number), START or END
    suffix: str = ".md"


PARTS: tuple[PartSpec, ...] = (
    PartSpec("foreword", "Chair's foreword", START),
    PartSpec("background", "Background: the council as corporate parent", "executive_summary"),
    PartSpec("board", "The Corporate Parenting Board", "executive_summary"),
    PartSpec("priorities", "Our priorities, their champions and leads", "executive_summary", ".yaml"),
    PartSpec("coproduction", "Co-production and the voice of children and young people", "action_plan"),
    PartSpec("sufficiency", "Sufficiency", "action_plan"),
    PartSpec("year_ahead", "The year ahead", "action_plan", ".yaml"),
    PartSpec("risk", "Risk management", "action_plan"),
    PartSpec("contact", "Contact", END),
)
COVER_KEYS = ("meeting", "date", "author", "contact", "version")
_COVER_LABELS = {
    "meeting": "Meeting",
    "date": "Date",
    "author": "Report author",
    "contact": "Contact",
    "version": "Version",
}


@dataclass(frozen=True)
class Part:
    """An authored part ready for the document: its id, title and HTML body (headings from ``<h3>``)."""

    key: str
    title: str
    after: str
    body: str

    @property
    def anchor(self) -> str:
        return f"board-{self.key.replace('_', '-')}"


@dataclass(frozen=True)
class Authored:
    """Everything authored for one report: the cover's details and the parts, in the Board report's order."""

    cover: dict[str, str] = field(default_factory=dict)
    parts: tuple[Part, ...] = ()

    def arrange(self, names: list[str]) -> list[str | Part]:
        """The data sections (by name, in reading order) with the parts placed among them: a part follows
        the data section it belongs after; one whose section is not in this report, and those for the end,
        come after the last data section."""
        items: list[str | Part] = [p for p in self.parts if p.after == START]
        placed = {p.key for p in items}
        for name in names:
            items.append(name)
            short = name.split("_", 1)[-1]
            follow = [p for p in self.parts if p.after == short]
            items += follow
            placed |= {p.key for p in follow}
        items += [p for p in self.parts if p.key not in placed]
        return items


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # an officer's note in the file, never shown


def markdown_html(text: str, source: Path | None = None, data_dir: Path | None = None) -> str:
    """Markdown from an input file as HTML: raw HTML is escaped, never passed through (an HTML comment,
    ``<!-- a note -->``, is left out: the templates explain themselves with them); tables are allowed; the
    result then passes the kit's one allow-list (``cpkit.present.sanitise.clean_commentary_html``, as the
    analyst's commentary does): only https:, mailto: and in-report links, no images of its own.

    With ``source`` (the board file the text is from) and ``data_dir``, a picture it names
    (``![what it shows](chair.jpg)``) is embedded as the kit draws it again (``cpkit.report.pictures``), or
    refused with an ``AuthoredError`` naming the file, the line and why: never dropped without a word.
    """
    import urllib.parse

    import mistune
    from mistune.util import striptags

    from cpkit.present.sanitise import clean_commentary_html
    from cpkit.report.pictures import figure_html, local_picture

    pictures: dict[str, str] = {}

    class Renderer(mistune.HTMLRenderer):
        def image(self, text: str, url: str, title: str | None = None) -> str:
            if source is None or data_dir is None:
                return super().image(text, url, title)
            reference = urllib.parse.unquote(url)
            where = f"{source}, line {_line_of(source, url)}: picture {reference}"
            alt = " ".join(html.unescape(striptags(text)).split())
            if not alt:
                raise AuthoredError(
                    f"{where}: no description; write what it shows in the square brackets, for a reader "
                    f"who cannot see it: ![Cllr A Patel, chair of the Board]({url})"
                )
            try:
                uri = local_picture(reference, source.parent, data_dir)
            except AuthoredError as error:
                raise AuthoredError(f"{where}: refused: {error}") from None
            token = f"cpkitpicture{len(pictures)}x"
            pictures[token] = figure_html(uri, alt, title)
            return token

    render = mistune.create_markdown(renderer=Renderer(escape=True), plugins=["table"])
    out = clean_commentary_html(str(render(_COMMENT.sub("", text))))
    for token, figure in pictures.items():
        out = out.replace(f"<p>{token}</p>", figure).replace(token, figure)
    return out


def _line_of(source: Path, url: str) -> int | str:
    """The line of ``source`` (from 1) naming the picture ``url``, for the message; "?" if not found."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return "?"
    return next((i for i, line in enumerate(lines, start=1) if f"]({url}" in line or url in line), "?")


def _shift_headings(fragment: str, by: int) -> str:
    def shift(m: re.Match[str]) -> str:
        level = min(6, int(m.group(2)) + by)
        return f"<{m.group(1)}h{level}"

    return re.sub(r"<(/?)h([1-6])", shift, fragment)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise AuthoredError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error


def unknown_keys(path: Path, where: str, keys: object, allowed: set[str]) -> str | None:
    """ "cover.yaml: unknown key 'dat' (did you mean 'date'?); the keys it can have: ...", or None."""
    from cpkit.report.input_names import nearest

    unknown = sorted((str(k) for k in keys if k not in allowed), key=str)  # type: ignore[union-attr]
    if not unknown:
        return None
    named = []
    for key in unknown:
        near = nearest(key, sorted(allowed))
        named.append(f"'{key}'" + (f" (did you mean '{near}'?)" if near else ""))
    return (
        f"{path}: {where}unknown key{'s' if len(unknown) > 1 else ''} {', '.join(named)}; "
        f"the keys it can have: {', '.join(sorted(allowed))}"
    )


def _read_yaml(path: Path, allowed: set[str]) -> dict:
    from cpkit.yaml_problems import plain_problem, text_cut_by_a_note

    text = _read_text(path)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise AuthoredError(f"{path}, {plain_problem(error)}") from None
    cut = text_cut_by_a_note(text)
    if cut is not None:
        raise AuthoredError(
            f"{path}, line {cut[0]}: a # after a space starts a note in YAML, so '{cut[1]}' would be left out "
            "of the report; put the whole text after the key's colon in double quotes"
        )
    if not isinstance(data, dict):
        raise AuthoredError(
            f"{path}: expected 'key: value' lines ({', '.join(sorted(allowed))}), found a "
            f"{type(data).__name__}"
        )
    problem = unknown_keys(path, "", data, allowed)
    if problem:
        raise AuthoredError(problem)
    return data


def _markdown_part(spec: PartSpec, path: Path, data_dir: Path) -> Part | None:
    """The part from a Markdown file; ``None`` when nothing is written in it but comments (a template
    from ``cpkit board init`` not yet filled in is left out, not printed empty)."""
    text = _COMMENT.sub("", _read_text(path)).strip()
    if not text:
        return None
    title = spec.title
    first = re.match(r"^#\s+(.+?)\s*#*\s*$", text.splitlines()[0])
    if first:
        title = first.group(1)
        text = "\n".join(text.splitlines()[1:])
    return Part(spec.key, title, spec.after, _shift_headings(markdown_html(text, path, data_dir), 1))


def _as_list(value: object, path: Path, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    raise AuthoredError(f"{path}: {key} must be text or a list of text")


def _table(caption: str, headers: list[str], rows: list[list[str]], row_header: bool = True) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = ""
    for row in rows:
        cells = "".join(
            f'<th scope="row">{c}</th>' if j == 0 and row_header else f"<td>{c}</td>"
            for j, c in enumerate(row)
        )
        body += f"<tr>{cells}</tr>"
    return (
        f'<div class="cp-table cp-authored-table"><table><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _people(items: list[str]) -> str:
    return html.escape(", ".join(items)) if items else "Not named"


def priorities_from_tracker(titles: dict[int, str], champions: dict[int, str]) -> list[dict]:
    """The tracker's priorities with the champions and leads its heading rows name ("Champions: Cllr A.
    Leads: Head of Fostering"): the priorities table when no ``priorities.yaml`` overrides it."""
    out = []
    for number in sorted(titles):
        text = champions.get(number, "")
        found: dict[str, list[str]] = {"champions": [], "leads": [], "supporters": []}
        for label, people in re.findall(
            r"(champions?|leads?|supporters?)\s*:\s*(.*?)(?=(?:\.\s*)?(?:champions?|leads?|supporters?)\s*:|$)",
            text,
            flags=re.IGNORECASE,
        ):
            key = label.lower().rstrip("s") + "s"
            names = [n.strip(" .;") for n in re.split(r",|;", people) if n.strip(" .;")]
            found[key] += [n for n in dict.fromkeys(names) if n not in found[key]]  # each name once
        out.append({"number": number, "title": titles[number], **found})
    return out


def priorities_part(spec: PartSpec, rows: list[dict], source: str, intro: str = "") -> Part:
    """The priorities table. The supporters column is shown only when some priority names supporters: a
    column of "Not named" on every row (the tracker's headings name champions and leads only) would say
    no one supports any priority, which the kit does not know."""
    supporters = any(r.get("supporters") for r in rows)
    table_rows = [
        [
            html.escape(f"{r['number']}. {r['title']}" if r.get("number") not in (None, "") else r["title"]),
            _people(r.get("champions", [])),
            _people(r.get("leads", [])),
            *([_people(r.get("supporters", []))] if supporters else []),
        ]
        for r in rows
    ]
    body = intro + _table(
        "The Board's priorities with their champions, lead officers"
        + (" and supporters" if supporters else ""),
        ["Priority", "Champions", "Lead officers", *(["Supporters"] if supporters else [])],
        table_rows,
    )
    body += f'<p class="cp-note">{html.escape(source)}</p>'
    return Part(spec.key, spec.title, spec.after, body)


def _priorities_yaml(spec: PartSpec, path: Path, data_dir: Path) -> Part | None:
    from cpkit.yaml_problems import item_lines

    data = _read_yaml(path, {"title", "intro", "priorities"})
    lines = item_lines(_read_text(path), "priorities")
    items = data.get("priorities") or []
    if not isinstance(items, list):
        raise AuthoredError(f"{path}: priorities must be a list")
    rows = []
    for i, item in enumerate(items, start=1):
        where = f"priorities item {i}" + (f" (line {lines[i - 1]})" if i <= len(lines) else "")
        if not isinstance(item, dict):
            raise AuthoredError(f"{path}: {where} must have keys title, champions, leads, supporters")
        problem = unknown_keys(
            path, f"{where}: ", item, {"number", "title", "champions", "leads", "supporters"}
        )
        if problem:
            raise AuthoredError(problem)
        if not str(item.get("title") or "").strip():
            raise AuthoredError(f"{path}: {where}: title is missing")
        rows.append(
            {
                "number": item.get("number", ""),
                "title": str(item["title"]),
                **{
                    k: _as_list(item.get(k), path, f"{where}: {k}")
                    for k in ("champions", "leads", "supporters")
                },
            }
        )
    if not rows:  # nothing written yet: the tracker's priorities, if any
        return None
    intro = markdown_html(str(data.get("intro") or ""), path, data_dir)
    part = priorities_part(spec, rows, f"From {path.name}.", intro)
    return Part(part.key, str(data.get("title") or spec.title), part.after, part.body)


def _year_ahead(spec: PartSpec, path: Path, data_dir: Path) -> Part | None:
    from cpkit.yaml_problems import item_lines

    data = _read_yaml(path, {"title", "intro", "rows"})
    lines = item_lines(_read_text(path), "rows")
    items = data.get("rows") or []
    if not isinstance(items, list):
        raise AuthoredError(f"{path}: rows must be a list")
    rows = []
    for i, item in enumerate(items, start=1):
        where = f"rows item {i}" + (f" (line {lines[i - 1]})" if i <= len(lines) else "")
        if not isinstance(item, dict) or not {"area", "actions", "impact"} <= set(item):
            raise AuthoredError(f"{path}: {where} must have area, actions and impact")
        problem = unknown_keys(path, f"{where}: ", item, {"area", "actions", "impact"})
        if problem:
            raise AuthoredError(problem)
        rows.append((str(item["area"]), item["actions"], str(item["impact"])))
    intro = markdown_html(str(data.get("intro") or ""), path, data_dir)
    return year_ahead_part(spec, str(data.get("title") or spec.title), intro, rows)


def year_ahead_part(
    spec: PartSpec, title: str, intro: str, rows: list[tuple[str, object, str]]
) -> Part | None:
    """The year-ahead part: ``intro`` (HTML, already cleaned) and the table of (area, actions, impact);
    actions that are a list are shown as one. ``None`` when there is neither."""
    cells = []
    for area, actions, impact in rows:
        if isinstance(actions, list):
            cell = "<ul>" + "".join(f"<li>{html.escape(str(a))}</li>" for a in actions) + "</ul>"
        else:
            cell = html.escape(str(actions))
        cells.append([html.escape(area), cell, html.escape(impact)])
    if not cells and not intro.strip():
        return None
    body = intro
    if cells:
        body += _table(
            "The year ahead: areas of focus, the actions to be taken and their impact",
            ["Area of focus", "Actions to be taken", "Impact"],
            cells,
        )
    return Part(spec.key, title, spec.after, body)


def _cover(path: Path) -> dict[str, str]:
    data = _read_yaml(path, set(COVER_KEYS))
    out = {}
    for key in COVER_KEYS:
        value = data.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, date):
            value = f"{value.day} {value:%B %Y}"
        out[key] = str(value)
    return out


def cover_html(cover: dict[str, str]) -> str:
    """The cover's details as a definition list (meeting, date, author, contact, version)."""
    if not cover:
        return ""
    items = "".join(
        f"<dt>{_COVER_LABELS[k]}</dt><dd>{html.escape(cover[k])}</dd>" for k in COVER_KEYS if k in cover
    )
    return f'<dl class="cp-cover-details">{items}</dl>'


def _find(data_dir: Path, year: int, name: str) -> Path | None:
    """This year's file, else the one that carries over; ``cover.yml`` does for ``cover.yaml``."""
    names = [name] + ([name[: -len(".yaml")] + ".yml"] if name.endswith(".yaml") else [])
    for folder in (data_dir / BOARD_DIR / str(year), data_dir / BOARD_DIR):
        for each in names:
            if (folder / each).is_file():
                return folder / each
    return None


def load_authored(
    data_dir: Path,
    year: int,
    tracker: tuple[dict[int, str], dict[int, str]] | None = None,
) -> Authored:
    """The authored parts found for ``year`` in ``data_dir`` (see the module docstring).

    ``tracker`` is the action plan's (priority titles, champions-and-leads text) by priority number; it
    gives the priorities table when there is no ``priorities.yaml``. A file that cannot be used is an
    ``AuthoredError`` naming every such file, not only the first, so one run shows all there is to mend.
    """
    problems: list[str] = []
    authored = _load(Path(data_dir), year, tracker, problems)
    if problems:
        raise AuthoredError("; ".join(problems))
    return authored


def authored_problems(data_dir: Path, year: int) -> list[str]:
    """What is wrong with the files in ``board/`` for ``year``, one message per file (``cpkit check``)."""
    problems: list[str] = []
    _load(Path(data_dir), year, None, problems)
    return problems


def _load(
    data_dir: Path, year: int, tracker: tuple[dict[int, str], dict[int, str]] | None, problems: list[str]
) -> Authored:
    parts = []
    for spec in PARTS:
        try:
            part = _part(spec, data_dir, year, tracker)
        except AuthoredError as error:
            problems.append(str(error))
            continue
        if part is not None:
            parts.append(part)
    cover: dict[str, str] = {}
    cover_path = _find(data_dir, year, "cover.yaml")
    if cover_path is not None:
        try:
            cover = _cover(cover_path)
        except AuthoredError as error:
            problems.append(str(error))
    try:  # the committee cover report is written after the sections; its file is checked now
        from cpkit.report.cover_report import read_fields

        read_fields(data_dir, year)
    except AuthoredError as error:
        problems.append(str(error))
    return Authored(cover, tuple(parts))


def _part(
    spec: PartSpec, data_dir: Path, year: int, tracker: tuple[dict[int, str], dict[int, str]] | None
) -> Part | None:
    """One part from its file (``None``: no file, or nothing written in it yet)."""
    if spec.suffix == ".yaml":
        path = _find_text(data_dir, year, spec, YAML_SUFFIXES)
        if path is not None and path.suffix.lower() == ".docx":
            from cpkit.report.authored_word import word_table_part

            made = word_table_part(spec, path, data_dir)
        else:
            reader = _priorities_yaml if spec.key == "priorities" else _year_ahead
            made = reader(spec, path, data_dir) if path is not None else None
        if made is None and spec.key == "priorities" and tracker is not None and tracker[0]:
            rows = priorities_from_tracker(*tracker)
            source = "From the action plan tracker's priority headings."
            if not any(r["supporters"] for r in rows):
                source += " The Board's own priorities file would name each priority's supporters as well."
            made = priorities_part(spec, rows, source)
        return made
    path = _find_text(data_dir, year, spec, TEXT_SUFFIXES)
    if path is None:
        return None
    if path.suffix.lower() == ".docx":
        from cpkit.report.authored_word import word_part

        return word_part(spec, path, data_dir)
    return _markdown_part(spec, path, data_dir)


def _find_text(data_dir: Path, year: int, spec: PartSpec, suffixes: tuple[str, ...]) -> Path | None:
    """A part's file: ``<key>`` with one of ``suffixes`` (``.md`` or ``.yaml``, or ``.docx``: Word), this
    year's folder first; two in one folder is an error, since the kit cannot tell which the officer meant,
    unless one holds only notes (``cpkit board init``'s template, left beside the Word file written
    instead)."""
    for folder in (data_dir / BOARD_DIR / str(year), data_dir / BOARD_DIR):
        found = [
            folder / f"{spec.key}{suffix}"
            for suffix in suffixes
            if (folder / f"{spec.key}{suffix}").is_file()
        ]
        if len(found) > 1:
            found = [path for path in found if not _only_notes(path)] or found[:1]
        if len(found) > 1:
            raise AuthoredError(
                f"{folder}: both {found[0].name} and {found[1].name} hold '{spec.title}'; keep one (or start "
                f"the other's name with _ to keep it there unread)"
            )
        if found:
            return found[0]
    return None


def _only_notes(path: Path) -> bool:
    """A Markdown file with nothing but ``<!-- comments -->``, or a YAML file with nothing but ``#`` lines."""
    suffix = path.suffix.lower()
    if suffix not in (".md", ".yaml", ".yml"):
        return False
    text = _read_text(path)
    if suffix == ".md":
        return not _COMMENT.sub("", text).strip()
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def tracker_people(plan) -> tuple[dict[int, str], dict[int, str]]:  # noqa: ANN001 - the tracker's frame
    """(priority titles, champions text) by priority number from a loaded action plan."""
    titles: dict[int, str] = {}
    for number, title in plan[["priority", "priority_title"]].drop_duplicates().itertuples(index=False):
        if number is not None and number == number and title:
            titles.setdefault(int(number), str(title))
    return titles, dict(plan.attrs.get("champions", {}))
