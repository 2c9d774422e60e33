"""Webhook payloads in Jira's shapes, the events of property and attachment writes, and writes that change nothing."""
from __future__ import annotations

import pytest

from jirasim import adf
from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for

SLIM_FIELDS = {"summary", "issuetype", "project", "assignee", "priority", "status"}


@pytest.fixture
def alice(simulator):
    """Alice Admin on acme of a fresh simulator."""
    return session_for(simulator, "acme", "alice")


@pytest.fixture
def payloads(simulator):
    """Every event payload the fresh simulator emits from now on."""
    seen: list[dict] = []
    simulator.world.listeners.append(lambda site, payload: seen.append(payload))
    return seen


def url(session, path):
    return session.base + "/rest/api/3/" + path


def of(payloads, event):
    return [p for p in payloads if p["webhookEvent"] == event]


def transition_id(session, key, name):
    listed = session.get(url(session, f"issue/{key}/transitions")).json()["transitions"]
    return next(t["id"] for t in listed if t["name"] == name)


def account_of(simulator, handle):
    return simulator.site("acme").user_by_email(f"{handle}@acme.example.com").account_id


def test_comment_events_carry_only_the_comment_and_a_slim_issue(openapi, alice, payloads):
    check(openapi, alice.post(url(alice, "issue/ACME-1/comment"), json={"body": adf.from_text("Slim")}))
    (created,) = of(payloads, "comment_created")
    assert set(created) == {"timestamp", "webhookEvent", "comment", "issue"}
    assert set(created["issue"]["fields"]) == SLIM_FIELDS
    assert created["issue"]["key"] == "ACME-1" and created["comment"]["body"] == "Slim"
    (updated,) = of(payloads, "jira:issue_updated")
    assert updated["issue_event_type_name"] == "issue_commented" and updated["user"]["displayName"] == "Alice Admin"


def test_issue_created_carries_a_changelog_of_the_initial_values(openapi, alice, payloads, simulator):
    dev = account_of(simulator, "dev")
    check(openapi, alice.post(url(alice, "issue"), json={"fields": {
        "project": {"key": "ACME"}, "issuetype": {"name": "Task"}, "summary": "Born", "assignee": {"accountId": dev},
        "labels": ["one", "two"]}}))
    (created,) = of(payloads, "jira:issue_created")
    items = {i["fieldId"]: i for i in created["changelog"]["items"]}
    assert created["changelog"]["id"]
    assert items["summary"]["from"] is None and items["summary"]["toString"] == "Born"
    assert items["labels"]["toString"] == "one two"
    assert items["status"]["toString"] == "To Do"
    assert items["assignee"]["tmpFromAccountId"] is None and items["assignee"]["tmpToAccountId"] == dev
    assert items["reporter"]["tmpToAccountId"] == account_of(simulator, "alice")
    assert "description" not in items and "project" not in items


def test_user_changes_carry_tmp_account_ids_in_webhooks_only(openapi, alice, payloads, simulator):
    dev = account_of(simulator, "dev")
    check(openapi, alice.put(url(alice, "issue/ACME-1/assignee"), json={"accountId": dev}))
    (item,) = of(payloads, "jira:issue_updated")[0]["changelog"]["items"]
    assert item == {"field": "assignee", "fieldtype": "jira", "fieldId": "assignee", "from": None, "fromString": None,
                    "to": dev, "toString": "Dev Eloper", "tmpFromAccountId": None, "tmpToAccountId": dev}
    history = check(openapi, alice.get(url(alice, "issue/ACME-1/changelog"))).json()["values"][-1]
    assert history["items"] == [{"field": "assignee", "fieldtype": "jira", "fieldId": "assignee", "to": dev,
                                 "toString": "Dev Eloper"}]


def test_history_metadata_of_edits_and_transitions_is_returned_by_the_changelog(openapi, alice):
    metadata = {"type": "work-sync", "description": "Synchronized from GLOBEX-7",
                "actor": {"id": "work-sync", "type": "application", "displayName": "Work Sync"},
                "extraData": {"origin": "globex"}}
    start = transition_id(alice, "ACME-2", "Start Progress")
    check(openapi, alice.put(url(alice, "issue/ACME-2"), json={"fields": {"summary": "Synced"},
                                                               "historyMetadata": metadata}))
    check(openapi, alice.post(url(alice, "issue/ACME-2/transitions"), json={"transition": {"id": start},
                                                                            "historyMetadata": metadata}))
    values = check(openapi, alice.get(url(alice, "issue/ACME-2/changelog"))).json()["values"]
    assert [v["historyMetadata"] for v in values] == [metadata, metadata]
    expanded = check(openapi, alice.get(url(alice, "issue/ACME-2?expand=changelog"))).json()["changelog"]
    assert expanded["histories"][0]["historyMetadata"] == metadata
    bulk = check(openapi, alice.post(url(alice, "changelog/bulkfetch"), json={"issueIdsOrKeys": ["ACME-2"]})).json()
    assert bulk["issueChangeLogs"][0]["changeHistories"][0]["historyMetadata"] == metadata
    refused = check(openapi, alice.put(url(alice, "issue/ACME-2"), json={"fields": {"summary": "x"},
                                                                         "historyMetadata": "nope"}),
                    request_body=False)
    assert refused.status_code == 400 and "historyMetadata" in refused.json()["errors"]


