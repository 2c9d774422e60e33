"""Hierarchy: sub-tasks and children follow their parent (the `hierarchy` section of the configuration).

A child is created only once its parent has a partner: the parent is brought across first, in the same pass, when it
can be; when it cannot (outside the filter, of an unmapped type) the child waits with an error row naming its parent,
and is marked dirty again the moment that parent is linked. A move to another parent (the `parent` field) is carried:
the parents of a pair disagree only after someone moved one of them, and the side whose parent changed last (its
changelog) leads, within the section's direction. The initial sync brings parents across before their children.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update

from plugin.engine import links, problems, where
from plugin.engine.core.mapping import flows
from plugin.engine.core.model import IssueRead, Plan, other
from plugin.engine.intake import dirty
from plugin.engine.passes import SyncPass
from plugin.errors import NotFound
from plugin.models import utcnow
from plugin.models.links import LINKED, Link
from plugin.models.problems import OPEN, RESOLVED, SyncError

CATEGORY = "hierarchy"
FIX = ("Bring the parent into the synchronization (its filter, its issue type mapping) so that it is synced first, "
       "or move the work item to a parent that is synced; it is synced as soon as its parent is.")


def direction(run: SyncPass) -> str:
    return (run.compiled.document.get("hierarchy") or {}).get("direction", "none")


def parent_of(issue: IssueRead) -> tuple[str, str] | None:
    """(id, key) of the issue's parent, when it has one."""
    parent = issue.fields.get("parent")
    if isinstance(parent, dict) and parent.get("id"):
        return str(parent["id"]), parent.get("key") or str(parent["id"])
    return None


def partner(run: SyncPass, side: int, issue_id: str) -> str | None:
    """The partner's id of an issue of `side` when it is linked, else None."""
    found = links.by_issue(run.session, run.sync.id, side, issue_id)
    return found.issue_id(other(side)) if found is not None and found.state == LINKED else None


def _field(parent_id: str) -> str:
    return f"parent:{parent_id}"


def _flag(run: SyncPass, issue: IssueRead, parent_id: str, reason: str) -> None:
    key = problems.fingerprint(issue.side, issue.id, _field(parent_id), CATEGORY)
    clause = [SyncError.sync_id == run.sync.id, SyncError.fingerprint == key]
    if run.session.scalar(select(SyncError.id).where(*clause, SyncError.state == OPEN)) is None:
        last = run.session.scalar(select(SyncError).where(*clause, SyncError.state == RESOLVED)
                                  .order_by(SyncError.id.desc()).limit(1))
        if last is not None:  # waiting again after a sync resolved it: one row, counted
            last.state = OPEN
            run.session.flush()
    run.problem(category=CATEGORY, permanent=True, side=issue.side, issue_id=issue.id, issue_key=issue.key,
                field=_field(parent_id), message=reason[:1000], fix=FIX, detail={"parent": parent_id})
    run.session.commit()


def _resolve(run: SyncPass, side: int, issue_id: str) -> None:
    run.session.execute(update(SyncError).where(
        SyncError.sync_id == run.sync.id, SyncError.side == side, SyncError.issue_id == issue_id,
        SyncError.category == CATEGORY, SyncError.state == OPEN).values(state=RESOLVED, last_seen=utcnow()),
        execution_options={"synchronize_session": False})


def parent_first(run: SyncPass, source: IssueRead, start: Callable) -> str | None:
    """Before the partner of `source` is created: None when it may be (no parent, or its parent has a partner, made
    in this pass when it had none); else why it waits (an error row says so)."""
    found = parent_of(source)
    if found is None or direction(run) == "none" or not flows(direction(run), source.side):
        return None
    parent_id, parent_key = found
    if partner(run, source.side, parent_id):
        return None
    try:
        with where.at(source.side, f"reading {parent_key}, the parent of {source.key}", parent_id, parent_key):
            parent = run.read(source.side, parent_id)
    except NotFound:
        parent = None
    detail = "it cannot be read" if parent is None else (start(run, parent).detail or "it is not synced yet")
    if partner(run, source.side, parent_id):
        return None
    reason = (f"{source.key} is not synced yet: its parent {parent_key} has no partner in "
              f"{run.sync.project_key(other(source.side))} ({detail.removeprefix('not synced: ')})")
    _flag(run, source, parent_id, reason)
    return reason


