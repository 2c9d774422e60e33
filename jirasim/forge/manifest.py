"""Read a Forge `manifest.yml`: app id, remotes, endpoints, the modules the simulator hosts, resources, scopes.

`parse` also runs a small structural check of its own (references between modules, endpoints and remotes;
intervals; keys); Atlassian's JSON schema is applied on top of it by `jirasim.forge.schema` when loaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

APP_ID = re.compile(r"^ari:cloud:ecosystem::app/[0-9a-fA-F-]{36}$")
KEY = re.compile(r"^[a-zA-Z0-9_-]+$")
UI_MODULES = ("jira:projectSettingsPage", "jira:adminPage", "jira:issueContext")
INTERVALS = ("fiveMinute", "hour", "day", "week")
LIFECYCLE_EVENTS = ("avi:forge:installed:app", "avi:forge:upgraded:app")


class ManifestError(Exception):
    """The manifest was refused; `problems` lists `{"path", "message"}` entries."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(f"{p['path']}: {p['message']}" for p in problems))
        self.problems = problems


@dataclass
class Endpoint:
    """An `endpoint` module: which remote, which route, and whether Forge sends an app system token."""
    key: str
    remote: str
    path: str = ""
    system_token: bool = False


@dataclass
class Trigger:
    """A `trigger` (events) or `scheduledTrigger` (interval) module served by an endpoint."""
    key: str
    endpoint: str
    events: list[str] = field(default_factory=list)
    ignore_self: bool = False
    interval: str | None = None


@dataclass
class UiModule:
    """A hosted Custom UI module (project settings page, admin page, issue context)."""
    kind: str
    key: str
    resource: str
    endpoint: str | None
    title: str


@dataclass
class Manifest:
    """What the simulator reads from a manifest; `data` is the whole parsed document."""
    data: dict
    app_id: str
    remotes: dict[str, str]
    endpoints: dict[str, Endpoint]
    ui_modules: list[UiModule]
    triggers: list[Trigger]
    scheduled: list[Trigger]
    resources: dict[str, str]
    scopes: list[str]
    pre_uninstall: list[Trigger] = field(default_factory=list)
    regional: dict[str, dict[str, str]] = field(default_factory=dict)  # remote key -> {region: baseUrl}
    impersonation: list[str] = field(default_factory=list)  # the scopes with `allowImpersonation: true`

    def remote_base(self, key: str, location: str | None) -> str:
        """A remote's base URL for an installation pinned to `location` (its region's URL, else `default`)."""
        return self.regional.get(key, {}).get(location or "", self.remotes.get(key, ""))

    def egress(self) -> set[str]:
        """Every base URL the app may send data to (regional ones included)."""
        return set(self.remotes.values()) | {url for urls in self.regional.values() for url in urls.values()}

    def ui_module(self, key: str) -> UiModule | None:
        """The hosted UI module with this key."""
        return next((m for m in self.ui_modules if m.key == key), None)

    def subscribers(self, event: str) -> list[Trigger]:
        """The triggers subscribed to an event."""
        return [t for t in self.triggers if event in t.events]


def _title(module: dict) -> str:
    title = module.get("title") or module.get("label") or module.get("key")
    return str(title.get("text", title) if isinstance(title, dict) else title)


def _scope_keys(scopes) -> list[str]:
    """Scope strings of `permissions.scopes`: a list, or the map form (scope → `{allowImpersonation}`)."""
    return [str(s.get("key") if isinstance(s, dict) else s) for s in scopes or []]


def _impersonation(scopes) -> list[str]:
    """The scopes of the map form marked `allowImpersonation: true` (the list form allows none)."""
    if not isinstance(scopes, dict):
        return []
    return [str(k) for k, v in scopes.items() if isinstance(v, dict) and v.get("allowImpersonation") is True]


