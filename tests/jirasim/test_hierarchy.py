"""Hierarchy in the simulator, shaped as Jira's OpenAPI says: issue types with `hierarchyLevel` (sub-task -1,
standard 0, epic 1), the `parent` field on create, edit and read (with its changelog item), a sub-task without a
parent refused, and JQL `parent = X`."""
from __future__ import annotations

import pytest

from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


@pytest.fixture
def alice(simulator):
    return session_for(simulator, "acme", "alice")


def url(session, path):
    return session.base + "/rest/api/3/" + path


def _types(openapi, session):
    project = check(openapi, session.get(url(session, "project/ACME"))).json()
    return {t["name"]: t for t in project["issueTypes"]}


def _create(session, summary, type_id, **fields):
    return session.post(url(session, "issue"), json={"fields": {"project": {"key": "ACME"}, "summary": summary,
                                                                "issuetype": {"id": type_id}, **fields}})


def test_issue_types_say_their_hierarchy_level(openapi, alice):
    types = _types(openapi, alice)
    assert (types["Sub-task"]["subtask"], types["Sub-task"]["hierarchyLevel"]) == (True, -1)
    assert (types["Task"]["hierarchyLevel"], types["Epic"]["hierarchyLevel"]) == (0, 1)
    listed = check(openapi, alice.get(url(alice, "issuetype"))).json()
    levels = {t["name"]: t["hierarchyLevel"] for t in listed}
    assert (levels["Sub-task"], levels["Task"], levels["Epic"]) == (-1, 0, 1)


def test_a_sub_task_is_created_with_its_parent_and_reads_it_back(openapi, alice):
    types = _types(openapi, alice)
    parent = check(openapi, _create(alice, "Parent", types["Task"]["id"])).json()
    made = check(openapi, _create(alice, "Child", types["Sub-task"]["id"], parent={"key": parent["key"]}))
    assert made.status_code == 201
    child = check(openapi, alice.get(url(alice, f"issue/{made.json()['key']}?fields=parent,issuetype"))).json()
    assert child["fields"]["parent"]["id"] == parent["id"] and child["fields"]["parent"]["key"] == parent["key"]
    assert child["fields"]["parent"]["fields"]["summary"] == "Parent"


def test_a_sub_task_without_a_parent_is_refused(openapi, alice):
    refused = check(openapi, _create(alice, "Orphan", _types(openapi, alice)["Sub-task"]["id"]))
    assert refused.status_code == 400 and "parent" in refused.json()["errors"]


def test_a_move_to_another_parent_is_an_edit_with_a_changelog_item_and_jql_finds_children(openapi, alice):
    types = _types(openapi, alice)
    first, second = (check(openapi, _create(alice, name, types["Task"]["id"])).json() for name in ("One", "Two"))
    child = _create(alice, "Child", types["Sub-task"]["id"], parent={"id": first["id"]}).json()
    moved = check(openapi, alice.put(url(alice, f"issue/{child['key']}"),
                                     json={"fields": {"parent": {"key": second["key"]}}}))
    assert moved.status_code == 204
    read = check(openapi, alice.get(url(alice, f"issue/{child['key']}?fields=parent&expand=changelog"))).json()
    assert read["fields"]["parent"]["key"] == second["key"]
    items = [item for history in read["changelog"]["histories"] for item in history["items"]]
    assert any(item.get("fieldId") == "parent" and item.get("to") == second["id"] for item in items)
    found = check(openapi, alice.post(url(alice, "search/jql"), json={"jql": f"parent = {second['key']}",
                                                                      "fields": ["parent"],
                                                                      "reconcileIssues": [int(child["id"])]})
                  ).json()
    assert [issue["key"] for issue in found["issues"]] == [child["key"]]
    assert check(openapi, alice.post(url(alice, "search/jql"), json={"jql": f"parent = {first['key']}",
                                                                      "reconcileIssues": [int(child["id"])]})
                 ).json()["issues"] == []
