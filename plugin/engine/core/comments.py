"""Comments of a linked pair: which to mirror, edit or remove on the other side. Pure.

Each comment is mirrored once per direction, with an attribution line; a mirror is never mirrored back (the
comment links say which comments are mirrors — no text matching). Edits follow; a deleted comment's mirror
follows the `deletes` policy. With "public only", restricted comments are not sent (until they become public).

A mirror whose answer was lost (its link has a token but no mirror id) is looked up by that token, which the
mirror carries as a comment property: found, it is adopted; not found, it is written again.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from plugin.engine.core import adf
from plugin.engine.core.mapping import flows
from plugin.engine.core.model import other

MIRROR_PROPERTY = "work-sync.mirror"


@dataclass(frozen=True)
class Known:
    """A comment link as stored: the origin comment, its mirror (None while being created), the origin's digest, and
    the token its mirror carries."""

    origin_side: int
    origin_id: str
    mirror_id: str | None
    digest: str | None
    state: str
    token: str | None = None

    @property
    def pending(self) -> bool:
        """Whether the mirror was asked for but its id never stored (the answer was lost, or Jira refused it)."""
        return self.mirror_id is None and self.state == "active"


@dataclass
class CommentPlan:
    """Mirrors to create (side, origin comment), to write again under their stored token (side, origin comment), to
    edit (side, mirror id, origin comment), to delete (side, mirror id, origin id), and origins gone whose mirror stays
    (origin side, origin id)."""

    create: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    retry: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    edit: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    delete: list[tuple[int, str, str]] = field(default_factory=list)
    forget: list[tuple[int, str]] = field(default_factory=list)


def digest(comment: dict[str, Any]) -> str:
    """What changes when a comment's body or visibility changes."""
    raw = json.dumps([comment.get("body"), comment.get("visibility")], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def mirror_body(comment: dict[str, Any], site_name: str, template: str,
                person: Callable[[str], str | None], name: Callable[[str], str | None] | None = None) -> dict[str, Any]:
    """The mirror's ADF body: the attribution line, then the origin's content (unknown mentions become text)."""
    author = (comment.get("author") or {}).get("displayName") or "Someone"
    line = (template or "{author} on {site} wrote:").replace("{author}", author).replace("{site}", site_name)
    body = adf.map_mentions(comment.get("body"), person, name) or {"type": "doc", "version": 1, "content": []}
    return {"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": line, "marks": [{"type": "em"}]}]},
        *body.get("content", [])]}


def token_of(comment: dict[str, Any]) -> str | None:
    """The mirror token a comment carries (read with `expand=properties`), or None for a person's comment."""
    for prop in comment.get("properties") or []:
        if prop.get("key") == MIRROR_PROPERTY and isinstance(prop.get("value"), dict):
            token: str | None = prop["value"].get("token")
            return token
    return None


def adopt(known: list[Known], comments: dict[int, list[dict[str, Any]]]) -> dict[str, str]:
    """For each pending link, the id of the mirror Jira holds under its token (a mirror whose answer was lost)."""
    tokens = {k.token: k for k in known if k.pending and k.token}
    found: dict[str, str] = {}
    for side, listed in comments.items():
        for comment in listed:
            token = token_of(comment)
            link = tokens.get(token) if token else None
            if link is not None and token and other(link.origin_side) == side:
                found[token] = str(comment["id"])
    return found


def plan(comments: dict[int, list[dict[str, Any]]], known: list[Known], config: dict[str, Any],
         deletes: str) -> CommentPlan:
    """What to do so every comment that should be on the other side is there, as it is now."""
    result = CommentPlan()
    direction = config.get("direction", "none")
    public_only = config.get("visibility", "all") == "public"
    mirrors = {(other(k.origin_side), k.mirror_id) for k in known if k.mirror_id}
    by_origin = {(k.origin_side, k.origin_id): k for k in known}
    for side, found in comments.items():
        present = {str(c["id"]) for c in found}
        for comment in found:
            if (side, str(comment["id"])) in mirrors or direction == "none" or not flows(direction, side):
                continue
            if token_of(comment):  # one of our mirrors (its link was lost): never carried back
                continue
            if public_only and comment.get("visibility"):
                continue
            link = by_origin.get((side, str(comment["id"])))
            if link is None:
                result.create.append((other(side), comment))
            elif link.pending:
                result.retry.append((other(side), comment))
            elif link.mirror_id and link.state == "active" and link.digest != digest(comment):
                result.edit.append((other(side), link.mirror_id, comment))
        for link in known:
            if link.origin_side == side and link.origin_id not in present and link.state == "active":
                if deletes == "unlink" and link.mirror_id:
                    result.delete.append((other(side), link.mirror_id, link.origin_id))
                else:
                    result.forget.append((side, link.origin_id))
    return result
