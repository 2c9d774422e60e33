"""What one side's project offers to map: issue types, fields (with kinds), statuses, priorities, options.

Read from that side's site with that site's own credentials, and kept briefly (a configure page asks often).
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from cachetools import TTLCache

from plugin.errors import RateLimited
from plugin.jira import JiraClient

log = logging.getLogger(__name__)

SYSTEM_KINDS = {"summary": "text", "description": "doc", "priority": "priority", "labels": "labels",
                "components": "components", "fixVersions": "versions", "duedate": "date", "assignee": "user",
                "reporter": "user"}
CUSTOM_KINDS = {"textfield": "text", "textarea": "doc", "float": "number", "datepicker": "date",
                "datetime": "datetime", "select": "option", "radiobuttons": "option", "multiselect": "options",
                "multicheckboxes": "options", "labels": "labels", "userpicker": "user"}
VERSION_DETAILS = ("releaseDate", "startDate", "released", "archived")  # kept by `syncDetails` with the description
# Filled by Jira itself, or by the issue type mapping, never by a field mapping.
NOT_MAPPABLE = {"project", "issuetype", "status", "resolution", "created", "updated", "creator", "attachment",
                "comment", "parent", "issuelinks", "subtasks", "watches", "votes", "worklog", "timetracking"}


def kind_of(field_json: dict) -> str | None:
    """The kind of value a field holds (text, doc, number, option, user, ...), None when we cannot sync it."""
    if field_json.get("id") in SYSTEM_KINDS:
        return SYSTEM_KINDS[field_json["id"]]
    custom = (field_json.get("schema") or {}).get("custom") or ""
    return CUSTOM_KINDS.get(custom.rsplit(":", 1)[-1]) if field_json.get("custom") else None


@dataclass(frozen=True)
class Field:
    """A field that can be mapped."""

    id: str
    name: str
    kind: str
    custom: bool


@dataclass
class SideMetadata:
    """Everything one side's project offers to a configuration (ids → names)."""

    site: str
    project_id: str
    project_key: str
    issue_types: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    statuses_by_type: dict[str, set[str]] = field(default_factory=dict)
    fields: dict[str, Field] = field(default_factory=dict)
    priorities: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, str]] = field(default_factory=dict)
    required: dict[str, set[str]] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, dict[str, str]] = field(default_factory=dict)  # "components"/"versions" → id → text
    version_details: dict[str, dict] = field(default_factory=dict)  # version id → VERSION_DETAILS as Jira gives them
    administers: bool = False  # the app's user may add versions and components (Administer Projects)
    attachments_enabled: bool = True
    upload_limit: int | None = None  # bytes the site accepts per attachment (`GET attachment/meta`)
    link_types: dict[str, str] = field(default_factory=dict)  # the site's issue link types, id → name
    levels: dict[str, int] = field(default_factory=dict)  # issue type id → hierarchyLevel (-1 sub-task, 0, 1 epic)

    def allowed_values(self, field_id: str) -> dict[str, str]:
        """The ids → names a value map may name for this field (priorities, or a select's options)."""
        if field_id == "priority":
            return self.priorities
        return self.options.get(field_id, {})

    def named(self, kind: str) -> dict[str, str]:
        """Name (lower case) → id of the project's components or versions (`kind` is the field kind)."""
        return {name.lower(): key for key, name in (self.components if kind == "components" else self.versions).items()}

    def remember(self, kind: str, item: dict) -> None:
        """Take a component or version this app just created or changed into the cached metadata (no re-read)."""
        key = str(item["id"])
        (self.components if kind == "components" else self.versions)[key] = item["name"]
        self.descriptions.setdefault(kind, {})[key] = item.get("description") or ""
        if kind == "versions":
            self.version_details[key] = {name: item.get(name) for name in VERSION_DETAILS}

    def replace(self, kind: str, items: list[dict]) -> None:
        """Take the project's components or versions as just read (`GET project/{id}/versions`), dropping the rest."""
        names = {str(item["id"]): item["name"] for item in items}  # built first: other passes read these meanwhile
        self.descriptions[kind] = {str(item["id"]): item.get("description") or "" for item in items}
        if kind == "components":
            self.components = names
        else:
            self.version_details = {str(v["id"]): {name: v.get(name) for name in VERSION_DETAILS} for v in items}
            self.versions = names

    def as_json(self) -> dict:
        """What the configure page shows: every choice with its id and name."""
        return {
            "site": self.site, "project": {"id": self.project_id, "key": self.project_key},
            "issueTypes": _choices(self.issue_types), "statuses": _choices(self.statuses),
            "statusesByType": {t: sorted(ids) for t, ids in self.statuses_by_type.items()},
            "fields": [{"id": f.id, "name": f.name, "kind": f.kind, "custom": f.custom}
                       for f in sorted(self.fields.values(), key=lambda f: (f.custom, f.name.lower()))],
            "priorities": _choices(self.priorities),
            "options": {fid: _choices(values) for fid, values in self.options.items()},
            "required": {t: sorted(ids) for t, ids in self.required.items()},
            "attachments": {"enabled": self.attachments_enabled, "uploadLimit": self.upload_limit},
            "administers": self.administers,
            "linkTypes": _choices(self.link_types),
            "hierarchyLevels": {key: self.levels.get(key, 0) for key in self.issue_types},
        }


