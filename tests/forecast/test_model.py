"""The forecast on hand-built histories whose answers are worked out by hand in the comments.

All use a one-year window ending 31 March 2025 (month ends 31 Mar 2024 ... 31 Mar 2025: 12 month pairs)
and ``prior_months=0`` unless said, so the estimated rates are plain counts over child-months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cpkit.care.common import age_on
from cpkit.forecast import ForecastSettings, Scenario, forecast, state_history
from cpkit.forecast.history import age_in_months
from cpkit.forecast.project import ALL_AGES, EXTERNAL_HOMES

from .conftest import build

AS_OF = "2025-03-31"
FOSTER = "Foster placements"
HOMES = "Secure homes and children's homes"
SETTLED = "24 or more"  # months in the placement group: every child here placed since 2020


def settings(**kw) -> ForecastSettings:
    base = {"window_years": 1, "horizon_months": 24, "simulations": 1000, "seed": 3, "prior_months": 0.0}
    base.update(kw)
    return ForecastSettings(**base)


def central(f, group: str, month_end: str, band: str = ALL_AGES, scenario: str = "Baseline") -> float:
    p = f.projection
    row = p[
        (p["scenario"] == scenario)
        & (p["placement_group"] == group)
        & (p["age_band"] == band)
        & (p["month_end"] == pd.Timestamp(month_end))
    ]
    assert len(row) == 1, (group, band, month_end)
    return row.iloc[0]


# --- A closed cohort with a known leaving rate ----------------------------------------------------------


def closed_cohort():
    """20 children in foster care since 2020, aged 11 at the window start; 4 leave during the window.

    Month-end pairs (in care at the first month end):
      16 stayers x 12 pairs = 192, no exits
      F17 leaves 15 May 2024: in care 31 Mar, 30 Apr -> 2 pairs (1 stay, 1 exit)
      F18 leaves 15 Aug 2024: in care Mar..Jul (5 month ends) -> 5 pairs (4 stay, 1 exit)
      F19 leaves 15 Nov 2024: in care Mar..Oct (8) -> 8 pairs (7 stay, 1 exit)
      F20 leaves 15 Feb 2025: in care Mar..Jan (11) -> 11 pairs (10 stay, 1 exit)
    Child-months 192 + 2 + 5 + 8 + 11 = 218; exits 4: monthly leaving rate p = 4 / 218.
    DOB 1 Jan 2013: aged 12 at 31 March 2025 and 14 at 31 March 2027, so all in the 10-15 band throughout.
    """
    leave = {"F17": "15/05/2024", "F18": "15/08/2024", "F19": "15/11/2024", "F20": "15/02/2025"}
    ids = [f"F{i:02d}" for i in range(1, 21)]
    eps = [(c, "01/01/2020", leave.get(c), "U4") for c in ids]
    return build(eps, {c: "01/01/2013" for c in ids})


def test_closed_cohort_rates_are_exits_over_child_months():
    f = forecast(closed_cohort(), AS_OF, settings())
    r = f.rates.set_index(["age_band", "months_in_group", "from_group", "to"])
    row = r.loc[("10 to 15", SETTLED, FOSTER, "Out of care")]
    assert row["moves"] == 4
    assert row["child_months"] == 218
    assert row["rate"] == pytest.approx(4 / 218)
    assert r.loc[("10 to 15", SETTLED, FOSTER, FOSTER), "rate"] == pytest.approx(214 / 218)
    assert f.notes["entries_per_month"] == 0


def test_closed_cohort_expected_count_is_n_times_survival_to_the_power_n():
    f = forecast(closed_cohort(), AS_OF, settings())
    p = 4 / 218
    for n, month in ((1, "2025-04-30"), (12, "2026-03-31"), (24, "2027-03-31")):
        # 16 children in care at 31 March 2025, each staying with probability (1 - p) a month.
        assert central(f, FOSTER, month)["expected"] == pytest.approx(16 * (1 - p) ** n)
        assert central(f, FOSTER, month, "10 to 15")["expected"] == pytest.approx(16 * (1 - p) ** n)
        assert central(f, HOMES, month)["expected"] == 0


def test_closed_cohort_simulations_centre_on_the_expected_count_and_bands_nest():
    f = forecast(closed_cohort(), AS_OF, settings(simulations=2000))
    row = central(f, FOSTER, "2026-03-31")
    expected = 16 * (1 - 4 / 218) ** 12  # 12.8
    assert abs(row["median"] - expected) <= 1.0
    assert row["lo95"] <= row["lo80"] <= row["median"] <= row["hi80"] <= row["hi95"]
    assert row["lo80"] < expected < row["hi80"]
    assert row["hi95"] <= 16  # a closed cohort never grows


# --- Ageing at the band edge --------------------------------------------------------------------------


def test_children_move_band_at_the_month_end_on_or_after_the_birthday():
    """Nobody moves or leaves in the window, so everyone stays where they are; only their bands change.

    A: DOB 15 Apr 2015, 9 at 31 Mar 2025, 10 on 15 Apr: "10 to 15" from 30 Apr 2025.
    B: DOB 30 Apr 2015, 10 on 30 Apr 2025 itself (a birthday on the day counts): "10 to 15" from 30 Apr.
    C: DOB 31 May 2015, still 9 at 30 Apr 2025: "10 to 15" from 31 May 2025.
    D: DOB 10 Apr 2009, 15 at 31 Mar 2025, 16 on 10 Apr: "16 to 17" from 30 Apr 2025.
    """
    dobs = {"A": "15/04/2015", "B": "30/04/2015", "C": "31/05/2015", "D": "10/04/2009"}
    data = build([(c, "01/01/2020", None, "U4") for c in dobs], dobs)
    f = forecast(data, AS_OF, settings(simulations=200))
    apr, may = "2025-04-30", "2025-05-31"
    for month, expected in (
        (apr, {"5 to 9": 1, "10 to 15": 2, "16 to 17": 1}),
        (may, {"5 to 9": 0, "10 to 15": 3, "16 to 17": 1}),
    ):
        for band, n in expected.items():
            row = central(f, FOSTER, month, band)
            assert row["expected"] == pytest.approx(n), (month, band)
            assert row["lo95"] == row["hi95"] == n  # no randomness: every simulation agrees
    start = state_history(data, AS_OF, AS_OF).stock()
    start = start.set_index(["placement_group", "age_band"])["children"]
    assert start[(FOSTER, "5 to 9")] == 3 and start[(FOSTER, "10 to 15")] == 1


def test_age_in_months_agrees_with_the_kits_age_rule():
    dobs = pd.Series(pd.to_datetime(["2008-02-29", "2010-01-31", "2015-04-30", "2012-12-31", "2020-03-01"]))
    for day in pd.date_range("2024-01-31", "2025-12-31", freq="ME"):
        months = age_in_months(dobs.to_numpy(), day)
        assert list(months // 12) == list(age_on(dobs, day).astype(int)), day


# --- Leaving care at 18 --------------------------------------------------------------------------------


def test_care_ends_at_18_and_18th_birthday_exits_are_not_counted_as_leaving_rates():
    """F left at 18 in the window; G and E are 16-17 and stay.

    F: DOB 20 Sep 2006, left 20 Sep 2024 (18th birthday). In care 31 Mar .. 31 Aug 2024: 5 pairs that
       stay (Mar->Apr .. Jul->Aug); the Aug->Sep pair is when F turns 18 and is left out by rule.
    G: DOB 1 Jan 2008, in care all year: 12 pairs. E: DOB 10 Jun 2007, in care all year: 12 pairs.
    So band 16-17 foster: 29 child-months, no exits (rate out of care 0).
    Forecast: E turns 18 on 10 June 2025, so is counted at 31 May and not at 30 June 2025; G turns 18
    on 1 Jan 2026, counted at 31 Dec 2025 and not at 31 Jan 2026.
    """
    dobs = {"E": "10/06/2007", "F": "20/09/2006", "G": "01/01/2008"}
    eps = [
        ("E", "01/01/2020", None, "U4"),
        ("F", "01/01/2020", "20/09/2024", "U4"),
        ("G", "01/01/2020", None, "U4"),
    ]
    f = forecast(build(eps, dobs), AS_OF, settings(simulations=200))
    r = f.rates.set_index(["age_band", "months_in_group", "from_group", "to"])
    assert r.loc[("16 to 17", SETTLED, FOSTER, "Out of care"), "moves"] == 0
    assert r.loc[("16 to 17", SETTLED, FOSTER, "Out of care"), "child_months"] == 29
    for month, n in (("2025-05-31", 2), ("2025-06-30", 1), ("2025-12-31", 1), ("2026-01-31", 0)):
        row = central(f, FOSTER, month)
        assert row["expected"] == pytest.approx(n), month
        assert row["lo95"] == row["hi95"] == n


# --- Entries -------------------------------------------------------------------------------------------


def entries_data():
    """Two children enter foster care on the 15th of each month from April 2024 to March 2025 and stay.

    Each is out of care at one month end and in at the next: 24 entries in 12 month pairs, 2 a month,
    all aged 5 or 6 on entering (DOB 1 Jan 2019), so "5 to 9" for the whole forecast (8 at most by 2027).
    """
    eps, dobs = [], {}
    for k, month in enumerate(pd.date_range("2024-04-01", "2025-03-01", freq="MS") + pd.Timedelta(days=14)):
        for j in range(2):
            child = f"N{k:02d}{j}"
            eps.append((child, month.strftime("%d/%m/%Y"), None, "U5"))
            dobs[child] = "01/01/2019"
    return build(eps, dobs)


def test_entries_per_month_by_age_band_and_group():
    f = forecast(entries_data(), AS_OF, settings(simulations=200))
    e = f.entries.set_index(["age_band", "placement_group"])
    assert e.loc[("5 to 9", FOSTER), "entries"] == 24
    assert e.loc[("5 to 9", FOSTER), "per_month"] == pytest.approx(2.0)
    assert e["entries"].sum() == 24
    assert f.notes["entries_per_month"] == pytest.approx(2.0)


def test_entries_add_to_the_stock_and_a_scenario_scales_them():
    scen = Scenario("Entries up half", entries_change=0.5)
    f = forecast(entries_data(), AS_OF, settings(simulations=1500, scenarios=(scen,)))
    for n, month in ((1, "2025-04-30"), (12, "2026-03-31"), (24, "2027-03-31")):
        # 24 in care at 31 March 2025, nobody leaves, 2 (or 3) join every month.
        assert central(f, FOSTER, month, "5 to 9")["expected"] == pytest.approx(24 + 2 * n)
        assert central(f, FOSTER, month, scenario=scen.name)["expected"] == pytest.approx(24 + 3 * n)
    sim = central(f, FOSTER, "2026-03-31")
    assert abs(sim["median"] - 48) <= 1.5
    assert sim["lo80"] < 48 < sim["hi80"]
    assert sim["lo80"] >= 24  # nobody leaves, so never fewer than now


# --- Scenarios: step-downs and a new home ----------------------------------------------------------------


def homes_data():
    """12 children in children's homes (K2) all year, nobody moving: DOB 1 Jan 2012 (13 in 2025)."""
    ids = [f"H{i:02d}" for i in range(12)]
    return build([(c, "01/01/2020", None, "K2") for c in ids], {c: "01/01/2012" for c in ids})


