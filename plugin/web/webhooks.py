"""Jira's webhooks, stored in the inbox (deduplicated by delivery id) for the sync engine."""
from __future__ import annotations

import hashlib

from flask import Blueprint, g, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from plugin.models import WebhookDelivery
from plugin.runtime import db
from plugin.web.auth import jira_request
from plugin.web.body import WEBHOOK_MAX_BODY, cap_body, json_body

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
bp.before_request(cap_body(WEBHOOK_MAX_BODY))
EVENTS = {
    "issue-created": "jira:issue_created",
    "issue-updated": "jira:issue_updated",
    "issue-deleted": "jira:issue_deleted",
    "comment-created": "comment_created",
    "comment-updated": "comment_updated",
    "comment-deleted": "comment_deleted",
}


@bp.post("/<any(" + ", ".join(f'"{name}"' for name in EVENTS) + "):name>")
@jira_request
def receive(name: str):
    """Record the delivery once; a redelivery of the same identifier is acknowledged and ignored."""
    payload = json_body()
    delivery_id = request.headers.get("X-Atlassian-Webhook-Identifier") or \
        hashlib.sha256(request.get_data()).hexdigest()
    session = db()
    exists = session.scalar(select(WebhookDelivery.id).where(
        WebhookDelivery.tenant_id == g.tenant.id, WebhookDelivery.delivery_id == delivery_id))
    if exists is None:
        issue = payload.get("issue") if isinstance(payload.get("issue"), dict) else {}
        session.add(WebhookDelivery(tenant_id=g.tenant.id, delivery_id=delivery_id[:255], event=EVENTS[name],
                                    issue_id=str(issue.get("id")) if issue.get("id") else None, payload=payload))
        try:
            session.commit()
        except IntegrityError:  # the same delivery raced in through another process
            session.rollback()
    return "", 204
