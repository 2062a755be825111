"""Every setting of ``cpkit.yaml``: whether it is required, its type and range, and what it means.

One table (``SETTINGS``) so that adding a setting is one line here and one field on ``Config``. The
checks run on what YAML gives, which is looser than it looks: ``yes`` is the boolean True (and True is
the integer 1 to Python), ``2025`` is a number and ``0.05`` a float. So every check is strict about type:
a threshold written ``yes`` or a population written ``64,000`` (a string) is refused, not coerced.
Every problem is collected and reported at once, each naming the file and the key.

Which settings are required, and why: ``la_name``, ``la_code`` and ``la_old_code`` say whose report it
is and join the council to the DfE's files and neighbour model; ``population_0_17`` gives the rates per
10,000; ``la_district_codes`` decide "inside the boundary". A default for any of these would be some
other council's, so there is none.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpkit.config import (
    CONFIG_NAME,
    INHOUSE_DENOMINATORS,
    MIN_SMALL_NUMBER_THRESHOLD,
    Config,
    JudgementSettings,
    NarrativeThresholds,
    StabilitySettings,
)
from cpkit.errors import ConfigError, SettingValueError
from cpkit.publish.audit import DISCLOSURE_TESTS

if TYPE_CHECKING:
    import pandas as pd


# The regions as the DfE's files name them (London is split in some tables).
REGIONS = frozenset(
    {
        "North East",
        "North West",
        "Yorkshire and The Humber",
        "East Midlands",
        "West Midlands",
        "East of England",
        "London",
        "Inner London",
        "Outer London",
        "South East",
        "South West",
    }
)
LA_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")  # unitary, metropolitan, London borough, county council
DISTRICT_CODE = re.compile(r"^E(06|07|08|09)\d{6}$")  # unitary, shire district, metropolitan, London
OLD_CODE = re.compile(r"^\d{3}$")
PROVIDER = re.compile(r"^PR[0-5]$")
# Rates per 10,000 need the 0-17 population of one English council: the smallest (Isles of Scilly, City of
# London) have a few hundred children, the largest county under 400,000.
POPULATION_RANGE = (100, 1_000_000)
# Suppressing counts 1..threshold-1: below 3 a report would publish counts of 1 or 2, which identify
# children (``cpkit.present.disclosure``); the DfE hides below 5; above 20 most of a council's tables vanish.
THRESHOLD_RANGE = (MIN_SMALL_NUMBER_THRESHOLD, 20)


Check = Callable[[Any], Any]


@dataclass(frozen=True)
class Setting:
    key: str
    check: Check
    required: bool = False
    meaning: str = ""


def _shown(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else f"'{value}'"


def text(max_len: int = 200) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise SettingValueError(f"expected text, got {_shown(value)}")
        if len(value) > max_len:
            raise SettingValueError(f"at most {max_len} characters, got {len(value)}")
        return value.strip()

    return check


def pattern(regex: re.Pattern[str], what: str, allow_int: bool = False) -> Check:
    def check(value: Any) -> str:
        if allow_int and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not regex.match(value.strip().upper()):
            raise SettingValueError(f"expected {what}, got {_shown(value)}")
        return value.strip().upper()

    return check


def integer(lo: int, hi: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingValueError(
                f"expected a whole number from {lo:,} to {hi:,} (no commas or quotes), got {_shown(value)}"
            )
        if not lo <= value <= hi:
            raise SettingValueError(f"must be from {lo:,} to {hi:,}, got {value:,}")
        return value

    return check


def fraction() -> Check:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SettingValueError(f"expected a fraction between 0 and 1 (0.05 for 5%), got {_shown(value)}")
        if not 0 < value < 1:
            raise SettingValueError(f"must be between 0 and 1 (0.05 for 5%), got {value}")
        return float(value)

    return check


def points() -> Check:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise SettingValueError(f"expected percentage points from 0 to 100, got {_shown(value)}")
        return float(value)

    return check


def boolean() -> Check:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise SettingValueError(f"expected true or false, got {_shown(value)}")
        return value

    return check


def one_of(options: frozenset[str]) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value.strip() not in options:
            raise SettingValueError(f"expected one of {', '.join(sorted(options))}; got {_shown(value)}")
        return value.strip()

    return check


def list_of(item: Check, min_len: int = 0) -> Check:
    def check(value: Any) -> list[Any]:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = [value]  # a single code written without brackets
        if not isinstance(value, list):
            raise SettingValueError(f"expected a list like [A, B], got {_shown(value)}")
        if len(value) < min_len:
            raise SettingValueError(f"expected at least {min_len} item(s), got none")
        out = []
        for i, v in enumerate(value, start=1):
            try:
                out.append(item(v))
            except SettingValueError as exc:
                raise SettingValueError(f"item {i}: {exc}") from None
        return out

    return check


def optional(inner: Check) -> Check:
    def check(value: Any) -> Any:
        return None if value is None else inner(value)

    return check


def threshold(value: Any) -> int:
    """The small-number threshold: a council may make the disclosure rule stricter, never weaker."""
    lo, hi = THRESHOLD_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise SettingValueError(
            f"must be a whole number of at least {lo} (counts from 1 to the threshold less one are hidden; the "
            f"DfE uses 5) and at most {hi}, not {value!r}"
        )
    return value


def symbol(value: Any) -> str:
    """The symbol for a hidden small count: text no one can read as a count, and not the secondary [c]."""
    if (
        not isinstance(value, str)
        or not value.strip()
        or value.strip().lstrip("+-").replace(",", "").isdigit()
        or value.strip() == "[c]"
        or len(value) > 10
    ):
        raise SettingValueError(
            "must be text that cannot be read as a count and is not [c] (the symbol for a figure hidden to "
            f'protect another), at most 10 characters, such as "<5" or "[low]"; not {value!r}'
        )
    return value


def disclosure_test(value: Any) -> str:
    """What gives a small count away (``cpkit.present.disclosure.Rule.test``): one of two words."""
    if not isinstance(value, str) or value.strip() not in DISCLOSURE_TESTS:
        raise SettingValueError(
            "expected interval (the default: no small count can be narrowed to fewer values than its symbol "
            f"allows) or exact (none can be worked out exactly, the DfE's test); got {_shown(value)}"
        )
    return value.strip()


def targets(value: Any) -> dict[str, float]:
    """Local targets by measure id (``{cla_at_end: 420}``): ids the registry knows, numbers as numbers."""
    from cpkit.measures import registry

    if not isinstance(value, dict):
        raise SettingValueError(
            f"expected measure ids with numbers, like {{cla_at_end: 420}}, got {_shown(value)}"
        )
    known = {m.id for m in registry()}
    out = {}
    for key, number in value.items():
        if key not in known:
            raise SettingValueError(f"{key!r} is not a measure id of cpkit/measures.yaml")
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise SettingValueError(f"{key}: expected a number, got {_shown(number)}")
        out[str(key)] = float(number)
    return out


def forecast(value: Any) -> Any:
    """The sufficiency forecast's settings, checked by their own parser (``cpkit.forecast.settings``)."""
    from cpkit.forecast.settings import parse_forecast_settings

    try:
        return parse_forecast_settings(value)
    except ValueError as exc:
        raise SettingValueError(str(exc)) from None


