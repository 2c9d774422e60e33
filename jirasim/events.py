"""Webhook event payloads in Jira's shapes (v2 field representations, datetimes in UTC); build them under the
lock, emit after.

Most writes produce a list of payloads, all of the write's own ("Primary" flow). Deleting an issue also removes
its comments, attachments and links; Jira announces those side effects later, with the header
`X-Atlassian-Webhook-Flow: Secondary`. `issue_deletion` returns an `Emission` that keeps the two apart, and the
REST layer hands each list to `rest.common.emit` with its flow (`PRIMARY` or `SECONDARY`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from jirasim import shapes
from jirasim.store.clock import in_utc

PRIMARY, SECONDARY = "Primary", "Secondary"
# The fields of `issue` in comment events: Jira sends these only.
COMMENT_ISSUE_FIELDS = ("summary", "issuetype", "project", "assignee", "priority", "status")
# The fields of `issue` in issue events: the navigable ones and the attachments.
ISSUE_FIELDS = "*navigable,attachment"


@dataclass
class Emission:
    """The payloads of one write: its own (`primary`) and its side effects (`secondary`, sent as Secondary)."""
    primary: list[dict]
    secondary: list[dict] = field(default_factory=list)


def _envelope(event: str) -> dict:
    return {"timestamp": int(time.time() * 1000), "webhookEvent": event}


def _issue(site, issue, fields=ISSUE_FIELDS) -> dict:
    bean = shapes.issue_bean(site, issue, "2", fields=fields)
    return {"id": bean["id"], "self": bean["self"], "key": bean["key"], "fields": bean["fields"]}


def _changelog(changelog_id: str, items) -> dict:
    return {"id": changelog_id, "items": [dict(i) for i in items]}


@in_utc
def _issue_event(site, event: str, type_name: str, user, issue, *, changelog=None, comment=None) -> dict:
    body = {**_envelope(event), "user": shapes.user(site, user, "2"), "issue_event_type_name": type_name,
            "issue": _issue(site, issue)}
    if changelog is not None:
        body["changelog"] = changelog
    if comment is not None:
        body["comment"] = shapes.comment(site, issue, comment, "2")
    return body


def issue_created(site, user, issue, initial_items) -> dict:
    """`jira:issue_created`, with a changelog of the initial values."""
    changelog = _changelog(site.next_id("changegroup"), initial_items)
    return _issue_event(site, "jira:issue_created", "issue_created", user, issue, changelog=changelog)


def issue_updated(site, user, issue, group, type_name: str = "issue_updated", comment=None) -> dict:
    """`jira:issue_updated` with the write's changelog entry (if any) and comment (if any)."""
    changelog = _changelog(group.id, group.items) if group is not None else None
    return _issue_event(site, "jira:issue_updated", type_name, user, issue, changelog=changelog, comment=comment)


def issue_deleted(site, user, issue) -> dict:
    """`jira:issue_deleted`."""
    return _issue_event(site, "jira:issue_deleted", "issue_deleted", user, issue)


@in_utc
def comment_event(site, issue, comment, event: str) -> dict:
    """`comment_created|updated|deleted`: the comment and a slim issue only (no user, no event type name)."""
    return {**_envelope(event), "comment": shapes.comment(site, issue, comment, "2"),
            "issue": _issue(site, issue, ",".join(COMMENT_ISSUE_FIELDS))}


def comment_changed(site, user, issue, comment, event: str, type_name: str) -> list[dict]:
    """A comment event and the `jira:issue_updated` Jira sends with it."""
    return [comment_event(site, issue, comment, event),
            _issue_event(site, "jira:issue_updated", type_name, user, issue, comment=comment)]


@in_utc
def property_set(site, user, issue, key: str, value) -> dict:
    """`issue_property_set`."""
    return {**_envelope("issue_property_set"), "user": shapes.user(site, user, "2"),
            "issue": _issue(site, issue, ",".join(COMMENT_ISSUE_FIELDS)), "property": {"key": key, "value": value}}


@in_utc
def property_deleted(site, user, issue, key: str) -> dict:
    """`issue_property_deleted`."""
    return {**_envelope("issue_property_deleted"), "user": shapes.user(site, user, "2"),
            "issue": _issue(site, issue, ",".join(COMMENT_ISSUE_FIELDS)), "property": {"key": key}}


@in_utc
def attachment_event(site, attachment, event: str) -> dict:
    """`attachment_created|deleted`: the attachment only (Jira names no issue)."""
    return {**_envelope(event), "attachment": shapes.attachment(site, attachment, "2")}


def link_event(link, event: str) -> dict:
    """`issuelink_created|deleted`: the link's ids and type only."""
    return {**_envelope(event), "issueLink": shapes.webhook_link(link)}


def issue_deletion(site, user, removed, links) -> Emission:
    """`jira:issue_deleted` for each removed issue; its comments, attachments and links as Secondary deletions."""
    secondary = [comment_event(site, issue, c, "comment_deleted") for issue in removed for c in issue.comments]
    secondary += [attachment_event(site, a, "attachment_deleted") for issue in removed for a in issue.attachments]
    secondary += [link_event(link, "issuelink_deleted") for link in links]
    return Emission([issue_deleted(site, user, issue) for issue in removed], secondary)
