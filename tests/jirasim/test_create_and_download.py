"""A transition in a create body is applied after creation; attachment content redirects to a media URL or serves
ranges, as in Jira Cloud."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


@pytest.fixture
def alice(simulator):
    """Alice Admin on acme of a fresh simulator."""
    return session_for(simulator, "acme", "alice")


def url(session, path):
    return session.base + "/rest/api/3/" + path


def task(summary, **extra):
    return {"fields": {"project": {"key": "ACME"}, "issuetype": {"name": "Task"}, "summary": summary}, **extra}


def transition_id(session, name):
    listed = session.get(url(session, "issue/ACME-1/transitions")).json()["transitions"]
    return next(t["id"] for t in listed if t["name"] == name)


def test_a_transition_in_a_create_body_is_applied_after_the_issue_is_created(openapi, alice, simulator):
    seen = []
    simulator.world.listeners.append(lambda site, payload: seen.append(payload))
    start = transition_id(alice, "Start Progress")
    created = check(openapi, alice.post(url(alice, "issue"), json=task("Started", transition={"id": start})))
    assert created.status_code == 201
    assert created.json()["transition"] == {"status": 200, "errorCollection": {"errorMessages": [], "errors": {}}}
    issue = alice.get(url(alice, f"issue/{created.json()['key']}?expand=changelog")).json()
    assert issue["fields"]["status"]["name"] == "In Progress"
    assert [i["field"] for h in issue["changelog"]["histories"] for i in h["items"]] == ["status"]
    assert [(p["webhookEvent"], p["issue_event_type_name"]) for p in seen] == [
        ("jira:issue_created", "issue_created"), ("jira:issue_updated", "issue_generic")]
    assert [i["toString"] for i in seen[0]["changelog"]["items"] if i["field"] == "status"] == ["To Do"]
    invalid = check(openapi, alice.post(url(alice, "issue"), json=task("Not done", transition={"id": "999999"})))
    assert invalid.status_code == 201 and invalid.json()["transition"]["status"] == 400
    assert alice.get(url(alice, f"issue/{invalid.json()['key']}")).json()["fields"]["status"]["name"] == "To Do"


def test_bulk_create_applies_each_elements_transition(openapi, alice):
    resolve = transition_id(alice, "Resolve")
    body = {"issueUpdates": [task("Resolved at birth", transition={"id": resolve}), task("Left alone")]}
    created = check(openapi, alice.post(url(alice, "issue/bulk"), json=body)).json()["issues"]
    statuses = [alice.get(url(alice, f"issue/{c['key']}")).json()["fields"]["status"]["name"] for c in created]
    assert statuses == ["Done", "To Do"]


@pytest.fixture
def attachment(alice):
    added = alice.post(url(alice, "issue/ACME-1/attachments"), headers={"X-Atlassian-Token": "no-check"},
                       files={"file": ("notes.txt", b"hello world", "text/plain")})
    return added.json()[0]


def test_attachment_content_redirects_to_a_media_url_that_needs_no_credentials(openapi, alice, attachment):
    answer = check(openapi, alice.get(url(alice, f"attachment/content/{attachment['id']}"), allow_redirects=False))
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert "/rest/" not in urlsplit(location).path and "/acme/" not in urlsplit(location).path
    media = requests.get(location, timeout=10)
    assert media.status_code == 200 and media.content == b"hello world"
    assert media.headers["Content-Type"].startswith("text/plain")
    assert requests.get(location.replace("/file/", "/file/x"), timeout=10).status_code == 404
    assert alice.get(url(alice, f"attachment/content/{attachment['id']}")).content == b"hello world"


def test_attachment_content_without_redirect_serves_the_bytes_and_ranges(openapi, alice, attachment):
    content = url(alice, f"attachment/content/{attachment['id']}?redirect=false")
    whole = check(openapi, alice.get(content, allow_redirects=False))
    assert whole.status_code == 200 and whole.content == b"hello world"
    part = check(openapi, alice.get(content, headers={"Range": "bytes=0-4"}))
    assert part.status_code == 206 and part.content == b"hello"
    assert part.headers["Content-Range"] == "bytes 0-4/11"
    beyond = check(openapi, alice.get(content, headers={"Range": "bytes=50-60"}))
    assert beyond.status_code == 416
