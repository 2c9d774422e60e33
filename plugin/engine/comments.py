"""Comments of a linked pair: which to mirror, edit or remove on the other side. Pure.

Each comment is mirrored once per direction, with an attribution line; a mirror is never mirrored back (the
comment links say which comments are mirrors — no text matching). Edits follow; a deleted comment's mirror
follows the `deletes` policy. With "public only", restricted comments are not sent (until they become public).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from plugin.engine import adf
from plugin.engine.mapping import flows

MIRROR_PROPERTY = "work-sync.mirror"


@dataclass(frozen=True)
class Known:
    """A comment link as stored: the origin comment, its mirror (None while being created), the origin's digest."""

    origin_side: int
    origin_id: str
    mirror_id: str | None
    digest: str | None
    state: str


@dataclass
class CommentPlan:
    """Mirrors to create (side, origin comment), to edit (side, mirror id, origin comment), to delete (side, mirror
    id, origin id), and origins gone whose mirror stays (origin side, origin id)."""

    create: list[tuple[int, dict]] = field(default_factory=list)
    edit: list[tuple[int, str, dict]] = field(default_factory=list)
    delete: list[tuple[int, str, str]] = field(default_factory=list)
    forget: list[tuple[int, str]] = field(default_factory=list)


def digest(comment: dict) -> str:
    """What changes when a comment's body or visibility changes."""
    raw = json.dumps([comment.get("body"), comment.get("visibility")], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def mirror_body(comment: dict, site_name: str, template: str, person: Callable[[str], str | None]) -> dict:
    """The mirror's ADF body: the attribution line, then the origin's content (unknown mentions become text)."""
    author = (comment.get("author") or {}).get("displayName") or "Someone"
    line = (template or "{author} on {site} wrote:").replace("{author}", author).replace("{site}", site_name)
    body = adf.map_mentions(comment.get("body"), person) or {"type": "doc", "version": 1, "content": []}
    return {"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": line, "marks": [{"type": "em"}]}]},
        *body.get("content", [])]}


def plan(comments: dict[int, list[dict]], known: list[Known], config: dict, deletes: str) -> CommentPlan:
    """What to do so every comment that should be on the other side is there, as it is now."""
    result = CommentPlan()
    direction = config.get("direction", "none")
    public_only = config.get("visibility", "all") == "public"
    mirrors = {(3 - k.origin_side, k.mirror_id) for k in known if k.mirror_id}
    by_origin = {(k.origin_side, k.origin_id): k for k in known}
    for side, found in comments.items():
        present = {str(c["id"]) for c in found}
        for comment in found:
            if (side, str(comment["id"])) in mirrors or direction == "none" or not flows(direction, side):
                continue
            if public_only and comment.get("visibility"):
                continue
            link = by_origin.get((side, str(comment["id"])))
            if link is None:
                result.create.append((3 - side, comment))
            elif link.mirror_id and link.state == "active" and link.digest != digest(comment):
                result.edit.append((3 - side, link.mirror_id, comment))
        for link in known:
            if link.origin_side == side and link.origin_id not in present and link.state == "active":
                if deletes == "unlink" and link.mirror_id:
                    result.delete.append((3 - side, link.mirror_id, link.origin_id))
                else:
                    result.forget.append((side, link.origin_id))
    return result
