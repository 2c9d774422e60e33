"""A running synchronization keeps linked issues equal, field by field, with one write per change and no echo."""
from jirasim import adf


def test_an_issue_created_on_one_side_appears_on_the_other_with_its_fields(engine):
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", "Printer on fire", labels=["hardware"],
                        description=adf.from_text("It smokes.\nSecond line."))
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    assert partner and partner.startswith("GLOBEX-")
    fields = engine.issue("globex", partner)
    assert (fields["summary"], fields["labels"], adf.to_text(fields["description"])) == (
        "Printer on fire", ["hardware"], "It smokes.\nSecond line.")
    assert fields["issuetype"]["name"] == "Task"


def test_an_edit_is_written_once_to_the_partner_and_nothing_comes_back(engine):
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", "Before")
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    engine.reset_calls()
    engine.edit("acme", key, summary="After")
    engine.settle()
    assert engine.issue("globex", partner)["summary"] == "After"
    calls = engine.calls()
    assert calls.get("globex PUT /rest/api/3/issue/{issueIdOrKey}") == 1
    assert not calls.get("acme PUT /rest/api/3/issue/{issueIdOrKey}")
