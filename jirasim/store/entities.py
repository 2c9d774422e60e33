"""Plain data records of a simulated Jira site: users, projects, workflow, fields, issues and their parts."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from jirasim.store.clock import rendering_zone


def now() -> datetime:
    """The current time, UTC, millisecond precision."""
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def jira_time(moment: datetime | None) -> str | None:
    """Jira's timestamp format in the viewer's time zone, e.g. `2026-11-29T05:40:02.123+0100`."""
    if moment is None:
        return None
    moment = moment.astimezone(rendering_zone())
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}" + moment.strftime("%z")


@dataclass
class User:
    """A Jira user: a human (accountType atlassian) or an app user (accountType app)."""
    account_id: str
    display_name: str
    email: str = ""
    email_visible: bool = True
    active: bool = True
    account_type: str = "atlassian"
    api_token: str = "token"
    app_key: str | None = None
    groups: set = field(default_factory=set)
    time_zone: str = "UTC"

    @property
    def is_app(self) -> bool:
        """True for an app user."""
        return self.account_type == "app"


@dataclass
class Component:
    """A project component."""
    id: str
    name: str
    project_id: str
    description: str = ""
    lead_id: str | None = None
    assignee_type: str = "PROJECT_DEFAULT"


@dataclass
class Version:
    """A project version (fixVersions / versions)."""
    id: str
    name: str
    project_id: str
    released: bool = False
    archived: bool = False
    description: str = ""
    release_date: str | None = None
    start_date: str | None = None


@dataclass
class Project:
    """A software project with its permission grants (accountId -> set of project permission keys)."""
    id: str
    key: str
    name: str
    lead_id: str | None = None
    description: str = ""
    grants: dict = field(default_factory=dict)
    components: list = field(default_factory=list)
    versions: list = field(default_factory=list)
    next_number: int = 1
    screens: Screens = field(default_factory=lambda: Screens())


@dataclass
class Screens:
    """A project's screens, as the fields left off the defaults (see `store.screens`) and per-transition screens."""
    create_hidden: set = field(default_factory=set)
    edit_hidden: set = field(default_factory=set)
    transitions: dict = field(default_factory=dict)  # transition id -> field ids on its screen, or None: no screen


@dataclass
class IssueType:
    """An issue type."""
    id: str
    name: str
    subtask: bool = False
    hierarchy_level: int = 0
    description: str = ""


@dataclass
class StatusCategory:
    """A status category (new, indeterminate, done)."""
    id: int
    key: str
    name: str
    color: str


@dataclass
class Status:
    """A workflow status."""
    id: str
    name: str
    category: StatusCategory


@dataclass
class Transition:
    """A workflow transition; `from_ids` empty means a global transition."""
    id: str
    name: str
    to_id: str
    from_ids: tuple = ()


@dataclass
class Workflow:
    """A workflow: its statuses (the first is where issues start) and transitions; issue types map to one."""
    name: str
    status_ids: tuple
    transitions: list

    @property
    def initial_status_id(self) -> str:
        """The status a new issue of this workflow starts in."""
        return self.status_ids[0]


@dataclass
class Resolution:
    """An issue resolution."""
    id: str
    name: str
    description: str = ""
    is_default: bool = False


@dataclass
class Priority:
    """An issue priority."""
    id: str
    name: str
    is_default: bool = False


@dataclass
class FieldDef:
    """A field: `kind` is how values are parsed and rendered (string, adf, number, date, select, ...)."""
    id: str
    name: str
    kind: str
    schema: dict
    custom: bool = False
    options: list = field(default_factory=list)  # [(id, value)]
    orderable: bool = True
    searchable: bool = True
    context_id: str | None = None  # the one (global) context of a custom field, which holds its options


@dataclass
class ChangeGroup:
    """One changelog history entry: who, when, which field changes."""
    id: str
    author_id: str | None
    created: datetime
    items: list
    history_metadata: dict | None = None


@dataclass
class Comment:
    """A comment with an ADF body and optional visibility restriction."""
    id: str
    author_id: str
    body: dict
    created: datetime
    updated: datetime
    update_author_id: str
    visibility: dict | None = None
    properties: dict = field(default_factory=dict)


@dataclass
class Attachment:
    """An attachment and its bytes."""
    id: str
    issue_id: str
    filename: str
    mime_type: str
    content: bytes
    author_id: str
    created: datetime
    media_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))  # the unguessable download URL

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.content)


@dataclass
class RemoteLink:
    """A remote issue link."""
    id: str
    global_id: str | None
    application: dict
    relationship: str | None
    object: dict


@dataclass
class Issue:
    """An issue: internal field values keyed by field id, plus changelog, comments, attachments, properties."""
    id: str
    key: str
    project_id: str
    fields: dict
    changelog: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    properties: dict = field(default_factory=dict)
    remote_links: list = field(default_factory=list)
    links: list = field(default_factory=list)  # IssueLink records this issue takes part in (shared with the other)
    writes: list = field(default_factory=list)  # [(epoch_ms, snapshot-before-write or None if created)]


@dataclass
class IssueLinkType:
    """A kind of link between issues: `source <outward> destination`, `destination <inward> source`."""
    id: str
    name: str
    inward: str
    outward: str


@dataclass
class IssueLink:
    """A link from a source issue (REST `inwardIssue`) to a destination issue (REST `outwardIssue`)."""
    id: str
    type: IssueLinkType
    source_id: str
    destination_id: str
