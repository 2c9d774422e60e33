"""Representations of a site's configuration: projects, components, versions, issue types, statuses, fields."""
from __future__ import annotations

from datetime import date

from jirasim.shapes.urls import api, avatars
from jirasim.shapes.users import user
from jirasim.store.values import ARRAY_KINDS

DONE_RESOLUTION = {"id": "10000", "name": "Done", "description": "Work has been completed on this issue."}


def status_category(site, cat, v: str) -> dict:
    """A status category."""
    return {"self": api(site, v, f"statuscategory/{cat.id}"), "id": cat.id, "key": cat.key,
            "colorName": cat.color, "name": cat.name}


def status(site, s, v: str) -> dict:
    """A status with its category."""
    return {"self": api(site, v, f"status/{s.id}"), "description": "", "iconUrl": f"{site.base_url}/images/status.png",
            "name": s.name, "id": s.id, "statusCategory": status_category(site, s.category, v)}


def issue_type(site, t, v: str) -> dict:
    """An issue type."""
    return {"self": api(site, v, f"issuetype/{t.id}"), "id": t.id, "description": t.description,
            "iconUrl": f"{site.base_url}/images/issuetype/{t.id}.png", "name": t.name, "subtask": t.subtask,
            "avatarId": 10300 + int(t.id) % 100, "hierarchyLevel": t.hierarchy_level}


def priority(site, p, v: str) -> dict:
    """A priority."""
    return {"self": api(site, v, f"priority/{p.id}"), "iconUrl": f"{site.base_url}/images/priority/{p.id}.svg",
            "name": p.name, "id": p.id}


def resolution(site, v: str) -> dict:
    """The one resolution of the simulated workflow (Done)."""
    return {"self": api(site, v, "resolution/10000"), **DONE_RESOLUTION}


def project(site, p, v: str, full: bool = False) -> dict:
    """A project (short form, or with lead, components, issue types and versions)."""
    body = {"self": api(site, v, f"project/{p.id}"), "id": p.id, "key": p.key, "name": p.name,
            "projectTypeKey": "software", "simplified": False, "avatarUrls": avatars("project-" + p.id)}
    if full:
        body.update({"description": p.description, "lead": user(site, site.user(p.lead_id), v),
                     "components": [component(site, c, v) for c in p.components],
                     "issueTypes": [issue_type(site, t, v) for t in site.issue_types.values()],
                     "versions": [version(site, x, v) for x in p.versions], "assigneeType": "UNASSIGNED",
                     "isPrivate": False, "style": "classic", "archived": False})
    return body


def component(site, c, v: str) -> dict:
    """A component."""
    return {"self": api(site, v, f"component/{c.id}"), "id": c.id, "name": c.name, "description": c.description}


def version(site, x, v: str) -> dict:
    """A version."""
    body = {"self": api(site, v, f"version/{x.id}"), "id": x.id, "name": x.name, "description": x.description,
            "archived": x.archived, "released": x.released, "projectId": int(x.project_id)}
    if x.start_date:
        body["startDate"] = x.start_date
    if x.release_date:
        body["releaseDate"] = x.release_date
        body["overdue"] = not x.released and x.release_date < date.today().isoformat()
    return body


def field_definition(site, f) -> dict:
    """A field as `GET /field` lists it."""
    clause = [f.id] if not f.custom else [f.id.replace("customfield_", "cf[") + "]", f.name]
    return {"id": f.id, "key": f.id, "name": f.name, "custom": f.custom, "orderable": f.orderable,
            "navigable": True, "searchable": f.searchable, "clauseNames": clause, "schema": f.schema}


def option(site, option_id: str, value, v: str) -> dict:
    """A custom field option."""
    return {"self": api(site, v, f"customFieldOption/{option_id}"), "value": value, "id": option_id}


def field_metadata(site, project_, fdef, v: str) -> dict:
    """FieldMetadata of one field on a screen of a project (editmeta, transition screens)."""
    ops = ["add", "set", "remove"] if fdef.kind in ARRAY_KINDS else ["set"]
    body = {"required": fdef.id in ("summary", "issuetype", "project"), "schema": fdef.schema, "name": fdef.name,
            "key": fdef.id, "hasDefaultValue": fdef.id == "priority", "operations": ops}
    if fdef.options:
        body["allowedValues"] = [option(site, i, val, v) for i, val in fdef.options]
    elif fdef.kind == "priority":
        body["allowedValues"] = [priority(site, p, v) for p in site.priorities.values()]
    elif fdef.kind == "issuetype":
        body["allowedValues"] = [issue_type(site, t, v) for t in site.issue_types.values()]
    elif fdef.kind == "components":
        body["allowedValues"] = [component(site, c, v) for c in project_.components]
    elif fdef.kind == "versions":
        body["allowedValues"] = [version(site, x, v) for x in project_.versions]
    elif fdef.kind == "project":
        body["allowedValues"] = [project(site, project_, v)]
    return body


def create_field_meta(site, project_, fdef, v: str) -> dict:
    """FieldCreateMetadata of one field on a project's create screen."""
    return {**field_metadata(site, project_, fdef, v), "fieldId": fdef.id}
