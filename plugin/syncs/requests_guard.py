"""Requests a site may not send: to a site that blocked it, too many at once, or again too soon after a decline.

A Jira admin of a site blocks another site (`block`, `unblock`, `blocks_of`, each scoped to the caller's site);
a blocked site's requests answer 403 and store nothing. Every site may have at most `MAX_OPEN_PER_PARTNER`
pending or declined requests to one partner project, send at most `MAX_PER_HOUR` requests an hour, and ask a
partner project again only `DECLINE_COOLDOWN` after it declined.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.audit import Actor
from plugin.errors import NotFound, PermissionDenied, RateLimited, Unprocessable
from plugin.models import Tenant, utcnow
from plugin.models.base import aware
from plugin.models.blocks import SiteBlock
from plugin.models.syncs import DECLINED, REQUESTED, AuditEvent, Synchronization
from plugin.syncs import scope, sites
from plugin.syncs.permissions import Permissions
from plugin.syncs.words import count_of

MAX_OPEN_PER_PARTNER = 3  # pending or declined requests of one site to one partner project
MAX_PER_HOUR = 20  # requests one site sends in an hour (deleted ones count too)
DECLINE_COOLDOWN = timedelta(hours=1)  # after a decline, before the same site may ask that project again
MAX_BLOCKS = 1000


def _site(tenant: Tenant) -> str:
    return tenant.display_url or tenant.base_url


def _minutes(delta: timedelta) -> str:
    return count_of(max(1, int(delta.total_seconds() + 59) // 60), "minute")


def is_blocked(session: Session, blocking: Tenant, requesting: Tenant) -> bool:
    """True when `blocking` has blocked requests from `requesting`."""
    return session.scalar(select(SiteBlock.id).where(SiteBlock.tenant_id == blocking.id,
                                                     SiteBlock.blocked_tenant_id == requesting.id)) is not None


def refuse_blocked(session: Session, requester: Tenant, partner: Tenant) -> None:
    """PermissionDenied when the partner's site blocked the requester's (checked before anything is read)."""
    if partner.id != requester.id and is_blocked(session, partner, requester):
        raise PermissionDenied(f"{_site(partner)} does not accept synchronization requests from this site: "
                               "ask a Jira admin of that site to unblock it", reason="blocked")


def refuse_too_many_this_hour(session: Session, requester: Tenant) -> None:
    """RateLimited when the site sent `MAX_PER_HOUR` requests within the last hour."""
    since = utcnow() - timedelta(hours=1)
    times = session.scalars(select(Synchronization.created_at).where(
        Synchronization.side1_tenant_id == requester.id, Synchronization.created_at >= since)
        .order_by(Synchronization.created_at).limit(MAX_PER_HOUR)).all()
    if len(times) >= MAX_PER_HOUR:
        wait = aware(times[0]) + timedelta(hours=1) - utcnow()
        raise RateLimited(f"This site sent {count_of(MAX_PER_HOUR, 'synchronization request')} within the last "
                          f"hour: try again in {_minutes(wait)}", retry_after=max(1, int(wait.total_seconds())))


def refuse_too_soon_or_too_many(session: Session, requester: Tenant, partner: Tenant, project_id: str,
                                project_key: str) -> None:
    """RateLimited while the partner project declined this site's request within `DECLINE_COOLDOWN`, or when
    this site already has `MAX_OPEN_PER_PARTNER` pending or declined requests to it."""
    to_partner = (Synchronization.side1_tenant_id == requester.id, Synchronization.side2_tenant_id == partner.id,
                  Synchronization.side2_project_id == project_id)
    declined_at = session.scalar(select(func.max(AuditEvent.created_at)).join(
        Synchronization, AuditEvent.sync_id == Synchronization.id).where(*to_partner, AuditEvent.action == "decline"))
    if declined_at is not None:
        wait = aware(declined_at) + DECLINE_COOLDOWN - utcnow()
        if wait.total_seconds() > 0:
            raise RateLimited(f"{project_key} declined a request from this site moments ago: you may ask again in "
                              f"{_minutes(wait)}", retry_after=max(1, int(wait.total_seconds())))
    waiting = session.scalar(select(func.count()).select_from(Synchronization).where(
        *to_partner, Synchronization.deleted_at.is_(None), Synchronization.state.in_((REQUESTED, DECLINED)))) or 0
    if waiting >= MAX_OPEN_PER_PARTNER:
        raise RateLimited(f"This site already has {count_of(waiting, 'pending or declined request')} to "
                          f"{project_key}: delete the declined ones, or wait for an answer", retry_after=3600)


def _require_admin(actor: Actor, permissions: Permissions, doing: str) -> None:
    permissions.require_site_admin(actor, doing)


def blocks_of(session: Session, actor: Actor, permissions: Permissions) -> list[SiteBlock]:
    """The sites the actor's site blocks (Jira admins of that site only)."""
    _require_admin(actor, permissions, "to see the sites this site blocks")
    return list(session.scalars(select(SiteBlock).where(SiteBlock.tenant_id == actor.tenant.id)
                                .order_by(SiteBlock.id)).all())


def block(session: Session, actor: Actor, site_url: str, permissions: Permissions) -> tuple[SiteBlock, bool]:
    """Block the site at `site_url` (a URL as a user pastes it): (the block, whether it is new). Idempotent."""
    _require_admin(actor, permissions, "to block another site")
    blocked = sites.partner_site(session, site_url, path="site")
    if blocked.id == actor.tenant.id:
        raise Unprocessable("A site cannot block itself: give the URL of another Jira site",
                            [{"path": "site", "message": "this is the calling site"}])
    found = session.scalar(select(SiteBlock).where(SiteBlock.tenant_id == actor.tenant.id,
                                                   SiteBlock.blocked_tenant_id == blocked.id))
    if found is not None:
        return found, False
    count = session.scalar(select(func.count()).select_from(SiteBlock)
                           .where(SiteBlock.tenant_id == actor.tenant.id)) or 0
    if count >= MAX_BLOCKS:
        raise Unprocessable(f"This site already blocks {count_of(count, 'site')}: unblock some first",
                            [{"path": "site", "message": "too many blocks"}])
    made = SiteBlock(tenant_id=actor.tenant.id, blocked_tenant_id=blocked.id, created_by=actor.account_id)
    made.blocked_tenant = blocked
    try:
        with session.begin_nested():
            session.add(made)
    except IntegrityError:  # blocked at the same moment by another admin: theirs stands
        return session.scalars(select(SiteBlock).where(SiteBlock.tenant_id == actor.tenant.id,
                                                       SiteBlock.blocked_tenant_id == blocked.id)).one(), False
    return made, True


def unblock(session: Session, actor: Actor, block_id: str, permissions: Permissions) -> None:
    """Remove one of the actor's site's blocks (404 for an unknown id or another site's block)."""
    _require_admin(actor, permissions, "to unblock a site")
    if not scope.ID.fullmatch(block_id):
        raise NotFound("No such block on this site")
    found = session.scalar(select(SiteBlock).where(SiteBlock.id == int(block_id),
                                                   SiteBlock.tenant_id == actor.tenant.id))
    if found is None:
        raise NotFound("No such block on this site")
    session.delete(found)
