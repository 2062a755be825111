"""An installed kit is whole: the wheel carries the notebooks and the sample, and ``cpkit report`` run from
the installed copy, in a folder outside the checkout, builds a report from them.

The wheel is built as ``python -m build`` would build it: an sdist from the project's files (copied out of
the checkout, so the build leaves nothing in it), then the wheel from that sdist, so a file MANIFEST.in
forgets is missed here too. The wheel is unpacked as pip would install it (a wheel is a zip of what lands
in site-packages) and put first on ``PYTHONPATH``, so the command and every section's kernel import the
installed copy, not the checkout the test environment has installed in editable mode.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from cpkit import resources
from cpkit.ssda903 import validator

from .conftest import ROOT

BUILD_INPUTS = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "cpkit",
    "notebooks",
    "data/sample",
)
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "_resources")


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _build_sdist(tmp: Path) -> tuple[Path, str]:
    """The sdist built from a copy of the project's files, and what setuptools printed on stderr."""
    source = tmp / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=SKIP)
        else:
            shutil.copy(ROOT / name, source / name)
    dist = tmp / "dist"
    built = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from setuptools import build_meta; print(build_meta.build_sdist({str(dist)!r}))",
        ],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    )
    return dist / built.stdout.split()[-1], built.stderr


def _build_wheel(tmp: Path) -> Path:
    """sdist from a copy of the project's files, then the wheel from the unpacked sdist."""
    sdist, _ = _build_sdist(tmp)
    dist = sdist.parent
    with tarfile.open(sdist) as tar:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # 3.11.4+: no links out
        tar.extractall(tmp / "sdist", **safe)
    (unpacked,) = (tmp / "sdist").iterdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q"]
        + ["-w", str(dist), str(unpacked)],
        capture_output=True,
        text=True,
        check=True,
    )
    (wheel,) = dist.glob("cpkit-*.whl")
    return wheel


def test_the_project_metadata_builds_without_deprecation_warnings(tmp_path):
    """setuptools warns of metadata forms it will stop reading (the licence as a TOML table, licence
    classifiers: removed in 2027); a warning today is a build that fails after that date, so none is let in.
    With ``license = {text = "MIT"}`` stderr holds "`project.license` as a TOML table is deprecated"."""
    _, stderr = _build_sdist(tmp_path)
    assert "Deprecat" not in stderr, stderr


@pytest.mark.slow
def test_installed_wheel_builds_a_report_from_its_own_notebooks_and_sample(tmp_path):
    wheel = _build_wheel(tmp_path)
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    packaged = site / "cpkit" / "_resources"
    # every section notebook (and the Performance on a Page's) and every sample file, and nothing else
    assert _files(packaged / "notebooks") == _files(ROOT / "notebooks")
    assert _files(packaged / "data" / "sample") == _files(ROOT / "data" / "sample")
    shipped = _files(packaged)

    work = tmp_path / "elsewhere"  # the officer's folder: neither the checkout nor site-packages
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CPKIT_VALIDATOR_PYTHON"}
    env.update(PYTHONPATH=str(site), CPKIT_DFE_RULES="on")  # on: the installed kit must say they were not run
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cpkit",
            "report",
            "--year",
            "2025",
            "--sections",
            "08_data_quality",
            "--quiet",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    # no --out: the report is in ./reports of the folder it was run from (a section alone: a partial report)
    report = work / "reports" / "2025-partial"
    assert done.stdout.strip() == f"Report written: {report / 'index.html'}"
    assert (report / "index.html").is_file() and (report / "08_data_quality.html").is_file()
    # the section ran the installed copy's notebook on the installed copy's sample (no --data)
    run = json.loads((work / "reports" / "_analyst" / "2025" / "08_data_quality.ipynb").read_text("utf-8"))
    papermill = run["metadata"]["papermill"]
    assert papermill["input_path"] == str(packaged / "notebooks" / "08_data_quality.ipynb")
    assert papermill["parameters"]["data_dir"] == str(packaged / "data" / "sample")
    # the kernel's cpkit is the installed one: it knows there is no checkout to run `make validator` in
    page = (report / "08_data_quality.html").read_text(encoding="utf-8")
    assert "could not be run" in page and "CPKIT_VALIDATOR_PYTHON" in page
    assert "make validator" not in page
    # and nothing was written into the installed package
    assert _files(packaged) == shipped
    assert not (site / "reports").exists()


def test_a_checkout_uses_its_own_folders():
    """In the repository (the editable install the tests run in), the kit reads the folders analysts edit
    and writes where ``make report`` always has."""
    assert not resources.INSTALLED
    assert resources.NOTEBOOKS_DIR == ROOT / "notebooks"
    assert resources.SAMPLE_DIR == ROOT / "data" / "sample"
    assert resources.default_out_dir() == ROOT / "reports"
    assert validator.VENV == ROOT / ".venv-validator"


def test_installed_kit_without_the_rules_environment_says_how_to_give_it(monkeypatch, tmp_path):
    """Installed from a wheel there is no ``.venv-validator``: the problem says the rules were not run and
    names the variable that points at them, not a ``make`` target the officer does not have."""
    monkeypatch.setattr(validator, "VENV", None)
    monkeypatch.delenv("CPKIT_VALIDATOR_PYTHON", raising=False)
    assert validator.validator_python() is None
    message = validator._unavailable()
    assert "were not run" in message and "CPKIT_VALIDATOR_PYTHON" in message
    assert "make validator" not in message
    # an interpreter named by the variable is used
    python = tmp_path / "python"
    python.write_text("", encoding="utf-8")
    monkeypatch.setenv("CPKIT_VALIDATOR_PYTHON", str(python))
    assert validator.validator_python() == python
