"""REST API v2/v3 of every site: `/{site}/rest/api/{2|3|latest}/...`, split into blueprints by area.

The same API is served a second time behind the product API gateway Forge remotes use,
`/_api/ex/jira/{cloudId}/rest/api/...` (the stand-in for `https://api.atlassian.com/ex/jira/{cloudId}`), where
callers authenticate with app system tokens instead; faults, rate limits, search lag and counters are the same.
"""
from __future__ import annotations

import json
import re
import time

from flask import Blueprint, Response, g, request

from jirasim.errors import GatewayError, JiraError
from jirasim.limits import BODY
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
    worklogs,
)
from jirasim.rest.auth import resolve_caller, resolve_gateway_caller
from jirasim.store import clock

VERSIONS = "<any('2', '3', 'latest'):api_version>"
PREFIX = f"/<site_name>/rest/api/{VERSIONS}"
GATEWAY_PREFIX = f"/_api/ex/jira/<cloud_id>/rest/api/{VERSIONS}"
ANONYMOUS = {"meta.server_info"}
WRITES = {"POST", "PUT", "DELETE", "PATCH"}
READS_BY_POST = ("/search/jql", "/issue/bulkfetch", "/changelog/bulkfetch")


def openapi_template(rule: str, version: str) -> str:
    """The OpenAPI path template of a Flask rule, e.g. `/rest/api/3/issue/{issueIdOrKey}`."""
    rest = rule[rule.index("/rest/api/"):]
    rest = re.sub(r"^/rest/api/<[^>]+>", f"/rest/api/{version}", rest)
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rest)


def _rate_limit(world, site, endpoint: str) -> Response | None:
    """429 when a rate limit refuses this request of an app (or of a person, if people are limited)."""
    caller, limiter = g.caller, world.limits
    if caller is None or not limiter.limits.enabled or not (caller.is_app or limiter.limits.people):
        return None
    issue = None
    if request.method in WRITES and "issueIdOrKey" in (request.view_args or {}):
        ref = request.view_args["issueIdOrKey"]
        found = site.issue(ref)
        issue = found.id if found is not None else ref
    g.rate_client = caller.app_key if caller.is_app else caller.account_id
    decision = limiter.admit(site.name, g.rate_client, request.method, endpoint, issue)
    if isinstance(decision, bool):
        g.rate_near = decision
        return None
    g.rate_limited = decision.reason
    headers = {**limiter.quota_headers(g.rate_client, site.name), **decision.headers()}
    return Response(json.dumps(BODY), status=429, headers=headers, mimetype="application/json")


def _charge(world, response) -> None:
    """Charge the request's points to the app's hourly quota; flag a response when a limit is nearly used up."""
    client = g.get("rate_client")
    if client is None or g.get("rate_limited"):
        return
    points = 1
    if request.method == "GET" or request.path.endswith(READS_BY_POST):
        body = response.get_json(silent=True) if response.is_json and not response.is_streamed else None
        points += len(body.get("issues") or []) if isinstance(body, dict) else 0
    site = g.get("site")
    tenant = site.name if site is not None else None
    near = world.limits.charge(client, points, tenant)
    response.headers.update(world.limits.quota_headers(client, tenant))
    if near or g.get("rate_near"):
        response.headers["X-RateLimit-NearLimit"] = "true"


def _site_for_cloud(world, cloud_id: str | None) -> str | None:
    return next((s.name for s in list(world.sites.values()) if s.cloud_id == cloud_id), None)


def site_blueprint(world, gateway: bool = False) -> Blueprint:
    """The parent blueprint: resolves site, faults, caller and rate limits; counts calls; logs requests.

    With `gateway`, the blueprint of the product API gateway (sites by cloudId, system tokens only).
    """
    bp = Blueprint("jira_gateway" if gateway else "jira", __name__, url_prefix=GATEWAY_PREFIX if gateway else PREFIX)

    @bp.url_value_preprocessor
    def pull_site(endpoint, values):
        g.site_name = _site_for_cloud(world, values.pop("cloud_id", None)) if gateway else values.pop("site_name", None)
        version = values.pop("api_version", "3")
        g.api_version = "2" if version == "latest" else version
        g.raw_api_version = version

    @bp.before_request
    def resolve():
        g.received_at = time.time()
        site = world.sites.get(g.site_name or "")
        if site is None:
            raise JiraError(404, f"Site '{g.site_name}' does not exist.") if not gateway else \
                GatewayError(404, "Site not found")
        g.site, g.world, g.caller = site, world, None
        endpoint = openapi_template(request.url_rule.rule, g.raw_api_version)
        fault = world.faults.before_request(site.name, endpoint, request.method)
        if fault is not None:
            return fault
        if gateway:
            g.caller = resolve_gateway_caller(site, request, world.forge.tokens)
        else:
            g.caller = resolve_caller(site, request, anonymous_ok=request.endpoint.split(".", 1)[-1] in ANONYMOUS)
        clock.render_for(g.caller)
        return _rate_limit(world, site, endpoint)

    @bp.after_request
    def count(response):
        template = openapi_template(request.url_rule.rule, g.get("raw_api_version", "3")) if request.url_rule else \
            request.path
        _charge(world, response)
        caller = g.get("caller")
        with world.lock:
            world.calls[(g.get("site_name"), request.method, template)] += 1
            world.request_log.append({"site": g.get("site_name"), "method": request.method, "path": request.path,
                                      "endpoint": template, "status": response.status_code,
                                      "caller": caller.account_id if caller else None,
                                      "app": g.get("forge_app_account"),
                                      "faults": list(g.get("jirasim_faults", [])),
                                      "rateLimit": g.get("rate_limited"), "at": g.get("received_at")})
        return response

    for module in (meta, projects, users, permissions, issues, transitions, comments, attachments, properties,
                   search, links, components, custom_fields, jql_parse, worklogs):
        bp.register_blueprint(module.blueprint())
    return bp
