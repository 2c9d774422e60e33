"""JSON representations (Jira's shapes) of users, projects, configuration and issue field values."""
from __future__ import annotations

from jirasim import adf
from jirasim.store.entities import jira_time

DONE_RESOLUTION = {"id": "10000", "name": "Done", "description": "Work has been completed on this issue."}


def api(site, version: str, path: str) -> str:
    """The `self` URL of a REST resource."""
    return f"{site.base_url}/rest/api/{version}/{path.lstrip('/')}"


def avatars(seed: str) -> dict:
    """Avatar URLs in the four Jira sizes."""
    return {f"{n}x{n}": f"https://avatar-management.example/{seed}/{n}.png" for n in (16, 24, 32, 48)}


def user(site, u, v: str, viewer=None) -> dict | None:
    """A user (emailAddress only when visible or the viewer is that user)."""
    if u is None:
        return None
    body = {"self": api(site, v, f"user?accountId={u.account_id}"), "accountId": u.account_id,
            "accountType": u.account_type, "avatarUrls": avatars(u.account_id), "displayName": u.display_name,
            "active": u.active, "timeZone": u.time_zone}
    if u.email and (u.email_visible or (viewer is not None and viewer.account_id == u.account_id)):
        body["emailAddress"] = u.email
    return body


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
    return {"self": api(site, v, f"version/{x.id}"), "id": x.id, "name": x.name, "archived": x.archived,
            "released": x.released, "projectId": int(x.project_id)}


def field_definition(site, f) -> dict:
    """A field as `GET /field` lists it."""
    clause = [f.id] if not f.custom else [f.id.replace("customfield_", "cf[") + "]", f.name]
    return {"id": f.id, "key": f.id, "name": f.name, "custom": f.custom, "orderable": f.orderable,
            "navigable": True, "searchable": f.searchable, "clauseNames": clause, "schema": f.schema}


def _lookup(site, project_id, kind, item_id):
    proj = site.projects.get(project_id)
    items = proj.components if kind == "components" else proj.versions
    return next((x for x in items if x.id == item_id), None)


def field_value(site, issue, fid: str, v: str, viewer=None):
    """The JSON value of one field of an issue."""
    fdef = site.fields.get(fid)
    value = issue.fields.get(fid)
    kind = fdef.kind if fdef else None
    if fid == "comment":
        from jirasim.rest.comments import visible_comments, comment_json
        shown = visible_comments(site, issue, viewer)
        return {"comments": [comment_json(site, issue, c, v) for c in shown], "self": api(site, v, f"issue/{issue.id}/comment"),
                "maxResults": len(shown), "total": len(shown), "startAt": 0}
    if fid == "attachment":
        from jirasim.rest.attachments import attachment_json
        return [attachment_json(site, a, v) for a in issue.attachments]
    if value is None:
        return [] if kind in ("labels", "components", "versions", "multiselect") else None
    if kind == "adf":
        return value if v == "3" else adf.to_text(value)
    if kind in ("string", "number", "date", "labels"):
        return value
    if kind == "datetime":
        return jira_time(value)
    if kind == "user":
        return user(site, site.user(value), v, viewer)
    if kind == "project":
        return project(site, site.projects[value], v)
    if kind == "status":
        return status(site, site.statuses[value], v)
    if kind == "issuetype":
        return issue_type(site, site.issue_types[value], v)
    if kind == "priority":
        return priority(site, site.priorities[value], v)
    if kind == "resolution":
        return {"self": api(site, v, "resolution/10000"), **DONE_RESOLUTION}
    if kind == "components":
        return [component(site, c, v) for c in (_lookup(site, issue.project_id, kind, i) for i in value) if c]
    if kind == "versions":
        return [version(site, x, v) for x in (_lookup(site, issue.project_id, kind, i) for i in value) if x]
    if kind in ("select", "multiselect"):
        names = dict(fdef.options)
        options = [{"self": api(site, v, f"customFieldOption/{o}"), "value": names.get(o), "id": o}
                   for o in (value if kind == "multiselect" else [value])]
        return options if kind == "multiselect" else options[0]
    if kind == "parent":
        parent = site.issues.get(value)
        if parent is None:
            return None
        return {"id": parent.id, "key": parent.key, "self": api(site, v, f"issue/{parent.id}"),
                "fields": {f: field_value(site, parent, f, v, viewer)
                           for f in ("summary", "status", "priority", "issuetype")}}
    return value


NAVIGABLE_DEFAULT_EXCLUDED = {"comment", "attachment"}


def select_fields(site, requested) -> list[str]:
    """Field ids for a `fields` parameter (`*all`, `*navigable`, ids, `-id` exclusions)."""
    if isinstance(requested, str):
        requested = [x.strip() for x in requested.split(",") if x.strip()]
    requested = list(requested or ["*all"])
    all_ids = list(site.fields)
    chosen: list[str] = []
    for item in requested:
        if item == "*all":
            chosen.extend(all_ids)
        elif item == "*navigable":
            chosen.extend(f for f in all_ids if f not in NAVIGABLE_DEFAULT_EXCLUDED)
        elif not item.startswith("-") and item in site.fields:
            chosen.append(item)
    excluded = {item[1:] for item in requested if item.startswith("-")}
    return [f for f in dict.fromkeys(chosen) if f not in excluded]
