"""Permission checks: `POST permissions/check` (bulk) and `GET mypermissions`."""
from __future__ import annotations

from flask import request

from jirasim.errors import bad_request, forbidden, not_found
from jirasim.rest.common import body_json, caller, new_blueprint, ok, site
from jirasim.store.permissions import (
    GLOBAL_PERMISSION_NAMES,
    PROJECT_PERMISSION_NAMES,
    is_global_permission,
    is_project_permission,
)


def _check_keys(keys, valid) -> None:
    unknown = [k for k in keys if not valid(k)]
    if unknown:
        raise bad_request(f"Unrecognized permission keys: {', '.join(unknown)}")


def _subject():
    body = body_json()
    account_id = body.get("accountId")
    if account_id and account_id != caller().account_id:
        if not (caller().is_app or "ADMINISTER" in site().global_permissions(caller())):
            raise forbidden("You must have the Administer Jira global permission to check another user's permissions.")
        user = site().user(account_id)
        if user is None:
            raise bad_request(f"The user with account ID '{account_id}' does not exist.")
        return body, user
    return body, caller()


def blueprint():
    """Blueprint of the permission endpoints."""
    bp = new_blueprint("permissions")

    @bp.post("/permissions/check")
    def check():
        body, user = _subject()
        s = site()
        global_keys = body.get("globalPermissions") or []
        _check_keys(global_keys, is_global_permission)
        granted_global = [k for k in global_keys if k in s.global_permissions(user)]
        grants = []
        for item in body.get("projectPermissions") or []:
            keys = item.get("permissions") or []
            _check_keys(keys, is_project_permission)
            project_ids = [str(p) for p in item.get("projects") or []]
            issue_ids = [str(i) for i in item.get("issues") or []]
            for key in keys:
                projects = [int(pid) for pid in (project_ids or ([] if issue_ids else list(s.projects)))
                            if pid in s.projects and s.can(user, key, s.projects[pid])]
                issues = [int(iid) for iid in issue_ids
                          if iid in s.issues and s.can(user, key, s.projects[s.issues[iid].project_id])]
                if projects or issues:
                    grants.append({"permission": key, "projects": projects, "issues": issues})
        return ok({"globalPermissions": granted_global, "projectPermissions": grants})

    @bp.get("/mypermissions")
    def my_permissions():
        s, user = site(), caller()
        keys = [k.strip() for k in (request.args.get("permissions") or "").split(",") if k.strip()]
        if not keys:
            raise bad_request("The permissions query parameter is required.")
        _check_keys(keys, lambda key: is_global_permission(key) or is_project_permission(key))
        projects = list(s.projects.values())
        ref_issue = request.args.get("issueKey") or request.args.get("issueId")
        ref_project = request.args.get("projectKey") or request.args.get("projectId")
        if ref_issue:
            issue = s.issue(ref_issue)
            if issue is None:
                raise not_found("Issue does not exist or you do not have permission to see it.")
            projects = [s.projects[issue.project_id]]
        elif ref_project:
            project = s.project(ref_project)
            if project is None:
                raise not_found(f"No project could be found with key '{ref_project}'.")
            projects = [project]
        result = {}
        for index, key in enumerate(keys):
            if is_global_permission(key):
                have, kind, name = key in s.global_permissions(user), "GLOBAL", GLOBAL_PERMISSION_NAMES[key]
            else:
                have = any(s.can(user, key, p) for p in projects)
                kind, name = "PROJECT", PROJECT_PERMISSION_NAMES[key]
            result[key] = {"id": str(index + 1), "key": key, "name": name, "type": kind, "description": name,
                           "havePermission": have}
        return ok({"permissions": result})

    return bp
