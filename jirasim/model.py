"""Public names of the simulator's model (the implementation lives in `jirasim.store`)."""
from jirasim.store import NoFaults, Site, World, jira_time, now
from jirasim.store.entities import (Attachment, ChangeGroup, Comment, FieldDef, Issue, IssueType, Priority, Project,
                                    RemoteLink, Status, Transition, User)

__all__ = ["World", "Site", "NoFaults", "User", "Project", "Issue", "IssueType", "Status", "Transition", "Priority",
           "FieldDef", "Comment", "Attachment", "ChangeGroup", "RemoteLink", "jira_time", "now"]
