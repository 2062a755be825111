"""Synthetic DfE release files (2025 layout) for the sample council, its neighbours, region and England.

The shares and rates are drawn around England's published 2025 figures (rounded, written in by hand
below), so the sample's scorecard looks like a real one; every council, code and count is invented. The
files follow the DfE's conventions: council counts exact and counts 1-4 suppressed ("c"), region and
England counts rounded to the nearest 10 with percentages worked out before rounding, one "z" column for a
category the release no longer uses, and a council created in 2023 (no rows before it existed).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

# England, year ending 31 March 2025, rounded (explore-education-statistics CLA release).
CLA_RATE, START_RATE, CEASE_RATE = 67, 26, 28
HEALTH = {
    "had their annual health assessment": 0.90,
    "had their teeth checked by a dentist": 0.81,
    "had their immunisations up to date": 0.84,
}
ACTIVITY = {  # shares of care leavers, 17-18 and 19-21
    "Higher education i.e. studies beyond A level": (0.03, 0.06),
    "Education other than higher education": (0.48, 0.21),
    "In an apprenticeship": (0.02, 0.02),
    "In training or employment (excl. apprenticeship)": (0.11, 0.25),
    "Not in education, training or employment, owing to illness or disability": (0.03, 0.09),
    "Not in education, training or employment, owing to pregnancy or parenting": (0.02, 0.04),
    "Not in education, training or employment, owing to other reasons": (0.25, 0.27),
    "Total information not known": (0.06, 0.06),
}
ACCOMMODATION = {
    "Accommodation considered suitable": (0.91, 0.89),
    "Accommodation considered unsuitable": (0.03, 0.05),
    "No information": (0.06, 0.06),
}
LOCATION = {
    "Placed inside LA boundary less than 20 miles from home": 0.46,
    "Placed inside LA boundary more than 20 miles from home": 0.05,
    "Placed outside LA boundary less than 20 miles from home": 0.20,
    "Placed outside LA boundary more than 20 miles from home": 0.16,
    "Distance not known or not recorded": 0.13,
}
REASONS = {
    "Change to/implementation of care plan": 0.34,
    "Allegation (s47)": 0.01,
    "Standards of care concern": 0.01,
    "Approval removed": 0.005,
    "Carer requests placement ends due to child's behaviour": 0.08,
    "Carer requests placement end other than due to child's behaviour": 0.07,
    "Child requests placement to end": 0.03,
    "Responsible/area authority requests placement ends": 0.02,
    "Change in the status of a placement only": 0.18,
    "Custody arrangement": 0.005,
    "Resignation or closure of provision": 0.01,
    "Other": 0.24,
}
YEARS = (2021, 2022, 2023, 2024, 2025)
REGIONS = {"E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber"}
GEO = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "la_name",
    "new_la_code",
]
ENGLAND_CHILDREN = 12_183_016
LONG_TERM = "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"
HEALTH_GROUPS = (
    "Health assessments: Children looked after all ages",
    "Development assessments: Children looked after ages 0 to 4 years",
    "Ages 5 to 16 years with SDQ score",
    "Convictions: Children looked after Ages 10 to 17 years",
    "Substance misuse: Children looked after all ages",
)
NUMBERS_CLA = "Children looked after on 31 March each year"
CONVICTED = "Convicted or subject to youth cautions, or youth conditional cautions during the year"


@dataclass(frozen=True)
class Council:
    new_code: str
    old_code: str
    name: str
    region: str
    children: int
    first_year: int = 2021


def councils(count: int = 20) -> list[Council]:
    """The sample council and ``count`` synthetic others (E06000901.., old codes 951..; "Neighbour A"...)."""
    rng = np.random.default_rng(7)
    regions = list(REGIONS)
    out = [Council("E06000999", "999", "Sample Council", "E12000003", 64000)]
    for i in range(count):
        name = f"Neighbour {_letters(i)}"
        first = 2023 if i == count - 1 else 2021  # the last one is a council created in April 2023
        old = 951 + i if i < 48 else 100 + i  # 951-998, then 148 upwards: no clash with the sample's 999
        out.append(
            Council(
                f"E06{901 + i:06d}",
                f"{old:03d}",
                name,
                regions[i % 3] if i >= 10 else "E12000003",
                int(rng.integers(30000, 120000)),
                first,
            )
        )
    return out


def _letters(i: int) -> str:
    return chr(65 + i) if i < 26 else chr(65 + i // 26 - 1) + chr(65 + i % 26)


class _Draw:
    """A council's figures for a year: shares drawn near England's, steady from year to year."""

    def __init__(self, rng: np.random.Generator, council: Council):
        self.rng, self.council = rng, council
        self.tilt = {}  # a council's persistent lean on each share, so its year-to-year series is plausible

    def share(self, key: str, base: float) -> float:
        lean = self.tilt.setdefault(key, self.rng.normal(0, 0.25))
        jitter = self.rng.normal(0, 0.08)
        odds = base / (1 - base) * np.exp(lean + jitter)
        return float(odds / (1 + odds))

    def count(self, n: float, key: str, base: float) -> int:
        return int(self.rng.binomial(max(int(round(n)), 0), self.share(key, base)))

    def split(self, n: int, key: str, shares: dict[str, float]) -> dict[str, int]:
        probs = np.array([self.share(f"{key}:{k}", v) for k, v in shares.items()])
        return dict(zip(shares, self.rng.multinomial(n, probs / probs.sum()).tolist(), strict=True))


def _council_figures(d: _Draw, year: int) -> dict[str, list[tuple]]:
    """Rows (labels..., count) per file for one council and year, plus the population and SDQ average."""
    c = d.council
    trend = 1 + 0.01 * (year - 2025)
    cla = int(
        d.rng.poisson(
            c.children / 10000 * CLA_RATE * trend * np.exp(d.tilt.setdefault("size", d.rng.normal(0, 0.2)))
        )
    )
    out: dict[str, list[tuple]] = {}
    out["numbers"] = [
        (NUMBERS_CLA, cla),
        ("Children starting to be looked after each year", int(d.rng.poisson(c.children / 1e4 * START_RATE))),
        ("Children ceasing to be looked after each year", int(d.rng.poisson(c.children / 1e4 * CEASE_RATE))),
    ]
    two_years, long_term = d.count(cla, "2y", 0.73), d.count(cla, "lt", 0.35)
    g1, g2, g3 = "CLA on 31 March", "CLA 2 years on 31 March", LONG_TERM
    out["stability"] = [
        (g1, "With 3 or more placements during the year", d.count(cla, "p3", 0.10)),
        (g1, "Total children", cla),
        (g2, "With 3 or more placements during the previous 2 years", d.count(two_years, "p3y", 0.23)),
        (g2, "Total children", two_years),
        (g3, "Living with the same carer for at least 2 years", d.count(long_term, "lts", 0.69)),
        (g3, "Total children", long_term),
    ]
    oc2 = d.count(cla, "oc2", 0.72)
    under5, age5_16, age10_17 = (
        d.count(oc2, "u5", 0.11),
        d.count(oc2, "516", 0.74),
        d.count(oc2, "1017", 0.70),
    )
    received = d.count(age5_16, "sdqr", 0.78)
    bands = d.split(received, "sdq", {"normal": 0.45, "borderline": 0.13, "concern": 0.42})
    substance = d.count(oc2, "sub", 0.03)
    ha, dev, sdq, conv, sm = HEALTH_GROUPS
    out["health"] = [
        *((ha, item.capitalize(), d.count(oc2, item, share)) for item, share in HEALTH.items()),
        (ha, "Total all ages", oc2),
        (dev, "Development assessments up to date", d.count(under5, "dev", 0.88)),
        (dev, "Total ages 0 to 4 years", under5),
        (sdq, "SDQ score was received", received),
        (sdq, "SDQ score is normal", bands["normal"]),
        (sdq, "SDQ score is borderline", bands["borderline"]),
        (sdq, "SDQ score is a cause for concern", bands["concern"]),
        (sdq, "Total ages 5 to 16 years", age5_16),
        (conv, CONVICTED, d.count(age10_17, "conv", 0.02)),
        (conv, "Total ages 10 to 17 years", age10_17),
        (sm, "Identified as having a substance misuse problem", substance),
        (sm, "Received an intervention for their substance misuse problem", d.count(substance, "subr", 0.41)),
        (sm, "Offered intervention but refused it", d.count(substance, "subx", 0.44)),
        (sm, "Total all ages", oc2),
    ]
    # SDQ average: bands' midpoints, kept between 12 and 18.
    sdq_avg = round(float(np.clip(d.rng.normal(14.9, 0.8), 12, 18)), 1)
    out["activity"], out["accommodation"] = [], []
    for i, age in enumerate(("17 to 18 years", "19 to 21 years")):
        leavers = d.count(cla, f"cl{i}", (0.18, 0.47)[i])
        acts = d.split(leavers, f"act{i}", {k: v[i] for k, v in ACTIVITY.items()})
        eet = sum(v for k, v in acts.items() if not k.startswith(("Not in", "Total")))
        neet = sum(v for k, v in acts.items() if k.startswith("Not in"))
        out["activity"] += [(age, k, v) for k, v in acts.items()] + [
            (age, "In training or employment", None),
            (age, "Total in education, employment or training", eet),
            (age, "Total not in education, employment or training", neet),
            (age, "Total", leavers),
        ]
        acc = d.split(leavers, f"acc{i}", {k: v[i] for k, v in ACCOMMODATION.items()})
        out["accommodation"] += [(age, k, v) for k, v in acc.items()] + [(age, "Suitability total", leavers)]
    placements, changes = d.count(cla * 1.3, "np", 0.85), d.count(cla, "pc", 0.72)
    loc, why = "Location of new placements during the year", "Reason for placement change during the year"
    out["new_placements"] = (
        [(loc, k, v) for k, v in d.split(placements, "loc", LOCATION).items()]
        + [(loc, "Total new placements", placements)]
        + [(why, k, v) for k, v in d.split(changes, "why", REASONS).items()]
        + [(why, "Total placements changing", changes)]
    )
    school, school2 = d.count(cla, "sch", 0.55), d.count(cla, "sch2", 0.40)
    out["school_moves"] = []
    for move, (any_share, two_share) in (("Any moves", (0.20, 0.35)), ("Mid-year moves", (0.10, 0.15))):
        word = "moves" if move == "Any moves" else "mid-year moves"
        out["school_moves"] += [
            (g1, move, f"With one or more {word} during the year", d.count(school, f"sm{move}", any_share)),
            (g1, move, "Total children", school),
            (
                g2,
                move,
                f"With one or more {word} during the previous 2 years",
                d.count(school2, f"sm2{move}", two_share),
            ),
            (g2, move, "Total children", school2),
        ]
    out["social_workers"] = [
        (g1, "3 or more social workers during the year", d.count(cla, "sw", 0.27)),
        (g1, "Total children", cla),
    ]
    out["_sdq_average"] = [(sdq_avg,)]
    return out


LAYOUTS = {  # file: (file name, label columns, count column, percent column)
    "numbers": ("cla_number_and_rate_per_10k_children.csv", ["population_type"], "children_count", None),
    "stability": (
        "la_cla_placement_stability.csv",
        ["cla_group", "placement_stability"],
        "children_count",
        "children_percent",
    ),
    "health": (
        "la_conviction_health_outcome_cla.csv",
        ["characteristic", "breakdown"],
        "children_count",
        "children_percent",
    ),
    "activity": (
        "la_care_leavers_activity.csv",
        ["care_leaver_age", "breakdown"],
        "care_leaver_count",
        "care_leaver_percent",
    ),
    "accommodation": (
        "la_care_leavers_accommodation_suitability.csv",
        ["care_leaver_age", "breakdown"],
        "care_leaver_count",
        "care_leaver_percent",
    ),
    "new_placements": (
        "la_cla_during_year_new_placements.csv",
        ["characteristic", "breakdown"],
        "children_count",
        "children_percent",
    ),
    "school_moves": (
        "la_cla_school_moves.csv",
        ["cla_group", "move_measure", "school_stability"],
        "number",
        "percentage",
    ),
    "social_workers": ("la_cla_swcount.csv", ["cla_group", "sw_stability"], "number", "percentage"),
}
LAGGED = {"school_moves", "social_workers"}  # time_period one year before the release
TOTALS = {
    "Total children",
    "Total all ages",
    "Total ages 0 to 4 years",
    "Total ages 5 to 16 years",
    "Total ages 10 to 17 years",
    "Total",
    "Suitability total",
    "Total new placements",
    "Total placements changing",
}
DENOMINATOR = {
    "SDQ score is normal": "SDQ score was received",
    "SDQ score is borderline": "SDQ score was received",
    "SDQ score is a cause for concern": "SDQ score was received",
    "Received an intervention for their substance misuse problem": "Identified as having a substance misuse problem",
    "Offered intervention but refused it": "Identified as having a substance misuse problem",
}


def _rows_for_area(
    kind: str, rows: list[tuple], geo: list[str], exact: bool, children: float, sdq_average: float
) -> list[list[str]]:
    """CSV rows of one area and year: DfE rounding and suppression applied to counts and percentages."""
    totals = {}
    for row in rows:
        group, item, n = row[:-2], row[-2], row[-1]
        if item in TOTALS:
            totals[group] = n
    by_item = {(row[:-2], row[-2]): row[-1] for row in rows}
    out = []
    for row in rows:
        group, item, n = row[:-2], row[-2], row[-1]
        labels = [*group, item]
        if kind == "numbers":
            rate = round(n / children * 10000)
            out.append([*geo, *labels, str(round(children)), _count(n, exact), str(rate)])
            continue
        if n is None:
            out.append([*geo, *labels, "z", "z"])
            continue
        den = by_item.get((group, DENOMINATOR[item]), None) if item in DENOMINATOR else totals.get(group)
        pct = "100" if item in TOTALS else (_pct(n, den) if den else "x")
        if exact and 0 < n < 5:
            out.append([*geo, *labels, "c", "c"])
        else:
            out.append([*geo, *labels, _count(n, exact), pct])
    if kind == "health":
        out.insert(
            0, [*geo, "Ages 5 to 16 years with SDQ score", "SDQ average score", f"{sdq_average:g}", "z"]
        )
    return out


def _count(n: float, exact: bool) -> str:
    return str(int(round(n))) if exact else str(int(round(n / 10) * 10))


def _pct(n: float, den: float) -> str:
    return str(int(np.floor(n / den * 100 + 0.5)))


def write_benchmarks(
    out_dir: Path,
    seed: int = 2025,
    *,
    councils_count: int = 20,
    truth: Mapping[int, Mapping[tuple[str, ...], float]] | None = None,
) -> list[Path]:
    """Write the sample release (2025 layout, years 2021-2025) and a neighbour model; return the paths.

    ``councils_count`` other councils besides the sample one (the benchmark script asks for ~155).
    ``truth`` maps a year to the sample council's ground-truth figures (``ground_truth``): where given, the
    sample council's published counts are those, worked out by the generator from what it simulated,
    independently of the kit's measures, as the DfE works out a council's figures from its return.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    everyone = councils(councils_count)
    draws = {c.new_code: _Draw(rng, c) for c in everyone}
    draws["E06000999"].tilt["size"] = (
        0.05  # the sample council sits near England's rate, as the SSDA903 sample does
    )
    lines: dict[str, list[list[str]]] = {k: [] for k in LAYOUTS}
    for year in YEARS:
        known = truth.get(year) if truth is not None else None
        figures = {}
        for c in everyone:
            if year < c.first_year:
                continue
            figures[c.new_code] = _council_figures(draws[c.new_code], year)
            if known is not None and c.new_code == "E06000999":
                _use_truth(figures[c.new_code], known)
        if year == 2025 and len(everyone) > 3:  # a neighbour with a suppressed conviction count, on purpose
            _force_small(figures[everyone[3].new_code]["health"], "Convicted", 3)
        areas = [(c, figures[c.new_code]) for c in everyone if c.new_code in figures]
        for kind in LAYOUTS:
            if kind == "social_workers" and year != 2025:
                continue  # the DfE published one year of social worker changes (2023-24)
            period = str(year - 1 if kind in LAGGED else year)
            for c, fig in areas:
                if int(period) < c.first_year:
                    continue  # a lagged file's year before the council existed
                geo = [
                    period,
                    "Reporting year",
                    "Local authority",
                    "E92000001",
                    "England",
                    c.region,
                    REGIONS[c.region],
                    c.old_code,
                    c.name,
                    c.new_code,
                ]
                lines[kind] += _rows_for_area(
                    kind, fig[kind], geo, True, c.children, fig["_sdq_average"][0][0]
                )
            for code, name, members, children in _aggregates(everyone, figures):
                level = "National" if code == "E92000001" else "Regional"
                region = ["", ""] if level == "National" else [code, name]
                geo = [period, "Reporting year", level, "E92000001", "England", *region, "", "", ""]
                scale = children / sum(c.children for c in members)
                summed = _sum_rows([figures[c.new_code][kind] for c in members], scale)
                avg = float(np.mean([figures[c.new_code]["_sdq_average"][0][0] for c in members]))
                lines[kind] += _rows_for_area(kind, summed, geo, False, children, round(avg, 1))
    paths = []
    for kind, (name, labels, count_col, pct_col) in LAYOUTS.items():
        header = [
            *GEO,
            *labels,
            *(["population_estimate"] if kind == "numbers" else []),
            count_col,
            pct_col or "rate_per_10000",
        ]
        paths.append(_write(out_dir / name, header, lines[kind]))
    paths.append(write_neighbour_model(out_dir / "synthetic_sn_model_2025.csv", everyone, rng))
    return paths


