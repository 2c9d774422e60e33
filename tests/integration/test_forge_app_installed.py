"""The generated Forge app, installed from its manifest on a simulated site with the live app as its remote: the
installed lifecycle makes a forge tenant, and an issue created on that site reaches /forge/events and marks the
issue dirty for its synchronization with a Connect site."""
import requests
from sqlalchemy import select

from plugin.models import DirtyIssue, WebhookDelivery
from tests.support.eventually import eventually
from tests.support.forge_world import FORGE_SITE, forge_installed  # noqa: F401  (the fixture)


def test_the_installed_lifecycle_makes_a_forge_tenant_of_the_site(forge_installed):  # noqa: F811
    world = forge_installed
    lifecycle = [i for i in world.invocations() if i.get("kind") == "lifecycle"]
    assert [(i["event"], i["outcome"]) for i in lifecycle] == [("avi:forge:installed:app", "delivered")]
    with world.live.runtime.sessions() as session:
        tenant = world.forge_tenant(session)
        assert tenant is not None
        assert (tenant.kind, tenant.cloud_id, tenant.base_url) == (
            "forge", world.installation["cloudId"], world.sim.site_url(FORGE_SITE))


def test_an_issue_created_on_the_forge_site_reaches_the_events_route_and_is_marked_dirty(forge_installed):  # noqa: F811
    world = forge_installed
    sync_id = world.running_sync()
    alice = next(u for u in world.sim.world.sites[FORGE_SITE].users.values() if u.email.startswith("alice@"))
    created = requests.post(f"{world.sim.site_url(FORGE_SITE)}/rest/api/3/issue", auth=(alice.email, "api-token"),
                            json={"fields": {"project": {"key": "ACME"}, "summary": "Made on the Forge site",
                                             "issuetype": {"name": "Task"}}}, timeout=30)
    assert created.status_code == 201, created.text
    issue_id = created.json()["id"]
    world.flush()
    events = [i for i in world.invocations() if i.get("event") == "avi:jira:created:issue"]
    assert [(i["endpoint"], i["outcome"]) for i in events] == [("ws-events", "delivered")]

    def marked():
        with world.live.runtime.sessions() as session:
            dirty = session.scalars(select(DirtyIssue).where(DirtyIssue.sync_id == sync_id,
                                                             DirtyIssue.issue_id == issue_id)).all()
            inbox = session.scalars(select(WebhookDelivery)).all()
            return (dirty, inbox) if dirty else None
    dirty, inbox = eventually(marked)
    assert [d.side for d in dirty] == [1]
    assert any(issue_id in str(row.payload) for row in inbox)