def _choices(named: dict[str, str]) -> list[dict]:
    return [{"id": key, "name": name} for key, name in named.items()]


def read(jira: JiraClient, project_key: str) -> SideMetadata:
    """One side's metadata, read through its own JiraClient (about seven calls plus one per issue type)."""
    project = jira.project(project_key)
    meta = SideMetadata(site=jira.base_url, project_id=str(project["id"]), project_key=str(project["key"]))
    meta.components = {str(c["id"]): c["name"] for c in project.get("components") or []}
    meta.versions = {str(v["id"]): v["name"] for v in project.get("versions") or []}
    meta.version_details = {str(v["id"]): {name: v.get(name) for name in VERSION_DETAILS}
                            for v in project.get("versions") or []}
    meta.levels = {str(t["id"]): int(t.get("hierarchyLevel", -1 if t.get("subtask") else 0))
                   for t in project.get("issueTypes") or []}
    meta.descriptions = {kind: {str(x["id"]): x.get("description") or "" for x in project.get(kind) or []}
                         for kind in ("components", "versions")}
    settings = jira.attachment_settings()
    meta.attachments_enabled = bool(settings.get("enabled", True))
    meta.upload_limit = settings.get("uploadLimit") if isinstance(settings.get("uploadLimit"), int) else None
    meta.administers = "ADMINISTER_PROJECTS" in jira.my_permissions(meta.project_key, ["ADMINISTER_PROJECTS"])
    for issue_type in jira.project_statuses(meta.project_key):
        if issue_type.get("subtask"):  # a sub-task follows its parent (engine/hierarchy.py)
            meta.levels.setdefault(str(issue_type["id"]), -1)
        meta.issue_types[str(issue_type["id"])] = issue_type["name"]
        ids = set()
        for status in issue_type.get("statuses") or []:
            meta.statuses[str(status["id"])] = status["name"]
            ids.add(str(status["id"]))
        meta.statuses_by_type[str(issue_type["id"])] = ids
    for found in jira.fields():
        kind = kind_of(found)
        if kind and found.get("id") not in NOT_MAPPABLE:
            meta.fields[found["id"]] = Field(found["id"], found.get("name") or found["id"], kind,
                                             bool(found.get("custom")))
    meta.priorities = {str(p["id"]): p["name"] for p in jira.priorities()}
    meta.link_types = {str(t["id"]): t["name"] for t in jira.link_types()}
    for issue_type in jira.create_issue_types(meta.project_key):
        type_id = str(issue_type["id"])
        if type_id not in meta.issue_types:
            continue
        required = meta.required.setdefault(type_id, set())
        for create_field in jira.create_fields(meta.project_key, type_id):
            field_id = create_field.get("fieldId") or create_field.get("key")
            if field_id and create_field.get("required") and not create_field.get("hasDefaultValue"):
                required.add(field_id)
            values = create_field.get("allowedValues") or []
            if field_id in meta.fields and meta.fields[field_id].kind in ("option", "options") and values:
                meta.options.setdefault(field_id, {}).update(
                    {str(v["id"]): v.get("value") or v.get("name") or str(v["id"]) for v in values})
    return meta


