"""IssueBean and changelog representations, and the `names`/`renderedFields` expansions."""
from __future__ import annotations

from jirasim import adf
from jirasim.rest import render
from jirasim.store.entities import jira_time

ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"


def history(site, group, v: str) -> dict:
    """One changelog entry (Changelog); null from/to values are left out as the reference requires."""
    return {"id": group.id, "author": render.user(site, site.user(group.author_id), v),
            "created": jira_time(group.created), "items": [{k: x for k, x in item.items() if x is not None} for item in group.items]}


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


def properties_of(issue, keys) -> dict:
    """The requested issue properties (`*all` for every one)."""
    keys = parse_list(keys)
    if "*all" in keys:
        return dict(issue.properties)
    return {k: issue.properties[k] for k in keys if k in issue.properties}


def issue_bean(site, issue, v: str, *, fields="*all", expand=None, properties=None, viewer=None) -> dict:
    """An issue as Jira returns it from GET issue and search."""
    expand = set(parse_list(expand))
    chosen = render.select_fields(site, fields)
    body = {"expand": ISSUE_EXPAND, "id": issue.id, "self": render.api(site, v, f"issue/{issue.id}"),
            "key": issue.key, "fields": {fid: render.field_value(site, issue, fid, v, viewer) for fid in chosen}}
    if properties:
        body["properties"] = properties_of(issue, properties)
    if "names" in expand:
        body["names"] = {fid: site.fields[fid].name for fid in chosen}
    if "schema" in expand:
        body["schema"] = {fid: site.fields[fid].schema for fid in chosen}
    if "renderedFields" in expand:
        body["renderedFields"] = {fid: _rendered(site, issue, fid) for fid in chosen}
    if "changelog" in expand:
        histories = [history(site, g, v) for g in reversed(issue.changelog)][:100]
        body["changelog"] = {"startAt": 0, "maxResults": len(histories), "total": len(issue.changelog),
                             "histories": histories}
    if "transitions" in expand:
        from jirasim.rest.transitions import transition_json
        body["transitions"] = [transition_json(site, t, v) for t in site.available_transitions(issue)]
    return body


def _rendered(site, issue, fid: str):
    fdef = site.fields[fid]
    value = issue.fields.get(fid)
    if fdef.kind == "adf":
        return adf.to_html(value) if value else None
    if fdef.kind == "datetime" and value is not None:
        return value.strftime("%d/%b/%y %I:%M %p")
    if isinstance(value, (str, int, float)) or value is None:
        return value
    return None
