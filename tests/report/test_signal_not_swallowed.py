"""A stop signal (``ReportInterrupted``, raised wherever the run is when SIGTERM arrives) must end the run
from any step; the places that turn a reader's failure into a message must let it through, or the report
would be published after the scheduler asked it to stop."""

from __future__ import annotations

import signal

import pytest

from cpkit.actions import sources
from cpkit.config import Config, Period
from cpkit.errors import ReportInterrupted
from cpkit.report import site

from ..conftest import SAMPLE_DIR


def _stopped(*args, **kwargs):
    raise ReportInterrupted(signal.SIGTERM)


def test_reading_the_tracker_lets_a_stop_through(monkeypatch):
    monkeypatch.setattr(sources, "_xlsx", _stopped)
    with pytest.raises(ReportInterrupted):
        sources.read_grids(SAMPLE_DIR / "action_plan.xlsx")


def test_the_board_sections_let_a_stop_through(monkeypatch):
    import cpkit.actions

    monkeypatch.setattr(cpkit.actions, "load_action_plan", _stopped)
    config = Config.load(SAMPLE_DIR / "cpkit.yaml")
    with pytest.raises(ReportInterrupted):
        site._authored(SAMPLE_DIR, config, Period.from_year(2025))
