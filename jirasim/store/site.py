"""A simulated Jira Cloud site: users, projects, configuration, issues, and permission lookups."""
from __future__ import annotations

import hashlib
import itertools

from jirasim.store import defaults
from jirasim.store.apps import Installation
from jirasim.store.entities import Component, Issue, Project, User, Version
from jirasim.store.permissions import ALL_PROJECT_PERMISSIONS, APP_PROJECT_PERMISSIONS, USER_PROJECT_PERMISSIONS

DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024


def account_id_for(site_name: str, handle: str) -> str:
    """A stable, Atlassian-looking accountId for a user handle on a site."""
    digest = hashlib.sha1(f"{site_name}:{handle}".encode()).hexdigest()
    uuid = f"{digest[4:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:24]}-{digest[24:36]}"
    return f"5b10ac8d82e05b22cc7d{digest[:4]}:{uuid}"


class Site:
    """One Jira Cloud site served at `{world.base_url}/{name}`."""

    def __init__(self, world, name: str):
        self.world, self.name = world, name
        self.users: dict[str, User] = {}
        self.global_grants: dict[str, set] = {}
        self.projects: dict[str, Project] = {}
        self.issues: dict[str, Issue] = {}
        self.issue_types = defaults.issue_types()
        self.statuses = defaults.statuses()
        self.transitions = defaults.transitions()
        self.priorities = defaults.priorities()
        self.fields = defaults.fields()
        self.attachment_limit = DEFAULT_ATTACHMENT_LIMIT
        self.apps: dict[str, Installation] = {}
        self._counters: dict[str, itertools.count] = {}

    @property
    def base_url(self) -> str:
        """The site's base URL (a base path under the world's URL)."""
        return f"{self.world.base_url}/{self.name}"

    def next_id(self, kind: str, start: int = 10000) -> str:
        """The next numeric id (as a string) of a kind of entity."""
        counter = self._counters.setdefault(kind, itertools.count(start))
        return str(next(counter))

    # -- users and permissions ----------------------------------------------------------------------
    def add_user(self, handle: str, display_name: str, email: str, *, email_visible: bool = True,
                 global_permissions=(), project_permissions=USER_PROJECT_PERMISSIONS) -> User:
        """Add a human user with global permissions and the given permissions on every project."""
        user = User(account_id_for(self.name, handle), display_name, email, email_visible=email_visible,
                    groups={"jira-software-users"} | ({"jira-administrators"} if "ADMINISTER" in global_permissions
                                                      else set()))
        self.users[user.account_id] = user
        self.global_grants[user.account_id] = {"USER_PICKER", "CREATE_SHARED_OBJECTS", *global_permissions}
        for project in self.projects.values():
            project.grants[user.account_id] = set(project_permissions)
        return user

    def add_app_user(self, app_key: str) -> User:
        """The app user of an app (created once): accountType app, every project permission, not ADMINISTER."""
        for user in self.users.values():
            if user.is_app and user.app_key == app_key:
                return user
        user = User(account_id_for(self.name, "app:" + app_key), app_key, "", email_visible=False,
                    account_type="app", app_key=app_key, groups={"atlassian-addons"})
        self.users[user.account_id] = user
        self.global_grants[user.account_id] = {"USER_PICKER"}
        for project in self.projects.values():
            project.grants[user.account_id] = set(APP_PROJECT_PERMISSIONS)
        return user

    def user(self, account_id: str | None) -> User | None:
        """The user with this accountId, or None."""
        return self.users.get(account_id) if account_id else None

    def user_by_email(self, email: str) -> User | None:
        """The human user with this email address (case-insensitive), or None."""
        wanted = (email or "").lower()
        return next((u for u in self.users.values() if u.email and u.email.lower() == wanted), None)

    def global_permissions(self, user: User | None) -> set:
        """The global permission keys a user holds."""
        return set(self.global_grants.get(user.account_id, ())) if user else set()

    def project_permissions(self, user: User | None, project: Project) -> set:
        """The project permission keys a user holds on a project."""
        if user is None or not user.active:
            return set()
        return set(project.grants.get(user.account_id, ()))

    def can(self, user: User | None, permission: str, project: Project) -> bool:
        """True if the user holds a project permission on the project."""
        return permission in self.project_permissions(user, project)

    # -- projects ----------------------------------------------------------------------------------
    def add_project(self, key: str, name: str, lead: User | None = None, *, admins=()) -> Project:
        """Add a project; every existing human gets plain-user permissions, admins and apps get all."""
        project = Project(self.next_id("project"), key.upper(), name, lead.account_id if lead else None)
        for user in self.users.values():
            if user.is_app:
                project.grants[user.account_id] = set(APP_PROJECT_PERMISSIONS)
            elif "ADMINISTER" in self.global_grants.get(user.account_id, ()) or user in admins:
                project.grants[user.account_id] = set(ALL_PROJECT_PERMISSIONS)
            else:
                project.grants[user.account_id] = set(USER_PROJECT_PERMISSIONS)
        self.projects[project.id] = project
        return project

    def add_component(self, project: Project, name: str) -> Component:
        """Add a component to a project."""
        component = Component(self.next_id("component"), name, project.id)
        project.components.append(component)
        return component

    def add_version(self, project: Project, name: str, released: bool = False) -> Version:
        """Add a version to a project."""
        version = Version(self.next_id("version"), name, project.id, released)
        project.versions.append(version)
        return version

    def project(self, id_or_key) -> Project | None:
        """The project with this id or key (key case-insensitive), or None."""
        text = str(id_or_key or "")
        if text in self.projects:
            return self.projects[text]
        return next((p for p in self.projects.values() if p.key == text.upper()), None)

    # -- issues ------------------------------------------------------------------------------------
    def issue(self, id_or_key) -> Issue | None:
        """The issue with this id or key, or None."""
        text = str(id_or_key or "")
        if text in self.issues:
            return self.issues[text]
        upper = text.upper()
        return next((i for i in self.issues.values() if i.key == upper), None)

    def issue_type(self, ref) -> object | None:
        """An issue type by id or name."""
        text = str(ref or "")
        return self.issue_types.get(text) or next(
            (t for t in self.issue_types.values() if t.name.lower() == text.lower()), None)

    def status(self, ref) -> object | None:
        """A status by id or name."""
        text = str(ref or "")
        return self.statuses.get(text) or next((s for s in self.statuses.values() if s.name.lower() == text.lower()),
                                               None)

    def available_transitions(self, issue: Issue) -> list:
        """The transitions valid from the issue's current status."""
        current = issue.fields.get("status")
        return [t for t in self.transitions if not t.from_ids or current in t.from_ids]
