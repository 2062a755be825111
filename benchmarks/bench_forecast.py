"""Benchmark: the sufficiency forecast's back test against two baselines, and its speed and memory.

Run: ``.venv/bin/python benchmarks/bench_forecast.py [--skip-csdm] [--skip-national]``.

Back test (issue 14): for each year Y with at least two earlier returns, fit on the returns up to 31 March
Y-1 (read with ``cpkit.ssda903.load_903`` from those years' folders only), forecast 31 March Y, and compare
with the year-Y return (read alone) per DfE placement group: mean absolute percentage error (MAPE, over
groups with children at 31 March Y) and the share of actuals inside the 80% interval. Beside it, two
baselines on the same returns: "same as last year" (the number at 31 March Y-1 in the year Y-1 return) and Social Finance's
``cs-demand-model`` (its own Markov model with its own age brackets, given the DfE placement groups as its
categories and the same reference window). On two data sets: the kit's sample (``data/sample/ssda903``) and
the cs-demand-model package's five fake returns (``cs_demand_model_samples/combined``, files named
``2017-episodes.csv`` etc.; the 2017 files run 1 April 2017 to 31 March 2018, so they are laid out here as
collection year 2018 and so on).

cs-demand-model pins pandas<2, so it runs in its own environment, ``.venv-csdm`` (git-ignored), which
``make csdm`` installs from the package registry (``make bench`` does it first) and which is never a cpkit
dependency. Its sample returns are read from that installed package. A baseline that cannot run fails the
benchmark (exit 1, saying why): a comparison printed without one of its columns cannot be reproduced.
``--skip-csdm`` leaves that baseline and its data set out on purpose.

Held-out councils (``--seeds N``): the kit's sample is one draw of its generator, and a MAPE over seven
groups of which three hold under 20 children moves by several points from one draw to the next. So the
back test is also run on N other councils from the same generator (``cpkit.sample.ssda903`` with seeds
101, 102, ...; written to a temporary folder, the shipped sample untouched) and the pooled MAPE and the
number of councils where cpkit beats "same as last year" are printed. These councils were not used to
choose anything in the model that is not also stated in README.

Speed and memory: the forecast with its intervals (and the sample's scenarios) and the back test on the
sample council (about 470 children in care), and the forecast on the national-scale set from
``generate_903.py`` (80,000 children), with wall time and peak traced memory; and the share of the report
run (``make report``, about 37 s on the sample: see README) the forecast adds.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpkit.care.codes import PLACEMENT_GROUPS  # noqa: E402
from cpkit.config import Config  # noqa: E402
from cpkit.forecast import ForecastSettings, forecast  # noqa: E402
from cpkit.forecast.backtest import accuracy, backtest  # noqa: E402
from cpkit.ssda903 import load_903  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
SAMPLE = ROOT / "data" / "sample" / "ssda903"
CSDM_VENV = ROOT / ".venv-csdm"
REPORT_SECONDS = 37.0  # `make report` on the sample, README "Speed and memory"


# --- cs-demand-model in its own environment --------------------------------------------------------------


def csdm_python() -> tuple[Path, Path]:
    """The Python of ``.venv-csdm`` and the folder of its package's combined sample returns.

    Refuses (SystemExit, exit 1) when the environment is missing or broken: run ``make csdm``."""
    python = CSDM_VENV / "bin" / "python"
    if not python.exists():
        sys.exit(
            "cs-demand-model baseline cannot run: .venv-csdm is missing (run `make csdm`, or --skip-csdm)"
        )
    found = subprocess.run(
        [str(python), "-c", "import cs_demand_model, cs_demand_model_samples as s; print(s.__path__[0])"],
        capture_output=True,
        text=True,
    )
    if found.returncode != 0:
        sys.exit(f"cs-demand-model baseline cannot run: {found.stderr.strip()[-400:]} (run `make csdm`)")
    return python, Path(found.stdout.strip()) / "combined"


def run_csdm(
    python: Path, folder: Path, start: pd.Timestamp, end: pd.Timestamp, target: pd.Timestamp
) -> dict:
    """cs-demand-model's predicted children per placement group at ``target`` (see csdm_runner.py)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(
            {
                "start": f"{start:%Y-%m-%d}",
                "end": f"{end:%Y-%m-%d}",
                "predict": f"{target:%Y-%m-%d}",
                "groups": {k: list(v) for k, v in PLACEMENT_GROUPS.items()},
            },
            f,
        )
    run = subprocess.run(
        [str(python), str(HERE / "csdm_runner.py"), str(folder), f.name], capture_output=True, text=True
    )
    Path(f.name).unlink()
    if run.returncode != 0:
        raise RuntimeError(run.stderr.strip()[-600:])
    return json.loads(run.stdout.strip().splitlines()[-1])


