"""Building the report: run each section notebook with papermill, render officer HTML with nbconvert."""

from cpkit.report.context import SectionContext, open_section
from cpkit.report.runner import ReportFailed, build_report
from cpkit.report.sections import Section, discover

__all__ = ["ReportFailed", "Section", "SectionContext", "build_report", "discover", "open_section"]