def place(run: SyncPass, source: IssueRead, plan: Plan) -> Plan:
    """The create of a child names the partner of its parent (`parent`), when hierarchy is on."""
    found = parent_of(source)
    if plan.create is None or found is None or not flows(direction(run), source.side) or direction(run) == "none":
        return plan
    mirrored = partner(run, source.side, found[0])
    if mirrored:
        plan.create["fields"]["parent"] = {"id": mirrored}
    return plan


def in_order(run: SyncPass, side: int, reads: list[IssueRead], bring: Callable) -> None:
    """The initial sync's creates, parents before children: rounds of `bring(run, side, reads)`, each round the
    issues whose parent has a partner by then (or who have none); a child whose parent is neither linked nor among
    these waits with an error row, and is synced when its parent is."""
    if direction(run) == "none" or not flows(direction(run), side):
        bring(run, side, reads)
        return
    pending = list(reads)
    while pending:
        here = {read.id for read in pending}
        ready, waiting = [], []
        for read in pending:
            found = parent_of(read)
            if found is None or partner(run, side, found[0]):
                ready.append(read)
            elif found[0] in here:
                waiting.append(read)
            else:
                _flag(run, read, found[0], f"{read.key} is not synced yet: its parent {found[1]} has no partner in "
                                           f"{run.sync.project_key(other(side))} (it is outside this "
                                           "synchronization, or not synced yet)")
        if not ready:
            break
        bring(run, side, ready)
        pending = waiting


def wake(run: SyncPass, link: Link) -> None:
    """The children waiting for this pair's issues to be linked are marked dirty (they are synced now)."""
    for side in (1, 2):
        waiting = run.session.scalars(select(SyncError.issue_id).where(
            SyncError.sync_id == run.sync.id, SyncError.side == side, SyncError.category == CATEGORY,
            SyncError.field == _field(link.known_issue_id(side)), SyncError.state == OPEN)).all()
        for issue_id in set(waiting):
            if issue_id:
                dirty.mark(run.session, dirty.DirtyKey(run.sync.id, side, issue_id), "parent synced")
    run.session.commit()


def _leader(run: SyncPass, issues: dict[int, IssueRead]) -> int | None:
    """The side whose parent the other is to take: the one moved last, within the direction."""
    allowed = [side for side in (1, 2) if flows(direction(run), side)]
    if len(allowed) < 2:
        return allowed[0] if allowed else None
    moved = {side: issues[side].changed_at.get("parent") or issues[side].created for side in (1, 2)}
    return 1 if moved[1] >= moved[2] else 2


def carry_parent(run: SyncPass, link: Link, issues: dict[int, IssueRead]) -> None:
    """A linked pair: wake the children waiting for it, and carry a move to another parent."""
    if direction(run) == "none" or any("parent" not in run.compiled.field_ids[side] for side in (1, 2)):
        return
    wake(run, link)
    parents = {side: parent_of(issues[side]) for side in (1, 2)}
    if parents[1] is None and parents[2] is None:
        return
    mirrored = {side: partner(run, side, found[0]) if (found := parents[side]) else None for side in (1, 2)}
    if parents[1] and (second := parents[2]) and mirrored[1] == second[0]:  # they agree
        _resolve(run, 1, issues[1].id)
        _resolve(run, 2, issues[2].id)
        run.session.commit()
        return
    source = _leader(run, issues)
    if source is None:
        return
    target, issue, parent = other(source), issues[source], parents[source]
    if parent is not None and mirrored[source] is None:
        _flag(run, issue, parent[0],
              f"The move of {issue.key} to {parent[1]} is not carried yet: {parent[1]} has no "
              f"partner in {run.sync.project_key(target)} (it is outside this synchronization, or not synced yet)")
        return
    value = {"id": mirrored[source]} if parent else None
    with where.at(target, f"moving {link.issue_key(target)} to the parent of {issue.key}'s partner",
                  link.issue_id(target), link.issue_key(target)):
        run.jira(target).update_issue(link.known_issue_id(target), fields={"parent": value})
    link.set_updated(target, None)
    _resolve(run, source, issue.id)
    run.session.commit()
