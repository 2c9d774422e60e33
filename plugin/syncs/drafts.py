"""Configuring: save (immediate mode publishes), and in review mode send, accept or decline the partner's draft.

Concurrent sends, accepts and declines are decided by a compare-and-set on the synchronization's
`draft_revision`: whoever commits first wins; the other is told, and keeps their own draft.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from plugin import audit
from plugin.audit import Actor
from plugin.config import schema
from plugin.config.diff import diff
from plugin.config.published import publish, published_document
from plugin.config.sides import Sides
from plugin.engine.core.model import other
from plugin.errors import Conflict, Unprocessable
from plugin.models import utcnow
from plugin.models.syncs import ACTIVE, SyncDraft, Synchronization
from plugin.syncs import access
from plugin.syncs import status as st
from plugin.syncs.permissions import Permissions

MAX_MESSAGE = 2000
MAX_DEPTH = 16  # a configuration document nests about 6 levels; a deeper one is refused before it is checked


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: what the side now sees, the problems found, and whether it went live."""

    sync: Synchronization
    side: int
    problems: list[dict]
    published: bool


def answer(session: Session, sync: Synchronization, side: int, sides: Sides, refresh: bool = False) -> dict:
    """The configuration as `side` sees it: published, own draft, received draft (with its diff), problems."""
    published = published_document(session, sync)
    mine, theirs = sync.draft(side), sync.draft(other(side))
    received = theirs.document if theirs is not None and theirs.state == "sent" else None
    shown = mine.document if mine is not None else published
    return {
        "published": published, "version": sync.configuration_version,
        "draft": mine.document if mine is not None else None, "received": received,
        "draftStatus": st.draft_status(sync, side), "mode": sync.mode,
        "problems": sides.problems(sync, shown, refresh) if shown is not None else [],
        "receivedProblems": sides.problems(sync, received, refresh) if received is not None else [],
        "diff": diff(published, received) if received is not None else None,
        "message": theirs.message if theirs is not None and received is not None else None,
        "declineMessage": mine.decline_message if mine is not None and mine.state == "declined" else None,
        "draftBaseVersion": mine.base_version if mine is not None else None,
    }


def _configurable(session: Session, actor: Actor, sync_id: str, permissions: Permissions,
                  action: str) -> tuple[Synchronization, int]:
    sync, side = access.read(session, actor, sync_id, permissions, "to configure this synchronization")
    if sync.state != ACTIVE:
        raise Conflict("It can be configured once the partner has accepted the request")
    if action != "save" and sync.mode != "review":
        raise Conflict("This synchronization is in immediate mode: saving publishes at once, there are no drafts "
                       "to send, accept or decline")
    return sync, side


def _claim(session: Session, sync: Synchronization) -> None:
    """Compare-and-set the draft revision; Conflict when another change to the drafts won the race."""
    seen = sync.draft_revision
    changed = cast(CursorResult, session.execute(update(Synchronization).where(  # an UPDATE: a CursorResult
        Synchronization.id == sync.id, Synchronization.draft_revision == seen).values(draft_revision=seen + 1),
        execution_options={"synchronize_session": False})).rowcount
    if changed != 1:
        raise Conflict("The partner changed the configuration drafts at the same moment: reload and try again "
                       "(your draft is kept)")
    sync.draft_revision = seen + 1


def _message(message: str | None) -> str | None:
    if message is not None and len(message) > MAX_MESSAGE:
        raise Unprocessable(f"the message is longer than {MAX_MESSAGE} characters",
                            [{"path": "message", "message": "too long"}])
    return (message or "").strip() or None


