"""A hub's stacked files cut into one data folder per council, so each council's report reads its own
returns only.

A hub's ``ssda903/`` files hold every council's rows, told apart by the ``LA`` column. Each council gets a
data folder in the run's work folder (``<work>/<slug>/``) laid out as ``cpkit report --data`` expects:

- ``ssda903/``: every CSV file with an ``LA`` column cut to the rows ``cpkit.ssda903.match_council`` gives
  the council (its name, ONS code or DfE code, compared as the reader compares them), at the same path,
  with every column kept (``LA`` and ``YEAR`` too, so the reader takes each row's return year from
  ``YEAR`` exactly as it does reading the hub's file). Lines above the headings are kept; the file is
  written as UTF-8 with the delimiter it had. A file without an ``LA`` column, or a workbook or XML
  return, is linked whole: the council's reader picks its rows, as ``cpkit report`` does;
- the council's own other inputs from ``<hub>/<its folder>/`` (``board/``, ``kpis.csv``,
  ``action_plan.xlsx``, ``narrative.yaml``, ``benchmarks/``), linked; the hub's ``benchmarks/`` when the
  council has none of its own.

A council no row of any file matches is not given a folder: its entry says which ``LA`` values the files
hold, so the user can fix its name or codes in ``region.yaml``. The work folder holds child-level rows:
the run removes it at its end, as ``cpkit report`` removes its staging folder.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd

from cpkit.region.settings import SSDA903_DIR, RegionCouncil

LA_COLUMN = "LA"
SHARED = ("benchmarks",)  # the hub's own inputs every council without its own gets
_NOT_LINKED = {SSDA903_DIR, "cpkit.yaml"}


def split_hub(hub: Path, councils: list[RegionCouncil], work: Path) -> dict[str, Path | str]:
    """Cut the hub's files into ``<work>/<slug>/`` for each council: slug -> its data folder, or the
    reason it has none (no rows matched it)."""
    from cpkit.ssda903.councils import Council, match_council

    source = hub / SSDA903_DIR
    folders = {c.slug: work / c.slug for c in councils}
    matched: dict[str, int] = {c.slug: 0 for c in councils}
    found_values: set[str] = set()
    for folder in folders.values():
        (folder / SSDA903_DIR).mkdir(parents=True, exist_ok=True)
    for file in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = file.relative_to(source)
        cut = _read_stacked(file) if file.suffix.lower() == ".csv" else None
        if cut is None:  # not a stacked CSV: every council's reader picks its own rows from it
            for folder in folders.values():
                _link(file, folder / SSDA903_DIR / rel)
            continue
        prefix, delimiter, headings, rows = cut
        la = pd.Series(
            [r[headings.index(LA_COLUMN)] if len(r) > headings.index(LA_COLUMN) else "" for r in rows]
        )
        found_values |= {v for v in la.unique() if str(v).strip()}
        for council in councils:
            settings = council.settings
            chosen = Council(
                name=settings.get("la_name") or None,
                code=settings.get("la_code") or None,
                old_code=str(settings["la_old_code"]) if settings.get("la_old_code") else None,
            )
            keep = match_council(la.where(la.str.strip() != ""), chosen).rows.to_numpy()
            if not keep.any():
                continue
            matched[council.slug] += int(keep.sum())
            _write(
                folders[council.slug] / SSDA903_DIR / rel,
                prefix,
                delimiter,
                [r for r, k in zip(rows, keep, strict=True) if k],
            )
    out: dict[str, Path | str] = {}
    for council in councils:
        if not matched[council.slug]:
            values = ", ".join(sorted(found_values)[:20]) or "none"
            out[council.slug] = (
                f"no row of the hub's files in {source} is this council's (matched by la_name, la_code and "
                f"la_old_code in region.yaml; the LA column holds: {values})"
            )
            continue
        _link_inputs(hub, council, folders[council.slug])
        out[council.slug] = folders[council.slug]
    return out


def _read_stacked(file: Path) -> tuple[list[str], str, list[str], list[list[str]]] | None:
    """(lines above and including the headings, delimiter, headings, rows) of a CSV with an ``LA``
    column; ``None`` for any other file."""
    from cpkit.ssda903.files import decode, find_headings

    text, _ = decode(file.read_bytes())
    lines = text.splitlines(keepends=True)
    index, delimiter = find_headings([line.rstrip("\r\n") for line in lines])
    if index >= len(lines):
        return None
    headings = next(csv.reader([lines[index].rstrip("\r\n")], delimiter=delimiter), [])
    if LA_COLUMN not in [h.strip() for h in headings]:
        return None
    headings = [h.strip() for h in headings]
    rows = [r for r in csv.reader(io.StringIO("".join(lines[index + 1 :])), delimiter=delimiter) if r]
    return lines[: index + 1], delimiter, headings, rows


def _write(path: Path, prefix: list[str], delimiter: str, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("".join(line if line.endswith("\n") else line + "\n" for line in prefix))
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(rows)


def _link(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        os.symlink(target, link)


def _link_inputs(hub: Path, council: RegionCouncil, folder: Path) -> None:
    """The council's own inputs other than its returns, and the hub's shared ones it has no copy of."""
    own = council.folder
    if own is not None and own.is_dir():
        for entry in own.iterdir():
            if entry.name not in _NOT_LINKED:
                _link(entry, folder / entry.name)
    for name in SHARED:
        if (hub / name).exists() and not (folder / name).exists():
            _link(hub / name, folder / name)
