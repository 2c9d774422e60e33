"""Who sees what of troubleshooting: the errors are the synchronization's admins' (404 for others' ids, 403 for
plain users), the banner names synchronizations with open errors or an unreachable side on both sides' pages, the
poll's trouble with a site is audited as an automatic change, and the issue glance shows an issue's partner to
whoever may browse the issue."""
import pytest
import requests
from sqlalchemy import select

from plugin.engine import maintenance, problems
from plugin.models import Link, SyncError, utcnow
from tests.support.api import ApiUser
from tests.support.engine import Engine


def _pat(installed, site="acme", project="ACME") -> ApiUser:
    return ApiUser(installed, site, "pat", project=project)


@pytest.fixture
def sync_id(installed):
    """A running synchronization ACME ↔ GLOBEX with a linked pair ACME-1 ↔ GLOBEX-1 whose ACME-1 has an error."""
    sync_id = Engine(installed).synchronize()
    acme, globex = installed.site("acme").issue("ACME-1"), installed.site("globex").issue("GLOBEX-1")
    with installed.live.runtime.sessions.begin() as session:
        session.add(Link(sync_id=int(sync_id), side1_issue_id=acme.id, side1_issue_key="ACME-1",
                         side2_issue_id=globex.id, side2_issue_key="GLOBEX-1", state="linked", origin_side=1,
                         base={}, last_synced_at=utcnow()))
        problems.record(session, int(sync_id), category="validation", side=1, issue_id=acme.id, field="duedate",
                        trigger="webhook", permanent=True, message="Jira refused the due date")
    return sync_id


def _error_id(installed, sync_id) -> str:
    with installed.live.runtime.sessions() as session:
        return str(session.scalar(select(SyncError.id).where(SyncError.sync_id == int(sync_id))))


def test_plain_users_may_not_see_or_act_on_the_errors(installed, sync_id):
    dev, error = ApiUser(installed, "acme", "dev", project="ACME"), _error_id(installed, sync_id)
    base = f"/synchronizations/{sync_id}"
    for method, path in (("GET", "/errors"), ("GET", "/analysis"), ("POST", f"/errors/{error}/retry"),
                         ("POST", f"/errors/{error}/ignore"), ("POST", "/errors/retry-all"),
                         ("POST", "/links/1/resync")):
        answer = dev.call(method, base + path)
        assert answer.status_code == 403 and answer.json()["missing"] == "ADMINISTER_PROJECTS", (method, path)


def test_an_error_or_pair_of_another_synchronization_is_not_found(installed, sync_id):
    other = _pat(installed, project="SUP").request_sync("SUP", partner_site="globex", project="SUP")["id"]
    error = _error_id(installed, sync_id)
    for path in (f"/errors/{error}/retry", f"/errors/{error}/ignore", "/links/1/resync", "/errors/x/retry"):
        assert _pat(installed, project="SUP").post(f"/synchronizations/{other}{path}").status_code == 404, path
    bad = _pat(installed).get(f"/synchronizations/{sync_id}/errors", state="gone")
    assert bad.status_code == 422


def test_a_resolved_error_cannot_be_retried_or_ignored(installed, sync_id):
    error = _error_id(installed, sync_id)
    assert _pat(installed).post(f"/synchronizations/{sync_id}/errors/{error}/ignore").json()["state"] == "ignored"
    reopened = _pat(installed).post(f"/synchronizations/{sync_id}/errors/{error}/retry")
    assert reopened.status_code == 200 and reopened.json()["state"] == "open"
    with installed.live.runtime.sessions.begin() as session:
        problems.resolve_issue(session, int(sync_id), [installed.site("acme").issue("ACME-1").id])
    for action in ("retry", "ignore"):
        refused = _pat(installed).post(f"/synchronizations/{sync_id}/errors/{error}/{action}")
        assert refused.status_code == 409 and "resolved already" in refused.json()["message"]


def test_the_banner_and_the_badge_show_open_errors_on_both_sides_pages(installed, sync_id):
    for site, project in (("acme", "ACME"), ("globex", "GLOBEX")):
        (notice,) = _pat(installed, site, project).get("/notices", project=project).json()["notices"]
        assert notice == {"synchronization": {"id": sync_id, "name": "Sync"}, "openErrors": 1, "unreachable": []}
        (listed,) = _pat(installed, site, project).get("/synchronizations", project=project).json()["synchronizations"]
        assert listed["openErrors"] == 1
    assert _pat(installed, project="SUP").get("/notices", project="SUP").json()["notices"] == []
    alice = ApiUser(installed, "acme", "alice")
    assert [n["openErrors"] for n in alice.get("/notices").json()["notices"]] == [1]
    assert ApiUser(installed, "acme", "dev", project="ACME").get("/notices", project="ACME").status_code == 403


