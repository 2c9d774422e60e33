"""Projects, project statuses, and the screens' metadata: create (per project and type) and edit (per issue)."""
from __future__ import annotations

from flask import request

from jirasim import shapes
from jirasim.errors import not_found
from jirasim.rest.auth import browsable_issue, may_override_screens
from jirasim.rest.common import caller, flag, int_arg, new_blueprint, ok, site, version, world
from jirasim.store import screens


def visible_project(id_or_key):
    """The project if the caller may browse it; Jira's 404 otherwise."""
    project = site().project(id_or_key)
    if project is None or not site().can(caller(), "BROWSE_PROJECTS", project):
        raise not_found(f"No project could be found with key '{id_or_key}'.")
    return project


def visible_projects() -> list:
    """Every project the caller may browse, ordered by key."""
    return sorted((p for p in site().projects.values() if site().can(caller(), "BROWSE_PROJECTS", p)),
                  key=lambda p: p.key)


def blueprint():
    """Blueprint of the project endpoints."""
    bp = new_blueprint("projects")

    @bp.get("/project")
    def project_list():
        return ok([shapes.project(site(), p, version()) for p in visible_projects()])

    @bp.get("/project/search")
    def project_search():
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 50, 100) or 50
        query = (request.args.get("query") or "").lower()
        keys = {k.strip().upper() for k in request.args.getlist("keys") for k in k.split(",") if k.strip()}
        found = [p for p in visible_projects() if (not query or query in p.key.lower() or query in p.name.lower())
                 and (not keys or p.key in keys)]
        page = found[start:start + limit]
        return ok({"self": request.url, "maxResults": limit, "startAt": start, "total": len(found),
                   "isLast": start + limit >= len(found),
                   "values": [shapes.project(site(), p, version()) for p in page]})

    @bp.get("/project/<projectIdOrKey>")
    def project_get(projectIdOrKey):
        return ok(shapes.project(site(), visible_project(projectIdOrKey), version(), full=True))

    @bp.get("/project/<projectIdOrKey>/statuses")
    def project_statuses(projectIdOrKey):
        visible_project(projectIdOrKey)
        s, v = site(), version()
        return ok([{"self": shapes.api(s, v, f"issuetype/{t.id}"), "id": t.id, "name": t.name, "subtask": t.subtask,
                    "statuses": [shapes.status(s, s.statuses[x], v) for x in s.workflow_for(t.id).status_ids]}
                   for t in s.issue_types.values()])

    @bp.get("/issue/createmeta/<projectIdOrKey>/issuetypes")
    def createmeta_types(projectIdOrKey):
        visible_project(projectIdOrKey)
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 50, 200) or 50
        types = list(site().issue_types.values())
        page = [shapes.issue_type(site(), t, version()) for t in types[start:start + limit]]
        return ok({"issueTypes": page, "maxResults": limit, "startAt": start, "total": len(types)})

    @bp.get("/issue/createmeta/<projectIdOrKey>/issuetypes/<issueTypeId>")
    def createmeta_fields(projectIdOrKey, issueTypeId):
        project = visible_project(projectIdOrKey)
        if site().issue_types.get(issueTypeId) is None:
            raise not_found(f"Issue type with id '{issueTypeId}' does not exist.")
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 50, 200) or 50
        metas = [shapes.create_field_meta(site(), project, site().fields[fid], version())
                 for fid in screens.screen_fields(site(), project, "create")]
        page = metas[start:start + limit]
        return ok({"fields": page, "results": page, "maxResults": limit, "startAt": start, "total": len(metas)})

    @bp.get("/issue/<issueIdOrKey>/editmeta")
    def editmeta(issueIdOrKey):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            project = site().projects[issue.project_id]
            if not site().can(caller(), "EDIT_ISSUES", project):
                return ok({"fields": {}})
            override = flag("overrideScreenSecurity") and may_override_screens(site(), caller())
            shown = [f for f in screens.settable(site()) if f != "project"] if override else \
                screens.screen_fields(site(), project, "edit")
            return ok({"fields": {fid: shapes.field_metadata(site(), project, site().fields[fid], version())
                                  for fid in shown}})

    return bp
