"""Creating the partner of a new issue without ever making two: the intent is stored (and committed) first, the
create carries a marker property with the intent's token, and a crash between Jira's create and our commit is
recovered by finding the marker — searching for it, waiting out the search lag — never by creating again blindly.
Also what happens to a link when one of its issues is deleted."""
from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy.orm import Session

from plugin import metrics
from plugin.engine import carry, links, problems, where
from plugin.engine.compiled import Compiled
from plugin.engine.core.model import IssueRead, Plan
from plugin.engine.core.plan import base_after_create, for_new_issue
from plugin.engine.core.values import utc_format
from plugin.engine.issues import fetch
from plugin.engine.outcome import Outcome
from plugin.engine.workflow import Unreachable, reach
from plugin.errors import NotFound, TransientError, WorkSyncError
from plugin.models import utcnow
from plugin.models.links import LINKED, TOMBSTONE, UNLINKED, Link
from plugin.models.syncs import Synchronization

# How long after an unanswered create its partner may still appear (applied late, or not yet in the search index)
# before we take it as never made and create again.
SEARCH_LAG_GRACE = timedelta(seconds=60)


def _eligible(tools, sync: Synchronization, compiled: Compiled, source: IssueRead) -> str | None:
    """Why the issue is not to be created on the other side, or None."""
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
    query = (compiled.document.get("filters") or {}).get(str(source.side))
    if query:
        jira = tools.jira_for(sync.tenant(source.side))
        found = list(jira.search(f"issue = {source.id} AND ({query})", fields=["id"], page_size=1,
                                 reconcile=[int(source.id)]))
        if not found:
            return "it does not match the side's filter"
    return None


def preview(session: Session, tools, sync: Synchronization, compiled: Compiled, source: IssueRead) -> Plan:
    """The create a sync of this new issue would make (nothing written)."""
    if _eligible(tools, sync, compiled, source):
        return Plan()
    return for_new_issue(compiled.rules(tools, sync, {source.side: source}), compiled.status,
                         compiled.types(source.side), source, sync.project_id(3 - source.side))


def start(session: Session, tools, sync: Synchronization, compiled: Compiled, source: IssueRead, trigger: str):
    """A new issue on one side: create its partner (intent first), or adopt a partner we created earlier."""
    if source.marker and source.marker.get("sync") == str(sync.id):
        origin = links.by_token(session, sync.id, source.marker.get("token", ""))
        if origin is not None and origin.state != LINKED and origin.issue_id(source.side) is None:
            origin.set_issue(source.side, source.id, source.key)  # found from the partner's side: finish it
            session.commit()
            return resume(session, tools, sync, compiled, origin, trigger)
        return Outcome("clean", "a partner issue we created")
    why_not = _eligible(tools, sync, compiled, source)
    if why_not:
        return Outcome("clean", f"not synced: {why_not}")
    plan = for_new_issue(compiled.rules(tools, sync, {source.side: source}), compiled.status,
                         compiled.types(source.side), source, sync.project_id(3 - source.side))
    link = links.intend(session, sync.id, source.side, source.id, source.key, sync.configuration_version)
    session.commit()  # the intent is stored before Jira is asked
    return _create(session, tools, sync, compiled, link, source, plan, trigger)


def _create(session: Session, tools, sync: Synchronization, compiled: Compiled, link: Link, source: IssueRead,
            plan: Plan, trigger: str):
    target = plan.create["side"]
    jira = tools.jira_for(sync.tenant(target))
    try:
        with where.at(target, f"creating the partner of {source.key}"):
            created = jira.create_issue(plan.create["fields"], properties={
                links.MARKER: links.marker(sync.id, link, sync.tenant(source.side).base_url)})
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
    session.commit()
    return _finish(session, tools, sync, compiled, link, source, plan.create.get("status"), trigger)


def _finish(session: Session, tools, sync: Synchronization, compiled: Compiled, link: Link, source: IssueRead,
            status: str | None, trigger: str):
    target = 3 - link.origin_side
    jira = tools.jira_for(sync.tenant(target))
    created = fetch(jira, target, link.issue_id(target), compiled.field_ids[target], links.MARKER)
    original_status = created.status_id
    if status and created.status_id != status:
        try:
            reach(jira, tools.graphs, (sync.tenant_id(target), sync.project_id(target), created.type_id),
                  created.id, created.status_id, status)
            created.status_id = status
        except Unreachable as exc:
            problems.record(session, sync.id, category="workflow", message=str(exc), side=target,
                            issue_id=created.id, issue_key=created.key, field="status", trigger=trigger,
                            permanent=True)
    issues = {source.side: source, target: created}
    matcher = compiled.people(tools, sync, issues)
    link.base = base_after_create(compiled.rules(tools, sync, issues, matcher), compiled.status, source, created)
    links.complete(link, target, created.id, created.key)
    link.set_updated(source.side, source.updated)
    link.set_updated(target, None if status and status != original_status else created.updated)
    link.last_synced_at = utcnow()
    problems.resolve_issue(session, sync.id, [source.id])
    session.commit()
    carry.carry_all(session, tools, sync, compiled.document, link, issues, matcher, trigger)
    return Outcome("synced", f"created {created.key}")


def resume(session: Session, tools, sync: Synchronization, compiled: Compiled, link: Link, trigger: str):
    """Finish a create that was interrupted: the partner is known, found by its marker, or (long after) retried."""
    source_side, target = link.origin_side, 3 - link.origin_side
    source = fetch(tools.jira_for(sync.tenant(source_side)), source_side, link.issue_id(source_side),
                   compiled.field_ids[source_side], links.MARKER)
    if link.issue_id(target) is None:
        jira = tools.jira_for(sync.tenant(target))
        found = list(jira.search(f'project = {sync.project_id(target)} AND '
                                 f'issue.property[{links.MARKER}].token = "{link.create_token}"', fields=["id"]))
        if found:
            link.set_issue(target, str(found[0]["id"]), found[0].get("key") or str(found[0]["id"]))
            session.commit()
        elif utcnow() - _aware(link.updated_at or link.created_at) < SEARCH_LAG_GRACE:
            return Outcome("later", "a create may still be invisible to search; waiting it out")
        else:
            plan = for_new_issue(compiled.rules(tools, sync, {source_side: source}), compiled.status,
                                 compiled.types(source_side), source, sync.project_id(target))
            return _create(session, tools, sync, compiled, link, source, plan, trigger)
    plan_status = compiled.status.translate[source_side](source.status_id) if compiled.status else None
    status = plan_status if isinstance(plan_status, str) else None
    return _finish(session, tools, sync, compiled, link, source, status, trigger)


def _aware(moment):
    return moment.replace(tzinfo=moment.tzinfo or UTC)


def gone(session: Session, tools, sync: Synchronization, compiled: Compiled, link: Link, side: int):
    """One issue of a link was deleted: per the `deletes` policy the link becomes a tombstone (the partner stays),
    or the partner's marker is removed and the link ends. Neither is ever resurrected."""
    if link.state in (TOMBSTONE, UNLINKED):
        return Outcome("clean", f"already {link.state}")
    policy = compiled.document.get("deletes", "ignore")
    other = 3 - side
    if policy == "unlink" and link.issue_id(other):
        try:
            tools.jira_for(sync.tenant(other)).delete_property(link.issue_id(other), links.MARKER)
        except NotFound:  # the partner is gone too (or never carried a marker): the link ends either way
            pass
    link.state = UNLINKED if policy == "unlink" else TOMBSTONE
    link.updated_at = utcnow()
    return Outcome("synced", f"issue on side {side} deleted: link {link.state}")