def test_a_site_the_poll_cannot_reach_shows_in_the_banner_until_it_answers_again_and_both_are_audited(
        installed, sync_id):
    engine, tools = Engine(installed), installed.live.runtime.tools
    engine.fault(kind="error", site="globex", endpoint="*/search/jql", status=503, count=2)
    maintenance.poll_one(tools, int(sync_id))
    maintenance.poll_one(tools, int(sync_id))
    (notice,) = _pat(installed).get("/notices", project="ACME").json()["notices"]
    (down,) = notice["unreachable"]
    assert down["side"] == 2 and down["site"] == installed.sim.site_url("globex") and "cannot be reached" in \
        down["message"]
    maintenance.poll_one(tools, int(sync_id))
    (notice,) = _pat(installed).get("/notices", project="ACME").json()["notices"]
    assert notice["unreachable"] == []
    events = _pat(installed, "globex", "GLOBEX").get(f"/synchronizations/{sync_id}/audit").json()["events"]
    automatic = [(e["action"], e["side"], e["accountId"]) for e in events if e["action"].startswith("side ")]
    assert automatic == [("side reachable", 2, None), ("side unreachable", 2, None)]


def test_the_app_disabled_on_the_partner_site_shows_as_unreachable_and_in_the_history(installed, sync_id):
    assert requests.post(f"{installed.sim.base_url}/_sim/sites/globex/disable", json={}, timeout=30).ok
    (notice,) = _pat(installed).get("/notices", project="ACME").json()["notices"]
    assert [(d["side"], d["message"]) for d in notice["unreachable"]] == [
        (2, "Work Sync is not installed and enabled there")]
    assert requests.post(f"{installed.sim.base_url}/_sim/sites/globex/enable", json={}, timeout=30).ok
    assert _pat(installed).get("/notices", project="ACME").json()["notices"][0]["unreachable"] == []
    events = _pat(installed).get(f"/synchronizations/{sync_id}/audit").json()["events"]
    assert [(e["action"], e["side"], e["detail"]) for e in events if e["action"].startswith("site ")] == [
        ("site enabled", 2, {"site": installed.sim.site_url("globex")}),
        ("site disabled", 2, {"site": installed.sim.site_url("globex")})]


def test_the_glance_shows_the_partner_its_state_and_errors_to_whoever_may_browse_the_issue(installed, sync_id):
    acme_issue = installed.site("acme").issue("ACME-1").id
    dev = ApiUser(installed, "acme", "dev", project="ACME")
    (seen,) = dev.get(f"/issues/{acme_issue}/links").json()["links"]
    assert seen["partner"] == {"key": "GLOBEX-1", "id": installed.site("globex").issue("GLOBEX-1").id,
                               "site": installed.sim.site_url("globex"),
                               "url": f"{installed.sim.site_url('globex')}/browse/GLOBEX-1"}
    assert (seen["state"], seen["synchronization"]["status"], seen["canRetry"]) == ("linked", "running", False)
    assert [e["message"] for e in seen["errors"]] == ["Jira refused the due date"] and seen["lastSyncedAt"]
    assert _pat(installed).get(f"/issues/{acme_issue}/links").json()["links"][0]["canRetry"] is True
    partner = ApiUser(installed, "globex", "dev", project="GLOBEX").get(
        f"/issues/{installed.site('globex').issue('GLOBEX-1').id}/links").json()["links"][0]["partner"]
    assert partner["url"] == f"{installed.sim.site_url('acme')}/browse/ACME-1"
    assert dev.get(f"/issues/{installed.site('acme').issue('ACME-2').id}/links").json()["links"] == []
    assert dev.get("/issues/ACME-1/links").status_code == 400


def test_the_glance_is_refused_to_whoever_may_not_browse_the_issue(installed, sync_id):
    revoked = requests.post(f"{installed.sim.base_url}/_sim/sites/acme/projects/ACME/permissions",
                            json={"accountId": installed.user("acme", "dev").account_id,
                                  "revoke": ["BROWSE_PROJECTS"]}, timeout=10)
    assert revoked.status_code == 200
    refused = ApiUser(installed, "acme", "dev", project="ACME").get(
        f"/issues/{installed.site('acme').issue('ACME-1').id}/links")
    assert refused.status_code == 403 and refused.json()["missing"] == "BROWSE_PROJECTS"


def test_the_history_names_each_person_as_their_site_shows_them(installed, sync_id):
    pat = _pat(installed)
    assert pat.post(f"/synchronizations/{sync_id}/stop").status_code == 200
    assert pat.post(f"/synchronizations/{sync_id}/start").status_code == 200
    globex_pat = _pat(installed, "globex", "GLOBEX")
    for user in (pat, globex_pat, pat):
        events = user.get(f"/synchronizations/{sync_id}/audit").json()["events"]
        people = [e for e in events if e["accountId"]]
        assert people and all(e["displayName"] == "Pat Project" for e in people
                              if e["accountId"] == installed.user("acme", "pat").account_id)
        assert all(e["displayName"] is None for e in events if not e["accountId"])
