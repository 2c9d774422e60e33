"""Comments and attachments follow their issue: once per direction, edits too, never back, within the rules."""
import pytest
from sqlalchemy import select

from jirasim import adf
from plugin.models import SyncError
from tests.support.world import SIDE1_KINDS

pytestmark = [SIDE1_KINDS, pytest.mark.in_process]


def _linked(engine, **fields):
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", "Carrying", **fields)
    engine.settle()
    return sync_id, key, engine.partner(sync_id, 1, key)


def _comments(engine, site, key):
    return engine.rest(site, "GET", f"/issue/{key}/comment", user="alice").json()["comments"]


def test_a_comment_is_mirrored_once_with_its_author_and_site_and_never_comes_back(engine):
    sync_id, key, partner = _linked(engine)
    engine.reset_calls()
    assert engine.rest("acme", "POST", f"/issue/{key}/comment", json={"body": adf.from_text("Hello there")}).ok
    engine.settle()
    mirrored = _comments(engine, "globex", partner)
    assert len(mirrored) == 1
    lines = adf.to_text(mirrored[0]["body"]).split("\n")
    assert lines[0].startswith("Dev Eloper on ") and "acme" in lines[0] and lines[1] == "Hello there"
    assert len(_comments(engine, "acme", key)) == 1  # nothing came back
    assert engine.calls().get("globex POST /rest/api/3/issue/{issueIdOrKey}/comment") == 1


def test_an_edited_comment_edits_its_mirror_and_a_comment_made_on_the_partner_comes_across(engine):
    sync_id, key, partner = _linked(engine)
    comment = engine.rest("acme", "POST", f"/issue/{key}/comment", json={"body": adf.from_text("First")}).json()
    engine.settle()
    engine.rest("acme", "PUT", f"/issue/{key}/comment/{comment['id']}", json={"body": adf.from_text("Edited")})
    engine.rest("globex", "POST", f"/issue/{partner}/comment", json={"body": adf.from_text("From globex")})
    engine.settle()
    assert [adf.to_text(c["body"]).split("\n")[-1] for c in _comments(engine, "globex", partner)] == [
        "Edited", "From globex"]
    assert [adf.to_text(c["body"]).split("\n")[-1] for c in _comments(engine, "acme", key)] == [
        "Edited", "From globex"]


def test_public_only_skips_restricted_comments(engine):
    sync_id, key, partner = _linked(engine)

    def public_only(document):
        document["comments"]["visibility"] = "public"

    engine.configure(sync_id, public_only)
    engine.rest("acme", "POST", f"/issue/{key}/comment", user="alice", json={
        "body": adf.from_text("Admins only"), "visibility": {"type": "role", "value": "Administrators"}})
    engine.rest("acme", "POST", f"/issue/{key}/comment", json={"body": adf.from_text("For everyone")})
    engine.settle()
    assert [adf.to_text(c["body"]).split("\n")[-1] for c in _comments(engine, "globex", partner)] == [
        "For everyone"]


def _attach(engine, site, key, name, content):
    response = engine.installed.as_user(site, "dev").post(
        f"{engine.installed.sim.site_url(site)}/rest/api/3/issue/{key}/attachments",
        headers={"X-Atlassian-Token": "no-check"}, files={"file": (name, content, "text/plain")}, timeout=30)
    assert response.status_code == 200, response.text


def test_attachments_are_copied_within_the_limit_and_the_rest_are_warnings_not_retries(engine):
    sync_id, key, partner = _linked(engine)

    def small_and_no_logs(document):
        document["attachments"]["maxSize"] = 1000
        document["attachments"]["exclude"] = ["*.log"]

    engine.configure(sync_id, small_and_no_logs)
    _attach(engine, "acme", key, "notes.txt", b"hello world")
    _attach(engine, "acme", key, "big.txt", b"x" * 5000)
    _attach(engine, "acme", key, "server.log", b"noise")
    engine.settle()
    copied = engine.issue("globex", partner)["attachment"]
    assert [a["filename"] for a in copied] == ["notes.txt"]
    content = engine.rest("globex", "GET", f"/attachment/content/{copied[0]['id']}", user="alice")
    assert content.content == b"hello world"
    with engine.runtime.sessions() as session:
        warnings = session.scalars(select(SyncError).where(SyncError.category == "attachment")).all()
    assert sorted(w.field for w in warnings) == ["attachment:big.txt", "attachment:server.log"]
    assert all(w.count == 1 and w.permanent for w in warnings)
    engine.edit("acme", key, summary="Touch it again")
    engine.settle()
    assert len(engine.issue("globex", partner)["attachment"]) == 1
    assert len(engine.issue("acme", key)["attachment"]) == 3  # nothing came back


def test_a_deleted_comment_takes_its_mirror_with_it_only_when_deletes_unlink(engine):
    sync_id, key, partner = _linked(engine)
    kept = engine.rest("acme", "POST", f"/issue/{key}/comment", json={"body": adf.from_text("Kept")}).json()
    engine.settle()
    engine.rest("acme", "DELETE", f"/issue/{key}/comment/{kept['id']}", user="alice")
    engine.settle()
    assert len(_comments(engine, "globex", partner)) == 1  # deletes: ignore — the mirror stays

    def unlink(document):
        document["deletes"] = "unlink"

    engine.configure(sync_id, unlink)
    gone = engine.rest("acme", "POST", f"/issue/{key}/comment", json={"body": adf.from_text("Gone")}).json()
    engine.settle()
    assert len(_comments(engine, "globex", partner)) == 2
    engine.rest("acme", "DELETE", f"/issue/{key}/comment/{gone['id']}", user="alice")
    engine.settle()
    assert [adf.to_text(c["body"]).split("\n")[-1] for c in _comments(engine, "globex", partner)] == ["Kept"]
