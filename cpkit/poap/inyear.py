"""In-year SSDA903 extracts: the case system's data to an extract date, next to the submitted returns.

Between returns, councils run the SSDA903 extract from their case system for the Board's quarterly
Performance on a Page. An extract holds the Episodes (and Header, UASC, adoption tables) of the current
collection year up to the day it was run, with episodes still open on that day left open; it has no OC2 or
OC3 (those cohorts exist only at 31 March). The kit keeps extracts apart from the returns, in
``<data>/inyear/<YYYY-MM-DD>/`` (the folder name is the extract date), so an annual report never reads one.

For the quarterly page the newest extract is stacked on the submitted returns as the return of its
collection year (an extract run in December 2025 stands for the 2025-26 return, collection year 2026):
the returns' stacking rules then let it speak for that year, as the return will when it is submitted.
Nothing after the extract date is known, so a period ending after it is refused
(:func:`require_covered`), never shown as if it had data.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cpkit.config import Period
from cpkit.errors import ConfigError, DataNotThere
from cpkit.ssda903.model import Data903
from cpkit.ssda903.tables import SOURCE_FILE

INYEAR_DIR = "inyear"
SSDA903_DIR = "ssda903"
_DATE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TABLE_SUFFIXES = (".csv", ".xlsx", ".xml")


@dataclass(frozen=True)
class Extract:
    """One in-year extract: its folder and the day it was run."""

    folder: Path
    extract_date: date

    @property
    def collection_year(self) -> int:
        """The return this extract stands for: 2026 for an extract run between April 2025 and March 2026."""
        d = self.extract_date
        return d.year + 1 if d.month >= 4 else d.year


def find_extracts(data_dir: Path) -> list[Extract]:
    """Every extract under ``<data>/inyear/``, oldest first; a folder not named as a date is an error."""
    root = Path(data_dir) / INYEAR_DIR
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        m = _DATE_NAME.match(folder.name)
        try:
            when = date(int(m[1]), int(m[2]), int(m[3])) if m else None
        except ValueError:
            when = None
        if when is None:
            raise ConfigError(
                f"{folder}: an in-year extract folder must be named by its extract date, e.g. "
                f"{INYEAR_DIR}/2025-12-31"
            )
        found.append(Extract(folder, when))
    return found


def latest_extract(data_dir: Path) -> Extract | None:
    """The newest extract, or None when the council keeps none."""
    extracts = find_extracts(data_dir)
    return extracts[-1] if extracts else None


def load_with_extract(data_dir: Path, extract: Extract | None) -> Data903:
    """The submitted returns with ``extract`` stacked on as its collection year's return.

    The extract's files are laid out (copied, they are small) in a folder named by its collection year, so
    the loader reads them exactly as it reads a return of that year.
    """
    from cpkit.ssda903 import load_903

    returns = Path(data_dir) / SSDA903_DIR
    sources: list[Path] = [returns] if returns.is_dir() else []
    if extract is None:
        if not sources:
            raise DataNotThere(
                f"no SSDA903 returns in {returns}: the data folder needs a {SSDA903_DIR}/ folder of returns"
            )
        return load_903(sources)
    with tempfile.TemporaryDirectory(prefix="cpkit-inyear-") as tmp:
        year_dir = Path(tmp) / str(extract.collection_year)
        year_dir.mkdir()
        for f in sorted(extract.folder.iterdir()):
            if f.is_file() and f.suffix.lower() in TABLE_SUFFIXES and not f.name.startswith((".", "~$")):
                shutil.copy(f, year_dir / f.name)
        return _named_as_extract(load_903([*sources, year_dir]), year_dir, extract.folder)


def _named_as_extract(data: Data903, copied: Path, folder: Path) -> Data903:
    """``data`` with every file name under ``copied`` (the temporary folder the extract was laid out in)
    given as the extract's own file in ``folder``: a message about a row names the file the council can
    open, and the manifest the file it gave, never a folder gone when the run ends."""

    def own(value: object) -> object:
        if isinstance(value, str) and value.startswith(str(copied)):
            return str(folder / Path(value).relative_to(copied).name)
        return value

    for frame, column in (
        *((t, SOURCE_FILE) for t in data.tables.values()),
        (data.issues, "file"),
        (data.set_aside, "file"),
        (data.sources, "path"),
        (data.returns_episodes, SOURCE_FILE),
        (data.returns_header, SOURCE_FILE),
    ):
        if frame is not None and column in frame.columns:
            frame[column] = frame[column].map(own).astype(frame[column].dtype)
    return data


def last_day_with_data(data: Data903, extract: Extract | None) -> date:
    """The last day the data speak for: the extract date, else 31 March of the newest return."""
    if extract is not None:
        return extract.extract_date
    years = data.episodes["return_year"].dropna() if "return_year" in data.episodes else []
    if len(years) == 0:
        raise ConfigError("the SSDA903 data hold no return year, so no period can be reported")
    return date(int(max(years)), 3, 31)


def require_covered(period: Period, last_day: date) -> None:
    """Refuse a period that ends after the data do (its figures would be silently short)."""
    if period.end > last_day:
        raise ConfigError(
            f"{period.label} ends on {period.end:%d %B %Y} but the data run only to {last_day:%d %B %Y}: "
            f"add an in-year extract dated on or after {period.end:%d %B %Y} under "
            f"{INYEAR_DIR}/<YYYY-MM-DD>/, or choose an earlier quarter"
        )
