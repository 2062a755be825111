"""All headline care measures for a period in one tidy table, ids and metadata from ``cpkit/measures.yaml``.

One row per measure in the registry's children_in_care, placements, health, care_leavers and adoption
sections. A measure the data cannot support (no OC2 rows for the year, no postcodes...) keeps its row with
value NaN and the reason, so a scorecard never silently loses a line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml

from cpkit.care.adoption import adoption_timings, three_year_window
from cpkit.care.codes import PLACEMENT_GROUP_IDS, RETURNED_HOME_REC, SGO_REC
from cpkit.care.common import Headline, pct, rows_for_year
from cpkit.care.episodes import cla_on, in_care_on
from cpkit.care.flows import children_ceased, children_started
from cpkit.care.health import health_outcomes
from cpkit.care.leavers import leaver_outcomes
from cpkit.care.location import FAR, headline_location, new_placement_distances, postcode_lookup
from cpkit.care.missing import missing_summary
from cpkit.care.placements import inhouse_share, placement_mix
from cpkit.care.stability import long_term_stability, three_plus_placements
from cpkit.care.stock import uasc_flags
from cpkit.config import Config, Period
from cpkit.ssda903.model import Data903

COLUMNS = [
    "indicator",
    "label",
    "theme",
    "period",
    "value",
    "numerator",
    "denominator",
    "unit",
    "polarity",
    "definition",
    "reason",
]
THEMES = ("children_in_care", "placements", "health", "care_leavers", "adoption")
MEASURES_FILE = Path(__file__).resolve().parents[1] / "measures.yaml"

DEFINITIONS: dict[str, str] = {
    "cla_at_end": "DfE LAIT 332; children in care at the end of the period's last day; V3/V4 excluded",
    "cla_rate_10k": "DfE LAIT 124; cla_at_end per 10,000 of config.population_0_17",
    "cla_started": "DfE LAIT 376; children with a period of care starting in the period, counted once",
    "cla_started_rate_10k": "DfE LAIT 376; cla_started per 10,000 of config.population_0_17",
    "cla_ceased": "DfE LAIT 392; children whose period of care ended (REC not X1) in the period, once",
    "cla_ceased_rate_10k": "DfE LAIT 392; cla_ceased per 10,000 of config.population_0_17",
    "uasc_at_end": "DfE LAIT 334; children in care at the end with a UASC row, DUC blank or later",
    "uasc_pct": "DfE; uasc_at_end / cla_at_end",
    "inhouse_pct": "Local; PLACE_PROVIDER in config.inhouse_providers / children in care at the end",
    "placements_3plus_pct": "DfE LAIT 372; SSDA903 guidance; settings config.stability",
    "long_term_stability_pct": "DfE LAIT 393; under 16, in care 2.5 years+, same placement 2 years+",
    "placed_inside_pct": "Local; placement postcode in config.la_district_codes (ONS postcode directory)",
    "placed_outside_over20_pct": "DfE LAIT 87; outside the boundary and over 20 miles (straight line)",
    "new_placements_over20_pct": "Local; placements starting in the period over 20 miles from home",
    "missing_pct": "DfE LAIT 161; children looked after in the period with a missing (M) incident",
    "health_assessment_pct": "DfE LAIT 3; OC2 cohort (looked after 12 months+ at 31 March)",
    "teeth_check_pct": "DfE LAIT 3; OC2 cohort (looked after 12 months+ at 31 March)",
    "immunisations_pct": "DfE LAIT 3; OC2 cohort (looked after 12 months+ at 31 March)",
    "health_surveillance_pct": "DfE; OC2 cohort aged under 5, HEALTH_CHECK",
    "sdq_received_pct": "DfE; OC2 cohort aged 5-16 with an SDQ score",
    "sdq_average": "DfE LAIT 162; mean SDQ score, OC2 cohort aged 5-16",
    "sdq_normal_pct": "DfE; SDQ 0-13 of those scored, OC2 cohort aged 5-16",
    "sdq_borderline_pct": "DfE; SDQ 14-16 of those scored, OC2 cohort aged 5-16",
    "sdq_concern_pct": "DfE; SDQ 17-40 of those scored, OC2 cohort aged 5-16",
    "convicted_pct": "DfE LAIT 202; OC2 cohort aged 10-17, CONVICTED",
    "substance_misuse_pct": "DfE LAIT 239; OC2 cohort, SUBSTANCE_MISUSE",
    "adopted": "DfE; children ceasing with REC E11/E12 in the period",
    "ceased_adopted_pct": "DfE; adopted / cla_ceased (last exit in the period)",
    "ceased_sgo_pct": "DfE LAIT 390; REC E43-E48 / cla_ceased",
    "ceased_returned_home_pct": "DfE LAIT 273b; REC E4A/E4B/E13 / cla_ceased",
    "adoption_a1_days": "DfE adoption scorecard A1; three years to the period end",
    "adoption_a10_days": "DfE adoption scorecard A10; three years to the period end",
    "adoption_a2_days": "DfE adoption scorecard A2; three years to the period end",
}
for _group, _id in PLACEMENT_GROUP_IDS.items():
    DEFINITIONS[_id] = f"DfE LAIT 396-401 groups; {_group} at the end of the period"
for _id in ("in_touch", "suitable_accom", "eet", "neet"):
    for _ages in ("17_18", "19_21"):
        DEFINITIONS[f"leavers_{_id}_{_ages}_pct"] = "DfE LAIT 112/113/221/317; OC3, DIED and RHOM excluded"
DEFINITIONS["leavers_higher_education_19_21_pct"] = "DfE LAIT 220; OC3 aged 19-21, ACTIV F1/P1"
DEFINITIONS["leavers_staying_put_18_pct"] = "DfE LAIT 354; OC3 aged 18 who ceased in foster care at 18"


def load_measures(path: Path = MEASURES_FILE) -> pd.DataFrame:
    """The measure registry as a table: indicator, theme, label, unit, polarity, lait."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = [
        {"indicator": key, "theme": theme, **meta} for theme in THEMES for key, meta in raw[theme].items()
    ]
    return pd.DataFrame(rows)


