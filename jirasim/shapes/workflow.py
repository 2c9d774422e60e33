"""Representations of workflow activity: transitions and changelog histories."""
from __future__ import annotations

from jirasim.shapes.config import status
from jirasim.shapes.users import user
from jirasim.store.entities import jira_time


def transition(site, t, v: str) -> dict:
    """IssueTransition."""
    return {"id": t.id, "name": t.name, "to": status(site, site.statuses[t.to_id], v), "hasScreen": False,
            "isGlobal": not t.from_ids, "isInitial": False, "isAvailable": True, "isConditional": False,
            "isLooped": False}


def history(site, group, v: str) -> dict:
    """One changelog entry (Changelog); null from/to values are left out as the reference requires."""
    return {"id": group.id, "author": user(site, site.user(group.author_id), v),
            "created": jira_time(group.created),
            "items": [{k: x for k, x in item.items() if x is not None} for item in group.items]}
