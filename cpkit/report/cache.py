"""The cleaned tables of one run, written once as parquet so every section reads them in a second
instead of each parsing the raw SSDA903 files again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cpkit.ssda903.model import Data903

_EXTRAS = ("issues", "set_aside", "sources")


def save_903(data: Data903, folder: Path) -> Path:
    """Write every table and the reading record to ``folder`` as parquet."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in data.tables.items():
        table.to_parquet(folder / f"{name}.parquet", index=False)
    for extra in _EXTRAS:
        getattr(data, extra).astype("object").to_parquet(folder / f"_{extra}.parquet", index=False)
    return folder


def read_903(folder: Path) -> Data903:
    """Read back what ``save_903`` wrote."""
    tables = {p.stem: pd.read_parquet(p) for p in folder.glob("*.parquet") if not p.stem.startswith("_")}
    extras = {
        e: pd.read_parquet(folder / f"_{e}.parquet") for e in _EXTRAS if (folder / f"_{e}.parquet").exists()
    }
    return Data903(tables=tables, **extras)
