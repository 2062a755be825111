"""A synthetic local KPI file for the sample council: the figures the SSDA903 return cannot give.

Two financial years (2023-24 and 2024-25, i.e. years 2024 and 2025) so the report can show this year
beside last year; values near what councils report, each with a target and the system it comes from.
Then quarterly figures (2023-24 Q1 to 2025-26 Q3) of what the Board's Performance on a Page tracks each
quarter: "up to date" shares at the quarter end, and foster carer households, approvals and
de-registrations, so a sample quarter has its same quarter last year and an eight-quarter trend.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

# indicator, theme, unit, polarity, source, typical value, spread, target, cohort (for percentages)
INDICATORS = [
    (
        "Child in care reviews held on time",
        "children in care",
        "percent",
        "high",
        "Case management system",
        91,
        4,
        95,
        320,
    ),
    (
        "Statutory visits up to date",
        "children in care",
        "percent",
        "high",
        "Case management system",
        89,
        5,
        95,
        330,
    ),
    (
        "Personal education plans up to date",
        "education",
        "percent",
        "high",
        "Virtual School ePEP",
        92,
        4,
        95,
        210,
    ),
    ("Pathway plans up to date", "care leavers", "percent", "high", "Leaving care team", 86, 5, 90, 190),
    (
        "SDQ completed for children aged 4-16",
        "health",
        "percent",
        "high",
        "Case management system",
        80,
        6,
        85,
        170,
    ),
    (
        "Initial health assessments within 20 working days",
        "health",
        "percent",
        "high",
        "Health partner",
        58,
        10,
        75,
        120,
    ),
    (
        "Attendance of children in care (school age)",
        "education",
        "percent",
        "high",
        "Virtual School",
        91,
        2,
        93,
        200,
    ),
    (
        "Persistent absence (below 90% attendance)",
        "education",
        "percent",
        "low",
        "Virtual School",
        22,
        4,
        18,
        200,
    ),
    (
        "Children in care with one or more suspensions",
        "education",
        "percent",
        "low",
        "Virtual School",
        11,
        3,
        9,
        200,
    ),
    (
        "Permanent exclusions of children in care",
        "education",
        "number",
        "low",
        "Virtual School",
        1,
        1,
        0,
        None,
    ),
    (
        "Key stage 2: expected standard in reading, writing and maths",
        "education",
        "percent",
        "high",
        "Virtual School",
        36,
        8,
        40,
        25,
    ),
    (
        "Key stage 4: average Attainment 8 score",
        "education",
        "score",
        "high",
        "Virtual School",
        20,
        3,
        22,
        None,
    ),
    (
        "Children in care offered advocacy who took it up",
        "participation",
        "percent",
        "high",
        "Advocacy provider",
        42,
        8,
        50,
        90,
    ),
    (
        "Approved foster carer households (in-house)",
        "fostering",
        "number",
        "high",
        "Fostering service",
        118,
        6,
        125,
        None,
    ),
    (
        "New foster carer households approved",
        "fostering",
        "number",
        "high",
        "Fostering service",
        11,
        3,
        15,
        None,
    ),
    (
        "Foster carer households de-registered",
        "fostering",
        "number",
        "low",
        "Fostering service",
        10,
        3,
        None,
        None,
    ),
]


def _quarterly(name: str, typical: float, spread: float, target: float | None, cohort: int | None) -> tuple:
    """A yearly indicator's spec with its quarterly figures (theme, unit, polarity and source as the year's)."""
    _, theme, unit, polarity, source, *_ = next(spec for spec in INDICATORS if spec[0] == name)
    return (name, theme, unit, polarity, source, typical, spread, target, cohort)


# indicator, theme, unit, polarity, source, typical value, spread, target, cohort (None: a count); the
# indicators also kept yearly take their description from INDICATORS (the annual report prefers the year's
# figure; the quarterly page the quarter's)
QUARTERLY = [
    _quarterly("Child in care reviews held on time", 91, 4, 95, 330),
    _quarterly("Statutory visits up to date", 89, 5, 95, 340),
    (
        "Care plans up to date",
        "children in care",
        "percent",
        "high",
        "Case management system",
        90,
        4,
        95,
        340,
    ),
    _quarterly("Personal education plans up to date", 92, 4, 95, 215),
    ("Health assessments up to date", "health", "percent", "high", "Health partner", 87, 5, 90, 300),
    ("Dental checks up to date", "health", "percent", "high", "Health partner", 78, 6, 85, 300),
    _quarterly("Pathway plans up to date", 86, 5, 90, 195),
    (
        "Care leavers in suitable accommodation",
        "care leavers",
        "percent",
        "high",
        "Leaving care team",
        88,
        4,
        90,
        195,
    ),
    (
        "Care leavers in education, employment or training",
        "care leavers",
        "percent",
        "high",
        "Leaving care team",
        55,
        6,
        60,
        195,
    ),
    _quarterly("Approved foster carer households (in-house)", 118, 4, 125, None),
    _quarterly("New foster carer households approved", 3, 2, 4, None),
    _quarterly("Foster carer households de-registered", 3, 2, None, None),
    # Added after the others so that their figures stay as they were (one stream of draws, in this order).
    _quarterly("Initial health assessments within 20 working days", 60, 10, 75, 30),
    (
        "Children in care aged 10-17 cautioned or convicted in the quarter",
        "children in care",
        "percent",
        "low",
        "Youth justice service",
        3,
        1,
        None,
        170,
    ),
    (
        "Care leavers aged 17-21 the council supports",
        "care leavers",
        "number",
        "neutral",
        "Leaving care team",
        205,
        6,
        None,
        None,
    ),
]
QUARTERS = [f"{y}-{str(y + 1)[-2:]} Q{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)][:-1]


def _row(rng: np.random.Generator, spec: tuple, period: str) -> list[object]:
    name, theme, unit, polarity, source, typical, spread, target, cohort = spec
    if cohort:
        denominator = int(rng.integers(int(cohort * 0.9), int(cohort * 1.1)))
        share = float(np.clip(rng.normal(typical, spread), 0, 100)) / 100
        numerator = int(round(denominator * share))
        value = f"{numerator / denominator * 100:.1f}"
        return [name, theme, period, value, numerator, denominator, target, polarity, unit, source]
    value = max(0.0, rng.normal(typical, spread))
    shown = f"{value:.1f}" if unit == "score" else str(int(round(value)))
    return [name, theme, period, shown, "", "", "" if target is None else target, polarity, unit, source]


def write_kpis(path: Path, seed: int = 2025) -> Path:
    """Write the sample KPI CSV (columns as ``cpkit.kpis.load_kpis`` reads them) and return its path."""
    rng = np.random.default_rng(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = [
        "indicator",
        "theme",
        "period",
        "value",
        "numerator",
        "denominator",
        "target",
        "polarity",
        "unit",
        "source",
    ]
    rows = [_row(rng, spec, period) for spec in INDICATORS for period in ("2023-24", "2024-25")]
    quarterly = np.random.default_rng(seed + 1)  # its own draws: the yearly rows stay as they were
    rows += [_row(quarterly, spec, period) for spec in QUARTERLY for period in QUARTERS]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
