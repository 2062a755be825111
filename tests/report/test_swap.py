"""The swap puts the new report in place in one step: at every instant ``reports/<year>/`` is the previous
report or the new one, never missing (issue 19: a signal between the two renames deleted it)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from cpkit.report import runner


def _report(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_swap_exchanges_the_two_folders_in_one_call(tmp_path):
    final = _report(tmp_path / "reports" / "2025", "previous")
    inode = final.stat().st_ino
    staging = _report(tmp_path / "reports" / ".2025-building-x" / "site", "new")
    assert runner._exchange(staging, final)
    assert (final / "index.html").read_text(encoding="utf-8") == "new"
    # the previous report is now where the staging folder was, and goes with it
    assert (
        staging.stat().st_ino == inode and (staging / "index.html").read_text(encoding="utf-8") == "previous"
    )


def test_with_no_exchange_a_run_killed_between_the_renames_leaves_the_previous_report(tmp_path, monkeypatch):
    """Where renameat2 cannot be used, the previous report waits in ``.<year>.previous`` for the instant
    between the renames; a run killed there (simulated: the second rename never happens) has it put back
    by the next run before anything else."""
    out = tmp_path / "reports"
    final = _report(out / "2025", "previous")
    staging = _report(out / ".2025-building-x" / "site", "new")
    monkeypatch.setattr(runner, "_exchange", lambda a, b: False)
    real_rename = Path.rename

    def killed_after_first(self, target):
        if self == staging:
            raise SystemExit("killed between the renames")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", killed_after_first)
    with pytest.raises(SystemExit):
        runner._swap_in(staging, final, staging.parent)
    monkeypatch.undo()
    assert not final.exists() and (out / ".2025.previous" / "index.html").exists()
    runner._remove_leftovers(out, "2025")  # the next run, holding the lock
    assert (final / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(os.listdir(out)) == ["2025"]  # the killed run's staging folder went too


def test_with_no_exchange_the_swap_still_replaces_the_report(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    final = _report(out / "2025", "previous")
    staging = _report(out / ".2025-building-x" / "site", "new")
    monkeypatch.setattr(runner, "_exchange", lambda a, b: False)
    assert runner._swap_in(staging, final, staging.parent) == final
    assert (final / "index.html").read_text(encoding="utf-8") == "new"
    assert not (out / ".2025.previous").exists()
