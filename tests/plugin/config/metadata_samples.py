"""Two sides' metadata as the configuration code sees it: names and ids that differ like two real sites."""
from plugin.config.metadata import Field, SideMetadata


def side(site: str, **overrides) -> SideMetadata:
    """A small project: Task/Bug types, To Do/Done statuses, a few fields of each kind, priorities, a select."""
    meta = SideMetadata(site=site, project_id="100", project_key="P")
    meta.issue_types = {"1": "Task", "2": "Bug"}
    meta.statuses = {"10": "To Do", "11": "In Progress", "12": "Done"}
    meta.statuses_by_type = {"1": {"10", "11", "12"}, "2": {"10", "12"}}
    meta.fields = {f.id: f for f in (
        Field("summary", "Summary", "text", False), Field("description", "Description", "doc", False),
        Field("priority", "Priority", "priority", False), Field("labels", "Labels", "labels", False),
        Field("assignee", "Assignee", "user", False), Field("duedate", "Due date", "date", False),
        Field("customfield_1", "Severity", "option", True), Field("customfield_2", "Story Points", "number", True),
        Field("customfield_3", "Customer Reference", "text", True))}
    meta.priorities = {"1": "High", "2": "Medium", "3": "Low"}
    meta.options = {"customfield_1": {"100": "Critical", "101": "Major"}}
    meta.required = {"1": {"summary", "issuetype", "project", "reporter"}, "2": {"summary", "issuetype", "project"}}
    for key, value in overrides.items():
        setattr(meta, key, value)
    return meta


def globex() -> SideMetadata:
    """The other site: 'Defect' for Bug, other ids, Story Points as another custom field, a required field."""
    meta = side("https://globex.atlassian.net")
    meta.issue_types = {"7": "Task", "8": "Defect"}
    meta.statuses = {"20": "To Do", "21": "Doing", "22": "Done"}
    meta.fields = dict(meta.fields)
    meta.fields.pop("customfield_1")
    meta.fields.pop("customfield_2")
    meta.fields["customfield_9"] = Field("customfield_9", "Severity", "option", True)
    meta.fields["customfield_8"] = Field("customfield_8", "Story Points", "number", True)
    meta.priorities = {"5": "High", "6": "Medium", "7": "Lowest"}
    meta.options = {"customfield_9": {"900": "Critical", "901": "Major issue"}}
    meta.required = {"7": {"summary", "customfield_3"}, "8": {"summary"}}
    return meta
