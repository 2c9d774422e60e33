"""The lifecycle of a synchronization: create → accept or decline → start ⇄ stop, edit, delete, bulk start/stop.

Each function takes the session, the acting user and ids; checks visibility (404), permission (403) and
state (409) in that order; records an audit row; and leaves committing to the caller.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin import audit
from plugin.audit import Actor
from plugin.config.published import publish, published_document
from plugin.config.sides import Sides
from plugin.engine import initial, value_links
from plugin.engine.intake import dirty, poll
from plugin.errors import Conflict, Unprocessable
from plugin.jira import JiraClient
from plugin.models import Tenant, utcnow
from plugin.models.syncs import (
    ACTIVE,
    DECLINED,
    MODES,
    REQUESTED,
    SyncDraft,
    Synchronization,
    pair_key,
)
from plugin.syncs import access, requests_guard, scope, sites
from plugin.syncs import status as st
from plugin.syncs.permissions import Permissions
from plugin.syncs.words import quoted

PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]{0,254}")
MAX_DESCRIPTION = 2000
MAX_MESSAGE = 2000
JiraFor = Callable[[Tenant], JiraClient]


@dataclass(frozen=True)
class NewSync:
    """What a project admin asks for: a name, a mode, their project and the partner's (site URL, project key)."""

    name: str
    mode: str
    project: str
    partner_project: str
    partner_site: str | None = None
    description: str = ""


def _text_problems(name: str | None, description: str | None) -> list[dict]:
    problems = []
    if name is not None and not name.strip():
        problems.append({"path": "name", "message": "a name is required"})
    elif name is not None and len(name.strip()) > 255:
        problems.append({"path": "name", "message": "the name is longer than 255 characters"})
    if description is not None and len(description) > MAX_DESCRIPTION:
        problems.append({"path": "description", "message": f"the description is longer than {MAX_DESCRIPTION}"})
    return problems


def _problems_of(new: NewSync) -> list[dict]:
    problems = _text_problems(new.name, new.description)
    if new.mode not in MODES:
        problems.append({"path": "mode", "message": "mode must be 'immediate' or 'review'"})
    for path, key in (("project", new.project), ("partner.project", new.partner_project)):
        if not key:
            problems.append({"path": path, "message": "a project key is required"})
        elif not PROJECT_KEY.fullmatch(key):
            problems.append({"path": path, "message": f"{quoted(key)} is not a Jira project key (capital letters, "
                                                      "digits and underscores, beginning with a letter)"})
    return problems


def create(session: Session, actor: Actor, new: NewSync, permissions: Permissions,
           jira_for: JiraFor) -> Synchronization:
    """Ask the partner project to synchronize with the actor's project (status request sent, nothing else stored)."""
    problems = _problems_of(new)
    if problems:
        raise Unprocessable("the synchronization cannot be created: " + "; ".join(p["message"] for p in problems),
                            problems)
    own = sites.project_on(jira_for, actor.tenant, new.project, "project")
    permissions.require_project_admin(actor, {own.id: own.key}, "to create a synchronization for it")
    partner_tenant = actor.tenant if not new.partner_site else sites.partner_site(session, new.partner_site)
    requests_guard.refuse_blocked(session, actor.tenant, partner_tenant)  # before anything of the partner is read
    requests_guard.refuse_too_many_this_hour(session, actor.tenant)
    partner = sites.project_on(jira_for, partner_tenant, new.partner_project, "partner.project")
    if partner_tenant.id == actor.tenant.id and partner.id != own.id and \
            not permissions.may_browse_project(actor, partner.id):
        # The app may read every project; the user only those they may browse: no answer tells the others apart.
        raise sites.unknown_project(partner_tenant, new.partner_project, "partner.project")
    if partner_tenant.id == actor.tenant.id and partner.id == own.id:
        raise Unprocessable("a project cannot synchronize with itself: choose another partner project",
                            [{"path": "partner.project", "message": "the partner project must be another project"}])
    requests_guard.refuse_too_soon_or_too_many(session, actor.tenant, partner_tenant, partner.id, partner.key)
    sync = Synchronization(
        name=new.name.strip(), description=new.description.strip(), mode=new.mode, state=REQUESTED, running=False,
        side1_tenant_id=actor.tenant.id, side1_project_id=own.id, side1_project_key=own.key,
        side2_tenant_id=partner_tenant.id, side2_project_id=partner.id, side2_project_key=partner.key,
        pair_key=pair_key(actor.tenant.id, own.id, partner_tenant.id, partner.id), created_by=actor.account_id,
        drafts=[])
    sync.side1_tenant, sync.side2_tenant = actor.tenant, partner_tenant
    taken = Conflict(f"{own.key} and {partner.key} already have a synchronization (requested or active): "
                     "use that one, or delete it first")
    if session.scalar(select(Synchronization.id).where(Synchronization.pair_key == sync.pair_key,
                                                       Synchronization.deleted_at.is_(None),
                                                       Synchronization.state != DECLINED)):
        raise taken
    session.add(sync)
    try:
        session.flush()
    except IntegrityError:  # the same pair was requested at the same moment (the unique index decides)
        raise taken from None
    audit.record(session, sync, "create", actor=actor, side=1, old_status=None,
                 detail={"mode": sync.mode, "partner": partner_tenant.base_url})
    return sync


