"""The iframe pages Jira shows: project settings, the admin page and the issue glance."""
from __future__ import annotations

import re

from flask import Blueprint, g, render_template, request

from plugin.connect.page_context import confirm_pair
from plugin.errors import ValidationError
from plugin.web.auth import jira_request
from plugin.web.context import runtime

bp = Blueprint("pages", __name__, url_prefix="/pages")
_PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]{0,254}")
_ISSUE_KEY = re.compile(r"[A-Z][A-Z0-9_]{0,254}-[0-9]{1,18}")
_NUMERIC_ID = re.compile(r"[0-9]{1,18}")


def _param(name: str, pattern: re.Pattern, required: bool = True) -> str | None:
    value = request.args.get(name, "")
    if not value and not required:
        return None
    if not pattern.fullmatch(value):  # fullmatch: "$" would let a trailing newline through
        raise ValidationError(f"query parameter {name} is missing or malformed")
    return value


def _render(template: str, **context):
    return render_template(
        template, tenant=g.tenant, account_id=g.account_id, all_js_url=runtime().settings.all_js_url,
        base_path=runtime().settings.base_path, **context,
    )


@bp.get("/project-settings")
@jira_request
def project_settings():
    """Project settings → Work Sync: this project's synchronizations."""
    project = {"key": _param("project.key", _PROJECT_KEY), "id": _param("project.id", _NUMERIC_ID)}
    confirm_pair("project", project["key"], project["id"], g.jwt.context,
                 lambda project_id: runtime().jira(g.tenant).project(project_id).get("key"))
    return _render("project_settings.html", project=project)


@bp.get("/admin")
@jira_request
def admin():
    """Jira administration → Apps → Work Sync: every synchronization of the site."""
    return _render("admin.html")


@bp.get("/issue-glance")
@jira_request
def issue_glance():
    """The issue glance: the partner issue of this issue, when it is synced."""
    issue = {"key": _param("issue.key", _ISSUE_KEY), "id": _param("issue.id", _NUMERIC_ID)}
    project_key = _param("project.key", _PROJECT_KEY, False)
    if project_key and not issue["key"].startswith(project_key + "-"):
        raise ValidationError(f"issue {issue['key']} is not in project {project_key}")
    confirm_pair("issue", issue["key"], issue["id"], g.jwt.context,
                 lambda issue_id: runtime().jira(g.tenant).get_issue(issue_id, fields=("project",)).get("key"))
    return _render("issue_glance.html", issue=issue, project={"key": project_key})
