"""`/api/synchronizations/{id}/configuration…`: read, suggest, save (immediate mode publishes), send, accept, decline.

Plus `/metadata`: both sides' issue types, fields, statuses, priorities and options for the configure page.
"""
from __future__ import annotations

from flask import jsonify, request

from plugin.syncs import access, drafts
from plugin.web.api.blueprint import bp
from plugin.web.api.common import actor, field
from plugin.web.api.syncs import ONE
from plugin.web.auth import page_user_request
from plugin.web.body import json_body
from plugin.web.context import db, runtime

CONFIG = ONE + "/configuration"


def _refresh() -> bool:
    return request.args.get("refresh", "").lower() in ("1", "true", "yes")


def _answer(sync, side, status: int = 200):
    return jsonify(drafts.answer(db(), sync, side, runtime().sides)), status


@bp.get(CONFIG)
@page_user_request
def get_configuration(sync_id: str):
    """Published configuration, this side's draft, the partner's received draft and its diff, problems."""
    sync, side = access.read(db(), actor(), sync_id, runtime().permissions)
    return jsonify(drafts.answer(db(), sync, side, runtime().sides, refresh=_refresh()))


@bp.get(CONFIG + "/suggestion")
@page_user_request
def get_suggestion(sync_id: str):
    """Everything with the same name on both sides mapped both ways (newest change wins)."""
    sync, _ = access.read(db(), actor(), sync_id, runtime().permissions)
    access.require_accepted(sync, "a configuration can be suggested")
    return jsonify(runtime().sides.suggestion(sync))


@bp.get(ONE + "/metadata")
@page_user_request
def get_metadata(sync_id: str):
    """What each side's project offers to map, read with that side's credentials (`?refresh=true` re-reads)."""
    sync, side = access.read(db(), actor(), sync_id, runtime().permissions)
    only = None if access.partner_readable(sync) else side  # before acceptance: the caller's own side alone
    meta = runtime().sides.metadata(sync, refresh=_refresh(), only=only)
    return jsonify({"side": side, **{key: meta[key].as_json() if key in meta else None for key in ("1", "2")}})


@bp.put(CONFIG)
@page_user_request
def put_configuration(sync_id: str):
    """Save this side's draft; immediate mode publishes it when valid (422 with the problems otherwise)."""
    session, who = db(), actor()
    access.read(session, who, sync_id, runtime().permissions, "to configure this synchronization")  # before the body
    saved = drafts.save(session, who, sync_id, json_body(max_depth=drafts.MAX_DEPTH), runtime().permissions,
                        runtime().sides)
    session.commit()
    body = drafts.answer(session, saved.sync, saved.side, runtime().sides)
    if saved.problems and saved.sync.mode == "immediate":
        return jsonify({"error": "invalid", "message": "The configuration was saved as a draft but not published: "
                        "fix the problems listed", "problems": saved.problems, "configuration": body}), 422
    return jsonify(body)


@bp.post(CONFIG + "/send")
@page_user_request
def send_draft(sync_id: str):
    """Send this side's draft to the partner, with an optional message."""
    message = field(json_body() if request.get_data() else {}, "message", str)
    session = db()
    sync, side = drafts.send(session, actor(), sync_id, message, runtime().permissions, runtime().sides)
    session.commit()
    return _answer(sync, side)


@bp.post(CONFIG + "/accept")
@page_user_request
def accept_draft(sync_id: str):
    """Accept the partner's draft: published for both sides (version + 1)."""
    session = db()
    sync, side = drafts.accept(session, actor(), sync_id, runtime().permissions, runtime().sides)
    session.commit()
    return _answer(sync, side)


@bp.post(CONFIG + "/decline")
@page_user_request
def decline_draft(sync_id: str):
    """Decline the partner's draft, with an optional message they will see."""
    message = field(json_body() if request.get_data() else {}, "message", str)
    session = db()
    sync, side = drafts.decline(session, actor(), sync_id, message, runtime().permissions, runtime().sides)
    session.commit()
    return _answer(sync, side)
