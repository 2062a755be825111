"""The run's settings are read once, by the prepare step, and every section kernel takes them from the run's
cache (``cpkit.report.settings_cache``): neither cpkit.yaml nor narrative.yaml is opened again, a file
changed since stops the section instead of mixing two readings in one report, and a notebook opened
without a cache (JupyterLab) reads both as before. Reads are counted with the run's own provenance log
(``cpkit.report.provenance.recording``: the audit hook that lists a report's inputs), not a patch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cpkit.config import Config
from cpkit.errors import DataProblem
from cpkit.report import open_section, provenance
from cpkit.report.settings_cache import save_settings

from .notebooks import write_council

NARRATIVE = 'change:\n  rise: "went up"\n'


@pytest.fixture
def council(tmp_path: Path) -> tuple[Path, Path, Config]:
    """A council's folder with its own wording (narrative.yaml), and the prepare step's cache."""
    data = write_council(tmp_path / "data").resolve()
    (data / "narrative.yaml").write_text(NARRATIVE, encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    config = Config.for_data(data)
    save_settings(cache, data, config, data / "cpkit.yaml")
    return data, cache, config


def _open(data: Path, cache: Path | None, config: Config, **kw):
    """``open_section`` with the parameters the runner gives every section."""
    params = {
        "year": 2025,
        "period": "financial",
        "data_dir": str(data),
        "la_name": config.la_name,
        "la_code": config.la_code,
        "config_file": str(data / "cpkit.yaml"),
        "cache_dir": str(cache) if cache else "",
    }
    return open_section("01_children_in_care", **{**params, **kw})


def _reads(tmp_path: Path, data: Path, opening) -> tuple[set[str], object]:
    log = tmp_path / "reads"
    log.mkdir(exist_ok=True)
    for old in log.glob("*"):
        old.unlink()
    with provenance.recording(log, [data], skip=[]):
        ctx = opening()
    return {p.name for p in provenance.logged_reads(log)}, ctx


def test_a_section_opened_with_the_run_cache_reads_neither_settings_file(tmp_path, council):
    data, cache, config = council
    read, ctx = _reads(tmp_path, data, lambda: _open(data, cache, config))
    assert "cpkit.yaml" not in read and "narrative.yaml" not in read
    # and it has the council's settings and wording all the same
    assert (
        ctx.config.la_code == config.la_code
        and ctx.config.small_number_threshold == config.small_number_threshold
    )
    assert ctx.narrative.change(10, 20, 0) == "went up"
    # without the cache (a notebook run by hand) both files are read, so the log does see them
    read, ctx = _reads(tmp_path, data, lambda: _open(data, None, config))
    assert {"cpkit.yaml", "narrative.yaml"} <= read
    assert ctx.narrative.change(10, 20, 0) == "went up"


def test_a_settings_file_changed_after_the_prepare_step_stops_the_section(tmp_path, council):
    data, cache, config = council
    settings = data / "cpkit.yaml"
    before = settings.stat()
    os.utime(settings, ns=(before.st_atime_ns, before.st_mtime_ns + 5_000_000_000))  # touched, same text
    assert _open(data, cache, config).config.la_code == config.la_code  # the same content: still the cache's
    settings.write_text(
        settings.read_text(encoding="utf-8") + "\nsmall_number_threshold: 10\n", encoding="utf-8"
    )
    with pytest.raises(DataProblem, match=r"cpkit.yaml changed after this run read its settings"):
        _open(data, cache, config)


def test_a_narrative_added_after_the_prepare_step_stops_the_section(tmp_path):
    data = write_council(tmp_path / "data").resolve()
    cache = tmp_path / "cache"
    cache.mkdir()
    config = Config.for_data(data)
    save_settings(cache, data, config, data / "cpkit.yaml")  # no narrative.yaml then
    assert _open(data, cache, config).narrative.change(10, 20, 0) == "rose"
    (data / "narrative.yaml").write_text(NARRATIVE, encoding="utf-8")
    with pytest.raises(DataProblem, match=r"narrative.yaml changed after this run read its settings"):
        _open(data, cache, config)


def test_a_cache_for_other_parameters_is_not_used(tmp_path, council):
    """The cache holds the settings resolved for the run's parameters; a notebook given another council
    name reads the file and applies its own."""
    data, cache, config = council
    read, ctx = _reads(tmp_path, data, lambda: _open(data, cache, config, la_name="Another Council"))
    assert ctx.config.la_name == "Another Council" and "cpkit.yaml" in read


@pytest.mark.slow
def test_a_report_run_s_sections_take_the_settings_from_its_cache(tmp_path):
    """Through the runner: the parameters a section is given match the ones the prepare step saved the
    settings for, so the kernel uses them (a mismatch would silently read the files again)."""
    from cpkit.report.runner import build_report
    from cpkit.report.sections import Section

    from .notebooks import GOOD_BODY, write_notebook
    from .test_runner import _request

    seen = tmp_path / "seen.txt"
    body = (
        "from pathlib import Path\n"
        "from cpkit.report.settings_cache import load_settings, settings_key\n"
        "found = load_settings(Path(cache_dir), settings_key(Path(data_dir).resolve(), config_file, la_name, la_code))\n"
        f"Path({str(seen)!r}).write_text('cache' if found is not None else 'files')\n"
    )
    section = Section(
        "01_records", "Records", "Records where its settings came from.",
        path=write_notebook(tmp_path / "nb" / "01_records.ipynb", GOOD_BODY + "\n" + body),
    )  # fmt: skip
    build_report(_request(tmp_path, (section,)))
    assert seen.read_text() == "cache"
