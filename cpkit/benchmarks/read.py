"""Read the DfE explore-education-statistics CSVs of one or more releases into one tidy benchmark table.

Files are recognised by their columns and labels, not their names, because the DfE renames files and
columns between releases ("number" -> "children_count", "age" -> "care_leaver_age", "percentage" ->
"children_percent") while the figures stay the same. Suppressed cells (c, k, x, z, u, low) become missing
values with the code kept in ``status``: a suppressed figure is unknown, never zero.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from cpkit.benchmarks.mapping import Table, normalise_label, tables
from cpkit.errors import BenchmarkError

log = logging.getLogger(__name__)


GEOGRAPHY = [
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
NUMBER_COLUMNS = ("number", "children_count", "care_leaver_count")
PERCENT_COLUMNS = ("percentage", "children_percent", "care_leaver_percent")
RATE_COLUMNS = ("rate_per_10000",)
POPULATION_COLUMNS = ("population_estimate",)
FIGURE_COLUMNS = set(NUMBER_COLUMNS + PERCENT_COLUMNS + RATE_COLUMNS + POPULATION_COLUMNS)
SUPPRESSION_CODES = ("c", "k", "x", "z", "u", "low")

COLUMNS = [
    "measure",
    "year",
    "geographic_level",
    "new_la_code",
    "old_la_code",
    "region_code",
    "area_name",
    "value",
    "numerator",
    "denominator",
    "status",
    "release",
    "superseded",
    "source",
]
_AREA = ["geographic_level", "country_code", "region_code", "old_la_code", "new_la_code"]


def _first(columns: pd.Index, candidates: tuple[str, ...]) -> str | None:
    return next((c for c in candidates if c in columns), None)


def _parse_figures(raw: pd.Series, path: Path, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Numbers and a status per cell: "ok", a suppression code, or "missing" for a blank cell."""
    text = raw.str.strip()
    lower = text.str.lower()
    values = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    # Durations in the adoption-timing files are "YY:MM" (years and months, as the data guidance says):
    # read as a number of months so that "01:02" is 14, not an error or a clock time.
    duration = text.str.fullmatch(r"\d{1,3}:\d{2}")
    if duration.any():
        parts = text[duration].str.split(":", expand=True).astype(int)
        values[duration] = parts[0] * 12 + parts[1]
    status = np.where(values.notna(), "ok", np.where(lower.isin(SUPPRESSION_CODES), lower, "missing"))
    bad = values.isna() & ~lower.isin(SUPPRESSION_CODES) & (text != "")
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise BenchmarkError(
            f"{path}: row {first + 2}, column {column!r}: {text.iloc[first]!r} is neither a number nor a "
            f"DfE suppression code ({', '.join(SUPPRESSION_CODES)}); {int(bad.sum())} such cell(s) in all"
        )
    return values.to_numpy(dtype=float), status


def _label_columns(columns: pd.Index) -> list[str]:
    return [c for c in columns if c not in GEOGRAPHY and c not in FIGURE_COLUMNS]


def _choose_table(keys: set[tuple[str, str]]) -> Table | None:
    """The file kind whose rules cover most of the file's (group, item) labels."""
    best, score = None, 0
    for table in tables():
        hits = len(keys & table.keys)
        if hits > score:
            best, score = table, hits
    return best


