"""Who exists on which site, with which visible e-mail: asked of each site once, remembered a few minutes.

The engine's user mapping (same accountId, e-mail, explicit pairs, fallback) needs to know whether a person
exists on the other site; Atlassian accounts are global, so the same person has the same accountId there.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from cachetools import TTLCache

from plugin.engine.core.mapping import People
from plugin.engine.core.model import other
from plugin.errors import NotFound, PermissionDenied
from plugin.jira import JiraClient
from plugin.models import Tenant


class PeopleCache:
    """User lookups per site (`GET user`, `GET user/search`), cached; builds the engine's `People`."""

    def __init__(self, ttl: float = 600):
        self._users: TTLCache = TTLCache(maxsize=20_000, ttl=ttl)
        self._emails: TTLCache = TTLCache(maxsize=20_000, ttl=ttl)
        self._lock = threading.Lock()

    def _user(self, jira: JiraClient, tenant: Tenant, account: str) -> dict | None:
        key = (tenant.id, account)
        with self._lock:
            if key in self._users:
                return self._users[key]
        try:
            user = jira.user(account)
            found: dict | None = user if user.get("active", True) else None
        except (NotFound, PermissionDenied):
            found = None
        with self._lock:
            self._users[key] = found
        return found

    def _by_email(self, jira: JiraClient, tenant: Tenant, email: str) -> str | None:
        key = (tenant.id, email.lower())
        with self._lock:
            if key in self._emails:
                return self._emails[key]
        matches = [u for u in jira.search_users(email) if (u.get("emailAddress") or "").lower() == email.lower()]
        found = matches[0]["accountId"] if len(matches) == 1 else None
        with self._lock:
            self._emails[key] = found
        return found

    def people(self, jira_for: Callable[[Tenant], JiraClient], tenants: dict[int, Tenant],
               accounts: dict[int, Iterable[str]], by_email: bool) -> People:
        """What the engine needs about the accounts seen on each side: who exists on the other, their e-mails."""
        known = People()
        for source, found in accounts.items():
            target = other(source)
            for account in set(found):
                mine = self._user(jira_for(tenants[source]), tenants[source], account)
                if mine:
                    known.names[account] = mine.get("displayName") or account
                    known.emails[(source, account)] = mine.get("emailAddress")
                known.exists[(target, account)] = self._user(jira_for(tenants[target]), tenants[target],
                                                             account) is not None
                email = known.emails.get((source, account))
                if by_email and email and not known.exists[(target, account)]:
                    known.by_email[(target, email.lower())] = self._by_email(jira_for(tenants[target]),
                                                                           tenants[target], email)
        return known
