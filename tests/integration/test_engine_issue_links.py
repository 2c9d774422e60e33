"""Issue links follow their issues when both ends are synced: one POST per new link, none on the echo, removals
both ways, a link to an issue without a partner waits (visibly) and is carried once that issue is synced, an
unmapped type is a visible reason, and a lost answer is looked up on the partner before writing again."""
import pytest
import requests
from sqlalchemy import select

from plugin.models import IssueLinkMirror, SyncError
from tests.support.engine import kill, workers
from tests.support.eventually import eventually

LINK = "/rest/api/3/issueLink"


def _links_on(document, **section):
    document["issueLinks"] = {"direction": "both", "sameName": True, "types": [], **section}


def _synced_pair(engine, **section):
    sync_id = engine.synchronize()
    engine.configure(sync_id, lambda document: _links_on(document, **section))
    one, two = engine.create("acme", "ACME", "Blocker"), engine.create("acme", "ACME", "Blocked")
    engine.settle()
    return sync_id, (one, two), (engine.partner(sync_id, 1, one), engine.partner(sync_id, 1, two))


def _link(engine, site, inward, outward, kind="Blocks"):
    response = engine.rest(site, "POST", "/issueLink", json={"type": {"name": kind}, "inwardIssue": {"key": inward},
                                                             "outwardIssue": {"key": outward}})
    assert response.status_code == 201, response.text


def _shown(engine, site, key):
    """(type, direction, other end) of each link of an issue."""
    return sorted((entry["type"]["name"], "outward" if "outwardIssue" in entry else "inward",
                   (entry.get("outwardIssue") or entry.get("inwardIssue"))["key"])
                  for entry in engine.issue(site, key)["issuelinks"])


def _rows(engine, sync_id):
    with engine.runtime.sessions() as session:
        return list(session.scalars(select(IssueLinkMirror).where(IssueLinkMirror.sync_id == int(sync_id))
                                    .order_by(IssueLinkMirror.id)))


def _open_link_errors(engine, sync_id):
    with engine.runtime.sessions() as session:
        return list(session.scalars(select(SyncError).where(SyncError.sync_id == int(sync_id),
                                                            SyncError.field.like("issuelink:%"),
                                                            SyncError.state == "open")))


@pytest.mark.in_process  # no worker process: what it checks needs none
def test_a_link_between_synced_issues_is_created_once_on_the_partners_and_its_echo_writes_nothing(engine):
    sync_id, (one, two), (p_one, p_two) = _synced_pair(engine)
    engine.reset_calls()
    _link(engine, "acme", one, two)
    engine.settle()
    assert _shown(engine, "globex", p_one) == [("Blocks", "outward", p_two)]
    assert _shown(engine, "globex", p_two) == [("Blocks", "inward", p_one)]
    assert _shown(engine, "acme", one) == [("Blocks", "outward", two)]  # nothing came back
    calls = engine.calls()
    assert calls.get(f"globex POST {LINK}") == 1 and f"acme POST {LINK}" not in calls
    assert not any("/issueLink" in name and "GET" in name for name in calls)  # read from `issuelinks`, no extra GET
    (row,) = _rows(engine, sync_id)
    mirror = engine.issue("globex", p_one)["issuelinks"][0]["id"]
    assert (row.state, row.origin_side, row.mirror_id) == ("confirmed", 1, mirror)  # the echo confirmed it

    engine.reset_calls()  # syncing both issues again (an edit) writes no link
    engine.edit("acme", one, summary="Blocker, edited")
    engine.edit("globex", p_two, summary="Blocked, edited")
    engine.settle()
    assert not any(LINK in name for name in engine.calls())
    assert len(engine.issue("globex", p_one)["issuelinks"]) == 1


@pytest.mark.in_process  # no worker process: what it checks needs none
def test_a_removed_link_is_removed_on_the_other_side_both_ways(engine):
    sync_id, (one, two), (p_one, p_two) = _synced_pair(engine)
    _link(engine, "acme", one, two)
    _link(engine, "globex", p_two, p_one, kind="Relates")  # made on side 2, carried to side 1
    engine.settle()
    assert _shown(engine, "acme", one) == [("Blocks", "outward", two), ("Relates", "inward", two)]
    engine.reset_calls()
    blocks = next(e["id"] for e in engine.issue("acme", one)["issuelinks"] if e["type"]["name"] == "Blocks")
    assert engine.rest("acme", "DELETE", f"/issueLink/{blocks}").status_code == 204  # the origin, on side 1
    relates = next(e["id"] for e in engine.issue("acme", one)["issuelinks"] if e["type"]["name"] == "Relates")
    assert engine.rest("acme", "DELETE", f"/issueLink/{relates}").status_code == 204  # a mirror, on side 1
    engine.settle()
    assert _shown(engine, "globex", p_one) == [] and _shown(engine, "acme", one) == []
    calls = engine.calls()
    assert calls.get(f"globex DELETE {LINK}/{{linkId}}") == 2 and f"acme DELETE {LINK}/{{linkId}}" not in calls
    assert not any(name.endswith(f"POST {LINK}") for name in calls)
    assert {row.state for row in _rows(engine, sync_id)} == {"deleted"}


