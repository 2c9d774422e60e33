"""Representations of a site's configuration: projects, components, versions, issue types, statuses, fields."""
from __future__ import annotations

from datetime import date

from jirasim.shapes.urls import api, avatars
from jirasim.shapes.users import user
from jirasim.store.values import ARRAY_KINDS

DONE_RESOLUTION = {"id": "10000", "name": "Done", "description": "Work has been completed on this issue."}


def status_category(site, category, api_version: str) -> dict:
    """A status category."""
    return {"self": api(site, api_version, f"statuscategory/{category.id}"), "id": category.id, "key": category.key,
            "colorName": category.color, "name": category.name}


def status(site, status, api_version: str) -> dict:
    """A status with its category."""
    return {"self": api(site, api_version, f"status/{status.id}"), "description": "",
            "iconUrl": f"{site.base_url}/images/status.png", "name": status.name, "id": status.id,
            "statusCategory": status_category(site, status.category, api_version)}


def issue_type(site, issue_type, api_version: str) -> dict:
    """An issue type."""
    return {"self": api(site, api_version, f"issuetype/{issue_type.id}"), "id": issue_type.id,
            "description": issue_type.description, "iconUrl": f"{site.base_url}/images/issuetype/{issue_type.id}.png",
            "name": issue_type.name, "subtask": issue_type.subtask, "avatarId": 10300 + int(issue_type.id) % 100,
            "hierarchyLevel": issue_type.hierarchy_level}


def priority(site, priority, api_version: str) -> dict:
    """A priority."""
    return {"self": api(site, api_version, f"priority/{priority.id}"),
            "iconUrl": f"{site.base_url}/images/priority/{priority.id}.svg", "name": priority.name, "id": priority.id}


def resolution(site, api_version: str) -> dict:
    """The one resolution of the simulated workflow (Done)."""
    return {"self": api(site, api_version, "resolution/10000"), **DONE_RESOLUTION}


def project(site, project, api_version: str, full: bool = False) -> dict:
    """A project (short form, or with lead, components, issue types and versions)."""
    body = {"self": api(site, api_version, f"project/{project.id}"), "id": project.id, "key": project.key,
            "name": project.name, "projectTypeKey": "software", "simplified": False,
            "avatarUrls": avatars("project-" + project.id)}
    if full:
        body.update({"description": project.description, "lead": user(site, site.user(project.lead_id), api_version),
                     "components": [component(site, c, api_version) for c in project.components],
                     "issueTypes": [issue_type(site, t, api_version) for t in site.issue_types.values()],
                     "versions": [version(site, x, api_version) for x in project.versions],
                     "assigneeType": "UNASSIGNED", "isPrivate": False, "style": "classic", "archived": False})
    return body


def component(site, component, api_version: str) -> dict:
    """A component."""
    return {"self": api(site, api_version, f"component/{component.id}"), "id": component.id, "name": component.name,
            "description": component.description}


def version(site, version, api_version: str) -> dict:
    """A version."""
    body = {"self": api(site, api_version, f"version/{version.id}"), "id": version.id, "name": version.name,
            "description": version.description, "archived": version.archived, "released": version.released,
            "projectId": int(version.project_id)}
    if version.start_date:
        body["startDate"] = version.start_date
    if version.release_date:
        body["releaseDate"] = version.release_date
        body["overdue"] = not version.released and version.release_date < date.today().isoformat()
    return body


def field_definition(site, field) -> dict:
    """A field as `GET /field` lists it."""
    clause = [field.id] if not field.custom else [field.id.replace("customfield_", "cf[") + "]", field.name]
    return {"id": field.id, "key": field.id, "name": field.name, "custom": field.custom, "orderable": field.orderable,
            "navigable": True, "searchable": field.searchable, "clauseNames": clause, "schema": field.schema}


def option(site, option_id: str, value, api_version: str) -> dict:
    """A custom field option."""
    return {"self": api(site, api_version, f"customFieldOption/{option_id}"), "value": value, "id": option_id}


def field_metadata(site, project_, fdef, api_version: str) -> dict:
    """FieldMetadata of one field on a screen of a project (editmeta, transition screens)."""
    ops = ["add", "set", "remove"] if fdef.kind in ARRAY_KINDS else ["set"]
    body = {"required": fdef.id in ("summary", "issuetype", "project"), "schema": fdef.schema, "name": fdef.name,
            "key": fdef.id, "hasDefaultValue": fdef.id == "priority", "operations": ops}
    if fdef.options:
        body["allowedValues"] = [option(site, i, val, api_version) for i, val in fdef.options]
    elif fdef.kind == "priority":
        body["allowedValues"] = [priority(site, p, api_version) for p in site.priorities.values()]
    elif fdef.kind == "issuetype":
        body["allowedValues"] = [issue_type(site, t, api_version) for t in site.issue_types.values()]
    elif fdef.kind == "components":
        body["allowedValues"] = [component(site, c, api_version) for c in project_.components]
    elif fdef.kind == "versions":
        body["allowedValues"] = [version(site, x, api_version) for x in project_.versions]
    elif fdef.kind == "project":
        body["allowedValues"] = [project(site, project_, api_version)]
    return body


def create_field_meta(site, project_, fdef, api_version: str) -> dict:
    """FieldCreateMetadata of one field on a project's create screen."""
    return {**field_metadata(site, project_, fdef, api_version), "fieldId": fdef.id}
