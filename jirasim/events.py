"""Webhook event payloads in Jira's shape (v2 field representations); build them under the lock, emit after."""
from __future__ import annotations

import time

from jirasim import shapes


def payload(site, event: str, type_name: str | None, user, issue, *, changelog=None, comment=None) -> dict:
    """A webhook payload for `event` caused by `user` on `issue`."""
    body = {"timestamp": int(time.time() * 1000), "webhookEvent": event, "user": shapes.user(site, user, "2")}
    if type_name:
        body["issue_event_type_name"] = type_name
    if issue is not None:
        bean = shapes.issue_bean(site, issue, "2", fields="*navigable")
        body["issue"] = {"id": bean["id"], "self": bean["self"], "key": bean["key"], "fields": bean["fields"]}
    if changelog is not None:
        body["changelog"] = {"id": changelog.id, "items": [dict(i) for i in changelog.items]}
    if comment is not None:
        body["comment"] = shapes.comment(site, issue, comment, "2")
    return body


def issue_created(site, user, issue) -> dict:
    """`jira:issue_created`."""
    return payload(site, "jira:issue_created", "issue_created", user, issue)


def issue_updated(site, user, issue, changelog, type_name: str = "issue_updated") -> dict:
    """`jira:issue_updated` with the write's changelog entry (if any)."""
    return payload(site, "jira:issue_updated", type_name, user, issue, changelog=changelog)


def issue_deleted(site, user, issue) -> dict:
    """`jira:issue_deleted`."""
    return payload(site, "jira:issue_deleted", "issue_deleted", user, issue)


def comment_changed(site, user, issue, comment, event: str, type_name: str) -> list[dict]:
    """A comment event (`comment_created|updated|deleted`) and the `jira:issue_updated` Jira sends with it."""
    return [payload(site, event, type_name, user, issue, comment=comment),
            payload(site, "jira:issue_updated", type_name, user, issue, comment=comment)]


def _comments_deleted(site, user, issue) -> list[dict]:
    return [comment_changed(site, user, issue, c, "comment_deleted", "issue_comment_deleted")[0]
            for c in issue.comments]


# What deleting an issue also deletes, each as builder(site, user, issue) -> payloads. Jira sends these in the
# Secondary flow, after the issue's own event; attachment and issue-link deletions join this list.
DELETION_FALLOUT = [_comments_deleted]


def deletion_fallout(site, user, issue) -> list[dict]:
    """The events for what went with a deleted issue (its comments, ...), sent as Jira's Secondary flow."""
    return [item for build in DELETION_FALLOUT for item in build(site, user, issue)]