def model_year(value: Any) -> str:
    """``2025`` (a DfE model year, as a number or text) or a path to a model file."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise SettingValueError(
            f"expected a model year such as 2025 or a path to a model file, got {_shown(value)}"
        )
    return value.strip()


def _neighbour(value: Any) -> str:
    try:
        return pattern(OLD_CODE, "a 3-digit code", allow_int=True)(value)
    except SettingValueError:
        return pattern(LA_CODE, "a 3-digit or nine-character council code such as 370 or E08000016")(value)


SETTINGS: tuple[Setting, ...] = (
    Setting("la_name", text(), True, "the council's name as the report prints it"),
    Setting(
        "la_code",
        pattern(LA_CODE, "a nine-character ONS council code such as E06000123"),
        True,
        "the council's nine-character ONS code",
    ),
    Setting(
        "la_old_code",
        pattern(OLD_CODE, 'the three-digit code of DfE files such as "123"', allow_int=True),
        True,
        "the three-digit code in the DfE's files",
    ),
    Setting("region", optional(one_of(REGIONS)), False, "the council's region as the DfE's files name it"),
    Setting(
        "la_district_codes",
        list_of(pattern(DISTRICT_CODE, "an ONS district code such as E08000019"), min_len=1),
        True,
        "the ONS district codes inside the council's boundary",
    ),
    Setting(
        "population_0_17",
        integer(*POPULATION_RANGE),
        True,
        "the ONS mid-year estimate of children aged 0 to 17, for rates per 10,000",
    ),
    Setting("inhouse_providers", list_of(pattern(PROVIDER, "a PLACE_PROVIDER code PR0 to PR5"), min_len=1)),
    Setting("inhouse_denominator", one_of(frozenset(INHOUSE_DENOMINATORS))),
    Setting("small_number_threshold", threshold),
    Setting("suppression_symbol", symbol),
    Setting(
        "disclosure_test",
        disclosure_test,
        False,
        "what gives a small count away: interval (a reader can narrow it) or exact (work it out exactly)",
    ),
    Setting("statistical_neighbours", list_of(_neighbour)),
    Setting("neighbour_model", model_year),
    Setting("benchmarks_dir", optional(text(500))),
    Setting("kpi_file", optional(text(500))),
    Setting("action_plan_file", optional(text(500))),
    Setting("targets", targets),
    Setting("forecast", forecast),
    Setting("sample", boolean()),
)
NESTED: dict[str, tuple[Setting, ...]] = {
    "narrative": (Setting("stable", fraction()), Setting("slight", fraction())),
    # the judgement rule's thresholds: points are percentage points (0 to 100), shares fractions
    "judgement": (
        Setting("amber_points", points()),
        Setting("amber_share", fraction()),
        Setting("similar_points", points()),
        Setting("similar_share", fraction()),
    ),
    "stability": (
        Setting("count_same_carer_changes", boolean()),
        Setting("count_temporary_moves", boolean()),
    ),
}
_NESTED_TYPES = {
    "narrative": NarrativeThresholds,
    "judgement": JudgementSettings,
    "stability": StabilitySettings,
}
REQUIRED = tuple(s.key for s in SETTINGS if s.required)


def _by_default(default: Any) -> Check:
    """A check from a field's default, for a setting added to ``Config`` but not yet to ``SETTINGS``."""
    if isinstance(default, bool):
        return boolean()
    if isinstance(default, int):
        return integer(0, 10**9)
    if isinstance(default, float):
        return fraction()
    if isinstance(default, list):
        return list_of(text())
    return optional(text(500))


