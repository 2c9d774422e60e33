"""What two paired issues already share when the pair is made: comments with the same text, attachments with the same
name and size. Pure. Each shared one is linked to its twin (one to one, oldest first), so it is never copied across.

A comment's text is the plain text of its ADF body with white space normalised; one of our own mirrors (it carries
the mirror property, see `comments.token_of`) is compared without its first paragraph, the attribution line."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from plugin.engine.core import adf
from plugin.engine.core.comments import token_of


def comment_text(comment: dict[str, Any]) -> str:
    """A comment's text as compared: its plain text, white space normalised, without our attribution line."""
    body = comment.get("body") or {}
    if token_of(comment) and isinstance(body, dict):
        body = {**body, "content": (body.get("content") or [])[1:]}
    return " ".join((adf.to_text(body) or "").split())


def _pairs(items: dict[int, list[dict[str, Any]]], key: Callable[[dict[str, Any]], Hashable | None],
           taken: dict[int, set[str]]) -> list[tuple[str, str]]:
    """(side-1 id, side-2 id) of items with equal keys, one to one in the order listed; `taken` ids left out."""
    waiting: dict[Hashable, list[str]] = {}
    for item in items.get(2) or []:
        found = key(item)
        if found and str(item["id"]) not in taken.get(2, set()):
            waiting.setdefault(found, []).append(str(item["id"]))
    pairs: list[tuple[str, str]] = []
    for item in items.get(1) or []:
        found = key(item)
        if found and str(item["id"]) not in taken.get(1, set()) and waiting.get(found):
            pairs.append((str(item["id"]), waiting[found].pop(0)))
    return pairs


def comments(listed: dict[int, list[dict[str, Any]]], taken: dict[int, set[str]] | None = None
             ) -> list[tuple[str, str]]:
    """(side-1 comment id, side-2 comment id) of the comments both sides already have (same text, not empty)."""
    return _pairs(listed, comment_text, taken or {})


def attachment_key(attachment: dict[str, Any]) -> tuple[str, int] | None:
    """An attachment as compared: its file name and size."""
    name = attachment.get("filename")
    return (str(name), int(attachment.get("size") or 0)) if name else None


def attachments(listed: dict[int, list[dict[str, Any]]], taken: dict[int, set[str]] | None = None
                ) -> list[tuple[str, str]]:
    """(side-1 attachment id, side-2 attachment id) of the attachments both sides already have (same name and size)."""
    return _pairs(listed, attachment_key, taken or {})
