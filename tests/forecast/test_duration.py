"""Months in the placement group and recent entries, on hand-built histories worked out in the comments.

One-year window ending 31 March 2025 (12 month pairs) and ``prior_months=0`` unless said, as in
test_model.py, so every rate is a plain count over child-months.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cpkit.forecast import ForecastSettings, forecast, state_history

from .conftest import build
from .test_model import AS_OF, FOSTER, HOMES, central


def settings(**kw) -> ForecastSettings:
    base = {"window_years": 1, "horizon_months": 24, "simulations": 1000, "seed": 5, "prior_months": 0.0}
    base.update(kw)
    return ForecastSettings(**base)


def test_the_clock_counts_month_ends_in_the_group_and_starts_again_on_a_move_or_a_return():
    """M: foster 15 Jan 2025, a children's home from 10 Mar 2025. N: foster 1 Jan to 20 Feb 2025, back
    in foster care 15 Mar 2025. Month ends Dec .. May:
      M: out, foster 0, foster 1, home 0 (moved), home 1, home 2
      N: out, foster 0, out (left), foster 0 (a new period of care), foster 1, foster 2
    """
    eps = [
        ("M", "15/01/2025", "10/03/2025", "U4"),
        ("M", "10/03/2025", None, "K2"),
        ("N", "01/01/2025", "20/02/2025", "U4"),
        ("N", "15/03/2025", None, "U4"),
    ]
    h = state_history(build(eps, {"M": "01/01/2015", "N": "01/01/2015"}), "2024-12-31", "2025-05-31")
    clock = dict(zip(h.children, h.months_in_group().tolist(), strict=True))
    in_care = dict(zip(h.children, (h.state >= 0).tolist(), strict=True))
    assert clock["M"] == [0, 0, 1, 0, 1, 2]
    assert in_care["N"] == [False, True, False, True, True, True]
    assert clock["N"][1] == 0 and clock["N"][3:] == [0, 1, 2]


def settled_and_new():
    """Children settled in foster care for years leave far less often than children new to it.

    DOB 1 Jan 2013 for all (10 to 15 throughout). Foster care (U4) throughout; nobody moves group.
      S01-S12: placed 1 Jan 2020, never leave. The history's lead-in (24 months before the window) puts
               them at 24 months or more at every month end of the window: 12 x 12 = 144 child-months.
      N01-N12: placed 15 Mar 2024, so 0 months at 31 Mar 2024. N01-N06 leave 15 Jun 2024: pairs from
               31 Mar (0), 30 Apr (1), 31 May (2, the exit): 3 each, 18, all "under 6", 6 exits.
               N07-N12 stay: pairs from clock 0..5 (Mar..Aug) are "under 6", 6 each = 36; from clock
               6..11 (Sep..Feb) "6 to 23", 36; at 31 March 2025 their clock is 12.
      R01-R04: placed 15 Jan 2025 (entries in the window: 4, so 4/12 a month), pairs from 31 Jan (0) and
               28 Feb (1): 8 child-months "under 6"; at 31 March 2025 their clock is 2.
    Under 6: 18 + 36 + 8 = 62 child-months, 6 exits: p = 6/62. 6 to 23: 36, none. 24 or more: 144, none.
    """
    eps, dobs = [], {}
    for i in range(1, 13):
        eps.append((f"S{i:02d}", "01/01/2020", None, "U4"))
        eps.append((f"N{i:02d}", "15/03/2024", "15/06/2024" if i <= 6 else None, "U4"))
    eps += [(f"R{i:02d}", "15/01/2025", None, "U4") for i in range(1, 5)]
    for child, *_ in eps:
        dobs[child] = "01/01/2013"
    return build(eps, dobs)


def test_rates_are_counted_by_months_in_the_placement_group():
    f = forecast(settled_and_new(), AS_OF, settings(simulations=100))
    r = f.rates.set_index(["age_band", "months_in_group", "from_group", "to"])
    cell = ("10 to 15", "under 6", FOSTER, "Out of care")
    assert r.loc[cell, "moves"] == 6 and r.loc[cell, "child_months"] == 62
    assert r.loc[cell, "rate"] == pytest.approx(6 / 62)
    assert r.loc[("10 to 15", "6 to 23", FOSTER, "Out of care"), "child_months"] == 36
    assert r.loc[("10 to 15", "24 or more", FOSTER, "Out of care"), "child_months"] == 144
    assert r.loc[("10 to 15", "24 or more", FOSTER, FOSTER), "rate"] == 1.0
    assert f.notes["entries_per_month"] == pytest.approx(4 / 12)


def test_the_projection_moves_each_childs_clock_on_and_new_entrants_start_at_0():
    """From 31 March 2025: the 12 settled and the 6 N children (clock 12) never leave. The 4 R children
    are at clock 2: they face p = 6/62 at clocks 2, 3, 4 and 5, then none, so 4 q^min(n, 4) remain after
    n months (q = 1 - p). 4/12 enter each month at clock 0; those who entered j months before month n
    have faced min(n - j, 6) months under 6."""
    f = forecast(settled_and_new(), AS_OF, settings())
    q = 1 - 6 / 62
    for n, month in ((1, "2025-04-30"), (4, "2025-07-31"), (12, "2026-03-31"), (24, "2027-03-31")):
        entrants = sum(q ** min(n - j, 6) for j in range(1, n + 1)) / 3
        expected = 18 + 4 * q ** min(n, 4) + entrants
        assert central(f, FOSTER, month)["expected"] == pytest.approx(expected), month
    row = central(f, FOSTER, "2026-03-31")
    assert abs(row["median"] - row["expected"]) <= 1.0  # the simulations move the clock the same way
    assert row["lo80"] >= 18  # the settled children stay in every simulated future


def test_one_rate_for_all_would_have_the_settled_children_leave():
    """The memoryless model (duration_edges=()) pools the 242 child-months and 6 exits: p = 6/242 for
    everyone, so the 22 children now in care leave at that rate: 22 (1 - p)^n. It loses children the
    history says stay (the settled 18 never left)."""
    f = forecast(settled_and_new(), AS_OF, settings(duration_edges=(), simulations=100))
    q = 1 - 6 / 242
    for n, month in ((1, "2025-04-30"), (12, "2026-03-31")):
        entrants = sum(q ** (n - j) for j in range(1, n + 1)) / 3
        assert central(f, FOSTER, month)["expected"] == pytest.approx(22 * q**n + entrants)
    assert central(f, FOSTER, "2026-03-31")["expected"] < 18 + 4 * (1 - 6 / 62) ** 4


def rising_entries():
    """A two-year window (31 Mar 2023 .. 31 Mar 2025). One child a month enters foster care (U4) on the
    15th from April 2023 to March 2024, then three a month enter a children's home (K2) from April 2024
    to March 2025; nobody leaves. DOB 1 Jan 2018: 5 to 9 throughout. Entries: 12 + 36 = 48 in 24 pairs."""
    eps, dobs = [], {}
    for k, day in enumerate(pd.date_range("2023-04-01", "2025-03-01", freq="MS") + pd.Timedelta(days=14)):
        first_year = day < pd.Timestamp("2024-04-01")
        for j in range(1 if first_year else 3):
            child = f"E{k:02d}{j}"
            eps.append((child, day.strftime("%d/%m/%Y"), None, "U4" if first_year else "K2"))
            dobs[child] = "01/01/2018"
    return build(eps, dobs)


def test_entries_a_month_come_from_the_latest_year_and_their_mix_from_the_whole_window():
    """The latest 12 months saw 36 entries: 3 a month. The window's mix: 12 of 48 entrants (1 in 4) went
    to foster care, 36 (3 in 4) to a home, so 0.75 a month are added to foster care and 2.25 to homes.
    With entries_months=0 the whole window's 48 / 24 = 2 a month."""
    f = forecast(rising_entries(), AS_OF, settings(window_years=2, simulations=100))
    assert f.notes["entries_per_month"] == pytest.approx(3.0)
    e = f.entries.set_index(["age_band", "placement_group"])
    assert e.loc[("5 to 9", FOSTER), "entries"] == 12 and e.loc[("5 to 9", HOMES), "entries"] == 36
    assert e.loc[("5 to 9", FOSTER), "per_month"] == pytest.approx(0.75)
    assert e.loc[("5 to 9", HOMES), "per_month"] == pytest.approx(2.25)
    for n, month in ((1, "2025-04-30"), (12, "2026-03-31")):
        assert central(f, FOSTER, month)["expected"] == pytest.approx(12 + 0.75 * n)
        assert central(f, HOMES, month)["expected"] == pytest.approx(36 + 2.25 * n)
    whole = forecast(rising_entries(), AS_OF, settings(window_years=2, entries_months=0, simulations=100))
    assert whole.notes["entries_per_month"] == pytest.approx(2.0)
    assert central(whole, HOMES, "2026-03-31")["expected"] == pytest.approx(36 + 1.5 * 12)
