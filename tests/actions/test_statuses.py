import pytest

from cpkit.actions.statuses import StatusMapping, classify_status


@pytest.mark.parametrize(
    ("text", "status", "note"),
    [
        ("Complete - now business as usual", "complete", "now business as usual"),
        ("Complete. (Review if issues arise)", "complete", "Review if issues arise"),
        ("Complete but ongoing monitoring required", "complete", "ongoing monitoring required"),
        ("COMPLETED", "complete", ""),
        ("Blue", "complete", ""),
        ("On track", "in progress", ""),
        ("on-track!", "in progress", ""),
        ("Green", "in progress", ""),
        ("Amber", "in progress", "at risk"),
        ("Amber - waiting for funding", "in progress", "at risk; waiting for funding"),
        ("Not started", "awaiting start", ""),
        ("Awaiting start", "awaiting start", ""),
        ("Delayed", "delayed", ""),
        ("RED: recruitment paused", "delayed", "recruitment paused"),
        ("G", "in progress", ""),
    ],
)
def test_status_words_map_to_four_statuses_keeping_extra_words(text, status, note):
    reading = classify_status(text)
    assert (reading.status, reading.note) == (status, note)


@pytest.mark.parametrize("text", ["Purple", "Partially", "A review is planned", "Now complete"])
def test_unrecognised_status_is_not_guessed(text):
    reading = classify_status(text)
    assert reading.status is None
    assert reading.note == text


def test_blank_status_is_unmapped_with_no_note():
    assert classify_status("  ").status is None


def test_a_council_can_supply_its_own_words(tmp_path):
    path = tmp_path / "statuses.yaml"
    path.write_text(
        "order: [complete, in progress, delayed, awaiting start]\n"
        "phrases:\n  complete: [signed off]\n  delayed: [purple]\n",
        encoding="utf-8",
    )
    mapping = StatusMapping.from_yaml(path)
    assert classify_status("Signed off by Board", mapping).status == "complete"
    assert classify_status("Purple", mapping).status == "delayed"
    assert classify_status("Complete", mapping).status is None


def test_mapping_rejects_a_status_outside_the_four(tmp_path):
    path = tmp_path / "statuses.yaml"
    path.write_text("order: [complete]\nphrases:\n  finished: [done]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="finished"):
        StatusMapping.from_yaml(path)
