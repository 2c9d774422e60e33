"""Jira's webhooks, stored in the inbox (deduplicated by delivery id) for the sync engine."""
from __future__ import annotations

from flask import Blueprint, g, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from plugin.connect.webhooks import delivery_key, issue_id
from plugin.models import WebhookDelivery
from plugin.runtime import db
from plugin.web.auth import jira_webhook
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
@jira_webhook
def receive(name: str):
    """Record the delivery once; a redelivery of the same identifier is acknowledged and ignored."""
    payload = json_body()
    key = delivery_key(request.headers.get("X-Atlassian-Webhook-Identifier"), request.get_data())
    issue = issue_id(payload)
    session = db()
    exists = session.scalar(select(WebhookDelivery.id).where(
        WebhookDelivery.tenant_id == g.tenant.id, WebhookDelivery.delivery_id == key))
    if exists is None:
        session.add(WebhookDelivery(tenant_id=g.tenant.id, delivery_id=key, event=EVENTS[name], issue_id=issue,
                                    payload=payload))
        try:
            session.commit()
        except IntegrityError:  # the same delivery raced in through another process
            session.rollback()
    return "", 204
