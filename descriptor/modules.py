"""What Work Sync shows and hears inside Jira — one list, two renderings.

The Connect descriptor (`descriptor.render`, the `modules` of `atlassian-connect.json`) and the Forge manifest
(`plugin.forge.app`, `python -m plugin forge-app`) are both made from `VIEWS` and `EVENTS`: a view is one page
of ours (its template), shown by one Forge module and by one or more Connect modules; an event is one change
Jira announces, as a Connect webhook and/or a Forge product event.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ICON = {"width": 24, "height": 24, "url": "/static/glance-icon.svg"}
ISSUE_PANEL_URL = "/pages/issue-glance?issue.key={issue.key}&issue.id={issue.id}&project.key={project.key}"
ISSUE_PANEL = {"name": {"value": "Work Sync"}, "icon": ICON,
               "content": {"type": "label", "label": {"value": "Synced"}},
               "target": {"type": "web_panel", "url": ISSUE_PANEL_URL}, "jiraNativeAppsEnabled": False}


@dataclass(frozen=True)
class View:
    """One page of ours: its template, the Forge module that shows it, the Connect modules that show it."""
    name: str  # also the Forge resource's key and folder
    title: str
    template: str
    forge_module: str
    forge_key: str
    connect: tuple[tuple[str, dict], ...]  # (Connect module kind, the module as declared)
    label: str | None = None  # the Forge issue context's label


@dataclass(frozen=True)
class Event:
    """One change Jira announces: the Connect webhook (event, our URL) and the Forge product event."""
    connect: str | None
    url: str | None
    forge: str | None
    note: str = field(default="", compare=False)


VIEWS: tuple[View, ...] = (
    View("project-settings", "Work Sync", "project_settings.html", "jira:projectSettingsPage", "ws-project-settings",
         (("jiraProjectAdminTabPanels", {
             "key": "work-sync-project-settings", "name": {"value": "Work Sync"},
             "url": "/pages/project-settings?project.key={project.key}&project.id={project.id}", "weight": 100,
             "conditions": [{"condition": "has_project_permission", "params": {"permission": "ADMINISTER_PROJECTS"}}],
         }),)),
    View("admin", "Work Sync", "admin.html", "jira:adminPage", "ws-admin",
         (("adminPages", {
             "key": "work-sync-admin", "name": {"value": "Work Sync"}, "url": "/pages/admin",
             "location": "admin_plugins_menu/upm-admin-menu-none", "conditions": [{"condition": "user_is_admin"}],
         }),)),
    View("issue-context", "Work Sync", "issue_glance.html", "jira:issueContext", "ws-issue-context",
         (("jiraIssueGlances", {"key": "work-sync-glance", **ISSUE_PANEL}),
          ("jiraIssueContexts", {"key": "work-sync-issue-context", **ISSUE_PANEL})),
         label="Synced"),
)

EVENTS: tuple[Event, ...] = (
    Event("jira:issue_created", "/webhooks/issue-created", "avi:jira:created:issue"),
    Event("jira:issue_updated", "/webhooks/issue-updated", "avi:jira:updated:issue"),
    Event("jira:issue_deleted", "/webhooks/issue-deleted", "avi:jira:deleted:issue"),
    Event("comment_created", "/webhooks/comment-created", "avi:jira:commented:issue",
          "Forge sends avi:jira:commented:issue each time a comment is created or edited"),
    Event("comment_updated", "/webhooks/comment-updated", None,
          "Forge has no comment-edited event: an edit arrives as avi:jira:commented:issue (and the poll catches"
          " it by the comment's updated)"),
    Event("comment_deleted", "/webhooks/comment-deleted", "avi:jira:deleted:comment"),
    Event("issuelink_created", "/webhooks/issuelink-created", None,
          "Forge: a new link is in the changelog of both issues, announced as avi:jira:updated:issue"),
    Event("issuelink_deleted", "/webhooks/issuelink-deleted", None,
          "Forge: a removed link is in the changelog of both issues, announced as avi:jira:updated:issue"),
    Event(None, None, "avi:jira:created:attachment", "Connect: the poll finds attachments"),
    Event(None, None, "avi:jira:deleted:attachment", "Connect: the poll finds attachments"),
)

# The Forge lifecycle events (Connect has its own lifecycle URLs in the descriptor template).
FORGE_LIFECYCLE = ("avi:forge:installed:app", "avi:forge:upgraded:app")


def connect_modules() -> dict[str, list[dict]]:
    """The Connect `modules` entries made from the list: page modules by kind, then the webhooks."""
    modules: dict[str, list[dict]] = {}
    for view in VIEWS:
        for kind, module in view.connect:
            modules.setdefault(kind, []).append(module)
    modules["webhooks"] = [{"event": e.connect, "url": e.url, "excludeBody": False} for e in EVENTS if e.connect]
    return modules


def forge_events() -> list[str]:
    """The Forge product events the app subscribes to, in list order."""
    return [e.forge for e in EVENTS if e.forge]
