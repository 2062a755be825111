"""The section notebook runs on the sample and shows its chart, narrative and tables."""

import pytest

from ..notebook_runs import in_sample_report, shown


@pytest.mark.slow
def test_action_plan_notebook_runs_on_the_sample(root, sample_report):
    # the section on the sample for 2025, as the sample's report ran it (not run a second time here)
    html = shown(in_sample_report(sample_report, "06_action_plan"))
    assert "There were 40 actions across 6 priorities" in html
    assert 'alt="Bar chart of progress of the 40 actions across 6 priorities' in html
    assert "Delayed and overdue actions at 31 March 2025" in html
    assert html.count("Action plan, Priority ") == 6
    assert 'class="rag rag-delayed cp-text">Delayed' in html  # the colour beside the word, left-aligned text
