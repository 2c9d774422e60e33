"""Representations of workflow activity: transitions and changelog histories."""
from __future__ import annotations

from jirasim.shapes.config import field_metadata, status
from jirasim.shapes.users import user
from jirasim.store import screens
from jirasim.store.changes import REST_ITEM_KEYS
from jirasim.store.entities import jira_time


def transition(site, project, t, v: str, with_fields: bool = False) -> dict:
    """IssueTransition in a project (`with_fields`: the FieldMetadata of its screen, for `transitions.fields`)."""
    on_screen = screens.transition_fields(site, project, t)
    body = {"id": t.id, "name": t.name, "to": status(site, site.statuses[t.to_id], v),
            "hasScreen": on_screen is not None, "isGlobal": not t.from_ids, "isInitial": False, "isAvailable": True,
            "isConditional": False, "isLooped": False}
    if with_fields:
        body["fields"] = {fid: field_metadata(site, project, site.fields[fid], v) for fid in on_screen or ()}
    return body


def history(site, group, v: str) -> dict:
    """One changelog entry (Changelog); null from/to values are left out as the reference requires."""
    body = {"id": group.id, "author": user(site, site.user(group.author_id), v),
            "created": jira_time(group.created),
            "items": [{k: item[k] for k in REST_ITEM_KEYS if item.get(k) is not None} for item in group.items]}
    if group.history_metadata:
        body["historyMetadata"] = group.history_metadata
    return body
