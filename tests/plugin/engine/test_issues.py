"""Reading what a PUT answers: a change someone else made between our read and our write is noticed."""
from plugin.engine.core.model import IssueRead
from plugin.engine.issues import changed_by_others


def _read(status="1", updated="2026-01-01T00:00:00.000+0000", **fields) -> IssueRead:
    return IssueRead(side=1, id="10", key="A-1", project_id="100", type_id="1", status_id=status, updated=updated,
                     fields={"summary": "Old", "labels": [], **fields})


def test_only_our_own_write_between_read_and_answer_changes_nothing_else():
    before, after = _read(), _read(updated="2026-01-01T00:00:05.000+0000", summary="Ours")
    assert not changed_by_others(before, after, ["summary", "labels"], {"summary": "Ours"})


def test_another_field_changed_meanwhile_is_noticed():
    before, after = _read(), _read(summary="Ours", labels=["theirs"])
    assert changed_by_others(before, after, ["summary", "labels"], {"summary": "Ours"})


def test_a_transition_made_meanwhile_is_noticed():
    assert changed_by_others(_read(), _read(status="3", summary="Ours"), ["summary"], {"summary": "Ours"})


def test_a_field_we_do_not_sync_changing_meanwhile_does_not_count():
    before, after = _read(), _read(summary="Ours", duedate="2026-02-01")
    assert not changed_by_others(before, after, ["summary", "labels"], {"summary": "Ours"})
