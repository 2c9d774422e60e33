"""Screens: create, edit and transition screens decide which fields a write may set, as in Jira."""
from __future__ import annotations

import pytest

from jirasim import adf
from jirasim.store import screens
from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


@pytest.fixture
def alice(simulator):
    """Alice Admin on acme of a fresh simulator."""
    return session_for(simulator, "acme", "alice")


def url(session, path):
    return session.base + "/rest/api/3/" + path


def field_id(session, name):
    return next(f["id"] for f in session.get(url(session, "field")).json() if f["name"] == name)


def transition_id(session, key, name):
    listed = session.get(url(session, f"issue/{key}/transitions")).json()["transitions"]
    return next(t["id"] for t in listed if t["name"] == name)


def off_screen(field):
    return {"errorMessages": [], "errors": {
        field: f"Field '{field}' cannot be set. It is not on the appropriate screen, or unknown."}}


def test_a_field_off_the_edit_screen_is_not_in_editmeta_and_cannot_be_set(openapi, alice):
    notes = field_id(alice, "Release Notes")
    on_sup = check(openapi, alice.get(url(alice, "issue/SUP-1/editmeta"))).json()["fields"]
    on_acme = check(openapi, alice.get(url(alice, "issue/ACME-1/editmeta"))).json()["fields"]
    assert notes not in on_sup and notes in on_acme
    assert {"summary", "description", "labels", "assignee"} <= set(on_sup) and "project" not in on_sup
    assert on_acme["labels"]["operations"] == ["add", "set", "remove"]
    body = {"fields": {notes: adf.from_text("Shipped")}}
    refused = check(openapi, alice.put(url(alice, "issue/SUP-1"), json=body))
    assert refused.status_code == 400 and refused.json() == off_screen(notes)
    assert check(openapi, alice.put(url(alice, "issue/ACME-1"), json=body)).status_code == 204


def test_createmeta_and_create_follow_the_create_screen(openapi, alice, simulator):
    points = field_id(alice, "Story Points")
    site = simulator.site("acme")
    with simulator.world.lock:
        screens.remove_field(site.project("ACME"), "create", points)
    task = next(t["id"] for t in alice.get(url(alice, "issuetype")).json() if t["name"] == "Task")
    meta = check(openapi, alice.get(url(alice, f"issue/createmeta/ACME/issuetypes/{task}"))).json()
    assert points not in {f["fieldId"] for f in meta["fields"]} and "summary" in {f["fieldId"] for f in meta["fields"]}
    body = {"fields": {"project": {"key": "ACME"}, "issuetype": {"id": task}, "summary": "Pointed", points: 3}}
    refused = check(openapi, alice.post(url(alice, "issue"), json=body))
    assert refused.status_code == 400 and refused.json() == off_screen(points)
    assert check(openapi, alice.post(url(alice, "issue"), json={**body, "fields": {
        **body["fields"], "project": {"key": "SUP"}}})).status_code == 201


def test_transitions_expand_fields_shows_each_transition_screen(openapi, alice):
    listed = check(openapi, alice.get(url(alice, "issue/ACME-1/transitions?expand=transitions.fields"))).json()
    by_name = {t["name"]: t for t in listed["transitions"]}
    assert by_name["Resolve"]["hasScreen"] is True
    assert set(by_name["Resolve"]["fields"]) == {"assignee", "fixVersions"}
    assert by_name["Resolve"]["fields"]["fixVersions"]["name"] == "Fix versions"
    assert by_name["Start Progress"]["hasScreen"] is False and by_name["Start Progress"]["fields"] == {}
    plain = alice.get(url(alice, "issue/ACME-1/transitions")).json()["transitions"]
    assert all("fields" not in t for t in plain)
    one = alice.get(url(alice, f"issue/ACME-1/transitions?transitionId={by_name['Resolve']['id']}")).json()
    one = one["transitions"]
    assert [t["name"] for t in one] == ["Resolve"]


def test_a_transition_sets_the_fields_and_comment_its_screen_allows(openapi, alice):
    version_id = alice.get(url(alice, "project/ACME")).json()["versions"][1]["id"]
    resolve, start = transition_id(alice, "ACME-1", "Resolve"), transition_id(alice, "ACME-1", "Start Progress")
    not_on_screen = check(openapi, alice.post(url(alice, "issue/ACME-1/transitions"), json={
        "transition": {"id": resolve}, "fields": {"labels": ["late"]}}))
    assert not_on_screen.status_code == 400 and not_on_screen.json() == off_screen("labels")
    no_screen = check(openapi, alice.post(url(alice, "issue/ACME-1/transitions"), json={
        "transition": {"id": start}, "update": {"comment": [{"add": {"body": adf.from_text("Starting")}}]}}))
    assert no_screen.status_code == 400 and no_screen.json() == off_screen("comment")
    done = check(openapi, alice.post(url(alice, "issue/ACME-1/transitions"), json={
        "transition": {"id": resolve}, "fields": {"fixVersions": [{"id": version_id}]},
        "update": {"comment": [{"add": {"body": adf.from_text("Resolved in 2.0")}}]}}))
    assert done.status_code == 204
    issue = alice.get(url(alice, "issue/ACME-1")).json()["fields"]
    assert issue["status"]["name"] == "Done" and [v["id"] for v in issue["fixVersions"]] == [version_id]
    assert adf.to_text(issue["comment"]["comments"][-1]["body"]) == "Resolved in 2.0"
