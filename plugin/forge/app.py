"""`python -m plugin forge-app --out DIR`: the deployable Forge app whose remote is this backend.

The manifest is the Forge rendering of the module list the Connect descriptor is made from
(`descriptor.modules`): each view becomes a Custom UI module whose resource is the same page (template, page
scripts, AUI) rendered once for Forge — `transport-forge.js` instead of `transport-connect.js`, the page's facts
filled in from `view.getContext()` — and each event a product event of the events trigger. The scopes are the
OAuth 2.0 scopes of the Jira operations the app calls (`operations.json`, copied from Atlassian's OpenAPI: the
classic ones, or the granular ones of an operation that lists no classic scope), plus `read:app-system-token`
for the endpoints' system token. They are declared as a map so that the ones worklogs written as their person
need carry `allowImpersonation: true` (Forge's offline user impersonation, `plugin.forge.impersonation`).
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml

from descriptor import modules
from plugin import resources

PLACEHOLDER_APP_ID = "ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000"
RUNTIME = "nodejs22.x"  # app.runtime.name: the schema requires one even for an app without functions
REMOTE = "work-sync"
SYSTEM_TOKEN_SCOPE = "read:app-system-token"
# What a mirror worklog written as its person needs (read with its properties, create, edit, delete): nothing more
# may act as a person.
IMPERSONATING = frozenset({"read:jira-work", "write:jira-work"})
UI_ENDPOINT = "ws-ui"
LIFECYCLE_ENDPOINT, EVENTS_ENDPOINT, SCHEDULED_ENDPOINT = "ws-lifecycle", "ws-events", "ws-scheduled"
ROUTES = {UI_ENDPOINT: None, LIFECYCLE_ENDPOINT: "/forge/lifecycle", EVENTS_ENDPOINT: "/forge/events",
          SCHEDULED_ENDPOINT: "/forge/scheduled"}
OPERATIONS = Path(__file__).resolve().parent / "operations.json"
BRIDGE = "static/forge-bridge.js"
_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
PAGE_FACTS = {"project": {"key": "@@ws.project.key@@", "id": "@@ws.project.id@@"},
              "issue": {"key": "@@ws.issue.key@@", "id": "@@ws.issue.id@@"}}


@dataclass(frozen=True)
class ForgeApp:
    """What was written: the folder and the manifest as a document."""
    out: Path
    manifest: dict


@lru_cache(maxsize=1)
def operations() -> dict[str, list[str]]:
    """{"METHOD /rest/api/3/...": classic scopes} of every Jira operation the app calls."""
    return json.loads(OPERATIONS.read_text(encoding="utf-8"))


def scopes() -> dict[str, dict[str, bool]]:
    """permissions.scopes in the map form: what the operations need and the system token's scope, the worklog
    scopes with `allowImpersonation: true`."""
    needed = {scope for found in operations().values() for scope in found}
    return {scope: {"allowImpersonation": True} if scope in IMPERSONATING else {}
            for scope in sorted(needed | {SYSTEM_TOKEN_SCOPE})}


def manifest(base_url: str, app_id: str | None, regions: tuple[tuple[str, str], ...] = ()) -> dict:
    """The manifest document for a backend at `base_url` (and, for data residency, at each region's URL)."""
    page_modules: dict[str, list[dict]] = {}
    for view in modules.VIEWS:
        module = {"key": view.forge_key, "resource": view.name, "resolver": {"endpoint": UI_ENDPOINT},
                  "title": view.title}
        if view.label:
            module["label"] = view.label
        page_modules.setdefault(view.forge_module, []).append(module)
    endpoints = []
    for key, path in ROUTES.items():
        endpoint: dict = {"key": key, "remote": REMOTE}
        if path:
            endpoint["route"] = {"path": path}
        endpoint["auth"] = {"appSystemToken": {"enabled": True}}
        endpoints.append(endpoint)
    base = base_url.rstrip("/")
    return {
        "app": {"id": app_id or PLACEHOLDER_APP_ID, "runtime": {"name": RUNTIME}},
        "modules": {
            **page_modules,
            "trigger": [
                {"key": "ws-lifecycle-trigger", "endpoint": LIFECYCLE_ENDPOINT,
                 "events": list(modules.FORGE_LIFECYCLE)},
                {"key": "ws-events-trigger", "endpoint": EVENTS_ENDPOINT, "events": modules.forge_events()},
            ],
            "scheduledTrigger": [{"key": "ws-poll", "endpoint": SCHEDULED_ENDPOINT, "interval": "fiveMinute"}],
            "endpoint": endpoints,
        },
        "remotes": [{"key": REMOTE, "baseUrl": {"default": base, **dict(regions)} if regions else base,
                     "operations": ["storage", "compute", "fetch"],
                     "storage": {"inScopeEUD": True}}],
        "resources": [{"key": view.name, "path": f"static/{view.name}"} for view in modules.VIEWS],
        "permissions": {"scopes": scopes(), "external": {"fetch": {"backend": [{"remote": REMOTE}]}}},
    }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(resources.templates_dir())), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(url_for=lambda _endpoint, filename: f"static/{filename}", csp_nonce=lambda: "")
    return env


