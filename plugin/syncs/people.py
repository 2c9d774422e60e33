"""What the pages' pickers offer: a site's projects (the site-wide Create) and a side's people (Users → pairs).

Each is one page of Jira's own search, asked with the app's credentials of the one site it is about; the callers
(plugin/web/api/pickers.py) check the user's permission, asked of Jira, before anything here runs."""
from __future__ import annotations

from plugin.jira import JiraClient
from plugin.models import Tenant
from plugin.syncs.names import DisplayNames

MAX_QUERY = 100
MAX_IDS = 100  # accountIds named at once (a configuration's pairs of one side, a page at a time)


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


def named(names: DisplayNames, tenant: Tenant, account_ids: list[str]) -> dict:
    """The people of these accountIds whom Jira shows on `tenant`'s site, by name (the history's cached lookup):
    {people, page, perPage, more}; whom Jira does not show (deleted, hidden) is left out."""
    wanted = list(dict.fromkeys(account_ids))
    found = names.names((tenant, account) for account in wanted)
    return {"people": [{"accountId": account, "displayName": name} for account in wanted
                       if (name := found.get((tenant.id, account)))],
            "page": 1, "perPage": max(1, len(wanted)), "more": False}