def load(text: str) -> dict:
    """The YAML document as a mapping; ManifestError when it is not one."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ManifestError([{"path": "", "message": f"manifest.yml failed to parse content - {exc}"}]) from None
    if not isinstance(data, dict):
        raise ManifestError([{"path": "", "message": "manifest.yml must be a mapping"}])
    return data


def parse(data: dict) -> Manifest:
    """The Manifest of a parsed document, after the built-in structural check (ManifestError lists what is wrong)."""
    problems: list[dict] = []

    def problem(path: str, message: str) -> None:
        problems.append({"path": path, "message": message})

    app = data.get("app") if isinstance(data.get("app"), dict) else {}
    app_id = str(app.get("id") or "")
    if not APP_ID.match(app_id):
        problem("app.id", "must be an app ARI like ari:cloud:ecosystem::app/<uuid>")
    modules = data.get("modules") if isinstance(data.get("modules"), dict) else {}
    remotes: dict[str, str] = {}
    regional: dict[str, dict[str, str]] = {}
    for r in data.get("remotes") or []:
        if not isinstance(r, dict):
            continue
        base = r.get("baseUrl")
        if isinstance(base, dict):  # region-specific URLs: `default` and one per data residency region
            remotes[str(r.get("key"))] = str(base.get("default") or "").rstrip("/")
            regional[str(r.get("key"))] = {str(k): str(v).rstrip("/") for k, v in base.items() if k != "default"}
        else:
            remotes[str(r.get("key"))] = str(base or "").rstrip("/")
    resources = {str(r.get("key")): str(r.get("path") or "") for r in data.get("resources") or []
                 if isinstance(r, dict)}
    endpoints = {}
    for n, item in enumerate(modules.get("endpoint") or []):
        auth = (item.get("auth") or {}).get("appSystemToken") or {}
        endpoints[str(item.get("key"))] = Endpoint(str(item.get("key")), str(item.get("remote")),
                                                   str((item.get("route") or {}).get("path") or ""),
                                                   bool(auth.get("enabled")))
        if item.get("remote") not in remotes:
            problem(f"modules.endpoint.{n}.remote", f"no remote with key {item.get('remote')!r}")
    triggers, scheduled, ui_modules = [], [], []
    pre_uninstall = [Trigger(str(item.get("key")), str(item.get("endpoint") or ""))
                     for item in modules.get("preUninstall") or [] if item.get("endpoint")]
    for n, item in enumerate(modules.get("trigger") or []):
        events = item.get("events")
        if not isinstance(events, list) or not events:
            problem(f"modules.trigger.{n}.events", "must be a non-empty list of events")
            events = []
        triggers.append(Trigger(str(item.get("key")), str(item.get("endpoint") or ""), [str(e) for e in events],
                                bool((item.get("filter") or {}).get("ignoreSelf"))))
    for n, item in enumerate(modules.get("scheduledTrigger") or []):
        if item.get("interval") not in INTERVALS:
            problem(f"modules.scheduledTrigger.{n}.interval", f"must be one of {', '.join(INTERVALS)}")
        scheduled.append(Trigger(str(item.get("key")), str(item.get("endpoint") or ""),
                                 interval=str(item.get("interval"))))
    for kind in UI_MODULES:
        for n, item in enumerate(modules.get(kind) or []):
            if item.get("resource") not in resources:
                problem(f"modules.{kind}.{n}.resource", f"no resource with key {item.get('resource')!r}")
            ui_modules.append(UiModule(kind, str(item.get("key")), str(item.get("resource")),
                                       (item.get("resolver") or {}).get("endpoint"), _title(item)))
    for kind, items in (("trigger", triggers), ("scheduledTrigger", scheduled), ("preUninstall", pre_uninstall)):
        for n, trigger in enumerate(items):
            if trigger.endpoint not in endpoints:
                problem(f"modules.{kind}.{n}.endpoint", f"no endpoint with key {trigger.endpoint!r}")
    for module in ui_modules:
        if module.endpoint is not None and module.endpoint not in endpoints:
            problem(f"modules.{module.kind}.resolver.endpoint", f"no endpoint with key {module.endpoint!r}")
    for kind, items in modules.items():
        for n, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict) or not KEY.match(str(item.get("key") or "")):
                problem(f"modules.{kind}.{n}.key", "must match ^[a-zA-Z0-9_-]+$")
    if problems:
        raise ManifestError(problems)
    declared = (data.get("permissions") or {}).get("scopes")
    return Manifest(data, app_id, remotes, endpoints, ui_modules, triggers, scheduled, resources,
                    _scope_keys(declared), pre_uninstall, regional, _impersonation(declared))
