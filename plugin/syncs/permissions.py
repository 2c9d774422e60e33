"""Who may do what: asked of Jira (`permissions/check`) for the calling user, remembered for a minute.

The browser is never trusted: the context token only says which page asked (a project's settings or the
administration page); the permission itself always comes from Jira.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from cachetools import TTLCache

from plugin.audit import Actor
from plugin.errors import PermissionDenied
from plugin.jira import JiraClient
from plugin.models import Tenant

ADMINISTER, ADMINISTER_PROJECTS, BROWSE = "ADMINISTER", "ADMINISTER_PROJECTS", "BROWSE_PROJECTS"
NAMES = {ADMINISTER: "Administer Jira", ADMINISTER_PROJECTS: "Administer Projects", BROWSE: "Browse Projects"}


class Permissions:
    """Answers 'may this user administer these projects / this site?' through Jira, with a short-lived cache."""

    def __init__(self, jira_for: Callable[[Tenant], JiraClient], ttl: float = 60, size: int = 10_000):
        self._jira_for = jira_for
        self._cache: TTLCache = TTLCache(maxsize=size, ttl=ttl)
        self._lock = threading.Lock()

    def _administered(self, actor: Actor, project_ids: Iterable[str]) -> tuple[bool, set[str]]:
        """(is a Jira admin, which of `project_ids` the user administers), one Jira call for what is not cached."""
        wanted = list(dict.fromkeys(project_ids))
        base = (actor.tenant.id, actor.account_id)
        with self._lock:
            known = {key: self._cache.get(base + (key,)) for key in [None, *wanted]}
        missing = [key for key, value in known.items() if value is None]
        if missing:
            granted = self._ask(actor, [key for key in missing if key is not None])
            with self._lock:
                for key in missing:
                    answer = ADMINISTER in granted if key is None else key in granted
                    self._cache[base + (key,)] = known[key] = answer
        return bool(known[None]), {key for key in wanted if known[key]}

    def _ask(self, actor: Actor, project_ids: list[str]) -> set[str]:
        result = self._jira_for(actor.tenant).check_permissions(
            actor.account_id, global_permissions=[ADMINISTER],
            project_permissions={ADMINISTER_PROJECTS: project_ids} if project_ids else {})
        return set(result.global_permissions) | set(result.projects.get(ADMINISTER_PROJECTS, ()))

    def require_site_admin(self, actor: Actor, doing: str) -> None:
        """PermissionDenied unless the user is a Jira admin of the site."""
        if not self._administered(actor, [])[0]:
            raise PermissionDenied(f"You need the '{NAMES[ADMINISTER]}' global permission {doing}.",
                                   missing=ADMINISTER)

    def require_project_admin(self, actor: Actor, projects: dict[str, str], doing: str) -> None:
        """PermissionDenied unless the user administers every project (id → key) or, on a project page, is a Jira admin.

        From the administration page (no project context) only Jira admins act.
        """
        if actor.project_id is None:
            self.require_site_admin(actor, doing)
            return
        is_admin, administered = self._administered(actor, projects)
        missing = [key for pid, key in projects.items() if pid not in administered]
        if missing and not is_admin:
            names = ", ".join(sorted(missing))
            raise PermissionDenied(f"You need the '{NAMES[ADMINISTER_PROJECTS]}' permission on project {names} "
                                   f"(or '{NAMES[ADMINISTER]}') {doing}.", missing=ADMINISTER_PROJECTS)

    def may_administer(self, actor: Actor, projects: dict[str, str]) -> bool:
        """True when `require_project_admin` would let the user act (the pages offer only what works)."""
        try:
            self.require_project_admin(actor, projects, "")
        except PermissionDenied:
            return False
        return True

    def may_browse_project(self, actor: Actor, project_id: str) -> bool:
        """True when the user may browse the project (Browse Projects), asked of Jira and remembered briefly."""
        key = (actor.tenant.id, actor.account_id, "browse-project", project_id)
        with self._lock:
            allowed = self._cache.get(key)
        if allowed is None:
            grants = self._jira_for(actor.tenant).check_permissions(actor.account_id,
                                                                    project_permissions={BROWSE: [project_id]})
            allowed = project_id in grants.projects.get(BROWSE, set())
            with self._lock:
                self._cache[key] = allowed
        return allowed

    def require_browse_issue(self, actor: Actor, issue_id: str, doing: str) -> None:
        """PermissionDenied unless the user may see the issue (Browse Projects on its project), asked of Jira."""
        key = (actor.tenant.id, actor.account_id, "browse-issue", issue_id)
        with self._lock:
            allowed = self._cache.get(key)
        if allowed is None:
            grants = self._jira_for(actor.tenant).check_permissions(actor.account_id,
                                                                    issue_permissions={BROWSE: [issue_id]})
            allowed = issue_id in grants.issues.get(BROWSE, set())
            with self._lock:
                self._cache[key] = allowed
        if not allowed:
            raise PermissionDenied(f"You need the '{NAMES[BROWSE]}' permission on this issue's project {doing}.",
                                   missing=BROWSE)

    def forget(self) -> None:
        """Drop every remembered answer (tests, and after a permission change is announced)."""
        with self._lock:
            self._cache.clear()
