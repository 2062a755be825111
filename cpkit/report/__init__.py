"""Building the report: run each section notebook with papermill, render officer HTML with nbconvert.

The names below are imported when first asked for (PEP 562), not with the package: a section worker
process and a writer process import ``cpkit.report.execute`` or ``cpkit.report.writer_pool`` through this
package, and importing ``open_section`` here pulled pandas, pandera, matplotlib and the kit's
presentation code into each of them (about 1 s of a quiet core each) for code they never run.
"""

import sys
from importlib import import_module
from typing import Any

# nbformat (under papermill and nbconvert) imports jsonschema, whose optional "iri" format checker imports
# rfc3987_syntax when it is installed, and that builds 38 Lark grammars at import: 1.5 s of a quiet
# 2-core machine (8 s of a loaded one) in the run's own process and again in every section worker, for a
# format no notebook schema uses. Marked as absent before anything here imports nbformat, so jsonschema
# leaves that one checker out (it does the same where the package is not installed).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

_EXPORTS = {
    "SectionContext": "cpkit.report.context",
    "open_section": "cpkit.report.context",
    "ReportFailed": "cpkit.report.runner",
    "build_report": "cpkit.report.runner",
    "Section": "cpkit.report.sections",
    "discover": "cpkit.report.sections",
}

__all__ = ["ReportFailed", "Section", "SectionContext", "build_report", "discover", "open_section"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