def test_step_downs_move_children_from_homes_to_foster_care_at_the_set_pace():
    """12 step-downs a year among 12 children in homes: each has a 1/12 chance a month of moving to
    foster care, so homes hold 12 x (11/12)^n after n months and foster care the rest."""
    scen = Scenario("Step-downs", step_downs_per_year=12)
    f = forecast(homes_data(), AS_OF, settings(simulations=300, scenarios=(scen,)))
    for n, month in ((1, "2025-04-30"), (12, "2026-03-31")):
        homes = 12 * (11 / 12) ** n
        assert central(f, HOMES, month, scenario=scen.name)["expected"] == pytest.approx(homes)
        assert central(f, FOSTER, month, scenario=scen.name)["expected"] == pytest.approx(12 - homes)
        assert central(f, HOMES, month)["expected"] == pytest.approx(12)  # the baseline is unchanged


def test_a_new_inhouse_home_cuts_places_bought_from_other_providers_once_it_opens():
    """12 children in homes, 2 in the council's own: 10 places bought. A 3-bed home opening 1 July 2025
    leaves 7 to buy from 31 July; the number needing a home stays 12."""
    scen = Scenario("New home", new_home_beds=3, new_home_opens=pd.Timestamp("2025-07-01").date())
    f = forecast(homes_data(), AS_OF, settings(simulations=200, scenarios=(scen,)), inhouse_homes=2)
    for month, base, new in (("2025-06-30", 10, 10), ("2025-07-31", 10, 7), ("2027-03-31", 10, 7)):
        assert central(f, EXTERNAL_HOMES, month)["expected"] == base
        row = central(f, EXTERNAL_HOMES, month, scenario=scen.name)
        assert row["expected"] == new and row["lo95"] == row["hi95"] == new
        assert central(f, HOMES, month, scenario=scen.name)["expected"] == 12


