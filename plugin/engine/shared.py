"""When existing issues are paired: what both already have (comments with the same text, attachments with the same
name and size) is recorded as comment and attachment links, with no write to Jira, so carrying copies only the rest."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from plugin.engine import where
from plugin.engine.core import comments as core_comments
from plugin.engine.core import shared as core
from plugin.engine.core.mapping import flows
from plugin.engine.core.model import IssueRead, other
from plugin.engine.passes import SyncPass
from plugin.models import utcnow
from plugin.models.links import AttachmentLink, CommentLink, Link


def _origin(direction: str) -> int:
    """The side a shared one is linked from: the side whose edits would follow to the other."""
    return 1 if flows(direction, 1) else 2


def record(run: SyncPass, link: Link, issues: dict[int, IssueRead]) -> None:
    """Link what the new pair already shares (comments, attachments) per their sections; nothing is written to Jira."""
    document = run.compiled.document
    if document["comments"].get("direction", "none") != "none":
        _comments(run, link, issues, _origin(document["comments"]["direction"]))
    if document["attachments"].get("direction", "none") != "none":
        _attachments(run, link, issues, _origin(document["attachments"]["direction"]))
    run.session.flush()


def _taken(pairs: list[tuple[int, str, str | None]]) -> dict[int, set[str]]:
    """The ids of each side already linked, from (origin side, origin id, copy id or None) of the link rows."""
    taken: dict[int, set[str]] = {1: set(), 2: set()}
    for origin_side, origin_id, copy_id in pairs:
        taken[origin_side].add(origin_id)
        if copy_id:
            taken[other(origin_side)].add(copy_id)
    return taken


def _comments(run: SyncPass, link: Link, issues: dict[int, IssueRead], origin: int) -> None:
    if not all(((issues[side].fields.get("comment") or {}).get("total")
                or (issues[side].fields.get("comment") or {}).get("comments")) for side in (1, 2)):
        return  # a side without comments shares none (and its comments need not be read)
    listed = {}
    for side in (1, 2):  # with their properties: one of our own mirrors is compared without its attribution line
        with where.at(side, f"reading the comments of {issues[side].key} to find those already on both sides",
                      issues[side].id, issues[side].key):
            listed[side] = run.jira(side).comments(issues[side].id, expand="properties")
    rows = run.session.scalars(select(CommentLink).where(CommentLink.link_id == link.id))
    taken = _taken([(row.origin_side, row.origin_id, row.mirror_id) for row in rows])
    by_id = {(side, str(c["id"])): c for side in (1, 2) for c in listed[side]}
    for one, two in core.comments(listed, taken):
        ids = {1: one, 2: two}
        run.session.add(CommentLink(link_id=link.id, origin_side=origin, origin_id=ids[origin],
                                    mirror_id=ids[other(origin)], token=uuid.uuid4().hex, state="active",
                                    digest=core_comments.digest(by_id[(origin, ids[origin])]), updated_at=utcnow()))


def _attachments(run: SyncPass, link: Link, issues: dict[int, IssueRead], origin: int) -> None:
    listed = {side: issues[side].fields.get("attachment") or [] for side in (1, 2)}
    rows = run.session.scalars(select(AttachmentLink).where(AttachmentLink.link_id == link.id))
    taken = _taken([(row.origin_side, row.origin_id, row.copy_id) for row in rows])
    by_id = {(side, str(a["id"])): a for side in (1, 2) for a in listed[side]}
    for one, two in core.attachments(listed, taken):
        ids = {1: one, 2: two}
        found = by_id[(origin, ids[origin])]
        run.session.add(AttachmentLink(link_id=link.id, origin_side=origin, origin_id=ids[origin],
                                       copy_id=ids[other(origin)], filename=(found.get("filename") or "file")[:255],
                                       size=int(found.get("size") or 0), state="copied", updated_at=utcnow()))
