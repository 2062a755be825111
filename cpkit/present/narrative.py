"""Narrative sentences written from the numbers, so the words can never disagree with the tables.

The wording lives in ``narrative.yaml`` beside this module; a council can override any sentence with a
``narrative.yaml`` in its data folder. Direction words follow ``Config.narrative`` thresholds: a relative
change smaller than ``stable`` is "about the same", up to ``slight`` is "slight", beyond is a plain rise or
fall. Counts pass through the small-number rule before they reach a sentence.

A filled sentence is a ``cpkit.publish.text.Sentence``: it carries the Figures put into it (with the
document keys of the ledgers that hold them), and ``Narrative.say`` registers it, so the Markdown output
that shows it records them in a text block and the report's disclosure audit checks them with the tables.

Templates are data a council edits, so they are filled by :func:`fill`, not ``str.format``: a placeholder
is a bare name (``{start}``); attribute or index access (``{x.__class__}``, ``{x[0]}``), conversions and
format specs are refused, because ``str.format`` would evaluate them on the kit's objects. A council's
``narrative.yaml`` is checked when it is read: a malformed template, or a placeholder the kit's own
template for that key does not have, is a :class:`NarrativeError` naming the file and the key. The filled
sentence is Markdown; the report's pages clean it like every output (``cpkit.present.sanitise``), so a
template holding ``<script>`` or a ``javascript:`` link shows nothing live.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cpkit.config import Config, NarrativeThresholds
from cpkit.errors import NarrativeError
from cpkit.present.disclosure import Rule
from cpkit.present.judgement import printed
from cpkit.publish.figure import Figure
from cpkit.publish.text import Sentence, register, sentence

_KIT_FILE = "cpkit/present/narrative.yaml"


def placeholders(template: str, where: str = "template") -> list[str]:
    """The placeholder names of ``template``; anything but a bare ``{name}`` is a :class:`NarrativeError`."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:  # "Single '}' encountered", "unmatched '{'"
        raise NarrativeError(f"{where}: malformed template ({exc}): {template!r}") from exc
    names = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise NarrativeError(
                f"{where}: placeholder {shown} is not allowed; write a plain name such as {{start}} "
                "(no '.', '[', '!' or ':')"
            )
        names.append(name)
    return names


def fill(template: str, values: dict[str, Any], where: str = "template") -> Sentence:
    """``template`` with each ``{name}`` replaced by ``str(values[name])``; nothing is evaluated. A
    ``Sentence`` (``cpkit.publish.text``): it carries the Figures (and the phrases' figures and relations)
    put into it, in the order printed, for the document's audit."""
    out = []
    put: list[Any] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        placeholders("{" + name + "}", where)  # refuses "x.__class__", "x[0]"
        if name not in values:
            raise NarrativeError(
                f"{where}: placeholder {{{name}}} has no value (the kit fills: {', '.join(sorted(values)) or 'none'})"
            )
        out.append(str(values[name]))
        put.append(values[name])
    placeholders(template, where)
    return sentence("".join(out), *put)


def fmt_number(x: float | int, decimals: int = 0) -> str:
    """1234.5 -> "1,235"; the way council papers print numbers."""
    return printed(x, decimals)


def fmt_pct(x: float | None, decimals: int = 0) -> str:
    """A percentage already on the 0-100 scale: 47.2 -> "47%" (a ``cpkit.publish.figure.Figure``)."""
    if x is None or pd.isna(x):
        return "not available"
    return Figure(f"{printed(x, decimals)}%", x, "percent", decimals)


def fmt_count(n: int | float, threshold: int = 5) -> str:
    """A count for a sentence, with the small-number rule: 3 -> "fewer than 5" (``Rule.words``)."""
    return Rule(threshold).words(n)


def n_of_m(n: int, m: int, threshold: int = 5, decimals: int = 0) -> Sentence:
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


