"""Jira's webhooks: into the inbox (deduplicated by delivery id), what they concern marked dirty, workers rung."""
from __future__ import annotations

from flask import Blueprint, g, request
from sqlalchemy.exc import IntegrityError, OperationalError

from plugin import metrics
from plugin.connect.webhooks import delivery_key
from plugin.engine.intake import inbox
from plugin.errors import TransientError
from plugin.web.auth import jira_webhook
from plugin.web.body import WEBHOOK_MAX_BODY, cap_body, json_body
from plugin.web.context import db, runtime

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
bp.before_request(cap_body(WEBHOOK_MAX_BODY))
EVENTS = {
    "issue-created": "jira:issue_created",
    "issue-updated": "jira:issue_updated",
    "issue-deleted": "jira:issue_deleted",
    "comment-created": "comment_created",
    "comment-updated": "comment_updated",
    "comment-deleted": "comment_deleted",
    "issuelink-created": "issuelink_created",
    "issuelink-deleted": "issuelink_deleted",
}


@bp.post("/<any(" + ", ".join(f'"{name}"' for name in EVENTS) + "):name>")
@jira_webhook
def receive(name: str):
    """Record the delivery once and mark what it concerns dirty; answer fast, ring the workers after commit."""
    payload = json_body()
    metrics.webhook()
    key = delivery_key(request.headers.get("X-Atlassian-Webhook-Identifier"), request.get_data())
    session = db()
    try:
        marked = inbox.receive(session, g.tenant, key, EVENTS[name], payload)
        session.commit()
    except IntegrityError:  # the same delivery raced in through another process: already recorded
        session.rollback()
        metrics.webhook(duplicate=True)
        return "", 204
    except OperationalError:  # the database is down: 503 makes Jira deliver again later
        session.rollback()
        raise TransientError("the inbox is unavailable; deliver again later") from None
    runtime().queues.ring(key.job for key in marked)
    return "", 204
