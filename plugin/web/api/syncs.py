"""`/api/synchronizations`: list, create, read, edit, delete, accept, decline, start, stop, bulk, audit.

Views are thin: parse, call one domain function with ids, commit, render.
"""
from __future__ import annotations

from flask import jsonify, request

from plugin import audit, jobs
from plugin.audit import Actor
from plugin.errors import ValidationError
from plugin.syncs import access, lifecycle, scope, sites
from plugin.syncs.troubleshoot import notices
from plugin.syncs.words import quoted
from plugin.web.api.blueprint import bp
from plugin.web.api.common import actor, field, int_arg
from plugin.web.api.render import audit_json, side_json, sync_json
from plugin.web.auth import page_user_request
from plugin.web.body import json_body
from plugin.web.context import db, runtime

ROOT = "/synchronizations"
ONE = ROOT + "/<sync_id>"


def listed_project(who: Actor, key: str | None) -> tuple[str | None, str | None]:
    """(id, key) of the `project` a list, bulk action or banner names: the page's own project, or asked of Jira."""
    if key is None:
        return None, None
    if not lifecycle.PROJECT_KEY.fullmatch(key):  # before any Jira call: the key becomes a segment of its path
        raise ValidationError(f"'project' must be a Jira project key, not {quoted(key)}",
                              errors={"project": "not a project key"})
    if who.project_key == key:
        return who.project_id, key
    found = sites.project_on(runtime().jira, who.tenant, key, "project")
    return found.id, found.key


def scope_permission(who: Actor, project_id: str | None, project_key: str | None, doing: str) -> None:
    """A project's admins (or Jira admins) for a project; Jira admins for the whole site."""
    rt = runtime()
    if project_id is None:
        rt.permissions.require_site_admin(who, doing)
    else:
        rt.permissions.require_project_admin(who, {project_id: project_key or project_id}, doing)


@bp.get(ROOT)
@page_user_request
def list_synchronizations():
    """One page of the synchronizations of a project (project admins) or of the whole site (Jira admins)."""
    who = actor()
    status = scope.check_status(request.args.get("status") or None)
    project_id, project_key = listed_project(who, request.args.get("project") or None)
    scope_permission(who, project_id, project_key, "to see these synchronizations")
    found = scope.page_of(db(), who.tenant, project_id=project_id, status=status,
                          page=int_arg("page", 1), per_page=int_arg("perPage", 25, maximum=scope.MAX_PER_PAGE))
    counts = notices.open_by_sync(db(), [sync.id for sync, _ in found.rows])
    return jsonify({"synchronizations": [sync_json(sync, side, who.project_id, counts.get(sync.id, 0))
                                         for sync, side in found.rows],
                    "page": found.page, "perPage": found.per_page, "total": found.total})


@bp.post(ROOT)
@page_user_request
def create_synchronization():
    """Request a synchronization with a partner project (same site, or another site with the app installed)."""
    body = json_body()
    partner = field(body, "partner", dict, required=True)
    new = lifecycle.NewSync(
        name=field(body, "name", str, required=True), description=field(body, "description", str, default=""),
        mode=field(body, "mode", str, required=True), project=field(body, "project", str, required=True),
        partner_project=field(partner, "project", str, required=True), partner_site=field(partner, "site", str))
    session = db()
    who = actor()
    sync = lifecycle.create(session, who, new, runtime().permissions, runtime().jira)
    session.commit()
    return jsonify(sync_json(sync, 1, who.project_id)), 201


@bp.get(ONE)
@page_user_request
def get_synchronization(sync_id: str):
    """One synchronization as the caller's side sees it."""
    who = actor()
    sync, side = access.read(db(), who, sync_id, runtime().permissions)
    return jsonify(sync_json(sync, side, who.project_id, notices.open_by_sync(db(), [sync.id]).get(sync.id, 0)))


@bp.patch(ONE)
@page_user_request
def edit_synchronization(sync_id: str):
    """Change the name and/or description."""
    body = json_body()
    unknown = sorted(set(body) - {"name", "description"})
    if unknown:
        raise ValidationError(f"only name and description can be changed, not "
                              f"{', '.join(quoted(name) for name in unknown[:5])}{' …' if len(unknown) > 5 else ''}",
                              errors={quoted(name): "cannot be changed" for name in unknown[:5]})
    session, who = db(), actor()
    sync, side = lifecycle.edit(session, who, sync_id, runtime().permissions,
                                name=field(body, "name", str), description=field(body, "description", str))
    session.commit()
    return jsonify(sync_json(sync, side, who.project_id))


