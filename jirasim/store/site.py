"""A simulated Jira Cloud site: users, projects, configuration, issues, and permission lookups."""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import replace

from jirasim.store import defaults
from jirasim.store.apps import Installation
from jirasim.store.entities import Comment, Component, Issue, Project, Status, User, Version, Workflow
from jirasim.store.forge import ForgeInstallation, cloud_id_for
from jirasim.store.permissions import ALL_PROJECT_PERMISSIONS, APP_PROJECT_PERMISSIONS, USER_PROJECT_PERMISSIONS

DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024
ID_SPACE = 10000  # each site's ids start this far above the previous site's


def account_id_for(handle: str) -> str:
    """A stable, Atlassian-looking accountId for a person: the same on every site (Atlassian accounts are global)."""
    digest = hashlib.sha1(f"person:{handle}".encode()).hexdigest()
    uuid = f"{digest[4:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:24]}-{digest[24:36]}"
    return f"5b10ac8d82e05b22cc7d{digest[:4]}:{uuid}"


def app_account_id_for(site_name: str, app_key: str) -> str:
    """The accountId of an app's user on a site."""
    digest = hashlib.sha1(f"{site_name}:app:{app_key}".encode()).hexdigest()
    return f"557058:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def _position(world, name: str) -> int:
    names = list(getattr(world, "sites", {}))
    return names.index(name) if name in names else len(names)


