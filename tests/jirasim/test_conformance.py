"""Every implemented v3 operation, called over HTTP, conforms to Atlassian's reference OpenAPI description."""
from __future__ import annotations

import re

import pytest

from jirasim import adf
from tests.jirasim.conformance import check

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$")


def url(session, path):
    return session.base + "/rest/api/3/" + path


@pytest.mark.parametrize("path", [
    "serverInfo", "myself", "project", "project/search", "project/ACME", "project/ACME/statuses", "issuetype",
    "issue/createmeta/ACME/issuetypes", "issue/createmeta/ACME/issuetypes/10001", "field", "priority", "status",
    "issue/ACME-1", "issue/ACME-1?expand=changelog,names,renderedFields&fields=*all", "issue/ACME-1/transitions",
    "issue/ACME-1/comment", "issue/ACME-1/changelog", "issue/ACME-1/properties",
    "mypermissions?permissions=BROWSE_PROJECTS,ADMINISTER&projectKey=ACME", "user/search?query=dev",
    "search/jql?jql=project%20%3D%20ACME%20ORDER%20BY%20key&fields=*all&maxResults=2",
])
def test_read_operations_conform(openapi, alice, path):
    response = check(openapi, alice.get(url(alice, path)))
    assert response.status_code == 200


def test_issue_lifecycle_conforms_and_carries_the_fields_the_app_uses(openapi, alice, shared_simulator):
    created = check(openapi, alice.post(url(alice, "issue"), json={"fields": {
        "project": {"key": "ACME"}, "issuetype": {"id": "10001"}, "summary": "Conformance",
        "description": adf.from_text("Hello"), "labels": ["sync"], "customfield_10004": {"value": "Major"}},
        "properties": [{"key": "origin", "value": {"site": "globex", "key": "GLOBEX-9"}}]}))
    assert created.status_code == 201
    key, issue_id = created.json()["key"], created.json()["id"]
    assert key.startswith("ACME-") and issue_id.isdigit()

    edited = check(openapi, alice.put(url(alice, f"issue/{key}"), json={
        "fields": {"summary": "Conformance (edited)"}, "update": {"labels": [{"add": "two"}, {"remove": "sync"}]}}))
    assert edited.status_code == 204
    transitions = check(openapi, alice.get(url(alice, f"issue/{key}/transitions"))).json()["transitions"]
    assert {t["id"] for t in transitions} == {"21", "41"}
    assert check(openapi, alice.post(url(alice, f"issue/{key}/transitions"),
                                     json={"transition": {"id": "21"}})).status_code == 204

    issue = check(openapi, alice.get(url(alice, f"issue/{key}?expand=changelog&properties=origin"))).json()
    assert issue["fields"]["summary"] == "Conformance (edited)"
    assert issue["fields"]["labels"] == ["two"]
    assert issue["fields"]["status"]["id"] == "3"
    assert issue["fields"]["customfield_10004"]["value"] == "Major"
    assert TIMESTAMP.match(issue["fields"]["updated"])
    assert issue["properties"]["origin"]["key"] == "GLOBEX-9"
    items = [i for h in issue["changelog"]["histories"] for i in h["items"]]
    assert {"field": "status", "fieldtype": "jira", "fieldId": "status", "from": "10000", "fromString": "To Do",
            "to": "3", "toString": "In Progress"} in items
    assert any(i["fieldId"] == "summary" and i["toString"] == "Conformance (edited)" for i in items)

    log = check(openapi, alice.get(url(alice, f"issue/{key}/changelog"))).json()
    assert log["total"] >= 2 and log["isLast"] is True
    bulk_log = check(openapi, alice.post(url(alice, "changelog/bulkfetch"),
                                         json={"issueIdsOrKeys": [key], "fieldIds": ["status"]})).json()
    assert bulk_log["issueChangeLogs"][0]["issueId"] == issue_id
    assert bulk_log["issueChangeLogs"][0]["changeHistories"][0]["items"][0]["fieldId"] == "status"

    comment = check(openapi, alice.post(url(alice, f"issue/{key}/comment"), json={
        "body": adf.from_text("A comment"), "visibility": {"type": "role", "value": "Administrators"}}))
    assert comment.status_code == 201
    comment_id = comment.json()["id"]
    assert comment.json()["visibility"]["value"] == "Administrators"
    check(openapi, alice.get(url(alice, f"issue/{key}/comment/{comment_id}")))
    updated = check(openapi, alice.put(url(alice, f"issue/{key}/comment/{comment_id}"),
                                       json={"body": adf.from_text("Edited")})).json()
    assert adf.to_text(updated["body"]) == "Edited"
    assert check(openapi, alice.delete(url(alice, f"issue/{key}/comment/{comment_id}"))).status_code == 204

    prop = check(openapi, alice.put(url(alice, f"issue/{key}/properties/sync.state"), json={"rev": 3}))
    assert prop.status_code == 201
    assert check(openapi, alice.get(url(alice, f"issue/{key}/properties/sync.state"))).json() == {
        "key": "sync.state", "value": {"rev": 3}}
    keys = check(openapi, alice.get(url(alice, f"issue/{key}/properties"))).json()["keys"]
    assert {k["key"] for k in keys} == {"origin", "sync.state"}
    assert check(openapi, alice.delete(url(alice, f"issue/{key}/properties/sync.state"))).status_code == 204

    link = check(openapi, alice.post(url(alice, f"issue/{key}/remotelink"), json={
        "globalId": "work-sync:globex:10001", "object": {"url": "https://x.test/GLOBEX-1", "title": "GLOBEX-1"}}))
    assert link.status_code == 201
    # Without globalId Jira answers a JSON array, although the reference declares one RemoteIssueLink object;
    # with globalId the single object conforms.
    links = alice.get(url(alice, f"issue/{key}/remotelink")).json()
    assert [x["globalId"] for x in links] == ["work-sync:globex:10001"]
    one = check(openapi, alice.get(url(alice, f"issue/{key}/remotelink?globalId=work-sync:globex:10001"))).json()
    assert one["object"]["title"] == "GLOBEX-1"
    assert check(openapi, alice.delete(url(alice, f"issue/{key}/remotelink/{link.json()['id']}"))).status_code == 204

    attached = check(openapi, alice.post(url(alice, f"issue/{key}/attachments"),
                                         headers={"X-Atlassian-Token": "no-check"},
                                         files={"file": ("notes.txt", b"hello world", "text/plain")}),
                     request_body=False)
    meta = attached.json()[0]
    assert meta["filename"] == "notes.txt" and meta["size"] == 11 and meta["mimeType"] == "text/plain"
    check(openapi, alice.get(url(alice, f"attachment/{meta['id']}")))
    assert alice.get(url(alice, f"attachment/content/{meta['id']}")).content == b"hello world"
    assert check(openapi, alice.delete(url(alice, f"attachment/{meta['id']}"))).status_code == 204

    found = check(openapi, alice.post(url(alice, "search/jql"), json={  # just written: reconcile, as Jira asks
        "jql": f"key = {key}", "fields": ["summary", "updated", "status"], "properties": ["origin"],
        "reconcileIssues": [int(issue_id)]})).json()
    assert found["isLast"] is True and found["issues"][0]["key"] == key
    assert found["issues"][0]["properties"]["origin"]["site"] == "globex"

    fetched = check(openapi, alice.post(url(alice, "issue/bulkfetch"), json={
        "issueIdsOrKeys": [key, "ACME-99999"], "fields": ["summary"]})).json()
    assert [i["key"] for i in fetched["issues"]] == [key]
    assert fetched["issueErrors"][0]["id"] == "ACME-99999"

    assert check(openapi, alice.delete(url(alice, f"issue/{key}"))).status_code == 204
    assert check(openapi, alice.get(url(alice, f"issue/{key}"))).status_code == 404


