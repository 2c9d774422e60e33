"""Connect context variables (`{project.key}`, `{issue.id}`, ...) and their substitution into module URLs."""
from __future__ import annotations

import re
from urllib.parse import quote

_VAR = re.compile(r"\{([A-Za-z0-9_.]+)\}")


def values(project_key=None, project_id=None, issue_key=None, issue_id=None) -> dict[str, str]:
    """Context variable values; unknown ones stay empty."""
    found = {"project.key": project_key, "project.id": project_id, "issue.key": issue_key, "issue.id": issue_id}
    return {k: "" if v is None else str(v) for k, v in found.items()}


def from_payload(payload: dict) -> dict[str, str]:
    """Context values of a webhook payload (its issue and the issue's project)."""
    issue = payload.get("issue") or {}
    project = (issue.get("fields") or {}).get("project") or {}
    return values(project.get("key"), project.get("id"), issue.get("key"), issue.get("id"))


def substitute(url: str, context: dict[str, str]) -> str:
    """Replace `{name}` variables by URL-encoded values (unknown variables become empty)."""
    return _VAR.sub(lambda match: quote(context.get(match.group(1), ""), safe=""), url)


def jwt_context(user, project=None, issue=None) -> dict:
    """The `context` claim Jira puts in page and context tokens."""
    ctx: dict = {"user": {"accountId": user.account_id} if user else {}}
    jira: dict = {}
    if project:
        jira["project"] = {"id": str(project.get("id", "")), "key": project.get("key")}
    if issue:
        jira["issue"] = {"id": str(issue.get("id", "")), "key": issue.get("key")}
    if jira:
        ctx["jira"] = jira
    return ctx
