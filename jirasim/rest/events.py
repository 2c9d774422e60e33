"""Webhook event payloads in Jira's shape (v2 field representations), emitted after the write."""
from __future__ import annotations

import time

from jirasim.rest import render
from jirasim.rest.issue_json import issue_bean


def payload(site, event: str, type_name: str | None, user, issue, *, changelog=None, comment=None) -> dict:
    """A webhook payload; call it under the world lock, emit it outside."""
    body = {"timestamp": int(time.time() * 1000), "webhookEvent": event,
            "user": render.user(site, user, "2")}
    if type_name:
        body["issue_event_type_name"] = type_name
    if issue is not None:
        bean = issue_bean(site, issue, "2", fields="*navigable")
        body["issue"] = {"id": bean["id"], "self": bean["self"], "key": bean["key"], "fields": bean["fields"]}
    if changelog is not None:
        body["changelog"] = {"id": changelog.id, "items": [dict(i) for i in changelog.items]}
    if comment is not None:
        from jirasim.rest.comments import comment_json
        body["comment"] = comment_json(site, issue, comment, "2")
    return body


def emit_all(world, site, payloads: list[dict]) -> None:
    """Hand every payload to the world's listeners (outside the lock)."""
    for item in payloads:
        world.emit(site, item)
