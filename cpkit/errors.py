"""Every error the kit raises on purpose, in one module, so a caller (the command line, a scheduler's
wrapper) can tell an expected failure with a message for a data officer from a bug.

Every class here subclasses ``CpkitError`` and carries a message that names the file (and where it can,
the row, column or setting) and what to do. The command line prints that message on one line with no
traceback and exits 1 (or ``exit_code``); anything else is a bug and keeps its traceback under
``--verbose``. Each subclass also keeps the built-in class it had before (``ValueError``,
``RuntimeError``), so code that caught those still works. ``tests/test_errors.py`` walks the package and
fails on an exception class defined anywhere else, or one that is not a ``CpkitError``.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the runner's record of a section run; imported only for the annotation
    from cpkit.report.execute import SectionRun


class CpkitError(Exception):
    """An expected failure whose message tells the user what is wrong and where."""


# --- inputs the kit refuses (ValueError) ---------------------------------------------------------------


class InputError(CpkitError, ValueError):
    """A value from an input file, a setting or the command line that the kit refuses (a period that is
    not one, a scenario setting out of range, a file that is not what its name says), with the message
    saying which and where."""


class ConfigError(CpkitError, ValueError):
    """A setting is missing, misspelt or out of range (the message names the file and key)."""


class SettingValueError(InputError):
    """A value one settings check refuses (``cpkit.config_checks``); the message says what was expected,
    and the checks add the file and key before a user sees it (as a ``ConfigError`` or a note)."""


class RegistryError(CpkitError, ValueError):
    """``measures.yaml`` is malformed: the message names the file, the measure and the field."""


class EmptyFileError(CpkitError, ValueError):
    """A file with nothing in it (not even headings): an error, since the table it should hold is lost."""

    def __init__(self, file: Path, sha256: str, year: int | None = None) -> None:
        super().__init__(f"{file} is empty: nothing in it, not even column headings")
        self.sha256 = sha256
        self.year = year


class CouncilChoiceError(CpkitError, ValueError):
    """The files hold several councils' returns and no council (or an absent one) was chosen."""


class ActionPlanError(CpkitError, ValueError):
    """The tracker cannot be read (missing, wrong type, no recognisable header); the message names the file."""


class KpiError(CpkitError, ValueError):
    """The KPI file has rows the report cannot use (the message lists each file, row and column).

    ``count`` is how many problems were found, so a report can say how many without quoting the file.
    """

    def __init__(self, message: str, count: int = 1) -> None:
        super().__init__(message)
        self.count = count


class BenchmarkError(CpkitError, ValueError):
    """A benchmark file cannot be read as published (the message names the file, row and column)."""


class AuthoredError(CpkitError, ValueError):
    """A file officers write under ``board/`` (or its name) cannot be used; the message names the file
    and the key or line, and what to do."""


class NarrativeError(CpkitError, ValueError):
    """A narrative template is malformed or uses a placeholder the kit does not fill (names file and key)."""


class AltTextError(CpkitError, ValueError):
    """A chart was shown without a meaningful text alternative."""


# --- a run that could not finish (RuntimeError) --------------------------------------------------------


class DataNotThere(CpkitError, FileNotFoundError):
    """The data folder, a settings file, or the returns for the year or quarter asked for are not there
    (refused before any work: ``cpkit.preflight``)."""


class DataProblem(CpkitError, RuntimeError):
    """The data has problems that stop the report (run ``cpkit check`` for the full list)."""


class PdfUnavailable(CpkitError, RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are missing; the message says how to fix it."""


class ReportFailed(CpkitError, RuntimeError):
    """The run did not produce a report; the message says which section, cell and exception."""

    exit_code = 1

    def __init__(self, message: str, runs: list[SectionRun] | None = None) -> None:
        super().__init__(message)
        self.runs = runs or []


class DisclosureLeak(ReportFailed):
    """The disclosure audit of the whole report (``cpkit.publish.ledger``) found a small count a reader
    could work out from the figures published together; nothing was published. The message names the
    figures and the blocks they are in, never a hidden value."""


class ReportInterrupted(ReportFailed):
    """The run was stopped by SIGTERM or SIGINT; everything it had made was removed."""

    def __init__(self, signum: int, published: bool = False) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        if published:  # the signal came while the finished report was being swapped in (one atomic step)
            super().__init__(
                f"stopped by {signal.Signals(signum).name} as the new report was swapped in: the new report is "
                "complete and in place, and the staging folder and its cache were removed"
            )
            return
        super().__init__(
            f"stopped by {signal.Signals(signum).name}: the sections' workers were ended, the staging "
            "folder and its cache were removed and the previous report is unchanged"
        )


class ReportLocked(ReportFailed):
    """Another run is writing the same report folder."""


class RegionError(CpkitError, ValueError):
    """``region.yaml`` or ``cpkit region``'s choice of councils cannot be used (the message names the file,
    the line and the council)."""
