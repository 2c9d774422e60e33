"""Authentication, permissions and Jira's error shapes and status codes."""
from __future__ import annotations

import requests

from jirasim import adf


def test_no_credentials_and_unknown_users_get_401(shared_simulator):
    base = shared_simulator.site_url("acme") + "/rest/api/3"
    anonymous = requests.get(base + "/myself")
    assert anonymous.status_code == 401
    assert anonymous.json()["errorMessages"][0].startswith("You are not authenticated")
    assert requests.get(base + "/myself", auth=("nobody@acme.example.com", "t")).status_code == 401
    assert requests.get(base + "/serverInfo").status_code == 200
    jwt = requests.get(base + "/myself", headers={"Authorization": "JWT not-a-token"})
    assert jwt.status_code == 401 and jwt.json()["errorMessages"]


def test_issue_in_project_you_cannot_browse_is_404(shared_simulator, alice):
    site = shared_simulator.site("acme")
    with shared_simulator.world.lock:
        guest = site.add_user("guest", "Gus Guest", "guest@acme.example.com")
        for project in site.projects.values():
            project.grants[guest.account_id] = set()
    response = requests.get(alice.base + "/rest/api/3/issue/ACME-1", auth=("guest@acme.example.com", "t"))
    assert response.status_code == 404
    assert response.json() == {"errorMessages": ["Issue does not exist or you do not have permission to see it."],
                               "errors": {}}
    assert requests.get(alice.base + "/rest/api/3/project", auth=("guest@acme.example.com", "t")).json() == []


def test_plain_user_cannot_delete_issues_but_can_edit(dev):
    assert dev.delete(dev.base + "/rest/api/3/issue/ACME-3").status_code == 403
    edit = {"update": {"labels": [{"add": "dev"}]}}
    assert dev.put(dev.base + "/rest/api/3/issue/ACME-3", json=edit).status_code == 204


def test_validation_errors_are_field_errors(alice):
    missing = alice.post(alice.base + "/rest/api/3/issue", json={"fields": {
        "project": {"key": "ACME"}, "issuetype": {"name": "Task"}}})
    assert missing.status_code == 400
    assert missing.json() == {"errorMessages": [], "errors": {"summary": "You must specify a summary of the issue."}}
    unknown = alice.put(alice.base + "/rest/api/3/issue/ACME-1", json={"fields": {"colour": "red"}})
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {
        "colour": "Field 'colour' cannot be set. It is not on the appropriate screen, or unknown."}
    not_adf = alice.put(alice.base + "/rest/api/3/issue/ACME-1", json={"fields": {"description": "plain"}})
    assert not_adf.status_code == 400 and "Atlassian Document" in not_adf.json()["errors"]["description"]
    plain_v2 = alice.put(alice.base + "/rest/api/2/issue/ACME-1", json={"fields": {"description": "plain"}})
    assert plain_v2.status_code == 204
    assert alice.get(alice.base + "/rest/api/3/issue/ACME-1").json()["fields"]["description"] == adf.from_text("plain")


def test_invalid_transition_is_400(alice):
    response = alice.post(alice.base + "/rest/api/3/issue/SUP-3/transitions", json={"transition": {"id": "31"}})
    assert response.status_code == 400
    assert response.json()["errorMessages"] == ["Transition id '31' is not valid for this issue."]


def test_attachment_needs_xsrf_header_and_respects_the_size_limit(shared_simulator, alice):
    url = alice.base + "/rest/api/3/issue/ACME-2/attachments"
    no_header = alice.post(url, files={"file": ("a.txt", b"x")})
    assert no_header.status_code == 403 and no_header.json()["errorMessages"] == ["XSRF check failed"]
    shared_simulator.site("acme").attachment_limit = 10
    try:
        big = alice.post(url, files={"file": ("a.txt", b"x" * 11)}, headers={"X-Atlassian-Token": "no-check"})
    finally:
        shared_simulator.site("acme").attachment_limit = 10 * 1024 * 1024
    assert big.status_code == 413


def test_property_size_limit(alice):
    big = alice.put(alice.base + "/rest/api/3/issue/ACME-2/properties/big", json={"data": "x" * 33000})
    assert big.status_code == 400 and "32768" in big.json()["errorMessages"][0]
    assert alice.get(alice.base + "/rest/api/3/issue/ACME-2/properties/big").status_code == 404


def test_app_user_has_project_permissions_but_not_administer(shared_simulator):
    site = shared_simulator.site("acme")
    app_user = site.add_app_user("work-sync")
    assert site.add_app_user("work-sync") is app_user
    assert app_user.account_type == "app"
    assert "ADMINISTER" not in site.global_permissions(app_user)
    assert all(site.can(app_user, "DELETE_ISSUES", p) for p in site.projects.values())


def test_calls_are_counted_per_operation_and_logged(shared_simulator, alice):
    alice.get(alice.base + "/rest/api/3/issue/ACME-1")
    assert shared_simulator.world.calls[("acme", "GET", "/rest/api/3/issue/{issueIdOrKey}")] >= 1
    last = shared_simulator.world.request_log[-1]
    assert last["site"] == "acme" and last["status"] == 200 and last["path"] == "/acme/rest/api/3/issue/ACME-1"


def test_writes_emit_webhook_payloads(shared_simulator, alice):
    seen = []
    shared_simulator.world.listeners.append(lambda site, payload: seen.append((site.name, payload)))
    try:
        alice.put(alice.base + "/rest/api/3/issue/ACME-1", json={"fields": {"summary": "Webhook me"}})
        alice.post(alice.base + "/rest/api/3/issue/ACME-1/comment", json={"body": adf.from_text("hi")})
    finally:
        shared_simulator.world.listeners.pop()
    events = [p["webhookEvent"] for _, p in seen]
    assert events[0] == "jira:issue_updated" and "comment_created" in events
    updated = seen[0][1]
    assert updated["issue"]["key"] == "ACME-1" and updated["issue"]["fields"]["summary"] == "Webhook me"
    assert updated["changelog"]["items"][0]["fieldId"] == "summary"
    assert updated["user"]["displayName"] == "Alice Admin"
    comment = next(p for _, p in seen if p["webhookEvent"] == "comment_created")
    assert comment["comment"]["body"] == "hi"
