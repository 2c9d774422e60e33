"""Worklogs in the simulator, shaped as Jira's OpenAPI says: add (with properties), list with expand=properties, get,
edit, delete; worklog properties; a worklog without time spent refused; another person's worklog not editable."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jirasim import adf
from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


@pytest.fixture
def alice(simulator):
    return session_for(simulator, "acme", "alice")


def url(session, path):
    return session.base + "/rest/api/3/" + path


def _add(session, key="ACME-1", **body):
    return session.post(url(session, f"issue/{key}/worklog"), json={
        "timeSpentSeconds": 5400, "started": "2026-11-02T09:30:00.000+0000", "comment": adf.from_text("Pairing"),
        **body})


def test_a_worklog_is_added_with_a_property_listed_read_edited_and_deleted(openapi, alice):
    made = check(openapi, _add(alice, properties=[{"key": "work-sync", "value": {"token": "t1"}}]))
    assert made.status_code == 201
    log = made.json()
    assert (log["timeSpentSeconds"], log["timeSpent"]) == (5400, "1h 30m")
    assert datetime.strptime(log["started"], "%Y-%m-%dT%H:%M:%S.%f%z") == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    assert log["author"]["emailAddress"].startswith("alice@") and log["issueId"]
    listed = check(openapi, alice.get(url(alice, "issue/ACME-1/worklog?expand=properties"))).json()
    (shown,) = [w for w in listed["worklogs"] if w["id"] == log["id"]]
    assert shown["properties"] == [{"key": "work-sync", "value": {"token": "t1"}}]
    edited = check(openapi, alice.put(url(alice, f"issue/ACME-1/worklog/{log['id']}"),
                                      json={"timeSpent": "2h", "comment": adf.from_text("Pairing, longer")}))
    assert edited.status_code == 200 and edited.json()["timeSpentSeconds"] == 7200
    got = check(openapi, alice.get(url(alice, f"issue/ACME-1/worklog/{log['id']}"))).json()
    assert adf.to_text(got["comment"]) == "Pairing, longer" and "properties" not in got
    assert check(openapi, alice.delete(url(alice, f"issue/ACME-1/worklog/{log['id']}"))).status_code == 204
    assert alice.get(url(alice, f"issue/ACME-1/worklog/{log['id']}")).status_code == 404


def test_worklog_properties_are_set_read_listed_and_deleted(openapi, alice):
    log = _add(alice).json()
    base = f"issue/ACME-1/worklog/{log['id']}/properties"
    assert check(openapi, alice.put(url(alice, f"{base}/work-sync"), json={"token": "t2"})).status_code == 201
    assert check(openapi, alice.get(url(alice, f"{base}/work-sync"))).json() == {"key": "work-sync",
                                                                                 "value": {"token": "t2"}}
    assert [k["key"] for k in check(openapi, alice.get(url(alice, base))).json()["keys"]] == ["work-sync"]
    assert check(openapi, alice.delete(url(alice, f"{base}/work-sync"))).status_code == 204
    assert alice.get(url(alice, f"{base}/work-sync")).status_code == 404


def test_a_worklog_without_time_is_refused_and_another_persons_is_not_deleted_by_a_plain_user(openapi, alice,
                                                                                             simulator):
    refused = check(openapi, alice.post(url(alice, "issue/ACME-1/worklog"), json={"comment": adf.from_text("x")}))
    assert refused.status_code == 400 and "timeLogged" in refused.json()["errors"]
    log = _add(alice).json()
    dev = session_for(simulator, "acme", "dev")
    denied = dev.delete(url(dev, f"issue/ACME-1/worklog/{log['id']}"))
    assert denied.status_code == 403
    assert alice.get(url(alice, f"issue/ACME-1/worklog/{log['id']}")).status_code == 200
