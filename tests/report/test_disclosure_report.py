"""Done-when proof for disclosure control: a council of 12 children, its real report built with
papermill, and every public output read back as a reader would read it.

The council is cut from the sample (``make_small_council``: 12 children in care in both 2024 and 2025,
every SSDA903 table of every year filtered to them, the sample's settings, KPIs, tracker and DfE
figures). With a dozen children almost every breakdown holds counts from 1 to 4, so the rule is tested
where it matters. The checks work from the published text only (HTML pages, alt text, the chart data
and the Excel download), with independent derivations a reader could do by hand: a hidden cell worked
back from a column total, an admissions count worked back from the stock change, "n of m" in a
sentence. Where a check needs the true figure (to show a ``[c]`` cell is not a small count) it comes
from the measure library (``cpkit.care``), never from the disclosure code under test.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from cpkit.care import monthly_movements, placement_mix
from cpkit.config import Config, find_config
from cpkit.present.disclosure import Rule
from cpkit.report.document import DOCUMENT_NAME
from cpkit.report.runner import SAMPLE_DIR, ReportRequest, build_report
from cpkit.report.workbook import WORKBOOK_NAME
from cpkit.ssda903 import load_903

from .conftest import built_once, make_small_council

CHILDREN = 12
NAME = "Tiny Test Council"
NUMBER = re.compile(r"^[+-]?\d[\d,]*$")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data folder, report folder) of the 12-child council's 2025 report."""

    def build(folder: Path) -> Path:
        make_small_council(SAMPLE_DIR, folder / "data", CHILDREN)
        request = ReportRequest(
            year=2025,
            data_dir=folder / "data",
            out_dir=folder / "reports",
            la_name=NAME,
            progress=False,
            jobs=2,
        )
        return build_report(request)

    report = built_once(tmp_path_factory, "tiny_council_disclosure", build)
    return report.parent.parent / "data", report


def _rule(data: Path) -> tuple[int, str, str]:
    config = Config.load(find_config(data))
    return config.small_number_threshold, config.suppression_symbol, "[c]"


def _pages(report: Path) -> dict[str, BeautifulSoup]:
    return {
        p.name: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in sorted(report.glob("*.html"))
    }


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text.replace(",", "")) if NUMBER.match(text) else None