def _force_small(rows: list[tuple], starts: str, n: int) -> None:
    for i, row in enumerate(rows):
        if row[1].startswith(starts):
            rows[i] = (*row[:-1], n)


def _aggregates(everyone: list[Council], figures: dict) -> list[tuple[str, str, list[Council], float]]:
    """England and each region: the councils in them, scaled up to a real-sized child population."""
    present = [c for c in everyone if c.new_code in figures]
    out = [("E92000001", "England", present, ENGLAND_CHILDREN)]
    for code, name in REGIONS.items():
        members = [c for c in present if c.region == code]
        if members:
            out.append((code, name, members, 1_200_000.0))
    return out


def _sum_rows(per_council: list[list[tuple]], scale: float) -> list[tuple]:
    """Add the councils' rows label by label (z cells stay z), scaled to the area's size."""
    first = per_council[0]
    out = []
    for i, row in enumerate(first):
        values = [rows[i][-1] for rows in per_council]
        total = None if any(v is None for v in values) else sum(values) * scale
        out.append((*row[:-1], total))
    return out


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_neighbour_model(path: Path, everyone: list[Council], rng: np.random.Generator) -> Path:
    """A neighbour model in the DfE 2025 wide layout: ten neighbours each, closest first.

    The sample council's ten include the council created in 2023 and the one with a suppressed count, so
    the scorecard shows both cases.
    """
    header = ["old_la_code", "la_name", "region_ind", "region_name"]
    for i in range(1, 11):
        header += [f"SN_{i}", f"SN_{i}P"]
    rows = []
    sizes = np.array([c.children for c in everyone], dtype=float)
    for c in everyone:
        distance = np.abs(np.log(sizes / c.children)) + rng.uniform(0, 0.3, len(everyone))
        order = [everyone[j] for j in np.argsort(distance) if everyone[j] is not c]
        if c.old_code == "999":
            order = [everyone[3], everyone[-1], *[o for o in order if o not in (everyone[3], everyone[-1])]]
        row = [c.old_code, c.name, "9" if c.region == "E12000003" else "1", REGIONS[c.region]]
        for k, n in enumerate(order[:10]):
            row += [n.old_code, "Very close" if k < 4 else "Close "]
        rows.append(row)
    return _write(path, header, rows)


