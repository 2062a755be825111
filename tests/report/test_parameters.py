"""The runner refuses a run whose parameters a section's notebook does not declare (papermill would only
warn and inject them), reading the notebook's parameters cell itself (``declared_parameters``).

Hand-built notebook: a markdown cell, a code cell assigning ``early`` before the parameters cell, then the
cell tagged "parameters" declaring ``year`` (plain), ``la_name`` (annotated), ``options`` (a dict over
three lines, with a comment inside) and a commented-out ``cache_dir``; a later cell tagged "parameters"
assigning ``late`` (papermill reads the first one only). So the declared names are year, la_name, options.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpkit.errors import ReportFailed
from cpkit.report.runner import check_parameters, declared_parameters
from cpkit.report.sections import Section

PARAMETERS = 'year = 2025\nla_name: str = "Anytown"  # the council\noptions = {\n    "a": 1,  # one\n    "b": 2,\n}\n# cache_dir = ""\n'


def _notebook(folder: Path) -> Path:
    def code(source: str, tags: list[str] | None = None) -> dict:
        meta = {"tags": tags} if tags else {}
        return {
            "cell_type": "code",
            "metadata": meta,
            "source": source,
            "outputs": [],
            "execution_count": None,
        }

    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# A section"},
        code("early = 1\n"),
        code(PARAMETERS, ["parameters"]),
        code("late = 2\n", ["parameters"]),
    ]
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = folder / "section.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_the_parameters_cell_declares_its_assigned_names(tmp_path):
    assert declared_parameters(_notebook(tmp_path)) == {"year", "la_name", "options"}


def test_a_parameter_the_notebook_does_not_declare_stops_the_run(tmp_path):
    section = Section("01_hand", "Hand", "", path=_notebook(tmp_path))
    check_parameters([section], {"year": 2025, "la_name": "Anytown"})  # declared: no error
    with pytest.raises(ReportFailed, match=r"section 01_hand: parameter\(s\) cache_dir not declared"):
        check_parameters([section], {"year": 2025, "cache_dir": "/tmp/cache"})
