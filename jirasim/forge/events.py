"""Forge product events made from the simulator's Jira events, with the payloads of Forge's events reference.

The simulator's event production (`jirasim.events`) builds Connect webhook payloads; each is read here once
more as Forge sees it. Forge emits no cascading events (deleting an issue sends no comment or attachment
deletions: only the Primary flow is read), a comment edit is `avi:jira:commented:issue` like a new comment,
and `avi:jira:updated:issue` is sent for field changes only (a changelog with items).
"""
from __future__ import annotations

FROM_CONNECT = {
    "jira:issue_created": "avi:jira:created:issue",
    "jira:issue_updated": "avi:jira:updated:issue",
    "jira:issue_deleted": "avi:jira:deleted:issue",
    "comment_created": "avi:jira:commented:issue",
    "comment_updated": "avi:jira:commented:issue",
    "comment_deleted": "avi:jira:deleted:comment",
    "attachment_created": "avi:jira:created:attachment",
    "attachment_deleted": "avi:jira:deleted:attachment",
}
ISSUE_FIELDS = ("summary", "issuetype", "created", "project", "updated", "status")
USER_FIELDS = ("creator", "reporter", "assignee")


def _account(user) -> dict | None:
    return {"accountId": user["accountId"]} if isinstance(user, dict) and user.get("accountId") else None


def _issue(issue: dict) -> dict:
    """Forge's `Issue`: id, key and a few fields (user fields as `{accountId}` only)."""
    fields = issue.get("fields") or {}
    found = {name: fields[name] for name in ISSUE_FIELDS if name in fields}
    for name in USER_FIELDS:
        if name in fields:
            found[name] = _account(fields[name])
    return {"id": str(issue.get("id")), "key": issue.get("key"), "fields": found}


def _comment(comment: dict) -> dict:
    found = {k: comment[k] for k in ("id", "body", "created", "updated", "jsdPublic", "visibility") if k in comment}
    return {**found, "author": _account(comment.get("author")), "updateAuthor": _account(comment.get("updateAuthor"))}


def _attachment(attachment: dict) -> dict:
    found = {k: attachment[k] for k in ("id", "filename", "created", "size", "mimeType") if k in attachment}
    return {**found, "author": _account(attachment.get("author"))}


def _changelog(changelog: dict) -> dict:
    items = [{k: v for k, v in item.items() if not k.startswith("tmp")} for item in changelog.get("items") or []]
    return {"id": str(changelog.get("id")), "items": items}


def _associated(actor: str | None, changelog: dict | None) -> tuple[list[dict], list[dict]]:
    """The users (the actor, assignees set or cleared) and statuses (current, previous) of a change."""
    users = [actor] if actor else []
    statuses = []
    for item in (changelog or {}).get("items") or []:
        if item.get("field") == "assignee":
            users += [item.get("tmpFromAccountId") or item.get("from"), item.get("tmpToAccountId") or item.get("to")]
        if item.get("field") == "status":
            statuses = [{"id": item.get("to"), "name": item.get("toString")},
                        {"id": item.get("from"), "name": item.get("fromString")}]
    unique = list(dict.fromkeys(u for u in users if u))
    return [{"accountId": u} for u in unique], statuses


def forge_event(payload: dict, flow: str, actor: str | None) -> dict | None:
    """The Forge event of a Jira event payload (without `selfGenerated`, `context`), or None when Forge sends none."""
    connect_event = payload.get("webhookEvent")
    event_type = FROM_CONNECT.get(connect_event)
    if event_type is None or flow != "Primary":
        return None
    changelog = payload.get("changelog")
    if connect_event == "jira:issue_updated" and not (changelog or {}).get("items"):
        return None
    body: dict = {"eventType": event_type, "timestamp": str(payload.get("timestamp"))}
    if actor:
        body["atlassianId"] = actor
    if "attachment" in payload:
        return {**body, "attachment": _attachment(payload["attachment"])}
    body["issue"] = _issue(payload.get("issue") or {})
    users, statuses = _associated(actor, changelog if event_type == "avi:jira:updated:issue" else None)
    if "comment" in payload:
        body["comment"] = _comment(payload["comment"])
        if event_type == "avi:jira:commented:issue" and users:
            body["associatedUsers"] = users
        return body
    if users:
        body["associatedUsers"] = users
    if event_type in ("avi:jira:created:issue", "avi:jira:updated:issue"):
        body["jiraEventTypeName"] = payload.get("issue_event_type_name")
    if event_type == "avi:jira:updated:issue":
        body["changelog"] = _changelog(changelog)
        if statuses:
            body["associatedStatuses"] = statuses
    return body
