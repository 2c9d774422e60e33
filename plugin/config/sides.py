"""Both sides of a synchronization as a configuration sees them: metadata and JQL checks, each with its own site."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plugin.config import schema, validate
from plugin.config.metadata import MetadataCache, SideMetadata
from plugin.config.suggest import suggestion
from plugin.errors import WorkSyncError
from plugin.jira import JiraClient
from plugin.models import Tenant
from plugin.models.syncs import Synchronization


@dataclass
class Sides:
    """Reads each side's metadata with that side's credentials (cached briefly) and checks documents against it."""

    jira_for: Callable[[Tenant], JiraClient]
    cache: MetadataCache

    def metadata(self, sync: Synchronization, refresh: bool = False,
                 only: int | None = None) -> dict[str, SideMetadata]:
        """{"1": side 1's metadata, "2": side 2's}; with `only`, that side's alone (the other is never read)."""
        return {str(side): self.cache.get(self.jira_for(sync.tenant(side)), sync.tenant_id(side),
                                          sync.project_key(side), refresh=refresh)
                for side in ((1, 2) if only is None else (only,))}

    def jql_errors(self, sync: Synchronization, filters: dict) -> dict[str, list[str]]:
        """Jira's complaints about each side's filter (asked of that side's site)."""
        errors = {}
        for side in ("1", "2"):
            query = (filters or {}).get(side)
            if not query:
                continue
            try:
                parsed = self.jira_for(sync.tenant(int(side))).parse_jql([query])
            except WorkSyncError as exc:
                errors[side] = [exc.message]
                continue
            found = [error for entry in parsed for error in entry.get("errors") or []]
            if found:
                errors[side] = found
        return errors

    def problems(self, sync: Synchronization, document: dict, refresh: bool = False) -> list[dict]:
        """Shape problems, or else every problem against both sides' current metadata and Jira's JQL parser."""
        shaped = schema.shape_problems(document)
        if shaped:
            return shaped
        return validate.problems(document, self.metadata(sync, refresh), self.jql_errors(sync, document["filters"]))

    def suggestion(self, sync: Synchronization) -> dict:
        """The suggested configuration for this pair of projects."""
        meta = self.metadata(sync)
        return suggestion(meta["1"], meta["2"])
