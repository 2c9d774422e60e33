"""Issue 22 through the engine: mentions follow the user mapping (a person the partner site lacks becomes their name),
or with `users.mentions: text` all reach the partner as names and notify nobody there; versions the partner lacks are
created there with their description, and an attachment over the partner's upload limit is skipped before anything is
downloaded, with a row naming the limit."""
import pytest
import requests
from sqlalchemy import select

from jirasim import adf
from plugin.models import SyncError
from plugin.models.links import ValueLink
from tests.support.api import ApiUser
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


KINDS = {"fixVersions": ("version", "2.0"), "components": ("component", "Backend")}  # on both sample projects


def _keep_details(engine, sync_id, field, direction="1→2", conflict="newest"):
    """The field's row adds what the partner lacks and keeps names and details equal."""
    def change(document):
        row = next(r for r in document["fields"] if r["1"]["id"] == field)
        row.update(direction=direction, conflict=conflict, createMissing=True, syncDetails=True)
    engine.configure(sync_id, change)


def _values(engine, site, project, field):
    """The project's versions or components by name, as a person lists them."""
    kind = "versions" if field == "fixVersions" else "components"
    return {v["name"]: v for v in engine.rest(site, "GET", f"/project/{project}/{kind}", user="alice").json()}


def _change(engine, site, project, field, current, **changes):
    """A project admin renames or changes a version or component in Jira (which leaves its issues' `updated`)."""
    singular = KINDS[field][0]
    found = _values(engine, site, project, field)[current]
    changed = engine.rest(site, "PUT", f"/{singular}/{found['id']}", user="pat", json=changes)
    assert changed.status_code == 200, changed.text


@pytest.mark.parametrize("field", list(KINDS), ids=["version", "component"])
def test_a_value_renamed_on_the_winning_side_is_renamed_on_the_partner_and_never_created_twice(engine, field):
    singular, name = KINDS[field]
    sync_id = engine.synchronize()
    _keep_details(engine, sync_id, field)
    key = engine.create("acme", "ACME", "Carries it", **{field: [{"name": name}]})
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    before = _values(engine, "globex", "GLOBEX", field)
    _change(engine, "acme", "ACME", field, name, name=f"{name} Spring")
    engine.reset_calls()
    engine.edit("acme", key, summary="Carries it, renamed")  # the rename alone touches no issue: an edit syncs it
    engine.settle()
    after = _values(engine, "globex", "GLOBEX", field)
    assert len(after) == len(before) and name not in after  # renamed in place: no second value
    assert after[f"{name} Spring"]["id"] == before[name]["id"]
    carried = engine.issue("globex", partner)
    assert [v["name"] for v in carried[field]] == [f"{name} Spring"] and carried["summary"] == "Carries it, renamed"
    calls = engine.calls()
    kind = "versions" if field == "fixVersions" else "components"
    assert calls.get(f"globex PUT /rest/api/3/{singular}/{{id}}") == 1  # the rename
    assert not calls.get(f"globex POST /rest/api/3/{singular}")
    assert calls.get(f"acme GET /rest/api/3/project/{{projectIdOrKey}}/{kind}") == 1  # the stale cache, read once
    engine.reset_calls()
    second = engine.create("acme", "ACME", "Also carries it", **{field: [{"name": f"{name} Spring"}]})
    engine.settle()
    assert [v["name"] for v in engine.issue("globex", engine.partner(sync_id, 1, second))[field]] == [
        f"{name} Spring"]
    calls = engine.calls()  # known now on both sides: nothing read, renamed or created again
    assert not [call for call in calls if f"/{singular}" in call or f"/{kind}" in call]
    with engine.runtime.sessions() as session:
        assert not session.scalars(select(SyncError).where(SyncError.state == "open")).all()
        pairs = session.execute(select(ValueLink.side1_id, ValueLink.side2_id).where(
            ValueLink.sync_id == int(sync_id), ValueLink.kind == kind)).all()
    assert [tuple(p) for p in pairs] == [(_values(engine, "acme", "ACME", field)[f"{name} Spring"]["id"],
                                         before[name]["id"])]


