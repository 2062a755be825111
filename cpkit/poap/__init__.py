"""The Board's quarterly Performance on a Page: in-year periods, in-year extracts, the page's figures."""

from cpkit.poap.inyear import Extract, find_extracts, latest_extract, load_with_extract
from cpkit.poap.page import Page, build_page

__all__ = ["Extract", "Page", "build_page", "find_extracts", "latest_extract", "load_with_extract"]
