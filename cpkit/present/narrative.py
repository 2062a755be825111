"""Narrative sentences written from the numbers, so the words can never disagree with the tables.

The wording lives in ``narrative.yaml`` beside this module; a council can override any sentence with a
``narrative.yaml`` in its data folder. Direction words follow ``Config.narrative`` thresholds: a relative
change smaller than ``stable`` is "about the same", up to ``slight`` is "slight", beyond is a plain rise or
fall. Counts pass through the small-number rule before they reach a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cpkit.config import Config, NarrativeThresholds
from cpkit.present.disclosure import Rule


def fmt_number(x: float | int, decimals: int = 0) -> str:
    """1234.5 -> "1,235"; the way council papers print numbers."""
    return f"{x:,.{decimals}f}"


def fmt_pct(x: float | None, decimals: int = 0) -> str:
    """A percentage already on the 0-100 scale: 47.2 -> "47%"."""
    if x is None or pd.isna(x):
        return "not available"
    return f"{x:.{decimals}f}%"


def fmt_count(n: int | float, threshold: int = 5) -> str:
    """A count for a sentence, with the small-number rule: 3 -> "fewer than 5" (``Rule.words``)."""
    return Rule(threshold).words(n)


def n_of_m(n: int, m: int, threshold: int = 5, decimals: int = 0) -> str:
    """ "38 of 45 (84%)", worded without any figure the small-number rule hides (``Rule.n_of_m``)."""
    return Rule(threshold).n_of_m(n, m, decimals)


def change_kind(old: float, new: float, thresholds: NarrativeThresholds, decimals: int = 6) -> str:
    """One of stable, slight_rise, rise, slight_fall, fall: the one judgement rule
    (``cpkit.present.judgement.change_kind``), comparing the figures at ``decimals`` places (as printed)."""
    from cpkit.present.judgement import Thresholds
    from cpkit.present.judgement import change_kind as judged

    return (
        judged(old, new, decimals, Thresholds(stable=thresholds.stable, slight=thresholds.slight)) or "stable"
    )


def change_phrase(
    old: float, new: float, thresholds: NarrativeThresholds | None = None, words: dict[str, str] | None = None
) -> str:
    """ "rose slightly", "fell", "stayed about the same", from the configured thresholds."""
    words = words or _default_templates()["change"]
    return words[change_kind(old, new, thresholds or NarrativeThresholds())]


def _default_templates() -> dict[str, Any]:
    text = resources.files("cpkit.present").joinpath("narrative.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass
class Narrative:
    """The templates in force for a run: the kit's, overridden by the council's file if present."""

    config: Config = field(default_factory=Config)
    templates: dict[str, Any] = field(default_factory=_default_templates)

    @classmethod
    def for_data(cls, data_dir: str | Path, config: Config | None = None) -> Narrative:
        """Templates for a data folder: ``<data_dir>/narrative.yaml`` overrides the kit's wording."""
        templates = _default_templates()
        override = Path(data_dir) / "narrative.yaml"
        if override.exists():
            local = yaml.safe_load(override.read_text(encoding="utf-8")) or {}
            for section, entries in local.items():
                templates.setdefault(section, {}).update(entries or {})
        return cls(config=config or Config(), templates=templates)

    def say(self, key: str, **values: Any) -> str:
        """Fill template ``section.name`` with ``values``; a missing placeholder is an error, not blank."""
        section, name = key.split(".", 1)
        try:
            template = self.templates[section][name]
        except KeyError as exc:
            raise KeyError(f"no narrative template {key!r}") from exc
        return template.format(**values)

    def change(self, old: float, new: float, decimals: int = 6) -> str:
        """ "rose slightly", "fell"...: the judgement rule on the two figures as printed at ``decimals``."""
        return self.templates["change"][change_kind(old, new, self.config.narrative, decimals)]

    def count(self, n: int | float) -> str:
        return fmt_count(n, self.config.small_number_threshold)

    def n_of_m(self, n: int, m: int, *, hidden: bool = False) -> str:
        """ "38 of 90 (42%)"; ``hidden``: a table hides ``n`` to protect another figure (``Rule.n_of_m``)."""
        return Rule.of(self.config).n_of_m(n, m, hidden=hidden)
