"""Hierarchy: a sub-task is synced once its parent has a partner (the parent brought across with it, in one pass),
its create names the partner's parent; a move to another parent is carried (one PUT, no echo); a parent outside the
filter leaves the child unsynced with an error row, and the child follows once the parent is synced; the initial
sync brings parents across before their children."""
import pytest
from sqlalchemy import select

from plugin.models import SyncError
from tests.support.api import ApiUser

pytestmark = pytest.mark.in_process

ISSUE = "/rest/api/3/issue"


def _types(engine, site, project):
    return {t["name"]: t["id"] for t in engine.rest(site, "GET", f"/project/{project}").json()["issueTypes"]}


def _hierarchy_on(engine, document, direction="both"):
    document["hierarchy"] = {"direction": direction}
    one, two = _types(engine, "acme", "ACME")["Sub-task"], _types(engine, "globex", "GLOBEX")["Sub-task"]
    document["issueTypes"].append({"1": {"id": one, "name": "Sub-task"}, "2": {"id": two, "name": "Sub-task"},
                                   "direction": "both"})


def _parent(engine, site, key):
    parent = engine.issue(site, key).get("parent")
    return parent["key"] if parent else None


def _open_errors(engine, sync_id):
    with engine.runtime.sessions() as session:
        return list(session.scalars(select(SyncError).where(SyncError.sync_id == int(sync_id),
                                                            SyncError.category == "hierarchy",
                                                            SyncError.state == "open")))


def test_a_sub_task_and_its_new_parent_are_synced_in_one_pass_parent_first(engine):
    sync_id = engine.synchronize()
    engine.configure(sync_id, lambda document: _hierarchy_on(engine, document))
    parent = engine.create("acme", "ACME", "Parent")
    child = engine.create("acme", "ACME", "Child", "Sub-task", parent={"key": parent})
    engine.reset_calls()
    engine.settle()
    p_parent, p_child = engine.partner(sync_id, 1, parent), engine.partner(sync_id, 1, child)
    assert p_parent and p_child
    assert _parent(engine, "globex", p_child) == p_parent
    assert engine.issue("globex", p_child)["issuetype"]["name"] == "Sub-task"
    calls = engine.calls()
    assert calls.get(f"globex POST {ISSUE}") == 2  # each created once, the parent never twice
    assert _open_errors(engine, sync_id) == []


def test_a_move_to_another_parent_is_carried_both_ways_with_one_put_and_no_echo(engine):
    sync_id = engine.synchronize()
    engine.configure(sync_id, lambda document: _hierarchy_on(engine, document))
    first, second = engine.create("acme", "ACME", "First"), engine.create("acme", "ACME", "Second")
    child = engine.create("acme", "ACME", "Child", "Sub-task", parent={"key": first})
    engine.settle()
    p_first, p_second, p_child = (engine.partner(sync_id, 1, key) for key in (first, second, child))
    assert _parent(engine, "globex", p_child) == p_first
    engine.reset_calls()
    engine.edit("acme", child, parent={"key": second})
    engine.settle()
    assert _parent(engine, "globex", p_child) == p_second
    assert _parent(engine, "acme", child) == second  # nothing came back
    calls = engine.calls()
    assert calls.get(f"globex PUT {ISSUE}/{{issueIdOrKey}}") == 1 and f"acme PUT {ISSUE}/{{issueIdOrKey}}" not in calls
    engine.reset_calls()
    engine.edit("globex", p_child, parent={"key": p_first})  # moved back on side 2: carried to side 1
    engine.settle()
    assert _parent(engine, "acme", child) == first and _parent(engine, "globex", p_child) == p_first
    assert engine.calls().get(f"acme PUT {ISSUE}/{{issueIdOrKey}}") == 1


def test_a_parent_outside_the_filter_leaves_the_child_unsynced_with_a_reason_until_the_parent_is_synced(engine):
    sync_id = engine.synchronize()

    def only_labelled(document):
        _hierarchy_on(engine, document)
        document["filters"]["1"] = "labels = synced OR issuetype = Sub-task"

    engine.configure(sync_id, only_labelled)
    parent = engine.create("acme", "ACME", "Not synced")
    child = engine.create("acme", "ACME", "Child", "Sub-task", parent={"key": parent})
    engine.settle()
    assert engine.partner(sync_id, 1, parent) is None and engine.partner(sync_id, 1, child) is None
    (waiting,) = _open_errors(engine, sync_id)
    assert waiting.issue_key == child and f"its parent {parent} has no partner in GLOBEX" in waiting.message
    assert "filter" in waiting.message and "Bring the parent into the synchronization" in waiting.fix
    engine.reset_calls()
    engine.edit("acme", parent, labels=["synced"])  # the parent now matches: synced, and its child after it
    engine.settle()
    p_parent, p_child = engine.partner(sync_id, 1, parent), engine.partner(sync_id, 1, child)
    assert p_parent and p_child and _parent(engine, "globex", p_child) == p_parent
    assert engine.calls().get(f"globex POST {ISSUE}") == 2
    assert _open_errors(engine, sync_id) == []


def test_the_initial_sync_brings_parents_across_before_their_children(engine):
    parent = engine.create("acme", "ACME", "Existing parent")
    child = engine.create("acme", "ACME", "Existing child", "Sub-task", parent={"key": parent})
    sync_id = engine.synchronize(mode="review", start=False)
    pat_acme = ApiUser(engine.installed, "acme", "pat", project="ACME")
    document = pat_acme.get(f"/synchronizations/{sync_id}/configuration/suggestion").json()
    _hierarchy_on(engine, document)
    assert pat_acme.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document).status_code == 200
    pat_acme.post(f"/synchronizations/{sync_id}/configuration/send")
    ApiUser(engine.installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{sync_id}/configuration/accept")
    engine.reset_calls()
    engine.start(sync_id)
    engine.settle(timeout=120)
    p_parent, p_child = engine.partner(sync_id, 1, parent), engine.partner(sync_id, 1, child)
    assert p_parent and p_child and _parent(engine, "globex", p_child) == p_parent
    assert _open_errors(engine, sync_id) == []
    calls = engine.calls()
    assert calls.get(f"globex POST {ISSUE}/bulk", 0) >= 2  # a round of parents, then one of their children
    assert not calls.get(f"globex POST {ISSUE}")  # none created one by one