def _touch(session: Session, sync: Synchronization, action: str, actor: Actor | None, side: int | None,
           old: str, detail: dict | None = None) -> Synchronization:
    sync.updated_at = utcnow()
    audit.record(session, sync, action, actor=actor, side=side, old_status=old, detail=detail)
    return sync


def _answerable(sync: Synchronization, side: int, verb: str) -> None:
    if side != 2:
        partner = sync.tenant(2)
        raise Conflict(f"Only the partner can {verb} this request: it waits for a project admin of "
                       f"{sync.project_key(2)} on {partner.display_url or partner.base_url}")
    if sync.state != REQUESTED:
        raise Conflict(f"This request was already {'accepted' if sync.state == ACTIVE else 'declined'}")


def accept(session: Session, actor: Actor, sync_id: str, permissions: Permissions,
           sides: Sides) -> tuple[Synchronization, int]:
    """Side 2 accepts: active and stopped. Immediate mode publishes the suggestion as version 1 when it is valid,
    else keeps it as side 2's draft to fix (an invalid configuration is never published)."""
    sync, side = access.acting(session, actor, sync_id, "accept", permissions, "to accept this request")
    _answerable(sync, side, "accept")
    old = audit.stored_status(sync)
    sync.state, sync.running, sync.decline_message = ACTIVE, False, None
    detail = None
    if sync.mode == "immediate":
        suggested = sides.suggestion(sync)
        found = sides.problems(sync, suggested)
        if found:
            sync.drafts.append(SyncDraft(sync_id=sync.id, side=side, document=suggested, updated_by=actor.account_id))
        else:
            publish(session, sync, suggested, actor.account_id)
        detail = {"suggestion": "published" if not found else "kept as a draft", "problems": len(found)}
    return _touch(session, sync, "accept", actor, side, old, detail), side


def decline(session: Session, actor: Actor, sync_id: str, message: str | None,
            permissions: Permissions) -> tuple[Synchronization, int]:
    """Side 2 declines, optionally saying why; the requester sees the message, side 2 no longer sees the request."""
    if message is not None and len(message) > MAX_MESSAGE:
        raise Unprocessable(f"the message is longer than {MAX_MESSAGE} characters",
                            [{"path": "message", "message": "too long"}])
    sync, side = access.acting(session, actor, sync_id, "decline", permissions, "to decline this request")
    _answerable(sync, side, "decline")
    old = audit.stored_status(sync)
    sync.state, sync.decline_message = DECLINED, (message or "").strip() or None
    return _touch(session, sync, "decline", actor, side, old, {"message": sync.decline_message}), side


def _start_refusal(sync: Synchronization, side: int) -> str | None:
    current = st.status(sync, side)
    if current == st.RUNNING:
        return "It is already running"
    if sync.state != ACTIVE:
        return "The partner has not accepted it yet" if sync.state == REQUESTED else \
            "It was declined: delete it and send a new request"
    if not sync.configuration_version:
        return "It has no published configuration yet: configure it (and have the partner accept it) first"
    return None


def _refuse_if_invalid(session: Session, syncs: list[Synchronization], sides: Sides) -> None:
    for sync in syncs:
        document = published_document(session, sync)
        if document is None:
            raise Conflict(f"Cannot start '{sync.name}': it has no published configuration yet")
        found = sides.problems(sync, document, refresh=True)
        if found:
            raise Conflict(f"Cannot start '{sync.name}': its configuration no longer fits the projects: "
                           + "; ".join(p["message"] for p in found[:3]) + ". Fix it on the Configure page.",
                           problems=found)


def _cursors(session: Session, sync: Synchronization) -> None:
    """The polls start from now on a first start, and from where they stopped on a restart (nothing is lost);
    a first start also plans the initial sync of the existing issues, when configured."""
    if sync.first_started_at is None:
        sync.first_started_at = utcnow()
        initial.begin(session, sync, published_document(session, sync) or {})
    for side in (1, 2):
        poll.cursor_of(session, sync.id, side)


