"""Configuring a synchronization through the API, against both simulated sites' real metadata."""
import pytest
import requests

from plugin.audit import Actor
from plugin.errors import Conflict
from plugin.models import Tenant
from plugin.syncs import access, drafts
from tests.support.api import ApiUser


@pytest.fixture
def pat_acme(installed):
    """Pat Project on ACME's settings page."""
    return ApiUser(installed, "acme", "pat", project="ACME")


@pytest.fixture
def pat_globex(installed):
    """Pat Project on GLOBEX's settings page."""
    return ApiUser(installed, "globex", "pat", project="GLOBEX")


def _accepted(requester: ApiUser, partner: ApiUser, mode: str) -> str:
    sync = requester.request_sync("GLOBEX", partner_site="globex", mode=mode)
    assert partner.post(f"/synchronizations/{sync['id']}/accept").status_code == 200
    return sync["id"]


def _config(user: ApiUser, sync_id: str) -> dict:
    response = user.get(f"/synchronizations/{sync_id}/configuration")
    assert response.status_code == 200, response.text
    return response.json()


def test_accepting_in_immediate_mode_publishes_the_suggestion_so_it_can_start_at_once(pat_acme, pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "immediate")
    mine, theirs = _config(pat_acme, sync_id), _config(pat_globex, sync_id)
    assert (mine["version"], mine["draftStatus"], theirs["draftStatus"]) == (1, "draft_published", "draft_published")
    assert mine["published"] == theirs["published"] and mine["problems"] == []
    types = {(row["1"]["name"], row["2"]["name"]) for row in mine["published"]["issueTypes"]}
    assert ("Task", "Task") in types
    assert pat_acme.post(f"/synchronizations/{sync_id}/start").json()["status"] == "running"


def test_the_suggestion_maps_names_not_ids_between_sites_whose_ids_differ(pat_acme, pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "review")
    suggestion = pat_acme.get(f"/synchronizations/{sync_id}/configuration/suggestion").json()
    meta = pat_acme.get(f"/synchronizations/{sync_id}/metadata").json()
    for row in suggestion["issueTypes"] + suggestion["statuses"]:
        assert row["1"]["name"].lower() == row["2"]["name"].lower()
    for side in ("1", "2"):
        types = {t["id"]: t["name"] for t in meta[side]["issueTypes"]}
        assert all(types[row[side]["id"]] == row[side]["name"] for row in suggestion["issueTypes"])


def test_immediate_mode_publishes_a_valid_save_and_keeps_an_invalid_one_as_a_draft(pat_acme, pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "immediate")
    document = _config(pat_acme, sync_id)["published"]
    document["deletes"] = "unlink"
    saved = pat_acme.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document)
    assert saved.status_code == 200 and saved.json()["version"] == 2 and saved.json()["draft"] is None
    document["statuses"][0]["2"] = {"id": "424242", "name": "Nowhere"}
    refused = pat_acme.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document)
    assert refused.status_code == 422 and refused.json()["problems"][0]["path"] == "/statuses/0/2"
    kept = _config(pat_acme, sync_id)
    assert (kept["version"], kept["draft"]["statuses"][0]["2"]["id"]) == (2, "424242")


def test_a_malformed_document_is_422_with_paths_and_nothing_is_stored(pat_acme, pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "review")
    refused = pat_acme.call("PUT", f"/synchronizations/{sync_id}/configuration", json={"fields": "all"})
    assert refused.status_code == 422
    assert {"/", "/fields"} <= {p["path"] for p in refused.json()["problems"]}
    assert _config(pat_acme, sync_id)["draft"] is None


def test_review_mode_send_decline_resend_accept_publishes_for_both(pat_acme, pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "review")
    assert _config(pat_acme, sync_id)["draftStatus"] == "n/a"
    document = pat_acme.get(f"/synchronizations/{sync_id}/configuration/suggestion").json()
    assert pat_acme.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document).status_code == 200
    sent = pat_acme.post(f"/synchronizations/{sync_id}/configuration/send", {"message": "First try"})
    assert sent.status_code == 200 and sent.json()["draftStatus"] == "draft_sent"
    received = _config(pat_globex, sync_id)
    assert (received["draftStatus"], received["message"]) == ("draft_received", "First try")
    assert received["received"] == document and {d["change"] for d in received["diff"]} == {"added"}
    listed = pat_globex.get("/synchronizations", project="GLOBEX").json()["synchronizations"][0]
    assert listed["draftStatus"] == "draft_received"

    declined = pat_globex.post(f"/synchronizations/{sync_id}/configuration/decline", {"message": "No comments"})
    assert declined.status_code == 200 and declined.json()["draftStatus"] in ("n/a", "draft_published")
    mine = _config(pat_acme, sync_id)
    assert (mine["draftStatus"], mine["declineMessage"]) == ("declined", "No comments")

    document["comments"]["direction"] = "none"
    pat_acme.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document)
    pat_acme.post(f"/synchronizations/{sync_id}/configuration/send")
    assert pat_acme.post(f"/synchronizations/{sync_id}/start").status_code == 409  # nothing published yet
    accepted = pat_globex.post(f"/synchronizations/{sync_id}/configuration/accept")
    assert accepted.status_code == 200 and accepted.json()["version"] == 1
    for user in (pat_acme, pat_globex):
        seen = _config(user, sync_id)
        assert (seen["draftStatus"], seen["published"]["comments"]["direction"]) == ("draft_published", "none")
    assert pat_acme.post(f"/synchronizations/{sync_id}/start").json()["status"] == "running"