def test_issue_events_include_the_attachments(openapi, alice, payloads):
    check(openapi, alice.post(url(alice, "issue/ACME-1/attachments"), headers={"X-Atlassian-Token": "no-check"},
                              files={"file": ("notes.txt", b"hello", "text/plain")}), request_body=False)
    check(openapi, alice.put(url(alice, "issue/ACME-1"), json={"fields": {"summary": "With a file"}}))
    updated = of(payloads, "jira:issue_updated")[-1]
    assert [a["filename"] for a in updated["issue"]["fields"]["attachment"]] == ["notes.txt"]


def test_property_writes_send_property_events(openapi, alice, payloads):
    check(openapi, alice.put(url(alice, "issue/ACME-1/properties/sync.state"), json={"rev": 1}))
    check(openapi, alice.delete(url(alice, "issue/ACME-1/properties/sync.state")))
    (was_set,) = of(payloads, "issue_property_set")
    assert was_set["property"] == {"key": "sync.state", "value": {"rev": 1}}
    assert was_set["issue"]["key"] == "ACME-1" and was_set["user"]["displayName"] == "Alice Admin"
    (deleted,) = of(payloads, "issue_property_deleted")
    assert deleted["property"] == {"key": "sync.state"} and deleted["issue"]["key"] == "ACME-1"
    assert of(payloads, "jira:issue_updated") == []


def test_attachment_writes_send_attachment_events_without_the_issue(openapi, alice, payloads):
    added = check(openapi, alice.post(url(alice, "issue/ACME-1/attachments"),
                                      headers={"X-Atlassian-Token": "no-check"},
                                      files={"file": ("a.txt", b"abc", "text/plain")}), request_body=False).json()
    check(openapi, alice.delete(url(alice, f"attachment/{added[0]['id']}")))
    (created,) = of(payloads, "attachment_created")
    (deleted,) = of(payloads, "attachment_deleted")
    assert set(created) == set(deleted) == {"timestamp", "webhookEvent", "attachment"}
    assert created["attachment"]["id"] == deleted["attachment"]["id"] == added[0]["id"]
    assert created["attachment"]["filename"] == "a.txt" and created["attachment"]["size"] == 3
    assert [p["changelog"]["items"][0]["fieldId"] for p in of(payloads, "jira:issue_updated")] == ["attachment"] * 2


def test_an_edit_that_changes_nothing_leaves_no_trace(openapi, alice, payloads, simulator):
    before = check(openapi, alice.get(url(alice, "issue/ACME-2?expand=changelog"))).json()
    fields = before["fields"]
    same = {"summary": fields["summary"], "priority": {"id": fields["priority"]["id"]}}
    assert fields["labels"] == ["frontend", "urgent"] and fields["assignee"] is None
    assert check(openapi, alice.put(url(alice, "issue/ACME-2"), json={
        "fields": same, "update": {"labels": [{"add": "urgent"}, {"remove": "absent"}]}})).status_code == 204
    unassigned = alice.put(url(alice, "issue/ACME-2/assignee"), json={"accountId": None})
    assert check(openapi, unassigned, request_body=False).status_code == 204
    after = alice.get(url(alice, "issue/ACME-2?expand=changelog")).json()
    assert after["fields"]["updated"] == fields["updated"]
    assert after["changelog"]["total"] == before["changelog"]["total"]
    assert payloads == []


def test_deleting_an_issue_sends_its_comments_attachments_and_links_after_the_deletion(openapi, alice, payloads):
    comment = alice.post(url(alice, "issue/ACME-3/comment"), json={"body": adf.from_text("bye")}).json()
    attached = alice.post(url(alice, "issue/ACME-3/attachments"), headers={"X-Atlassian-Token": "no-check"},
                          files={"file": ("x.txt", b"x", "text/plain")}).json()
    alice.post(url(alice, "issueLink"), json={"type": {"name": "Relates"}, "inwardIssue": {"key": "ACME-3"},
                                              "outwardIssue": {"key": "ACME-1"}})
    link_id = alice.get(url(alice, "issue/ACME-1")).json()["fields"]["issuelinks"][0]["id"]
    payloads.clear()
    assert check(openapi, alice.delete(url(alice, "issue/ACME-3"))).status_code == 204
    assert [p["webhookEvent"] for p in payloads] == ["jira:issue_deleted", "comment_deleted", "attachment_deleted",
                                                     "issuelink_deleted"]
    assert payloads[1]["comment"]["id"] == comment["id"] and payloads[1]["issue"]["key"] == "ACME-3"
    assert payloads[2]["attachment"]["id"] == attached[0]["id"]
    assert payloads[3]["issueLink"]["id"] == int(link_id)
    assert alice.get(url(alice, "issue/ACME-1")).json()["fields"]["issuelinks"] == []
    assert alice.get(url(alice, f"issueLink/{link_id}")).status_code == 404
