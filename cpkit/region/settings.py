"""``region.yaml`` and the councils of a region: who they are, their settings and where their data are.

A region's folder (``cpkit region --data``) is laid out one of two ways:

- **a hub's stacked files**: ``<folder>/ssda903/`` holds files with ``LA`` and ``YEAR`` columns (as the
  regional LIIA pipeline writes them), every council's returns in one file per table; ``region.yaml`` is
  required, since only it says which councils to look for. A council's own other inputs (``board/``,
  ``kpis.csv``, ``action_plan.xlsx``, ``narrative.yaml``, its own ``benchmarks/``) may sit in
  ``<folder>/<council folder>/``; the DfE's benchmark files in ``<folder>/benchmarks/`` serve every council
  that has none of its own.
- **one data folder per council**: ``<folder>/<council folder>/`` is what ``cpkit report --data`` takes
  (``ssda903/``, ``cpkit.yaml``, ...). ``region.yaml`` is optional: without it every sub-folder holding
  ``ssda903/`` is a council, with its own ``cpkit.yaml``.

``region.yaml``::

    title: North East regional comparison        # the region's own authored text
    introduction: |
      What this comparison is for ...
    defaults:                                     # settings every council shares (any cpkit.yaml key)
      small_number_threshold: 5
    councils:
      - la_name: Durham                           # any cpkit.yaml key: name, codes, population, districts
        la_code: E06000047
        la_old_code: "840"
        population_0_17: 98000
        la_district_codes: [E06000047]
        folder: durham                            # optional; default: the name's slug ("durham")

**Which value wins.** A council's own ``cpkit.yaml`` (in its folder) wins over its ``region.yaml`` entry,
which wins over ``defaults``: the council's own file is what its single ``cpkit report`` uses, so a
council's report from the region is the report it would build alone. ``region.yaml`` fills in what the
council's file leaves unset (and is all a hub's council needs).

**Mistakes.** Any mistake in ``region.yaml`` (not YAML, an unknown key, a council without a name, a
setting out of range, two councils with one folder, a council folder missing) refuses the whole run
before any work, every mistake at once, each with its line (``RegionError``). A mistake in a council's
own ``cpkit.yaml`` fails that council alone, as bad data does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cpkit.config import CONFIG_NAME, Config, read_yaml
from cpkit.errors import ConfigError, RegionError

REGION_FILE = "region.yaml"
SSDA903_DIR = "ssda903"
REGION_KEYS = ("title", "introduction", "defaults", "councils")
FOLDER_KEY = "folder"  # a council entry's own key (not a cpkit.yaml setting)


@dataclass(frozen=True)
class RegionCouncil:
    """One council of the region: its slug (its report's folder, ``<out>/<slug>/``), its settings as
    merged (see the module docstring) and its own folder, if it has one."""

    slug: str
    name: str
    settings: dict[str, Any]  # a cpkit.yaml mapping: defaults <- region.yaml entry <- own cpkit.yaml
    folder: Path | None  # per-council layout: its data folder; hub: its other inputs (may be None)
    own_config: Path | None = None  # <folder>/cpkit.yaml, when it keeps one
    line: int | None = None  # its entry's line in region.yaml

    @property
    def la_code(self) -> str:
        return str(self.settings.get("la_code") or "")

    def config(self) -> Config:
        """Its settings checked as ``cpkit report`` checks a ``cpkit.yaml`` (``ConfigError``)."""
        where = str(self.own_config) if self.own_config else f"{REGION_FILE} (council {self.name})"
        return Config._from_mapping(dict(self.settings), source=where)


@dataclass(frozen=True)
class Region:
    """A region's councils and its own authored text."""

    folder: Path
    councils: list[RegionCouncil]
    hub: bool  # the returns are a hub's stacked files in <folder>/ssda903/
    title: str = ""
    introduction: str = ""
    source: Path | None = None  # region.yaml, when there is one
    defaults: dict[str, Any] = field(default_factory=dict)


def slug(name: str) -> str:
    """A council's folder name from its name: "Kingston upon Hull, City of" -> "kingston-upon-hull-city-of"."""
    return re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")


def load_region(folder: Path) -> Region:
    """The region in ``folder`` (see the module docstring); ``RegionError`` listing every mistake."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise RegionError(f"{folder}: region data folder not found (--data)")
    source = folder / REGION_FILE
    hub = (folder / SSDA903_DIR).is_dir()
    if not source.is_file():
        if hub:
            raise RegionError(
                f"{source}: not found. The returns in {folder / SSDA903_DIR} are a hub's stacked files, and "
                f"{REGION_FILE} must list the councils to find in them (their names and codes; README: "
                "'A region on Dask')"
            )
        return Region(folder, _discovered(folder), hub=False)
    raw, lines = _read(source)
    problems: list[str] = []
    for key in sorted(set(raw) - set(REGION_KEYS), key=str):
        problems.append(
            f"line {lines.get(key, '?')}: unknown key {key!r} (a misspelling?); known: {', '.join(REGION_KEYS)}"
        )
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append(f"line {lines.get('defaults', '?')}: defaults must be 'setting: value' lines")
        defaults = {}
    for key in ("title", "introduction"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            problems.append(f"line {lines.get(key, '?')}: {key} must be text")
    entries = raw.get("councils")
    if not isinstance(entries, list) or not entries:
        problems.append(
            f"line {lines.get('councils', 1)}: 'councils:' must list the region's councils, one '- la_name: ...' "
            "entry each"
        )
        entries = []
    councils: list[RegionCouncil] = []
    seen: dict[str, int | None] = {}
    for i, entry in enumerate(entries):
        line = lines.get(("councils", i))
        council = _council(folder, entry, defaults, line, hub, problems)
        if council is None:
            continue
        if council.slug in seen:
            problems.append(
                f"line {line}: council {council.name} has the folder {council.slug!r} of the council on line "
                f"{seen[council.slug]}; give each council its own (folder: ...)"
            )
            continue
        seen[council.slug] = line
        councils.append(council)
    if problems:
        raise RegionError(f"{source}: " + "; ".join(problems))
    return Region(
        folder,
        councils,
        hub=hub,
        title=str(raw.get("title") or ""),
        introduction=str(raw.get("introduction") or ""),
        source=source,
        defaults=dict(defaults),
    )


def _read(source: Path) -> tuple[dict[str, Any], dict[Any, int]]:
    """region.yaml's mapping and the line (from 1) of each top-level key and of each council's entry."""
    try:
        raw = read_yaml(source)
    except (
        ConfigError
    ) as exc:  # not YAML, not UTF-8, not 'key: value' lines: the file and line in plain words
        raise RegionError(str(exc)) from None
    lines: dict[Any, int] = {}
    try:
        node = yaml.compose(source.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return raw, lines
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[key.value] = key.start_mark.line + 1
            if key.value == "councils" and isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    lines[("councils", i)] = item.start_mark.line + 1
    return raw, lines


def _council(
    folder: Path, entry: object, defaults: dict[str, Any], line: int | None, hub: bool, problems: list[str]
) -> RegionCouncil | None:
    """One ``councils:`` entry merged with ``defaults`` and the council's own cpkit.yaml; its mistakes
    appended to ``problems``."""
    if not isinstance(entry, dict):
        problems.append(
            f"line {line}: a council entry must be 'setting: value' lines (la_name: ..., la_code: ...)"
        )
        return None
    entry = dict(entry)
    own_folder_name = entry.pop(FOLDER_KEY, None)
    name = entry.get("la_name") or defaults.get("la_name")
    if not name and not own_folder_name:
        problems.append(f"line {line}: a council needs its la_name (or a folder: holding its cpkit.yaml)")
        return None
    sub = folder / str(own_folder_name or slug(str(name)))
    own = sub / CONFIG_NAME if (sub / CONFIG_NAME).is_file() else None
    if own_folder_name and not sub.is_dir():
        problems.append(f"line {line}: folder {own_folder_name!r} not found in {folder}")
        return None
    if not hub and not (sub / SSDA903_DIR).is_dir():
        problems.append(
            f"line {line}: council {name or own_folder_name}: {sub / SSDA903_DIR} not found (each council's data "
            f"folder holds its returns under {SSDA903_DIR}/; a hub's stacked files go in {folder / SSDA903_DIR})"
        )
        return None
    settings = {**defaults, **entry}
    if own is not None:
        try:
            settings.update(read_yaml(own))
        except ConfigError:
            pass  # the council's own file: its mistake fails that council alone, when its report is built
    name = str(settings.get("la_name") or name or own_folder_name)
    council = RegionCouncil(
        slug=slug(str(own_folder_name or name)),
        name=name,
        settings=settings,
        folder=sub if sub.is_dir() else None,
        own_config=own,
        line=line,
    )
    if own is None:  # the council's settings are region.yaml's alone: their mistakes are region.yaml's
        try:
            council.config()
        except ConfigError as exc:
            problems.append(f"line {line}: council {name}: {_without_where(str(exc))}")
            return None
    return council


def _without_where(message: str) -> str:
    """A settings message without the file name ``check_settings`` put first (region.yaml names itself)."""
    return message.split(": ", 1)[1] if message.startswith(REGION_FILE) else message


def _discovered(folder: Path) -> list[RegionCouncil]:
    """Without region.yaml: every sub-folder holding ssda903/ is a council, named by its own cpkit.yaml."""
    councils = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and (p / SSDA903_DIR).is_dir()):
        own = sub / CONFIG_NAME
        settings: dict[str, Any] = {}
        if own.is_file():
            try:
                settings = read_yaml(own)
            except ConfigError:
                settings = {}
        name = str(settings.get("la_name") or sub.name)
        councils.append(RegionCouncil(sub.name, name, settings, sub, own if own.is_file() else None))
    if not councils:
        raise RegionError(
            f"{folder}: no councils found: put one data folder per council in it (each holding {SSDA903_DIR}/ and "
            f"cpkit.yaml), or a hub's stacked files in {SSDA903_DIR}/ with a {REGION_FILE} listing the councils "
            "(README: 'A region on Dask')"
        )
    return councils


def choose(region: Region, wanted: list[str] | None) -> list[RegionCouncil]:
    """The councils ``--councils`` names (by name, folder, ONS or DfE code, as the hub matching compares
    them), in region.yaml's order; all by default. ``RegionError`` naming those not in the region."""
    if not wanted:
        return list(region.councils)
    from cpkit.ssda903.councils import _code_key, normalise_name

    def keys(council: RegionCouncil) -> set[str]:
        found = {council.slug, f"name:{normalise_name(council.name)}"}
        for setting in ("la_code", "la_old_code"):
            code = _code_key(council.settings.get(setting))
            if code:
                found.add(f"code:{code}")
        return found

    chosen: set[str] = set()
    unknown = []
    for word in wanted:
        asked = {slug(word), f"name:{normalise_name(word)}", f"code:{_code_key(word)}"}
        hits = [c.slug for c in region.councils if keys(c) & asked]
        if hits:
            chosen.update(hits)
        else:
            unknown.append(word)
    if unknown:
        known = ", ".join(f"{c.name} ({c.slug})" for c in region.councils)
        raise RegionError(f"--councils: {', '.join(unknown)} not in the region; its councils: {known}")
    return [c for c in region.councils if c.slug in chosen]