class Site:
    """One Jira Cloud site served at `{world.base_url}/{name}`, with ids of its own.

    Numeric ids (projects, issues, statuses, issue types, custom fields, options, components, versions, ...)
    start at `10000 + id_offset`; by default a site's offset is its position in the world times 10000, so the
    first site has the ids a fresh Jira site has and no two sites of a world share one.
    """

    def __init__(self, world, name: str, id_offset: int | None = None):
        self.world, self.name = world, name
        self.id_offset = _position(world, name) * ID_SPACE if id_offset is None else id_offset
        self.users: dict[str, User] = {}
        self.global_grants: dict[str, set] = {}
        self.projects: dict[str, Project] = {}
        self.issues: dict[str, Issue] = {}
        self.issue_types = defaults.issue_types(self.id_offset)
        self.statuses = defaults.statuses(self.id_offset)
        default_workflow = defaults.workflow(self.id_offset)
        self.workflows: dict[str, Workflow] = {default_workflow.name: default_workflow}
        self.workflow_scheme: dict[str, str] = {}  # issue type id -> workflow name; others use the default
        self.priorities = defaults.priorities()
        self.resolutions = defaults.resolutions()
        self.fields = defaults.fields(self.id_offset)
        self.attachment_limit = DEFAULT_ATTACHMENT_LIMIT
        self.attachments_enabled = True  # System → Attachments: "Allow attachments"
        self.apps: dict[str, Installation] = {}
        self.forge_apps: dict[str, ForgeInstallation] = {}  # by app id
        self.data_residency: str | None = None  # where the site's data is pinned (EU, US, ...); None: global
        self.tasks: dict[str, dict] = {}  # finished asynchronous tasks (custom field deletions) by id
        self._counters: dict[str, itertools.count] = {}

    @property
    def base_url(self) -> str:
        """The site's base URL (a base path under the world's URL)."""
        return f"{self.world.base_url}/{self.name}"

    @property
    def cloud_id(self) -> str:
        """The site's cloudId (stable; Forge's `apiBaseUrl` ends with it)."""
        return cloud_id_for(self.base_url)

    def next_id(self, kind: str, start: int = 10000) -> str:
        """The next numeric id (as a string) of a kind of entity, in this site's id space."""
        counter = self._counters.setdefault(kind, itertools.count(start + self.id_offset))
        return str(next(counter))

    # -- users and permissions ----------------------------------------------------------------------
    def add_user(self, handle: str, display_name: str, email: str, *, email_visible: bool = True,
                 time_zone: str = "UTC", global_permissions=(), project_permissions=USER_PROJECT_PERMISSIONS) -> User:
        """Add a person (same accountId on every site for the same handle) with global and project permissions."""
        user = User(account_id_for(handle), display_name, email, email_visible=email_visible, time_zone=time_zone,
                    groups={"jira-software-users"} | ({"jira-administrators"} if "ADMINISTER" in global_permissions
                                                      else set()))
        self.users[user.account_id] = user
        self.global_grants[user.account_id] = {"USER_PICKER", "CREATE_SHARED_OBJECTS", *global_permissions}
        for project in self.projects.values():
            project.grants[user.account_id] = set(project_permissions)
        return user

    def add_app_user(self, app_key: str, display_name: str | None = None) -> User:
        """The app user of an app (created once): accountType app, every project permission, not ADMINISTER."""
        for user in self.users.values():
            if user.is_app and user.app_key == app_key:
                return user
        user = User(app_account_id_for(self.name, app_key), display_name or app_key, "", email_visible=False,
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
        """The global permission keys a user holds (an app with the ADMIN scope administers Jira, as in Cloud)."""
        if user is None:
            return set()
        granted = set(self.global_grants.get(user.account_id, ()))
        installation = self.apps.get(user.app_key) if user.is_app else None
        if installation is not None and "ADMIN" in {str(s).upper() for s in installation.scopes or ()}:
            granted.add("ADMINISTER")
        forge = self.forge_apps.get(user.app_key) if user.is_app else None
        if forge is not None and "manage:jira-configuration" in forge.scopes:
            granted.add("ADMINISTER")
        return granted

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

    def add_component(self, project: Project, name: str, description: str = "", lead: User | None = None,
                      assignee_type: str = "PROJECT_DEFAULT") -> Component:
        """Add a component to a project."""
        component = Component(self.next_id("component"), name, project.id, description,
                              lead.account_id if lead else None, assignee_type)
        project.components.append(component)
        return component

    def add_version(self, project: Project, name: str, released: bool = False, *, description: str = "",
                    archived: bool = False, release_date: str | None = None,
                    start_date: str | None = None) -> Version:
        """Add a version to a project."""
        version = Version(self.next_id("version"), name, project.id, released, archived, description,
                          release_date, start_date)
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

    def comment(self, comment_id) -> tuple[Issue, Comment] | tuple[None, None]:
        """(issue, comment) of a comment id, or (None, None)."""
        wanted = str(comment_id)
        for issue in self.issues.values():
            for comment in issue.comments:
                if comment.id == wanted:
                    return issue, comment
        return None, None

    # -- workflows ---------------------------------------------------------------------------------
    def add_status(self, name: str, category) -> Status:
        """A new status (not yet in any workflow)."""
        status = Status(self.next_id("status", defaults.FIRST_FREE_STATUS), name, category)
        self.statuses[status.id] = status
        return status

    def add_workflow(self, workflow: Workflow, issue_type_ids=()) -> Workflow:
        """Add a workflow and make it the one of the given issue types."""
        self.workflows[workflow.name] = workflow
        for type_id in issue_type_ids:
            self.workflow_scheme[type_id] = workflow.name
        return workflow

    def remove_status(self, status_id: str) -> None:
        """Take a status out of every workflow and delete it, as a Jira admin would; refused (ValueError) while an
        issue is in it (Jira asks to move those issues first)."""
        if any(issue.fields.get("status") == status_id for issue in self.issues.values()):
            raise ValueError(f"issues are in status {status_id}: move them to another status first")
        for workflow in self.workflows.values():
            workflow.status_ids = tuple(s for s in workflow.status_ids if s != status_id)
            kept = []
            for transition in workflow.transitions:
                sources = tuple(f for f in transition.from_ids if f != status_id)
                if transition.to_id == status_id or (transition.from_ids and not sources):
                    continue  # into the removed status, or only out of it (no `from` would make it global)
                kept.append(replace(transition, from_ids=sources))
            workflow.transitions = kept
        self.statuses.pop(status_id, None)

    def workflow_for(self, issue_type_id) -> Workflow:
        """The workflow issues of a type follow."""
        return self.workflows[self.workflow_scheme.get(str(issue_type_id), defaults.DEFAULT_WORKFLOW)]

    def initial_status_id(self, issue_type_id) -> str:
        """The status a new issue of a type starts in."""
        return self.workflow_for(issue_type_id).initial_status_id

    def available_transitions(self, issue: Issue) -> list:
        """The transitions of the issue's workflow valid from its current status."""
        current = issue.fields.get("status")
        transitions = self.workflow_for(issue.fields.get("issuetype")).transitions
        return [t for t in transitions if not t.from_ids or current in t.from_ids]

    # -- custom field configuration ----------------------------------------------------------------
    def delete_field(self, field_id: str) -> None:
        """Delete a custom field and its values on every issue (history keeps what it was)."""
        self.fields.pop(field_id, None)
        for issue in self.issues.values():
            issue.fields.pop(field_id, None)

    def remove_option(self, fdef, option_id: str) -> None:
        """Remove a select option; issues that had it lose it, without history or an `updated` bump."""
        fdef.options = [(i, value) for i, value in fdef.options if i != option_id]
        for issue in self.issues.values():
            value = issue.fields.get(fdef.id)
            if isinstance(value, list) and option_id in value:
                issue.fields[fdef.id] = [v for v in value if v != option_id]
            elif value == option_id:
                issue.fields[fdef.id] = None
