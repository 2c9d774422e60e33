"""Worklogs as Jira shows them (GET …/worklog and the issue's `worklog` field), comment as ADF in v3, text in v2."""
from __future__ import annotations

from jirasim import adf
from jirasim.shapes.urls import api
from jirasim.shapes.users import user
from jirasim.store.entities import jira_time

UNITS = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}


def logs(issue) -> list:
    """The worklogs of an issue, oldest first."""
    return issue.__dict__.setdefault("worklogs", [])


def spent_text(seconds: int) -> str:
    """`1w 2d 3h 4m` for a number of seconds."""
    parts, rest = [], seconds
    for unit in ("w", "d", "h", "m"):
        count, rest = divmod(rest, UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0m"


def worklog(s, issue, log, v: str, expand_properties: bool = False) -> dict:
    """One worklog."""
    body = {"self": api(s, v, f"issue/{issue.id}/worklog/{log.id}"),
            "author": user(s, s.user(log.author_id), v), "updateAuthor": user(s, s.user(log.update_author_id), v),
            "created": jira_time(log.created), "updated": jira_time(log.updated), "started": jira_time(log.started),
            "timeSpent": spent_text(log.seconds), "timeSpentSeconds": log.seconds, "id": log.id,
            "issueId": issue.id}
    if log.comment is not None:
        body["comment"] = log.comment if v == "3" else adf.to_text(log.comment)
    if expand_properties:
        body["properties"] = [{"key": k, "value": value} for k, value in log.properties.items()]
    return body


def worklog_page(s, issue, v: str) -> dict:
    """The issue's `worklog` field: the first 20 worklogs (a PageOfWorklogs), `total` counting all of them."""
    found = logs(issue)
    return {"startAt": 0, "maxResults": 20, "total": len(found),
            "worklogs": [worklog(s, issue, w, v) for w in found[:20]]}
