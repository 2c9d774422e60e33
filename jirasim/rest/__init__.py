"""REST API v2/v3 of every site: `/{site}/rest/api/{2|3|latest}/...`, split into blueprints by area."""
from __future__ import annotations

import re

from flask import Blueprint, g, request

from jirasim.errors import JiraError
from jirasim.rest import (
    attachments,
    comments,
    components,
    custom_fields,
    issues,
    jql_parse,
    links,
    meta,
    permissions,
    projects,
    properties,
    search,
    transitions,
    users,
)
from jirasim.rest.auth import resolve_caller
from jirasim.store import clock

PREFIX = "/<site_name>/rest/api/<any('2', '3', 'latest'):api_version>"
ANONYMOUS = {"meta.server_info"}


def openapi_template(rule: str, version: str) -> str:
    """The OpenAPI path template of a Flask rule, e.g. `/rest/api/3/issue/{issueIdOrKey}`."""
    rest = rule[rule.index("/rest/api/"):]
    rest = re.sub(r"^/rest/api/<[^>]+>", f"/rest/api/{version}", rest)
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rest)


def site_blueprint(world) -> Blueprint:
    """The parent blueprint: resolves site, faults, caller; counts calls; logs requests."""
    bp = Blueprint("jira", __name__, url_prefix=PREFIX)

    @bp.url_value_preprocessor
    def pull_site(endpoint, values):
        g.site_name = values.pop("site_name", None)
        version = values.pop("api_version", "3")
        g.api_version = "2" if version == "latest" else version
        g.raw_api_version = version

    @bp.before_request
    def resolve():
        site = world.sites.get(g.site_name)
        if site is None:
            raise JiraError(404, f"Site '{g.site_name}' does not exist.")
        g.site, g.world, g.caller = site, world, None
        endpoint = openapi_template(request.url_rule.rule, g.raw_api_version)
        fault = world.faults.before_request(site.name, endpoint)
        if fault is not None:
            return fault
        g.caller = resolve_caller(site, request, anonymous_ok=request.endpoint.split(".", 1)[-1] in ANONYMOUS)
        clock.render_for(g.caller)
        return None

    @bp.after_request
    def count(response):
        template = openapi_template(request.url_rule.rule, g.get("raw_api_version", "3")) if request.url_rule else \
            request.path
        caller = g.get("caller")
        with world.lock:
            world.calls[(g.get("site_name"), request.method, template)] += 1
            world.request_log.append({"site": g.get("site_name"), "method": request.method, "path": request.path,
                                      "endpoint": template, "status": response.status_code,
                                      "caller": caller.account_id if caller else None,
                                      "faults": list(g.get("jirasim_faults", []))})
        return response

    for module in (meta, projects, users, permissions, issues, transitions, comments, attachments, properties,
                   search, links, components, custom_fields, jql_parse):
        bp.register_blueprint(module.blueprint())
    return bp
