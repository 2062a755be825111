"""The wheel carries the section notebooks and the synthetic sample (README "Development").

They stay at the top of the repository (``notebooks/``, ``data/sample/``), where JupyterLab, ``make`` and
the tests use them; this build step copies them into the built package as ``cpkit/_resources/notebooks/``
and ``cpkit/_resources/data/sample/``, which ``cpkit.resources`` reads when the kit is installed. An
editable install skips the copy: it reads the repository's folders. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
RESOURCES = ("notebooks", "data/sample")  # copied with their layout, under cpkit/_resources/
SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".DS_Store")


class BuildPyWithResources(build_py):
    """``build_py`` that also copies the notebooks and the sample into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "cpkit" / "_resources"
        shutil.rmtree(target, ignore_errors=True)  # a reused build/ folder must not keep removed files
        for folder in RESOURCES:
            source = HERE / folder
            if not source.is_dir():
                raise FileNotFoundError(
                    f"{source}: the wheel must carry it (MANIFEST.in grafts it into the sdist)"
                )
            shutil.copytree(source, target / folder, ignore=SKIP)


setup(cmdclass={"build_py": BuildPyWithResources})
