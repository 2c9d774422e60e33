"""Server info, the caller, issue types, fields, priorities, resolutions and statuses."""
from __future__ import annotations

from flask import request

from jirasim import shapes
from jirasim.errors import not_found
from jirasim.rest.common import caller, flag, int_arg, new_blueprint, ok, site, version
from jirasim.shapes.admin import page, priority_details, resolution, resolution_bean
from jirasim.shapes.issues import parse_list
from jirasim.store.entities import jira_time, now


def _ids(name: str) -> set[str]:
    return set(parse_list(request.args.getlist(name)))


def blueprint():
    """Blueprint of the meta endpoints."""
    bp = new_blueprint("meta")

    @bp.get("/serverInfo")
    def server_info():
        s = site()
        return ok({"baseUrl": s.base_url, "displayUrl": s.base_url, "version": "1001.0.0-SNAPSHOT",
                   "versionNumbers": [1001, 0, 0], "deploymentType": "Cloud", "buildNumber": 100290,
                   "buildDate": "2026-11-01T00:00:00.000+0000", "serverTime": jira_time(now()),
                   "scmInfo": "jirasim", "serverTitle": "Jira", "serverTimeZone": "UTC"})

    @bp.get("/myself")
    def myself():
        body = shapes.user(site(), caller(), version(), viewer=caller())
        body.update({"locale": "en_US", "groups": {"size": len(caller().groups), "items": []},
                     "applicationRoles": {"size": 1, "items": []}, "expand": "groups,applicationRoles"})
        return ok(body)

    @bp.get("/issuetype")
    def issue_types():
        return ok([shapes.issue_type(site(), t, version()) for t in site().issue_types.values()])

    @bp.get("/issuetype/<id>")
    def issue_type(id):
        found = site().issue_types.get(id)
        if found is None:
            raise not_found(f"The issue type with id '{id}' does not exist.")
        return ok(shapes.issue_type(site(), found, version()))

    @bp.get("/field")
    def fields():
        return ok([shapes.field_definition(site(), f) for f in site().fields.values()])

    @bp.get("/priority")
    def priorities():
        return ok([priority_details(site(), p, version()) for p in site().priorities.values()])

    @bp.get("/priority/search")
    def priority_search():
        ids, projects = _ids("id"), _ids("projectId")
        name = (request.args.get("priorityName") or "").lower()
        if projects and not any(site().projects.get(p) for p in projects):
            found = []  # priorities of projects that do not exist: none
        else:
            found = [p for p in site().priorities.values() if (not ids or p.id in ids)
                     and name in p.name.lower() and (p.is_default or not flag("onlyDefault"))]
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 50, 50) or 50
        return ok(page(site(), version(), "priority/search", [priority_details(site(), p, version()) for p in found],
                       start, limit))

    @bp.get("/resolution")
    def resolutions():
        return ok([resolution(site(), r, version()) for r in site().resolutions.values()])

    @bp.get("/resolution/search")
    def resolution_search():
        ids = _ids("id")
        found = [r for r in site().resolutions.values() if (not ids or r.id in ids)
                 and (r.is_default or not flag("onlyDefault"))]
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 50, 50) or 50
        return ok(page(site(), version(), "resolution/search", [resolution_bean(site(), r, version()) for r in found],
                       start, limit))

    @bp.get("/resolution/<id>")
    def resolution_get(id):
        found = site().resolutions.get(id)
        if found is None:
            raise not_found(f"The resolution with ID {id} does not exist.")
        return ok(resolution(site(), found, version()))

    @bp.get("/status")
    def statuses():
        return ok([shapes.status(site(), s, version()) for s in site().statuses.values()])

    return bp
