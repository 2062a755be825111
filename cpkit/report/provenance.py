"""Which input files a report was made from, named so that nothing private is published.

The contents page and ``manifest.json`` record the files a run actually read, each with its size and
SHA-256, so a figure can be traced to its inputs. Listing every file present in the data folder would
publish names nobody chose to share (a file named after a child) and miss files a setting points to
outside the folder; so the record is of use, not of presence:

- the SSDA903 files the reader took a table from (``Data903.sources``);
- the settings file;
- every other file the run opened for reading under the data folder or a path a setting names
  (``kpi_file``, ``action_plan_file``, ``benchmarks_dir``): while it prepares the data (the figures
  table reads the benchmarks and KPIs) the runner logs its own reads (:func:`recording`), and it asks the
  section kernels to log theirs (:func:`log_reads_from_env`, switched on when ``cpkit`` is imported with
  :data:`LOG_ENV` set), all into the run's staging folder, through one Python audit hook on ``open``.

A file inside the data folder is named by its path relative to it (``ssda903/2025/episodes.csv``); a
file outside it by the setting that pointed to it (``kpi_file``, ``benchmarks_dir/la_cla.csv``,
``config file``). Absolute paths never appear. Checksums are computed in 1 MiB chunks, so a large file is
never read whole into memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from cpkit.config import Config

LOG_ENV = "CPKIT_INPUTS_LOG"  # folder the kernels append the files they read to (one file per process)
ROOTS_ENV = "CPKIT_INPUTS_ROOTS"  # os.pathsep-separated folders and files whose reads are logged
SKIP_ENV = "CPKIT_INPUTS_SKIP"  # folders never logged (the output folder, if it sits in the data folder)
CHUNK = 1 << 20
FILE_SETTINGS = {
    "action_plan_file": "action_plan.xlsx",
    "kpi_file": "kpis.csv",
    "benchmarks_dir": "benchmarks",
}
CONFIG_LABEL = "config file"


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in chunks of 1 MiB."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def setting_paths(data_dir: Path, config: Config, config_file: Path | None) -> dict[str, Path]:
    """Each file setting resolved to a path (relative settings are relative to the data folder)."""
    paths = {
        name: config.path_in(data_dir, getattr(config, name, None), default).resolve()
        for name, default in FILE_SETTINGS.items()
    }
    if config_file is not None:
        paths[CONFIG_LABEL] = Path(config_file).resolve()
    return paths


def reading_roots(data_dir: Path, settings: dict[str, Path]) -> list[Path]:
    """Where a kernel's reads are worth logging: the data folder and whatever a setting points outside it."""
    roots = [data_dir.resolve()]
    roots += [p for p in settings.values() if not _within(p, roots[0])]
    return roots


def log_environment(log_dir: Path, roots: Iterable[Path], skip: Iterable[Path]) -> dict[str, str]:
    """The environment variables that make kernels log their reads into ``log_dir``."""
    return {
        LOG_ENV: str(log_dir),
        ROOTS_ENV: os.pathsep.join(str(r) for r in roots),
        SKIP_ENV: os.pathsep.join(str(s) for s in skip),
    }


_STATE: dict[str, object] | None = None  # where reads are being logged in this process, if anywhere
_HOOKED = False


def _hook(event: str, args: tuple) -> None:
    """The audit hook: cheap for every event that is not an ``open`` for reading while logging is on."""
    state = _STATE
    if event != "open" or state is None:
        return
    path, mode = args[0], args[1]
    if not isinstance(path, (str, bytes, os.PathLike)) or (mode is not None and not _reads(mode)):
        return
    try:
        full = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return
    seen: set[str] = state["seen"]  # type: ignore[assignment]
    skip: tuple[str, ...] = state["skip"]  # type: ignore[assignment]
    if full in seen or not full.startswith(state["roots"]) or (skip and full.startswith(skip)):  # type: ignore[arg-type]
        return
    seen.add(full)
    try:
        with open(state["file"], "a", encoding="utf-8") as out:  # type: ignore[arg-type]  # not under a root
            out.write(full + "\n")
    except OSError:
        pass


