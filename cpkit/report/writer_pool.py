"""The processes that lay out the report's PDFs beside the run's own process (``cpkit.report.site``).

The two PDFs are most of the writers' computing (WeasyPrint: the Board report's about 3 s, the annex's
about 2 s), so each is laid out by a process of its own while the run's process writes the workbook and
the Word files, which need the kit's figures, blocks and settings that it has already imported.

A writer process is spawned (``cpkit.report.runner.process_pool``) and imports only what a PDF needs:
this module (the standard library), ``cpkit.report.pdf`` (BeautifulSoup) and WeasyPrint, as it starts
and while the run's process renders the pages. It used to import the whole site writer, and with it the
kit's settings, pandas, matplotlib and nbconvert, 1.5 s of a core in each of two processes, out of the
writers' 7 s on the 2-core machine. Nothing handed to it may need more: a job is a function of
``cpkit.report.pdf`` and arguments that are strings and paths.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext

# processes laying out the PDFs side by side: two, one a core of the 2-core machine (one on a 1-core one)
WRITERS_AT_ONCE = max(1, min(2, os.cpu_count() or 1))


def writers() -> AbstractContextManager:
    """The pool the PDFs are laid out by (``cpkit.report.runner.process_pool``); in a process that may not
    start processes of its own (a Dask worker of ``cpkit region``, which is daemonic and already runs a
    council per core), this process, one file after another."""
    import multiprocessing

    from cpkit.report.runner import process_pool

    if multiprocessing.current_process().daemon:
        return nullcontext(InThisProcess())
    return process_pool(WRITERS_AT_ONCE, start_writer)


class InThisProcess:
    """``submit`` as a pool's, running the call at once in this process."""

    def submit(self, fn: Callable[..., object], *args: object, **kwargs: object) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - handed to the caller as a pool would hand it
            future.set_exception(error)
        return future


def started() -> None:
    """A task that only makes the pool start a process (``start_writer`` runs as it starts)."""


def start_writer() -> None:
    """A writer process imports what a PDF needs as it starts, while the pages are rendered."""
    import cpkit.report.pdf  # noqa: F401

    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # no Pango: ``write_pdf`` says so
        pass


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def written(writer: Callable[..., object], *args: object, **kwargs: object) -> tuple[float, list]:
    """Run one writer in a writer process: its seconds, and the warnings it logged for the run to show."""
    handler = _Records()
    logger = logging.getLogger("cpkit")
    logger.addHandler(handler)
    began = time.perf_counter()
    try:
        writer(*args, **kwargs)
    finally:
        logger.removeHandler(handler)
    return time.perf_counter() - began, handler.records
