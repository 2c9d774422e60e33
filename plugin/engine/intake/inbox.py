"""The webhook inbox: each delivery stored once, and in the same transaction the issues it concerns marked dirty
for every synchronization of that project that runs, or that was started once and is stopped now (its dirty rows
wait for the next start, so a restart catches up from the database, whatever Jira's search index shows yet).
Our own writes coming back are stored but mark nothing."""
from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult, and_, delete, or_, select
from sqlalchemy.orm import Session

from plugin import metrics
from plugin.connect import webhooks
from plugin.engine.intake import dirty
from plugin.models import Link, Tenant, WebhookDelivery, utcnow
from plugin.models.syncs import ACTIVE, Synchronization

DELETED = "jira:issue_deleted"
S = Synchronization


def _project_and_issue(payload: dict) -> tuple[str | None, str | None]:
    """The project and issue ids a delivery names (the issue id checked to fit its column)."""
    issue = payload["issue"] if isinstance(payload.get("issue"), dict) else {}
    fields = issue["fields"] if isinstance(issue.get("fields"), dict) else {}
    project = fields["project"] if isinstance(fields.get("project"), dict) else {}
    return (str(project["id"])[:32] if project.get("id") else None), webhooks.issue_id(payload)


COMMENT_WRITES = {"comment_created", "comment_updated"}


def _ours(tenant: Tenant, event: str, payload: dict) -> bool:
    """Caused by our app's own user on this site: a write of ours coming back. A Connect comment event names no
    user: the comment's `updateAuthor` made it (a Forge event says so with `selfGenerated`)."""
    user = payload["user"] if isinstance(payload.get("user"), dict) else {}
    if not user and event in COMMENT_WRITES and isinstance(payload.get("comment"), dict):
        author = payload["comment"].get("updateAuthor")
        user = author if isinstance(author, dict) else {}
    return bool(tenant.app_account_id) and user.get("accountId") == tenant.app_account_id


COMMENT_ECHOES = {"issue_commented", "issue_comment_edited", "issue_comment_deleted"}


def _twin_of_a_comment_event(event: str, payload: dict) -> bool:
    """The `jira:issue_updated` Jira sends beside each comment event: the comment event already marks the issue."""
    return (event == "jira:issue_updated" and payload.get("issue_event_type_name") in COMMENT_ECHOES
            and not (payload.get("changelog") or {}).get("items"))


def covering_sides(session: Session, tenant: Tenant, project_id: str) -> list[tuple[int, int]]:
    """(synchronization id, side) of every synchronization with this site's project on a side that runs or ran:
    before its first start an issue is an existing one, which only the initial sync brings across."""
    rows = session.execute(select(S.id, S.side1_tenant_id, S.side1_project_id).where(
        S.deleted_at.is_(None), S.state == ACTIVE, S.first_started_at.is_not(None),
        or_(and_(S.side1_tenant_id == tenant.id, S.side1_project_id == project_id),
            and_(S.side2_tenant_id == tenant.id, S.side2_project_id == project_id))))
    return [(sync_id, 1 if (t1, p1) == (tenant.id, project_id) else 2) for sync_id, t1, p1 in rows]


LINK_EVENTS = {"issuelink_created", "issuelink_deleted"}


def linked_ends(session: Session, tenant: Tenant, payload: dict) -> list[dirty.DirtyKey]:
    """Both ends of an `issuelink_*` delivery (it names no project): each end that a running synchronization links
    on this site, on its side (an end that is not synced has nothing to carry)."""
    link = payload["issueLink"] if isinstance(payload.get("issueLink"), dict) else {}
    ends = [str(link[k]) for k in ("sourceIssueId", "destinationIssueId")
            if isinstance(link.get(k), (int, str)) and not isinstance(link.get(k), bool)
            and str(link[k]).isdigit() and len(str(link[k])) <= 18]
    if not ends:
        return []
    keys = []
    for side, column, tenant_column in ((1, Link.side1_issue_id, S.side1_tenant_id),
                                        (2, Link.side2_issue_id, S.side2_tenant_id)):
        rows = session.execute(select(Link.sync_id, column).join(S, S.id == Link.sync_id).where(
            column.in_(ends), tenant_column == tenant.id, S.deleted_at.is_(None), S.state == ACTIVE))
        keys += [dirty.DirtyKey(sync_id, side, cast(str, issue_id)) for sync_id, issue_id in rows]  # IN: not null
    return keys


def receive(session: Session, tenant: Tenant, delivery_key: str, event: str, payload: dict) -> list[dirty.DirtyKey]:
    """Store the delivery (once) and mark what it concerns dirty; the keys to ring once committed."""
    if session.scalar(select(WebhookDelivery.id).where(WebhookDelivery.tenant_id == tenant.id,
                                                       WebhookDelivery.delivery_id == delivery_key)):
        metrics.webhook(duplicate=True)
        return []
    project_id, issue_id = _project_and_issue(payload)
    sides = covering_sides(session, tenant, project_id) if project_id and issue_id else []
    covered = bool(sides) and not _ours(tenant, event, payload) and not _twin_of_a_comment_event(event, payload)
    ends = linked_ends(session, tenant, payload) if event in LINK_EVENTS else []
    covered = covered or bool(ends)
    row = WebhookDelivery(tenant_id=tenant.id, delivery_id=delivery_key, event=event, issue_id=issue_id,
                          payload=payload if covered else {}, processed_at=None if covered else utcnow())
    session.add(row)
    session.flush()  # a delivery that raced in through another process fails here (IntegrityError): a duplicate
    # sides are looked up only for a delivery naming an issue
    keys = [dirty.DirtyKey(sync_id, side, cast(str, issue_id)) for sync_id, side in sides] if covered else []
    keys += ends
    for key in keys:
        dirty.mark(session, key, "webhook", deleted=event == DELETED)
    return keys


def prune(session: Session, older_than) -> int:
    """Forget deliveries received before `older_than` (their effect is in the dirty rows and links)."""
    return cast(CursorResult, session.execute(  # a DELETE: a CursorResult
        delete(WebhookDelivery).where(WebhookDelivery.received_at < older_than))).rowcount
