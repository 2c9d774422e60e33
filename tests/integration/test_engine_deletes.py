"""Deletes follow the configured policy, and a link that ended never comes back from a late or replayed event."""
import pytest
import requests

from tests.support.api import ApiUser
from tests.support.world import SIDE1_KINDS

pytestmark = [SIDE1_KINDS, pytest.mark.in_process]


def _linked(engine, deletes: str):
    sync_id = engine.synchronize()

    def policy(document):
        document["deletes"] = deletes

    engine.configure(sync_id, policy)
    key = engine.create("acme", "ACME", "Doomed")
    engine.settle()
    return sync_id, key, engine.partner(sync_id, 1, key)


def test_ignore_keeps_the_partner_and_makes_the_link_a_tombstone_that_stays_one(engine):
    sync_id, key, partner = _linked(engine, "ignore")
    delivered = requests.get(f"{engine.installed.sim.base_url}/_sim/webhooks", timeout=10).json()
    assert engine.rest("acme", "DELETE", f"/issue/{key}", user="alice").status_code == 204
    engine.settle()
    (link,) = [link for link in engine.links(sync_id) if link.side2_issue_key == partner]
    assert link.state == "tombstone"
    assert engine.rest("globex", "GET", f"/issue/{partner}", user="alice").status_code == 200
    engine.edit("globex", partner, summary="Edited after the delete")
    engine.poll_now()
    engine.settle()
    assert [link.state for link in engine.links(sync_id) if link.side2_issue_key == partner] == ["tombstone"]
    assert delivered is not None


def test_unlink_removes_the_partners_marker_and_ends_the_link(engine):
    sync_id, key, partner = _linked(engine, "unlink")
    assert engine.rest("globex", "GET", f"/issue/{partner}/properties/work-sync.marker", user="alice").ok
    assert engine.rest("acme", "DELETE", f"/issue/{key}", user="alice").status_code == 204
    engine.settle()
    assert [link.state for link in engine.links(sync_id) if link.side2_issue_key == partner] == ["unlinked"]
    assert engine.rest("globex", "GET", f"/issue/{partner}/properties/work-sync.marker",
                       user="alice").status_code == 404
    links = ApiUser(engine.installed, "acme", "pat", project="ACME").get(f"/synchronizations/{sync_id}/links").json()
    assert {row["state"] for row in links["links"]} >= {"unlinked"}