def page(view: modules.View, base_path: str) -> str:
    """A view's page as a Forge resource's index.html: the Connect page with the Forge transport."""
    html = _environment().get_template(view.template).render(
        tenant={"display_url": "@@ws.site@@", "base_url": "@@ws.site@@"}, account_id="@@ws.user@@",
        all_js_url=BRIDGE, base_path=base_path, transport_js="transport-forge.js",
        **({"project": PAGE_FACTS["project"]} if view.name == "project-settings" else {}),
        **({"issue": PAGE_FACTS["issue"], "project": {"key": ""}} if view.name == "issue-context" else {}),
    )
    html = html.replace(' nonce=""', "")
    head, body = html.split("<body>", 1)
    # The page scripts wait for the page's facts: transport-forge.js loads them, in order, once they are filled in.
    return head + "<body>" + _SCRIPT.sub(r'<script type="text/x-work-sync-later" src="\1"></script>', body)


def _bridge_placeholder() -> str:
    return ("// Replaced by `npm run build` with @forge/bridge (src/bridge.js bundled by esbuild); see README.md.\n"
            "if (!window.ForgeBridge) { console.error(\"Work Sync: run npm install && npm run build before forge"
            " deploy\"); }\n")


def package_json() -> dict:
    """package.json: @forge/bridge bundled into each resource by esbuild."""
    builds = [f"esbuild src/bridge.js --bundle --format=iife --outfile=static/{v.name}/{BRIDGE}"
              for v in modules.VIEWS]
    return {"name": "work-sync-forge", "version": "1.0.0", "private": True,
            "description": "The Forge app of a self-hosted Work Sync: Custom UI pages and triggers for its remote.",
            "scripts": {"build": " && ".join(builds)},
            "devDependencies": {"@forge/bridge": "^5.0.0", "esbuild": "^0.25.0"}}


BRIDGE_SOURCE = """// The one import of @forge/bridge: transport-forge.js reads it as window.ForgeBridge.
import { invokeRemote, router, showFlag, view } from "@forge/bridge";

window.ForgeBridge = window.ForgeBridge || { invokeRemote, router, showFlag, view };
"""


def readme(base_url: str, app_id: str | None) -> str:
    """The generated app's README: register, build, deploy, install."""
    return f"""# Work Sync — Forge app

Generated by `python -m plugin forge-app` for the Work Sync backend at {base_url}.
The Custom UI pages, the product events, the lifecycle events and a scheduled trigger (every five minutes)
all call that backend (the remote `{REMOTE}`); nothing runs on Forge's own functions.

1. `npm install -g @forge/cli` and `forge login`.
2. `forge register` — {"skip it: app.id is already " + app_id if app_id else "replaces the placeholder app.id"}.
   Set `FORGE_APP_ID` on the backend to the manifest's `app.id`.
3. `npm install && npm run build` — bundles `@forge/bridge` into each page's `{BRIDGE}`.
4. `forge deploy -e production`
5. `forge install --site SITE --product jira -e production` (SITE: `your-site.atlassian.net`).

Regenerate this folder after changing `APP_BASE_URL` (then deploy again: a changed remote is a major
version that the site's admin approves), keeping the registered app id with `--app-id`.
"""


def write(out: Path, base_url: str, base_path: str, app_id: str | None,
          regions: tuple[tuple[str, str], ...] = ()) -> ForgeApp:
    """Write the app into `out` (created; existing generated files are replaced)."""
    out.mkdir(parents=True, exist_ok=True)
    document = manifest(base_url, app_id, regions)
    header = "# Generated by `python -m plugin forge-app`; see README.md.\n"
    (out / "manifest.yml").write_text(header + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    (out / "package.json").write_text(json.dumps(package_json(), indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(readme(base_url, app_id), encoding="utf-8")
    (out / "src").mkdir(exist_ok=True)
    (out / "src" / "bridge.js").write_text(BRIDGE_SOURCE, encoding="utf-8")
    (out / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    static = resources.static_dir()
    for view in modules.VIEWS:
        folder = out / "static" / view.name
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(static, folder / "static", ignore=shutil.ignore_patterns("transport-connect.js"))
        (folder / BRIDGE).write_text(_bridge_placeholder(), encoding="utf-8")
        (folder / "index.html").write_text(page(view, base_path), encoding="utf-8")
    return ForgeApp(out, document)
