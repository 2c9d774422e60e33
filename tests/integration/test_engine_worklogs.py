"""Worklogs follow their issue (section `worklogs`): carried once per direction by Work Sync's user with the author,
site and start in the comment's first line, edits followed (time spent, start, comment), deletes per the `deletes`
policy, never echoed; a worker killed inside the POST leaves the worklog once (found by its worklog property). By user
mapping a copy on a Forge site is the mapped person's own (offline user impersonation); on a Connect site it stays
Work Sync's, naming them, and a mapping problem says why."""
from datetime import UTC, datetime

import requests
from sqlalchemy import select

from jirasim import adf
from plugin.models.links import WorklogLink
from plugin.models.problems import SyncError
from tests.faults.scenario import answered, held
from tests.support.engine import kill, workers
from tests.support.eventually import eventually
from tests.support.world import SIDE1_KINDS

pytestmark = SIDE1_KINDS

WORKLOG = "/rest/api/3/issue/{issueIdOrKey}/worklog"
ONE = "/rest/api/3/issue/{issueIdOrKey}/worklog/{id}"


def _linked(engine, deletes=None, mode="anonymous"):
    sync_id = engine.synchronize()

    def on(document):
        document["worklogs"] = {"direction": "both", "mode": mode}
        if deletes:
            document["deletes"] = deletes

    engine.configure(sync_id, on)
    key = engine.create("acme", "ACME", "Worked on")
    engine.settle()
    return sync_id, key, engine.partner(sync_id, 1, key)


def _logs(engine, site, key):
    return engine.rest(site, "GET", f"/issue/{key}/worklog", user="alice").json()["worklogs"]


def _log(engine, site, key, seconds, text, started="2026-11-30T09:00:00.000+0000"):
    answer = engine.rest(site, "POST", f"/issue/{key}/worklog", json={
        "timeSpentSeconds": seconds, "started": started, "comment": adf.from_text(text)})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _state(engine, origin_id):
    with engine.runtime.sessions() as session:
        return session.scalar(select(WorklogLink.state).where(WorklogLink.origin_id == str(origin_id)))


def _at(started: str) -> datetime:
    """A worklog's start as an instant (each site shows it in its own zone)."""
    return datetime.strptime(started, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)


def _synced(engine, until=None):
    """Settled, and `until()` holds. A worklog write sends `jira:issue_updated` (Connect); Forge sends no issue event
    for it, so the poll finds it by the issue's `updated` — polled now, and again until it has been."""
    def done():
        engine.poll_now()
        engine.settle()
        return until is None or until()
    eventually(done, timeout=90, interval=1)


def _writes(engine):
    return {name: count for name, count in engine.calls().items() if "/worklog" in name and
            (" POST " in name or " PUT " in name or " DELETE " in name)}


def test_a_worklog_is_carried_once_each_way_with_its_attribution_and_never_comes_back(engine):
    sync_id, key, partner = _linked(engine)
    engine.reset_calls()
    _log(engine, "acme", key, 5400, "Fixed the printer")
    _log(engine, "globex", partner, 1800, "Reviewed the fix", started="2026-12-01T14:30:00.000+0000")
    _synced(engine, lambda: len(_logs(engine, "acme", key)) == len(_logs(engine, "globex", partner)) == 2)
    on_acme, on_globex = _logs(engine, "acme", key), _logs(engine, "globex", partner)
    assert len(on_acme) == len(on_globex) == 2  # each once, nothing came back
    copy = next(w for w in on_globex if w["timeSpentSeconds"] == 5400)
    lines = adf.to_text(copy["comment"]).split("\n")
    assert lines[0].startswith("Dev Eloper on ") and "acme" in lines[0] and "logged 1h 30m" in lines[0]
    assert "(started 2026-11-30T" in lines[0] and lines[1] == "Fixed the printer"
    assert _at(copy["started"]) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert copy["author"]["accountId"] == engine.installed.app_account("globex")  # written as the app
    back = next(w for w in on_acme if w["timeSpentSeconds"] == 1800)
    assert "globex" in adf.to_text(back["comment"]).split("\n")[0]
    assert _at(back["started"]) == datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    assert _writes(engine) == {f"globex POST {WORKLOG}": 1, f"acme POST {WORKLOG}": 1}
    engine.reset_calls()
    _synced(engine)  # the partners' own `updated` moved with our writes: read again, nothing written
    assert _writes(engine) == {}


