"""Server info, the caller, issue types, fields, priorities and statuses."""
from __future__ import annotations

from jirasim import shapes
from jirasim.errors import not_found
from jirasim.rest.common import caller, new_blueprint, ok, site, version
from jirasim.store.entities import jira_time, now


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
        return ok([{**shapes.priority(site(), p, version()), "description": p.name, "statusColor": "#cccccc",
                    "isDefault": p.is_default} for p in site().priorities.values()])

    @bp.get("/status")
    def statuses():
        return ok([shapes.status(site(), s, version()) for s in site().statuses.values()])

    return bp
