"""Building the report: run each section notebook with papermill, render officer HTML with nbconvert."""

from cpkit.report.context import SectionContext, open_section
from cpkit.report.runner import ReportFailed, build_report
from cpkit.report.sections import SECTIONS, Section

__all__ = ["SECTIONS", "ReportFailed", "Section", "SectionContext", "build_report", "open_section"]
