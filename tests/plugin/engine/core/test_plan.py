"""Plans: the partner issue a new issue gets, the base snapshot after a create, and a linked pair's writes."""
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugin.engine.core.mapping import Rule
from plugin.engine.core.model import UNMAPPED, Change, IssueRead
from plugin.engine.core.plan import base_after_create, for_link, for_new_issue

SAME = {1: lambda value: value, 2: lambda value: value}


def _rule(fid, kind="text", direction="both", translate=None):
    return Rule(key=f"{fid}|{fid}", ids={1: fid, 2: fid}, kinds={1: kind, 2: kind}, direction=direction,
                conflict="newest", translate=translate or SAME)


def _status(mapping=None, direction="both"):
    maps = mapping or {1: {"open": "todo"}, 2: {"todo": "open"}}
    return Rule(key="status", ids={1: "status", 2: "status"}, kinds={1: "status", 2: "status"}, direction=direction,
                conflict="newest", translate={side: (lambda v, m=maps[side]: m.get(v, UNMAPPED)) for side in (1, 2)})


def _issue(side, fields, status="open", type_id="bug", updated="2026-01-01T00:00:00.000+0000"):
    return IssueRead(side=side, id=f"{side}0", key=f"K-{side}", project_id=f"p{side}", type_id=type_id,
                     status_id=status, updated=updated, fields=fields)


def test_a_new_issue_gets_a_partner_of_the_mapped_type_in_the_target_project():
    plan = for_new_issue([_rule("summary")], _status(), {"bug": "defect"}, _issue(1, {"summary": "Hi"}), "p2")
    assert plan.create == {"side": 2, "status": "todo", "fields": {
        "project": {"id": "p2"}, "issuetype": {"id": "defect"}, "summary": "Hi"}}
    assert not plan.empty


def test_an_issue_of_a_type_not_mapped_that_way_gets_no_partner():
    plan = for_new_issue([_rule("summary")], None, {"task": "todo"}, _issue(1, {"summary": "Hi"}), "p2")
    assert plan.create is None and plan.empty


def test_fields_that_do_not_flow_towards_the_target_or_are_empty_are_left_out():
    rules = [_rule("summary"), _rule("duedate", direction="2→1"), _rule("labels", kind="labels"),
             _rule("description", kind="doc")]
    source = _issue(1, {"summary": "Hi", "duedate": "2026-02-01", "labels": [], "description": None})
    plan = for_new_issue(rules, None, {"bug": "defect"}, source, "p2")
    assert set(plan.create["fields"]) == {"project", "issuetype", "summary"}


def test_a_value_without_counterpart_is_a_retryable_problem_and_the_partner_is_still_created():
    odd = _rule("priority", kind="priority", translate={1: lambda value: UNMAPPED, 2: lambda value: value})
    plan = for_new_issue([odd], None, {"bug": "defect"}, _issue(1, {"priority": {"id": "3"}}), "p2")
    assert "priority" not in plan.create["fields"]
    (problem,) = plan.problems
    assert (problem.key, problem.side, problem.permanent) == ("priority|priority", 2, False)


def test_a_status_without_counterpart_creates_in_the_default_status():
    plan = for_new_issue([], _status(), {"bug": "defect"}, _issue(1, {}, status="weird"), "p2")
    assert plan.create["status"] is None
    assert for_new_issue([], None, {"bug": "defect"}, _issue(1, {}), "p2").create["status"] is None


def test_the_base_after_a_create_is_each_sides_values_as_read():
    rules = [_rule("summary"), _rule("labels", kind="labels")]
    source, created = _issue(1, {"summary": "Hi", "labels": ["b", "a"]}), _issue(2, {"summary": "Hi"}, status="todo")
    assert base_after_create(rules, _status(), source, created) == {
        "1": {"summary|summary": "Hi", "labels|labels": ["a", "b"], "status": "open"},
        "2": {"summary|summary": "Hi", "labels|labels": [], "status": "todo"}}
    assert "status" not in base_after_create(rules, None, source, created)["1"]


def test_a_pair_just_created_has_nothing_to_sync():
    rules, status = [_rule("summary"), _rule("labels", kind="labels")], _status()
    source = _issue(1, {"summary": "Hi", "labels": ["a"]})
    created = _issue(2, {"summary": "Hi", "labels": ["a"]}, status="todo")
    base = base_after_create(rules, status, source, created)
    plan = for_link(rules, status, {1: source, 2: created}, base)
    assert plan.empty and plan.conflicts == [] and plan.problems == []


@pytest.mark.parametrize("author", ["pat", None], ids=["a-person", "someone-unknown"])
def test_a_field_someone_changed_on_the_new_issue_before_our_read_is_carried_back_not_taken_as_agreed(author):
    """A crash between the create and its finish leaves the new issue open to people's edits for a while: what
    they changed there is not the agreed value, and the next merge carries it to the source."""
    rules, status = [_rule("summary"), _rule("labels", kind="labels")], _status()
    source = _issue(1, {"summary": "Chaos 18", "labels": ["a"]})
    created = replace(_issue(2, {"summary": "Renamed 27", "labels": ["a", "b"]}, status="todo"),
                      changes=(Change("summary", "2026-01-01T00:00:01.000Z", author, None, "Renamed 27"),
                               Change("labels", "2026-01-01T00:00:01.000Z", author, None, "a b")))
    base = base_after_create(rules, status, source, created, {1: "work-sync", 2: "work-sync"})
    assert base["2"] == {"summary|summary": "Chaos 18", "labels|labels": ["a"], "status": "todo"}
    plan = for_link(rules, status, {1: source, 2: created}, base)
    assert plan.writes[1].fields == {"summary": "Renamed 27", "labels": ["a", "b"]} and not plan.writes[2]


