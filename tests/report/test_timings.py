"""The run's stage timings and the order the section workers take the sections in."""

from __future__ import annotations

import json

from cpkit.report import timings
from cpkit.report.runner import TYPICAL_SECONDS, _longest_first
from cpkit.report.sections import Section


def _sections(*names: str) -> list[Section]:
    return [Section(n, n, "A section.") for n in names]


def test_the_previous_runs_slowest_sections_start_first(tmp_path):
    # the previous run: 03 took 9 s, 01 2 s, and a kernel start-up of 5 s that is not a section's own time
    record = tmp_path / timings.TIMINGS_NAME
    record.write_text(
        json.dumps(
            {
                "total": 20,
                "groups": {},
                "stages": [
                    {"group": "prepare", "stage": "figures table", "seconds": 30.0},
                    {"group": "sections", "stage": "01_a", "seconds": 2.0},
                    {"group": "sections", "stage": "kernel start-up (01_a)", "seconds": 5.0},
                    {"group": "sections", "stage": "03_c", "seconds": 9.0},
                ],
            }
        ),
        encoding="utf-8",
    )
    expected = timings.section_seconds(record)
    assert expected == {"01_a": 2.0, "03_c": 9.0}
    # 03 (9 s) first, then 01 (2 s), then the sections never timed in report order (02 before 04)
    order = _longest_first(_sections("01_a", "02_b", "03_c", "04_d"), expected)
    assert [s.name for s in order] == ["03_c", "01_a", "02_b", "04_d"]


def test_without_a_previous_run_the_samples_slow_sections_start_first(tmp_path):
    assert timings.section_seconds(tmp_path / "missing.json") == {}
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert timings.section_seconds(tmp_path / "bad.json") == {}
    slowest = max(TYPICAL_SECONDS, key=TYPICAL_SECONDS.get)
    order = _longest_first(_sections("01_children_in_care", "03_health", slowest), {})
    assert order[0].name == slowest and [s.name for s in order][-1] == "03_health"


def test_stages_are_recorded_only_inside_a_run():
    timings.add("writers", "outside", 1.0)  # no run recording: nothing kept, nothing raised
    with timings.recording() as record:
        with timings.stage("writers", "workbook"):
            pass
        timings.add("sections", "01_a", 2.5)
        timings.wall("sections", 2.5)
    data = record.as_dict()
    assert [(s["group"], s["stage"]) for s in data["stages"]] == [
        ("writers", "workbook"),
        ("sections", "01_a"),
    ]
    assert data["groups"] == {"sections": 2.5}