class MetadataCache:
    """Each side's metadata for a few minutes, per (site, project); `refresh=True` reads it anew.

    A refresh is honoured at most once per (site, project) every REFRESH_INTERVAL seconds, shared by every caller
    (concurrent ones wait for one read); and each site may spend at most READS_PER_WINDOW fresh reads (about nine
    Jira calls each) per READ_WINDOW seconds on what pages ask, after which the cached copy answers, or 429.
    """

    REFRESH_INTERVAL = 30.0
    READS_PER_WINDOW = 30
    READ_WINDOW = 600.0

    def __init__(self, ttl: float = 300, size: int = 1000, clock: Callable[[], float] = time.monotonic,
                 shared: Callable[[], Any] | None = None):
        self._shared, self._ttl = shared, ttl  # a Redis every process reads: one read per site for all of them
        self._cache: TTLCache = TTLCache(maxsize=size, ttl=ttl)
        self._read_at: TTLCache = TTLCache(maxsize=size, ttl=max(ttl, self.REFRESH_INTERVAL))
        self._spent: dict[int, deque] = {}
        self._keys: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _key_lock(self, key: tuple) -> threading.Lock:
        with self._lock:
            if len(self._keys) > 10_000:
                self._keys.clear()
            return self._keys.setdefault(key, threading.Lock())

    def _spend(self, tenant_id: int, now: float) -> bool:
        """Take one fresh read from the site's budget; False when it is spent."""
        with self._lock:
            spent = self._spent.setdefault(tenant_id, deque())
            while spent and now - spent[0] > self.READ_WINDOW:
                spent.popleft()
            if len(spent) >= self.READS_PER_WINDOW:
                return False
            spent.append(now)
            return True

    def get(self, jira: JiraClient, tenant_id: int, project_key: str, refresh: bool = False) -> SideMetadata:
        """The cached metadata, or a fresh read through `jira` (a refresh within REFRESH_INTERVAL of the last read
        answers that read)."""
        key = (tenant_id, project_key)
        with self._key_lock(key):
            now = self._clock()
            with self._lock:
                found = self._cache.get(key)
                read_at = self._read_at.get(key)
            if found is not None and (not refresh or (read_at is not None and now - read_at < self.REFRESH_INTERVAL)):
                return found
            if found is None and not refresh:
                found = self._shared_get(key)
                if found is not None:  # another process read it (createmeta and all) a moment ago
                    with self._lock:
                        self._cache[key] = found
                    return found
            if not self._spend(tenant_id, now):
                if found is not None:
                    return found
                raise RateLimited("Work Sync has read this site's projects too often in the last few minutes: try "
                                  "again in a few minutes", retry_after=60)
            found = read(jira, project_key)
            with self._lock:
                self._cache[key] = found
                self._read_at[key] = self._clock()
            self._shared_set(key, found)
        return found

    def _shared_get(self, key: tuple) -> SideMetadata | None:
        if self._shared is None:
            return None
        try:
            raw = self._shared().get(_shared_key(key))
            return decode(raw) if raw else None
        except Exception as exc:  # Redis away or an older shape: read it from Jira
            log.info("shared metadata of %s not used: %s", key, type(exc).__name__)
            return None

    def _shared_set(self, key: tuple, meta: SideMetadata) -> None:
        if self._shared is None:
            return
        try:
            self._shared().set(_shared_key(key), encode(meta), ex=max(1, int(self._ttl)))
        except Exception as exc:
            log.info("metadata of %s not shared: %s", key, type(exc).__name__)

    def forget(self) -> None:
        """Drop every cached read and refresh time (tests, as if the interval had passed)."""
        with self._lock:
            self._cache.clear()
            self._read_at.clear()
        if self._shared is not None:
            try:
                connection = self._shared()
                for name in connection.scan_iter("ws:metadata:*"):
                    connection.delete(name)
            except Exception as exc:
                log.info("shared metadata not forgotten: %s", type(exc).__name__)


def _shared_key(key: tuple) -> str:
    return "ws:metadata:" + ":".join(str(part) for part in key)


def encode(meta: SideMetadata) -> str:
    """The metadata as JSON (sets as sorted lists), for the cache every process shares."""
    return json.dumps(asdict(meta), default=lambda value: sorted(value) if isinstance(value, set) else str(value))


def decode(text: str | bytes) -> SideMetadata:
    """The metadata from `encode`'s JSON."""
    data = json.loads(text)
    known = {f.name for f in fields(SideMetadata)}
    data = {name: value for name, value in data.items() if name in known}
    data["fields"] = {fid: Field(**found) for fid, found in (data.get("fields") or {}).items()}
    for name in ("statuses_by_type", "required"):
        data[name] = {key: set(values) for key, values in (data.get(name) or {}).items()}
    return SideMetadata(**data)
