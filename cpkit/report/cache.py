"""The cleaned tables of one run, written once as parquet so every section reads them in a second
instead of each parsing the raw SSDA903 files again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cpkit.ssda903.model import Data903

_EXTRAS = ("issues", "set_aside", "sources")
POSTCODES = "postcodes.parquet"


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


def save_postcodes(data: Data903, cache_dir: Path) -> pd.DataFrame | None:
    """The ONS postcode directory's rows for every home and placement postcode in the returns
    (``cpkit.care.location.returns_lookup``), so the placements section does not load the directory's
    postcode areas again (seconds each time); ``None`` if the directory cannot be read (the section then
    tries itself and says why it cannot show distances)."""
    from cpkit.care.location import returns_lookup

    try:
        lookup = returns_lookup(data)
    except (ImportError, OSError):
        return None
    path = cache_dir / POSTCODES
    lookup.to_parquet(path, index=False)
    return lookup


def read_postcodes(cache_dir: Path | None) -> pd.DataFrame | None:
    """What ``save_postcodes`` wrote, or ``None`` (no cache, or the directory could not be read)."""
    path = cache_dir / POSTCODES if cache_dir is not None else None
    return pd.read_parquet(path) if path is not None and path.exists() else None
