"""Issue 22 through the engine: mentions follow the user mapping (a person the partner site lacks becomes their name),
or with `users.mentions: text` all reach the partner as names and notify nobody there; versions the partner lacks are
created there with their description, and an attachment over the partner's upload limit is skipped before anything is
downloaded, with a row naming the limit."""
import pytest
import requests
from sqlalchemy import select

from jirasim import adf
from plugin.models import SyncError
from tests.support.world import SIDE1_KINDS

pytestmark = [SIDE1_KINDS, pytest.mark.in_process]


def _account(engine, site, handle):
    people = engine.installed.sim.site(site).users.values()
    return next(u for u in people if u.email.startswith(handle + "@")).account_id


def _mentioning(*parts):
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [
        {"type": "mention", "attrs": {"id": part[0], "text": part[1]}} if isinstance(part, tuple) else
        {"type": "text", "text": part} for part in parts]}]}


def _mentions(doc):
    found = []

    def walk(node):
        for child in node.get("content") or []:
            if child.get("type") == "mention":
                found.append(child["attrs"]["id"])
            walk(child)
    walk(doc)
    return found


@pytest.mark.parametrize("mentions", [None, "text"], ids=["by-the-user-mapping", "as-text-notifying-nobody"])
def test_mentions_in_a_description_and_a_comment_reach_only_people_the_partner_site_has(engine, mentions):
    """By default (no `users.mentions`) mentions follow the user mapping; with "text" they reach the partner as names
    and notify nobody there, not even a mapped person."""
    quinn, alice = _account(engine, "acme", "quinn"), _account(engine, "acme", "alice")  # Quinn: acme only
    sync_id = engine.synchronize()
    if mentions:
        engine.configure(sync_id, lambda document: document["users"].update(mentions=mentions))
    alice_there = [] if mentions == "text" else [alice]  # Alice has the same account on globex
    alice_named = "@Alice Admin" if mentions == "text" else "@Alice"  # as text: her display name
    key = engine.create("acme", "ACME", "Mentions", description=_mentioning((quinn, "@Q"), " and ",
                                                                             (alice, "@Alice")))
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    description = engine.issue("globex", partner)["description"]
    assert _mentions(description) == alice_there  # Quinn is nobody's mention
    assert adf.to_text(description) == f"@Quinn Quality and {alice_named}"
    engine.reset_calls()
    engine.rest("acme", "POST", f"/issue/{key}/comment", json={"body": _mentioning("ping ", (quinn, "@Quinn"), " and ",
                                                                                   (alice, "@Alice"))})
    engine.settle()
    mirrored = engine.rest("globex", "GET", f"/issue/{partner}/comment", user="alice").json()["comments"]
    assert adf.to_text(mirrored[0]["body"]).split("\n")[-1] == f"ping @Quinn Quality and {alice_named}"
    assert _mentions(mirrored[0]["body"]) == alice_there
    calls = engine.calls()
    assert calls.get("globex POST /rest/api/3/issue/{issueIdOrKey}/comment") == 1  # the one Jira write
    assert not calls.get("globex PUT /rest/api/3/issue/{issueIdOrKey}")  # the text description is no new change
    assert not calls.get("acme PUT /rest/api/3/issue/{issueIdOrKey}")  # and nothing echoes back
    # Troubleshoot names whom to pair: one row for the new issue's description and one for the comment, already
    # resolved (nothing failed); with mentions as text by choice there is nothing to say.
    with engine.installed.live.runtime.sessions() as session:
        notes = list(session.scalars(select(SyncError).where(SyncError.sync_id == int(sync_id),
                                                             SyncError.field == "mention").order_by(SyncError.id)))
    expected = [] if mentions == "text" else [
        f"The mention of @Quinn Quality in Description of {key} was copied to {partner} as plain text: the user "
        "mapping has no counterpart in GLOBEX, so nobody there was notified",
        f"The mention of @Quinn Quality in a comment of {key} was copied to {partner} as plain text: the user "
        "mapping has no counterpart in GLOBEX, so nobody there was notified"]
    assert [n.message for n in notes] == expected
    assert {(n.state, n.category, n.side, n.issue_key) for n in notes} <= {("resolved", "mapping", 2, partner)}


