"""A national-scale synthetic SSDA903 set for benchmarks: DfE CSV layout, vectorised, seeded.

Not realistic data (the sample council in ``cpkit.sample`` is); just the right shape and volume:
about 80,000 children and 1 million episodes from 2015 to March 2025, with X1 chains, re-entries,
short breaks, placement moves, postcodes, UASC, OC2, OC3, AD1, PlacedAdoption and Missing rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

PLACES = np.array(["U1", "U4", "U5", "U6", "K2", "K1", "K3", "P1", "A4", "R1", "S1", "T2", "Z1"])
PLACE_P = np.array([0.12, 0.3, 0.12, 0.12, 0.1, 0.01, 0.06, 0.06, 0.03, 0.02, 0.02, 0.02, 0.02])
RECS = np.array(["E13", "E4A", "E11", "E45", "E41", "E17", "E5", "E8", "E3"])
RNES = np.array(["P", "L", "T", "B", "U"])
LS = np.array(["C1", "C2", "V2", "E1", "J1", "V3"])
POSTCODES = np.array(["S1 1AA", "S10 2TN", "M1 1AE", "LS1 1UR", "S6 1AA", "S11 8AA"])


def _fmt(d: np.ndarray) -> np.ndarray:
    return pd.Series(d).dt.strftime("%d/%m/%Y").fillna("").to_numpy()


def generate(folder: Path, children: int = 80_000, mean_episodes: float = 13.2, seed: int = 903) -> int:
    """Write the tables into ``folder``; returns the number of episode rows."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    ids = np.array([f"C{i:06d}" for i in range(children)])
    dob = pd.Timestamp("2005-01-01") + pd.to_timedelta(rng.integers(0, 7000, children), unit="D")
    n_eps = rng.poisson(mean_episodes - 1, children) + 1
    child_idx = np.repeat(np.arange(children), n_eps)
    total = len(child_idx)
    first = np.r_[True, child_idx[1:] != child_idx[:-1]]
    length = rng.integers(20, 250, total)
    gap = np.where(rng.random(total) < 0.04, rng.integers(1, 200, total), 0)  # leave and come back
    start0 = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 2500, children), unit="D")
    step = length + gap
    # Offsets within each child: cumulative step minus the child's starting cumulative value.
    csum = np.cumsum(step)
    base = np.repeat(csum[np.flatnonzero(first)] - step[np.flatnonzero(first)], n_eps)
    offs = csum - base - step
    decom = start0.to_numpy()[child_idx] + (offs.astype("timedelta64[D]"))
    dec = decom + length.astype("timedelta64[D]")
    last = np.r_[child_idx[1:] != child_idx[:-1], True]
    cutoff = np.datetime64("2025-03-31")
    open_ = last & (rng.random(total) < 0.5) | (dec > cutoff)
    keep = decom <= cutoff
    rec = np.where(gap[np.r_[1:total, 0]] > 0, "E13", "X1")
    rec = np.where(last, rng.choice(RECS, total), rec)
    rne = np.where(first | np.r_[False, gap[1:] > 0], "S", rng.choice(RNES, total))
    eps = pd.DataFrame(
        {
            "CHILD": ids[child_idx],
            "DECOM": _fmt(decom),
            "RNE": rne,
            "LS": rng.choice(LS, total, p=[0.15, 0.5, 0.25, 0.05, 0.02, 0.03]),
            "CIN": rng.choice([f"N{i}" for i in range(1, 9)], total),
            "PLACE": rng.choice(PLACES, total, p=PLACE_P),
            "PLACE_PROVIDER": rng.choice(["PR1", "PR2", "PR4", "PR5"], total),
            "DEC": np.where(open_, "", _fmt(dec)),
            "REC": np.where(open_, "", rec),
            "REASON_PLACE_CHANGE": "",
            "HOME_POST": rng.choice(POSTCODES, total),
            "PL_POST": rng.choice(POSTCODES, total),
            "URN": "",
        }
    )[keep]
    eps.to_csv(folder / "episodes.csv", index=False)
    header = pd.DataFrame(
        {
            "CHILD": ids,
            "SEX": rng.choice(["M", "F"], children),
            "DOB": _fmt(dob.to_numpy()),
            "ETHNIC": rng.choice(["WBRI", "WOTH", "MWBC", "BAFR", "AOTH"], children),
            "UPN": "",
            "MOTHER": "",
            "MC_DOB": "",
        }
    )
    header.to_csv(folder / "header.csv", index=False)
    pick = rng.choice(children, children // 10, replace=False)
    pd.DataFrame({"CHILD": ids[pick], "SEX": "M", "DOB": header["DOB"].to_numpy()[pick], "DUC": ""}).to_csv(
        folder / "uasc.csv", index=False
    )
    oc2 = pd.DataFrame(
        {
            "CHILD": ids[pick],
            "DOB": header["DOB"].to_numpy()[pick],
            "SDQ_SCORE": rng.integers(0, 40, len(pick)),
            "SDQ_REASON": "",
            **{
                c: rng.integers(0, 2, len(pick))
                for c in (
                    "CONVICTED",
                    "HEALTH_CHECK",
                    "IMMUNISATIONS",
                    "TEETH_CHECK",
                    "HEALTH_ASSESSMENT",
                    "SUBSTANCE_MISUSE",
                    "INTERVENTION_RECEIVED",
                    "INTERVENTION_OFFERED",
                )
            },
        }
    )
    oc2.to_csv(folder / "oc2.csv", index=False)
    pd.DataFrame(
        {
            "CHILD": ids[pick],
            "DOB": header["DOB"].to_numpy()[pick],
            "IN_TOUCH": rng.choice(["YES", "NO", "REFU"], len(pick)),
            "ACTIV": rng.choice(["F1", "F2", "G5", "P4"], len(pick)),
            "ACCOM": rng.choice(["U1", "B2", "Z1"], len(pick)),
        }
    ).to_csv(folder / "oc3.csv", index=False)
    pd.DataFrame(
        {
            "CHILD": ids[pick],
            "DOB": header["DOB"].to_numpy()[pick],
            "MISSING": "M",
            "MIS_START": "01/06/2024",
            "MIS_END": "02/06/2024",
        }
    ).to_csv(folder / "missing.csv", index=False)
    return int(keep.sum())