def _frame(path: Path) -> tuple[pd.DataFrame, Table] | None:
    """The file's rows with parsed figures and normalised labels, or None if it is not an EES data file."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise BenchmarkError(f"{path}: cannot be read as a CSV file ({exc})") from exc
    raw.columns = [c.strip() for c in raw.columns]
    number_col = _first(raw.columns, NUMBER_COLUMNS)
    labels = _label_columns(raw.columns)
    if (
        "time_period" not in raw.columns
        or "geographic_level" not in raw.columns
        or not number_col
        or not labels
    ):
        return None
    for col in GEOGRAPHY:
        if col not in raw.columns:
            raw[col] = ""
    norm = {}
    for col in labels:  # normalise each distinct label once: files repeat a few labels thousands of times
        distinct = raw[col].unique()
        norm[col] = raw[col].map(dict(zip(distinct, map(normalise_label, distinct), strict=True)))
    group = norm[labels[0]] if len(labels) > 1 else pd.Series("", index=raw.index)
    for col in labels[1:-1]:
        group = group + " | " + norm[col]
    frame = pd.DataFrame(
        {
            "time_period": raw["time_period"].str.strip(),
            **{c: raw[c].str.strip() for c in GEOGRAPHY[2:]},
            "group": group,
            "item": norm[labels[-1]],
        }
    )
    years = pd.to_numeric(frame["time_period"], errors="coerce")
    if years.isna().any():
        first = int(np.flatnonzero(years.isna().to_numpy())[0])
        raise BenchmarkError(
            f"{path}: row {first + 2}, column 'time_period': {frame['time_period'].iloc[first]!r} is not a year"
        )
    frame["year"] = years.astype(int)
    frame["num"], frame["num_status"] = _parse_figures(raw[number_col], path, number_col)
    for name, candidates in (("pct", PERCENT_COLUMNS), ("rate", RATE_COLUMNS), ("pop", POPULATION_COLUMNS)):
        col = _first(raw.columns, candidates)
        if col:
            frame[name], frame[f"{name}_status"] = _parse_figures(raw[col], path, col)
        else:
            frame[name], frame[f"{name}_status"] = np.nan, "absent"
    # One integer per area and year, so that look-ups of total rows join on one column, not six.
    frame["_cell"] = frame.groupby(["year", *_AREA], sort=False, dropna=False).ngroup()
    labels_seen = frame[["group", "item"]].drop_duplicates()
    table = _choose_table(set(zip(labels_seen["group"], labels_seen["item"], strict=True)))
    if table is None:
        return None
    return frame, table


def _area_keys(frame: pd.DataFrame) -> list[str]:
    return ["year", *_AREA]


def _lookup(frame: pd.DataFrame, rows: pd.DataFrame, item_col: str) -> np.ndarray:
    """The number of the row in the same area, year and group whose item is ``rows[item_col]``."""
    keys = ["_cell", "group"]
    right = frame[[*keys, "item", "num"]].rename(columns={"item": item_col, "num": "_found"})
    right = right.drop_duplicates([*keys, item_col])
    merged = rows[[*keys, item_col]].merge(right, on=[*keys, item_col], how="left")
    assert len(merged) == len(rows)
    return merged["_found"].to_numpy(dtype=float)


def _default_totals(frame: pd.DataFrame, table: Table, path: Path) -> pd.Series:
    """Per group, the item that the group's percentages are shares of (the table's "total" rows)."""
    present = frame.loc[frame["item"].isin(table.totals), ["group", "item"]].drop_duplicates()
    counts = present.groupby("group")["item"].nunique()
    if (counts > 1).any():
        group = counts[counts > 1].index[0]
        raise BenchmarkError(
            f"{path}: group {group!r} has more than one total row; say which in mapping.yaml"
        )
    return present.set_index("group")["item"]


def _measures_from_file(path: Path, root: Path) -> tuple[pd.DataFrame, Table, pd.DataFrame] | None:
    """Tidy measure rows of one file, the table it was recognised as, and its unmapped label rows."""
    parsed = _frame(path)
    if parsed is None:
        return None
    frame, table = parsed
    source = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    labels = frame[["group", "item"]]
    known = pd.MultiIndex.from_frame(table.rules[["group", "item"]])
    missed = labels[~pd.MultiIndex.from_frame(labels).isin(known)]
    unmapped = missed.groupby(["group", "item"]).size().reset_index(name="rows").assign(source=source)
    rows = frame.merge(table.rules, on=["group", "item"], how="inner")
    totals = _default_totals(frame, table, path)
    rows["of_item"] = rows["of_item"].where(rows["of_item"].notna(), rows["group"].map(totals)).fillna("")
    rows["num_item"] = rows["num_item"].fillna("")
    kind = rows["kind"].to_numpy()
    is_count, is_pct, is_rate, is_value = (kind == k for k in ("count", "pct", "rate", "value"))
    num = rows["num"].to_numpy(dtype=float)
    of_number = _lookup(frame, rows, "of_item")
    value = np.select([is_count | is_value, is_pct, is_rate], [num, rows["pct"], rows["rate"]], np.nan)
    status = np.select(
        [is_count | is_value, is_pct, is_rate],
        [rows["num_status"], rows["pct_status"], rows["rate_status"]],
        "missing",
    )
    numerator = np.select([is_pct, is_rate, is_value], [num, num, _lookup(frame, rows, "num_item")], np.nan)
    denominator = np.select([is_pct, is_rate, is_value], [of_number, rows["pop"], of_number], np.nan)
    # A percentage column absent from the file altogether: the share is worked out from the counts.
    computed = is_pct & (status == "absent")
    status = np.where(computed, np.where(np.isnan(value), "missing", "ok"), status)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(computed, np.round(numerator / denominator * 100, 1), value)
    out = rows[_area_keys(frame)].copy()
    out["area_name"] = _area_name(rows)
    out["measure"] = rows["measure"].to_numpy()
    out["value"], out["numerator"], out["denominator"], out["status"] = value, numerator, denominator, status
    out = pd.concat([out, _derived(frame, table)], ignore_index=True)
    out["source"] = source
    return out, table, unmapped


def _area_name(rows: pd.DataFrame) -> np.ndarray:
    level = rows["geographic_level"].to_numpy()
    return np.where(
        level == "National",
        rows["country_name"],
        np.where(level == "Regional", rows["region_name"], rows["la_name"]),
    )


def _derived(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Measures summed from several published counts (e.g. new placements over 20 miles, inside or outside).

    Any suppressed part makes the result missing, with that part's suppression code as its status.
    """
    parts = []
    keys = _area_keys(frame)
    for mid, spec in table.derived.items():
        sub = frame[frame["group"] == spec["group"]]
        wanted = sub[sub["item"].isin(spec["items"])]
        if wanted.empty:
            continue
        names = ["country_name", "region_name", "la_name"]
        total = sub.loc[sub["item"] == spec["of"], [*keys, *names, "num", "num_status"]]
        grouped = wanted.assign(bad=wanted["num_status"].where(wanted["num_status"] != "ok")).groupby(keys)
        got = (
            pd.DataFrame(
                {
                    "numerator": grouped["num"].sum(min_count=len(spec["items"])),
                    "parts": grouped["num"].count(),
                    "bad": grouped["bad"].first(),
                }
            )
            .reset_index()
            .merge(total, on=keys, how="inner")
        )
        got["numerator"] = got["numerator"].where(got["parts"] == len(spec["items"]))
        got["denominator"] = got["num"]
        got["value"] = (got["numerator"] / got["denominator"] * 100).round(1)
        fallback = np.where(got["num_status"] != "ok", got["num_status"], "missing")
        got["status"] = np.where(got["value"].notna(), "ok", got["bad"].where(got["bad"].notna(), fallback))
        got["area_name"] = _area_name(got)
        got["measure"] = mid
        parts.append(got[[*keys, "area_name", "measure", "value", "numerator", "denominator", "status"]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _csv_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".csv")


def _release_name(path: Path, root: Path) -> str:
    parent = path.parent.relative_to(root).as_posix()
    return root.name if parent == "." else parent


def load_benchmarks(folder: str | Path) -> pd.DataFrame:
    """All figures of the DfE CLA release CSVs under ``folder`` (searched recursively) as one tidy table.

    Columns: measure, year, geographic_level, new_la_code, old_la_code, region_code, area_name, value,
    numerator, denominator, status ("ok", a suppression code, or "missing"), release (the folder the figure
    came from), superseded (older releases that gave the same figure: "release=value; ..."), source (file).
    Each folder is one release; its year is the latest time_period of its files (plus one for the school
    moves and social worker files, which lag a year). Where releases overlap the newest wins; within a
    release a table of higher priority wins (the main tables over the 1994-onwards time series).
    Files that are not EES data files (no time_period/geographic_level/count column, or no known labels)
    are skipped, and labels the mapping does not know are left out; both are logged and listed in
    ``attrs["skipped"]`` and ``attrs["unmapped"]``.
    """
    root = Path(folder)
    if not root.is_dir():
        raise BenchmarkError(f"{root}: benchmark folder not found")
    parts, skipped, unmapped = [], [], []
    release_year: dict[str, int] = {}
    for path in _csv_files(root):
        result = _measures_from_file(path, root)
        if result is None:
            skipped.append(str(path))
            log.info("%s: not a DfE children looked after data file; skipped", path)
            continue
        rows, table, missed = result
        release = _release_name(path, root)
        if len(rows):
            latest = int(rows["year"].max()) + table.lag
            release_year[release] = max(release_year.get(release, latest), latest)
        parts.append(rows.assign(release=release, _priority=table.priority))
        for rec in missed.itertuples(index=False):
            label = f"{rec.group} | {rec.item}" if rec.group else rec.item
            unmapped.append(f"{rec.source}: {label!r} ({rec.rows} rows)")
            log.warning(
                "%s: label %r is not in cpkit/benchmarks/mapping.yaml; %d rows left out",
                rec.source,
                label,
                rec.rows,
            )
    if not parts:
        bench = pd.DataFrame(columns=COLUMNS)
    else:
        bench = _newest_only(pd.concat(parts, ignore_index=True), release_year)
    bench.attrs["skipped"] = skipped
    bench.attrs["unmapped"] = unmapped
    return bench


def _newest_only(rows: pd.DataFrame, release_year: dict[str, int]) -> pd.DataFrame:
    """One row per figure: the newest release's (then the higher-priority table's); older ones noted."""
    rows["_release_year"] = rows["release"].map(release_year).fillna(0).astype(int)
    la = rows["geographic_level"] == "Local authority"
    area = np.where(
        la,
        rows["old_la_code"].where(rows["old_la_code"] != "", rows["new_la_code"]),
        np.where(rows["geographic_level"] == "Regional", rows["region_code"], rows["country_code"]),
    )
    rows["_area"] = area
    rows = rows.sort_values(["_release_year", "_priority"], ascending=False, kind="stable")
    key = ["measure", "year", "geographic_level", "_area"]
    dup = rows.duplicated(key, keep="first")
    kept, dropped = rows[~dup].copy(), rows[dup]
    kept["superseded"] = _superseded_notes(kept, dropped, key)
    kept = kept.sort_values(["measure", "year", "geographic_level", "_area"], kind="stable")
    return kept[COLUMNS].reset_index(drop=True)


def _superseded_notes(kept: pd.DataFrame, dropped: pd.DataFrame, key: list[str]) -> list[str]:
    """Per kept figure, the older releases that gave it too: "ees_2024_release=70; ees_2023_release=71"."""

    def keys(frame: pd.DataFrame) -> list[tuple]:
        return list(zip(*(frame[c].tolist() for c in key), strict=True))

    kept_keys = keys(kept)
    kept_release = dict(zip(kept_keys, kept["release"].tolist(), strict=True))
    notes: dict[tuple, list[str]] = {}
    values, statuses = dropped["value"].tolist(), dropped["status"].tolist()
    for k, release, value, status in zip(
        keys(dropped), dropped["release"].tolist(), values, statuses, strict=True
    ):
        if release != kept_release[k]:  # a lower-priority table of the same release is not a revision
            notes.setdefault(k, []).append(f"{release}={status if np.isnan(value) else f'{value:g}'}")
    return ["; ".join(notes.get(k, ())) for k in kept_keys]
