"""People's display names for the pages (the history's *Who*): asked of the person's own site, remembered a while.

Only names are kept; a person Jira does not show (deleted, or hidden from the app) has no name, and the page
shows the accountId then. Lookups are per (site, accountId), so one page of history costs at most one call per
person, and none while the name is cached."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from cachetools import TTLCache

from plugin.errors import WorkSyncError
from plugin.jira import JiraClient
from plugin.models import Tenant

MISSING = ""  # cached "Jira gave no name": not asked again until it expires


class DisplayNames:
    """accountId → displayName per site, cached (10 minutes by default)."""

    def __init__(self, jira_for: Callable[[Tenant], JiraClient], ttl: float = 600, size: int = 20_000):
        self._jira_for = jira_for
        self._cache: TTLCache = TTLCache(maxsize=size, ttl=ttl)
        self._lock = threading.Lock()

    def name(self, tenant: Tenant, account_id: str) -> str | None:
        """The person's display name on `tenant`'s site, or None when Jira does not give one."""
        key = (tenant.id, account_id)
        with self._lock:
            if key in self._cache:
                return self._cache[key] or None
        try:
            found = self._jira_for(tenant).user(account_id).get("displayName") or MISSING
        except WorkSyncError:
            found = MISSING  # a name is a nicety: the id is shown instead
        with self._lock:
            self._cache[key] = found
        return found or None

    def names(self, wanted: Iterable[tuple[Tenant, str]]) -> dict[tuple[int, str], str | None]:
        """(tenant id, accountId) → display name of each wanted person, each asked once."""
        return {(tenant.id, account): self.name(tenant, account)
                for tenant, account in dict.fromkeys(wanted) if tenant is not None and account}
