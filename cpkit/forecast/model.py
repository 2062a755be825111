"""The forecast model: monthly moves between placement groups and out of care, by age band, and entries.

A Markov model in the manner of Social Finance's demand model (``cs-demand-model``), kept deliberately small:

- *Transition rates.* From the state history (``cpkit.forecast.history``), every pair of consecutive month
  ends in the window where a child was in care at the first: the share that were, at the second, in each
  placement group or out of care, by placement group, age band and *months in the placement group* at the
  first. A child turning 18 by the second month end leaves care by rule, so those pairs are not counted
  (they would double the 16-17 band's leaving rate). Unobserved months (a child a later return lost) are
  skipped. Rates are shrunk by ``prior_months`` pseudo child-months: a months-in-group class's all-ages
  rates towards its group's, an age band's towards its class's; a group never seen stays put.
- *Months in the placement group.* Children settled in a placement group move and leave far less often
  than children new to it: in the kit's sample, children fostered for two years or more left care at 0.6%
  a month and those fostered under six months at 4.6%; children placed for adoption are adopted mostly
  6 to 23 months after placement (17% a month) and rarely before (3%). One rate for all (a memoryless
  chain) has today's settled children leave too fast and new entrants too slowly, and pulls each group
  back to the window's average sooner than it returns. So each child carries a clock (month ends in the
  current group without a break, from ``StateHistory.months_in_group``; 0 on entering care or moving
  group) and the rates differ by its class (``duration_edges``: under 6, 6 to 23, 24 or more months).
  The projection moves the clock on a month for each child who stays and sets it to 0 for one who moves.
  A clock the DfE groups cannot see (a move between two foster carers) is not reset: the groups are the
  states the forecast projects, and it cannot project moves within them.
- *Entries.* Children not in care at one month end and in care at the next, with the age (in months) and
  placement group they entered at; new entrants are drawn from those seen in the window. How many a month
  is counted over the latest ``entries_months`` (default 12) only: entries change from year to year (the
  kit's sample rises slowly; cs-demand-model's sample falls by a third a year) and a three-year average
  lags a year and a half behind.
- *Ageing.* Each child ages one month per step, so changes band exactly at the band edge; at 18 care ends.
- *Uncertainty.* Each simulated future first re-estimates the rates from a bootstrap over children (each
  child in the window weighted Poisson(1), so a child's whole history moves together: parameter
  uncertainty), then draws every child's month-to-month moves and the number of entrants (Poisson) at
  random (process uncertainty). The 80% and 95% intervals are the middle 80% and 95% of those futures.
- *Central line.* The median of the simulated futures (``cpkit.forecast.project``); the exact expected
  number under the estimated rates (matrix products, no simulation) is kept beside it as ``expected``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cpkit.forecast.history import BAND_OF_AGE, BANDS, GROUPS, LEAVE_AGE_MONTHS, OUT, StateHistory
from cpkit.forecast.settings import ForecastSettings

G, B = len(GROUPS), len(BANDS)
K = G + 1  # destinations: each group, then out of care
# Months-in-group classes: under 6 months, 6 to 23, 24 or more (see the module docstring); the setting's
# default, which has its one home in ForecastSettings.
DURATION_EDGES: tuple[int, ...] = ForecastSettings.duration_edges
FOSTER = GROUPS.index("Foster placements")
HOMES = GROUPS.index("Secure homes and children's homes")
QUANTILES = (0.025, 0.10, 0.50, 0.90, 0.975)
QUANTILE_COLUMNS = ("lo95", "lo80", "median", "hi80", "hi95")


@dataclass
class Fitted:
    """What the window shows, kept per child so a bootstrap can reweight children.

    Transitions: one record per (child, band, from, to) with its count. Entries: one record per entry
    with the child, age in months and placement group on entering. ``months``: month pairs in the window.
    """

    months: int
    n_children: int
    trans_child: np.ndarray
    trans_key: np.ndarray  # (band * G + from) * K + to
    trans_count: np.ndarray
    entry_child: np.ndarray
    entry_age: np.ndarray
    entry_group: np.ndarray
    entry_pair: np.ndarray  # the month pair (0 = the window's first) each entry fell in
    prior_months: float = 24.0
    entries_months: int = 0  # the entry rate from this many latest month pairs (0: the whole window)
    edges: tuple[int, ...] = DURATION_EDGES

    @property
    def classes(self) -> int:
        return len(self.edges) + 1


def clock_class(clock: np.ndarray, edges: tuple[int, ...]) -> np.ndarray:
    """Class of each months-in-group clock: 0 below ``edges[0]``, 1 from it to below ``edges[1]``, ..."""
    return np.searchsorted(np.asarray(edges, dtype=np.int64), clock, side="right").astype(np.int64)


def fit(
    history: StateHistory,
    first_pair: int = 0,
    prior_months: float = 24.0,
    edges: tuple[int, ...] = DURATION_EDGES,
    entries_months: int = 0,
) -> Fitted:
    """Count moves and entries over the month pairs (t, t+1) with t from ``first_pair`` to the last but one.

    Each move is keyed by the child's age band, months-in-group class (``edges``) and group at t.
    """
    st, age = history.state, history.age  # int16: converted a month at a time, not all at once
    clock = history.months_in_group()
    n_children, n_months = st.shape
    D = len(edges) + 1
    keys, childs, entry_c, entry_a, entry_g, entry_t = [], [], [], [], [], []
    for t in range(first_pair, n_months - 1):
        observed = history.censor > t
        now, nxt = st[:, t], st[:, t + 1]
        move = observed & (now >= 0) & (age[:, t] + 1 < LEAVE_AGE_MONTHS)
        c = np.nonzero(move)[0]
        to = np.where(nxt[c] >= 0, nxt[c], G).astype(np.int64)
        band = BAND_OF_AGE[age[c, t]].astype(np.int64)
        keys.append(((band * D + clock_class(clock[c, t], edges)) * G + now[c]) * K + to)
        childs.append(c)
        enter = np.nonzero((now == OUT) & (nxt >= 0))[0]
        entry_c.append(enter)
        entry_a.append(age[enter, t + 1].astype(np.int64))
        entry_g.append(nxt[enter].astype(np.int64))
        entry_t.append(np.full(len(enter), t - first_pair, dtype=np.int64))
    key = np.concatenate(keys) if keys else np.zeros(0, np.int64)
    child = np.concatenate(childs) if childs else np.zeros(0, np.int64)
    cells = B * D * G * K
    flat = child.astype(np.int64) * cells + key
    uniq, count = np.unique(flat, return_counts=True)
    cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0, np.int64)  # noqa: E731
    return Fitted(
        months=max(n_months - 1 - first_pair, 0),
        n_children=n_children,
        trans_child=uniq // cells,
        trans_key=uniq % cells,
        trans_count=count,
        entry_child=cat(entry_c),
        entry_age=cat(entry_a),
        entry_group=cat(entry_g),
        entry_pair=cat(entry_t),
        prior_months=prior_months,
        entries_months=entries_months,
        edges=tuple(edges),
    )


def transition_counts(fitted: Fitted, weights: np.ndarray | None = None) -> np.ndarray:
    """Moves [band, class, from, to] (to: each group, then out), each child weighted by ``weights``."""
    w = fitted.trans_count.astype(float)
    if weights is not None:
        w = w * weights[fitted.trans_child]
    D = fitted.classes
    return np.bincount(fitted.trans_key, weights=w, minlength=B * D * G * K).reshape(B, D, G, K)


def _shrink(counts: np.ndarray, prior: np.ndarray, k: float) -> np.ndarray:
    """(counts + k x prior) / (child-months + k) along the last axis; the prior where there is nothing."""
    num = counts + k * prior
    den = counts.sum(axis=-1, keepdims=True) + k
    return np.where(den > 0, num / np.where(den > 0, den, 1), prior)


def transition_matrix(fitted: Fitted, weights: np.ndarray | None = None) -> np.ndarray:
    """Monthly probabilities [band, class, from, to]; each (band, class, from) row adds up to 1.

    Shrunk in two steps, each by ``prior_months`` pseudo child-months: a months-in-group class's all-ages
    rates towards the group's rates over every age and class; an age band's towards its class's.
    """
    counts = transition_counts(fitted, weights)
    stay = np.zeros((G, K))
    stay[np.arange(G), np.arange(G)] = 1.0
    k = fitted.prior_months
    group = _shrink(counts.sum(axis=(0, 1)), stay, 0.0)  # [from, to]; a group never seen stays put
    by_class = _shrink(counts.sum(axis=0), group[None], k)  # [class, from, to]
    return _shrink(counts, by_class[None], k)


def entry_profile(fitted: Fitted, weights: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Entrants per month and their distribution over [age in months, group] (adds up to 1).

    The mix of ages and groups is taken from every entry in the window; the number a month from the
    latest ``entries_months`` month pairs only (all of them when 0 or more than the window).
    """
    w = np.ones(len(fitted.entry_child)) if weights is None else weights[fitted.entry_child].astype(float)
    dist = np.bincount(
        fitted.entry_age * G + fitted.entry_group, weights=w, minlength=LEAVE_AGE_MONTHS * G
    ).reshape(LEAVE_AGE_MONTHS, G)
    total = dist.sum()
    if total == 0 or fitted.months == 0:
        return 0.0, dist
    recent = fitted.entries_months if 0 < fitted.entries_months < fitted.months else fitted.months
    latest = fitted.entry_pair >= fitted.months - recent
    return float(w[latest].sum() / recent), dist / total


