"""What each kind of change costs in Jira calls, counted by the simulator: a create, an edit, a comment and an
attachment on side 1 carried to side 2, and a create, an edit and a comment on side 2 carried back. The table is
the same whether side 1 (acme) is a Connect or a Forge site: the front end changes how a change is heard of (a
webhook or a Forge event) and how we call (a JWT or the system token on the gateway), never what the engine does."""
import pytest

from jirasim import adf
from tests.support.world import SIDE1_KINDS

pytestmark = [SIDE1_KINDS, pytest.mark.in_process]  # no periodic poll: only what each change costs

READ = "GET /rest/api/3/issue/{issueIdOrKey}"
# Every change: one read of the changed issue, one of its partner, one write — our own write coming back (a
# webhook, or a Forge event with selfGenerated) marks nothing, so no second pass reads either issue again.
COSTS = {
    "create on acme": {f"acme {READ}": 1, f"globex {READ}": 1, "globex POST /rest/api/3/issue": 1},
    "edit on acme": {f"acme {READ}": 1, f"globex {READ}": 1, "globex PUT /rest/api/3/issue/{issueIdOrKey}": 1},
    "comment on acme": {f"acme {READ}": 1, f"globex {READ}": 1,
                        "globex POST /rest/api/3/issue/{issueIdOrKey}/comment": 1},
    "attachment on acme": {f"acme {READ}": 1, f"globex {READ}": 1, "acme GET /rest/api/3/attachment/content/{id}": 1,
                           "globex POST /rest/api/3/issue/{issueIdOrKey}/attachments": 1},
    "create on globex": {f"globex {READ}": 1, f"acme {READ}": 1, "acme POST /rest/api/3/issue": 1},
    "edit on globex": {f"globex {READ}": 1, f"acme {READ}": 1, "acme PUT /rest/api/3/issue/{issueIdOrKey}": 1},
    "comment on globex": {f"globex {READ}": 1, f"acme {READ}": 1,
                          "acme POST /rest/api/3/issue/{issueIdOrKey}/comment": 1},
}
# The periodic poll (a JQL search per side, on a timer, whatever changed) may fall into any step: not counted.
POLL = "POST /rest/api/3/search/jql"


def _attach(engine, site, key):
    response = engine.installed.as_user(site, "dev").post(
        f"{engine.installed.sim.site_url(site)}/rest/api/3/issue/{key}/attachments",
        headers={"X-Atlassian-Token": "no-check"}, files={"file": ("notes.txt", b"hello", "text/plain")}, timeout=30)
    assert response.status_code == 200, response.text


@pytest.fixture
def counted(engine):
    """Run a change, wait until it is synced, and give the calls our app made for it (the poll's aside)."""
    def run(change):
        engine.reset_calls()
        change()
        engine.settle()
        return {name: n for name, n in engine.calls().items() if not name.endswith(POLL)}
    return run


def test_each_change_costs_the_same_calls_whichever_front_end_side_1_has(engine, counted, side1_kind):
    sync_id = engine.synchronize()
    engine.settle()
    seen, keys = {}, {}
    seen["create on acme"] = counted(lambda: keys.update(acme=engine.create("acme", "ACME", "Counted")))
    partner = engine.partner(sync_id, 1, keys["acme"])
    assert engine.issue("globex", partner)["summary"] == "Counted"
    seen["edit on acme"] = counted(lambda: engine.edit("acme", keys["acme"], summary="Counted again"))
    seen["comment on acme"] = counted(lambda: engine.rest("acme", "POST", f"/issue/{keys['acme']}/comment",
                                                          json={"body": adf.from_text("Hello")}))
    seen["attachment on acme"] = counted(lambda: _attach(engine, "acme", keys["acme"]))
    seen["create on globex"] = counted(lambda: keys.update(globex=engine.create("globex", "GLOBEX", "Back")))
    back = engine.partner(sync_id, 2, keys["globex"])
    assert back and engine.issue("acme", back)["summary"] == "Back"
    seen["edit on globex"] = counted(lambda: engine.edit("globex", keys["globex"], summary="Back again"))
    seen["comment on globex"] = counted(lambda: engine.rest("globex", "POST", f"/issue/{keys['globex']}/comment",
                                                            json={"body": adf.from_text("Hello back")}))
    assert engine.issue("acme", back)["summary"] == "Back again"
    assert [c["body"] for c in engine.rest("acme", "GET", f"/issue/{back}/comment").json()["comments"]]
    assert seen == COSTS, side1_kind
