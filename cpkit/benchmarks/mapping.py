"""The label-to-measure mapping (``mapping.yaml``) and the measure dictionary it shares with the kit.

Kept as data so that when the DfE rewords a label in next year's release the fix is one line of YAML, and
so that a reviewer can read every rule without reading code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cpkit.errors import RegistryError
from cpkit.measures import registry

KINDS = ("count", "pct", "rate", "value")

_REPLACEMENTS = [
    (re.compile(r"\bat 31 march\b"), "on 31 march"),
    (re.compile(r"\bnot suitable\b"), "unsuitable"),
    (re.compile(r"^aged (\d+) to (\d+)$"), r"\1 to \2 years"),
    (re.compile(r"^aged (\d+)$"), r"\1 years"),
]


def normalise_label(text: str) -> str:
    """Lower case, single spaces and the known wording changes between releases, so keys match across years."""
    out = " ".join(str(text).split()).lower()
    for pattern, repl in _REPLACEMENTS:
        out = pattern.sub(repl, out)
    return out


@dataclass(frozen=True)
class Table:
    """One kind of DfE file: its rules expanded to one row per (group, item, output)."""

    name: str
    lag: int
    priority: int
    groups: dict[str, str]  # normalised group label -> text for {g}; {"": ""} when the file has no groups
    totals: tuple[str, ...]
    rules: pd.DataFrame  # group, item, kind, measure, num_item, of_item
    derived: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: frozenset[tuple[str, str]] = frozenset()  # the (group, item) pairs the rules cover


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _table(name: str, spec: dict[str, Any]) -> Table:
    groups = {normalise_label(k): v for k, v in (spec.get("groups") or {"": ""}).items()}
    totals = tuple(normalise_label(t) for t in _as_list(spec.get("total")))
    records = []
    for labels, outputs in spec["rows"].items():
        items = [normalise_label(x) for x in [labels, *_as_list(outputs.get("also"))]]
        num = normalise_label(outputs["num"]) if "num" in outputs else None
        of = normalise_label(outputs["of"]) if "of" in outputs else None
        for kind in KINDS:
            if kind not in outputs:
                continue
            for group, g in groups.items():
                for item in items:
                    records.append((group, item, kind, outputs[kind].format(g=g), num, of))
    rules = pd.DataFrame(
        records, columns=["group", "item", "kind", "measure", "num_item", "of_item"], dtype=object
    )
    derived = {
        mid: {
            "group": normalise_label(d["group"]),
            "items": [normalise_label(i) for i in d["items"]],
            "of": normalise_label(d["of"]),
        }
        for mid, d in (spec.get("derived") or {}).items()
    }
    keys = frozenset(zip(rules["group"], rules["item"], strict=True))
    return Table(
        name, int(spec.get("lag", 0)), int(spec.get("priority", 0)), groups, totals, rules, derived, keys
    )


@lru_cache(maxsize=1)
def _mapping() -> dict[str, Any]:
    text = resources.files("cpkit.benchmarks").joinpath("mapping.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML was built with it
    return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are the safe ones


@lru_cache(maxsize=1)
def tables() -> tuple[Table, ...]:
    """Every file kind the reader knows, in mapping order."""
    return tuple(_table(name, spec) for name, spec in _mapping()["tables"].items())


def _kit_measures() -> dict[str, dict[str, Any]]:
    """The registry's measures (``cpkit.measures``), as the fields the published figures carry."""
    return {
        m.id: {
            "label": m.label,
            "short_label": m.short_label,
            "unit": m.unit,
            "decimals": m.decimals,
            "polarity": m.polarity,
            "lait": m.lait,
            "theme": m.theme,
            "in_registry": True,
        }
        for m in registry()
    }


@lru_cache(maxsize=1)
def _measure_table() -> pd.DataFrame:
    info = dict(_kit_measures())
    for mid, extra in _mapping()["measures"].items():
        if mid in info:  # one home per measure: the registry's entry would silently win
            raise RegistryError(
                f"cpkit/benchmarks/mapping.yaml: measure {mid!r} is also in cpkit/measures.yaml"
            )
        decimals = 1 if extra["unit"] == "score" else 0
        default = {"short_label": extra["label"], "decimals": decimals, "theme": "", "lait": ""}
        info.setdefault(mid, {**default, **extra, "in_registry": False})
    frame = pd.DataFrame.from_dict(info, orient="index")
    frame.index.name = "measure"
    cols = ["label", "short_label", "unit", "decimals", "polarity", "lait", "theme", "in_registry"]
    return frame.reindex(columns=cols).fillna({"lait": "", "theme": ""})


def measure_info() -> pd.DataFrame:
    """Label, short label, unit, decimals, polarity, LAIT code, theme of every measure id (registry first,
    then the mapping's own published-only measures).

    ``in_registry`` says whether the id is in ``cpkit/measures.yaml``, i.e. whether the council's own SSDA903
    figure can stand beside it.
    """
    return _measure_table().copy()


def undefined_measures() -> set[str]:
    """Ids the mapping produces that neither the registry nor the mapping defines (should be empty)."""
    produced = set()
    for table in tables():
        produced |= set(table.rules["measure"]) | set(table.derived)
    return produced - set(_measure_table().index)


_LAIT_POLARITY = {"high": "high", "low": "low", "-": "neutral"}


def lait_polarity_differences(dictionary: str | Path) -> pd.DataFrame:
    """Registry measures whose polarity differs from the LAIT dictionary's for the same LAIT code.

    A LAIT code can cover several measures (code 3: health checks, teeth, immunisations) and a measure can
    be the mirror of LAIT's (LAIT 317 is "not in touch", polarity low; the kit's "in touch" is high), so a
    difference is something to look at, not necessarily an error.
    """
    lait = pd.read_csv(dictionary, dtype=str, encoding="latin-1")
    lait = lait[lait["Measure_code"].notna()]
    lait_pol = lait.assign(p=lait["Polarity"].str.strip().str.lower().map(_LAIT_POLARITY)).dropna(
        subset=["p"]
    )
    # Within a code the counts are neutral ("-") and the rates carry the direction: take the direction.
    by_code = lait_pol.groupby("Measure_code").agg(
        lait_polarity=("p", lambda s: "/".join(sorted(set(s) - {"neutral"})) or "neutral"),
        lait_measures=("Measure_short", "; ".join),
    )
    mine = _measure_table()
    mine = mine[(mine["lait"] != "") & mine["in_registry"]]
    joined = mine.join(by_code, on="lait", how="inner")
    differ = joined[joined["polarity"] != joined["lait_polarity"]]
    return differ[["lait", "polarity", "lait_polarity", "lait_measures"]].reset_index()