def adjust(matrix: np.ndarray, step_downs_per_year: float, homes_now: float) -> np.ndarray:
    """Add a step-down programme: ``step_downs_per_year`` extra moves from children's homes to foster care.

    As a monthly probability for each child in a home: (per year / 12) / children in homes now, taken
    from the chance of staying (never more than it).
    """
    if not step_downs_per_year or homes_now <= 0:
        return matrix
    out = matrix.copy()
    extra = np.minimum(step_downs_per_year / 12.0 / homes_now, out[..., HOMES, HOMES])
    out[..., HOMES, HOMES] -= extra
    out[..., HOMES, FOSTER] += extra
    return out


def _to_bands(cells: np.ndarray) -> np.ndarray:
    """[..., age, group] counts to [..., group, band]."""
    out = np.zeros(cells.shape[:-2] + (G, B))
    for b in range(B):
        out[..., b] = cells[..., BAND_OF_AGE == b, :].sum(axis=-2)
    return out


def expected_path(
    start_age: np.ndarray,
    start_group: np.ndarray,
    start_clock: np.ndarray,
    matrix: np.ndarray,
    edges: tuple[int, ...],
    entries_per_month: float,
    entry_dist: np.ndarray,
    horizon: int,
) -> np.ndarray:
    """Expected children in care [month 1..horizon, group, band], exactly (matrix products, no draws).

    The expected number is kept per (age in months, months in group, group); the clock stops at the last
    edge, where the class no longer changes. A child who stays a month is a month further on the clock; a
    child who moves group starts again at 0, as does an entrant.
    """
    cap = edges[-1] if edges else 0
    cls = clock_class(np.arange(cap + 1), edges)
    cells = np.zeros((LEAVE_AGE_MONTHS, cap + 1, G))
    np.add.at(cells, (start_age, np.minimum(start_clock, cap), start_group), 1.0)
    by_band = [np.nonzero(BAND_OF_AGE == b)[0] for b in range(B)]
    by_class = [np.nonzero(cls == d)[0] for d in range(len(edges) + 1)]
    diag = np.diagonal(matrix[..., :G], axis1=-2, axis2=-1)  # [band, class, group]
    off = matrix[..., :G] * (1.0 - np.eye(G))
    out = np.zeros((horizon, G, B))
    for m in range(horizon):
        stayed = np.empty_like(cells)
        moved = np.zeros((LEAVE_AGE_MONTHS, G))
        for b, rows in enumerate(by_band):
            for d, cols in enumerate(by_class):
                block = cells[rows[:, None], cols[None, :]]  # [age, clock, group]
                stayed[rows[:, None], cols[None, :]] = block * diag[b, d]
                moved[rows] += block.sum(axis=1) @ off[b, d]
        nxt = np.zeros_like(cells)
        nxt[:, 1:] = stayed[:, :-1]
        nxt[:, cap] += stayed[:, cap]
        nxt[:, 0] += moved
        cells = np.zeros_like(cells)
        cells[1:] = nxt[:-1]  # a month older; the 215-month-olds turn 18 and leave
        cells[:, 0] += entries_per_month * entry_dist
        out[m] = _to_bands(cells.sum(axis=1))
    return out


