"""The documentation site builds with MkDocs (strict: a broken link or a page missing from the nav fails),
and its architecture picture reaches the built page with its text alternative."""

from __future__ import annotations

import os
import subprocess
import sys

from bs4 import BeautifulSoup

from .conftest import ROOT


def test_the_documentation_site_builds_with_every_page_and_the_architecture_picture(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    page = BeautifulSoup((tmp_path / "site" / "architecture" / "index.html").read_text(), "html.parser")
    img = page.find("img", src="../img/architecture.svg")
    assert img is not None and "prepare step" in img["alt"]
    assert (tmp_path / "site" / "img" / "architecture.svg").exists()


def test_the_readme_is_a_user_guide_of_at_most_300_lines_and_links_only_pages_that_exist():
    """The README is the user guide (quick start, data, running, scheduling, outputs, troubleshooting); the
    design notes live in docs/, and every docs page the README names is there."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    for heading in ("## Quick start", "## Your council's data", "## Scheduling", "## Troubleshooting"):
        assert heading in readme
    linked = re.findall(r"\]\((docs/[^)]+\.md)\)", readme)
    assert linked and all((ROOT / page).is_file() for page in linked), linked
