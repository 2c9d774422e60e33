"""Before the partner accepts, a request reads and answers nothing of the partner's project; a refresh of the
metadata is shared and throttled; a user learns nothing of projects they may not browse."""
import pytest
import requests

from tests.support.api import ApiUser


def _app_calls(installed, site: str) -> list[dict]:
    app = installed.site(site).apps["work-sync"].account_id
    return [entry for entry in requests.get(f"{installed.sim.base_url}/_sim/requests", timeout=10).json()
            if entry["site"] == site and entry["caller"] == app]


def _reset(installed) -> None:
    requests.post(f"{installed.sim.base_url}/_sim/reset", json={}, timeout=10)


@pytest.fixture
def pat_acme(installed):
    return ApiUser(installed, "acme", "pat", project="ACME")


@pytest.fixture
def pending(pat_acme):
    """ACME on acme asks GLOBEX on globex; nobody on globex has answered."""
    return pat_acme.request_sync("GLOBEX", partner_site="globex", name="Pending")


def _assert_nothing_of_globex(installed, pat_acme, sync_id: str) -> None:
    _reset(installed)
    meta = pat_acme.get(f"/synchronizations/{sync_id}/metadata", refresh="true")
    assert meta.status_code == 200, meta.text
    assert meta.json()["1"] is not None and meta.json()["2"] is None
    suggestion = pat_acme.get(f"/synchronizations/{sync_id}/configuration/suggestion")
    assert suggestion.status_code == 409 and "not accepted" in suggestion.json()["message"]
    assert pat_acme.get(f"/synchronizations/{sync_id}/configuration", refresh="true").status_code == 200
    checks = pat_acme.get(f"/synchronizations/{sync_id}/analysis").json()["checks"]
    assert [check for check in checks if check.get("side") == 2] == []
    assert "globex" not in str([check["message"] for check in checks]).lower()
    assert _app_calls(installed, "globex") == []


def test_a_pending_request_reads_and_answers_nothing_of_the_partner(installed, pat_acme, pending):
    _assert_nothing_of_globex(installed, pat_acme, pending["id"])


def test_a_declined_request_reads_and_answers_nothing_of_the_partner(installed, pat_acme, pending):
    declined = ApiUser(installed, "globex", "pat", project="GLOBEX").post(
        f"/synchronizations/{pending['id']}/decline", {"message": "No"})
    assert declined.status_code == 200, declined.text
    _assert_nothing_of_globex(installed, pat_acme, pending["id"])


def test_a_project_the_user_may_not_browse_gets_the_answer_of_a_missing_one(installed, pat_acme):
    account = installed.user("acme", "pat").account_id
    installed.site("acme").project("SUP").grants[account] = set()
    installed.live.runtime.permissions.forget()
    answers = []
    for key in ("SUP", "NOPE"):
        response = pat_acme.post("/synchronizations", {"name": "Probe", "mode": "review", "project": "ACME",
                                                      "partner": {"project": key}})
        answers.append((response.status_code, response.json()["message"].replace(key, "KEY"),
                        response.json()["problems"]))
    assert answers[0] == answers[1]
    assert answers[0][0] == 422


def test_refreshes_of_the_metadata_are_shared_for_thirty_seconds(installed, pat_acme, pending):
    pat_acme.get(f"/synchronizations/{pending['id']}/metadata")
    _reset(installed)
    for _ in range(5):
        assert pat_acme.get(f"/synchronizations/{pending['id']}/metadata", refresh="true").status_code == 200
        assert pat_acme.get(f"/synchronizations/{pending['id']}/configuration", refresh="true").status_code == 200
    assert _app_calls(installed, "acme") == []  # read moments ago: a refresh answers that read


@pytest.mark.parametrize("key", ["../../myself", "ACME/../SUP", "%2e%2e", "ACME?x=1", "a" * 300])
def test_a_project_parameter_that_is_not_a_key_gets_400_before_any_jira_call(installed, pat_acme, key):
    _reset(installed)
    for response in (pat_acme.get("/synchronizations", project=key), pat_acme.get("/notices", project=key),
                     pat_acme.post("/synchronizations/bulk", {"action": "start", "status": "stopped",
                                                              "project": key})):
        assert response.status_code == 400, response.text
        assert response.json()["error"] and len(response.json()["message"]) < 200
    empty = pat_acme.post("/synchronizations/bulk", {"action": "start", "status": "stopped", "project": ""})
    assert empty.status_code == 400, empty.text
    assert [e for e in _app_calls(installed, "acme") if "permissions" not in e["endpoint"]] == []


def test_the_jira_client_quotes_every_path_segment():
    from plugin.jira.client import _q
    assert (_q("ACME-1"), _q("../x"), _q(".."), _q("a/b?c")) == ("ACME-1", "..%2Fx", "%2E%2E", "a%2Fb%3Fc")