# ---- the sample council's published figures: the generator's own ground truth ----------------------------
# The DfE publishes a council's figures from its return, worked out by the DfE's own code. For the sample,
# "the DfE" is this generator: it counts from the simulated children (their carers, placements and dates as
# simulated, not as coded in the CSVs) and from the OC2/OC3 rows it wrote, and never calls cpkit.care. So
# the scorecard's "own data against published" check compares two independent computations, and shows
# the small differences a real council sees (the generator's cohorts are drawn a little differently from
# the DfE rules the kit follows, e.g. the OC2 cohort from 1 April rather than 31 March a year earlier).
SHORT_BREAKS = ("V3", "V4")
ADOPTION_PLACES = ("A3", "A4", "A5", "A6")
FFA_PLACES = ("U2", "U5")  # fostering for adoption: a move into one is a placement change for LAIT 393
EET_GROUPS = {
    "F1": "Higher education i.e. studies beyond A level",
    "P1": "Higher education i.e. studies beyond A level",
    "F2": "Education other than higher education",
    "P2": "Education other than higher education",
    "F4": "In an apprenticeship",
    "P4": "In an apprenticeship",
    "F5": "In training or employment (excl. apprenticeship)",
    "P5": "In training or employment (excl. apprenticeship)",
}
NEET_GROUPS = {
    "G4": "Not in education, training or employment, owing to illness or disability",
    "G6": "Not in education, training or employment, owing to pregnancy or parenting",
    "G5": "Not in education, training or employment, owing to other reasons",
}