def _share(key: str, fig: dict[str, float]) -> Headline:
    return Headline(key, fig["pct"], fig["numerator"], fig["denominator"])


def _rate(key: str, count: int, population: int | None) -> Headline:
    if not population:
        return Headline(key, math.nan, count, math.nan, reason="config.population_0_17 is not set")
    return Headline(key, count * 10_000 / population, count, population)


def _stock(data: Data903, period: Period, config: Config, lookup: pd.DataFrame | None) -> list[Headline]:
    end, start = period.end, period.start
    n = cla_on(data, end)
    started = len(children_started(data, start, end))
    ceased = children_ceased(data, start, end)
    on = in_care_on(data, end)
    uasc = int(uasc_flags(data, on["CHILD"], end).sum())
    out = [
        Headline("cla_at_end", n, n),
        _rate("cla_rate_10k", n, config.population_0_17),
        Headline("cla_started", started, started),
        _rate("cla_started_rate_10k", started, config.population_0_17),
        Headline("cla_ceased", len(ceased), len(ceased)),
        _rate("cla_ceased_rate_10k", len(ceased), config.population_0_17),
        Headline("uasc_at_end", uasc, uasc),
        Headline("uasc_pct", pct(uasc, n), uasc, n),
    ]
    mix = placement_mix(data, end).set_index("placement_group")
    for group, key in PLACEMENT_GROUP_IDS.items():
        out.append(Headline(key, mix.loc[group, "pct"] if n else math.nan, mix.loc[group, "children"], n))
    inh = inhouse_share(data, end, config).iloc[0]
    out.append(Headline("inhouse_pct", inh["pct"], inh["inhouse"], inh["children"]))
    out.append(_share("placements_3plus_pct", three_plus_placements(data, start, end, config)))
    out.append(_share("long_term_stability_pct", long_term_stability(data, end, config)))
    out.extend(_location(data, period, config, lookup))
    if data.has("missing"):
        out.append(_share("missing_pct", missing_summary(data, start, end)["missing_pct"]))
    else:
        out.append(Headline("missing_pct", math.nan, reason="no Missing table in the data"))
    # Exits by destination, of children ceasing (their last exit in the period).
    reasons = ceased["end_reason"]
    for key, codes in (("ceased_sgo_pct", SGO_REC), ("ceased_returned_home_pct", RETURNED_HOME_REC)):
        k = int(reasons.isin(codes).sum())
        out.append(Headline(key, pct(k, len(ceased)), k, len(ceased)))
    return out


