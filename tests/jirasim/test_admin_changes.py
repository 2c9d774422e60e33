"""What a Jira admin changes that can break a synchronization: a project permission taken from someone (the
`/_sim` control of the permission scheme) and a status removed from the workflows."""
import pytest
import requests

from jirasim.store.defaults import CATEGORIES, DEFAULT_WORKFLOW
from jirasim.store.entities import Transition
from tests.jirasim.conftest import session_for


def _permissions(simulator, site, project, **body):
    return requests.post(f"{simulator.base_url}/_sim/sites/{site}/projects/{project}/permissions", json=body,
                         timeout=10)


def _check(session, permission: str, project_id: str) -> list:
    body = {"projectPermissions": [{"permissions": [permission], "projects": [int(project_id)]}]}
    return session.post(f"{session.base}/rest/api/3/permissions/check", json=body).json()["projectPermissions"]


def test_a_permission_revoked_in_the_scheme_is_gone_from_checks_and_refused_until_granted_again(simulator):
    dev = session_for(simulator, "acme", "dev")
    project = simulator.site("acme").project("ACME")
    account = next(u for u in simulator.site("acme").users.values() if u.email.startswith("dev@")).account_id
    revoked = _permissions(simulator, "acme", "ACME", accountId=account, revoke=["EDIT_ISSUES"])
    assert revoked.status_code == 200 and "EDIT_ISSUES" not in revoked.json()["permissions"]
    assert _check(dev, "EDIT_ISSUES", project.id) == []
    assert dev.put(f"{dev.base}/rest/api/3/issue/ACME-1", json={"fields": {"summary": "No"}}).status_code == 403
    assert _permissions(simulator, "acme", "ACME", accountId=account, grant=["EDIT_ISSUES"]).status_code == 200
    assert dev.put(f"{dev.base}/rest/api/3/issue/ACME-1", json={"fields": {"summary": "Yes"}}).status_code == 204


@pytest.mark.parametrize("body, status", [
    ({"accountId": "nobody", "revoke": ["EDIT_ISSUES"]}, 404),
    ({"app": "not-installed", "revoke": ["EDIT_ISSUES"]}, 404),
    ({"accountId": "x", "revoke": ["FLY"]}, 400),
])
def test_the_permission_control_refuses_unknown_people_and_permissions(simulator, body, status):
    assert _permissions(simulator, "acme", "ACME", **body).status_code == status


def test_a_removed_status_leaves_the_workflows_and_the_project_statuses(simulator):
    site, alice = simulator.site("acme"), session_for(simulator, "acme", "alice")
    with site.world.lock:
        blocked = site.add_status("Blocked", CATEGORIES["indeterminate"])
        workflow = site.workflows[DEFAULT_WORKFLOW]
        workflow.status_ids = (*workflow.status_ids, blocked.id)
        workflow.transitions += [Transition("91", "Block", blocked.id),
                                 Transition("92", "Unblock", workflow.status_ids[0], (blocked.id,))]

    def names():
        types = alice.get(f"{alice.base}/rest/api/3/project/ACME/statuses").json()
        return {status["name"] for issue_type in types for status in issue_type["statuses"]}

    assert "Blocked" in names()
    assert alice.post(f"{alice.base}/rest/api/3/issue/ACME-1/transitions", json={"transition": {"id": "91"}}
                      ).status_code == 204
    with site.world.lock, pytest.raises(ValueError, match="move them"):
        site.remove_status(blocked.id)
    assert alice.post(f"{alice.base}/rest/api/3/issue/ACME-1/transitions", json={"transition": {"id": "92"}}
                      ).status_code == 204
    with site.world.lock:
        site.remove_status(blocked.id)
    assert "Blocked" not in names()
    transitions = alice.get(f"{alice.base}/rest/api/3/issue/ACME-2/transitions").json()["transitions"]
    assert {"91", "92"}.isdisjoint({t["id"] for t in transitions}) and transitions
