"""The pickers' routes: `/api/projects` (the site's projects, for the site-wide Create) and
`/api/synchronizations/{id}/people` (one side's people, for Users → pairs).

Both answer for the caller's own tenant only, after asking Jira whether the caller may: a Jira admin for the site's
projects; a project admin of the synchronization (as for Configure) for its people, the partner's only once it has
accepted."""
from __future__ import annotations

from flask import jsonify, request

from plugin.errors import Unprocessable, ValidationError
from plugin.syncs import access, people
from plugin.web.api.blueprint import bp
from plugin.web.api.common import actor, int_arg
from plugin.web.api.syncs import ONE
from plugin.web.auth import page_user_request
from plugin.web.context import db, runtime

MAX_PER_PAGE = 100


def _query(required: bool) -> str:
    query = request.args.get("query") or ""
    if len(query) > people.MAX_QUERY:
        raise ValidationError(f"'query' is at most {people.MAX_QUERY} characters", errors={"query": "too long"})
    if required and "query" not in request.args:  # well-formed, but names nobody to look for
        raise Unprocessable("give 'query' (a part of the person's name or e-mail address) or one or more "
                            "'accountId'", [{"path": "query", "message": "required unless accountId is given"}])
    if required and not query.strip():
        raise ValidationError("'query' must hold a part of the person's name or e-mail address, not only blanks",
                              errors={"query": "blank"})
    return query


@bp.get("/projects")
@page_user_request
def list_projects():
    """One page of this site's projects (key, name) whose key or name contains `query`: Jira admins."""
    who = actor()
    query, page = _query(required=False), int_arg("page", 1, maximum=10_000)
    per_page = int_arg("perPage", 50, maximum=MAX_PER_PAGE)
    runtime().permissions.require_site_admin(who, "to choose a project of this site")
    return jsonify(people.projects(runtime().jira(who.tenant), query, page, per_page))


def _account_ids() -> list[str]:
    ids = [value for value in request.args.getlist("accountId") if value]
    if len(ids) > people.MAX_IDS or any(len(value) > 128 for value in ids):
        raise ValidationError(f"at most {people.MAX_IDS} accountIds of at most 128 characters",
                              errors={"accountId": "too many or too long"})
    return ids


@bp.get(ONE + "/people")
@page_user_request
def search_people(sync_id: str):
    """A page of a side's people whose name or e-mail matches `query`, or those of `accountId` (Users → pairs)."""
    who = actor()
    side_arg = request.args.get("side") or ""
    if side_arg not in ("1", "2"):
        raise ValidationError("'side' must be 1 or 2", errors={"side": "not a side"})
    ids = _account_ids()
    query, page = _query(required=not ids), int_arg("page", 1, maximum=10_000)
    per_page = int_arg("perPage", 20, maximum=MAX_PER_PAGE)
    sync, mine = access.read(db(), who, sync_id, runtime().permissions, "to pair people of this synchronization")
    side = int(side_arg)
    if side not in access.readable_sides(sync, mine):
        access.require_accepted(sync, "its people can be searched")
    if ids:
        return jsonify(people.named(runtime().names, sync.tenant(side), ids))
    return jsonify(people.people(runtime().jira(sync.tenant(side)), query, page, per_page))
