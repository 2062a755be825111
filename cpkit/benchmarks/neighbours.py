"""Statistical neighbours: the DfE children's services models, or the council's own list.

The DfE model files name councils by their old three-digit codes (and names that differ from the release
files: "Durham" vs "County Durham"), so everything here joins by code, never by name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cpkit.config import Config
from cpkit.errors import BenchmarkError

_NEW_CODE = re.compile(r"^E\d{8}$")
_OLD_CODE = re.compile(r"^\d{3}$")


def is_new_code(code: str) -> bool:
    return bool(_NEW_CODE.match(str(code).strip()))


def clean_code(code: object) -> str:
    """ "370", 370, 370.0 and " E08000016 " all come back as the code as the DfE writes it."""
    text = str(code).strip()
    if re.fullmatch(r"\d{3}\.0", text):
        text = text[:3]
    if not (_NEW_CODE.match(text) or _OLD_CODE.match(text)):
        raise BenchmarkError(f"{code!r} is neither a 3-digit nor a 9-character (E06000001) council code")
    return text


def _long(
    frame: pd.DataFrame, la_col: str, sn_cols: list[str], close_cols: list[str], path: Path
) -> pd.DataFrame:
    rows = []
    for _, rec in frame.iterrows():
        la = str(rec[la_col]).strip()
        if not re.fullmatch(r"\d{3}(\.0)?", la):
            continue  # notes, blank rows, headers repeated in spreadsheets
        for rank, (sn, close) in enumerate(zip(sn_cols, close_cols, strict=True), start=1):
            code = str(rec[sn]).strip()
            if not re.fullmatch(r"\d{3}(\.0)?", code):
                raise BenchmarkError(f"{path}: council {la}, column {sn!r}: {code!r} is not a 3-digit code")
            rows.append((clean_code(la), rank, clean_code(code), str(rec[close]).strip()))
    return pd.DataFrame(rows, columns=["old_la_code", "rank", "neighbour_old_code", "closeness"])


def read_neighbour_model(path: str | Path) -> pd.DataFrame:
    """One row per council and neighbour (rank 1 = closest), from either DfE layout.

    Layouts: the 2025 wide CSV (old_la_code, SN_1, SN_1P ... SN_10P) and the 2021 groupings / LAIT workbook
    (LA num, SN1, SNP, SN2, SNP ...; the workbook has two rows of column letters and numbers above its
    header). Recognised by their columns.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw = pd.read_excel(path, header=None, dtype=str)
        header_row = next(
            (i for i in range(min(10, len(raw))) if "SN1" in raw.iloc[i].astype(str).tolist()), None
        )
        if header_row is None:
            raise BenchmarkError(f"{path}: no header row with SN1 in the first 10 rows")
        frame = raw.iloc[header_row + 1 :].copy()
        frame.columns = [str(c).strip() for c in raw.iloc[header_row]]
    else:
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        frame.columns = [str(c).strip() for c in frame.columns]
    cols = list(frame.columns)
    if "SN_1" in cols:  # 2025 wide layout
        sn = [f"SN_{i}" for i in range(1, 11)]
        return _long(frame, "old_la_code", sn, [f"{c}P" for c in sn], path)
    if "SN1" in cols:  # 2021 layout: each SNn followed by its closeness column (all named SNP)
        positions = [cols.index(f"SN{i}") for i in range(1, 11)]
        frame.columns = [f"_c{i}" for i in range(len(cols))]
        la_col = "_c0"
        return _long(frame, la_col, [f"_c{p}" for p in positions], [f"_c{p + 1}" for p in positions], path)
    raise BenchmarkError(f"{path}: not a DfE statistical neighbour model (no SN_1 or SN1 column)")


def find_neighbour_models(folder: str | Path) -> dict[str, Path]:
    """Model files under ``folder`` by model year ("2025", "2021"), the year taken from the file name.

    The model's year is not in its content, so the name is the one place to find it; where two files give
    the same year the CSV is preferred over the workbook (they hold the same groupings).
    """
    found: dict[str, Path] = {}
    for path in sorted(Path(folder).rglob("*"), key=lambda p: (p.suffix.lower() != ".csv", str(p))):
        if path.suffix.lower() not in (".csv", ".xlsx") or not path.is_file():
            continue
        year = re.search(r"(20\d\d)", path.name)
        if not year or year.group(1) in found:
            continue
        try:
            head = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns if path.suffix == ".csv" else None
        except (UnicodeDecodeError, pd.errors.ParserError):
            continue
        if head is not None and not ({"SN_1", "SN1"} & {c.strip() for c in head}):
            continue
        if head is None and "sn" not in path.name.lower():
            continue
        found[year.group(1)] = path
    return found


def neighbours_of(model: pd.DataFrame, la_old_code: str) -> list[str]:
    """The council's neighbours (old codes, closest first); empty if the model does not list the council."""
    rows = model[model["old_la_code"] == clean_code(la_old_code)].sort_values("rank")
    return rows["neighbour_old_code"].tolist()


def statistical_neighbours(config: Config, folder: str | Path | None = None) -> list[str]:
    """The council's neighbours: its own list from the config if it keeps one, else the DfE model's.

    The model is ``config.neighbour_model`` ("2025", "2021") found under ``folder`` (a DfE model file by
    that year), or a path to a model file. Codes come back as given (the model's are old 3-digit codes);
    :func:`cpkit.benchmarks.compare` accepts either kind.
    """
    if config.statistical_neighbours:
        return [clean_code(c) for c in config.statistical_neighbours]
    model_path = Path(config.neighbour_model)
    if not model_path.is_file():
        if folder is None:
            raise BenchmarkError("no neighbour model folder given and config.statistical_neighbours is empty")
        models = find_neighbour_models(folder)
        if config.neighbour_model not in models:
            raise BenchmarkError(
                f"{folder}: no statistical neighbour model {config.neighbour_model!r} "
                f"(found: {', '.join(sorted(models)) or 'none'})"
            )
        model_path = models[config.neighbour_model]
    found = neighbours_of(read_neighbour_model(model_path), config.la_old_code)
    if not found:
        raise BenchmarkError(f"{model_path}: council {config.la_old_code} is not in the neighbour model")
    return found