def _start(log_file: Path, roots: Iterable[str], skip: Iterable[str]) -> dict[str, object] | None:
    global _STATE, _HOOKED
    previous = _STATE
    _STATE = {"file": str(log_file), "roots": tuple(roots), "skip": tuple(skip), "seen": set()}
    if not _HOOKED:
        sys.addaudithook(_hook)  # cannot be removed: it does nothing while _STATE is None
        _HOOKED = True
    return previous


@contextmanager
def recording(log_dir: Path, roots: Iterable[Path], skip: Iterable[Path]) -> Iterator[None]:
    """Log the files this process opens for reading under ``roots`` into ``log_dir`` while inside the
    block (the runner's own reading: the SSDA903 returns, the figures' inputs)."""
    global _STATE
    previous = _start(log_dir / f"{os.getpid()}-runner.txt", [str(r) for r in roots], [str(s) for s in skip])
    try:
        yield
    finally:
        _STATE = previous


def log_reads_from_env() -> bool:
    """In a section kernel started by the runner: log every file opened for reading under the roots.

    A Python audit hook sees every ``open()`` (pandas, openpyxl, python-docx and YAML all read through
    it). The hook does as little as possible for the many events that are not a read under a root. It
    is switched on only when the runner asked for it (:data:`LOG_ENV`).
    """
    log_dir = os.environ.get(LOG_ENV)
    if not log_dir:
        return False
    roots = [r for r in os.environ.get(ROOTS_ENV, "").split(os.pathsep) if r]
    skip = [s for s in os.environ.get(SKIP_ENV, "").split(os.pathsep) if s]
    _start(Path(log_dir) / f"{os.getpid()}.txt", roots, skip)
    return True


def _reads(mode: object) -> bool:
    if isinstance(mode, int):  # os.open flags
        return mode & (os.O_WRONLY | os.O_RDWR) == 0
    return "r" in str(mode) and "+" not in str(mode)


def logged_reads(
    log_dir: Path, ssda903_dir: Path | None = None, tables: set[Path] | None = None
) -> set[Path]:
    """Every path the runner and the kernels logged; under ``ssda903_dir`` only the files in ``tables``
    (the reader opens every file there to recognise it; only those that gave a table were used)."""
    found: set[Path] = set()
    for log in log_dir.glob("*.txt"):
        found |= {Path(line) for line in log.read_text(encoding="utf-8").splitlines() if line}
    if ssda903_dir is not None:
        folder = ssda903_dir.resolve()
        found = {p for p in found if not _within(p.resolve(), folder) or p.resolve() in (tables or set())}
    return found


def ssda903_files(sources: pd.DataFrame) -> set[Path]:
    """The files the SSDA903 reader took a table from (a workbook tab's label names its workbook)."""
    files = set()
    for label, table in zip(sources["path"], sources["table"], strict=True):
        if table is None or (isinstance(table, float) and pd.isna(table)):
            continue
        path = Path(str(label))
        if not path.is_file():
            path = Path(re.sub(r" \[[^\]]*\]$", "", str(label)))
        if path.is_file():
            files.add(path.resolve())
    return files


def input_name(path: Path, data_dir: Path, settings: dict[str, Path]) -> str | None:
    """How the manifest names a file: relative to the data folder, else by its setting; ``None`` if neither."""
    path = path.resolve()
    data_dir = data_dir.resolve()
    if _within(path, data_dir):
        return path.relative_to(data_dir).as_posix()
    for name, target in settings.items():
        if path == target:
            return name
        if _within(path, target):
            return f"{name}/{path.relative_to(target).as_posix()}"
    return None


def manifest_inputs(
    files: Iterable[Path], data_dir: Path, settings: dict[str, Path]
) -> list[dict[str, object]]:
    """One row per file used: its name (as :func:`input_name`), size and SHA-256, sorted by name."""
    rows = {}
    for path in files:
        name = input_name(path, data_dir, settings)
        if name is None or name in rows or not path.is_file():
            continue
        rows[name] = {"file": name, "bytes": path.stat().st_size, "sha256": sha256_of(path)}
    return [rows[k] for k in sorted(rows)]


def _within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return path != folder
