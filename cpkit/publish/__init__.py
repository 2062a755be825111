"""The publish layer (issue 22): a figure as published, typed (``Figure``, ``Status``), the blocks of
figures a section shows (``Block``, carried beside the HTML under ``MIME``), and reading them back from an
executed notebook (``cpkit.publish.read.blocks_of``). Writers read values and statuses from here; nothing
parses a figure back from its text. Imports nothing from the rest of the kit, so every layer can use it.

Build a table of figures with ``frame`` (or ``dtype=object``): pandas 3 turns a column of ``str`` into its
string dtype, which keeps the text and drops the Figure."""

from cpkit.publish.block import MIME, Block, frame, slug
from cpkit.publish.figure import SHORTHAND, SHORTHAND_MEANING, Figure, Status

__all__ = ["MIME", "SHORTHAND", "SHORTHAND_MEANING", "Block", "Figure", "Status", "frame", "slug"]
