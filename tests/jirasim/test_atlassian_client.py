"""The real atlassian-python-api client works against the simulator."""
from __future__ import annotations

import pytest
from atlassian import Jira

from tests.support.eventually import eventually


@pytest.fixture
def jira(shared_simulator):
    return Jira(url=shared_simulator.site_url("globex"), username="pat@acme.example.com", password="token",
                cloud=True)


def test_client_round_trip(jira, tmp_path):
    assert jira.myself()["displayName"] == "Pat Project"
    created = jira.issue_create(fields={"project": {"key": "GLOBEX"}, "issuetype": {"name": "Task"},
                                        "summary": "From the client", "description": "plain text in v2"})
    key = created["key"]
    assert jira.get_issue(key)["fields"]["description"] == "plain text in v2"

    jira.update_issue_field(key, {"summary": "Edited by the client", "labels": ["synced"]})
    assert jira.issue(key, fields="summary,labels")["fields"] == {"summary": "Edited by the client",
                                                                  "labels": ["synced"]}

    jira.set_issue_status(key, "In Progress")
    assert jira.get_issue(key, fields="status")["fields"]["status"]["name"] == "In Progress"
    assert jira.get_issue_transitions(key)[0]["to"] in ("Closed", "To Do")  # globex calls "Done" "Closed"

    comment = jira.issue_add_comment(key, "A comment from the client")
    assert comment["body"] == "A comment from the client"

    jira.set_issue_property(key, "work-sync", {"origin": "ACME-1"})
    assert jira.get_issue_property(key, "work-sync")["value"] == {"origin": "ACME-1"}

    file = tmp_path / "report.txt"
    file.write_bytes(b"report body")
    attached = jira.add_attachment(key, str(file))
    assert attached[0]["filename"] == "report.txt" and attached[0]["size"] == 11

    # Search is eventually consistent: the issue shows up, edited, once the index has caught up with the writes.
    found = eventually(lambda: jira.enhanced_jql(f"key = {key}", fields="summary,status")["issues"])
    assert [i["key"] for i in found] == [key]
    assert jira.enhanced_jql(f"key = {key}", fields="summary")["isLast"] is True
    eventually(lambda: jira.jql(f"project = GLOBEX AND key = {key}", fields=["summary"])["issues"][0]["fields"]
               ["summary"] == "Edited by the client")
