"""Forge product events as the inbox reads them, and their identity: Forge gives no delivery id, so a retry (which
carries `retryContext`) or a duplicate is recognised by what the event itself says."""
from __future__ import annotations

import hashlib
import json

# Forge event → the inbox's event name (the Connect webhook it stands for). A comment edit is announced by Forge
# as `avi:jira:commented:issue` like a new comment; marking the issue dirty covers both.
INBOX_EVENTS = {
    "avi:jira:created:issue": "jira:issue_created",
    "avi:jira:updated:issue": "jira:issue_updated",
    "avi:jira:deleted:issue": "jira:issue_deleted",
    "avi:jira:commented:issue": "comment_created",
    "avi:jira:deleted:comment": "comment_deleted",
    "avi:jira:created:attachment": "attachment_created",
    "avi:jira:deleted:attachment": "attachment_deleted",
}
LIFECYCLE_EVENTS = ("avi:forge:installed:app", "avi:forge:upgraded:app")


def payload_of(body: dict) -> dict:
    """The event of a remote invocation's body (`{"payload": {...}}`, or the event itself)."""
    inner = body.get("payload")
    return inner if isinstance(inner, dict) else body


def _id(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def identity(installation_id: str, event: dict) -> str:
    """The delivery key of an event: installation, type, issue, changelog/comment/attachment id, timestamp."""
    parts = [installation_id, str(event.get("eventType")), _id(event.get("issue")), _id(event.get("changelog")),
             _id(event.get("comment")), _id(event.get("attachment")), str(event.get("timestamp"))]
    return "forge:" + hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def as_inbox_payload(event: dict, app_account_id: str | None) -> dict:
    """The event with `user.accountId` set as a Connect webhook has it, so the inbox recognises our own writes
    (`selfGenerated`, or the actor being our app's user)."""
    actor = event.get("atlassianId") if isinstance(event.get("atlassianId"), str) else None
    if event.get("selfGenerated") is True and app_account_id:
        actor = app_account_id
    found = {k: v for k, v in event.items() if k != "retryContext"}
    if actor:
        found["user"] = {"accountId": actor}
    return found
