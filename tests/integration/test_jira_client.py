"""JiraClient against the simulator: every call signed with a fresh JWT, Jira's failures as typed errors."""
import pytest
import requests

from jirasim import adf
from plugin.errors import NotFound, PermissionDenied, RateLimited, TransientError, ValidationError


def _fault(installed, **rule):
    response = requests.post(f"{installed.sim.base_url}/_sim/faults", json=rule)
    assert response.status_code == 201, response.text


def test_the_app_acts_as_its_own_app_user(installed):
    me = installed.client("acme").myself()
    assert me["accountType"] == "app"
    assert installed.client("acme").server_info()["baseUrl"] == installed.sim.site_url("acme")


def test_create_with_a_property_then_find_it_by_that_property(installed):
    client = installed.client("acme")
    fields = {"project": {"key": "ACME"}, "issuetype": {"id": "10001"}, "summary": "Synced",
              "description": adf.from_text("Body")}
    created = client.create_issue(fields, properties={"work-sync.marker": {"token": "g-1"}})
    assert client.get_property(created["key"], "work-sync.marker") == {"token": "g-1"}
    # Our descriptor indexes the marker (jiraEntityProperties), so Jira answers JQL on it.
    found = list(client.search('project = ACME AND issue.property[work-sync.marker].token = "g-1"', fields=["summary"],
                               reconcile=[int(created["id"])]))
    assert [(i["id"], i["fields"]["summary"]) for i in found] == [(created["id"], "Synced")]
    assert client.get_property(created["key"], "work-sync.other") is None


def test_edit_transition_comment_and_attachment_round_trip(installed):
    client = installed.client("acme")
    key = client.create_issue({"project": {"key": "ACME"}, "issuetype": {"id": "10001"}, "summary": "Old"})["key"]
    client.update_issue(key, fields={"summary": "New"}, update={"labels": [{"add": "synced"}]})
    transition = next(t for t in client.transitions(key) if t["to"]["name"] == "In Progress")
    client.transition(key, transition["id"])
    client.add_comment(key, adf.from_text("A comment"))
    (attachment,) = client.add_attachment(key, "notes.txt", b"hello", "text/plain")
    issue = client.get_issue(key, fields=["summary", "labels", "status", "comment"])
    assert issue["fields"]["summary"] == "New" and "synced" in issue["fields"]["labels"]
    assert issue["fields"]["status"]["name"] == "In Progress"
    assert client.attachment_content(str(attachment["id"])) == b"hello"


def test_bulk_fetch_reports_missing_issues(installed):
    client = installed.client("acme")
    result = client.bulk_fetch(["ACME-1", "ACME-999"], fields=["summary"])
    assert [i["key"] for i in result["issues"]] == ["ACME-1"]
    assert result["issueErrors"]


def test_paging_through_search_returns_every_issue_once(installed):
    client = installed.client("acme")
    created = [client.create_issue({"project": {"key": "ACME"}, "issuetype": {"id": "10001"}, "summary": f"Bulk {n}"})
               for n in range(7)]
    fresh = [int(c["id"]) for c in created]  # search is eventually consistent: name what was just written
    keys = [i["key"] for i in client.search("project = ACME ORDER BY key ASC", fields=["summary"], page_size=3,
                                            reconcile=fresh)]
    assert len(keys) == len(set(keys)) == 10


def test_missing_issue_is_not_found(installed):
    with pytest.raises(NotFound):
        installed.client("acme").get_issue("ACME-4242")


def test_validation_errors_carry_jiras_field_messages(installed):
    with pytest.raises(ValidationError) as caught:
        installed.client("acme").create_issue({"project": {"key": "ACME"}, "issuetype": {"id": "10001"}})
    assert "summary" in caught.value.details["errors"]


def test_an_operation_outside_our_scopes_is_a_permission_error(installed):
    # Deleting a custom field needs the ADMIN scope, which Work Sync never asks for.
    with pytest.raises(PermissionDenied):
        installed.client("acme")._call("DELETE", "rest/api/3/field/customfield_10001", operation="delete a field")


def test_429_becomes_rate_limited_with_jiras_retry_after(installed):
    _fault(installed, kind="rate_limit", site="acme", count=1, retry_after=7)
    with pytest.raises(RateLimited) as caught:
        installed.client("acme").myself()
    assert caught.value.retry_after == 7
    assert installed.client("acme").myself()["accountType"] == "app"


def test_5xx_and_unreachable_sites_are_transient(installed):
    _fault(installed, kind="error", site="acme", count=1, status=503)
    with pytest.raises(TransientError):
        installed.client("acme").myself()
    from plugin.jira import JiraClient

    with pytest.raises(TransientError):
        JiraClient("http://127.0.0.1:9/nowhere", "work-sync", "s" * 32, timeout=2).myself()


def test_permission_check_tells_project_admins_from_plain_users(installed):
    client = installed.client("acme")
    project_id = client.project("ACME")["id"]
    other_id = client.project("SUP")["id"]
    asked = dict(project_permissions={"ADMINISTER_PROJECTS": [project_id, other_id]}, global_permissions=["ADMINISTER"])
    pat = client.check_permissions(installed.user("acme", "pat").account_id, **asked)
    assert (pat.global_permissions, pat.projects) == (set(), {"ADMINISTER_PROJECTS": {project_id, other_id}})
    dev = client.check_permissions(installed.user("acme", "dev").account_id, **asked)
    assert (dev.global_permissions, dev.projects) == (set(), {})
    alice = client.check_permissions(installed.user("acme", "alice").account_id, **asked)
    assert alice.global_permissions == {"ADMINISTER"}
