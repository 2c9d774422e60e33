"""`/api/synchronizations/{id}/preview` (the plan a sync of one issue would apply now, nothing written) and
`/links` (the linked pairs)."""
from __future__ import annotations

import re

from flask import jsonify

from plugin.engine import initial, links, pairing, problems, runner
from plugin.errors import NotFound, Unprocessable, quoted
from plugin.syncs import access
from plugin.web.api.blueprint import bp
from plugin.web.api.common import actor, field, int_arg
from plugin.web.api.render import link_json
from plugin.web.api.syncs import ONE
from plugin.web.auth import page_user_request
from plugin.web.body import json_body
from plugin.web.context import db, runtime

ISSUE_KEY = re.compile(r"[A-Z][A-Z0-9_]{0,254}-[0-9]{1,18}")


@bp.post(ONE + "/preview")
@page_user_request
def preview(sync_id: str):
    """The plan a sync of one issue (of the caller's side) would apply now; a dry run, nothing is written."""
    key = field(json_body(), "issue", str, required=True)
    if not ISSUE_KEY.fullmatch(key):
        raise Unprocessable(f"{quoted(key)} is not an issue key", [{"path": "issue", "message": "not an issue key"}])
    session = db()
    sync, side = access.read(session, actor(), sync_id, runtime().permissions)
    jira = runtime().jira(sync.tenant(side))
    try:
        issue = jira.get_issue(key, fields=["project"])
    except NotFound:
        raise NotFound(f"{key} does not exist on this site (or Work Sync may not see it)") from None
    if str(issue["fields"]["project"]["id"]) != sync.project_id(side):
        raise Unprocessable(f"{key} is not in project {sync.project_key(side)}",
                            [{"path": "issue", "message": "not in this synchronization's project"}])
    return jsonify({"issue": key, "side": side, **runner.plan_for(session, runtime().tools, sync, side,
                                                                  str(issue["id"]))})


@bp.get(ONE + "/links")
@page_user_request
def list_links(sync_id: str):
    """The linked pairs, newest first, with their state, last sync and open errors."""
    session = db()
    sync, side = access.read(session, actor(), sync_id, runtime().permissions)
    rows, total = links.page(session, sync.id, int_arg("page", 1), int_arg("perPage", 50, maximum=100))
    errors = problems.open_counts(session, sync.id, [i for link in rows for i in (link.side1_issue_id,
                                                                                    link.side2_issue_id) if i])
    return jsonify({"links": [link_json(link, side, errors) for link in rows], "total": total,
                    "page": int_arg("page", 1)})


@bp.get(ONE + "/progress")
@page_user_request
def initial_progress(sync_id: str):
    """The initial sync of existing issues: its state and how many of how many issues it has been through."""
    session = db()
    sync, _ = access.read(session, actor(), sync_id, runtime().permissions)
    return jsonify({**initial.progress(session, sync.id), **pairing.counts(session, sync.id)})
