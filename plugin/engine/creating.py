"""Creating the partner of a new issue without ever making two: the intent is stored (and committed) first, the
create carries a marker property with the intent's token, and a create whose answer is lost (a crash, a timeout, a
5xx) is recovered by finding the marker — searching for it, waiting out the search lag — never by creating again
blindly. Also what happens to a link when one of its issues is deleted."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from plugin import metrics
from plugin.engine import completing, hierarchy, links, mention_notes, pairing, problems, project_values, where
from plugin.engine.core.model import IssueRead, Plan, other
from plugin.engine.core.plan import for_new_issue
from plugin.engine.core.values import utc_format
from plugin.engine.outcome import Outcome
from plugin.engine.passes import SyncPass
from plugin.errors import NotFound, TransientError, WorkSyncError
from plugin.models import utcnow
from plugin.models.links import LINKED, TOMBSTONE, UNLINKED, Link

# How long after an unanswered create its partner may still appear (applied late, or not yet in the search index)
# before we take it as never made and create again.
SEARCH_LAG_GRACE = timedelta(seconds=60)


def _eligible(run: SyncPass, source: IssueRead) -> str | None:
    """Why the issue is not to be created on the other side, or None."""
    sync, compiled = run.sync, run.compiled
    if source.marker and source.marker.get("sync") == str(sync.id):
        return "it is a partner issue we created"
    if source.project_id and source.project_id != sync.project_id(source.side):
        return "it is in another project"
    if source.type_id not in compiled.types(source.side):
        return "its issue type is not synced in this direction"
    started = sync.first_started_at
    if compiled.document.get("existingIssues") != "sync" and started and source.created and \
            source.created < utc_format(started):
        return "it existed before the synchronization started (existing issues are not synced)"
    if (alone := pairing.left_alone(run, source, utc_format(started) if started else None)) is not None:
        return alone
    query = (compiled.document.get("filters") or {}).get(str(source.side))
    if query:
        found = list(run.jira(source.side).search(f"issue = {source.id} AND ({query})", fields=["id"], page_size=1,
                                                  reconcile=[int(source.id)]))
        if not found:
            return "it does not match the side's filter"
    return None


def _plan(run: SyncPass, source: IssueRead) -> Plan:
    return hierarchy.place(run, source, for_new_issue(run.rules({source.side: source}), run.compiled.status,
                                                      run.compiled.types(source.side), source,
                                                      run.sync.project_id(other(source.side))))


def preview(run: SyncPass, source: IssueRead) -> Plan:
    """The create a sync of this new issue would make (nothing written)."""
    return Plan() if _eligible(run, source) else _plan(run, source)


def start(run: SyncPass, source: IssueRead) -> Outcome:
    """A new issue on one side: create its partner (intent first), or adopt a partner we created earlier."""
    sync, session = run.sync, run.session
    if source.marker and source.marker.get("sync") == str(sync.id):
        origin = links.by_token(session, sync.id, source.marker.get("token", ""))
        if origin is not None and origin.state != LINKED and origin.issue_id(source.side) is None:
            origin.set_issue(source.side, source.id, source.key)  # found from the partner's side: finish it
            session.commit()
            return resume(run, origin)
        return Outcome("clean", "a partner issue we created")
    why_not = _eligible(run, source) or hierarchy.parent_first(run, source, start)
    if why_not:
        return Outcome("clean", f"not synced: {why_not}")
    plan = _plan(run, source)
    link = links.intend(session, sync.id, source.side, source.id, source.key, sync.configuration_version)
    session.commit()  # the intent is stored before Jira is asked
    return _create(run, link, source, plan)


def _create(run: SyncPass, link: Link, source: IssueRead, plan: Plan) -> Outcome:
    if plan.create is None:  # a resumed create whose issue type is no longer synced this way: nothing to create
        run.session.delete(link)
        run.session.commit()
        return Outcome("clean", "not synced: its issue type is not synced in this direction")
    target, session = plan.create["side"], run.session
    project_values.prepare(run, target, plan.create["fields"], source.key)
    try:
        with where.at(target, f"creating the partner of {source.key}"):
            created = run.jira(target).create_issue(plan.create["fields"], properties={
                links.MARKER: links.marker(run.sync.id, link, run.sync.tenant(source.side).base_url)})
    except WorkSyncError as exc:
        if isinstance(exc, TransientError):
            # The answer is lost, not necessarily the create (a timeout, a 5xx from a gateway, a reset after Jira
            # committed): the intent stays, and `resume` looks for the marker before anything is created again.
            link.updated_at = utcnow()
        else:
            session.delete(link)  # Jira refused it (4xx, 429): nothing was created, the error decides what follows
        session.commit()
        raise
    link.set_issue(target, str(created["id"]), created["key"])
    metrics.synced(source.updated)
    sides = {source.side: source}
    matcher = run.people(sides)  # looked up for the plan already: cached, no call to Jira
    mention_notes.note_fields(run, link, target, plan.create["fields"], source, run.rules(sides, matcher), matcher)
    session.commit()
    return _finish(run, link, source, plan.create.get("status"))


def _finish(run: SyncPass, link: Link, source: IssueRead, status: str | None) -> Outcome:
    target = other(link.origin_side)
    created = run.read(target, link.known_issue_id(target))
    matcher = run.people({source.side: source, target: created})
    problems.resolve_issue(run.session, run.sync.id, [source.id])
    completing.finish(run, link, source, created, status, matcher)
    return Outcome("synced", f"created {created.key}")


def resume(run: SyncPass, link: Link) -> Outcome:
    """Finish a create that was interrupted: the partner is known, found by its marker, or (long after) retried."""
    source_side, target = link.origin_side, other(link.origin_side)
    source = run.read(source_side, link.known_issue_id(source_side))
    if link.issue_id(target) is None:
        found = list(run.jira(target).search(f'project = {run.sync.project_id(target)} AND '
                                             f'issue.property[{links.MARKER}].token = "{link.create_token}"',
                                             fields=["id"]))
        if found:
            link.set_issue(target, str(found[0]["id"]), found[0].get("key") or str(found[0]["id"]))
            run.session.commit()
        elif utcnow() - _aware(link.updated_at or link.created_at) < SEARCH_LAG_GRACE:
            return Outcome("later", "a create may still be invisible to search; waiting it out")
        else:
            return _create(run, link, source, _plan(run, source))
    status_rule = run.compiled.status
    translated = status_rule.translate[source_side](source.status_id) if status_rule else None
    return _finish(run, link, source, translated if isinstance(translated, str) else None)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=moment.tzinfo or UTC)


def gone(run: SyncPass, link: Link, side: int) -> Outcome:
    """One issue of a link was deleted: per the `deletes` policy the link becomes a tombstone (the partner stays),
    or the partner's marker is removed and the link ends. Neither is ever resurrected."""
    if link.state in (TOMBSTONE, UNLINKED):
        return Outcome("clean", f"already {link.state}")
    policy = run.compiled.document.get("deletes", "ignore")
    partner = other(side)
    if policy == "unlink" and (partner_id := link.issue_id(partner)):
        try:
            run.jira(partner).delete_property(partner_id, links.MARKER)
        except NotFound:  # the partner is gone too (or never carried a marker): the link ends either way
            pass
    link.state = UNLINKED if policy == "unlink" else TOMBSTONE
    link.updated_at = utcnow()
    return Outcome("synced", f"issue on side {side} deleted: link {link.state}")