def _location(data: Data903, period: Period, config: Config, lookup: pd.DataFrame | None) -> list[Headline]:
    keys = ("placed_inside_pct", "placed_outside_over20_pct", "new_placements_over20_pct")
    eps = data.episodes
    if eps["HOME_POST"].isna().all() and eps["PL_POST"].isna().all():
        return [Headline(k, math.nan, reason="no home or placement postcodes in Episodes") for k in keys]
    try:
        if lookup is None:
            lookup = postcode_lookup(pd.concat([eps["HOME_POST"], eps["PL_POST"]]).dropna().unique())
        figs = headline_location(data, period.end, config, lookup)
        new = new_placement_distances(data, period.start, period.end, config, lookup)
    except (ImportError, OSError) as exc:  # the postcode directory could not be read
        return [Headline(k, math.nan, reason=f"postcode directory unavailable: {exc}") for k in keys]
    far = int((new["band"] == FAR).sum())
    return [
        _share(keys[0], figs[keys[0]]),
        _share(keys[1], figs[keys[1]]),
        Headline(keys[2], pct(far, len(new)), far, len(new)),
    ]


def _health(data: Data903, year: int) -> list[Headline]:
    keys = [k for k, v in DEFINITIONS.items() if "OC2" in v]
    if rows_for_year(data.oc2, year).empty:
        return [Headline(k, math.nan, reason=f"no OC2 rows for return year {year}") for k in keys]
    return [_share(k, f) for k, f in health_outcomes(data, year).items()]


def _leavers(data: Data903, year: int) -> list[Headline]:
    keys = [k for k in DEFINITIONS if k.startswith("leavers_")]
    if rows_for_year(data.oc3, year).empty:
        return [Headline(k, math.nan, reason=f"no OC3 rows for return year {year}") for k in keys]
    return [_share(k, f) for k, f in leaver_outcomes(data, year).items()]


def _adoption(data: Data903, period: Period, config: Config) -> list[Headline]:
    ceased = children_ceased(data, period.start, period.end)
    adopted = int(ceased["reason_group"].eq("Adopted").sum())
    out = [
        Headline("adopted", adopted, adopted),
        Headline("ceased_adopted_pct", pct(adopted, len(ceased)), adopted, len(ceased)),
    ]
    start3, end3 = three_year_window(period.end)
    for key, fig in adoption_timings(data, start3, end3, config).items():
        reason = "" if fig["denominator"] else "no adoptions with the dates needed in the three years"
        out.append(Headline(key, fig["pct"], fig["numerator"], fig["denominator"], reason=reason))
    return out


def indicators(
    data: Data903,
    year: int,
    period: str = "financial",
    config: Config | None = None,
    postcode_lookup: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every headline care measure for ``year`` as one tidy table (columns ``COLUMNS``).

    Stock figures are at the end of the period (31 March, or 31 December for ``calendar``); flows and
    stability cover the period; health (OC2) and care leavers (OC3) use the return for collection year
    ``year`` (the year ending 31 March ``year``) whatever the period kind, as the DfE collects them; the
    adoption timings are three-year averages to the period end. ``postcode_lookup`` replaces the ONS
    postcode directory (see ``cpkit.care.location``).
    """
    config = config or Config()
    p = Period.from_year(year, period)
    steps: list[Callable[[], list[Headline]]] = [
        lambda: _stock(data, p, config, postcode_lookup),
        lambda: _health(data, year),
        lambda: _leavers(data, year),
        lambda: _adoption(data, p, config),
    ]
    if not data.has("episodes"):
        steps = steps[1:3]
    results = {h.indicator: h for step in steps for h in step()}
    rows = []
    for m in load_measures().itertuples(index=False):
        h = results.get(m.indicator)
        if h is None:
            reason = "no Episodes in the data" if not data.has("episodes") else "not computed by cpkit.care"
            h = Headline(m.indicator, math.nan, reason=reason)
        value = float(h.value)
        reason = h.reason or ("" if not math.isnan(value) else "no children in the denominator")
        rows.append(
            {
                "indicator": m.indicator,
                "label": m.label,
                "theme": m.theme,
                "period": p.label,
                "value": value,
                "numerator": float(h.numerator),
                "denominator": float(h.denominator),
                "unit": m.unit,
                "polarity": m.polarity,
                "definition": DEFINITIONS.get(m.indicator, ""),
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def write_indicators(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the indicators table to .csv or .xlsx (chosen by the file's suffix)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix.lower() == ".xlsx":
        df.to_excel(path, index=False, sheet_name="indicators")
    else:
        raise ValueError(f"{path}: write .csv or .xlsx")
    return path
