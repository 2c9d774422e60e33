"""Worklogs of a linked pair: which to mirror, edit or remove on the other side. Pure.

Modelled on comments: each worklog is mirrored once per direction, written by Work Sync's user with an attribution
line ("{author} on {site} logged:") and the original author and start in its comment, or, by user mapping on a
Forge site, written as the mapped person with the original comment alone (Jira shows them as its author); a mirror
is never mirrored back (the worklog links say which worklogs are mirrors, whoever wrote them), and a worklog that
carries our property is never carried back either. Edits (time spent, start, comment) follow; a deleted worklog's
mirror follows the `deletes` policy.

A mirror whose answer was lost (its link has a token but no mirror id) is looked up by that token, which the mirror
carries as a worklog property: found, it is adopted; not found, it is written again.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from plugin.engine.core.mapping import flows
from plugin.engine.core.model import other

MIRROR_PROPERTY = "work-sync.mirror"


@dataclass(frozen=True)
class Known:
    """A worklog link as stored: the origin worklog, its mirror (None while being created), the origin's digest, and
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
class WorklogPlan:
    """Mirrors to create (side, origin worklog), to write again under their stored token (side, origin worklog), to
    edit (side, mirror id, origin worklog), to delete (side, mirror id, origin id), and origins gone whose mirror stays
    (origin side, origin id)."""

    create: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    retry: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    edit: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    delete: list[tuple[int, str, str]] = field(default_factory=list)
    forget: list[tuple[int, str]] = field(default_factory=list)


def digest(worklog: dict[str, Any]) -> str:
    """What changes when a worklog's time spent, start or comment changes."""
    raw = json.dumps([worklog.get("timeSpentSeconds"), worklog.get("started"), worklog.get("comment")],
                     sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def attribution(worklog: dict[str, Any], site_name: str, named: str | None = None) -> str:
    """The mirror's first line: who logged the work where and when it started (and, by user mapping, the mapped
    person on this side, named because the app cannot log work as someone else)."""
    author = (worklog.get("author") or {}).get("displayName") or "Someone"
    line = f"{author} on {site_name} logged {worklog.get('timeSpent') or ''}".rstrip()
    line += f" (started {worklog['started']})" if worklog.get("started") else ""
    if named:
        line += f", for {named} here"
    return line + ":"


def mirror_body(worklog: dict[str, Any], site_name: str, named: str | None = None,
                mentions: Callable[[dict[str, Any] | None], dict[str, Any] | None] | None = None,
                attributed: bool = True) -> dict[str, Any]:
    """The mirror's fields: the same time spent and start, the comment after the attribution line (its mentions as
    `mentions` writes them on the other side: the user mapping's `PersonMatcher.map_mentions`); without
    `attributed` (written as the mapped person, who Jira shows as the author) the comment alone."""
    comment = worklog.get("comment") if isinstance(worklog.get("comment"), dict) else None
    comment = mentions(comment) if mentions and comment else comment
    content = (comment or {}).get("content") or []
    line = [{"type": "paragraph", "content": [{"type": "text", "text": attribution(worklog, site_name, named),
                                                "marks": [{"type": "em"}]}]}] if attributed else []
    body: dict[str, Any] = {"timeSpentSeconds": int(worklog.get("timeSpentSeconds") or 60),
                            "comment": {"type": "doc", "version": 1, "content": [*line, *content]}}
    if worklog.get("started"):
        body["started"] = worklog["started"]
    return body


def token_of(worklog: dict[str, Any]) -> str | None:
    """The mirror token a worklog carries (read with `expand=properties`), or None for a person's worklog."""
    for prop in worklog.get("properties") or []:
        if prop.get("key") == MIRROR_PROPERTY and isinstance(prop.get("value"), dict):
            token: str | None = prop["value"].get("token")
            return token
    return None


def adopt(known: list[Known], worklogs: dict[int, list[dict[str, Any]]]) -> dict[str, str]:
    """For each pending link, the id of the mirror Jira holds under its token (a mirror whose answer was lost)."""
    tokens = {k.token: k for k in known if k.pending and k.token}
    found: dict[str, str] = {}
    for side, listed in worklogs.items():
        for worklog in listed:
            token = token_of(worklog)
            link = tokens.get(token) if token else None
            if link is not None and token and other(link.origin_side) == side:
                found[token] = str(worklog["id"])
    return found


def plan(worklogs: dict[int, list[dict[str, Any]]], known: list[Known], config: dict[str, Any],
         deletes: str) -> WorklogPlan:
    """What to do so every worklog that should be on the other side is there, as it is now."""
    result = WorklogPlan()
    direction = config.get("direction", "none")
    mirrors = {(other(k.origin_side), k.mirror_id) for k in known if k.mirror_id}
    by_origin = {(k.origin_side, k.origin_id): k for k in known}
    for side, found in worklogs.items():
        present = {str(w["id"]) for w in found}
        for worklog in found:
            if (side, str(worklog["id"])) in mirrors or direction == "none" or not flows(direction, side):
                continue
            if token_of(worklog):  # one of our mirrors (its link was lost): never carried back
                continue
            link = by_origin.get((side, str(worklog["id"])))
            if link is None:
                result.create.append((other(side), worklog))
            elif link.pending:
                result.retry.append((other(side), worklog))
            elif link.mirror_id and link.state == "active" and link.digest != digest(worklog):
                result.edit.append((other(side), link.mirror_id, worklog))
        for link in known:
            if link.origin_side == side and link.origin_id not in present and link.state == "active":
                if deletes == "unlink" and link.mirror_id:
                    result.delete.append((other(side), link.mirror_id, link.origin_id))
                else:
                    result.forget.append((side, link.origin_id))
    return result