# --- Returns that lose a child ---------------------------------------------------------------------------


def test_a_child_a_later_return_lost_is_unobserved_not_in_care_and_not_a_leaver():
    """L's open episode is only in the 2024 return; the 2025 return does not list L. K is in both (kept
    from 2025). L counts to 31 March 2024 only; L's later months are not pairs, so foster care shows
    12 child-months (K's) and no exits."""
    eps = [("L", "01/01/2020", None, "U4"), ("K", "01/01/2020", None, "U4")]
    data = build(eps, {"L": "01/01/2012", "K": "01/01/2012"}, return_years=[2024, 2025])
    h = state_history(data, "2024-03-31", AS_OF)
    assert h.counts["lost"] == 1
    assert list((h.state >= 0).sum(axis=0)[[0, 1, -1]]) == [2, 1, 1]
    f = forecast(data, AS_OF, settings(simulations=100))
    r = f.rates.set_index(["age_band", "months_in_group", "from_group", "to"])
    assert r.loc[("10 to 15", SETTLED, FOSTER, "Out of care"), "moves"] == 0
    assert r.loc[("10 to 15", SETTLED, FOSTER, "Out of care"), "child_months"] == 12
    assert f.now()[FOSTER] == 1


def test_the_forecast_starts_at_a_month_end():
    with pytest.raises(ValueError, match="month end"):
        forecast(homes_data(), "2025-03-30", settings())


def test_same_settings_give_the_same_intervals():
    a = forecast(closed_cohort(), AS_OF, settings(simulations=200)).projection
    b = forecast(closed_cohort(), AS_OF, settings(simulations=200)).projection
    assert np.array_equal(a["hi80"].to_numpy(), b["hi80"].to_numpy())


def test_the_published_central_figure_is_the_middle_of_the_simulated_futures():
    # The closed cohort at 24 months: each of the 16 children still in care with probability
    # (1 - 4/218) ** 24 = 0.641, so 10.26 children expected. The report publishes the middle simulated
    # future instead, a whole number of children (with 2,000 futures the middle two agree), inside the
    # 80% range; the mean stays beside it.
    f = forecast(closed_cohort(), AS_OF, settings(simulations=2001))
    row = central(f, FOSTER, "2027-03-31")
    assert row["expected"] == pytest.approx(16 * (1 - 4 / 218) ** 24)
    assert row["central"] == row["median"] and float(row["central"]).is_integer()
    assert row["lo80"] <= row["central"] <= row["hi80"]
    assert (f.projection["central"] == f.projection["median"]).all()  # every row publishes its median