def test_drafts_are_refused_out_of_place(pat_acme, pat_globex):
    immediate = _accepted(pat_acme, pat_globex, "immediate")
    refused = pat_acme.post(f"/synchronizations/{immediate}/configuration/send")
    assert refused.status_code == 409 and "immediate mode" in refused.json()["message"]
    review = pat_acme.request_sync("SUP", partner_site="globex", mode="review")
    not_yet = pat_acme.call("PUT", f"/synchronizations/{review['id']}/configuration",
                            json=_config(pat_acme, immediate)["published"])
    assert not_yet.status_code == 409 and "accepted" in not_yet.json()["message"]
    assert pat_acme.post(f"/synchronizations/{review['id']}/configuration/accept").status_code == 409


def test_when_both_send_at_the_same_moment_the_first_wins_and_the_other_keeps_their_draft(installed, pat_acme,
                                                                                           pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "review")
    document = pat_acme.get(f"/synchronizations/{sync_id}/configuration/suggestion").json()
    for user in (pat_acme, pat_globex):
        assert user.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document).status_code == 200
    runtime = installed.live.runtime
    with runtime.sessions() as first, runtime.sessions() as second:
        actors = []
        for session, user in ((first, pat_acme), (second, pat_globex)):
            tenant = session.query(Tenant).filter_by(base_url=user.site_url).one()
            actors.append(Actor(tenant, user.account.account_id, user.project_id(user.project), user.project))
        # The second sender has read the drafts (and holds them) before the first one's send commits: the race.
        seen_by_second = access.read(second, actors[1], sync_id, runtime.permissions)
        drafts.send(first, actors[0], sync_id, None, runtime.permissions, runtime.sides)
        first.commit()
        with pytest.raises(Conflict, match="at the same moment"):
            drafts.send(second, actors[1], sync_id, None, runtime.permissions, runtime.sides)
        second.rollback()
        assert seen_by_second[0].id == int(sync_id)
    assert _config(pat_acme, sync_id)["draftStatus"] == "draft_sent"
    theirs = _config(pat_globex, sync_id)
    assert theirs["draftStatus"] == "draft_received" and theirs["draft"] == document


def test_only_the_two_sides_admins_configure(installed, pat_acme, pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "review")
    document = pat_acme.get(f"/synchronizations/{sync_id}/configuration/suggestion").json()
    assert ApiUser(installed, "acme", "dev", project="ACME").get(
        f"/synchronizations/{sync_id}/configuration").status_code == 403
    grants = installed.site("acme").project("ACME").grants
    account = pat_acme.account.account_id
    grants[account] = set(grants[account]) - {"ADMINISTER_PROJECTS"}  # Pat now administers SUP only
    installed.live.runtime.permissions.forget()
    sup_admin = ApiUser(installed, "acme", "pat", project="SUP")
    refused = sup_admin.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document)
    assert refused.status_code == 403 and "ACME" in refused.json()["message"]
    same_site = ApiUser(installed, "acme", "alice", project="ACME").request_sync("SUP", name="Local")
    assert pat_globex.get(f"/synchronizations/{same_site['id']}/configuration").status_code == 404


def test_each_sides_metadata_is_read_with_that_sides_own_credentials(installed, pat_acme, pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "review")
    requests.post(f"{installed.sim.base_url}/_sim/reset", json={}, timeout=10)
    assert pat_acme.get(f"/synchronizations/{sync_id}/metadata", refresh="true").status_code == 200
    log = requests.get(f"{installed.sim.base_url}/_sim/requests", timeout=10).json()
    apps = {site: installed.site(site).apps["work-sync"].account_id for site in ("acme", "globex")}
    reads = [entry for entry in log if "/project/" in entry["path"]]
    assert {entry["site"] for entry in reads} == {"acme", "globex"}
    assert all(entry["caller"] == apps[entry["site"]] for entry in reads)


def test_a_status_deleted_in_jira_later_makes_the_configuration_invalid_and_blocks_start(installed, pat_acme,
                                                                                         pat_globex):
    sync_id = _accepted(pat_acme, pat_globex, "immediate")
    published = _config(pat_acme, sync_id)["published"]
    option_field = next((row for row in published["fields"] if row.get("transform", {}).get("type") == "valueMap"
                         and row["2"]["id"].startswith("customfield_")), None)
    assert option_field is not None, "the sample sites share a select field"
    alice = installed.as_user("globex", "alice")
    deleted = alice.delete(f"{installed.sim.site_url('globex')}/rest/api/3/field/{option_field['2']['id']}")
    assert deleted.status_code in (200, 204, 303), deleted.text
    installed.live.runtime.sides.cache.forget()  # a refresh is honoured once every 30 s: as if they had passed
    seen = pat_acme.get(f"/synchronizations/{sync_id}/configuration", refresh="true").json()
    assert any("does not exist" in p["message"] for p in seen["problems"])
    refused = pat_acme.post(f"/synchronizations/{sync_id}/start")
    assert refused.status_code == 409 and "Configure" in refused.json()["message"]
    assert refused.json()["problems"]