# --- Data sets laid out one folder per collection year ---------------------------------------------------


def csdm_layout(samples: Path, tmp: Path) -> Path:
    """The cs-demand-model sample as collection-year folders (2017-* files are the 2017-18 return: 2018)."""
    out = tmp / "csdm_samples"
    for file in sorted(samples.glob("*.csv")):
        year, name = file.name.split("-", 1)
        folder = out / str(int(year) + 1)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(file, folder / name)
    return out


def years_in(folder: Path) -> list[int]:
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())


def subset(folder: Path, years: list[int], tmp: Path, name: str) -> Path:
    """A folder holding only the given years' sub-folders (what the council had at the time)."""
    out = tmp / name
    if out.exists():
        shutil.rmtree(out)
    for y in years:
        shutil.copytree(folder / str(y), out / str(y))
    return out


# --- The back test -------------------------------------------------------------------------------------


def backtest_set(
    label: str, folder: Path, settings: ForecastSettings, python: Path | None, tmp: Path
) -> pd.DataFrame:
    """Back test every year Y with two or more earlier returns; one row per (Y, group)."""
    years = years_in(folder)
    rows = []
    for year in years[2:]:
        fit_folder = subset(folder, [y for y in years if y < year], tmp, f"fit_{label}_{year}")
        fit = load_903(fit_folder)
        actual = load_903(folder / str(year))
        last = load_903(folder / str(year - 1))
        table = backtest(actual, year, settings, fit_data=fit, last_year=last)
        table.insert(0, "year", year)
        table["csdm"] = float("nan")
        if python is not None:
            as_of = pd.Timestamp(year - 1, 3, 31)
            start = max(
                as_of - pd.DateOffset(years=settings.window_years), pd.Timestamp(min(years) - 1, 3, 31)
            )
            try:
                predicted = run_csdm(python, fit_folder, start, as_of, pd.Timestamp(year, 3, 31))
                table["csdm"] = table["placement_group"].map(predicted)
                groups = table["placement_group"].isin(PLACEMENT_GROUPS)
                table.loc[groups, "csdm"] = table.loc[groups, "csdm"].fillna(0.0)
                table.loc[~groups, "csdm"] = table.loc[groups, "csdm"].sum()
            except RuntimeError as exc:
                sys.exit(f"cs-demand-model failed on {label} {year}: {exc}")
        rows.append(table)
    return pd.concat(rows, ignore_index=True)


def summarise(label: str, table: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Per year and pooled: MAPE for each method; share of actuals inside the forecast's 80% interval."""
    print(f"\n== {label}: back test, fit to 31 March Y-1, forecast 31 March Y ==")
    shown = table.copy()
    shown["group"] = shown["placement_group"].str.slice(0, 34)
    cols = ["year", "group", "actual", "forecast", "lo80", "hi80", "inside_80", "same_as_last_year", "csdm"]
    print(shown[cols].round(1).to_string(index=False))
    out = {}
    for key, part in [*((str(y), t) for y, t in table.groupby("year")), ("all years", table)]:
        ours, last = accuracy(part), accuracy(part, "same_as_last_year")
        csdm = accuracy(part, "csdm") if part["csdm"].notna().any() else {"mape": float("nan")}
        out[key] = {
            "groups": ours["groups"],
            "cpkit_mape": ours["mape"],
            "last_year_mape": last["mape"],
            "csdm_mape": csdm["mape"],
            "inside_80": ours["inside_80"],
        }
    frame = pd.DataFrame(out).T
    print(f"\n{label}: MAPE (%) by method and share of actuals inside cpkit's 80% interval")
    print(frame.round(3).to_string())
    return out


# --- Speed and memory ----------------------------------------------------------------------------------


def timed(label: str, fn, *args, **kwargs):
    """Wall and CPU time of one call, then the peak memory it traces in a second call. On a shared
    machine the wall time grows with the load; the CPU time is what the call itself costs."""
    t, c = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    tracemalloc.start()
    fn(*args, **kwargs)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"  {label}: {seconds:.2f} s wall, {cpu:.2f} s CPU, peak traced memory {peak:,.0f} MB")
    return result, cpu


