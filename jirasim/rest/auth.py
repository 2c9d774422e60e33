"""Resolve the caller of a REST request (Basic, Connect JWT, or a Forge system token on the gateway) and check
Jira permissions."""
from __future__ import annotations

import base64
import re

from jirasim.connect.auth import authenticate_app
from jirasim.errors import NOT_AUTHENTICATED, JiraError, forbidden, issue_not_found
from jirasim.forge.auth import authenticate_system_token

GATEWAY_PATH = re.compile(r"^/_api/ex/jira/[^/]+")


def _basic(site, header: str):
    try:
        email, _, token = base64.b64decode(header[6:].strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        raise JiraError(401, NOT_AUTHENTICATED) from None
    user = site.user_by_email(email)
    if user is None or not token or not user.active:
        raise JiraError(401, NOT_AUTHENTICATED)
    return user


def resolve_caller(site, request, anonymous_ok: bool = False):
    """The User making `request` on `site`; JiraError 401 when not authenticated (None if anonymous_ok)."""
    header = request.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        return _basic(site, header)
    if header[:4].upper() == "JWT " or request.args.get("jwt"):
        return authenticate_app(site, request)
    if anonymous_ok:
        return None
    raise JiraError(401, NOT_AUTHENTICATED)


def resolve_gateway_caller(site, request, tokens):
    """The Forge app user behind a system token on the product API gateway (GatewayError 401 otherwise)."""
    return authenticate_system_token(site, request, tokens, GATEWAY_PATH.sub("", request.path))


def browsable_issue(site, user, id_or_key):
    """The issue if it exists and the user may browse its project; Jira's 404 otherwise."""
    issue = site.issue(id_or_key)
    if issue is None or not site.can(user, "BROWSE_PROJECTS", site.projects[issue.project_id]):
        raise issue_not_found()
    return issue


def require(site, user, permission: str, project, message: str) -> None:
    """403 with `message` unless the user holds `permission` on `project`."""
    if not site.can(user, permission, project):
        raise forbidden(message)


def require_global(site, user, permission: str, message: str) -> None:
    """403 unless the user holds a global permission."""
    if permission not in site.global_permissions(user):
        raise forbidden(message)


def may_override_screens(site, user) -> bool:
    """True for an app whose descriptor asks for ADMIN (`overrideScreenSecurity`); 403 for anyone else."""
    installation = site.apps.get(user.app_key) if user is not None and user.is_app else None
    forge = site.forge_apps.get(user.app_key) if user is not None and user.is_app else None
    if forge is not None and "manage:jira-configuration" in forge.scopes:
        return True
    if installation is None or "ADMIN" not in {scope.upper() for scope in installation.scopes}:
        raise forbidden("Only Connect and Forge app users with the Administer Jira global permission can override "
                        "screen security.")
    return True
