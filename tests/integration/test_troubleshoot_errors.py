"""The errors table with a running engine: Retry syncs the issue at once, Ignore hides an error and stops its
retries, Retry all retries a filter's errors, Resync repairs a pair the engine believes in sync; every action is in
the history both sides see."""
from sqlalchemy import delete, select, update

from plugin.engine.core.values import utc_timestamp
from plugin.models import DirtyIssue, Link, utcnow
from plugin.models.base import aware
from tests.support.api import ApiUser
from tests.support.eventually import eventually


def _pat(installed, site="acme", project="ACME") -> ApiUser:
    return ApiUser(installed, site, "pat", project=project)


def _errors(installed, sync_id, **params) -> list[dict]:
    answer = _pat(installed).get(f"/synchronizations/{sync_id}/errors", **params)
    assert answer.status_code == 200, answer.text
    return answer.json()["errors"]


def _errors_of(installed, sync_id, key, **params) -> list[dict]:
    """The errors of one issue (the poll may have found the sample issues too, with troubles of their own)."""
    return [e for e in _errors(installed, sync_id, **params) if (e["issue"] or {}).get("key") == key]


def _linked(engine, summary="Shared"):
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", summary)
    engine.settle()
    return sync_id, key, engine.partner(sync_id, 1, key)


def _actions(installed, sync_id, site="globex", project="GLOBEX") -> list[str]:
    events = _pat(installed, site, project).get(f"/synchronizations/{sync_id}/audit").json()["events"]
    return [event["action"] for event in events]


def _dirty(engine, sync_id) -> list[DirtyIssue]:
    with engine.runtime.sessions() as session:
        return list(session.scalars(select(DirtyIssue).where(DirtyIssue.sync_id == int(sync_id))))


def _seen_from_both_sides(installed, sync_id, key) -> dict:
    """The one error row of `key`, identical whether acme's or globex's project admin looks."""
    (mine,) = _errors_of(installed, sync_id, key)
    answer = _pat(installed, "globex", "GLOBEX").get(f"/synchronizations/{sync_id}/errors")
    (theirs,) = [e for e in answer.json()["errors"] if (e["issue"] or {}).get("key") == key]
    assert theirs == mine
    return mine


def test_a_refused_write_on_the_partner_names_the_partner_site_issue_and_project(installed, engine):
    sync_id, key, partner = _linked(engine)
    engine.permissions("globex", "GLOBEX", revoke=["EDIT_ISSUES"])
    engine.edit("acme", key, summary="Needs Edit Issues on globex")
    eventually(lambda: _errors_of(installed, sync_id, partner), timeout=40)
    error = _seen_from_both_sides(installed, sync_id, partner)
    assert (error["category"], error["side"], error["issue"]["key"], error["site"]) == (
        "permission", 2, partner, installed.sim.base_url + "/globex")
    assert error["message"].startswith(f"127.0.0.1/globex refused while updating {partner} from {key}")
    assert "myself" not in error["message"] and "Jira " not in error["message"]
    assert "project GLOBEX on 127.0.0.1/globex" in error["fix"]
    assert _errors_of(installed, sync_id, key) == []  # nothing is blamed on acme's issue


def test_retry_after_a_permission_is_granted_again_syncs_the_issue_at_once(installed, engine):
    sync_id, key, partner = _linked(engine)
    engine.permissions("globex", "GLOBEX", revoke=["EDIT_ISSUES"])
    engine.edit("acme", key, summary="Needs Edit Issues on globex")
    (error,) = eventually(lambda: _errors_of(installed, sync_id, partner), timeout=40)
    assert (error["category"], error["side"], error["issue"]["key"], error["trigger"]) == (
        "permission", 2, partner, "webhook")
    assert error["permanent"] and "permission scheme" in error["fix"]
    assert _pat(installed).get(f"/synchronizations/{sync_id}").json()["openErrors"] >= 1
    engine.permissions("globex", "GLOBEX", grant=["EDIT_ISSUES"])
    retried = _pat(installed).post(f"/synchronizations/{sync_id}/errors/{error['id']}/retry")
    assert retried.status_code == 200 and retried.json()["actedBy"] == installed.user("acme", "pat").account_id
    engine.settle()  # without Retry the issue stays parked for an hour and this never settles
    assert engine.issue("globex", partner)["summary"] == "Needs Edit Issues on globex"
    assert _errors_of(installed, sync_id, partner) == []
    assert [e["id"] for e in _errors_of(installed, sync_id, partner, state="resolved")] == [error["id"]]
    assert "retry" in _actions(installed, sync_id)


def test_retry_on_a_transient_error_syncs_the_issue_now(installed, engine):
    sync_id, key, partner = _linked(engine)
    engine.fault(kind="error", site="globex", endpoint="/rest/api/3/issue/*", status=503, seconds=600)
    engine.edit("acme", key, summary="After the outage")
    (error,) = eventually(lambda: _errors_of(installed, sync_id, partner, category="transient"), timeout=120)
    assert not error["permanent"] and error["trigger"] in ("webhook", "poll")  # whichever marked it last
    assert error["side"] == 2 and error["message"].startswith("127.0.0.1/globex did not answer (503) while reading")

    def waiting():
        return [row for row in _dirty(engine, sync_id) if row.side == 1]

    assert [row.attempts > 0 for row in waiting()] == [True]  # retried with backoff, not given up
    engine.clear_faults()
    assert _pat(installed).post(f"/synchronizations/{sync_id}/errors/{error['id']}/retry").status_code == 200
    assert all(aware(row.not_before) <= utcnow() for row in waiting())  # due now, not after the wait
    engine.settle()
    assert engine.issue("globex", partner)["summary"] == "After the outage"
    assert _errors_of(installed, sync_id, partner) == []