def simulate(
    start_age: np.ndarray,
    start_group: np.ndarray,
    start_clock: np.ndarray,
    fitted: Fitted,
    horizon: int,
    simulations: int,
    rng: np.random.Generator,
    entries_change: float = 0.0,
    step_downs_per_year: float = 0.0,
    block_cells: int = 2_000_000,
) -> np.ndarray:
    """Simulated children in care [simulation, month 1..horizon, group, band] (see the module docstring)."""
    out = np.zeros((simulations, horizon, G, B), dtype=np.int32)
    homes_now = float((start_group == HOMES).sum())
    lam, _ = entry_profile(fitted)
    expect_slots = int(len(start_age) + horizon * (lam * (1 + entries_change) * 1.5 + 10))
    block = int(max(1, min(simulations, block_cells // max(expect_slots, 1))))
    for s0 in range(0, simulations, block):
        n = min(block, simulations - s0)
        out[s0 : s0 + n] = _simulate_block(
            start_age,
            start_group,
            start_clock,
            fitted,
            horizon,
            n,
            rng,
            entries_change,
            step_downs_per_year,
            homes_now,
        )
    return out


def _simulate_block(
    start_age: np.ndarray,
    start_group: np.ndarray,
    start_clock: np.ndarray,
    fitted: Fitted,
    horizon: int,
    n: int,
    rng: np.random.Generator,
    entries_change: float,
    step_downs_per_year: float,
    homes_now: float,
) -> np.ndarray:
    """``n`` simulated futures. The children in care across all of them are kept as flat arrays (simulation,
    group, age), so each month costs in proportion to the children in care, not to every child ever seen."""
    weights = rng.poisson(1.0, size=(n, fitted.n_children)).astype(float)
    D, edges = fitted.classes, fitted.edges
    cap = edges[-1] if edges else 0
    cum = np.empty((n, B, D, G, G))  # cumulative probabilities of the first G destinations
    lam = np.empty(n)
    pools = []
    for s in range(n):
        mat = adjust(transition_matrix(fitted, weights[s]), step_downs_per_year, homes_now)
        cum[s] = np.cumsum(mat, axis=-1)[..., :G]
        lam[s], dist = entry_profile(fitted, weights[s])
        pools.append(dist.reshape(-1))
    probs = np.diff(np.concatenate([np.zeros((n, B, D, G, 1)), cum], axis=-1), axis=-1)
    stay = np.diagonal(probs, axis1=3, axis2=4).reshape(-1)  # [sim, band, class, group] flattened
    cum_flat = cum.reshape(-1, G)
    arrivals = rng.poisson(
        np.repeat((lam * (1.0 + entries_change))[:, None], horizon, axis=1)
    )  # [sim, month]
    # Every entrant's (age, group) cell, drawn per simulation from its own resampled entrants; then by month.
    e_sim = np.repeat(np.arange(n), arrivals.sum(axis=1))
    e_month = np.concatenate([np.repeat(np.arange(horizon), arrivals[s]) for s in range(n)])
    e_cell = np.concatenate(
        [
            rng.choice(len(pools[s]), size=int(arrivals[s].sum()), p=pools[s])
            if arrivals[s].sum() and pools[s].sum() > 0
            else np.zeros(0, np.int64)
            for s in range(n)
        ]
    ).astype(np.int64)
    order = np.argsort(e_month, kind="stable")
    e_sim, e_cell = e_sim[order], e_cell[order]
    bounds = np.concatenate([[0], np.cumsum(np.bincount(e_month, minlength=horizon))])

    sim = np.repeat(np.arange(n), len(start_age))
    group = np.tile(start_group.astype(np.int64), n)
    age = np.tile(start_age.astype(np.int64), n)
    clock = np.tile(np.minimum(start_clock.astype(np.int64), cap), n)
    class_of_clock = clock_class(np.arange(cap + 1), edges)  # a clock is 0 to cap: looked up, not searched
    out = np.zeros((n, horizon, G, B), dtype=np.int32)
    for m in range(horizon):
        # Most children stay where they are: test that first with one number per child, then place only
        # the movers by inverse CDF over the other destinations (their own group's stretch skipped).
        row = ((sim * B + BAND_OF_AGE[age]) * D + class_of_clock[clock]) * G + group
        u = rng.random(len(row))
        p_stay = stay[row]
        moves = np.nonzero(u >= p_stay)[0]
        if len(moves):
            rm, gm = row[moves], group[moves]
            x = u[moves] - p_stay[moves]
            below = np.where(gm > 0, cum_flat[rm, np.maximum(gm - 1, 0)], 0.0)
            x = np.where(x < below, x, x + p_stay[moves])
            group[moves] = (x[:, None] >= cum_flat[rm]).sum(axis=1)  # G means out of care
        clock = np.minimum(clock + 1, cap)
        clock[moves] = 0
        age = age + 1
        keep = (group < G) & (age < LEAVE_AGE_MONTHS)  # left care, or turned 18
        lo, hi = bounds[m], bounds[m + 1]
        sim = np.concatenate([sim[keep], e_sim[lo:hi]])
        group = np.concatenate([group[keep], e_cell[lo:hi] % G])
        age = np.concatenate([age[keep], e_cell[lo:hi] // G])
        clock = np.concatenate([clock[keep], np.zeros(hi - lo, np.int64)])
        key = (sim * G + group) * B + BAND_OF_AGE[age]
        out[:, m] = np.bincount(key, minlength=n * G * B).reshape(n, G, B)
    return out


def quantiles(sims: np.ndarray) -> np.ndarray:
    """The ``QUANTILES`` of simulated counts over the first axis."""
    return np.quantile(sims, QUANTILES, axis=0)


def class_labels(edges: tuple[int, ...]) -> list[str]:
    """Words for the months-in-group classes: "under 6", "6 to 23", "24 or more" for edges (6, 24)."""
    if not edges:
        return ["any"]
    out = [f"under {edges[0]}"]
    out += [f"{lo} to {hi - 1}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    return [*out, f"{edges[-1]} or more"]


def rates_table(fitted: Fitted) -> pd.DataFrame:
    """Tidy monthly transition rates: age_band, months_in_group (the class's words), from_group, to (a group
    or "Out of care"), moves, child_months, rate."""
    counts = transition_counts(fitted)
    matrix = transition_matrix(fitted)
    exposure = counts.sum(axis=3)
    to_labels = [*GROUPS, "Out of care"]
    b, d, f, t = np.meshgrid(
        np.arange(B), np.arange(fitted.classes), np.arange(G), np.arange(K), indexing="ij"
    )
    return pd.DataFrame(
        {
            "age_band": np.asarray(BANDS)[b.ravel()],
            "months_in_group": np.asarray(class_labels(fitted.edges))[d.ravel()],
            "from_group": np.asarray(GROUPS)[f.ravel()],
            "to": np.asarray(to_labels)[t.ravel()],
            "moves": counts.ravel().round().astype("int64"),
            "child_months": exposure[b.ravel(), d.ravel(), f.ravel()].round().astype("int64"),
            "rate": matrix.ravel(),
        }
    )


def entries_table(fitted: Fitted) -> pd.DataFrame:
    """Tidy entries: age_band, placement_group, entries in the window, per_month (what the projection
    adds: the entry rate of the latest ``entries_months`` shared out by the window's mix)."""
    lam, _ = entry_profile(fitted)
    counts = np.bincount(
        BAND_OF_AGE[fitted.entry_age].astype(np.int64) * G + fitted.entry_group, minlength=B * G
    ).reshape(B, G)
    b, g = np.meshgrid(np.arange(B), np.arange(G), indexing="ij")
    total = max(int(counts.sum()), 1)
    return pd.DataFrame(
        {
            "age_band": np.asarray(BANDS)[b.ravel()],
            "placement_group": np.asarray(GROUPS)[g.ravel()],
            "entries": counts.ravel().astype("int64"),
            "per_month": lam * counts.ravel() / total,
        }
    )