def test_an_edited_worklog_edits_its_copy_with_one_put_and_no_echo(engine):
    sync_id, key, partner = _linked(engine)
    origin = _log(engine, "acme", key, 3600, "First go")
    _synced(engine, lambda: len(_logs(engine, "globex", partner)) == 1)
    engine.reset_calls()
    assert engine.rest("acme", "PUT", f"/issue/{key}/worklog/{origin['id']}", json={
        "timeSpentSeconds": 7200, "started": "2026-11-29T08:00:00.000+0000",
        "comment": adf.from_text("Took longer")}).ok
    _synced(engine, lambda: _logs(engine, "globex", partner)[0]["timeSpentSeconds"] == 7200)
    (copy,) = _logs(engine, "globex", partner)
    assert copy["timeSpentSeconds"] == 7200 and _at(copy["started"]) == datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    assert adf.to_text(copy["comment"]).split("\n")[-1] == "Took longer"
    assert len(_logs(engine, "acme", key)) == 1
    assert _writes(engine) == {f"globex PUT {ONE}": 1}


def test_a_deleted_worklog_takes_its_copy_with_it_only_when_deletes_unlink(engine):
    sync_id, key, partner = _linked(engine)
    kept = _log(engine, "acme", key, 600, "Kept")
    _synced(engine, lambda: len(_logs(engine, "globex", partner)) == 1)
    assert engine.rest("acme", "DELETE", f"/issue/{key}/worklog/{kept['id']}", user="alice").status_code == 204
    _synced(engine, lambda: _state(engine, kept["id"]) == "deleted")  # seen by the engine
    assert len(_logs(engine, "globex", partner)) == 1  # deletes: ignore — the copy stays

    def unlink(document):
        document["deletes"] = "unlink"

    engine.configure(sync_id, unlink)
    gone = _log(engine, "acme", key, 900, "Gone")
    _synced(engine, lambda: len(_logs(engine, "globex", partner)) == 2)
    assert len(_logs(engine, "globex", partner)) == 2
    engine.reset_calls()
    assert engine.rest("acme", "DELETE", f"/issue/{key}/worklog/{gone['id']}", user="alice").status_code == 204
    _synced(engine, lambda: len(_logs(engine, "globex", partner)) == 1)
    assert [adf.to_text(w["comment"]).split("\n")[-1] for w in _logs(engine, "globex", partner)] == ["Kept"]
    assert _writes(engine) == {f"globex DELETE {ONE}": 1}


def test_a_worker_killed_inside_the_worklog_post_leaves_it_once(installed, engine):
    sync_id, key, partner = _linked(engine)
    engine.fault(kind="latency", site="globex", endpoint=WORKLOG, method="POST", count=1, ms=2500)
    _log(engine, "acme", key, 1200, "Once only")
    engine.poll_now()
    eventually(lambda: held(engine, "globex", WORKLOG), timeout=60)
    for process in engine.worker_processes:  # Jira applies the write; nobody is left to store its answer
        kill(process)
    eventually(lambda: answered(engine, "globex", WORKLOG), timeout=30)
    with workers(installed.live.settings, 1) as fresh:
        engine.worker_processes = fresh
        engine.reset_calls()
        _synced(engine, lambda: len(_logs(engine, "globex", partner)) >= 1)
        (copy,) = _logs(engine, "globex", partner)
        assert adf.to_text(copy["comment"]).split("\n")[-1] == "Once only"
        assert len(_logs(engine, "acme", key)) == 1
        calls = engine.calls()
        assert f"globex POST {WORKLOG}" not in calls  # adopted by its property, not written again
        assert calls.get(f"globex GET {WORKLOG}", 0) >= 1  # the pending row looked up (expand=properties)


def _warnings(engine, sync_id, expected=0, state="open"):
    """The mapping problems of the synchronization in `state`, once there are at least `expected`."""
    def found():
        with engine.runtime.sessions() as session:
            return list(session.scalars(select(SyncError).where(SyncError.sync_id == int(sync_id),
                                                                SyncError.category == "mapping",
                                                                SyncError.state == state)))
    eventually(lambda: len(found()) >= expected, timeout=30)
    return found()


def _dev(engine, site):
    return next(u for u in engine.installed.site(site).users.values() if u.email.startswith("dev@"))


