"""Comment visibility: restrictions to a project role or a group, and who may see a restricted comment."""
from __future__ import annotations

ROLES = {"Administrators": "ADMINISTER_PROJECTS", "Developers": "BROWSE_PROJECTS", "Users": "BROWSE_PROJECTS"}
GROUPS = {"jira-administrators", "jira-software-users", "atlassian-addons"}


def can_see(site, issue, comment, user) -> bool:
    """True if a comment's visibility restriction lets `user` see it."""
    vis = comment.visibility
    if not vis:
        return True
    if vis.get("type") == "role":
        return site.can(user, ROLES.get(vis.get("value"), "ADMINISTER_PROJECTS"), site.projects[issue.project_id])
    return user is not None and (vis.get("value") in user.groups or user.is_app)


def visible_comments(site, issue, user) -> list:
    """The comments of an issue the user may see."""
    return [c for c in issue.comments if can_see(site, issue, c, user)]
