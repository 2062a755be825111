"""Where the kit's notebooks and sample live, and where its output goes: one answer for every module.

The section notebooks and the synthetic sample are kept at the top of the repository (``notebooks/``,
``data/sample/``), where analysts open them in JupyterLab and ``make`` and the tests use them. A wheel
carries a copy of both inside the package, as ``cpkit/_resources/notebooks/`` and
``cpkit/_resources/data/sample/`` (``setup.py`` copies them at build time; README "Development"), laid out
as in the repository; a notebook's blank default ``data_dir`` means the sample here, in either place.

- Installed from a wheel (``cpkit/_resources/`` exists): the packaged copy; reports go to ``./reports``
  under the current folder (never into site-packages); the DfE rules' environment is only the one
  ``CPKIT_VALIDATOR_PYTHON`` names.
- A checkout or an editable install (no ``_resources/`` beside the source): the repository's folders;
  reports go to the repository's ``reports/`` and the DfE rules run from its ``.venv-validator``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGED = PACKAGE_DIR / "_resources"  # written only into a build, never into the source tree
INSTALLED = PACKAGED.is_dir()
HOME = PACKAGED if INSTALLED else PACKAGE_DIR.parent  # holds notebooks/ and data/sample/

NOTEBOOKS_DIR = HOME / "notebooks"
SAMPLE_DIR = HOME / "data" / "sample"
# The DfE validation rules' own environment (``make validator``); an installed kit has no checkout for it.
VALIDATOR_VENV: Path | None = None if INSTALLED else HOME / ".venv-validator"


def default_out_dir() -> Path:
    """Where report folders go without ``--out``: the checkout's ``reports/``, else ``./reports``."""
    return Path.cwd() / "reports" if INSTALLED else HOME / "reports"


def default_sample_out() -> Path:
    """Where ``cpkit sample`` writes without ``--out``: the checkout's ``data/sample/`` (the shipped sample
    is regenerated in place), else ``./data/sample`` (an installed kit's own copy is not to be written)."""
    return Path.cwd() / "data" / "sample" if INSTALLED else SAMPLE_DIR