def test_work_syncs_own_changes_to_the_new_issue_leave_its_base_as_read():
    rules = [_rule("summary")]
    source = _issue(1, {"summary": "Hi"})
    created = replace(_issue(2, {"summary": "Hi there"}),
                      changes=(Change("summary", "2026-01-01T00:00:01.000Z", "work-sync", None, "Hi there"),))
    assert base_after_create(rules, None, source, created, {2: "work-sync"})["2"] == {
        "summary|summary": "Hi there"}


def test_a_source_field_changed_after_the_create_was_planned_is_carried_to_the_new_issue():
    """A create resumed after a crash reads its source anew: a rename made since the intent is not what the new
    issue got, and the next merge carries it there."""
    rules, status = [_rule("summary"), _rule("labels", kind="labels")], _status()
    source = replace(_issue(1, {"summary": "Renamed 131", "labels": ["a", "c"]}),
                     changes=(Change("summary", "2026-01-01T00:00:09.000+0000", "pat", None, "Renamed 131"),
                              Change("labels", "2026-01-01T00:00:09.000+0000", "pat", None, "a c"),
                              Change("summary", "2026-01-01T00:00:01.000+0000", "pat", None, "Older")))
    created = _issue(2, {"summary": "Chaos 122", "labels": ["a"]}, status="todo")
    base = base_after_create(rules, status, source, created, {1: "work-sync", 2: "work-sync"},
                             since="2026-01-01T00:00:05.000+0000")
    assert base["1"] == {"summary|summary": "Chaos 122", "labels|labels": ["a"], "status": "open"}
    plan = for_link(rules, status, {1: source, 2: created}, base)
    assert plan.writes[2].fields == {"summary": "Renamed 131", "labels": ["a", "c"]} and not plan.writes[1]


def test_source_changes_the_create_already_carried_change_nothing():
    rules = [_rule("summary")]
    source = replace(_issue(1, {"summary": "Hi"}),
                     changes=(Change("summary", "2026-01-01T00:00:09.000+0000", "pat", None, "Hi"),))
    created = _issue(2, {"summary": "Hi"})
    base = base_after_create(rules, None, source, created, {}, since="2026-01-01T00:00:05.000+0000")
    assert for_link(rules, None, {1: source, 2: created}, base).empty


def test_a_linked_pair_syncs_its_status_with_its_fields():
    status = _status({1: {"open": "doing", "done": "todo"}, 2: {"doing": "open", "todo": "done"}})
    base = {"1": {"summary|summary": "Hi", "status": "done"}, "2": {"summary|summary": "Hi", "status": "todo"}}
    plan = for_link([_rule("summary")], status, {1: _issue(1, {"summary": "Hey"}, status="open"),
                                                 2: _issue(2, {"summary": "Hi"}, status="todo")}, base)
    assert (plan.writes[2].status, plan.writes[2].fields) == ("doing", {"summary": "Hey"}) and not plan.writes[1]
    assert plan.base["2"] == {"summary|summary": "Hey", "status": "doing"}


def _apply(issue, write):
    return replace(issue, fields={**issue.fields, **write.fields},
                   status_id=write.status if write.status is not None else issue.status_id)


texts = st.sampled_from(["", "a", "b", "c"])
labels = st.lists(st.sampled_from(["x", "y", "z"]), unique=True)


@given(base=st.one_of(st.none(), st.tuples(texts, labels)), now=st.tuples(texts, texts, labels, labels),
       times=st.tuples(st.integers(0, 9), st.integers(0, 9)))
def test_a_pair_agrees_after_one_sync_and_a_second_sync_changes_nothing(base, now, times):
    """From the first sync (no base) or the base the last sync left (both sides agreed), whatever either side did."""
    rules = [_rule("summary"), _rule("labels", kind="labels")]
    agreed = {} if base is None else {"summary|summary": base[0] or None, "labels|labels": sorted(base[1])}
    stored = {"1": dict(agreed), "2": dict(agreed)}
    issues = {side: _issue(side, {"summary": now[side - 1], "labels": now[side + 1]},
                           updated=f"2026-01-01T00:00:0{times[side - 1]}.000+0000") for side in (1, 2)}
    first = for_link(rules, None, issues, stored)
    synced = {side: _apply(issues[side], first.writes[side]) for side in (1, 2)}
    assert (synced[1].fields["summary"] or None) == (synced[2].fields["summary"] or None)
    assert set(synced[1].fields["labels"]) == set(synced[2].fields["labels"])
    again = for_link(rules, None, synced, first.base)
    assert again.empty and again.conflicts == []