def speed(skip_national: bool) -> None:
    print("\n== Speed and memory ==")
    config = Config.load(ROOT / "data" / "sample" / "cpkit.yaml")
    data = load_903(SAMPLE)
    settings = config.forecast
    print(f"sample council ({len(settings.scenarios)} scenarios, {settings.simulations} simulations):")
    f, t_forecast = timed("forecast at 31 March 2025 with intervals", forecast, data, "2025-03-31", settings)
    print(f"    children in care at the start: {int(f.now()['All placements'])}")
    _, t_back = timed("back test for 2025", backtest, data, 2025, settings)
    total = t_forecast + t_back
    print(
        f"  forecast + back test: {total:.1f} s CPU, {100 * total / REPORT_SECONDS:.0f}% of a {REPORT_SECONDS:.0f} s "
        "report run (the placements section runs alongside the other sections)"
    )
    if skip_national:
        return
    national = HERE / "out" / "national"
    if not (national / "episodes.csv").exists():
        from generate_903 import generate

        generate(national)
    t = time.perf_counter()
    big = load_903(national)
    print(f"national-scale set: read in {time.perf_counter() - t:.1f} s (not counted)")
    base = dataclasses.replace(settings, scenarios=())
    f, _ = timed("forecast at 31 March 2025 with intervals", forecast, big, "2025-03-31", base)
    print(f"    children in care at the start: {int(f.now()['All placements']):,}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skip-csdm", action="store_true", help="no cs-demand-model baseline")
    parser.add_argument("--skip-national", action="store_true", help="no national-scale timing")
    parser.add_argument("--speed-only", action="store_true", help="only the speed and memory figures")
    parser.add_argument(
        "--memoryless",
        action="store_true",
        help="the model before months in placement and recent entries (duration_edges=(), entries_months=0)",
    )
    parser.add_argument(
        "--seeds", type=int, default=0, help="also back test N other councils from the sample's generator"
    )
    args = parser.parse_args()
    if args.speed_only:
        speed(args.skip_national)
        return

    python = samples = None
    if not args.skip_csdm:
        python, samples = csdm_python()
        print(f"cs-demand-model: {python}, sample returns from {samples.parent.name}/")
    settings = ForecastSettings()
    if args.memoryless:
        settings = dataclasses.replace(settings, duration_edges=(), entries_months=0)
        print(
            "memoryless model: one rate for all children whatever their months in placement; entries a month over the whole window"
        )
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        sets = [("kit sample", SAMPLE)]
        if samples is not None:
            sets.append(("cs-demand-model sample", csdm_layout(samples, tmp)))
        for label, folder in sets:
            summarise(label, backtest_set(label.split()[0], folder, settings, python, tmp))
        if args.seeds:
            held_out(args.seeds, settings, tmp)
    speed(args.skip_national)


def held_out(n: int, settings: ForecastSettings, tmp: Path) -> None:
    """Back test ``n`` other councils from the sample's generator (no cs-demand-model: minutes each)."""
    from cpkit.sample.ssda903 import write_903_sample

    tables = []
    for seed in range(101, 101 + n):
        folder = tmp / f"seed{seed}"
        write_903_sample(folder, seed=seed)
        table = backtest_set(f"seed{seed}", folder, settings, None, tmp)
        table.insert(0, "seed", seed)
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    per = {
        s: (accuracy(t)["mape"], accuracy(t, "same_as_last_year")["mape"]) for s, t in table.groupby("seed")
    }
    ours, last = accuracy(table), accuracy(table, "same_as_last_year")
    wins = sum(a < b for a, b in per.values())
    print(
        f"\n== {n} held-out councils from the sample's generator (seeds 101-{100 + n}), all years pooled =="
    )
    print(
        f"  cpkit MAPE {ours['mape']:.1f}%, same as last year {last['mape']:.1f}%, actuals inside the 80% "
        f"interval {100 * ours['inside_80']:.0f}% ({ours['groups']} group-years); cpkit lower in {wins} of {n}"
    )
    spread = pd.Series({s: a - b for s, (a, b) in per.items()})
    print(
        f"  cpkit minus same-as-last-year per council: median {spread.median():+.1f}, "
        f"from {spread.min():+.1f} to {spread.max():+.1f} points"
    )


if __name__ == "__main__":
    main()