@bp.delete(ONE)
@page_user_request
def delete_synchronization(sync_id: str):
    """Stop (if running) and delete for both sides; linked issues stay in Jira."""
    session = db()
    lifecycle.delete(session, actor(), sync_id, runtime().permissions)
    session.commit()
    return "", 204


def _transition(sync_id: str, step):
    session, who = db(), actor()
    sync, side = step(session, who, sync_id)
    session.commit()
    return jsonify(sync_json(sync, side, who.project_id))


@bp.post(ONE + "/accept")
@page_user_request
def accept_synchronization(sync_id: str):
    """Side 2 accepts the request."""
    return _transition(sync_id, lambda s, a, i: lifecycle.accept(s, a, i, runtime().permissions, runtime().sides))


@bp.post(ONE + "/decline")
@page_user_request
def decline_synchronization(sync_id: str):
    """Side 2 declines the request, optionally with a message for the requester."""
    body = json_body() if request.get_data() else {}
    message = field(body, "message", str)
    return _transition(sync_id, lambda s, a, i: lifecycle.decline(s, a, i, message, runtime().permissions))


def _catch_up(sync_ids) -> None:
    """After a start: poll both sides now (what changed while stopped is synced), and run the initial sync of
    existing issues when one is planned (the sweeper would start it too, a few seconds later)."""
    runtime().queues.ring(job for sync_id in sync_ids for job in (jobs.poll_sync(sync_id), jobs.initial_sync(sync_id)))


@bp.post(ONE + "/start")
@page_user_request
def start_synchronization(sync_id: str):
    """Start syncing (and catch up what changed while it was stopped)."""
    answer = _transition(sync_id, lambda s, a, i: lifecycle.start(s, a, i, runtime().permissions, runtime().sides))
    _catch_up([int(answer.get_json()["id"])])
    return answer


@bp.post(ONE + "/stop")
@page_user_request
def stop_synchronization(sync_id: str):
    """Stop syncing."""
    return _transition(sync_id, lambda s, a, i: lifecycle.stop(s, a, i, runtime().permissions))


@bp.post(ROOT + "/bulk")
@page_user_request
def bulk_action():
    """Start or stop several synchronizations: by ids, or every one in one status (of one project)."""
    body = json_body()
    action = field(body, "action", str, required=True)
    ids = field(body, "ids", list)
    status = field(body, "status", str)
    if (ids is None) == (status is None):
        raise ValidationError("give either 'ids' or 'status'", errors={"ids": "or status"})
    if ids is not None and (not ids or not all(isinstance(i, str) for i in ids) or len(ids) > scope.MAX_PER_PAGE):
        raise ValidationError(f"'ids' must list 1 to {scope.MAX_PER_PAGE} synchronization ids (strings)",
                              errors={"ids": "wrong type"})
    who = actor()
    project_id, _ = listed_project(who, field(body, "project", str)) if status is not None else (None, None)
    session = db()
    chosen = lifecycle.bulk(session, who, action, runtime().permissions, runtime().sides, ids=ids,
                            status=scope.check_status(status), project_id=project_id)
    session.commit()
    if action == "start":
        _catch_up([sync.id for sync, _ in chosen])
    return jsonify({"synchronizations": [sync_json(sync, side, who.project_id) for sync, side in chosen]})


@bp.get(ONE + "/audit")
@page_user_request
def audit_log(sync_id: str):
    """The synchronization's audit log, newest first."""
    sync, side = access.read(db(), actor(), sync_id, runtime().permissions, "to see its history")
    rows, total = audit.page_of(db(), sync, page=int_arg("page", 1), per_page=int_arg("perPage", 50, maximum=100))
    names = runtime().names.names((e.tenant, e.account_id) for e in rows if e.tenant and e.account_id)
    events = [{**audit_json(e), "displayName": names.get((e.tenant_id, e.account_id))
               if e.tenant_id and e.account_id else None} for e in rows]
    return jsonify({"events": events, "total": total, "synchronization": str(sync.id),
                    "project": side_json(sync, side)})
