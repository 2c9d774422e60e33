"""The synchronizations overview through the API, with permissions asked of the simulated Jira of both sites."""
import pytest

from plugin.syncs import requests_guard
from tests.support.api import ApiUser
from tests.support.world import SIDE1_KINDS

pytestmark = SIDE1_KINDS


@pytest.fixture
def pat_acme(installed):
    """Pat Project on ACME's project settings page (acme)."""
    return ApiUser(installed, "acme", "pat", project="ACME")


@pytest.fixture
def pat_globex(installed):
    """Pat Project on GLOBEX's project settings page (globex)."""
    return ApiUser(installed, "globex", "pat", project="GLOBEX")


def _status(user: ApiUser, sync_id: str) -> str:
    response = user.get(f"/synchronizations/{sync_id}")
    assert response.status_code == 200, response.text
    return response.json()["status"]


def test_a_cross_site_request_is_sent_on_one_side_and_incoming_on_the_other(pat_acme, pat_globex):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex", name="  Support bridge  ")
    assert (sync["status"], sync["side"], sync["name"], sync["draftStatus"]) == ("request_sent", 1, "Support bridge",
                                                                                 "n/a")
    assert sync["project"]["key"] == "ACME" and sync["partner"] == {
        "site": pat_globex.site_url, "key": "GLOBEX", "id": pat_globex.project_id("GLOBEX")}
    seen = pat_globex.get("/synchronizations", project="GLOBEX").json()
    assert [(s["id"], s["status"], s["side"], s["partner"]["key"]) for s in seen["synchronizations"]] == [
        (sync["id"], "incoming_request", 2, "ACME")]
    assert seen["total"] == 1