def _years_before(day: date, years: int, months: int = 0) -> date:
    """The same day ``years`` years and ``months`` months earlier (30 September for 31 March - 30 months)."""
    month = day.month - months
    year = day.year - years + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - date.resolution).day
    return date(year, month, min(day.day, last))


def _age(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _open_on(episodes: list, day: date) -> int | None:
    """Index of the episode open at the end of ``day`` (not a short break), or None."""
    for i, e in enumerate(episodes):
        if e.ls not in SHORT_BREAKS and e.decom <= day and (e.dec is None or e.dec > day):
            return i
    return None


def _period_start(episodes: list, i: int) -> date:
    while i > 0 and episodes[i - 1].dec == episodes[i].decom and episodes[i - 1].ls not in SHORT_BREAKS:
        i -= 1
    return episodes[i].decom


def _carer_since(episodes: list, i: int) -> date:
    """When the child started living with the carer of episode ``i`` (the simulated carer id), the
    adoptive placement counted together with the placement before it; a move into fostering for adoption
    (U2, U5) starts the clock again even with the same carer, as the DfE counts it (CLA release data
    guidance, placement stability footnote 2)."""
    if episodes[i].placement.place in ADOPTION_PLACES:
        while (
            i > 0
            and episodes[i - 1].placement.place in ADOPTION_PLACES
            and episodes[i - 1].dec == episodes[i].decom
        ):
            i -= 1
        if i > 0 and episodes[i - 1].dec == episodes[i].decom:
            i -= 1
    carer = episodes[i].placement.carer
    while i > 0 and episodes[i - 1].dec == episodes[i].decom and episodes[i - 1].placement.carer == carer:
        into_ffa = episodes[i].placement.place in FFA_PLACES and episodes[i - 1].placement.place != (
            episodes[i].placement.place
        )
        if into_ffa:
            break
        i -= 1
    return episodes[i].decom


def _placements_in_year(episodes: list, start: date, end: date) -> int:
    """Distinct placements (a new Placement, not the move to adoption with the same carer) of a day or
    more overlapping the year, in the child's period of care. The placement open on 1 April counts
    whatever episode it is on then: an episode continuing a placement from before the year (a legal
    status change, RNE L) is its first in the year, not a repeat of one already counted."""
    count, previous, in_year = 0, None, False
    for e in episodes:
        if e.ls in SHORT_BREAKS or e.decom > end or (e.dec is not None and e.dec < start):
            previous, in_year = e.placement, False
            continue
        same = (
            in_year
            and previous is not None
            and (
                e.placement == previous
                or (e.placement.place in ("A3", "A5") and e.placement.carer == previous.carer)
            )
        )
        if not same and (e.dec is None or e.dec > e.decom):
            count += 1
        previous, in_year = e.placement, True
    return count


def ground_truth(children: list, year: int, seed: int) -> dict[tuple[str, ...], float]:
    """The sample council's figures for collection ``year`` as the DfE would publish them, keyed like the
    rows of ``_council_figures`` ((file kind, labels...) -> count; ("_sdq_average",) -> the average)."""
    from cpkit.sample.ssda903 import build_return

    end, start = date(year, 3, 31), date(year - 1, 4, 1)
    cla = started = ceased = p3 = lts = lts_den = 0
    for c in children:
        eps = [e for e in c.episodes if e.ls not in SHORT_BREAKS]
        started += any(e.rne == "S" and start <= e.decom <= end for e in eps)
        ceased += any(e.dec is not None and start <= e.dec <= end and e.rec not in ("", "X1") for e in eps)
        i = _open_on(eps, end)
        if i is None:
            continue
        cla += 1
        p3 += _placements_in_year(eps, start, end) >= 3
        if _age(c.dob, end) < 16 and _period_start(eps, i) <= _years_before(end, 2, 6):
            lts_den += 1
            lts += _carer_since(eps, i) <= _years_before(end, 2)
    g1, g3 = "CLA on 31 March", LONG_TERM
    out: dict[tuple[str, ...], float] = {
        ("numbers", "Children looked after on 31 March each year"): cla,
        ("numbers", "Children starting to be looked after each year"): started,
        ("numbers", "Children ceasing to be looked after each year"): ceased,
        ("stability", g1, "With 3 or more placements during the year"): p3,
        ("stability", g1, "Total children"): cla,
        ("stability", g3, "Living with the same carer for at least 2 years"): lts,
        ("stability", g3, "Total children"): lts_den,
    }
    tables = build_return(sorted(children, key=lambda c: c.child_id), year, seed)
    out.update(_health_truth(tables["oc2"], end))
    out.update(_leavers_truth(tables["oc3"], end))
    return out


def _health_truth(rows: list[dict[str, str]], end: date) -> dict[tuple[str, ...], float]:
    ha, dev, sdq, conv, sm = HEALTH_GROUPS
    ages = [_age(date(int(r["DOB"][6:]), int(r["DOB"][3:5]), int(r["DOB"][:2])), end) for r in rows]
    flag = lambda r, k: r[k] == "1"  # noqa: E731
    u5 = [r for r, a in zip(rows, ages, strict=True) if a < 5]
    s516 = [r for r, a in zip(rows, ages, strict=True) if 5 <= a <= 16]
    c1017 = [r for r, a in zip(rows, ages, strict=True) if 10 <= a <= 17]
    scores = [int(r["SDQ_SCORE"]) for r in s516 if r["SDQ_SCORE"] != ""]
    misuse = [r for r in rows if flag(r, "SUBSTANCE_MISUSE")]
    out = {
        ("health", ha, "Had their annual health assessment"): sum(flag(r, "HEALTH_ASSESSMENT") for r in rows),
        ("health", ha, "Had their teeth checked by a dentist"): sum(flag(r, "TEETH_CHECK") for r in rows),
        ("health", ha, "Had their immunisations up to date"): sum(flag(r, "IMMUNISATIONS") for r in rows),
        ("health", ha, "Total all ages"): len(rows),
        ("health", dev, "Development assessments up to date"): sum(flag(r, "HEALTH_CHECK") for r in u5),
        ("health", dev, "Total ages 0 to 4 years"): len(u5),
        ("health", sdq, "SDQ score was received"): len(scores),
        ("health", sdq, "SDQ score is normal"): sum(s <= 13 for s in scores),
        ("health", sdq, "SDQ score is borderline"): sum(14 <= s <= 16 for s in scores),
        ("health", sdq, "SDQ score is a cause for concern"): sum(s >= 17 for s in scores),
        ("health", sdq, "Total ages 5 to 16 years"): len(s516),
        ("health", conv, CONVICTED): sum(flag(r, "CONVICTED") for r in c1017),
        ("health", conv, "Total ages 10 to 17 years"): len(c1017),
        ("health", sm, "Identified as having a substance misuse problem"): len(misuse),
        ("health", sm, "Received an intervention for their substance misuse problem"): sum(
            flag(r, "INTERVENTION_RECEIVED") for r in misuse
        ),
        ("health", sm, "Offered intervention but refused it"): sum(
            flag(r, "INTERVENTION_OFFERED") and not flag(r, "INTERVENTION_RECEIVED") for r in misuse
        ),
        ("health", sm, "Total all ages"): len(rows),
    }
    if scores:
        out[("_sdq_average",)] = round(sum(scores) / len(scores), 1)
    return out


def _leavers_truth(rows: list[dict[str, str]], end: date) -> dict[tuple[str, ...], float]:
    out: dict[tuple[str, ...], float] = {}
    for label, low, high in (("17 to 18 years", 17, 18), ("19 to 21 years", 19, 21)):
        group = [
            r
            for r in rows
            if low <= _age(date(int(r["DOB"][6:]), int(r["DOB"][3:5]), int(r["DOB"][:2])), end) <= high
            and r["IN_TOUCH"] not in ("DIED", "RHOM")
        ]
        acts = {k: 0 for k in ACTIVITY}
        for r in group:
            acts[
                EET_GROUPS.get(r["ACTIV"]) or NEET_GROUPS.get(r["ACTIV"]) or "Total information not known"
            ] += 1
        for k, v in acts.items():
            out[("activity", label, k)] = v
        out[("activity", label, "Total in education, employment or training")] = sum(
            acts[k] for k in set(EET_GROUPS.values())
        )
        out[("activity", label, "Total not in education, employment or training")] = sum(
            acts[k] for k in NEET_GROUPS.values()
        )
        out[("activity", label, "Total")] = len(group)
        knowable = [r for r in group if r["ACCOM"][:1] not in ("G", "H", "R")]
        suitable = sum(r["ACCOM"].endswith("1") for r in knowable)
        unsuitable = sum(r["ACCOM"].endswith("2") for r in knowable)
        out[("accommodation", label, "Accommodation considered suitable")] = suitable
        out[("accommodation", label, "Accommodation considered unsuitable")] = unsuitable
        out[("accommodation", label, "No information")] = len(knowable) - suitable - unsuitable
        out[("accommodation", label, "Suitability total")] = len(knowable)
    return out


def _use_truth(figures: dict[str, list[tuple]], truth: Mapping[tuple[str, ...], float]) -> None:
    """Put the sample council's ground-truth counts in place of the drawn ones, row by row."""
    for kind, rows in figures.items():
        for i, row in enumerate(rows):
            key = (kind, *row[:-1])
            if key in truth and row[-1] is not None:
                rows[i] = (*row[:-1], int(truth[key]))
    if ("_sdq_average",) in truth:
        figures["_sdq_average"] = [(truth[("_sdq_average",)],)]
