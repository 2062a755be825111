"""Refusals before any work: the command line's values and the data folder's layout, checked in well under
a second, before pandas, papermill or a kernel is started (importing those alone takes seconds).

A scheduled run that cannot succeed should say so at once, in one line, not after the DfE validator and a
kernel have run (``--year 2031`` took 40 s to refuse; a quarter past the data crashed in a notebook cell
after 80 s). This module imports nothing heavy, so the command line can call it first:

- the command line (exit 2, as argparse's own errors): ``--year`` is a four-digit year, ``--jobs``,
  ``--timeout`` and ``--limit`` are whole numbers of at least 1;
- the data (exit 1, :class:`DataNotThere`): ``--data`` is a folder holding ``ssda903/``; ``--config``, when
  given, is a file; a year or quarter the returns certainly do not reach.

Only what is certain from the folder's names is refused here. The returns' collection years are read from
their paths (``ssda903/2025/``, ``2024-25``); the reader may also move a folder's year on by one (a folder
named by the year its return starts) or take it from the episodes' dates, so a year up to one past the
newest path year, or any year when some file's path names none, is left to the prepare step, which reads
the tables and refuses with the full reasons (``cpkit.report.prepare.blockers``). An in-year extract's date
is its folder's name (``inyear/<YYYY-MM-DD>/``), so a quarter ending after the newest extract is certain.
"""

from __future__ import annotations

import argparse
import calendar
import re
from datetime import date
from pathlib import Path

from cpkit.errors import DataNotThere

SSDA903_DIR = "ssda903"
INYEAR_DIR = "inyear"
TABLE_SUFFIXES = (".csv", ".xlsx", ".xml")
FIRST_YEAR, LAST_YEAR = 1990, 2099  # four-digit years a return can be for (SSDA903 began in the 1990s)
_EXTRACT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def year(text: str) -> int:
    """``--year``: a four-digit year (argparse type: a wrong value exits 2 with this message)."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not FIRST_YEAR <= value <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"must be a four-digit year such as 2025 (the year the period ends in), not {text!r}"
        )
    return value


def at_least_one(text: str) -> int:
    """``--jobs``, ``--timeout``, ``--limit``: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def data_folder(data: Path, config: str | None = None) -> Path:
    """``--data`` is a council's data folder (it holds ``ssda903/``) and ``--config``, if given, a file."""
    if not data.is_dir():
        raise DataNotThere(
            f"{data}: data folder not found (--data is the council's folder holding cpkit.yaml)"
        )
    if not (data / SSDA903_DIR).is_dir():
        raise DataNotThere(
            f"{data / SSDA903_DIR}: folder not found. --data is the council's data folder, holding cpkit.yaml "
            f"and the SSDA903 returns under {SSDA903_DIR}/ (one folder per collection year, e.g. "
            f"{SSDA903_DIR}/2025/; README: 'The data folder')"
        )
    if config is not None and not Path(config).is_file():
        raise DataNotThere(f"{config}: settings file not found (--config)")
    return data


def path_year(path: str) -> int | None:
    """The collection year a file's name or folder names (``2025``, ``2024-25``, ``2024_25``); only those
    two parts, so a year in a folder further up (``/data/2025-report/``) is not taken for every file's."""
    for part in reversed(re.split(r"[/\\]", path)[-2:]):
        if m := re.search(r"(?<!\d)(20\d\d)[-_]?(\d\d)(?!\d)", part):
            if (int(m.group(1)) + 1) % 100 == int(m.group(2)):
                return int(m.group(1)) + 1
        if m := re.search(r"(?<!\d)(20\d\d)(?!\d)", part):
            return int(m.group(1))
    return None


