"""Troubleshooting: `/analysis`, `/errors` (+ retry, ignore, retry all), `/links/{id}/resync`, `/support.zip`;
the overview's `/notices` (banner) and the issue glance's `/issues/{id}/links`.

Views are thin: parse, call one domain function, commit, ring the workers, render.
"""
from __future__ import annotations

import base64
import re

from flask import Response, jsonify, request

from plugin.engine import problems
from plugin.errors import ValidationError
from plugin.models import utcnow
from plugin.models.base import iso
from plugin.syncs import access
from plugin.syncs.troubleshoot import analysis, bundle, errors, glance, notices
from plugin.web.api.blueprint import bp
from plugin.web.api.common import actor, bool_arg, field, int_arg
from plugin.web.api.render import link_json
from plugin.web.api.syncs import ONE, listed_project, scope_permission
from plugin.web.auth import page_user_request
from plugin.web.body import json_body
from plugin.web.context import db, runtime

ISSUE_ID = re.compile(r"[0-9]{1,18}")


def _ring(ring: errors.Ring) -> None:
    queues = runtime().queues
    queues.ring(ring.to_ring())


def _jobs(sync_id: int):
    return runtime().queues.job_stats(f"sync-issue-{sync_id}-")


def _error_json(sync, row) -> dict:
    return errors.described(db(), sync, [row])[0]


@bp.get(ONE + "/analysis")
@page_user_request
def analyze(sync_id: str):
    """Every check of the synchronization: pass, warn or fail, why, and what to do."""
    session = db()
    sync, side = access.read(session, actor(), sync_id, runtime().permissions, "to analyze it")
    checks = analysis.analyze(session, sync, runtime().tools, _jobs(sync.id), access.readable_sides(sync, side))
    return jsonify({"checks": [check.as_json() for check in checks], "checkedAt": iso(utcnow()), "side": side})


@bp.get(ONE + "/errors")
@page_user_request
def list_errors(sync_id: str):
    """One page of the errors (open ones unless `state` says otherwise), newest first."""
    session = db()
    sync, side = access.read(session, actor(), sync_id, runtime().permissions, "to see its errors")
    page, per_page = int_arg("page", 1), int_arg("perPage", 25, maximum=100)
    rows, total = errors.page_of(session, sync, state=request.args.get("state") or None,
                                 category=request.args.get("category") or None, page=page, per_page=per_page)
    return jsonify({"errors": rows, "page": page, "perPage": per_page, "total": total, "side": side})


@bp.post(ONE + "/errors/<error_id>/retry")
@page_user_request
def retry_error(sync_id: str, error_id: str):
    """Sync the error's issue again now."""
    session = db()
    sync, _, row, ring = errors.retry(session, actor(), sync_id, error_id, runtime().permissions)
    session.commit()
    _ring(ring)
    return jsonify(_error_json(sync, row))


@bp.post(ONE + "/errors/<error_id>/ignore")
@page_user_request
def ignore_error(sync_id: str, error_id: str):
    """Hide the error and stop retrying its issue until it changes again."""
    session = db()
    sync, _, row = errors.ignore(session, actor(), sync_id, error_id, runtime().permissions)
    session.commit()
    return jsonify(_error_json(sync, row))


@bp.post(ONE + "/errors/retry-all")
@page_user_request
def retry_all_errors(sync_id: str):
    """Retry every open error (of one category, when the body names it)."""
    body = json_body() if request.get_data() else {}
    session = db()
    _, _, count, ring = errors.retry_all(session, actor(), sync_id, field(body, "category", str),
                                         runtime().permissions)
    session.commit()
    _ring(ring)
    return jsonify({"retried": count})


@bp.post(ONE + "/links/<link_id>/resync")
@page_user_request
def resync_link(sync_id: str, link_id: str):
    """Read both issues of the pair again and merge them."""
    session = db()
    sync, side, link, ring = errors.resync(session, actor(), sync_id, link_id, runtime().permissions)
    session.commit()
    _ring(ring)
    counts = problems.open_counts(session, sync.id, [i for i in (link.side1_issue_id, link.side2_issue_id) if i])
    return jsonify(link_json(link, side, counts))


@bp.get(ONE + "/support.zip")
@page_user_request
def support_zip(sync_id: str):
    """The support bundle (issue content only with `issueData=true`): the ZIP, or for a caller that accepts only
    JSON (a Forge page: invokeRemote answers JSON bodies only) the ZIP base64-encoded in a JSON object."""
    issue_data = bool_arg("issueData")
    session, rt = db(), runtime()
    name, content = bundle.build(session, actor(), sync_id, rt.permissions, rt.tools, _jobs, rt.settings.public(),
                                 issue_data)
    session.commit()
    if request.accept_mimetypes.best_match(["application/zip", "application/json"]) == "application/json":
        return jsonify({"filename": name, "contentType": "application/zip", "size": len(content),
                        "base64": base64.b64encode(content).decode("ascii")})
    return Response(content, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/notices")
@page_user_request
def list_notices():
    """Synchronizations of the project (or site) with open errors or a side that cannot be reached: the banner."""
    who = actor()
    project_id, project_key = listed_project(who, request.args.get("project") or None)
    scope_permission(who, project_id, project_key, "to see these synchronizations")
    return jsonify({"notices": notices.banner(db(), who.tenant, project_id)})


@bp.get("/issues/<issue_id>/links")
@page_user_request
def issue_links(issue_id: str):
    """The issue glance: this issue's partners, their state, last sync, and the pairs' open errors."""
    if not ISSUE_ID.fullmatch(issue_id):
        raise ValidationError("the issue id must be a number", errors={"issueId": "not a number"})
    return jsonify({"issue": issue_id, "links": glance.glance(db(), actor(), issue_id, runtime().permissions)})
