from cpkit.actions import load_action_plan, problems, summary
from cpkit.sample.action_plan import write_action_plan

TITLES = [
    "Promoting success and aspiration",
    "Leaving care and preparing for adulthood",
    "Accommodation and placement sufficiency",
    "Health and emotional wellbeing",
    "Education, employment and training",
    "Fostering",
]


def test_same_seed_same_bytes_and_the_shipped_file_is_current(tmp_path, root):
    a = write_action_plan(tmp_path / "a.xlsx")
    b = write_action_plan(tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    assert (root / "data" / "sample" / "action_plan.xlsx").read_bytes() == a.read_bytes(), (
        "data/sample/action_plan.xlsx is stale: regenerate it with write_action_plan"
    )
    assert write_action_plan(tmp_path / "c.xlsx", seed=7).read_bytes() != a.read_bytes()


def test_sample_reads_as_forty_actions_in_six_priorities(root):
    plan = load_action_plan(root / "data" / "sample" / "action_plan.xlsx", as_of="2025-03-31")
    table = summary(plan)
    assert len(plan) == 40
    assert table["priority_title"].tolist() == TITLES + ["All priorities"]
    assert plan.attrs["set_aside"]["repeated header"] == 1
    assert plan.attrs["ref_repairs"][0]["written"] == "31.4"
    found = set(problems(plan)["problem"])
    assert {"missing lead", "unmapped status", "repaired ref", "overdue but not marked delayed"} <= found
    assert not plan["action"].str.contains("<").any() and not plan["progress"].str.contains("<li>").any()