@pytest.mark.in_process  # no worker process: what it checks needs none
def test_a_link_to_an_issue_without_a_partner_waits_visibly_and_is_carried_once_that_issue_is_synced(engine):
    sync_id = engine.synchronize()

    def only_labelled(document):
        _links_on(document)
        document["filters"]["1"] = "labels = synced"

    engine.configure(sync_id, only_labelled)
    one = engine.create("acme", "ACME", "Synced", labels=["synced"])
    later = engine.create("acme", "ACME", "Not yet")
    engine.settle()
    assert engine.partner(sync_id, 1, later) is None
    _link(engine, "acme", one, later)
    engine.settle()
    (waiting,) = _open_link_errors(engine, sync_id)
    assert waiting.issue_key == one and f"{later} has no partner yet" in waiting.message
    assert [row.state for row in _rows(engine, sync_id)] == ["waiting"]
    engine.reset_calls()
    engine.edit("acme", later, labels=["synced"])  # now in the filter: synced, and the link with it
    engine.settle()
    partner_later, partner_one = engine.partner(sync_id, 1, later), engine.partner(sync_id, 1, one)
    assert partner_later is not None
    assert _shown(engine, "globex", partner_one) == [("Blocks", "outward", partner_later)]
    assert engine.calls().get(f"globex POST {LINK}") == 1
    assert _open_link_errors(engine, sync_id) == []
    assert [row.state for row in _rows(engine, sync_id)] == ["confirmed"]


@pytest.mark.in_process  # no worker process: what it checks needs none
def test_a_link_type_without_a_counterpart_is_a_visible_reason_and_writes_nothing(engine):
    sync_id, (one, two), (p_one, p_two) = _synced_pair(engine, sameName=False, types=[
        {"1": {"id": "10000", "name": "Blocks"}, "2": {"id": "10000", "name": "Blocks"}}])
    engine.reset_calls()
    _link(engine, "acme", one, two, kind="Relates")
    _link(engine, "acme", one, two, kind="Blocks")
    engine.settle()
    assert _shown(engine, "globex", p_one) == [("Blocks", "outward", p_two)]
    assert engine.calls().get(f"globex POST {LINK}") == 1
    (unmapped,) = _open_link_errors(engine, sync_id)
    assert unmapped.category == "mapping" and unmapped.issue_key in (one, two)
    assert "the link type 'Relates' has no counterpart in GLOBEX" in unmapped.message
    assert "Configure → Issue links" in unmapped.fix
    engine.edit("acme", one, summary="Synced again")  # the reason stays one row while it holds
    engine.settle()
    (again,) = _open_link_errors(engine, sync_id)
    assert again.id == unmapped.id and again.count > unmapped.count


def test_a_link_whose_answer_was_lost_is_looked_up_on_the_partner_and_never_made_twice(installed, engine):
    sync_id, (one, two), (p_one, p_two) = _synced_pair(engine)
    engine.fault(kind="latency", site="globex", endpoint=LINK, method="POST", count=1, ms=2500)
    _link(engine, "acme", one, two)

    def held():
        applied = requests.get(f"{engine.installed.sim.base_url}/_sim/faults", timeout=10).json()["applied"]
        return any(a["fault"] == "latency" and a["site"] == "globex" and a["endpoint"] == LINK for a in applied)

    eventually(held, timeout=30)
    for process in engine.worker_processes:  # Jira links them; nobody is left to store the answer
        kill(process)

    def answered():
        return any(r["site"] == "globex" and r["endpoint"] == LINK and r["method"] == "POST" and
                   200 <= r["status"] < 300 for r in engine.app_requests())

    eventually(answered, timeout=30)
    assert [row.state for row in _rows(engine, sync_id)] == ["intent"]  # stored before the call, answer unseen
    engine.reset_calls()
    with workers(installed.live.settings, 1) as fresh:
        engine.worker_processes = fresh
        engine.edit("acme", one, summary="Look again")
        engine.settle()
    assert _shown(engine, "globex", p_one) == [("Blocks", "outward", p_two)]
    assert f"globex POST {LINK}" not in engine.calls()  # found on the partner, not written again
    assert [row.state for row in _rows(engine, sync_id)] == ["confirmed"]