def test_ignore_hides_the_error_and_stops_its_retries(installed, engine):
    sync_id, key, partner = _linked(engine)
    engine.fault(kind="error", site="globex", endpoint="/rest/api/3/issue/*", status=503, seconds=600)
    engine.edit("acme", key, summary="Never mind")
    partner_id = next(link.side2_issue_id for link in engine.links(sync_id) if link.side1_issue_key == key)
    (error,) = eventually(lambda: _errors_of(installed, sync_id, partner, category="transient"), timeout=120)
    ignored = _pat(installed).post(f"/synchronizations/{sync_id}/errors/{error['id']}/ignore")
    assert ignored.status_code == 200 and ignored.json()["state"] == "ignored"
    assert _errors_of(installed, sync_id, partner) == []
    assert [e["id"] for e in _errors_of(installed, sync_id, partner, state="ignored")] == [error["id"]]
    issue_id = next(link.side1_issue_id for link in engine.links(sync_id) if link.side1_issue_key == key)
    assert [row for row in _dirty(engine, sync_id) if row.issue_id in (issue_id, partner_id)] == []
    tried = len(engine.app_requests(refused=True))
    engine.clear_faults()
    engine.poll_now()  # the poll does not bring an ignored issue back while it does not change
    engine.settle()
    assert [r["path"] for r in engine.app_requests(refused=True)[tried:]
            if r["path"].endswith((f"/issue/{issue_id}", f"/issue/{partner_id}"))] == []
    assert engine.issue("globex", partner)["summary"] == "Shared"
    assert "ignore" in _actions(installed, sync_id)


def test_retry_all_retries_every_open_error_of_the_category(installed, engine):
    sync_id, key, partner = _linked(engine)
    other = engine.create("acme", "ACME", "Second")
    engine.settle()
    engine.permissions("globex", "GLOBEX", revoke=["EDIT_ISSUES"])
    engine.edit("acme", key, summary="First again")
    engine.edit("acme", other, summary="Second again")
    eventually(lambda: _errors_of(installed, sync_id, partner, category="permission") and
               _errors_of(installed, sync_id, engine.partner(sync_id, 1, other), category="permission"), timeout=40)
    engine.permissions("globex", "GLOBEX", grant=["EDIT_ISSUES"])
    none = _pat(installed).post(f"/synchronizations/{sync_id}/errors/retry-all", {"category": "workflow"})
    assert none.json() == {"retried": 0}
    retried = _pat(installed).post(f"/synchronizations/{sync_id}/errors/retry-all", {"category": "permission"})
    assert retried.status_code == 200 and retried.json()["retried"] >= 2
    engine.settle()
    assert engine.issue("globex", partner)["summary"] == "First again"
    assert engine.issue("globex", engine.partner(sync_id, 1, other))["summary"] == "Second again"
    assert "retry all" in _actions(installed, sync_id)


def test_resync_repairs_an_issue_edited_while_the_synchronization_was_stopped(installed, engine):
    sync_id, key, partner = _linked(engine)
    engine.fault(kind="search_lag", ms=0)  # the catch-up poll reads the issue as it is now
    engine.stop(sync_id)
    engine.edit("acme", key, summary="Edited while stopped")
    installed.flush_webhooks()
    seen = {site: utc_timestamp(installed.client(site).get_issue(issue, fields=["updated"])["fields"]["updated"])
            for site, issue in (("acme", key), ("globex", partner))}
    with engine.runtime.sessions.begin() as session:  # the engine believes it synced that edit (its news was lost)
        session.execute(update(Link).where(Link.sync_id == int(sync_id), Link.side1_issue_key == key)
                        .values(side1_updated=seen["acme"], side2_updated=seen["globex"]))
        session.execute(delete(DirtyIssue).where(DirtyIssue.sync_id == int(sync_id)))
    engine.start(sync_id)
    engine.settle()
    assert engine.issue("globex", partner)["summary"] == "Shared"
    link = next(link for link in engine.links(sync_id) if link.side1_issue_key == key)
    resynced = _pat(installed, "globex", "GLOBEX").post(f"/synchronizations/{sync_id}/links/{link.id}/resync")
    assert resynced.status_code == 200, resynced.text
    assert resynced.json()["local"] == {"key": partner, "id": link.side2_issue_id}
    engine.settle()
    assert engine.issue("globex", partner)["summary"] == "Edited while stopped"
    assert "resync" in _actions(installed, sync_id, "acme", "ACME")


def test_a_conflict_shows_in_the_analysis_and_in_the_resolved_errors_with_the_value_that_lost(installed, engine):
    sync_id, key, partner = _linked(engine)
    engine.stop(sync_id)
    engine.edit("acme", key, summary="Older change on acme")
    engine.edit("globex", partner, summary="Newer change on globex")
    engine.start(sync_id)
    engine.settle()
    checks = {check["id"]: check for check in _pat(installed).get(f"/synchronizations/{sync_id}/analysis")
              .json()["checks"]}
    assert checks["conflicts"]["state"] == "warn" and "1 conflict" in checks["conflicts"]["message"]
    (conflict,) = _errors_of(installed, sync_id, key, state="resolved", category="conflict")
    assert conflict["detail"]["lost"] == "Older change on acme"
    refused = _pat(installed).post(f"/synchronizations/{sync_id}/errors/{conflict['id']}/retry")
    assert refused.status_code == 409 and "Configure" in refused.json()["message"]