def test_accept_makes_it_stopped_for_both_and_immediate_mode_publishes_version_1(pat_acme, pat_globex):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex")
    accepted = pat_globex.post(f"/synchronizations/{sync['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["configurationVersion"]) == ("stopped", 1)
    assert accepted.json()["draftStatus"] == "draft_published"
    assert _status(pat_acme, sync["id"]) == "stopped"


def test_review_mode_accepts_without_a_configuration_so_start_says_configure_first(pat_acme, pat_globex):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex", mode="review")
    assert pat_globex.post(f"/synchronizations/{sync['id']}/accept").json()["configurationVersion"] is None
    refused = pat_acme.post(f"/synchronizations/{sync['id']}/start")
    assert refused.status_code == 409 and "configure" in refused.json()["message"]


def test_only_side_2_answers_a_request(pat_acme, pat_globex):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex")
    for verb in ("accept", "decline"):
        refused = pat_acme.post(f"/synchronizations/{sync['id']}/{verb}")
        assert refused.status_code == 409, refused.text
        assert "Only the partner" in refused.json()["message"] and "GLOBEX" in refused.json()["message"]
    assert _status(pat_acme, sync["id"]) == "request_sent"


def test_a_declined_request_shows_the_message_to_the_requester_and_vanishes_for_the_partner(pat_acme, pat_globex):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex")
    declined = pat_globex.post(f"/synchronizations/{sync['id']}/decline", {"message": "Not this quarter"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    mine = pat_acme.get(f"/synchronizations/{sync['id']}").json()
    assert (mine["status"], mine["declineMessage"]) == ("declined", "Not this quarter")
    assert pat_globex.get("/synchronizations", project="GLOBEX").json()["total"] == 0
    assert pat_globex.get(f"/synchronizations/{sync['id']}").status_code == 404
    assert pat_globex.post(f"/synchronizations/{sync['id']}/accept").status_code == 404


def test_start_and_stop_follow_the_state_and_refusals_say_what_to_do(pat_acme, pat_globex):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex")
    not_yet = pat_acme.post(f"/synchronizations/{sync['id']}/start")
    assert not_yet.status_code == 409 and "not accepted" in not_yet.json()["message"]
    pat_globex.post(f"/synchronizations/{sync['id']}/accept")
    assert pat_acme.post(f"/synchronizations/{sync['id']}/stop").status_code == 409
    started = pat_acme.post(f"/synchronizations/{sync['id']}/start")
    assert started.status_code == 200 and started.json()["status"] == "running"
    assert _status(pat_globex, sync["id"]) == "running"
    assert pat_globex.post(f"/synchronizations/{sync['id']}/start").status_code == 409
    stopped = pat_globex.post(f"/synchronizations/{sync['id']}/stop")
    assert stopped.status_code == 200 and stopped.json()["status"] == "stopped"


def test_edit_changes_only_name_and_description(pat_acme, pat_globex):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex")
    edited = pat_globex.patch(f"/synchronizations/{sync['id']}", {"name": " Renamed ", "description": "Why"})
    assert (edited.status_code, edited.json()["name"], edited.json()["description"]) == (200, "Renamed", "Why")
    assert pat_acme.get(f"/synchronizations/{sync['id']}").json()["name"] == "Renamed"
    assert pat_acme.patch(f"/synchronizations/{sync['id']}", {"mode": "review"}).status_code == 400
    empty = pat_acme.patch(f"/synchronizations/{sync['id']}", {"name": "   "})
    assert empty.status_code == 422 and empty.json()["problems"][0]["path"] == "name"
    assert pat_acme.patch(f"/synchronizations/{sync['id']}", {"name": "x" * 256}).status_code == 422


def test_deleting_a_running_one_stops_it_first_removes_it_for_both_and_keeps_the_audit(pat_acme, pat_globex,
                                                                                      installed):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex")
    pat_globex.post(f"/synchronizations/{sync['id']}/accept")
    pat_acme.post(f"/synchronizations/{sync['id']}/start")
    history = pat_globex.get(f"/synchronizations/{sync['id']}/audit").json()
    assert pat_globex.delete(f"/synchronizations/{sync['id']}").status_code == 204
    assert pat_acme.get(f"/synchronizations/{sync['id']}").status_code == 404
    assert pat_acme.get("/synchronizations", project="ACME").json()["total"] == 0
    from plugin.models import AuditEvent
    with installed.live.runtime.sessions() as session:
        actions = [e.action for e in session.query(AuditEvent).filter_by(sync_id=int(sync["id"])).order_by(
            AuditEvent.id)]
    assert actions == ["create", "accept", "start", "stop", "delete"]
    assert [e["action"] for e in history["events"]] == ["start", "accept", "create"]
    first = history["events"][-1]
    assert (first["side"], first["accountId"], first["site"], first["page"], first["newStatus"]) == (
        1, pat_acme.account.account_id, pat_acme.site_url, "project-settings:ACME", "requested")


def test_a_pair_cannot_be_requested_twice_while_open_in_either_direction(pat_acme, pat_globex, monkeypatch):
    sync = pat_acme.request_sync("GLOBEX", partner_site="globex")
    again = pat_acme.post("/synchronizations", {"name": "Again", "mode": "review", "project": "ACME",
                                                "partner": {"site": pat_globex.site_url, "project": "GLOBEX"}})
    assert again.status_code == 409 and "already" in again.json()["message"]
    reverse = pat_globex.post("/synchronizations", {"name": "Back", "mode": "review", "project": "GLOBEX",
                                                    "partner": {"site": pat_acme.site_url, "project": "ACME"}})
    assert reverse.status_code == 409
    pat_globex.post(f"/synchronizations/{sync['id']}/decline")
    monkeypatch.setattr(requests_guard, "DECLINE_COOLDOWN", requests_guard.timedelta(0))  # see test_request_limits
    assert pat_acme.request_sync("GLOBEX", partner_site="globex")["status"] == "request_sent"


def test_one_project_can_take_part_in_many_synchronizations(pat_acme):
    pat_acme.request_sync("GLOBEX", partner_site="globex", name="To globex")
    pat_acme.request_sync("SUP", partner_site="globex", name="To globex support")
    pat_acme.request_sync("SUP", name="To our support")
    listed = pat_acme.get("/synchronizations", project="ACME").json()
    assert [s["name"] for s in listed["synchronizations"]] == ["To globex", "To globex support", "To our support"]


@pytest.mark.parametrize("pasted", ["{url}", "{url}/", "{url}/projects/GLOBEX", " {url} "])
def test_the_partner_site_is_found_however_its_url_is_pasted(pat_acme, pasted):
    url = pat_acme.installed.sim.site_url("globex")
    response = pat_acme.post("/synchronizations", {"name": "S", "mode": "immediate", "project": "ACME",
                                                   "partner": {"site": pasted.format(url=url), "project": "GLOBEX"}})
    assert response.status_code == 201, response.text
    assert response.json()["partner"]["site"] == url


@pytest.mark.parametrize("partner, path, message", [
    ({"site": "http://127.0.0.1:9/nowhere", "project": "GLOBEX"}, "partner.site", "not installed on"),
    ({"site": "not a url at all", "project": "GLOBEX"}, "partner.site", "not installed on"),
    ({"site": "{globex}", "project": "NOPE"}, "partner.project", "does not exist on"),
    ({"project": "ACME"}, "partner.project", "cannot synchronize with itself"),
    ({"project": "lower"}, "partner.project", "not a Jira project key"),
])
def test_refused_requests_say_what_to_do_and_store_nothing(pat_acme, partner, path, message):
    partner = {k: v.format(globex=pat_acme.installed.sim.site_url("globex")) for k, v in partner.items()}
    response = pat_acme.post("/synchronizations", {"name": "S", "mode": "immediate", "project": "ACME",
                                                   "partner": partner})
    assert response.status_code == 422, response.text
    assert message in response.json()["message"] and path in [p["path"] for p in response.json()["problems"]]
    assert pat_acme.get("/synchronizations", project="ACME").json()["total"] == 0


def test_a_partner_site_that_disabled_or_uninstalled_the_app_is_refused(pat_acme, installed):
    import requests

    requests.post(f"{installed.sim.base_url}/_sim/sites/globex/disable", json={}, timeout=30)
    disabled = pat_acme.post("/synchronizations", {"name": "S", "mode": "immediate", "project": "ACME", "partner": {
        "site": installed.sim.site_url("globex"), "project": "GLOBEX"}})
    assert disabled.status_code == 422 and "disabled on" in disabled.json()["message"]
    requests.post(f"{installed.sim.base_url}/_sim/sites/globex/uninstall", json={}, timeout=30)
    gone = pat_acme.post("/synchronizations", {"name": "S", "mode": "immediate", "project": "ACME", "partner": {
        "site": installed.sim.site_url("globex"), "project": "GLOBEX"}})
    assert gone.status_code == 422 and "not installed on" in gone.json()["message"]


@pytest.mark.parametrize("body, status", [
    ({"name": 3, "mode": "immediate", "project": "ACME", "partner": {"project": "SUP"}}, 400),
    ({"mode": "immediate", "project": "ACME", "partner": {"project": "SUP"}}, 400),
    ({"name": "S", "mode": "eventually", "project": "ACME", "partner": {"project": "SUP"}}, 422),
    ({"name": "S", "mode": "immediate", "project": "ACME", "partner": "SUP"}, 400),
])
def test_malformed_bodies_get_400_and_invalid_values_422(pat_acme, body, status):
    assert pat_acme.post("/synchronizations", body).status_code == status
