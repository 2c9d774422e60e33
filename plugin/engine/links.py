"""Links of a synchronization: find a pair by either side's issue, store the intent of a create, complete it."""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.models import utcnow
from plugin.models.links import CREATING, LINKED, Link

MARKER = "work-sync.marker"  # the issue property our creates carry (indexed by the descriptor for JQL)


def by_issue(session: Session, sync_id: int, side: int, issue_id: str) -> Link | None:
    """The link that holds this issue on this side."""
    column = Link.side1_issue_id if side == 1 else Link.side2_issue_id
    return session.scalar(select(Link).where(Link.sync_id == sync_id, column == issue_id))


def by_token(session: Session, sync_id: int, token: str) -> Link | None:
    """The link whose create carried this token."""
    return session.scalar(select(Link).where(Link.sync_id == sync_id, Link.create_token == token))


def intend(session: Session, sync_id: int, side: int, issue_id: str, key: str, version: int | None) -> Link:
    """Store the intent to create the partner of an issue, before Jira is asked."""
    link = Link(sync_id=sync_id, state=CREATING, origin_side=side, create_token=uuid.uuid4().hex, base={},
                configuration_version=version)
    link.set_issue(side, issue_id, key)
    session.add(link)
    session.flush()
    return link


def marker(sync_id: int, link: Link, site: str) -> dict:
    """The marker property of a partner issue: which synchronization, which source issue, which create."""
    source = link.origin_side
    return {"sync": str(sync_id), "token": link.create_token, "site": site, "side": source,
            "issue": link.issue_id(source)}


def complete(link: Link, side: int, issue_id: str, key: str) -> None:
    """The partner exists: record it; the pair is linked."""
    link.set_issue(side, issue_id, key)
    link.state, link.updated_at = LINKED, utcnow()


def page(session: Session, sync_id: int, page_number: int = 1, per_page: int = 50) -> tuple[list[Link], int]:
    """One page of a synchronization's links, newest first, and their total."""
    total = session.scalar(select(func.count(Link.id)).where(Link.sync_id == sync_id)) or 0
    rows = session.scalars(select(Link).where(Link.sync_id == sync_id).order_by(Link.id.desc())
                           .limit(per_page).offset((max(1, page_number) - 1) * per_page)).all()
    return list(rows), total