def path_years(data: Path) -> list[int] | None:
    """The collection years the returns' paths name, or ``None`` when some table file's path names none
    (its year is then known only from its rows)."""
    root = data / SSDA903_DIR
    years = set()
    for file in root.rglob("*"):
        if not file.is_file() or file.suffix.lower() not in TABLE_SUFFIXES or file.name.startswith("."):
            continue
        found = path_year(file.relative_to(root).as_posix())
        if found is None:
            return None
        years.add(found)
    return sorted(years) or None


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def require_return(data: Path, report_year: int) -> None:
    """Refuse a report year the returns certainly do not hold (see the module docstring)."""
    years = path_years(data)
    if years is None:
        return
    if report_year < years[0] or report_year > years[-1] + 1:
        raise DataNotThere(
            f"no SSDA903 return for the year ending 31 March {report_year} in {data / SSDA903_DIR} (the returns "
            f"found are for {_years(years)}): choose a year the data covers with --year, or add that year's "
            f"files under {SSDA903_DIR}/{report_year}/"
        )


def quarter_end(financial_year: int, quarter: int) -> date:
    """The last day of quarter 1-4 (April-June ... January-March) of the financial year ending in
    ``financial_year``."""
    month = 3 * quarter + 3  # June, September, December, March (15)
    year_of = financial_year - 1 if month <= 12 else financial_year
    month = (month - 1) % 12 + 1
    return date(year_of, month, calendar.monthrange(year_of, month)[1])


def require_quarter(data: Path, financial_year: int, quarter: int) -> None:
    """Refuse a quarter that ends after the data certainly do: after the newest in-year extract's date,
    or (with no extract) after 31 March of the year after the newest return's path year."""
    end = quarter_end(financial_year, quarter)
    label = f"Q{quarter} {financial_year - 1}-{str(financial_year)[-2:]}"
    extracts = sorted(
        date(int(m[1]), int(m[2]), int(m[3]))
        for folder in ((data / INYEAR_DIR).iterdir() if (data / INYEAR_DIR).is_dir() else [])
        if folder.is_dir() and (m := _EXTRACT.match(folder.name)) and _valid(m)
    )
    if extracts:
        last, what = extracts[-1], f"the newest in-year extract ({INYEAR_DIR}/{extracts[-1].isoformat()})"
    else:
        years = path_years(data)
        if years is None:
            return
        last, what = (
            date(years[-1] + 1, 3, 31),
            f"the returns (the newest is for {years[-1]}, or {years[-1] + 1})",
        )
    if end > last:
        raise DataNotThere(
            f"{label} ends on {end:%d %B %Y}, after {what} can speak for ({last:%d %B %Y}): add an in-year extract "
            f"dated on or after {end:%d %B %Y} under {INYEAR_DIR}/<YYYY-MM-DD>/, or choose an earlier quarter"
        )


def _valid(m: re.Match[str]) -> bool:
    try:
        date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False
    return True


def region_folder(data: Path) -> Path:
    """``cpkit region --data``: a folder holding a hub's returns (``ssda903/`` beside ``region.yaml``) or
    councils' data folders (each holding ``ssda903/``)."""
    if not data.is_dir():
        raise DataNotThere(f"{data}: region data folder not found (--data)")
    councils = [p for p in data.iterdir() if p.is_dir() and (p / SSDA903_DIR).is_dir()]
    if not (data / SSDA903_DIR).is_dir() and not councils:
        raise DataNotThere(
            f"{data}: neither a hub's returns ({SSDA903_DIR}/ beside region.yaml) nor councils' data folders (each "
            f"holding {SSDA903_DIR}/) are in it (README: 'A region on Dask')"
        )
    return data


def scheduler_address(text: str) -> str:
    """``--scheduler``: a Dask scheduler's address (``tcp://host:8786``, ``host:8786``)."""
    if not re.match(r"^([a-z]+://)?[^\s/:]+(:\d+)?/?$", text.strip()):
        raise argparse.ArgumentTypeError(
            f"must be a Dask scheduler's address such as tcp://10.0.0.5:8786, not {text!r}"
        )
    return text.strip()
