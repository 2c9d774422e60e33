"""Who may see and act on synchronizations: asked of Jira for the calling user, scoped to the calling site."""
import pytest
import requests

from tests.support.api import ApiUser
from tests.support.world import SIDE1_KINDS

pytestmark = SIDE1_KINDS


def _revoke_project_admin(installed, site: str, user: str, project: str) -> None:
    """Make `user` a plain member of `project` (as a Jira admin editing the permission scheme would)."""
    account = installed.user(site, user).account_id
    grants = installed.site(site).project(project).grants
    grants[account] = set(grants[account]) - {"ADMINISTER_PROJECTS"}


@pytest.fixture
def acme_sync(installed):
    """A same-site request ACME → SUP on acme, made by Pat."""
    return ApiUser(installed, "acme", "pat", project="ACME").request_sync("SUP", name="ACME to SUP")


def test_a_plain_user_gets_403_naming_the_missing_permission_on_list_and_actions(installed, acme_sync):
    dev = ApiUser(installed, "acme", "dev", project="ACME")
    listed = dev.get("/synchronizations", project="ACME")
    assert listed.status_code == 403 and "Administer Projects" in listed.json()["message"]
    assert listed.json()["missing"] == "ADMINISTER_PROJECTS"
    for method, path in (("GET", ""), ("POST", "/start"), ("PATCH", ""), ("DELETE", ""), ("GET", "/audit")):
        body = {} if method == "PATCH" else None
        response = dev.call(method, f"/synchronizations/{acme_sync['id']}{path}", json=body)
        assert response.status_code == 403, (method, path, response.text)
    created = dev.post("/synchronizations", {"name": "S", "mode": "review", "project": "ACME",
                                             "partner": {"project": "SUP"}})
    assert created.status_code == 403


def test_the_site_wide_list_needs_the_jira_admin_permission(installed, acme_sync):
    assert ApiUser(installed, "acme", "pat").get("/synchronizations").status_code == 403
    everything = ApiUser(installed, "acme", "alice").get("/synchronizations")
    assert everything.status_code == 200 and [s["id"] for s in everything.json()["synchronizations"]] == [
        acme_sync["id"]]


def test_a_token_from_the_acme_page_acts_on_sup_only_if_the_user_administers_sup(installed):
    sup_sync = ApiUser(installed, "acme", "pat", project="SUP").request_sync("GLOBEX", partner_site="globex")
    pat_on_acme_page = ApiUser(installed, "acme", "pat", project="ACME")
    assert pat_on_acme_page.get("/synchronizations", project="SUP").status_code == 200
    assert pat_on_acme_page.get(f"/synchronizations/{sup_sync['id']}").status_code == 200
    _revoke_project_admin(installed, "acme", "pat", "SUP")
    installed.live.runtime.permissions.forget()
    refused = pat_on_acme_page.get("/synchronizations", project="SUP")
    assert refused.status_code == 403 and "SUP" in refused.json()["message"]
    for method, path in (("GET", ""), ("PATCH", ""), ("DELETE", "")):
        response = pat_on_acme_page.call(method, f"/synchronizations/{sup_sync['id']}{path}",
                                         json={"name": "Taken over"} if method == "PATCH" else None)
        assert response.status_code == 403, (method, path)
    assert ApiUser(installed, "acme", "alice", project="ACME").get(
        f"/synchronizations/{sup_sync['id']}").status_code == 200  # a Jira admin may


def test_another_sites_ids_are_404_and_never_show_its_data(installed, acme_sync):
    globex_admin = ApiUser(installed, "globex", "alice")
    for method, path in (("GET", ""), ("POST", "/accept"), ("POST", "/start"), ("DELETE", ""), ("GET", "/audit")):
        response = globex_admin.call(method, f"/synchronizations/{acme_sync['id']}{path}")
        assert response.status_code == 404, (method, path)
        assert "ACME" not in response.text and "SUP" not in response.text
    assert globex_admin.get("/synchronizations").json()["total"] == 0
    bulk = globex_admin.post("/synchronizations/bulk", {"action": "start", "ids": [acme_sync["id"]]})
    assert bulk.status_code == 404


@pytest.mark.connect_only  # Connect context JWTs; a Forge FIT's refusals are tests/plugin/forge/test_fit.py
def test_a_call_without_a_valid_context_token_is_401(installed):
    url = f"{installed.live.base_url}/api/synchronizations"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers={"Authorization": "JWT not-a-token"}, timeout=10).status_code == 401


def test_on_one_site_the_admin_page_answers_as_side_2_and_the_project_page_as_its_project(installed, acme_sync):
    alice = ApiUser(installed, "acme", "alice")
    seen = alice.get(f"/synchronizations/{acme_sync['id']}").json()
    assert (seen["side"], seen["status"], seen["sameSite"]) == (1, "request_sent", True)
    assert "accept" in seen["actions"]
    sup_page = ApiUser(installed, "acme", "pat", project="SUP").get(f"/synchronizations/{acme_sync['id']}").json()
    assert (sup_page["side"], sup_page["status"], sup_page["project"]["key"]) == (2, "incoming_request", "SUP")
    accepted = alice.post(f"/synchronizations/{acme_sync['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["side"] == 2 and accepted.json()["status"] == "stopped"
