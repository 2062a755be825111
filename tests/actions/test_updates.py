from datetime import date

from cpkit.actions.updates import first_update_date, latest_update, split_updates


def test_running_log_is_split_into_dated_entries():
    log = (
        "Scoping done.\n3/7/25 Meeting held with providers.\n15.7.25 - Draft plan shared; feedback due.\n"
        "Jan-26: Plan agreed at Board. Feb-26: first cohort started.\n20/10/2025 Note added late"
    )
    updates = split_updates(log)
    assert [(u["date"], u["text"]) for u in updates] == [
        (None, "Scoping done."),
        (date(2025, 7, 3), "Meeting held with providers."),
        (date(2025, 7, 15), "Draft plan shared; feedback due."),
        (date(2026, 1, 1), "Plan agreed at Board."),
        (date(2026, 2, 1), "first cohort started."),
        (date(2025, 10, 20), "Note added late"),
    ]
    assert latest_update(updates)["text"] == "first cohort started."
    assert first_update_date(updates) == date(2025, 7, 3)


def test_dates_inside_a_sentence_do_not_start_entries():
    updates = split_updates("Event booked for 12/3/2025 at the town hall")
    assert updates == [{"date": None, "written": "", "text": "Event booked for 12/3/2025 at the town hall"}]
    assert latest_update(updates)["date"] is None


def test_newest_first_logs_still_give_the_latest():
    updates = split_updates("Mar-25: done\nJan-25: started")
    assert latest_update(updates) == {"date": date(2025, 3, 1), "written": "Mar-25", "text": "done"}


def test_empty_progress_has_no_updates():
    assert split_updates("") == [] and latest_update([]) is None
