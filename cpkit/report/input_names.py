"""Files the kit finds by their names (``board/``, ``commentary/<year>/``) whose names it does not know.

The kit reads the Board's own sections from ``board/foreword.md`` and the rest, and the analyst's
commentary from ``commentary/<year>/<section>.md``, by name. A file whose name it does not know is not
read, so a typo (``forword.md``) leaves the chair's foreword out of the paper without a word. Every such
file is reported with the nearest known name ("did you mean foreword.md?"), by ``cpkit check``, by
``cpkit report`` and in the report's data quality section:

- **it stops the report** when its name is close to a known name (a typo, another capitalisation or
  extension, ``chair_foreword.md``) and no file of that known name sits beside it: the part it was
  meant to be would be missing from the paper, and a paper missing its foreword is a wrong paper;
- **it is a warning** otherwise (``notes.md``, or ``foreword_old.md`` beside ``foreword.md``): listed,
  printed and left out.

Files whose names start with ``_`` or ``.`` (drafts, an officer's notes, the system's own files), Office's
``~$`` lock files, ``*.example.*`` files (the sample's ``priorities.example.yaml``) and pictures are never
reported: the way to keep a file in ``board/`` that the kit should not read is to start its name with
``_``. Commentary is read with or without the section's number (``01_children_in_care.md`` or
``children_in_care.md``); both for one section stops the report, since only one can be shown.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from cpkit.errors import AuthoredError
from cpkit.report.authored import BOARD_DIR, PARTS

COMMENTARY_DIR = "commentary"
PICTURES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff"}
_YEAR = re.compile(r"^(19|20)\d{2}$")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NameProblem:
    """A file under ``board/`` or ``commentary/`` the kit will not read, and why."""

    path: Path
    shown: str  # the file as the data folder holds it: board/2025/forword.md
    message: str  # names the file and what to do
    stops: bool  # a likely misspelling of a part that would then be missing from the paper
    unread: bool = True  # False: the file is read, but something in it (a picture in commentary) is not

    def __str__(self) -> str:
        return self.message


def nearest(name: str, known: list[str], cutoff: float = 0.7) -> str | None:
    """The known name ``name`` most likely stands for: another capitalisation, a close spelling
    (``forword`` for ``foreword``), or a name holding a known one as a word (``chair_foreword``)."""
    lowered = {k.lower(): k for k in known}
    name = name.lower()
    if name in lowered:
        return lowered[name]
    close = difflib.get_close_matches(name, list(lowered), n=1, cutoff=cutoff)
    if close:
        return lowered[close[0]]
    words = set(re.split(r"[^a-z0-9]+", name))
    within = [k for k in lowered if k in words or (len(k) >= 5 and k in name)]
    return lowered[max(within, key=len)] if within else None


def _skipped(path: Path) -> bool:
    name = path.name
    return (
        not path.is_file()
        or name.startswith(("_", ".", "~$"))
        or ".example." in name
        or path.suffix.lower() in PICTURES
    )


def _shown(path: Path, data_dir: Path) -> str:
    try:
        return str(path.relative_to(data_dir))
    except ValueError:
        return str(path)


def _folder_problems(
    folder: Path, data_dir: Path, known: dict[str, str], kind: str, what: dict[str, str]
) -> list[NameProblem]:
    """``known``: every file name the kit reads in ``folder``, lower case, to the name it prefers;
    ``what``: the preferred name to what it holds (for the message)."""
    if not folder.is_dir():
        return []
    present = {p.name for p in folder.iterdir() if p.is_file()}  # read by exact name
    stems = sorted({Path(k).stem for k in known})
    out = []
    for path in sorted(folder.iterdir()):
        if _skipped(path) or path.name in known:
            continue
        shown = _shown(path, data_dir)
        if path.name.lower() in known:  # another capitalisation: found on Windows, not on Linux or a Mac
            target = known[path.name.lower()]
        else:
            stem = nearest(path.stem, stems)
            same = [v for k, v in known.items() if stem and Path(k).stem == stem.lower()]
            # the known name with this file's extension if there is one (forword.docx: foreword.docx)
            target = next(
                (v for v in same if Path(v).suffix == path.suffix.lower()), same[0] if same else None
            )
        keep = f"to keep it here without the kit reading it, start its name with _ (_{path.name})"
        if target is None:
            out.append(
                NameProblem(
                    path, shown, f"{shown}: not a {kind} file the kit reads, so it is left out; {keep}", False
                )
            )
            continue
        # a file the kit reads for the same part sits beside it (foreword.md beside forword.docx)
        beside = any(
            k in present and (v == target or Path(k).stem == Path(target).stem) for k, v in known.items()
        )
        if beside:
            out.append(
                NameProblem(
                    path,
                    shown,
                    f"{shown}: not a {kind} file the kit reads (it reads {target} beside it), so it is left "
                    f"out; {keep}",
                    False,
                )
            )
        else:
            out.append(
                NameProblem(
                    path,
                    shown,
                    f"{shown}: not a {kind} file the kit reads; did you mean {target}? Rename it, or "
                    f"{what.get(target, 'that part')} is left out of the report ({keep})",
                    True,
                )
            )
    return out


def board_problems(data_dir: Path, year: int) -> list[NameProblem]:
    """Files in ``board/`` and ``board/<year>/`` whose names the kit does not know."""
    what = {spec.key + spec.suffix: f"the part '{spec.title}'" for spec in PARTS}
    what.update({spec.key + ".docx": f"the part '{spec.title}'" for spec in PARTS})  # each may be Word
    what["cover.yaml"] = "the cover's details"
    what["cover_report.yaml"] = "the committee cover report"
    known = {name: name for name in what}
    known.update({n[: -len(".yaml")] + ".yml": n for n in what if n.endswith(".yaml")})
    root = Path(data_dir) / BOARD_DIR
    out = _folder_problems(root / str(year), data_dir, known, "board", what)
    return out + _folder_problems(root, data_dir, known, "board", what)


def commentary_problems(data_dir: Path, year: int, sections: list[str]) -> list[NameProblem]:
    """Files in ``commentary/<year>/`` whose names are not a section's (``sections``: the notebooks'
    names, ``01_children_in_care``), two files for one section, and commentary outside a year folder."""
    folder = Path(data_dir) / COMMENTARY_DIR / str(year)
    known: dict[str, str] = {}
    what: dict[str, str] = {}
    for name in sections:
        known[f"{name}.md"] = f"{name}.md"
        known[f"{name.split('_', 1)[-1]}.md"] = f"{name}.md"
        what[f"{name}.md"] = f"the analyst's commentary on {name}"
    known = {k.lower(): v for k, v in known.items()}
    out = _folder_problems(folder, data_dir, known, "commentary", what)
    for name in sections:
        both = [folder / f"{name}.md", folder / f"{name.split('_', 1)[-1]}.md"]
        if all(p.is_file() for p in both):
            out.append(
                NameProblem(
                    both[1],
                    _shown(both[1], data_dir),
                    f"{_shown(both[1], data_dir)}: commentary for {name} twice (also {both[0].name}); keep "
                    "one of the two",
                    True,
                )
            )
    from cpkit.present.markdown import commentary_path, commentary_pictures

    for name in sections:  # pictures in the commentary the report will show: left out, and said so
        path = commentary_path(data_dir, year, name)
        if not path.is_file():
            continue
        try:
            pictures = commentary_pictures(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if pictures:
            out.append(
                NameProblem(
                    path,
                    _shown(path, data_dir),
                    f"{_shown(path, data_dir)}: the picture(s) {', '.join(pictures)} are left out: commentary "
                    "shows text, lists, tables and links only; put a picture in one of the Board's own parts "
                    "(board/), which embed them",
                    False,
                    unread=False,
                )
            )
    root = Path(data_dir) / COMMENTARY_DIR
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if _skipped(path) or path.suffix.lower() != ".md":
                continue
            out.append(
                NameProblem(
                    path,
                    _shown(path, data_dir),
                    f"{_shown(path, data_dir)}: commentary is read from {COMMENTARY_DIR}/<year>/ (this "
                    f"report's: {COMMENTARY_DIR}/{year}/); move it there, or it is left out",
                    nearest(path.stem, [s for n in sections for s in (n, n.split("_", 1)[-1])]) is not None,
                )
            )
    return out


def name_problems(data_dir: Path, year: int, sections: list[str] | None = None) -> list[NameProblem]:
    """Every board/ and commentary file the report for ``year`` would not read (``sections``: the
    report's section names; every section notebook by default)."""
    if sections is None:
        from cpkit.report.sections import discover

        sections = [s.name for s in discover()]
    data_dir = Path(data_dir)
    return board_problems(data_dir, year) + commentary_problems(data_dir, year, sections)


def refuse_misnamed(data_dir: Path, year: int, sections: list[str] | None = None) -> list[NameProblem]:
    """Before a report runs: an ``AuthoredError`` listing the files that stop it; the others are logged
    as warnings (``cpkit report`` prints them) and returned."""
    found = name_problems(data_dir, year, sections)
    stops = [p.message for p in found if p.stops]
    if stops:
        raise AuthoredError("; ".join(stops))
    for problem in found:
        log.warning("%s", problem.message)
    return found
