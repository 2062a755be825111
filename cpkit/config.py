"""The council's settings and the reporting period, in one place.

A council keeps what does not change from year to year in a YAML file (``cpkit.yaml``): its name and
codes, which placement providers count as in-house, the small-number rule, the words the narrative
uses for changes. The reporting year and period type come from the command line or the notebook's
parameters. Anything not in the file takes the default below, which is also what the shipped sample
uses, so the kit runs with no config file at all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml

from cpkit.forecast.settings import ForecastSettings, parse_forecast_settings

PeriodKind = Literal["calendar", "financial", "quarter", "ytd", "rolling12"]
IN_YEAR_KINDS = ("quarter", "ytd", "rolling12")  # periods of the Board's quarterly Performance on a Page


class ConfigError(ValueError):
    """A setting is missing, misspelt or out of range (the message names the file and key)."""


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
    """Everything a council sets once. Defaults describe the synthetic sample council."""

    la_name: str = "Sample Council"
    la_code: str = "E06000999"  # new nine-character code
    la_old_code: str = "999"  # three-digit code used in DfE files
    region: str = "Yorkshire and The Humber"
    # Local authority district codes (ONS) that count as inside the council boundary: a placement postcode
    # whose district in the postcode directory is one of these is "inside". List old and new codes where a
    # boundary change recoded the council (the sample's area is Sheffield: E08000019, E08000039 since 2023).
    la_district_codes: list[str] = field(default_factory=lambda: ["E08000019", "E08000039"])
    population_0_17: int | None = 64000  # ONS mid-year estimate, for rates per 10,000
    inhouse_providers: list[str] = field(default_factory=lambda: ["PR1"])
    # Who the in-house share is a share of: "excluding_parents" (children placed with parents, P1/PR0, left
    # out: a provider does not apply to them) or "all" children in care (see cpkit.care.placements).
    inhouse_denominator: str = "excluding_parents"
    small_number_threshold: int = 5  # counts 1..threshold-1 are suppressed (DfE: fewer than 5)
    suppression_symbol: str = "<5"
    narrative: NarrativeThresholds = field(default_factory=NarrativeThresholds)
    judgement: JudgementSettings = field(default_factory=JudgementSettings)
    stability: StabilitySettings = field(default_factory=StabilitySettings)
    statistical_neighbours: list[str] = field(default_factory=list)  # new LA codes; empty = DfE model
    neighbour_model: str = "2025"
    benchmarks_dir: str | None = None  # DfE release CSVs; default: <data_dir>/benchmarks
    kpi_file: str | None = None  # local KPIs; default: <data_dir>/kpis.csv
    action_plan_file: str | None = None  # default: <data_dir>/action_plan.xlsx
    forecast: ForecastSettings = field(default_factory=ForecastSettings)  # cpkit.forecast.settings
    # Local targets for measures the SSDA903 data give, by measure id, for the quarterly page's RAG: e.g.
    # {cla_at_end: 420} is the budgeted number of children in care. KPI-file measures carry their own.
    targets: dict[str, float] = field(default_factory=dict)
    sample: bool = False  # set by the sample's own config: shows the "Synthetic sample data" banner
    source: str | None = None  # the file this config was read from, for messages

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> Config:
        """Read a YAML config (unknown keys are an error, not ignored), then apply overrides."""
        raw: dict[str, Any] = {}
        if path is not None:
            path = Path(path)
            if not path.exists():
                raise ConfigError(f"{path}: config file not found")
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if not isinstance(raw, dict):
                raise ConfigError(f"{path}: expected a mapping of settings at the top level")
        raw.update({k: v for k, v in overrides.items() if v is not None})
        return cls._from_mapping(raw, source=str(path) if path else None)

    @classmethod
    def _from_mapping(cls, raw: dict[str, Any], source: str | None) -> Config:
        where = source or "config"
        nested = {
            "narrative": NarrativeThresholds,
            "judgement": JudgementSettings,
            "stability": StabilitySettings,
        }
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ConfigError(
                f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key in nested and isinstance(value, dict):
                sub_known = {f.name for f in dataclasses.fields(nested[key])}
                bad = sorted(set(value) - sub_known)
                if bad:
                    raise ConfigError(f"{where}: unknown setting(s) {key}.{', '.join(bad)}")
                value = nested[key](**value)
            if key == "forecast":
                try:
                    value = parse_forecast_settings(value)
                except ValueError as exc:
                    raise ConfigError(f"{where}: {exc}") from None
            values[key] = value
        values["source"] = source
        config = cls(**values)
        _check_disclosure(config, where)
        if config.inhouse_denominator not in INHOUSE_DENOMINATORS:
            raise ConfigError(
                f"{where}: inhouse_denominator must be one of {', '.join(INHOUSE_DENOMINATORS)}, "
                f"not {config.inhouse_denominator!r}"
            )
        return config

    def path_in(self, data_dir: str | Path, setting: str | None, default: str) -> Path:
        """Resolve a file setting relative to the data folder (absolute paths stay as they are)."""
        return Path(data_dir) / (setting or default)


MIN_SMALL_NUMBER_THRESHOLD = 3  # cpkit.present.disclosure.MIN_THRESHOLD; the DfE's own practice is 5


def _check_disclosure(config: Config, where: str) -> None:
    """The small-number rule a council may set: a whole-number threshold of at least 3 (a report that
    published counts of 1 or 2 would identify children), and a symbol that is not a number."""
    t = config.small_number_threshold
    if isinstance(t, bool) or not isinstance(t, int) or t < MIN_SMALL_NUMBER_THRESHOLD:
        raise ConfigError(
            f"{where}: small_number_threshold must be a whole number of at least "
            f"{MIN_SMALL_NUMBER_THRESHOLD} (counts from 1 to the threshold less one are hidden; the DfE "
            f"uses 5), not {t!r}"
        )
    symbol = config.suppression_symbol
    if (
        not isinstance(symbol, str)
        or not symbol.strip()
        or symbol.strip().lstrip("+-").replace(",", "").isdigit()
        or symbol.strip() == "[c]"  # the secondary symbol: a small count must read differently
    ):
        raise ConfigError(
            f"{where}: suppression_symbol must be text that cannot be read as a count and is not [c] (the "
            f'symbol for a figure hidden to protect another), such as "<5" or "[low]"; not {symbol!r}'
        )


def find_config(data_dir: str | Path) -> Path | None:
    """The config beside the data (``<data_dir>/cpkit.yaml``), if the council keeps one there."""
    candidate = Path(data_dir) / "cpkit.yaml"
    return candidate if candidate.exists() else None
