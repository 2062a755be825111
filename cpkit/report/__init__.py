"""Building the report: run each section notebook with papermill, render officer HTML with nbconvert."""

import sys

# nbformat (under papermill and nbconvert) imports jsonschema, whose optional "iri" format checker imports
# rfc3987_syntax when it is installed, and that builds 38 Lark grammars at import: 1.5 s of a quiet
# 2-core machine (8 s of a loaded one) in the run's own process and again in every section worker, for a
# format no notebook schema uses. Marked as absent before anything here imports nbformat, so jsonschema
# leaves that one checker out (it does the same where the package is not installed).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from cpkit.report.context import SectionContext, open_section  # noqa: E402
from cpkit.report.runner import ReportFailed, build_report  # noqa: E402
from cpkit.report.sections import Section, discover  # noqa: E402

__all__ = ["ReportFailed", "Section", "SectionContext", "build_report", "discover", "open_section"]
