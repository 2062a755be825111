"""The DfE XML form of the SSDA903 return, read into the same raw tables as the CSV form.

The XML return (root ``EXPSSDA903``) holds one ``CHILD`` element per child: a ``HEADER`` with the
child's details (``CHILDID``, ``SEX``, ``DOB``, ``ETHNIC``, ``UPN``, ``MOTHER``, ``MC_DOB``, the UASC
date ``DUC``, care leaver items ``IN_TOUCH``/``ACTIV``/``ACCOM``, adoption items ``DATE_INT``...) and
repeated groups inside it (``AREVIEW``, ``AMISSING``, ``OC2``, ``PERMANENCE``, ``AD_PLACED``), then
one ``EPISODE`` per episode (placement type in ``PL``). This is the layout the DfE-rules validator
(``csc-validator-be-903``) reads; the tables made here are the ones it makes from the same file:
- Header: one row per child; UASC: children with a ``DUC`` (or a ``UASC`` flag of 1); OC3: children
  with ``IN_TOUCH``; AD1: children with ``DATE_INT``;
- Episodes, Reviews, Missing, OC2, PrevPerm, PlacedAdoption: one row per group element, with the
  child's ``CHILD`` and ``DOB`` (and ``SEX``) copied in;
- a group element not named above is recognised by its items, like a CSV by its headings.

An XML file has no rows: ``source_row`` counts the rows of each table made from it as a CSV would
(headings row 1, so the n-th Episodes element is row n + 1), and each table is labelled
``file [Episodes]``, so a message still leads to the right element.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

from cpkit.errors import InputError
from cpkit.ssda903.files import RawFrame
from cpkit.ssda903.tables import DFE_NAMES, TABLE_COLUMNS, recognise

# XML tags that differ from the CSV column names.
RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}
# Group elements and the table each fills.
GROUPS = {
    "EPISODE": "episodes",
    "AREVIEW": "reviews",
    "AMISSING": "missing",
    "OC2": "oc2",
    "PERMANENCE": "prev_perm",
    "AD_PLACED": "placed_adoption",
    "SWEPISODE": "sw_episodes",
    "ASWEPISODE": "sw_episodes",
}
# Tables filled from the HEADER's own items when the item named is present.
HEADER_TABLES = {"uasc": "DUC", "oc3": "IN_TOUCH", "ad1": "DATE_INT"}


def _leaves(element: ET.Element) -> dict[str, str | None]:
    """The element's own items (children without children of their own), tags renamed."""
    return {RENAME.get(c.tag, c.tag): c.text for c in element if len(c) == 0}


def _filled(value: str | None) -> bool:
    return value is not None and value.strip() != ""


def read_xml(
    file: Path,
    content: bytes,
    digest: str,
    year: int | None,
    year_ambiguous: bool = False,
    year_source: str | None = None,
) -> list[RawFrame]:
    """The tables of an XML return as raw frames (all cells text). Raises ValueError if not one."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as err:
        raise InputError(f"{file}: not well-formed XML ({err})") from err
    children = [c for c in root if c.tag == "CHILD"]
    if not children:
        raise InputError(
            f"{file}: an XML file without CHILD elements is not an SSDA903 return (root <{root.tag}>)"
        )
    rows: dict[str, list[dict[str, str | None]]] = {name: [] for name in TABLE_COLUMNS}
    for child in children:
        header_el = child.find("HEADER")
        header = _leaves(header_el) if header_el is not None else {}
        header.update({k: v for k, v in _leaves(child).items() if k not in header})
        rows["header"].append(header)
        known = {"CHILD": header.get("CHILD"), "DOB": header.get("DOB"), "SEX": header.get("SEX")}
        for table, item in HEADER_TABLES.items():
            flag = table == "uasc" and (header.get("UASC") or "").strip() == "1"
            if _filled(header.get(item)) or flag:
                rows[table].append(header)
        groups = [*(header_el if header_el is not None else []), *child]
        for group in groups:
            if len(group) == 0 or group.tag == "HEADER":
                continue
            items = _leaves(group)
            table = GROUPS.get(group.tag) or recognise([*items, "CHILD", "DOB"])
            if table is not None:
                rows[table].append({**{k: v for k, v in known.items() if k in TABLE_COLUMNS[table]}, **items})
    out = []
    for table, records in rows.items():
        if not records:
            continue
        cols = list(TABLE_COLUMNS[table])
        frame = pd.DataFrame({c: pd.Series([r.get(c) or "" for r in records], dtype="str") for c in cols})
        out.append(
            RawFrame(
                label=f"{file} [{DFE_NAMES[table]}]",
                path=file,
                sha256=digest,
                data=frame,
                rows=np.arange(2, len(frame) + 2, dtype="int64"),
                return_year=year,
                encoding="xml",
                year_ambiguous=year_ambiguous,
                year_source=year_source,
            )
        )
    return out