def test_a_version_the_partner_lacks_is_created_there_once_with_its_description(engine):
    sync_id = engine.synchronize()

    def create_missing(document):
        row = next(r for r in document["fields"] if r["1"]["id"] == "fixVersions")
        row.update(direction="1→2", createMissing=True, syncDetails=True)

    engine.configure(sync_id, create_missing)
    pat = engine.rest("acme", "GET", "/project/ACME", user="pat").json()
    made = engine.rest("acme", "POST", "/version", user="pat",
                       json={"projectId": int(pat["id"]), "name": "3.0", "description": "The spring release"})
    assert made.status_code == 201, made.text
    engine.installed.live.runtime.sides.cache.forget()  # the page's metadata is read anew, as after five minutes
    engine.reset_calls()
    key = engine.create("acme", "ACME", "Versioned", fixVersions=[{"name": "3.0"}])
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    assert [v["name"] for v in engine.issue("globex", partner)["fixVersions"]] == ["3.0"]
    versions = engine.rest("globex", "GET", "/project/GLOBEX/versions", user="alice").json()
    assert [(v["name"], v.get("description")) for v in versions if v["name"] == "3.0"] == [
        ("3.0", "The spring release")]
    engine.edit("acme", key, summary="Versioned, touched")
    second = engine.create("acme", "ACME", "Also 3.0", fixVersions=[{"name": "3.0"}])
    engine.settle()
    assert [v["name"] for v in engine.issue("globex", engine.partner(sync_id, 1, second))["fixVersions"]] == ["3.0"]
    calls = engine.calls()
    assert calls.get("globex POST /rest/api/3/version") == 1  # created once, then known from the cached metadata
    assert not calls.get("globex PUT /rest/api/3/version/{id}")  # the descriptions already agree
    with engine.runtime.sessions() as session:
        assert not session.scalars(select(SyncError).where(SyncError.state == "open")).all()


def test_an_attachment_over_the_partners_upload_limit_is_skipped_up_front_with_the_limit_named(engine):
    tuned = requests.post(f"{engine.installed.sim.base_url}/_sim/sites/globex/attachments",
                          json={"uploadLimit": 100}, timeout=10)
    assert tuned.status_code == 200
    engine.installed.live.runtime.sides.cache.forget()
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", "Attachments")
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    engine.reset_calls()
    for name, content in (("small.txt", b"x" * 50), ("large.txt", b"y" * 500)):
        response = engine.installed.as_user("acme", "dev").post(
            f"{engine.installed.sim.site_url('acme')}/rest/api/3/issue/{key}/attachments",
            headers={"X-Atlassian-Token": "no-check"}, files={"file": (name, content, "text/plain")}, timeout=30)
        assert response.status_code == 200, response.text
    engine.settle()
    assert [a["filename"] for a in engine.issue("globex", partner)["attachment"]] == ["small.txt"]
    with engine.runtime.sessions() as session:
        rows = session.scalars(select(SyncError).where(SyncError.category == "attachment")).all()
    assert [(r.field, r.permanent, r.count) for r in rows] == [("attachment:large.txt", True, 1)]
    assert "upload limit" in rows[0].message and "100 bytes" in rows[0].message and "GLOBEX" in rows[0].message
    calls = engine.calls()
    assert calls.get("globex POST /rest/api/3/issue/{issueIdOrKey}/attachments") == 1  # only the small one
    assert calls.get("acme GET /rest/api/3/attachment/content/{id}") == 1  # the large one is never downloaded
    assert not calls.get("globex GET /rest/api/3/attachment/meta")  # read with the metadata, not per change
