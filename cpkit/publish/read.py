"""Reading the blocks a section published back from its executed notebook."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import nbformat

from cpkit.publish.block import MIME, Block, slug


def blocks_of(notebook: str | Path, section: str | None = None) -> list[Block]:
    """Every block in an executed notebook, in output order, with its report id.

    ``section`` (by default the notebook's file stem) prefixes each id the kernel wrote ("<section>/<slug>");
    a slug met again in the same notebook gets "-2", "-3" in order (see ``cpkit.publish.block``).
    """
    path = Path(notebook)
    name = section if section is not None else path.stem
    nb = nbformat.read(str(path), as_version=4)
    found: list[Block] = []
    seen: dict[str, int] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(MIME)
            if not isinstance(payload, dict):
                continue
            block = Block.from_json(payload)
            local = block.id.split("/", 1)[-1] or slug(block.caption)
            seen[local] = seen.get(local, 0) + 1
            if seen[local] > 1:
                local = f"{local}-{seen[local]}"
            block.id = f"{name}/{local}"
            found.append(block)
    return found


def report_blocks(notebooks: Iterable[tuple[str, str | Path]]) -> list[Block]:
    """Every block of a report, from its executed section notebooks (``(section name, path)``, in the
    order given): read once per run (``cpkit.report.runner.render_stage``), then handed to the document
    audit and to every writer that reads blocks, so no notebook is parsed twice."""
    return [b for name, path in notebooks for b in blocks_of(path, section=name)]