def _check_override(local: object, kit: dict[str, Any], file: str, prefix: str = "") -> None:
    """A council's templates: the kit's shape, and only placeholders the kit's template for the key has."""
    if not isinstance(local, dict):
        raise NarrativeError(f"{file}: expected sections of templates (e.g. 'children_in_care:') at the top")
    for section, entries in local.items():
        if entries is None:
            continue
        if not isinstance(entries, dict) or section not in kit:
            raise NarrativeError(
                f"{file}: {prefix}{section!r} is not a narrative section (sections: {', '.join(sorted(kit))})"
            )
        for key, template in entries.items():
            where = f"{file}, template {prefix}{section}.{key}"
            ours = kit[section].get(key)
            if ours is None:
                raise NarrativeError(f"{where}: the kit has no template of this name")
            if isinstance(ours, dict) or not isinstance(template, str):
                if isinstance(ours, dict) and isinstance(template, dict):
                    _check_override({key: template}, {key: ours}, file, f"{prefix}{section}.")
                    continue
                raise NarrativeError(f"{where}: expected {'a mapping' if isinstance(ours, dict) else 'text'}")
            allowed = set(placeholders(ours, f"{_KIT_FILE}, template {prefix}{section}.{key}"))
            unknown = [p for p in placeholders(template, where) if p not in allowed]
            if unknown:
                raise NarrativeError(
                    f"{where}: unknown placeholder(s) {', '.join('{' + p + '}' for p in unknown)}; this "
                    f"template can use {', '.join('{' + p + '}' for p in sorted(allowed)) or 'none'}"
                )


def _read_override(path: Path) -> object:
    """A council's ``narrative.yaml`` as read; not UTF-8 or not valid YAML is a :class:`NarrativeError`
    naming the file and the line in plain words."""
    from cpkit.yaml_problems import plain_problem

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NarrativeError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise NarrativeError(f"{path}, {plain_problem(exc)}") from None


@dataclass
class Narrative:
    """The templates in force for a run: the kit's, overridden by the council's file if present."""

    config: Config = field(default_factory=Config)
    templates: dict[str, Any] = field(default_factory=_default_templates)
    sources: dict[str, str] = field(default_factory=dict)  # "section.name" -> the file a template came from
    # The first day the SSDA903 returns cover (``cpkit.care.history.coverage_start``), set by the section's
    # context once its data is read: a comparison with a year before it is not written (``covers``).
    first_day: date | None = None

    def covers(self, needs: date | None) -> bool:
        """True when the returns reach back to ``needs`` (the first day a comparison's earlier figure
        needs), or when either is not known."""
        return needs is None or self.first_day is None or self.first_day <= needs

    def no_previous(self, measure: str, now: str, current: str, previous: str) -> str:
        """ "{measure}: 739 in 2017-18. The returns supplied start on 1 April 2017, so there is no figure in
        2016-17 to compare it with." (a comparison whose earlier year no return covers)."""
        first = self.first_day
        day = f"{first.day} {first.strftime('%B %Y')}" if first is not None else "later"
        return self.say(
            "children_in_care.no_previous",
            measure=measure,
            now=now,
            current=current,
            previous=previous,
            first_day=day,
        )

    @classmethod
    def for_data(cls, data_dir: str | Path, config: Config | None = None) -> Narrative:
        """Templates for a data folder: ``<data_dir>/narrative.yaml`` overrides the kit's wording."""
        templates = _default_templates()
        sources: dict[str, str] = {}
        override = Path(data_dir) / "narrative.yaml"
        if override.exists():
            local = _read_override(override)
            _check_override(local, templates, str(override))
            for section, entries in local.items():
                templates.setdefault(section, {}).update(entries or {})
                sources.update({f"{section}.{key}": str(override) for key in entries or {}})
        return cls(config=config or Config(), templates=templates, sources=sources)

    def say(self, key: str, **values: Any) -> Sentence:
        """Fill template ``section.name`` with ``values``; a missing placeholder is an error, not blank. The
        sentence carries the figures it prints and is registered for the output that shows it."""
        section, name = key.split(".", 1)
        try:
            template = self.templates[section][name]
        except KeyError as exc:
            raise NarrativeError(f"no narrative template {key!r}") from exc
        # registered: the Markdown output that shows it records its figures (``cpkit.publish.text``)
        return register(fill(template, values, f"{self.sources.get(key, _KIT_FILE)}, template {key}"))

    def change(self, old: float, new: float, decimals: int = 6) -> str:
        """ "rose slightly", "fell"...: the judgement rule on the two figures as printed at ``decimals``."""
        return self.templates["change"][change_kind(old, new, self.config.narrative, decimals)]

    def count(self, n: int | float) -> str:
        return fmt_count(n, self.config.small_number_threshold)

    def n_of_m(
        self, n: int, m: int, *, hidden: bool = False, keys: tuple[Any, Any] = (None, None)
    ) -> Sentence:
        """ "38 of 90 (42%)"; ``hidden``: a table hides ``n`` to protect another figure; ``keys``: the two
        counts' document keys (``Rule.n_of_m``)."""
        return Rule.of(self.config).n_of_m(n, m, hidden=hidden, keys=keys)
