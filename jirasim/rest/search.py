"""Enhanced JQL search (`search/jql`, GET and POST): cursor paging, fields, expand, properties, search lag.

Search is eventually consistent, as in Jira: a write stays invisible to it for the site's search lag
(World `search_lag_ms`) unless the issue is named in `reconcileIssues` (at most 50 ids).
"""
from __future__ import annotations

import base64
import json

from flask import request

from jirasim import shapes
from jirasim.errors import bad_request
from jirasim.jql import parse
from jirasim.rest.common import body_json, caller, new_blueprint, ok, site, version, world
from jirasim.store.entities import now
from jirasim.store.issues import searchable_state
from jirasim.store.query import compile_query

UNBOUNDED = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
RECONCILE_LIMIT = 50


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode().rstrip("=")


def _offset(token) -> int:
    if not token:
        return 0
    try:
        return int(json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["offset"])
    except (ValueError, KeyError, TypeError):
        raise bad_request("The nextPageToken is invalid.") from None


def _params() -> dict:
    if request.method == "POST":
        body = body_json()
        return {"jql": body.get("jql"), "nextPageToken": body.get("nextPageToken"),
                "maxResults": body.get("maxResults"), "fields": body.get("fields"), "expand": body.get("expand"),
                "properties": body.get("properties"), "reconcileIssues": body.get("reconcileIssues")}
    args = request.args
    return {"jql": args.get("jql"), "nextPageToken": args.get("nextPageToken"), "maxResults": args.get("maxResults"),
            "fields": args.getlist("fields"), "expand": args.get("expand"), "properties": args.getlist("properties"),
            "reconcileIssues": shapes.parse_list(args.getlist("reconcileIssues"))}


def _matching(text: str, reconcile: set[str]) -> list:
    """The issues (as search sees them: search lag, permissions) matching the JQL, in its order."""
    s, user = site(), caller()
    predicate, order = compile_query(s, text, user, now())
    lag = world().faults.search_lag_ms(s.name)
    states = []
    for issue in s.issues.values():
        if not s.can(user, "BROWSE_PROJECTS", s.projects[issue.project_id]):
            continue
        state = issue if issue.id in reconcile else searchable_state(issue, lag)
        if state is not None and predicate(state):
            states.append(state)
    states.sort(key=order)
    return states


def approximate_count(text: str) -> dict:
    """JQLCountResultsBean: how many issues a bounded JQL matches (as eventually consistent as search)."""
    where, _ = parse(text or "")
    if where is None:
        raise bad_request(UNBOUNDED)
    return {"count": len(_matching(text, set()))}


def run_search(params: dict) -> dict:
    """Search the current site as the caller; SearchAndReconcileResults."""
    text = params.get("jql") or ""
    where, _ = parse(text)
    if where is None:
        raise bad_request(UNBOUNDED)
    fields = shapes.parse_list(params.get("fields")) or ["id"]
    id_only = set(fields) <= {"id", "key"}
    try:
        limit = int(params.get("maxResults") or 50)
    except ValueError:
        raise bad_request("maxResults must be a number.") from None
    limit = max(1, min(limit, 5000 if id_only else 100))
    offset = _offset(params.get("nextPageToken"))
    reconcile_ids = shapes.parse_list(params.get("reconcileIssues"))
    if len(reconcile_ids) > RECONCILE_LIMIT:
        raise bad_request(f"The number of issues to reconcile can't exceed {RECONCILE_LIMIT}.")
    states = _matching(text, set(reconcile_ids))
    page = states[offset:offset + limit]
    s, user = site(), caller()
    issues = []
    for state in page:
        if fields == ["id"]:
            issues.append({"id": state.id})
        else:
            issues.append(shapes.issue_bean(s, state, version(), fields=fields, expand=params.get("expand"),
                                     properties=params.get("properties"), viewer=user))
    result = {"issues": issues, "isLast": offset + limit >= len(states)}
    if not result["isLast"]:
        result["nextPageToken"] = _token(offset + limit)
    if "names" in shapes.parse_list(params.get("expand")):
        result["names"] = {f: s.fields[f].name for f in fields if f in s.fields}
    return result


def blueprint():
    """Blueprint of the search endpoints."""
    bp = new_blueprint("search")

    @bp.post("/search/approximate-count")
    def search_count():
        body = body_json()
        with world().lock:
            return ok(approximate_count(body.get("jql") or ""))

    @bp.route("/search/jql", methods=["GET", "POST"])
    def search_jql():
        params = _params()
        with world().lock:
            return ok(run_search(params))

    return bp
