"""Reading an issue for the engine (one GET: the mapped fields, status, type, changelog, marker) and writing one."""
from __future__ import annotations

from typing import Any

from plugin.engine.core.model import Change, IssueRead
from plugin.engine.core.values import utc_timestamp
from plugin.jira import JiraClient

ALWAYS = ("summary", "status", "issuetype", "project", "updated", "created")


def issue_read(side: int, raw: dict, marker_key: str) -> IssueRead:
    """Jira's issue JSON (v3, `expand=changelog`) as the engine reads it."""
    fields = raw.get("fields") or {}
    changed: dict[str, str] = {}
    changes = []
    for history in (raw.get("changelog") or {}).get("histories") or []:
        when = utc_timestamp(history.get("created")) or ""
        author = (history.get("author") or {}).get("accountId")
        for item in history.get("items") or []:
            key = item.get("fieldId") or item.get("field")
            if key and when > changed.get(key, ""):
                changed[key] = when
            if key:
                changes.append(Change(key, when, author, item.get("to"), item.get("toString")))
    return IssueRead(side=side, id=str(raw["id"]), key=raw["key"],
                     project_id=str((fields.get("project") or {}).get("id") or ""),
                     type_id=str((fields.get("issuetype") or {}).get("id") or ""),
                     status_id=str((fields.get("status") or {}).get("id") or ""),
                     updated=utc_timestamp(fields.get("updated")) or "", fields=fields, changed_at=changed,
                     marker=(raw.get("properties") or {}).get(marker_key),
                     created=utc_timestamp(fields.get("created")) or "", changes=tuple(changes))


def fetch(jira: JiraClient, side: int, issue_id: str, field_ids: list[str], marker_key: str) -> IssueRead:
    """Read one issue with what the engine needs, in one call."""
    raw = jira.get_issue(issue_id, fields=list(dict.fromkeys([*ALWAYS, *field_ids])), expand="changelog",
                         properties=[marker_key])
    return issue_read(side, raw, marker_key)


def put(jira: JiraClient, side: int, issue_id: str, fields: dict[str, Any], marker_key: str) -> IssueRead | None:
    """Write every changed field in one PUT; the issue as it is after it, with its changelog (Jira returns both in
    the same call): the changelog tells whether someone changed a written field while the PUT was on its way."""
    returned = jira.update_issue(issue_id, fields=fields, return_issue=True, expand="changelog")
    return issue_read(side, returned, marker_key) if returned else None


def changed_by_others(before: IssueRead, after: IssueRead, field_ids: list[str], written: dict[str, Any]) -> bool:
    """Whether someone else changed a field we read (and did not write) between our read and our PUT: the
    `updated` the PUT answers then covers a change we have not synced, so it must not count as seen."""
    if before.status_id != after.status_id:
        return True
    return any(before.fields.get(fid) != after.fields.get(fid) for fid in field_ids
               if fid not in written and fid not in ("updated", "status"))
