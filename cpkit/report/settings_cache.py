"""The run's settings, read once: the prepare step resolves ``cpkit.yaml`` and ``narrative.yaml`` and every
section kernel takes them from the run's cache instead of reading and checking both files again.

Why: ten kernels each re-reading the files did the same work ten times, and a file edited while the run
was going gave sections different settings from the figures table the prepare step built with the first
reading. Now the sections use the settings the figures were built with, or none:

- ``save_settings`` (the prepare step) pickles the resolved ``Config`` and ``Narrative`` into
  ``<cache>/settings.pickle`` with the parameters they were resolved for (data folder, settings file,
  council name and code) and, for each file they came from, its SHA-256 and its size and modification
  time (``narrative.yaml`` recorded as absent when the council has none, so one added later counts);
- ``load_settings`` (``open_section``) uses the pickle only for the same parameters, and only when every
  file is as it was: a file whose size and modification time are unchanged is taken as unchanged without
  being read (a kernel opens neither file); one whose stat changed is hashed, and if its content changed
  too, or it is gone, the section stops with a ``DataProblem`` saying which file changed since the
  prepare step, rather than mixing two readings in one report.

A notebook run by hand in JupyterLab has no cache and reads both files as before. The pickle is the run's
own, written and read by the same kit in the run's private staging folder, like the parquet tables
beside it.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

from cpkit.config import Config
from cpkit.errors import DataProblem
from cpkit.present.narrative import Narrative

SETTINGS_FILE = "settings.pickle"
NARRATIVE_FILE = "narrative.yaml"


@dataclass(frozen=True)
class Stamp:
    """What a settings file was when the prepare step read it (``sha256`` None: there was no file)."""

    path: str
    sha256: str | None
    size: int = -1
    mtime_ns: int = -1

    @classmethod
    def of(cls, path: Path) -> Stamp:
        from cpkit.report.provenance import sha256_of

        if not path.is_file():
            return cls(str(path), None)
        st = path.stat()
        return cls(str(path), sha256_of(path), st.st_size, st.st_mtime_ns)

    def changed(self) -> bool:
        """True when the file is not as it was: its stat differs and so does its content (or it came or
        went). An unchanged stat is taken on trust, so the file is not opened."""
        path = Path(self.path)
        if self.sha256 is None:
            return path.exists()
        try:
            st = path.stat()
        except OSError:
            return True
        if (st.st_size, st.st_mtime_ns) == (self.size, self.mtime_ns):
            return False
        from cpkit.report.provenance import sha256_of

        return sha256_of(path) != self.sha256


def settings_key(
    data_dir: Path, config_file: str | Path | None, la_name: str | None, la_code: str | None
) -> dict:
    """The parameters a reading of the settings is for (as ``open_section`` receives them)."""
    return {
        "data_dir": str(Path(data_dir).resolve()),
        "config_file": str(Path(config_file).resolve()) if config_file else "",
        "la_name": la_name or "",
        "la_code": la_code or "",
    }


def settings_files(data_dir: Path, config: Config, config_file: str | Path | None) -> list[Path]:
    """The files the settings are read from: the settings file and the data folder's narrative.yaml."""
    from cpkit.config import find_config

    source = config_file or config.source or find_config(data_dir)
    files = [Path(source).resolve()] if source else []
    return [*files, (Path(data_dir) / NARRATIVE_FILE).resolve()]


def save_settings(cache_dir: Path, data_dir: Path, config: Config, config_file: str | Path | None) -> Path:
    """Write the run's resolved settings and narrative for the section kernels, keyed by the parameters
    the runner gives them (the data folder, the settings file resolved, the council's name and code as
    resolved); a narrative.yaml with a fault stops the run here, once, not in every section."""
    key = settings_key(
        data_dir, Path(config_file).resolve() if config_file else "", config.la_name, config.la_code
    )
    narrative = Narrative.for_data(data_dir, config)
    path = Path(cache_dir) / SETTINGS_FILE
    stamps = [Stamp.of(f) for f in settings_files(data_dir, config, config_file)]
    with path.open("wb") as handle:
        pickle.dump({"key": key, "config": config, "narrative": narrative, "stamps": stamps}, handle)
    return path


def load_settings(cache_dir: Path | None, key: dict) -> tuple[Config, Narrative] | None:
    """The settings the prepare step read, for these parameters; ``None`` when there are none to use (no
    cache, or a cache for other parameters). ``DataProblem`` when a settings file changed since."""
    if cache_dir is None:
        return None
    path = Path(cache_dir) / SETTINGS_FILE
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        saved = pickle.load(handle)  # noqa: S301 - the run's own file, in its private staging folder
    if saved.get("key") != key:
        return None
    changed = [s.path for s in saved["stamps"] if s.changed()]
    if changed:
        raise DataProblem(
            f"{changed[0]} changed after this run read its settings (the figures were built with the first "
            "reading); run the report again so every section uses one reading"
        )
    return saved["config"], saved["narrative"]


__all__ = ["SETTINGS_FILE", "Stamp", "load_settings", "save_settings", "settings_files", "settings_key"]
