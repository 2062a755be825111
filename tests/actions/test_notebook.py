"""The section notebook runs on the sample and shows its chart, narrative and tables."""

import nbformat
import papermill as pm
import pytest


@pytest.mark.slow
def test_action_plan_notebook_runs_on_the_sample(root, tmp_path):
    out = tmp_path / "06_action_plan.ipynb"
    pm.execute_notebook(str(root / "notebooks" / "06_action_plan.ipynb"), str(out), kernel_name="python3",
                        cwd=str(root / "notebooks"), progress_bar=False)
    nb = nbformat.read(str(out), as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") + o.get("data", {}).get("text/markdown", "")
                   for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "There were 40 actions across 6 priorities" in html
    assert 'alt="Bar chart of progress of the 40 actions across 6 priorities' in html
    assert "Delayed and overdue actions at 31 March 2025" in html
    assert html.count("Action plan, Priority ") == 6
    assert 'class="rag rag-delayed">Delayed' in html
