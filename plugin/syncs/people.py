"""What the pages' pickers offer: a site's projects (the site-wide Create) and a side's people (Users → pairs).

Each is one page of Jira's own search, asked with the app's credentials of the one site it is about; the callers
(plugin/web/api/pickers.py) check the user's permission, asked of Jira, before anything here runs."""
from __future__ import annotations

from plugin.jira import JiraClient

MAX_QUERY = 100


def projects(jira: JiraClient, query: str, page: int, per_page: int) -> dict:
    """One page of the site's projects whose key or name contains `query`, by key: {projects, page, perPage, total}."""
    found = jira.search_projects(query.strip(), start_at=(page - 1) * per_page, max_results=per_page)
    values = found.get("values") or []
    return {"projects": [{"id": str(p["id"]), "key": p["key"], "name": p.get("name") or p["key"]}
                         for p in values[:per_page] if p.get("id") and p.get("key")],
            "page": page, "perPage": per_page, "total": int(found.get("total") or len(values))}


def people(jira: JiraClient, query: str, page: int, per_page: int) -> dict:
    """One page of the people (no apps, no deactivated accounts) whose name or visible e-mail matches `query`:
    {people, page, perPage, more}. Jira's user search gives no total: one more than a page is asked for."""
    found = jira.search_users(query.strip(), start_at=(page - 1) * per_page, max_results=per_page + 1)
    human = [u for u in found[:per_page]
             if u.get("accountId") and u.get("accountType", "atlassian") == "atlassian" and u.get("active", True)]
    return {"people": [{"accountId": u["accountId"], "displayName": u.get("displayName") or u["accountId"]}
                       for u in human],
            "page": page, "perPage": per_page, "more": len(found) > per_page}
