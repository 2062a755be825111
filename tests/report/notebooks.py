"""Small notebooks the runner tests execute for real with papermill."""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

PARAMETERS = """year: int = 2025  # reporting year
period: str = "financial"  # financial or calendar
data_dir: str = "."  # data folder
la_name: str = "Test Council"  # council name
la_code: str = "E06000999"  # council code
config_file: str = ""  # settings file
cache_dir: str = ""  # prepared tables"""

GOOD_BODY = """import sys, warnings
import matplotlib.pyplot as plt
import pandas as pd
from cpkit.present import show_chart, show_markdown, show_table
print("STDOUT-MARKER-should-not-reach-html")
print("STDERR-MARKER-should-not-reach-html", file=sys.stderr)
warnings.warn("WARNING-MARKER-should-not-reach-html")
show_markdown(f"The year is {year} and the council is {la_name}.")
fig, ax = plt.subplots()
ax.bar(["a", "b"], [1, 2])
show_chart(fig, "Bar chart: b is twice a in the test data", caption="Test figure")
show_table(pd.DataFrame({"Group": ["a", "b"], "Count": [10, 20]}), caption="Test table")
pd.DataFrame({"x": [1]})  # a bare expression: its plain-text repr must not reach the page"""


def write_notebook(path: Path, body: str, parameters: str = PARAMETERS, title: str = "Test section") -> Path:
    """A section-shaped notebook: a heading, a tagged parameters cell, and ``body``."""
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbf.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbf.v4.new_markdown_cell(f"# {title}"), params, nbf.v4.new_code_cell(body)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbf.write(nb, str(path))
    return path


def write_council(data: Path) -> Path:
    """A council data folder as every report needs: its settings and the smallest return (one child)."""
    import shutil

    from ..conftest import SAMPLE_DIR

    data.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_DIR / "cpkit.yaml", data / "cpkit.yaml")
    returns = data / "ssda903" / "2025"
    returns.mkdir(parents=True, exist_ok=True)
    (returns / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1001,M,01/01/2010,WBRI,A999000000001,,\n", encoding="utf-8"
    )
    (returns / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "1001,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n",
        encoding="utf-8",
    )
    return data
