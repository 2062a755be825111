"""The council's settings and the reporting period, in one place.

A council keeps what does not change from year to year in a YAML file (``cpkit.yaml``): its name and
codes, which placement providers count as in-house, the small-number rule, the words the narrative
uses for changes. The reporting year and period type come from the command line or the notebook's
parameters. The settings that make figures a council's own (name, codes, population, district codes)
are required; the rest have defaults below. ``cpkit.config_checks`` checks every value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml

from cpkit.errors import ConfigError
from cpkit.forecast.settings import ForecastSettings
from cpkit.publish.audit import INTERVAL

PeriodKind = Literal["calendar", "financial", "quarter", "ytd", "rolling12"]
IN_YEAR_KINDS = ("quarter", "ytd", "rolling12")  # periods of the Board's quarterly Performance on a Page


@dataclass(frozen=True)
class Period:
    """A reporting period: both ends inclusive, as councils and the DfE state them.

    ``financial`` is 1 April of ``year - 1`` to 31 March of ``year`` (the DfE's "year ending 31 March
    ``year``"); ``calendar`` is 1 January to 31 December of ``year``. The in-year periods of the quarterly
    Performance on a Page name a quarter of the financial year ending in ``year`` (Q1 April-June ... Q4
    January-March, as councils and the DfE number them): ``quarter`` is that quarter, ``ytd`` the
    financial year to its end, ``rolling12`` the twelve months to its end. Every kind's ``previous()`` is
    the same period one year earlier, the comparison a Board paper makes.
    """

    year: int
    kind: PeriodKind
    start: date
    end: date
    quarter: int | None = None  # 1-4 for the in-year kinds

    @classmethod
    def from_year(cls, year: int, kind: str = "financial", quarter: int | None = None) -> Period:
        if kind in IN_YEAR_KINDS:
            return cls.in_year(year, int(quarter) if quarter is not None else 0, kind)
        if kind == "financial":
            return cls(year, "financial", date(year - 1, 4, 1), date(year, 3, 31))
        if kind == "calendar":
            return cls(year, "calendar", date(year, 1, 1), date(year, 12, 31))
        raise ConfigError(
            f"period must be 'financial', 'calendar', 'quarter', 'ytd' or 'rolling12', not {kind!r}"
        )

    @classmethod
    def in_year(cls, year: int, quarter: int, kind: str = "quarter") -> Period:
        """Quarter ``quarter`` of the financial year ending in ``year``, its year to date or rolling year."""
        if quarter not in (1, 2, 3, 4):
            raise ConfigError(f"quarter must be 1, 2, 3 or 4 (of the financial year), not {quarter!r}")
        first_month = 4 + 3 * (quarter - 1)  # April, July, October, January (13)
        q_year = year - 1 if first_month <= 12 else year
        q_month = (first_month - 1) % 12 + 1
        q_start = date(q_year, q_month, 1)
        end = (pd.Timestamp(q_start) + pd.offsets.MonthEnd(3)).date()
        if kind == "quarter":
            start = q_start
        elif kind == "ytd":
            start = date(year - 1, 4, 1)
        elif kind == "rolling12":
            start = (pd.Timestamp(end) - pd.DateOffset(years=1) + pd.Timedelta(days=1)).date()
        else:
            raise ConfigError(f"in-year period must be 'quarter', 'ytd' or 'rolling12', not {kind!r}")
        return cls(year, kind, start, end, quarter)  # type: ignore[arg-type]

    @property
    def financial_label(self) -> str:
        return f"{self.year - 1}-{str(self.year)[-2:]}"

    @property
    def label(self) -> str:
        """How a council paper names the period: "2024-25", "2025", "Q3 2025-26", "2025-26 to Q3"."""
        if self.kind == "financial":
            return self.financial_label
        if self.kind == "quarter":
            return f"Q{self.quarter} {self.financial_label}"
        if self.kind == "ytd":
            return f"{self.financial_label} to Q{self.quarter}"
        if self.kind == "rolling12":
            return f"12 months to {_day(self.end)}"
        return str(self.year)

    @property
    def folder(self) -> str:
        """The report folder's name: "2025" for a year, "2025-26-Q3" for a quarter's page."""
        if self.kind in IN_YEAR_KINDS:
            return f"{self.financial_label}-Q{self.quarter}"
        return str(self.year)

    @property
    def long_label(self) -> str:
        """ "1 April 2024 to 31 March 2025" style."""
        return f"{_day(self.start)} to {_day(self.end)}"

    @property
    def months(self) -> tuple[str, str]:
        """First and last month as "YYYY-MM", the form ``monthly_movements`` takes."""
        return self.start.strftime("%Y-%m"), self.end.strftime("%Y-%m")

    def previous(self) -> Period:
        """The same kind of period one year earlier."""
        return Period.from_year(self.year - 1, self.kind, self.quarter)

    def quarter_before(self) -> Period:
        """The same kind of period ending one quarter earlier (in-year kinds only)."""
        if self.quarter is None:
            raise ConfigError(f"{self.label} is not an in-year period")
        if self.quarter == 1:
            return Period.in_year(self.year - 1, 4, self.kind)
        return Period.in_year(self.year, self.quarter - 1, self.kind)

    @property
    def start_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.start)

    @property
    def end_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.end)


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


@dataclass
class NarrativeThresholds:
    """Relative changes (as fractions) below which a change is "stable", up to which it is "slight"."""

    stable: float = 0.01
    slight: float = 0.05


INHOUSE_DENOMINATORS = ("excluding_parents", "all")


@dataclass
class JudgementSettings:
    """Thresholds of the one judgement rule (``cpkit.present.judgement``) besides ``narrative``'s.

    RAG Amber: short of the target by up to ``amber_points`` points (percentages, scores) or
    ``amber_share`` of the target (other units). "Similar" to England or neighbours: within
    ``similar_points`` points or ``similar_share`` of their figure.
    """

    amber_points: float = 5.0
    amber_share: float = 0.05
    similar_points: float = 1.0
    similar_share: float = 0.02


@dataclass
class StabilitySettings:
    """Choices the DfE's 3+ placements definition leaves open (see ``cpkit.care.stability``)."""

    # Count a change of placement with the same carer (RNE T or U) as a new placement.
    count_same_carer_changes: bool = True
    # Count temporary moves (PLACE T0-T4) as placements.
    count_temporary_moves: bool = False


@dataclass
class Config:
    """Everything a council sets once.

    ``Config.load`` (what every command and notebook uses) requires the settings in ``REQUIRED`` and
    checks each setting's type and range. Built directly (``Config(...)``, as tests and library callers
    do) nothing is checked, and the required settings default to blank: no council ever inherits another
    council's name, codes, population or districts (the sample's own values live in its ``cpkit.yaml``).
    """

    la_name: str = ""
    la_code: str = ""  # new nine-character ONS code (E06000123)
    la_old_code: str = ""  # three-digit code used in DfE files ("123")
    region: str = ""  # the region as the DfE files name it; blank: taken from them
    # Local authority district codes (ONS) that count as inside the council boundary: a placement postcode
    # whose district in the postcode directory is one of these is "inside". List old and new codes where a
    # boundary change recoded the council (Sheffield: E08000019, and E08000039 since 2023).
    la_district_codes: list[str] = field(default_factory=list)
    population_0_17: int | None = None  # ONS mid-year estimate of children aged 0 to 17, for rates per 10,000
    inhouse_providers: list[str] = field(default_factory=lambda: ["PR1"])
    # Who the in-house share is a share of: "excluding_parents" (children placed with parents, P1/PR0, left
    # out: a provider does not apply to them) or "all" children in care (see cpkit.care.placements).
    inhouse_denominator: str = "excluding_parents"
    small_number_threshold: int = 5  # counts 1..threshold-1 are suppressed (DfE: fewer than 5)
    suppression_symbol: str = "<5"
    # What gives a small count away (cpkit.present.disclosure.Rule.test): "interval", a reader can narrow
    # it to fewer values than its symbol allows; or "exact", a reader can work it out exactly (DfE, ONS)
    disclosure_test: str = INTERVAL
    narrative: NarrativeThresholds = field(default_factory=NarrativeThresholds)
    judgement: JudgementSettings = field(default_factory=JudgementSettings)
    stability: StabilitySettings = field(default_factory=StabilitySettings)
    statistical_neighbours: list[str] = field(default_factory=list)  # LA codes; empty = the DfE model
    neighbour_model: str = "2025"
    benchmarks_dir: str | None = None  # DfE release CSVs; default: <data_dir>/benchmarks
    kpi_file: str | None = None  # local KPIs; default: <data_dir>/kpis.csv
    action_plan_file: str | None = None  # default: <data_dir>/action_plan.xlsx
    forecast: ForecastSettings = field(default_factory=ForecastSettings)  # cpkit.forecast.settings
    # Local targets for measures the SSDA903 data give, by measure id, for the quarterly page's RAG: e.g.
    # {cla_at_end: 420} is the budgeted number of children in care. KPI-file measures carry their own.
    targets: dict[str, float] = field(default_factory=dict)
    sample: bool = False  # set by the sample's own config: shows the "Synthetic sample data" banner
    source: str | None = None  # the file this config was read from, for messages (not a setting)

    @classmethod
    def load(cls, path: str | Path | None, **overrides: Any) -> Config:
        """Read and check a council's ``cpkit.yaml``, then apply overrides (the command line's).

        Unknown keys, missing required settings and values of the wrong type or out of range are all
        reported at once in a ``ConfigError`` naming the file and each key. There is no settings-free
        mode: without a file the report would carry nobody's name, codes or population.
        """
        if path is None:
            raise ConfigError(
                "no settings file: put the council's cpkit.yaml in its data folder or pass --config "
                "(README: 'Settings'; data/sample/cpkit.yaml is an example)"
            )
        path = Path(path)
        raw = read_yaml(path)
        raw.update({k: v for k, v in overrides.items() if v is not None})
        return cls._from_mapping(raw, source=str(path))

    @classmethod
    def for_data(
        cls, data_dir: str | Path, config_file: str | Path | None = None, **overrides: Any
    ) -> Config:
        """The settings for a data folder: ``config_file`` if given, else ``<data_dir>/cpkit.yaml``."""
        if config_file:
            return cls.load(config_file, **overrides)
        found = find_config(data_dir)
        if found is None:
            raise ConfigError(
                f"{Path(data_dir) / CONFIG_NAME}: settings file not found. Every council keeps its settings "
                "(name, codes, population, district codes) in cpkit.yaml in its data folder, or names the "
                "file with --config (README: 'Settings'; data/sample/cpkit.yaml is an example)"
            )
        return cls.load(found, **overrides)

    @classmethod
    def _from_mapping(cls, raw: dict[str, Any], source: str | None) -> Config:
        from cpkit.config_checks import check_settings

        values = check_settings(raw, where=source or CONFIG_NAME)
        values["narrative"] = NarrativeThresholds(**values.get("narrative", {}))
        values["judgement"] = JudgementSettings(**values.get("judgement", {}))
        values["stability"] = StabilitySettings(**values.get("stability", {}))
        return cls(**values, source=source)

    def path_in(self, data_dir: str | Path, setting: str | None, default: str) -> Path:
        """Resolve a file setting relative to the data folder (absolute paths stay as they are)."""
        return Path(data_dir) / (setting or default)


MIN_SMALL_NUMBER_THRESHOLD = 3  # cpkit.present.disclosure.MIN_THRESHOLD; the DfE's own practice is 5


CONFIG_NAME = "cpkit.yaml"


def read_yaml(path: Path) -> dict[str, Any]:
    """The settings file as a mapping; a one-line ``ConfigError`` naming the file when it cannot be."""
    if not path.is_file():
        raise ConfigError(f"{path}: settings file not found")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)"
        ) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        from cpkit.yaml_problems import plain_problem

        raise ConfigError(f"{path}: not valid YAML, {plain_problem(exc)}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected settings as 'key: value' lines, found a {type(raw).__name__}")
    return dict(raw)


def find_config(data_dir: str | Path) -> Path | None:
    """The config beside the data (``<data_dir>/cpkit.yaml``), if the council keeps one there."""
    candidate = Path(data_dir) / CONFIG_NAME
    return candidate if candidate.exists() else None