def test_by_user_mapping_on_a_connect_site_the_copy_is_the_apps_naming_the_person_and_says_why(engine):
    sync_id, key, partner = _linked(engine, mode="user")
    engine.reset_calls()
    _log(engine, "acme", key, 2700, "Paired on it")
    _synced(engine, lambda: len(_logs(engine, "globex", partner)) == 1)
    (copy,) = _logs(engine, "globex", partner)
    line = adf.to_text(copy["comment"]).split("\n")[0]
    mapped = next(u for u in engine.installed.sim.site("globex").users.values() if u.email.startswith("dev@"))
    assert copy["author"]["accountId"] == engine.installed.app_account("globex") != mapped.account_id
    assert line.startswith("Dev Eloper on ") and line.endswith(f", for {mapped.display_name} here:")
    assert _writes(engine) == {f"globex POST {WORKLOG}": 1}
    # Nothing can be fixed on a Connect site: a note made once (resolved), not an error the sync carries for good.
    (warning,) = _warnings(engine, sync_id, 1, state="resolved")
    assert warning.side == 2 and "globex" in warning.message and "Connect site" in warning.message
    assert mapped.display_name in warning.message and warning.fix and "Forge" in warning.fix
    assert warning.issue_id is None  # one row per author and site, not per issue
    assert _warnings(engine, sync_id) == []
    _log(engine, "acme", key, 600, "Paired on it again")
    _synced(engine, lambda: len(_logs(engine, "globex", partner)) == 2)
    assert len(_warnings(engine, sync_id, 1, state="resolved")) == 1  # the second copy adds no second note


def test_by_user_mapping_a_copy_on_the_forge_site_is_the_mapped_persons_own_and_follows_edits_and_deletes(engine):
    sync_id, key, partner = _linked(engine, deletes="unlink", mode="user")
    forge = engine.installed.kind("acme") == "forge"
    dev = _dev(engine, "acme")
    engine.reset_calls()
    origin = _log(engine, "globex", partner, 2700, "Paired on it", started="2026-12-01T10:00:00.000+0000")
    _synced(engine, lambda: len(_logs(engine, "acme", key)) == 1)
    (copy,) = _logs(engine, "acme", key)
    app = engine.installed.app_account("acme")
    if forge:  # written as Dev: no attribution line, the original comment and start
        assert copy["author"]["accountId"] == dev.account_id != app
        assert adf.to_text(copy["comment"]) == "Paired on it"
        assert _warnings(engine, sync_id) == []
    else:  # Connect: Work Sync's copy, naming Dev, and a note that says why
        assert copy["author"]["accountId"] == app
        assert adf.to_text(copy["comment"]).split("\n")[0].endswith(f", for {dev.display_name} here:")
        (warning,) = _warnings(engine, sync_id, 1, state="resolved")
        assert warning.side == 1 and "Connect site" in warning.message
    assert _at(copy["started"]) == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert _writes(engine) == {f"acme POST {WORKLOG}": 1}
    exchanges = engine.calls().get("acme POST /graphql", 0)
    assert (1 <= exchanges <= len(engine.worker_processes)) if forge else exchanges == 0
    engine.reset_calls()
    _synced(engine)  # Dev's copy moved acme's `updated`: read again, nothing carried back
    assert _writes(engine) == {} and len(_logs(engine, "globex", partner)) == 1

    assert engine.rest("globex", "PUT", f"/issue/{partner}/worklog/{origin['id']}", json={
        "timeSpentSeconds": 3600, "started": "2026-12-01T10:00:00.000+0000",
        "comment": adf.from_text("Paired longer")}).ok
    _synced(engine, lambda: _logs(engine, "acme", key)[0]["timeSpentSeconds"] == 3600)
    (copy,) = _logs(engine, "acme", key)
    assert adf.to_text(copy["comment"]).split("\n")[-1] == "Paired longer"
    assert copy["author"]["accountId"] == (dev.account_id if forge else app)
    assert copy["updateAuthor"]["accountId"] == (dev.account_id if forge else app)
    assert _writes(engine) == {f"acme PUT {ONE}": 1}

    grant = {"accountId": dev.account_id, "grant": ["DELETE_OWN_WORKLOGS"]}  # Dev may delete their own copy
    assert requests.post(f"{engine.installed.sim.base_url}/_sim/sites/acme/projects/ACME/permissions", json=grant,
                         timeout=10).ok
    engine.reset_calls()
    assert engine.rest("globex", "DELETE", f"/issue/{partner}/worklog/{origin['id']}", user="alice").status_code == 204
    _synced(engine, lambda: _logs(engine, "acme", key) == [])
    assert _writes(engine) == {f"acme DELETE {ONE}": 1}
    assert len(_logs(engine, "globex", partner)) == 0
    if forge:
        assert engine.calls().get("acme POST /graphql", 0) <= len(engine.worker_processes)  # the token is kept
