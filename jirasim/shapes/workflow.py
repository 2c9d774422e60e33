"""Representations of workflow activity: transitions and changelog histories."""
from __future__ import annotations

from jirasim.shapes.config import field_metadata, status
from jirasim.shapes.users import user
from jirasim.store import screens
from jirasim.store.changes import REST_ITEM_KEYS
from jirasim.store.entities import jira_time


def transition(site, project, transition, api_version: str, with_fields: bool = False) -> dict:
    """IssueTransition in a project (`with_fields`: the FieldMetadata of its screen, for `transitions.fields`)."""
    on_screen = screens.transition_fields(site, project, transition)
    body = {"id": transition.id, "name": transition.name,
            "to": status(site, site.statuses[transition.to_id], api_version), "hasScreen": on_screen is not None,
            "isGlobal": not transition.from_ids, "isInitial": False, "isAvailable": True, "isConditional": False,
            "isLooped": False}
    if with_fields:
        body["fields"] = {fid: field_metadata(site, project, site.fields[fid], api_version) for fid in on_screen or ()}
    return body


def history(site, group, api_version: str) -> dict:
    """One changelog entry (Changelog); null from/to values are left out as the reference requires."""
    body = {"id": group.id, "author": user(site, site.user(group.author_id), api_version),
            "created": jira_time(group.created),
            "items": [{k: item[k] for k in REST_ITEM_KEYS if item.get(k) is not None} for item in group.items]}
    if group.history_metadata:
        body["historyMetadata"] = group.history_metadata
    return body
