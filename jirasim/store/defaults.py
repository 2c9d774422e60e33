"""The configuration every simulated site starts with: issue types, workflow, priorities, fields."""
from __future__ import annotations

from jirasim.store.entities import FieldDef, IssueType, Priority, Status, StatusCategory, Transition

CATEGORIES = {
    "new": StatusCategory(2, "new", "To Do", "blue-gray"),
    "indeterminate": StatusCategory(4, "indeterminate", "In Progress", "yellow"),
    "done": StatusCategory(3, "done", "Done", "green"),
}


def issue_types() -> dict[str, IssueType]:
    """Task, Bug, Story, Epic and Sub-task."""
    types = [IssueType("10001", "Task", description="A small, distinct piece of work."),
             IssueType("10002", "Bug", description="A problem or error."),
             IssueType("10003", "Story", description="A user story."),
             IssueType("10004", "Epic", hierarchy_level=1, description="A big user story."),
             IssueType("10005", "Sub-task", subtask=True, hierarchy_level=-1, description="A part of a task.")]
    return {t.id: t for t in types}


def statuses() -> dict[str, Status]:
    """To Do, In Progress, Done."""
    found = [Status("10000", "To Do", CATEGORIES["new"]), Status("3", "In Progress", CATEGORIES["indeterminate"]),
             Status("10001", "Done", CATEGORIES["done"])]
    return {s.id: s for s in found}


INITIAL_STATUS_ID = "10000"


def transitions() -> list[Transition]:
    """The workflow's transitions, each valid only from some statuses."""
    return [Transition("21", "Start Progress", "3", ("10000",)),
            Transition("31", "Done", "10001", ("3",)),
            Transition("11", "Reopen", "10000", ("10001", "3")),
            Transition("41", "Resolve", "10001", ("10000",))]


def priorities() -> dict[str, Priority]:
    """Highest .. Lowest (Medium is the default)."""
    names = ["Highest", "High", "Medium", "Low", "Lowest"]
    return {str(i): Priority(str(i), name, name == "Medium") for i, name in enumerate(names, start=1)}


def _system(fid, name, kind, schema_type, items=None, orderable=True):
    schema = {"type": schema_type, "system": fid}
    if items:
        schema["items"] = items
    return FieldDef(fid, name, kind, schema, orderable=orderable)


def _custom(number, name, kind, schema_type, plugin, items=None, options=()):
    schema = {"type": schema_type, "custom": f"com.atlassian.jira.plugin.system.customfieldtypes:{plugin}",
              "customId": number}
    if items:
        schema["items"] = items
    return FieldDef(f"customfield_{number}", name, kind, schema, custom=True, options=list(options))


def fields() -> dict[str, FieldDef]:
    """System fields and the custom fields customfield_10001.. (text, number, date, selects, user, textarea)."""
    found = [
        _system("summary", "Summary", "string", "string"),
        _system("description", "Description", "adf", "string"),
        _system("issuetype", "Issue Type", "issuetype", "issuetype"),
        _system("project", "Project", "project", "project"),
        _system("status", "Status", "status", "status", orderable=False),
        _system("priority", "Priority", "priority", "priority"),
        _system("assignee", "Assignee", "user", "user"),
        _system("reporter", "Reporter", "user", "user"),
        _system("creator", "Creator", "user", "user", orderable=False),
        _system("labels", "Labels", "labels", "array", "string"),
        _system("components", "Components", "components", "array", "component"),
        _system("fixVersions", "Fix versions", "versions", "array", "version"),
        _system("duedate", "Due date", "date", "date"),
        _system("parent", "Parent", "parent", "issuelink"),
        _system("resolution", "Resolution", "resolution", "resolution", orderable=False),
        _system("created", "Created", "datetime", "datetime", orderable=False),
        _system("updated", "Updated", "datetime", "datetime", orderable=False),
        _system("attachment", "Attachment", "attachments", "array", "attachment", orderable=False),
        _system("issuelinks", "Linked Issues", "issuelinks", "array", "issuelinks"),
        _system("comment", "Comment", "comments", "comments-page", orderable=False),
        _custom(10001, "Customer Reference", "string", "string", "textfield"),
        _custom(10002, "Story Points", "number", "number", "float"),
        _custom(10003, "Go-live Date", "date", "date", "datepicker"),
        _custom(10004, "Severity", "select", "option", "select",
                options=[("10100", "Critical"), ("10101", "Major"), ("10102", "Minor")]),
        _custom(10005, "Platforms", "multiselect", "array", "multiselect", "option",
                options=[("10110", "Web"), ("10111", "iOS"), ("10112", "Android")]),
        _custom(10006, "Reviewer", "user", "user", "userpicker"),
        _custom(10007, "Release Notes", "adf", "string", "textarea"),
    ]
    return {f.id: f for f in found}
