"""Product events: Forge's payloads, self-generated events, no cascading deletes, retries with `retryContext`."""
import requests

from tests.jirasim.conftest import session_for
from tests.jirasim.forge.support import manifest


def events_of(forge_app, event_type=None) -> list[dict]:
    forge_app.flush()
    found = [r["body"]["payload"] for r in forge_app.remote.of("/forge/events")]
    return [p for p in found if event_type in (None, p["eventType"])]


def create(session, summary="Forge hears") -> dict:
    answer = session.post(f"{session.base}/rest/api/3/issue", json={"fields": {
        "project": {"key": "ACME"}, "issuetype": {"name": "Task"}, "summary": summary}})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_issue_events_have_forge_payloads(forge_app):
    alice = session_for(forge_app.simulator, "acme", "alice")
    me = alice.get(f"{alice.base}/rest/api/3/myself").json()["accountId"]
    key = create(alice)["key"]
    assert alice.put(f"{alice.base}/rest/api/3/issue/{key}", json={"fields": {"summary": "Renamed"}}).status_code == 204
    (created,) = events_of(forge_app, "avi:jira:created:issue")
    assert created["issue"]["key"] == key and created["atlassianId"] == me and created["selfGenerated"] is False
    assert created["associatedUsers"] == [{"accountId": me}]
    assert created["issue"]["fields"]["summary"] == "Forge hears"
    assert created["issue"]["fields"]["reporter"] == {"accountId": me}
    assert {"issuetype", "project", "status", "created", "updated"} <= set(created["issue"]["fields"])
    assert isinstance(created["timestamp"], str) and created["context"]["moduleKey"] == "ws-events"
    (updated,) = events_of(forge_app, "avi:jira:updated:issue")
    (item,) = updated["changelog"]["items"]
    assert item["field"] == "summary" and item["fromString"] == "Forge hears" and item["toString"] == "Renamed"
    assert updated["jiraEventTypeName"] == "issue_updated"


def test_a_comment_edit_is_announced_as_commented_and_an_issue_delete_sends_no_cascade(forge_app):
    alice = session_for(forge_app.simulator, "acme", "alice")
    key = create(alice)["key"]
    comment = alice.post(f"{alice.base}/rest/api/3/issue/{key}/comment", json={"body": {
        "type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hi"}]}]}})
    assert comment.status_code == 201
    cid = comment.json()["id"]
    assert alice.put(f"{alice.base}/rest/api/3/issue/{key}/comment/{cid}", json={"body": {
        "type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hey"}]}]}
    }).status_code == 200
    commented = events_of(forge_app, "avi:jira:commented:issue")
    assert [c["comment"]["id"] for c in commented] == [cid, cid]
    assert events_of(forge_app, "avi:jira:updated:issue") == []  # a comment changes no field
    assert alice.delete(f"{alice.base}/rest/api/3/issue/{key}").status_code == 204
    (deleted,) = events_of(forge_app, "avi:jira:deleted:issue")
    assert deleted["issue"]["key"] == key
    assert events_of(forge_app, "avi:jira:deleted:comment") == []  # Forge emits no cascading deletes


def test_the_apps_own_writes_are_self_generated_unless_ignore_self_filters_them(forge_app):
    forge_app.product_api("PUT", "/rest/api/3/issue/ACME-1", json={"fields": {"summary": "By the app"}})
    (own,) = events_of(forge_app, "avi:jira:updated:issue")
    inst = next(iter(forge_app.simulator.site("acme").forge_apps.values()))
    assert own["selfGenerated"] is True and own["atlassianId"] == inst.account_id
    assert forge_app.install(manifest(ignore_self=True)).status_code == 200
    forge_app.product_api("PUT", "/rest/api/3/issue/ACME-1", json={"fields": {"summary": "Again"}})
    assert len(events_of(forge_app, "avi:jira:updated:issue")) == 1


def test_an_event_answered_500_is_retried_4_times_with_retry_context_then_given_up(forge_app):
    forge_app.remote.failures = 99
    create(session_for(forge_app.simulator, "acme", "alice"))
    attempts = events_of(forge_app, "avi:jira:created:issue")
    assert [a.get("retryContext") for a in attempts] == [None] + [
        {"retryData": None, "retryCount": n, "retryReason": "INVALID_REMOTE_INVOCATION_ERROR"} for n in (1, 2, 3, 4)]
    (logged,) = [e for e in forge_app.flush() if e["event"] == "avi:jira:created:issue"]
    assert logged["outcome"] == "failed" and [a["status"] for a in logged["attempts"]] == [500] * 5


def test_a_slow_answer_times_out_and_is_retried_as_a_timeout(forge_app):
    requests.post(f"{forge_app.url}/_sim/forge/settings", json={"timeout": 0.2}, timeout=5)
    forge_app.remote.failures, forge_app.remote.slow_seconds = 99, 0.6
    create(session_for(forge_app.simulator, "acme", "alice"))
    attempts = events_of(forge_app, "avi:jira:created:issue")
    assert [(a.get("retryContext") or {}).get("retryReason") for a in attempts] == [None] + ["TIMEOUT_ERROR"] * 4
    (logged,) = [e for e in forge_app.flush() if e["event"] == "avi:jira:created:issue"]
    assert logged["outcome"] == "failed" and [a.get("error") for a in logged["attempts"]] == ["Timeout"] * 5


def test_webhook_faults_drop_and_duplicate_forge_events_too(forge_app):
    alice = session_for(forge_app.simulator, "acme", "alice")
    requests.post(f"{forge_app.url}/_sim/faults", json={"kind": "webhooks", "drop": 1}, timeout=5)
    create(alice, "dropped")
    requests.post(f"{forge_app.url}/_sim/faults", json={"kind": "webhooks", "duplicate": 1}, timeout=5)
    create(alice, "twice")
    summaries = [e["issue"]["fields"]["summary"] for e in events_of(forge_app, "avi:jira:created:issue")]
    assert summaries == ["twice", "twice"]


def test_attachment_events_carry_the_attachment(forge_app):
    alice = session_for(forge_app.simulator, "acme", "alice")
    added = alice.post(f"{alice.base}/rest/api/3/issue/ACME-1/attachments", headers={"X-Atlassian-Token": "no-check"},
                       files={"file": ("notes.txt", b"hello", "text/plain")})
    assert added.status_code == 200, added.text
    (created,) = events_of(forge_app, "avi:jira:created:attachment")
    assert created["attachment"]["filename"] == "notes.txt" and created["attachment"]["size"] == 5
    assert set(created["attachment"]["author"]) == {"accountId"}