def _tables(soup: BeautifulSoup) -> dict[str, list[list[str]]]:
    """caption -> rows of cell texts (header row first)."""
    out = {}
    for table in soup.find_all("table"):
        caption = table.find("caption")
        rows = [
            [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")
        ]
        out[caption.get_text(" ", strip=True) if caption else f"table {len(out)}"] = rows
    return out


def _small(n: int | None, t: int) -> bool:
    return n is not None and 0 < n < t


# --- the tables --------------------------------------------------------------------------------------


def _feasible(hidden: list[str], remainder: int, t: int, symbol: str) -> list[tuple[int, ...]]:
    """Every assignment of the hidden cells that adds up to ``remainder``: a small-count cell 1..t-1, a
    [c] cell 0 or t and more."""
    ranges = [range(1, t) if h == symbol else [0, *range(t, remainder + 1)] for h in hidden]
    return [combo for combo in itertools.product(*ranges) if sum(combo) == remainder]


@pytest.mark.slow
def test_no_hidden_count_can_be_worked_back_from_a_total(tiny):
    """Every table with a Total row or column: the hidden cells of a line, given what each symbol means
    and the total, must leave every small-count cell at least two possible values."""
    data, report = tiny
    t, symbol, secondary = _rule(data)
    checked = 0
    for page, soup in _pages(report).items():
        for caption, rows in _tables(soup).items():
            header, body = rows[0], rows[1:]
            lines = []
            total_rows = [r for r in body if r and r[0] == "Total"]
            if total_rows:  # columns add up to the Total row
                total = total_rows[0]
                for j in range(1, len(header)):
                    if header[j].startswith("%"):
                        continue
                    cells = [r[j] for r in body if r[0] != "Total" and len(r) > j]
                    lines.append((cells, total[j]))
            if "Total" in header:  # rows add up to the Total column
                k = header.index("Total")
                for r in body:
                    cells = [c for j, c in enumerate(r[1:k], start=1) if not header[j].startswith("%")]
                    lines.append((cells, r[k]))
            for cells, total in lines:
                n_total = _number(total)
                hidden = [c for c in cells if c in (symbol, secondary)]
                if (
                    n_total is None
                    or not hidden
                    or any(_number(c) is None and c not in (symbol, secondary, "") for c in cells)
                ):
                    continue
                checked += 1
                remainder = n_total - sum(_number(c) or 0 for c in cells if c not in hidden)
                options = _feasible(hidden, remainder, t, symbol)
                assert options, f"{page}, {caption!r}: the hidden cells cannot add up to {remainder}"
                for i, h in enumerate(hidden):
                    if h == symbol:
                        values = {o[i] for o in options}
                        assert len(values) > 1, (
                            f"{page}, {caption!r}: a hidden count is {values} from the total {total} and "
                            f"the cells {cells}"
                        )
    assert checked >= 5, f"only {checked} lines with hidden cells and a total: is the council small enough?"


@pytest.mark.slow
def test_the_monthly_table_gives_no_flow_back_through_the_stock(tiny):
    """end = start + admissions - ceased and net = admissions - ceased: wherever a reader can do that
    sum with shown figures, the answer is not a small count; and the period's totals in the sentences
    cannot give a hidden month back."""
    data, report = tiny
    t, symbol, secondary = _rule(data)
    soup = _pages(report)["01_children_in_care.html"]
    rows = next(
        r for c, r in _tables(soup).items() if c.startswith("Children in care and movements by month")
    )
    by = {r[0]: r[1:] for r in rows[1:]}
    start = by["Children in care at the start of the month"]
    end = by["Children in care at the end of the month"]
    adm = by["Admissions (periods of care that started)"]
    ceased = by["Ceased (periods of care that ended)"]
    net = by["Net change"]
    hidden_flows = 0
    for i in range(len(start)):
        s, e, a, c, d = (_number(x[i]) for x in (start, end, adm, ceased, net))
        if a is None:
            hidden_flows += 1
            for derived in (
                None if None in (s, e, c) else e - s + c,
                None if None in (d, c) else d + c,
            ):
                assert not _small(derived, t), f"month {i + 1}: admissions worked back as {derived}"
        if c is None:
            for derived in (
                None if None in (s, e, a) else s + a - e,
                None if None in (d, a) else a - d,
            ):
                assert not _small(derived, t), f"month {i + 1}: ceased worked back as {derived}"
        for x in (s, e, a, c):
            assert not _small(x, t)
    assert len(start) == 12, "the monthly table should have a column per month"
    # the sentences may give the period's total only if the hidden months cannot be worked out from it
    text = soup.get_text(" ", strip=True)
    m = re.search(r"(\d[\d,]*) periods of care started", text)
    if m:
        shown = sum(_number(a) or 0 for a in adm if _number(a) is not None)
        hidden = [a for a in adm if _number(a) is None]
        options = _feasible(hidden, int(m.group(1).replace(",", "")) - shown, t, symbol)
        for i, h in enumerate(hidden):
            if h == symbol:
                assert len({o[i] for o in options}) > 1, "the period's admissions give a month back"


@pytest.mark.slow
def test_secondary_cells_carry_their_own_symbol(tiny):
    """Against the true figures (from ``cpkit.care``): every "<5" in the monthly and placement-type
    tables is 1 to 4, every [c] is 0 or 5 and more, and every number shown is the true one."""
    data, report = tiny
    t, symbol, secondary = _rule(data)
    d903 = load_903(data / "ssda903")
    soup = _pages(report)["01_children_in_care.html"]
    rows = next(
        r for c, r in _tables(soup).items() if c.startswith("Children in care and movements by month")
    )
    truth = monthly_movements(d903, "2024-04", "2025-03")
    columns = ["start", "end", "admissions", "ceased"]
    seen = {symbol: 0, secondary: 0}
    for row, col in zip(rows[1:5], columns, strict=True):
        for text, true in zip(row[1:], truth[col], strict=True):
            _check_cell(text, int(true), t, symbol, secondary, seen)
    soup = _pages(report)["02_placements.html"]
    rows = next(r for c, r in _tables(soup).items() if c.startswith("Children in care by type of placement"))
    truth = placement_mix(d903, date(2025, 3, 31)).set_index("placement_group")["children"]
    for r in rows[1:]:
        if r[0] in truth.index:
            _check_cell(r[3], int(truth[r[0]]), t, symbol, secondary, seen)
    assert seen[symbol], "no small count was hidden: the council is not small enough for this test"


def _check_cell(text: str, true: int, t: int, symbol: str, secondary: str, seen: dict) -> None:
    if text == symbol:
        assert 0 < true < t, f"{symbol!r} printed over {true}"
    elif text == secondary:
        assert true == 0 or true >= t, f"{secondary!r} printed over a small count ({true})"
    else:
        assert _number(text) == true and not _small(true, t), f"{text!r} for {true}"
    if text in seen:
        seen[text] += 1


# --- sentences and alt text --------------------------------------------------------------------------

N_OF_M = re.compile(
    r"(?<![\w.])(?<!than )(\d[\d,]*) of (?:the )?(\d[\d,]*)(?![\d.,]*%)"
    r"(?! (?:councils|local|measures|actions|with a target|actual numbers))"
)
FROM_TO = re.compile(r"from (\d[\d,]*)(?![\d.,]*%)(?: at the start)? to (\d[\d,]*)(?![\d.,]*%)")


def _sentences(soup: BeautifulSoup, note: str) -> list[str]:
    """The sentences of paragraphs and list items (not tables, not the rule's own note), and every
    image's alt text."""
    for table in soup.find_all("table"):
        table.decompose()
    texts = [p.get_text(" ", strip=True).replace(note, "") for p in soup.find_all(["p", "li", "figcaption"])]
    texts += [img.get("alt", "") for img in soup.find_all("img")]
    return [s for text in texts for s in re.split(r"(?<=[.:;])\s+(?=[A-Z])", text) if s]


@pytest.mark.slow
def test_no_sentence_or_alt_text_gives_a_small_count(tiny):
    """ "n of m", "from a to b" and a change beside "fewer than": none gives a count from 1 to 4 (rates per
    10,000 and counts of councils, measures or actions are not counts of children)."""
    data, report = tiny
    t, symbol, secondary = _rule(data)
    note = Rule.of(Config.load(find_config(data))).note()
    found = []
    for page, soup in _pages(report).items():
        if page in ("06_action_plan.html", "index.html"):
            continue  # counts of actions, not children
        for text in _sentences(soup, note):
            text = text.replace(f"from 1 to {t - 1}", "")  # the rule in words
            if "ranked" in text or "action" in text or "per 10,000" in text:
                continue
            for n, m in N_OF_M.findall(text):
                n_, m_ = int(n.replace(",", "")), int(m.replace(",", ""))
                if _small(n_, t) or _small(m_, t) or _small(m_ - n_, t):
                    found.append((page, text))
            for a, b in FROM_TO.findall(text):
                if _small(int(a.replace(",", "")), t) or _small(int(b.replace(",", "")), t):
                    found.append((page, text))
            if f"fewer than {t}" in text and re.search(r"\([+-]\d", text):
                found.append((page, text))  # "from fewer than 5 ... to 6 (+2, 50.0%)"
    assert not found, found


# --- the Excel download ------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_workbook_holds_no_small_count(tiny):
    """Every number in the download is a published figure: none is a count from 1 to 4 (sheets of the
    action plan count actions, not children, and are left out)."""
    data, report = tiny
    t, symbol, secondary = _rule(data)
    wb = load_workbook(report / WORKBOOK_NAME)
    found, symbols = [], 0
    for ws in wb.worksheets:
        text = " ".join(str(v) for row in ws.iter_rows(max_row=4, values_only=True) for v in row if v)
        if "action plan" in text.lower() or "actions" in text.lower():
            continue
        headers: dict[int, str] = {}
        for row in ws.iter_rows():
            values = [c.value for c in row]
            if any(isinstance(v, str) and "per 10,000" in v for v in values):
                continue  # a rate, not a count
            if (
                not headers
                and sum(isinstance(v, str) for v in values) >= 2
                and not any(isinstance(v, int | float) for v in values)
            ):
                headers = {c.column: str(c.value or "") for c in row}  # the column headings
            for cell in row:
                v = cell.value
                if isinstance(v, bool) or "%" in (cell.number_format or ""):
                    continue
                heading = headers.get(cell.column, "").lower()
                if "target" in heading:
                    continue  # a local target is a number the council set, not a count of children
                if "rank" in heading or "averaged" in heading:
                    continue  # a rank, the councils ranked or averaged (each its own column): not children
                if isinstance(v, int | float) and float(v).is_integer() and _small(int(v), t):
                    found.append((ws.title, values))
                symbols += v in (symbol, secondary)
    assert symbols, "no hidden figure in the download of a 12-child council"
    assert not found, found
    assert DOCUMENT_NAME in {p.name for p in report.glob("*.html")}


def test_the_whole_report_passed_the_disclosure_audit(tiny):
    # The runner audits every block of every section together before writing (cpkit.publish.ledger); a
    # leak would have stopped the build. The manifest records what it checked, and the technical annex
    # says so to its reader (the summary counts figures hidden in at least one block).
    import json

    from cpkit.report.document import ANNEX_NAME

    _, report = tiny
    line = json.loads((report / "manifest.json").read_text(encoding="utf-8"))["disclosure_audit"]
    assert re.fullmatch(r"disclosure audit: [\d,]+ counts? hidden, none recoverable", line), line
    about = BeautifulSoup((report / ANNEX_NAME).read_text(encoding="utf-8"), "html.parser").find(
        id="about-figures"
    )
    assert "none can be worked out from the others" in about.find_parent("section").get_text(" ")