def _table(owner: type, declared: tuple[Setting, ...]) -> dict[str, Check]:
    checks = {s.key: s.check for s in declared}
    for f in dataclasses.fields(owner):
        if f.name in checks or f.name == "source" or f.name in NESTED:
            continue
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        checks[f.name] = _by_default(default)
    return checks


def _problem(key: str, exc: SettingValueError) -> str:
    """ "population_0_17 must be ...", "la_code: expected ..."."""
    text = str(exc)
    return f"{key} {text}" if text.startswith("must") else f"{key}: {text}"


def check_settings(raw: dict[str, Any], where: str) -> dict[str, Any]:
    """Checked and normalised values from a settings mapping, or one ``ConfigError`` listing every problem."""
    checks = _table(Config, SETTINGS)
    known = sorted([*checks, *NESTED])
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key in sorted(set(raw) - set(known), key=str):
        problems.append(f"unknown setting {key!r} (a misspelling?); known settings: {', '.join(known)}")
    for key in REQUIRED:
        if raw.get(key) is None:
            meaning = next(s.meaning for s in SETTINGS if s.key == key)
            problems.append(f"{key} is required: {meaning}")
    for key, value in raw.items():
        if key in checks and value is not None:
            try:
                values[key] = checks[key](value)
            except SettingValueError as exc:
                problems.append(_problem(key, exc))
    for key, declared in NESTED.items():
        if key not in raw or raw[key] is None:
            continue
        if not isinstance(raw[key], dict):
            problems.append(
                f"{key}: expected settings under it ('{key}: {{name: value}}'), got {_shown(raw[key])}"
            )
            continue
        sub_checks = _table(_NESTED_TYPES[key], declared)
        sub: dict[str, Any] = {}
        for name, value in raw[key].items():
            if name not in sub_checks:
                problems.append(f"unknown setting {key}.{name}; known: {', '.join(sorted(sub_checks))}")
                continue
            try:
                sub[name] = sub_checks[name](value)
            except SettingValueError as exc:
                problems.append(_problem(f"{key}.{name}", exc))
        values[key] = sub
    narrative = {**dataclasses.asdict(NarrativeThresholds()), **values.get("narrative", {})}
    if narrative["stable"] >= narrative["slight"]:
        problems.append(
            f"narrative.stable ({narrative['stable']}) must be smaller than narrative.slight ({narrative['slight']})"
        )
    if problems:
        if len(problems) == 1:
            raise ConfigError(f"{where}: {problems[0]}")
        raise ConfigError(f"{where}: {len(problems)} problems:\n" + "\n".join(f"- {p}" for p in problems))
    return values


# --- Cross-checks against the council's DfE files ------------------------------------------------------

_NAME_NOISE = {
    "council",
    "city",
    "of",
    "the",
    "county",
    "borough",
    "metropolitan",
    "district",
    "royal",
    "and",
}


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z]+", str(name).lower())) - _NAME_NOISE


