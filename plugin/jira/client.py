"""JiraClient: the only way the app talks to a Jira site."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests
from atlassian import Jira

from plugin import metrics
from plugin.jira import errors, quota
from plugin.jira.auth import ConnectJWTAuth

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PermissionGrants:
    """The answer of `permissions/check`: global permissions held, and per project permission the project ids."""

    global_permissions: frozenset[str]
    projects: dict[str, set[str]]
    issues: dict[str, set[str]] = field(default_factory=dict)


BULK_CREATE_LIMIT = 50
BULK_FETCH_LIMIT = 100


def _q(segment: object) -> str:
    """One path segment, percent-encoded: a key or id from outside never adds a segment or climbs out (`..`)."""
    text = quote(str(segment), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


class JiraClient:
    """REST v3 calls to one site as our app: signed (Connect JWT per request) or borne (a Forge system token, with
    `site_base_url` the installation's apiBaseUrl), a timeout on every call, typed errors, no sleeping."""

    def __init__(self, site_base_url: str, app_key: str | None = None, shared_secret: str | None = None, *,
                 auth: requests.auth.AuthBase | None = None, timeout: float = 20.0,
                 session: requests.Session | None = None,
                 observer: Callable[[str, list[quota.Quota], bool], None] | None = None):
        session = session or requests.Session()
        if auth is None:
            if app_key is None or shared_secret is None:
                raise ValueError("JiraClient needs an auth, or an app key and shared secret to sign with")
            auth = ConnectJWTAuth(app_key, shared_secret, site_base_url)
        session.auth = auth
        session.headers["User-Agent"] = "work-sync"
        self.base_url = site_base_url.rstrip("/")
        self.session, self.timeout = session, timeout  # for streamed transfers (plugin/jira/files.py)
        self.observer = observer  # told what each answer says of the limits (the guard slows a site down)
        # The library would sleep on 429 (retry_with_header) inside the call; a worker must never sleep,
        # so both retry modes are off and RateLimited carries Retry-After to the job, which reschedules itself.
        # atlassian-python-api annotates timeout as int; it is handed to requests, which takes seconds as a float.
        self._jira = Jira(url=self.base_url, session=session, cloud=True, timeout=timeout,  # type: ignore[arg-type]
                          advanced_mode=True, backoff_and_retry=False, retry_with_header=False)

    def _call(self, method: str, path: str, *, operation: str, params: dict | None = None, json: Any = None,
              files: dict | None = None, headers: dict | None = None, raw: bool = False) -> Any:
        try:
            response = self._jira.request(method, path, params=params, data=json, files=files, headers=headers,
                                          advanced_mode=True)
        except requests.RequestException as exc:
            metrics.jira_call(self.base_url, operation, "timeout" if isinstance(exc, requests.Timeout) else "error")
            raise errors.from_exception(exc, operation) from None
        self._observe(response.headers)
        if response.status_code >= 400:
            error = errors.from_response(response, operation)
            error.details["site"] = self.base_url
            metrics.jira_call(self.base_url, operation, response.status_code, response.headers,
                              getattr(error, "retry_after", None), error.details.get("reason"))
            raise error
        metrics.jira_call(self.base_url, operation, response.status_code, response.headers)
        if raw:
            return response.content
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _observe(self, headers) -> None:
        """Tell the observer the quotas and the near-limit flag an answer states (never failing the call)."""
        if self.observer is None:
            return
        found, near = quota.quotas(headers), quota.near_limit(headers)
        if not found and not near:
            return
        try:
            self.observer(self.base_url, found, near)
        except Exception as exc:  # Redis away: the call itself went through, its answer counts
            log.warning("could not record the rate-limit headers of %s: %s", self.base_url, type(exc).__name__)

    # --- site ---
    def server_info(self) -> dict:
        """GET serverInfo."""
        return self._call("GET", "rest/api/3/serverInfo", operation="server info")

    def myself(self) -> dict:
        """The app's own user on this site."""
        return self._call("GET", "rest/api/3/myself", operation="myself")

    def user(self, account_id: str) -> dict:
        """One user by accountId (displayName, active, …)."""
        return self._call("GET", "rest/api/3/user", params={"accountId": account_id}, operation="get user")

    def search_users(self, query: str, start_at: int = 0, max_results: int = 20) -> list[dict]:
        """People whose name or (visible) e-mail matches `query` (one page: from `start_at`, at most `max_results`)."""
        params: dict[str, Any] = {"query": query, "maxResults": max_results}
        if start_at:
            params["startAt"] = start_at
        return self._call("GET", "rest/api/3/user/search", params=params, operation="search users")

    def search_projects(self, query: str = "", start_at: int = 0, max_results: int = 50) -> dict:
        """One page of the projects the app may browse whose key or name matches `query` ({values, total, …})."""
        params: dict[str, Any] = {"startAt": start_at, "maxResults": max_results, "orderBy": "key"}
        if query:
            params["query"] = query
        return self._call("GET", "rest/api/3/project/search", params=params, operation="search projects")

    def project(self, key_or_id: str) -> dict:
        """One project."""
        return self._call("GET", f"rest/api/3/project/{_q(key_or_id)}", operation="get project")

    def check_permissions(self, account_id: str, *, global_permissions: Iterable[str] = (),
                          project_permissions: dict[str, Iterable[str]] | None = None,
                          issue_permissions: dict[str, Iterable[str]] | None = None) -> PermissionGrants:
        """Which of the asked permissions the user holds: global ones, and project ones per project or issue id."""
        body: dict[str, Any] = {"accountId": account_id}
        if global_permissions:
            body["globalPermissions"] = list(global_permissions)
        asked = [{"permissions": [key], "projects": [int(p) for p in ids]}
                 for key, ids in (project_permissions or {}).items() if ids]
        asked += [{"permissions": [key], "issues": [int(i) for i in ids]}
                  for key, ids in (issue_permissions or {}).items() if ids]
        if asked:
            body["projectPermissions"] = asked
        result = self._call("POST", "rest/api/3/permissions/check", json=body, operation="check permissions")
        projects: dict[str, set[str]] = {}
        issues: dict[str, set[str]] = {}
        for entry in result.get("projectPermissions") or []:
            projects.setdefault(entry["permission"], set()).update(str(p) for p in entry.get("projects") or [])
            issues.setdefault(entry["permission"], set()).update(str(i) for i in entry.get("issues") or [])
        return PermissionGrants(frozenset(result.get("globalPermissions") or ()), projects, issues)

    def project_statuses(self, key_or_id: str) -> list[dict]:
        """The statuses of a project, per issue type (`[{id, name, statuses: [...]}, ...]`)."""
        return self._call("GET", f"rest/api/3/project/{_q(key_or_id)}/statuses", operation="get project statuses")

    def fields(self) -> list[dict]:
        """Every field of the site, with its schema."""
        return self._call("GET", "rest/api/3/field", operation="get fields")

    def _pages(self, path: str, operation: str, key: str = "values", params: dict | None = None) -> Iterator[dict]:
        """Every item of an offset-paged list (`startAt`, `maxResults`, `isLast` or `total`)."""
        start = 0
        while True:
            page = self._call("GET", path, params={**(params or {}), "startAt": start, "maxResults": 100},
                              operation=operation)
            items = page.get(key) or []
            yield from items
            start += len(items)
            if not items or page.get("isLast") or start >= page.get("total", start):
                return

    def priorities(self) -> list[dict]:
        """Every priority of the site."""
        return list(self._pages("rest/api/3/priority/search", "search priorities"))

    def attachment_settings(self) -> dict:
        """The site's attachment settings: `{"enabled", "uploadLimit"}` (bytes)."""
        return self._call("GET", "rest/api/3/attachment/meta", operation="get attachment settings")

    def my_permissions(self, project: str, keys: Iterable[str]) -> set[str]:
        """Which of these permissions the caller (the app's user) holds in a project."""
        found = self._call("GET", "rest/api/3/mypermissions", operation="get my permissions",
                           params={"projectKey": project, "permissions": ",".join(keys)})
        return {key for key, held in (found.get("permissions") or {}).items() if held.get("havePermission")}

    def create_version(self, project_id: str, name: str, description: str = "", details: dict | None = None) -> dict:
        """Add a version to a project (needs Administer Projects and the PROJECT_ADMIN scope); `details` are more of
        its fields (releaseDate, startDate, released, archived)."""
        return self._call("POST", "rest/api/3/version", operation="create version",
                          json={"projectId": int(project_id), "name": name, "description": description,
                                **(details or {})})

    def update_version(self, version_id: str, changes: dict) -> dict:
        """Rename or describe a version."""
        return self._call("PUT", f"rest/api/3/version/{_q(version_id)}", operation="update version", json=changes)

    def project_versions(self, key_or_id: str) -> list[dict]:
        """Every version of a project, with its description, dates and flags (one call, not paged)."""
        return self._call("GET", f"rest/api/3/project/{_q(key_or_id)}/versions", operation="get project versions")

    def project_components(self, key_or_id: str) -> list[dict]:
        """Every component of a project (one call, not paged)."""
        return self._call("GET", f"rest/api/3/project/{_q(key_or_id)}/components",
                          operation="get project components")

    def create_component(self, project_key: str, name: str, description: str = "") -> dict:
        """Add a component to a project (needs Administer Projects and the PROJECT_ADMIN scope)."""
        return self._call("POST", "rest/api/3/component", operation="create component",
                          json={"project": project_key, "name": name, "description": description})

    def update_component(self, component_id: str, changes: dict) -> dict:
        """Rename or describe a component."""
        return self._call("PUT", f"rest/api/3/component/{_q(component_id)}", operation="update component",
                          json=changes)

    def create_issue_types(self, project: str) -> list[dict]:
        """The issue types one may create in a project."""
        return list(self._pages(f"rest/api/3/issue/createmeta/{_q(project)}/issuetypes", "get create metadata",
                                key="issueTypes"))

    def create_fields(self, project: str, issue_type_id: str) -> list[dict]:
        """The fields of a project's create screen for an issue type (required flag, allowed values)."""
        return list(self._pages(f"rest/api/3/issue/createmeta/{_q(project)}/issuetypes/{_q(issue_type_id)}",
                                "get create metadata", key="fields"))

    def parse_jql(self, queries: list[str]) -> list[dict]:
        """Jira's strict parse of each query: `[{"query", "errors": [...]}, ...]`."""
        result = self._call("POST", "rest/api/3/jql/parse", params={"validation": "strict"},
                            json={"queries": queries}, operation="parse JQL")
        return result.get("queries") or []

    # --- issues ---
    def get_issue(self, key_or_id: str, fields: Iterable[str] = ("*all",), expand: str | None = None,
                  properties: Iterable[str] = ()) -> dict:
        """One issue with the given fields."""
        params: dict[str, str] = {"fields": ",".join(fields)}
        if expand:
            params["expand"] = expand
        if properties:
            params["properties"] = ",".join(properties)
        return self._call("GET", f"rest/api/3/issue/{_q(key_or_id)}", params=params, operation="get issue")

    def create_issue(self, fields: dict, properties: dict[str, Any] | None = None) -> dict:
        """Create an issue (with issue properties set in the same call); returns id, key, self."""
        body: dict[str, Any] = {"fields": fields}
        if properties:
            body["properties"] = [{"key": k, "value": v} for k, v in properties.items()]
        return self._call("POST", "rest/api/3/issue", json=body, operation="create issue")

    def create_issues(self, issues: list[dict]) -> dict:
        """Bulk create (at most 50 per call): `{"issues": [...], "errors": [...]}`."""
        if len(issues) > BULK_CREATE_LIMIT:
            raise ValueError(f"at most {BULK_CREATE_LIMIT} issues per bulk create")
        return self._call("POST", "rest/api/3/issue/bulk", json={"issueUpdates": issues}, operation="bulk create")

    def update_issue(self, key_or_id: str, fields: dict | None = None, update: dict | None = None,
                     return_issue: bool = False, expand: str | None = None) -> dict | None:
        """Edit fields (and `update` operations) without notifying watchers; with `return_issue` Jira answers the
        edited issue in the same call (with `expand`, e.g. its changelog)."""
        body = {k: v for k, v in (("fields", fields), ("update", update)) if v}
        params = {"notifyUsers": "false"}
        if return_issue:
            params["returnIssue"] = "true"
            if expand:
                params["expand"] = expand
        return self._call("PUT", f"rest/api/3/issue/{_q(key_or_id)}", params=params, json=body, operation="edit issue")

    def delete_issue(self, key_or_id: str) -> None:
        """Delete an issue."""
        self._call("DELETE", f"rest/api/3/issue/{_q(key_or_id)}", operation="delete issue")

    def bulk_fetch(self, ids_or_keys: list[str], fields: Iterable[str], properties: Iterable[str] = ()) -> dict:
        """Up to 100 issues in one call: `{"issues": [...], "issueErrors": [...]}`."""
        if len(ids_or_keys) > BULK_FETCH_LIMIT:
            raise ValueError(f"at most {BULK_FETCH_LIMIT} issues per bulk fetch")
        body: dict[str, Any] = {"issueIdsOrKeys": ids_or_keys, "fields": list(fields)}
        if properties:
            body["properties"] = list(properties)
        return self._call("POST", "rest/api/3/issue/bulkfetch", operation="bulk fetch", json=body)

    def bulk_fetch_changelogs(self, ids_or_keys: list[str], fields: Iterable[str],
                              properties: Iterable[str] = ()) -> dict:
        """Up to 100 issues in one call with their changelogs (`expand=changelog`; Jira's changelog bulk fetch is not
        open to Connect apps): `{"issues": [...], "issueErrors": [...]}`."""
        if len(ids_or_keys) > BULK_FETCH_LIMIT:
            raise ValueError(f"at most {BULK_FETCH_LIMIT} issues per bulk fetch")
        body: dict[str, Any] = {"issueIdsOrKeys": ids_or_keys, "fields": list(fields), "expand": ["changelog"]}
        if properties:
            body["properties"] = list(properties)
        return self._call("POST", "rest/api/3/issue/bulkfetch", operation="bulk fetch", json=body)

    def search_page(self, jql: str, fields: Iterable[str] = ("updated",), page_size: int = 100,
                    token: str | None = None, reconcile: Iterable[int] = (), properties: Iterable[str] = ()) -> dict:
        """One page of an enhanced search: `{"issues", "nextPageToken", "isLast"}`."""
        body: dict[str, Any] = {"jql": jql, "fields": list(fields), "maxResults": page_size}
        if token:
            body["nextPageToken"] = token
        if reconcile:
            body["reconcileIssues"] = list(reconcile)
        if properties:
            body["properties"] = list(properties)
        return self._call("POST", "rest/api/3/search/jql", json=body, operation="search")

    def count(self, jql: str) -> int:
        """How many issues a bounded JQL matches (Jira's approximate count: as eventually consistent as search)."""
        return int(self._call("POST", "rest/api/3/search/approximate-count", json={"jql": jql},
                              operation="count issues")["count"])

    def search(self, jql: str, fields: Iterable[str] = ("updated",), page_size: int = 100,
               reconcile: Iterable[int] = (), properties: Iterable[str] = ()) -> Iterator[dict]:
        """All issues matching `jql`, page by page (enhanced search with nextPageToken)."""
        token = None
        while True:
            page = self.search_page(jql, fields, page_size, token, reconcile, properties)
            yield from page.get("issues") or []
            token = page.get("nextPageToken")
            if page.get("isLast", True) or not token:
                return

    def transitions(self, key_or_id: str) -> list[dict]:
        """Transitions available from the issue's current status."""
        return self._call("GET", f"rest/api/3/issue/{_q(key_or_id)}/transitions",
                          operation="get transitions")["transitions"]

    def transition(self, key_or_id: str, transition_id: str) -> None:
        """Move the issue through a transition."""
        self._call("POST", f"rest/api/3/issue/{_q(key_or_id)}/transitions", json={"transition": {"id": transition_id}},
                   operation="transition issue")

    def add_comment(self, key_or_id: str, body_adf: dict, visibility: dict | None = None,
                    properties: dict[str, Any] | None = None) -> dict:
        """Add a comment (ADF body), with comment properties set in the same call."""
        payload: dict[str, Any] = {"body": body_adf}
        if visibility:
            payload["visibility"] = visibility
        if properties:
            payload["properties"] = [{"key": k, "value": v} for k, v in properties.items()]
        return self._call("POST", f"rest/api/3/issue/{_q(key_or_id)}/comment", json=payload, operation="add comment")

    def comments(self, key_or_id: str, expand: str | None = None) -> list[dict]:
        """Every comment of an issue (paged), oldest first."""
        params = {"expand": expand} if expand else None
        return list(self._pages(f"rest/api/3/issue/{_q(key_or_id)}/comment", "get comments", key="comments",
                                params=params))

    def edit_comment(self, key_or_id: str, comment_id: str, body_adf: dict, visibility: dict | None = None) -> dict:
        """Replace a comment's body (and visibility)."""
        payload: dict[str, Any] = {"body": body_adf}
        if visibility:
            payload["visibility"] = visibility
        return self._call("PUT", f"rest/api/3/issue/{_q(key_or_id)}/comment/{_q(comment_id)}", json=payload,
                          params={"notifyUsers": "false"}, operation="edit comment")

    def delete_comment(self, key_or_id: str, comment_id: str) -> None:
        """Delete a comment."""
        self._call("DELETE", f"rest/api/3/issue/{_q(key_or_id)}/comment/{_q(comment_id)}", operation="delete comment")

    def add_worklog(self, key_or_id: str, worklog: dict[str, Any], properties: dict[str, Any] | None = None) -> dict:
        """Log work (timeSpentSeconds, started, ADF comment), with worklog properties set in the same call; the
        remaining estimate is left as it is."""
        payload: dict[str, Any] = dict(worklog)
        if properties:
            payload["properties"] = [{"key": k, "value": v} for k, v in properties.items()]
        return self._call("POST", f"rest/api/3/issue/{_q(key_or_id)}/worklog", json=payload,
                          params={"notifyUsers": "false", "adjustEstimate": "leave"}, operation="add worklog")

    def worklogs(self, key_or_id: str, expand: str | None = None) -> list[dict]:
        """Every worklog of an issue (paged), oldest first."""
        params = {"expand": expand} if expand else None
        return list(self._pages(f"rest/api/3/issue/{_q(key_or_id)}/worklog", "get worklogs", key="worklogs",
                                params=params))

    def edit_worklog(self, key_or_id: str, worklog_id: str, worklog: dict[str, Any]) -> dict:
        """Replace a worklog's time spent, start and comment."""
        return self._call("PUT", f"rest/api/3/issue/{_q(key_or_id)}/worklog/{_q(worklog_id)}", json=worklog,
                          params={"notifyUsers": "false", "adjustEstimate": "leave"}, operation="edit worklog")

    def delete_worklog(self, key_or_id: str, worklog_id: str) -> None:
        """Delete a worklog (the remaining estimate left as it is)."""
        self._call("DELETE", f"rest/api/3/issue/{_q(key_or_id)}/worklog/{_q(worklog_id)}",
                   params={"notifyUsers": "false", "adjustEstimate": "leave"}, operation="delete worklog")

    def link_types(self) -> list[dict]:
        """Every issue link type of the site (id, name, inward, outward)."""
        return self._call("GET", "rest/api/3/issueLinkType", operation="get link types")["issueLinkTypes"]

    def link_issues(self, type_id: str, inward_id: str, outward_id: str) -> None:
        """Link two issues (Jira answers 201 with no body: the new link's id is only seen in `issuelinks`)."""
        self._call("POST", "rest/api/3/issueLink", json={"type": {"id": type_id}, "inwardIssue": {"id": inward_id},
                                                         "outwardIssue": {"id": outward_id}},
                   operation="link issues")

    def delete_link(self, link_id: str) -> None:
        """Remove an issue link."""
        self._call("DELETE", f"rest/api/3/issueLink/{_q(link_id)}", operation="delete link")

    def set_property(self, key_or_id: str, key: str, value: Any) -> None:
        """Set an issue property (JSON, at most 32 KB)."""
        self._call("PUT", f"rest/api/3/issue/{_q(key_or_id)}/properties/{_q(key)}", json=value,
                   operation="set property")

    def delete_property(self, key_or_id: str, key: str) -> None:
        """Remove an issue property."""
        self._call("DELETE", f"rest/api/3/issue/{_q(key_or_id)}/properties/{_q(key)}", operation="delete property")

    def get_property(self, key_or_id: str, key: str) -> Any:
        """An issue property's value, or None when it is not set."""
        from plugin.errors import NotFound

        try:
            return self._call("GET", f"rest/api/3/issue/{_q(key_or_id)}/properties/{_q(key)}",
                              operation="get property")["value"]
        except NotFound:
            return None

    def add_attachment(self, key_or_id: str, filename: str, content: bytes, mime_type: str) -> list[dict]:
        """Attach a file (multipart, with the XSRF opt-out header Jira requires)."""
        return self._call("POST", f"rest/api/3/issue/{_q(key_or_id)}/attachments", operation="add attachment",
                          files={"file": (filename, content, mime_type)}, headers={"X-Atlassian-Token": "no-check"})

    def attachment_content(self, attachment_id: str) -> bytes:
        """An attachment's bytes."""
        return self._call("GET", f"rest/api/3/attachment/content/{_q(attachment_id)}", operation="download attachment",
                          raw=True)