def start(session: Session, actor: Actor, sync_id: str, permissions: Permissions,
          sides: Sides) -> tuple[Synchronization, int]:
    """Start an active, stopped synchronization whose published configuration still fits both projects."""
    sync, side = access.acting(session, actor, sync_id, "start", permissions, "to start this synchronization")
    refusal = _start_refusal(sync, side)
    if refusal:
        raise Conflict(f"Cannot start '{sync.name}': {refusal}")
    _refuse_if_invalid(session, [sync], sides)
    old = audit.stored_status(sync)
    sync.running = True
    _cursors(session, sync)
    return _touch(session, sync, "start", actor, side, old), side


def stop(session: Session, actor: Actor, sync_id: str, permissions: Permissions) -> tuple[Synchronization, int]:
    """Stop a running synchronization (immediately; what changes meanwhile is caught up on the next start)."""
    sync, side = access.acting(session, actor, sync_id, "stop", permissions, "to stop this synchronization")
    if not sync.running:
        raise Conflict(f"Cannot stop '{sync.name}': it is not running ({st.status(sync, side).replace('_', ' ')})")
    old = audit.stored_status(sync)
    sync.running = False
    return _touch(session, sync, "stop", actor, side, old), side


def edit(session: Session, actor: Actor, sync_id: str, permissions: Permissions, *, name: str | None = None,
         description: str | None = None) -> tuple[Synchronization, int]:
    """Change the name and/or description (nothing else can change)."""
    problems = _text_problems(name, description)
    if problems:
        raise Unprocessable("; ".join(p["message"] for p in problems), problems)
    sync, side = access.acting(session, actor, sync_id, "edit", permissions, "to edit this synchronization")
    changes = {}
    if name is not None and name.strip() != sync.name:
        changes["name"] = [sync.name, name.strip()]
        sync.name = name.strip()
    if description is not None and description.strip() != sync.description:
        changes["description"] = [sync.description, description.strip()]
        sync.description = description.strip()
    if changes:
        _touch(session, sync, "edit", actor, side, audit.stored_status(sync), changes)
    return sync, side


def delete(session: Session, actor: Actor, sync_id: str, permissions: Permissions) -> None:
    """Stop it if running, then remove it for both sides (the audit log stays; linked issues stay in Jira)."""
    sync, side = access.acting(session, actor, sync_id, "delete", permissions, "to delete this synchronization")
    if sync.running:
        sync.running = False
        _touch(session, sync, "stop", actor, side, st.RUNNING, {"reason": "deleted"})
    old = audit.stored_status(sync)
    sync.deleted_at = utcnow()
    dirty.forget(session, sync.id)  # nothing waits for a synchronization that is gone
    value_links.forget(session, sync.id)  # its paired components and versions pair nothing any more
    _touch(session, sync, "delete", actor, side, old)


BULK_NEEDS = {"start": st.STOPPED, "stop": st.RUNNING}


def bulk(session: Session, actor: Actor, action: str, permissions: Permissions, sides: Sides, *,
         ids: list[str] | None = None, status: str | None = None,
         project_id: str | None = None) -> list[tuple[Synchronization, int]]:
    """Start or stop several synchronizations at once: all of them or none, and only when they share one status."""
    if action not in BULK_NEEDS:
        raise Unprocessable("action must be 'start' or 'stop'", [{"path": "action", "message": "unknown action"}])
    if ids is not None:
        syncs = scope.get_many(session, actor.tenant, ids)
    else:
        syncs = scope.all_of(session, actor.tenant, project_id=project_id, status=status)
    chosen = [(s, st.side_of(s, actor.tenant.id, actor.project_id, action)) for s in syncs]
    projects = {s.project_id(side): s.project_key(side) for s, side in chosen}
    if project_id is None and ids is None:
        permissions.require_site_admin(actor, "to act on every synchronization of this site")
    permissions.require_project_admin(actor, projects, f"to {action} these synchronizations")
    seen = sorted({st.status(s, side) for s, side in chosen})
    if len(seen) > 1:
        raise Conflict(f"The selected synchronizations are in different states ({', '.join(seen)}): "
                       f"select only {BULK_NEEDS[action]} ones to {action} them together")
    if seen and seen[0] != BULK_NEEDS[action]:
        raise Conflict(f"Only {BULK_NEEDS[action]} synchronizations can be {action}ed; these are {seen[0]}")
    if action == "start":
        unready = [s.name for s, side in chosen if _start_refusal(s, side)]
        if unready:
            raise Conflict(f"Cannot start {', '.join(unready)}: no published configuration yet; nothing was started")
        _refuse_if_invalid(session, [sync for sync, _ in chosen], sides)
    for sync, side in chosen:
        old = audit.stored_status(sync)
        sync.running = action == "start"
        if sync.running:
            _cursors(session, sync)
        _touch(session, sync, action, actor, side, old, {"bulk": True})
    return chosen