def save(session: Session, actor: Actor, sync_id: str, document: dict, permissions: Permissions,
         sides: Sides) -> Saved:
    """Save this side's draft; immediate mode publishes it when it has no problems. Nothing is ever lost."""
    sync, side = _configurable(session, actor, sync_id, permissions, "save")  # who and when before what
    document = schema.normalise(document)
    shaped = schema.shape_problems(document)
    if shaped:
        raise Unprocessable("the configuration is malformed: " + "; ".join(
            f"{p['path']}: {p['message']}" for p in shaped[:5]), shaped)
    found = sides.problems(sync, document, refresh=True)
    mine = sync.draft(side)
    if mine is None:
        mine = SyncDraft(sync_id=sync.id, side=side, document=document)
        sync.drafts.append(mine)
    withdrawn = mine.state == "sent"
    mine.document, mine.state, mine.base_version = document, "editing", sync.configuration_version
    mine.updated_by, mine.updated_at, mine.decline_message = actor.account_id, utcnow(), None
    published = sync.mode == "immediate" and not found
    if published:
        _claim(session, sync)
        publish(session, sync, document, actor.account_id)
        sync.drafts.remove(mine)
    old = audit.stored_status(sync)
    audit.record(session, sync, "publish" if published else ("withdraw draft" if withdrawn else "save draft"),
                 actor=actor, side=side, old_status=old,
                 detail={"version": sync.configuration_version, "problems": len(found)})
    return Saved(sync, side, found, published)


def send(session: Session, actor: Actor, sync_id: str, message: str | None, permissions: Permissions,
         sides: Sides) -> tuple[Synchronization, int]:
    """Send this side's saved draft to the partner for review."""
    note = _message(message)
    sync, side = _configurable(session, actor, sync_id, permissions, "send")
    mine, theirs = sync.draft(side), sync.draft(other(side))
    if mine is None:
        raise Conflict("There is no draft to send: save your configuration first")
    if mine.state == "sent":
        raise Conflict("Your draft was already sent; it waits for the partner")
    if theirs is not None and theirs.state == "sent":
        raise Conflict("The partner sent a draft first: accept or decline it, then send yours (your draft is kept)")
    found = sides.problems(sync, mine.document, refresh=True)
    if found:
        raise Unprocessable("Fix the problems of your draft before sending it", found)
    _claim(session, sync)
    mine.state, mine.message, mine.sent_at, mine.decline_message = "sent", note, utcnow(), None
    audit.record(session, sync, "send draft", actor=actor, side=side, old_status=audit.stored_status(sync),
                 detail={"message": note})
    return sync, side


def _received(sync: Synchronization, side: int) -> SyncDraft:
    theirs = sync.draft(other(side))
    if theirs is None or theirs.state != "sent":
        raise Conflict("There is no draft from the partner waiting for you")
    return theirs


def accept(session: Session, actor: Actor, sync_id: str, permissions: Permissions,
           sides: Sides) -> tuple[Synchronization, int]:
    """Accept the partner's draft: it is published for both sides (version + 1)."""
    sync, side = _configurable(session, actor, sync_id, permissions, "accept")
    theirs = _received(sync, side)
    found = sides.problems(sync, theirs.document, refresh=True)
    if found:
        raise Unprocessable("The received draft no longer fits the projects: decline it with a note", found)
    changes = len(diff(published_document(session, sync), theirs.document))
    _claim(session, sync)
    publish(session, sync, theirs.document, actor.account_id)
    sync.drafts.remove(theirs)
    audit.record(session, sync, "accept draft", actor=actor, side=side, old_status=audit.stored_status(sync),
                 detail={"version": sync.configuration_version, "changes": changes})
    return sync, side


def decline(session: Session, actor: Actor, sync_id: str, message: str | None, permissions: Permissions,
            sides: Sides) -> tuple[Synchronization, int]:
    """Decline the partner's draft, saying why; they see it declined with the message, edit and send again."""
    note = _message(message)
    sync, side = _configurable(session, actor, sync_id, permissions, "decline")
    theirs = _received(sync, side)
    _claim(session, sync)
    theirs.state, theirs.decline_message = "declined", note
    audit.record(session, sync, "decline draft", actor=actor, side=side, old_status=audit.stored_status(sync),
                 detail={"message": note})
    return sync, side