def _dfe_councils(folder: Path) -> pd.DataFrame:
    """old_la_code, new_la_code, la_name, region_name, file: every council row of the DfE release CSVs."""
    import pandas as pd

    wanted = ["old_la_code", "new_la_code", "la_name", "region_name"]
    frames = []
    for path in sorted(folder.rglob("*.csv")):
        try:
            head = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns.str.strip()
            if not {"old_la_code", "new_la_code"} <= set(head):
                continue
            cols = [c for c in wanted if c in set(head)]
            frame = pd.read_csv(
                path,
                usecols=lambda c, keep=frozenset(cols): c.strip() in keep,
                dtype=str,
                encoding="utf-8-sig",
            )
        except (UnicodeDecodeError, ValueError, OSError):
            continue  # unreadable files are the benchmark reader's to report
        frame.columns = frame.columns.str.strip()
        frame = frame.dropna(subset=["old_la_code", "new_la_code"]).drop_duplicates()
        frames.append(frame.assign(file=path.name))
    if not frames:
        return pd.DataFrame(columns=[*wanted, "file"])
    out = pd.concat(frames, ignore_index=True)
    for c in ("old_la_code", "new_la_code"):
        out[c] = out[c].str.strip().str.upper()
    return out.drop_duplicates(["old_la_code", "new_la_code"])


def check_codes(config: Config, data_dir: str | Path) -> list[str]:
    """Cross-check ``la_code``/``la_old_code``/``region`` with the DfE files and the neighbour model.

    A code pair that names two different councils in the DfE's own files is an error naming both (the
    report would compare one council's figures with another's neighbours). Returns warnings (the caller
    logs or prints them):
    the council absent from the files, or the neighbour model naming the old code as a council whose
    name shares no word with ``la_name`` (names differ between DfE files, so that is not an error).
    """
    folder = Path(data_dir) / (config.benchmarks_dir or "benchmarks")
    where = config.source or CONFIG_NAME
    warnings: list[str] = []
    if not folder.is_dir():
        return warnings
    councils = _dfe_councils(folder)
    by_old = councils[councils["old_la_code"] == config.la_old_code]
    by_new = councils[councils["new_la_code"] == config.la_code]
    problems = []

    def describe(rows: pd.DataFrame) -> str:
        r = rows.iloc[0]
        return f"{r.get('la_name', '?')} ({r['new_la_code']}, {r['old_la_code']}, in {r['file']})"

    if len(by_old) and (by_old["new_la_code"] != config.la_code).all():
        other = f"; la_code {config.la_code} is {describe(by_new)}" if len(by_new) else ""
        problems.append(
            f"la_old_code {config.la_old_code} is {describe(by_old)} in the DfE files, not la_code "
            f"{config.la_code}{other}. Correct whichever of la_code and la_old_code is wrong"
        )
    elif len(by_new) and not len(by_old):
        problems.append(
            f"la_code {config.la_code} is {describe(by_new)} in the DfE files, not la_old_code "
            f"{config.la_old_code}. Correct whichever of la_code and la_old_code is wrong"
        )
    matched = by_old[by_old["new_la_code"] == config.la_code]
    if config.region and len(matched) and "region_name" in matched:
        regions = set(matched["region_name"].dropna().str.strip()) - {""}
        if regions and config.region not in regions:
            problems.append(
                f"region is {config.region!r} but the DfE files put {describe(matched)} in "
                f"{', '.join(sorted(regions))}"
            )
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))
    if len(councils) and not len(matched):
        warnings.append(
            f"{where}: the council ({config.la_code}, {config.la_old_code}) is not in the DfE files in {folder}: "
            "England and neighbour comparisons will be missing"
        )
    if not config.statistical_neighbours:
        warnings.extend(_check_model(config, folder, where))
    return warnings


def _check_model(config: Config, folder: Path, where: str) -> list[str]:
    import pandas as pd

    from cpkit.benchmarks.neighbours import find_neighbour_models

    path = find_neighbour_models(folder).get(config.neighbour_model)
    if path is None or path.suffix.lower() != ".csv":
        return []
    try:
        model = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    except (UnicodeDecodeError, ValueError, OSError):
        return []
    model.columns = model.columns.str.strip()
    if not {"old_la_code", "la_name"} <= set(model.columns):
        return []
    row = model[model["old_la_code"].str.strip() == config.la_old_code]
    if row.empty:
        return [
            f"{where}: la_old_code {config.la_old_code} is not in the neighbour model {path}: no neighbours"
        ]
    name = str(row.iloc[0]["la_name"])
    if not (_words(name) & _words(config.la_name)):
        return [
            f"{where}: la_old_code {config.la_old_code} is {name!r} in the neighbour model {path}, but la_name is "
            f"{config.la_name!r}: check la_old_code (the neighbours would be {name}'s)"
        ]
    return []
