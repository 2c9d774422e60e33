"""Request spam: a site is limited in the requests it sends to a partner project and per hour, waits after a decline,
and a Jira admin of the partner site may block it (403, nothing stored). Blocks belong to their site alone."""
import pytest
import requests

from plugin.models import Synchronization
from plugin.syncs import requests_guard
from tests.support.api import ApiUser


@pytest.fixture
def pat_acme(installed):
    return ApiUser(installed, "acme", "pat", project="ACME")


@pytest.fixture
def pat_globex(installed):
    return ApiUser(installed, "globex", "pat", project="GLOBEX")


@pytest.fixture
def alice_globex(installed):
    """A Jira admin of globex, on the administration page."""
    return ApiUser(installed, "globex", "alice")


@pytest.fixture
def alice_acme(installed):
    return ApiUser(installed, "acme", "alice")


def _ask(user: ApiUser, partner_project: str = "GLOBEX", project: str = "ACME") -> requests.Response:
    return user.post("/synchronizations", {"name": "Spam", "mode": "review", "project": project,
                                           "partner": {"project": partner_project,
                                                       "site": user.installed.sim.site_url("globex")}})


def _stored(installed) -> int:
    with installed.live.runtime.sessions() as session:
        return session.query(Synchronization).count()


def test_create_decline_create_is_refused_until_the_cool_down_is_over(installed, pat_acme, pat_globex):
    first = _ask(pat_acme)
    assert first.status_code == 201, first.text
    assert pat_globex.post(f"/synchronizations/{first.json()['id']}/decline").status_code == 200
    again = _ask(pat_acme)
    assert again.status_code == 429, again.text
    assert again.json()["error"] == "rate_limited" and "declined" in again.json()["message"]
    assert 0 < int(again.headers["Retry-After"]) <= 3600
    assert _stored(installed) == 1


def test_the_cool_down_ends(installed, pat_acme, pat_globex, monkeypatch):
    first = _ask(pat_acme)
    assert pat_globex.post(f"/synchronizations/{first.json()['id']}/decline").status_code == 200
    monkeypatch.setattr(requests_guard, "DECLINE_COOLDOWN", requests_guard.timedelta(0))
    assert _ask(pat_acme).status_code == 201


def test_pending_and_declined_requests_to_one_partner_project_are_capped(installed, pat_acme, pat_globex,
                                                                           monkeypatch):
    monkeypatch.setattr(requests_guard, "DECLINE_COOLDOWN", requests_guard.timedelta(0))
    for _ in range(requests_guard.MAX_OPEN_PER_PARTNER):
        made = _ask(pat_acme)
        assert made.status_code == 201, made.text
        assert pat_globex.post(f"/synchronizations/{made.json()['id']}/decline").status_code == 200
    refused = _ask(pat_acme)
    assert refused.status_code == 429 and "pending or declined" in refused.json()["message"]
    assert _stored(installed) == requests_guard.MAX_OPEN_PER_PARTNER


def test_a_site_sends_at_most_so_many_requests_an_hour_deleted_ones_included(installed, pat_acme, monkeypatch):
    monkeypatch.setattr(requests_guard, "MAX_PER_HOUR", 3)
    for _ in range(3):
        made = _ask(pat_acme)
        assert made.status_code == 201, made.text
        assert pat_acme.delete(f"/synchronizations/{made.json()['id']}").status_code == 204
    refused = _ask(pat_acme)
    assert refused.status_code == 429 and "within the last hour" in refused.json()["message"]
    assert _stored(installed) == 3


def test_a_blocked_site_gets_403_and_nothing_is_stored(installed, pat_acme, alice_globex):
    blocked = alice_globex.post("/blocks", {"site": installed.sim.site_url("acme") + "/browse/ACME-1"})
    assert blocked.status_code == 201, blocked.text
    assert blocked.json()["site"] == installed.sim.site_url("acme")
    assert alice_globex.post("/blocks", {"site": installed.sim.site_url("acme")}).json()["id"] == blocked.json()["id"]
    refused = _ask(pat_acme)
    assert refused.status_code == 403, refused.text
    assert "does not accept synchronization requests from this site" in refused.json()["message"]
    assert _stored(installed) == 0
    assert alice_globex.delete(f"/blocks/{blocked.json()['id']}").status_code == 204
    assert alice_globex.get("/blocks").json() == {"blocks": []}
    assert _ask(pat_acme).status_code == 201


def test_a_block_holds_on_the_blocking_site_alone(installed, pat_acme, alice_globex, alice_acme):
    block = alice_globex.post("/blocks", {"site": installed.sim.site_url("acme")}).json()
    assert alice_acme.get("/blocks").json() == {"blocks": []}  # acme sees none of globex's blocks
    assert alice_acme.delete(f"/blocks/{block['id']}").status_code == 404  # nor touches them
    assert [b["id"] for b in alice_globex.get("/blocks").json()["blocks"]] == [block["id"]]
    # acme blocking globex does not make globex's block acme's, and acme's project on acme is no partner of it
    assert pat_acme.post("/synchronizations", {"name": "Local", "mode": "review", "project": "ACME",
                                               "partner": {"project": "SUP"}}).status_code == 201


def test_only_jira_admins_of_the_site_see_make_or_remove_blocks(installed, pat_globex, alice_globex):
    block = alice_globex.post("/blocks", {"site": installed.sim.site_url("acme")}).json()
    dev = ApiUser(installed, "globex", "dev")
    for user in (pat_globex, dev):
        for response in (user.get("/blocks"), user.post("/blocks", {"site": installed.sim.site_url("acme")}),
                         user.delete(f"/blocks/{block['id']}")):
            assert response.status_code == 403, response.text
            assert "Administer Jira" in response.json()["message"]
    assert len(alice_globex.get("/blocks").json()["blocks"]) == 1


@pytest.mark.parametrize("body,status", [({}, 400), ({"site": 5}, 400), ({"site": "not a url"}, 422),
                                         ({"site": "https://nowhere.example"}, 422)])
def test_a_bad_block_is_refused_and_stores_nothing(installed, alice_globex, body, status):
    response = alice_globex.post("/blocks", body)
    assert response.status_code == status, response.text
    assert set(response.json()) >= {"error", "message"}
    assert alice_globex.get("/blocks").json() == {"blocks": []}


def test_a_site_cannot_block_itself(installed, alice_globex):
    response = alice_globex.post("/blocks", {"site": installed.sim.site_url("globex")})
    assert response.status_code == 422 and "itself" in response.json()["message"]
