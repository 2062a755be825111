"""The one base exception of the kit, so a caller (the command line, a scheduler's wrapper) can tell an
expected failure with a message for a data officer from a bug.

Every error the kit raises on purpose subclasses ``CpkitError`` and carries a message that names the file
(and where it can, the row, column or setting) and what to do. The command line prints that message on
one line with no traceback and exits 1; anything else is a bug and keeps its traceback under
``--verbose``. Each subclass also keeps the built-in class it had before (``ValueError``,
``RuntimeError``), so code that caught those still works.
"""

from __future__ import annotations


class CpkitError(Exception):
    """An expected failure whose message tells the user what is wrong and where."""


class InputError(CpkitError, ValueError):
    """A value from an input file, a setting or the command line that the kit refuses (a period that is
    not one, a scenario setting out of range, a file that is not what its name says), with the message
    saying which and where."""
