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


def worklog(site, issue, log, api_version: str, expand_properties: bool = False) -> dict:
    """One worklog."""
    body = {"self": api(site, api_version, f"issue/{issue.id}/worklog/{log.id}"),
            "author": user(site, site.user(log.author_id), api_version),
            "updateAuthor": user(site, site.user(log.update_author_id), api_version),
            "created": jira_time(log.created), "updated": jira_time(log.updated), "started": jira_time(log.started),
            "timeSpent": spent_text(log.seconds), "timeSpentSeconds": log.seconds, "id": log.id,
            "issueId": issue.id}
    if log.comment is not None:
        body["comment"] = log.comment if api_version == "3" else adf.to_text(log.comment)
    if expand_properties:
        body["properties"] = [{"key": k, "value": value} for k, value in log.properties.items()]
    return body


def worklog_page(site, issue, api_version: str) -> dict:
    """The issue's `worklog` field: the first 20 worklogs (a PageOfWorklogs), `total` counting all of them."""
    found = logs(issue)
    return {"startAt": 0, "maxResults": 20, "total": len(found),
            "worklogs": [worklog(site, issue, w, api_version) for w in found[:20]]}
