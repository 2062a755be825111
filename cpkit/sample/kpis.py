"""A synthetic local KPI file for the sample council: the figures the SSDA903 return cannot give.

Two financial years (2023-24 and 2024-25, i.e. years 2024 and 2025) so the report can show this year
beside last year; values near what councils report, each with a target and the system it comes from.
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
]


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
    rows = []
    for name, theme, unit, polarity, source, typical, spread, target, cohort in INDICATORS:
        for period in ("2023-24", "2024-25"):
            if cohort:
                denominator = int(rng.integers(int(cohort * 0.9), int(cohort * 1.1)))
                share = float(np.clip(rng.normal(typical, spread), 0, 100)) / 100
                numerator = int(round(denominator * share))
                value = f"{numerator / denominator * 100:.1f}"
                rows.append(
                    [name, theme, period, value, numerator, denominator, target, polarity, unit, source]
                )
            else:
                value = max(0.0, rng.normal(typical, spread))
                shown = f"{value:.1f}" if unit == "score" else str(int(round(value)))
                rows.append([name, theme, period, shown, "", "", target, polarity, unit, source])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
