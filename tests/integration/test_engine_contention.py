"""Two workers on one link: the one that finds the link held leaves the issue due, so the ring of the holder (which
finds it marked again when done) runs it at once instead of waiting for a sweep."""
from plugin.engine import links, runner
from plugin.engine.intake import dirty
from plugin.models import utcnow
from tests.support.engine import Engine


def _issue_id(engine: Engine, site: str, key: str) -> str:
    return str(engine.rest(site, "GET", f"/issue/{key}", params={"fields": "summary"}).json()["id"])


def test_a_job_that_finds_the_link_held_leaves_the_issue_due_and_syncs_once_it_is_free(installed):
    engine, tools = Engine(installed), installed.live.runtime.tools
    sync_id = int(engine.synchronize())
    key = engine.create("acme", "ACME", "Contended")
    installed.flush_webhooks()
    issue = dirty.DirtyKey(sync_id, 1, _issue_id(engine, "acme", key))
    assert runner.sync_issue(tools, issue).state == "synced"  # the partner is created
    engine.edit("acme", key, summary="Contended, edited")
    installed.flush_webhooks()
    with tools.sessions() as session:
        link = links.by_issue(session, sync_id, 1, issue.issue_id)
        partner, marked = link.issue_key(2), dirty.find(session, issue)
        revision, due_at = marked.revision, marked.not_before
    with tools.guard.lock(f"link:{link.id}") as held:
        assert held
        outcome = runner.sync_issue(tools, issue)
        assert (outcome.state, outcome.detail) == ("later", "another worker holds the link")
    with tools.sessions() as session:
        row = dirty.find(session, issue)
        assert (row.revision, row.not_before) == (revision, due_at)  # untouched: still due
        assert runner._aware(row.not_before) <= utcnow()
    assert engine.issue("globex", partner)["summary"] == "Contended"
    assert runner.sync_issue(tools, issue).state == "synced"
    assert engine.issue("globex", partner)["summary"] == "Contended, edited"
    with tools.sessions() as session:
        assert dirty.find(session, issue) is None
