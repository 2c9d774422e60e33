"""The configuration every simulated site starts with: issue types, workflow, priorities, resolutions, fields.

Ids of issue types, statuses, custom fields, contexts and options are shifted by the site's `offset`, so two
sites never share them (as two real Jira sites, configured apart, do not); priority and resolution ids are
Jira's system ones, the same on every site.
"""
from __future__ import annotations

from jirasim.store.entities import (
    FieldDef,
    IssueType,
    Priority,
    Resolution,
    Status,
    StatusCategory,
    Transition,
    Workflow,
)

CATEGORIES = {
    "new": StatusCategory(2, "new", "To Do", "blue-gray"),
    "indeterminate": StatusCategory(4, "indeterminate", "In Progress", "yellow"),
    "done": StatusCategory(3, "done", "Done", "green"),
}


def _id(number: int, offset: int) -> str:
    return str(number + offset)


def issue_types(offset: int = 0) -> dict[str, IssueType]:
    """Task, Bug, Story, Epic and Sub-task (ids 10001.. on the first site)."""
    types = [IssueType(_id(10001, offset), "Task", description="A small, distinct piece of work."),
             IssueType(_id(10002, offset), "Bug", description="A problem or error."),
             IssueType(_id(10003, offset), "Story", description="A user story."),
             IssueType(_id(10004, offset), "Epic", hierarchy_level=1, description="A big user story."),
             IssueType(_id(10005, offset), "Sub-task", subtask=True, hierarchy_level=-1,
                       description="A part of a task.")]
    return {t.id: t for t in types}


def statuses(offset: int = 0) -> dict[str, Status]:
    """To Do, In Progress, Done (ids 10000, 3, 10001 on the first site)."""
    found = [Status(_id(10000, offset), "To Do", CATEGORIES["new"]),
             Status(_id(3, offset), "In Progress", CATEGORIES["indeterminate"]),
             Status(_id(10001, offset), "Done", CATEGORIES["done"])]
    return {s.id: s for s in found}


FIRST_FREE_STATUS = 10002
DEFAULT_WORKFLOW = "Software Simplified Workflow"


def workflow(offset: int = 0) -> Workflow:
    """The workflow every issue type starts with; each transition is valid only from some statuses."""
    todo, progress, done = _id(10000, offset), _id(3, offset), _id(10001, offset)
    return Workflow(DEFAULT_WORKFLOW, (todo, progress, done), [
        Transition("21", "Start Progress", progress, (todo,)),
        Transition("31", "Done", done, (progress,)),
        Transition("11", "Reopen", todo, (done, progress)),
        Transition("41", "Resolve", done, (todo,))])


def resolutions() -> dict[str, Resolution]:
    """Done, Won't Do, Duplicate, Cannot Reproduce (Done is what the workflow sets)."""
    found = [Resolution("10000", "Done", "Work has been completed on this issue.", is_default=True),
             Resolution("10001", "Won't Do", "This issue won't be actioned."),
             Resolution("10002", "Duplicate", "The problem is a duplicate of an existing issue."),
             Resolution("10003", "Cannot Reproduce", "This issue could not be reproduced at this time.")]
    return {r.id: r for r in found}


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
    return FieldDef(f"customfield_{number}", name, kind, schema, custom=True, options=list(options),
                    context_id=str(number + 200))


def _options(offset: int, first: int, *values: str) -> list[tuple[str, str]]:
    return [(_id(first + i, offset), value) for i, value in enumerate(values)]


def fields(offset: int = 0) -> dict[str, FieldDef]:
    """System fields and custom fields customfield_10001.. (text, number, date, selects, user, textarea)."""
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
        _system("worklog", "Log Work", "worklog", "array", "worklog", orderable=False),
        _custom(10001 + offset, "Customer Reference", "string", "string", "textfield"),
        _custom(10002 + offset, "Story Points", "number", "number", "float"),
        _custom(10003 + offset, "Go-live Date", "date", "date", "datepicker"),
        _custom(10004 + offset, "Severity", "select", "option", "select",
                options=_options(offset, 10100, "Critical", "Major", "Minor")),
        _custom(10005 + offset, "Platforms", "multiselect", "array", "multiselect", "option",
                options=_options(offset, 10110, "Web", "iOS", "Android")),
        _custom(10006 + offset, "Reviewer", "user", "user", "userpicker"),
        _custom(10007 + offset, "Release Notes", "adf", "string", "textarea"),
    ]
    return {f.id: f for f in found}
