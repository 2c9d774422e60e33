"""Bulk start/stop: by selected ids or by 'every one in status S'; all share one status, or nothing changes."""
import pytest

from tests.support.api import ApiUser
from tests.support.world import SIDE1_KINDS

pytestmark = SIDE1_KINDS


@pytest.fixture
def pat(installed):
    """Pat Project on ACME's settings page."""
    return ApiUser(installed, "acme", "pat", project="ACME")


@pytest.fixture
def three_stopped(installed, pat):
    """Three accepted, stopped, configured synchronizations of ACME (two to globex projects, one to SUP)."""
    made = [pat.request_sync("GLOBEX", partner_site="globex", name="One"),
            pat.request_sync("SUP", partner_site="globex", name="Two"),
            pat.request_sync("SUP", name="Three")]
    answers = {"One": ApiUser(installed, "globex", "pat", project="GLOBEX"),
               "Two": ApiUser(installed, "globex", "pat", project="SUP"),
               "Three": ApiUser(installed, "acme", "pat", project="SUP")}
    for sync in made:
        assert answers[sync["name"]].post(f"/synchronizations/{sync['id']}/accept").status_code == 200
    return [sync["id"] for sync in made]


def _statuses(pat):
    return {s["name"]: s["status"] for s in pat.get("/synchronizations", project="ACME").json()["synchronizations"]}


def test_every_stopped_one_of_the_project_starts_in_one_call(pat, three_stopped):
    response = pat.post("/synchronizations/bulk", {"action": "start", "status": "stopped", "project": "ACME"})
    assert response.status_code == 200, response.text
    assert sorted(s["id"] for s in response.json()["synchronizations"]) == sorted(three_stopped)
    assert _statuses(pat) == {"One": "running", "Two": "running", "Three": "running"}


def test_selected_ids_stop_together(pat, three_stopped):
    pat.post("/synchronizations/bulk", {"action": "start", "ids": three_stopped})
    response = pat.post("/synchronizations/bulk", {"action": "stop", "ids": three_stopped[:2]})
    assert response.status_code == 200 and {s["status"] for s in response.json()["synchronizations"]} == {"stopped"}
    assert _statuses(pat) == {"One": "stopped", "Two": "stopped", "Three": "running"}


def test_a_mixed_selection_is_refused_and_nothing_changes(pat, three_stopped):
    pat.post(f"/synchronizations/{three_stopped[0]}/start")
    for action in ("start", "stop"):
        refused = pat.post("/synchronizations/bulk", {"action": action, "ids": three_stopped})
        assert refused.status_code == 409 and "different states" in refused.json()["message"]
    assert _statuses(pat) == {"One": "running", "Two": "stopped", "Three": "stopped"}


def test_a_request_or_an_unconfigured_one_in_the_selection_starts_nothing(installed, pat, three_stopped):
    waiting = pat.request_sync("GLOBEX", partner_site="globex", name="Waiting", project="SUP")
    refused = pat.post("/synchronizations/bulk", {"action": "start", "ids": [three_stopped[0], waiting["id"]]})
    assert refused.status_code == 409
    review = ApiUser(installed, "acme", "pat", project="SUP").request_sync("SUP", partner_site="globex",
                                                                             name="Review", mode="review")
    ApiUser(installed, "globex", "pat", project="SUP").post(f"/synchronizations/{review['id']}/accept")
    unconfigured = pat.post("/synchronizations/bulk", {"action": "start", "ids": [three_stopped[0], review["id"]]})
    assert unconfigured.status_code == 409 and "Review" in unconfigured.json()["message"]
    assert _statuses(pat)["One"] == "stopped"


def test_stopping_stopped_ones_is_refused(pat, three_stopped):
    refused = pat.post("/synchronizations/bulk", {"action": "stop", "ids": three_stopped})
    assert refused.status_code == 409 and "Only running" in refused.json()["message"]


@pytest.mark.parametrize("body", [{"action": "start"}, {"action": "start", "ids": []},
                                  {"action": "start", "ids": [1]}, {"action": "start", "ids": ["1"], "status": "x"}])
def test_a_malformed_bulk_body_is_400(pat, body):
    assert pat.post("/synchronizations/bulk", body).status_code == 400


def test_every_one_of_the_site_in_a_status_needs_the_jira_admin(installed, pat, three_stopped):
    assert ApiUser(installed, "acme", "pat").post(
        "/synchronizations/bulk", {"action": "start", "status": "stopped"}).status_code == 403
    started = ApiUser(installed, "acme", "alice").post("/synchronizations/bulk",
                                                       {"action": "start", "status": "stopped"})
    assert started.status_code == 200 and len(started.json()["synchronizations"]) == 3
