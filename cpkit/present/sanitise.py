"""Text from input files is data, never code: the one home for making it inert where it leaves.

Spreadsheets and CSV files: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is taken by Excel (and LibreOffice) as a formula, so a tracker cell such as
``=HYPERLINK("http://..."&A1, ...)`` would become live in the download. Following OWASP's CSV injection
guidance, such text is prefixed with a single quote so that it is shown, not run. Numbers are numbers and
are left alone (a negative number is not text).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` made safe for a spreadsheet or CSV cell: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