def test_bulk_create_reports_partial_errors(openapi, alice):
    good = {"fields": {"project": {"key": "ACME"}, "issuetype": {"name": "Bug"}, "summary": "Bulk one"}}
    bad = {"fields": {"project": {"key": "ACME"}, "issuetype": {"name": "Bug"}}}
    response = check(openapi, alice.post(url(alice, "issue/bulk"), json={"issueUpdates": [good, bad]}))
    assert response.status_code == 201
    body = response.json()
    assert len(body["issues"]) == 1
    assert body["errors"][0]["failedElementNumber"] == 1
    assert body["errors"][0]["elementErrors"]["errors"]["summary"] == "You must specify a summary of the issue."
    none = check(openapi, alice.post(url(alice, "issue/bulk"), json={"issueUpdates": [bad]}))
    assert none.status_code == 400 and none.json()["issues"] == []


def test_permissions_check_and_users_conform(openapi, alice, shared_simulator):
    site = shared_simulator.site("acme")
    project = site.project("ACME")
    dev = site.user_by_email("dev@acme.example.com")
    body = {"accountId": dev.account_id, "globalPermissions": ["ADMINISTER"],
            "projectPermissions": [{"permissions": ["BROWSE_PROJECTS", "ADMINISTER_PROJECTS"],
                                    "projects": [int(project.id)]}]}
    grants = check(openapi, alice.post(url(alice, "permissions/check"), json=body)).json()
    assert grants["globalPermissions"] == []
    assert grants["projectPermissions"] == [{"permission": "BROWSE_PROJECTS", "projects": [int(project.id)],
                                             "issues": []}]
    user = check(openapi, alice.get(url(alice, f"user?accountId={dev.account_id}"))).json()
    assert user["displayName"] == "Dev Eloper" and "emailAddress" not in user


