"""Issue links: link types, linking (seen from both issues, announced), getting and deleting a link."""
from __future__ import annotations

import pytest

from jirasim import adf
from tests.jirasim.conformance import check
from tests.jirasim.conftest import session_for


@pytest.fixture
def alice(simulator):
    """Alice Admin on acme of a fresh simulator."""
    return session_for(simulator, "acme", "alice")


@pytest.fixture
def payloads(simulator):
    """Every event payload the fresh simulator emits from now on."""
    seen: list[dict] = []
    simulator.world.listeners.append(lambda site, payload: seen.append(payload))
    return seen


def url(session, path):
    return session.base + "/rest/api/3/" + path


def links_of(session, key):
    return session.get(url(session, f"issue/{key}?fields=issuelinks")).json()["fields"]["issuelinks"]


def blocks(session, source, destination, **extra):
    return session.post(url(session, "issueLink"), json={"type": {"name": "Blocks"}, "inwardIssue": {"key": source},
                                                         "outwardIssue": {"key": destination}, **extra})


def test_link_types_are_jiras_defaults(openapi, alice):
    types = check(openapi, alice.get(url(alice, "issueLinkType"))).json()["issueLinkTypes"]
    assert {(t["name"], t["outward"], t["inward"]) for t in types} >= {("Blocks", "blocks", "is blocked by"),
                                                                        ("Relates", "relates to", "relates to")}


def test_a_link_is_seen_from_both_issues_recorded_and_announced(openapi, alice, payloads):
    made = check(openapi, blocks(alice, "ACME-1", "SUP-2", comment={"body": adf.from_text("See SUP-2")}))
    assert made.status_code == 201 and made.content == b""
    (from_source,) = links_of(alice, "ACME-1")
    (from_destination,) = links_of(alice, "SUP-2")
    assert from_source["outwardIssue"]["key"] == "SUP-2" and "inwardIssue" not in from_source
    assert from_destination["inwardIssue"]["key"] == "ACME-1" and from_source["id"] == from_destination["id"]
    assert from_source["outwardIssue"]["fields"]["status"]["name"] == "To Do"
    link = check(openapi, alice.get(url(alice, f"issueLink/{from_source['id']}"))).json()
    assert (link["type"]["name"], link["inwardIssue"]["key"], link["outwardIssue"]["key"]) == \
        ("Blocks", "ACME-1", "SUP-2")
    history = alice.get(url(alice, "issue/SUP-2/changelog")).json()["values"][-1]["items"]
    assert history == [{"field": "Link", "fieldtype": "jira", "to": "ACME-1",
                        "toString": "This issue is blocked by ACME-1"}]
    comments = alice.get(url(alice, "issue/SUP-2/comment")).json()["comments"]
    assert adf.to_text(comments[-1]["body"]) == "See SUP-2"
    (created,) = [p for p in payloads if p["webhookEvent"] == "issuelink_created"]
    ids = {key: int(alice.get(url(alice, f"issue/{key}")).json()["id"]) for key in ("ACME-1", "SUP-2")}
    assert created["issueLink"]["sourceIssueId"] == ids["ACME-1"]
    assert created["issueLink"]["destinationIssueId"] == ids["SUP-2"]
    assert created["issueLink"]["issueLinkType"]["outwardName"] == "blocks"
    assert {p["issue"]["key"] for p in payloads if p["webhookEvent"] == "jira:issue_updated"} == {"ACME-1", "SUP-2"}
    assert check(openapi, blocks(alice, "ACME-1", "SUP-2")).status_code == 201
    assert len(links_of(alice, "ACME-1")) == 1


def test_deleting_a_link_removes_it_from_both_issues_and_announces_it(openapi, alice, payloads):
    blocks(alice, "ACME-1", "ACME-2")
    link_id = links_of(alice, "ACME-1")[0]["id"]
    payloads.clear()
    assert check(openapi, alice.delete(url(alice, f"issueLink/{link_id}"))).status_code == 204
    assert links_of(alice, "ACME-1") == [] and links_of(alice, "ACME-2") == []
    assert [p["webhookEvent"] for p in payloads].count("issuelink_deleted") == 1
    assert check(openapi, alice.get(url(alice, f"issueLink/{link_id}"))).status_code == 404


def test_linking_refuses_unknown_types_missing_issues_and_self_links(openapi, alice):
    unknown = check(openapi, alice.post(url(alice, "issueLink"), json={
        "type": {"name": "Haunts"}, "inwardIssue": {"key": "ACME-1"}, "outwardIssue": {"key": "ACME-2"}}))
    assert unknown.status_code == 404
    assert unknown.json()["errorMessages"] == ["No issue link type with name 'Haunts' found."]
    assert check(openapi, blocks(alice, "ACME-1", "ACME-999")).status_code == 404
    assert check(openapi, blocks(alice, "ACME-1", "ACME-1")).status_code == 400
