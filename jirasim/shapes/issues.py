"""IssueBean with its field values and expansions (names, schema, renderedFields, changelog), and small issue shapes."""
from __future__ import annotations

from jirasim import adf
from jirasim.shapes import config
from jirasim.shapes.attachments import attachment
from jirasim.shapes.comments import comment
from jirasim.shapes.links import issue_links_field
from jirasim.shapes.urls import api
from jirasim.shapes.users import user
from jirasim.shapes.workflow import history, transition
from jirasim.shapes.worklogs import worklog_page
from jirasim.store.clock import rendering_zone
from jirasim.store.comments import visible_comments
from jirasim.store.entities import jira_time
from jirasim.store.values import ARRAY_KINDS

ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
NAVIGABLE_DEFAULT_EXCLUDED = {"comment", "attachment", "worklog"}


def parse_list(value) -> list[str]:
    """A comma-separated string or list as a list of stripped strings."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    out = []
    for item in value:
        out.extend(x.strip() for x in str(item).split(",") if x.strip())
    return out


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


def _lookup(site, project_id, kind, item_id):
    proj = site.projects.get(project_id)
    items = proj.components if kind == "components" else proj.versions
    return next((x for x in items if x.id == item_id), None)


def field_value(site, issue, fid: str, api_version: str, viewer=None):
    """The JSON value of one field of an issue."""
    fdef = site.fields.get(fid)
    value = issue.fields.get(fid)
    kind = fdef.kind if fdef else None
    if fid == "comment":
        shown = visible_comments(site, issue, viewer)
        return {"comments": [comment(site, issue, c, api_version) for c in shown],
                "self": api(site, api_version, f"issue/{issue.id}/comment"), "maxResults": len(shown),
                "total": len(shown), "startAt": 0}
    if fid == "attachment":
        return [attachment(site, a, api_version) for a in issue.attachments]
    if fid == "worklog":
        return worklog_page(site, issue, api_version)
    if fid == "issuelinks":
        return issue_links_field(site, issue, api_version)
    if value is None:
        return [] if kind in ARRAY_KINDS else None
    if kind == "adf":
        return value if api_version == "3" else adf.to_text(value)
    if kind in ("string", "number", "date", "labels"):
        return value
    if kind == "datetime":
        return jira_time(value)
    if kind == "user":
        return user(site, site.user(value), api_version, viewer)
    if kind == "project":
        return config.project(site, site.projects[value], api_version)
    if kind == "status":
        return config.status(site, site.statuses[value], api_version)
    if kind == "issuetype":
        return config.issue_type(site, site.issue_types[value], api_version)
    if kind == "priority":
        return config.priority(site, site.priorities[value], api_version)
    if kind == "resolution":
        return config.resolution(site, api_version)
    if kind == "components":
        return [config.component(site, c, api_version)
                for c in (_lookup(site, issue.project_id, kind, i) for i in value) if c]
    if kind == "versions":
        return [config.version(site, x, api_version)
                for x in (_lookup(site, issue.project_id, kind, i) for i in value) if x]
    if kind in ("select", "multiselect"):
        names = dict(fdef.options)
        options = [config.option(site, o, names.get(o), api_version)
                   for o in (value if kind == "multiselect" else [value])]
        return options if kind == "multiselect" else options[0]
    if kind == "parent":
        parent = site.issues.get(value)
        if parent is None:
            return None
        return {"id": parent.id, "key": parent.key, "self": api(site, api_version, f"issue/{parent.id}"),
                "fields": {f: field_value(site, parent, f, api_version, viewer)
                           for f in ("summary", "status", "priority", "issuetype")}}
    return value


def properties_of(issue, keys) -> dict:
    """The requested issue properties (`*all` for every one)."""
    keys = parse_list(keys)
    if "*all" in keys:
        return dict(issue.properties)
    return {k: issue.properties[k] for k in keys if k in issue.properties}


def issue_bean(site, issue, api_version: str, *, fields="*all", expand=None, properties=None, viewer=None) -> dict:
    """An issue as Jira returns it from GET issue and search."""
    expand = set(parse_list(expand))
    chosen = select_fields(site, fields)
    body = {"expand": ISSUE_EXPAND, "id": issue.id, "self": api(site, api_version, f"issue/{issue.id}"),
            "key": issue.key, "fields": {fid: field_value(site, issue, fid, api_version, viewer) for fid in chosen}}
    if properties:
        body["properties"] = properties_of(issue, properties)
    if "names" in expand:
        body["names"] = {fid: site.fields[fid].name for fid in chosen}
    if "schema" in expand:
        body["schema"] = {fid: site.fields[fid].schema for fid in chosen}
    if "renderedFields" in expand:
        body["renderedFields"] = {fid: _rendered(site, issue, fid) for fid in chosen}
    if "changelog" in expand:
        histories = [history(site, g, api_version) for g in reversed(issue.changelog)][:100]
        body["changelog"] = {"startAt": 0, "maxResults": len(histories), "total": len(issue.changelog),
                             "histories": histories}
    if "transitions" in expand:
        project = site.projects[issue.project_id]
        body["transitions"] = [transition(site, project, t, api_version) for t in site.available_transitions(issue)]
    return body


def _rendered(site, issue, fid: str):
    fdef = site.fields[fid]
    value = issue.fields.get(fid)
    if fdef.kind == "adf":
        return adf.to_html(value) if value else None
    if fdef.kind == "datetime" and value is not None:
        return value.astimezone(rendering_zone()).strftime("%d/%b/%y %I:%M %p")
    if isinstance(value, (str, int, float)) or value is None:
        return value
    return None


def created_issue(site, issue, api_version: str) -> dict:
    """CreatedIssue."""
    return {"id": issue.id, "key": issue.key, "self": api(site, api_version, f"issue/{issue.id}")}


def remote_link(site, issue, link, api_version: str) -> dict:
    """RemoteIssueLink."""
    body = {"id": int(link.id), "self": api(site, api_version, f"issue/{issue.key}/remotelink/{link.id}"),
            "application": link.application, "object": link.object}
    if link.global_id:
        body["globalId"] = link.global_id
    if link.relationship:
        body["relationship"] = link.relationship
    return body