def test_a_versions_release_date_start_date_and_released_flag_follow_the_winning_side(engine):
    """Releasing a version changes no issue: the next sync of an issue carrying it (its versions unchanged) makes
    the partner equal, from the issue as read, without reading the projects' versions."""
    sync_id = engine.synchronize()
    _keep_details(engine, sync_id, "fixVersions")
    key = engine.create("acme", "ACME", "Released in 2.0", fixVersions=[{"name": "2.0"}])
    engine.settle()
    _change(engine, "acme", "ACME", "fixVersions", "2.0", releaseDate="2027-03-01", startDate="2027-01-04",
            released=True, description="The spring release")
    engine.reset_calls()
    engine.edit("acme", key, summary="Released in 2.0, shipped")
    engine.settle()
    there = _values(engine, "globex", "GLOBEX", "fixVersions")["2.0"]
    assert (there["releaseDate"], there["startDate"], there["released"], there["description"]) == (
        "2027-03-01", "2027-01-04", True, "The spring release")
    calls = engine.calls()
    assert calls.get("globex PUT /rest/api/3/version/{id}") == 1  # all of it in one PUT
    assert not [call for call in calls if call.endswith("/versions") or "POST /rest/api/3/version" in call]
    assert len(_values(engine, "globex", "GLOBEX", "fixVersions")) == 2  # 1.0 and 2.0, none added
    engine.reset_calls()
    engine.edit("acme", key, summary="Released in 2.0, shipped again")
    engine.settle()
    assert not engine.calls().get("globex PUT /rest/api/3/version/{id}")  # equal now: nothing more to write


def test_a_version_renamed_on_the_losing_side_is_not_carried_and_nothing_is_created_for_it(engine):
    sync_id = engine.synchronize()
    _keep_details(engine, sync_id, "fixVersions", direction="both", conflict="1")  # ACME's names are kept
    key = engine.create("acme", "ACME", "Two-way", fixVersions=[{"name": "2.0"}])
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    before = _values(engine, "acme", "ACME", "fixVersions")
    _change(engine, "globex", "GLOBEX", "fixVersions", "2.0", name="2.0 Beta")
    engine.reset_calls()
    engine.edit("globex", partner, summary="Two-way, edited there")
    engine.settle()
    mine = engine.issue("acme", key)
    assert mine["summary"] == "Two-way, edited there"  # the edit was carried
    assert [v["name"] for v in mine["fixVersions"]] == ["2.0"]  # by the pair, not by the losing name
    assert _values(engine, "acme", "ACME", "fixVersions").keys() == before.keys()  # no "2.0 Beta" added
    calls = engine.calls()
    assert not calls.get("acme POST /rest/api/3/version") and not calls.get("acme PUT /rest/api/3/version/{id}")
    with engine.runtime.sessions() as session:
        assert not session.scalars(select(SyncError).where(SyncError.state == "open")).all()


def test_a_rename_the_partner_refuses_is_an_open_row_and_the_write_goes_on_with_the_paired_version(engine):
    sync_id = engine.synchronize()
    _keep_details(engine, sync_id, "fixVersions")
    key = engine.create("acme", "ACME", "Collides", fixVersions=[{"name": "2.0"}])
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    globex = engine.rest("globex", "GET", "/project/GLOBEX", user="pat").json()
    taken = engine.rest("globex", "POST", "/version", user="pat", json={"projectId": int(globex["id"]), "name": "2.1"})
    assert taken.status_code == 201, taken.text  # the partner has another version of the new name already
    _change(engine, "acme", "ACME", "fixVersions", "2.0", name="2.1")
    engine.edit("acme", key, summary="Collides, renamed")
    engine.settle()
    carried = engine.issue("globex", partner)
    assert carried["summary"] == "Collides, renamed"  # the write went on
    kept = _values(engine, "globex", "GLOBEX", "fixVersions")["2.0"]  # the partner, by id, under its own name
    assert [v["id"] for v in carried["fixVersions"]] == [kept["id"]]
    with engine.runtime.sessions() as session:
        rows = session.scalars(select(SyncError).where(SyncError.state == "open")).all()
    assert [(r.category, r.side, r.field) for r in rows] == [("configuration", 2, "fixVersions")]
    assert "2.1" in rows[0].message and "GLOBEX" in rows[0].message and "by hand" in rows[0].message


def test_deleting_a_synchronization_forgets_its_paired_values(engine):
    sync_id = engine.synchronize()
    _keep_details(engine, sync_id, "components")
    engine.create("acme", "ACME", "Paired", components=[{"name": "Backend"}, {"name": "Frontend"}])
    engine.settle()
    with engine.runtime.sessions() as session:
        assert len(session.scalars(select(ValueLink).where(ValueLink.sync_id == int(sync_id))).all()) == 2
    assert ApiUser(engine.installed, "acme", "pat", project="ACME").delete(
        f"/synchronizations/{sync_id}").status_code == 204
    with engine.runtime.sessions() as session:
        assert not session.scalars(select(ValueLink).where(ValueLink.sync_id == int(sync_id))).all()