def test_assigning_and_unassigning_conform_and_a_user_who_cannot_be_assigned_is_refused(openapi, alice,
                                                                                      shared_simulator):
    dev = next(u for u in shared_simulator.site("acme").users.values() if u.email.startswith("dev@"))
    assigned = check(openapi, alice.put(url(alice, "issue/ACME-2/assignee"), json={"accountId": dev.account_id}))
    assert assigned.status_code == 204
    assert alice.get(url(alice, "issue/ACME-2")).json()["fields"]["assignee"]["accountId"] == dev.account_id
    # The operation's description says `null` unassigns, though its schema has a non-nullable accountId.
    unassigned = check(openapi, alice.put(url(alice, "issue/ACME-2/assignee"), json={"accountId": None}),
                       request_body=False)
    assert unassigned.status_code == 204
    assert alice.get(url(alice, "issue/ACME-2")).json()["fields"]["assignee"] is None
    refused = check(openapi, alice.put(url(alice, "issue/ACME-2/assignee"), json={"accountId": "nobody"}))
    assert refused.status_code == 400
    assert refused.json() == {"errorMessages": [], "errors": {"assignee": "User 'nobody' cannot be assigned issues."}}


def test_an_edit_that_returns_the_issue_expands_it_as_asked_with_the_changelog_of_that_edit(openapi, alice):
    key = alice.post(url(alice, "issue"), json={"fields": {"project": {"key": "ACME"}, "issuetype": {"id": "10001"},
                                                          "summary": "Before"}}).json()["key"]
    edited = check(openapi, alice.put(url(alice, f"issue/{key}?returnIssue=true&expand=changelog"),
                                      json={"fields": {"summary": "After"}}))
    assert edited.status_code == 200 and edited.json()["fields"]["summary"] == "After"
    (newest, *_) = edited.json()["changelog"]["histories"]
    assert [(i["fieldId"], i["toString"]) for i in newest["items"]] == [("summary", "After")]
    assert newest["author"]["accountId"] == alice.get(url(alice, "myself")).json()["accountId"]
    plain = alice.put(url(alice, f"issue/{key}?returnIssue=true"), json={"fields": {"summary": "Again"}})
    assert "changelog" not in plain.json()
