"""A tiny Forge remote that verifies every FIT on its own (pyjwt + the simulator's JWKS), a test app's manifest,
and the app as installed on a site of a running simulator.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import jwt as pyjwt
import requests
import yaml
from flask import Flask, jsonify, request

from jirasim.testing import RunningSimulator, loopback_server

APP_ID = "ari:cloud:ecosystem::app/8db33809-1f32-48bb-8c52-5877dab48107"
EVENTS = ["avi:jira:created:issue", "avi:jira:updated:issue", "avi:jira:deleted:issue", "avi:jira:commented:issue",
          "avi:jira:deleted:comment", "avi:jira:created:attachment", "avi:jira:deleted:attachment"]
FAST = {"timeout": 0.5, "retry_delays": [0.01], "scatter": 0}


def manifest(app_id: str = APP_ID, *, scopes=("read:jira-work", "write:jira-work", "read:app-system-token"),
             events=EVENTS, ignore_self=False, base_url="https://work-sync.example.com", title="Work Sync") -> dict:
    """The test app's manifest (what `python -m plugin forge-app` would write), as a document."""
    def endpoint(key, path=None):
        found = {"key": key, "remote": "work-sync", "auth": {"appSystemToken": {"enabled": True}}}
        return {**found, "route": {"path": path}} if path else found
    ui = {"resource": "main", "resolver": {"endpoint": "ws-ui"}, "title": title}
    events_trigger = {"key": "ws-events", "endpoint": "ws-events", "events": list(events)}
    if ignore_self:
        events_trigger["filter"] = {"ignoreSelf": True}
    return {
        "app": {"id": app_id, "runtime": {"name": "nodejs22.x"}},
        "modules": {
            "jira:projectSettingsPage": [{"key": "ws-project", **ui}],
            "jira:adminPage": [{"key": "ws-admin", **ui}],
            "jira:issueContext": [{"key": "ws-context", **ui, "label": "Synced"}],
            "trigger": [{"key": "ws-lifecycle", "endpoint": "ws-lifecycle",
                         "events": ["avi:forge:installed:app", "avi:forge:upgraded:app"]}, events_trigger],
            "scheduledTrigger": [{"key": "ws-poll", "endpoint": "ws-scheduled", "interval": "fiveMinute"}],
            "endpoint": [endpoint("ws-ui"), endpoint("ws-lifecycle", "/forge/lifecycle"),
                         endpoint("ws-events", "/forge/events"), endpoint("ws-scheduled", "/forge/scheduled")],
        },
        "remotes": [{"key": "work-sync", "baseUrl": base_url}],
        "resources": [{"key": "main", "path": "static/main"}],
        "permissions": {"scopes": dict(scopes) if isinstance(scopes, dict) else list(scopes)},
    }


def text(document: dict) -> str:
    """A manifest document as manifest.yml text."""
    return yaml.safe_dump(document, sort_keys=False)


class TestRemote:
    """A remote backend at the root of its port: records Forge's requests with their verified FITs, answers as told."""

    __test__ = False

    def __init__(self, sim_url: str, app_id: str = APP_ID):
        self.sim_url, self.app_id = sim_url, app_id
        self.base_url = ""
        self.jwks = pyjwt.PyJWKClient(f"{sim_url}/_forge/.well-known/jwks.json", cache_keys=True)
        self.received: list[dict] = []
        self.lock = threading.Lock()
        self.fail_status, self.failures, self.slow_seconds = 500, 0, 0.0
        self.flask = self._build()

    def verify(self, token: str, **options) -> dict:
        """The claims of a FIT, verified as a real remote does (RS256 key by kid, aud = app id, iss)."""
        key = self.jwks.get_signing_key_from_jwt(token).key
        return pyjwt.decode(token, key, algorithms=["RS256"], audience=self.app_id, issuer="forge/invocation-token",
                            **options)

    def of(self, path: str) -> list[dict]:
        """The requests received on a path, in order of arrival."""
        with self.lock:
            return [r for r in self.received if r["path"] == path]

    def _record(self) -> dict:
        entry = {"path": request.path, "method": request.method, "headers": dict(request.headers),
                 "body": request.get_json(silent=True), "raw": request.get_data(as_text=True)}
        try:
            entry["claims"] = self.verify(request.headers["Authorization"].split(" ", 1)[1])
        except Exception as exc:  # recorded, asserted by the tests
            entry["error"] = repr(exc)
        with self.lock:
            self.received.append(entry)
            failing, self.failures = self.failures > 0, max(0, self.failures - 1)
        return {**entry, "failing": failing}

    def _build(self) -> Flask:
        app = Flask("forge_test_remote")

        @app.post("/forge/<kind>")
        def invocation(kind):
            entry = self._record()
            if entry["failing"] and self.slow_seconds:
                time.sleep(self.slow_seconds)  # an answer slower than Forge's timeout
            if entry["failing"]:
                return jsonify({"error": "boom"}), self.fail_status
            return "", 204

        @app.route("/api/<path:name>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
        def api(name):
            entry = self._record()
            if name == "html":
                return "<p>not json</p>", 418, {"Content-Type": "text/html"}
            claims = entry.get("claims") or {}
            return jsonify({"method": request.method, "path": request.full_path, "body": entry["body"],
                            "header": request.headers.get("X-Custom"), "principal": claims.get("principal"),
                            "extension": (claims.get("context") or {}).get("extension")}), 201
        return app


@contextmanager
def running_remote(sim_url: str, **options) -> Iterator[TestRemote]:
    """A TestRemote served on a loopback port (paths resolve against a remote's base URL by the URL Standard)."""
    remote = TestRemote(sim_url, **options)
    with loopback_server(remote.flask) as url:
        remote.base_url = url
        yield remote


@dataclass
class ForgeApp:
    """The test app installed (or not yet) on one site, with the calls tests make as Forge and as the remote."""
    simulator: RunningSimulator
    remote: TestRemote
    site_name: str = "acme"
    document: dict = field(default_factory=manifest)
    resources: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The simulator's base URL."""
        return self.simulator.base_url

    def install(self, document: dict | None = None, **extra) -> requests.Response:
        """POST the manifest to the install control route, pointing its remote at the test remote."""
        body = {"manifest": text(document or self.document), "remote_base_url": self.remote.base_url,
                "resources": self.resources, **extra}
        return requests.post(f"{self.url}/_sim/sites/{self.site_name}/forge/install", json=body, timeout=20)

    def flush(self) -> list[dict]:
        """Wait until every Forge invocation has finished; the simulator's invocation log."""
        flushed = requests.post(f"{self.url}/_sim/forge/flush", json={"timeout": 20}, timeout=30)
        assert flushed.status_code == 200 and flushed.json()["flushed"]
        return requests.get(f"{self.url}/_sim/forge/invocations", timeout=5).json()

    def system_token(self) -> str:
        """The `x-forge-oauth-system` token of the latest invocation."""
        return next(r for r in reversed(self.remote.received) if "X-Forge-Oauth-System" in r["headers"]
                    )["headers"]["X-Forge-Oauth-System"]

    def api_base_url(self) -> str:
        """`app.apiBaseUrl` of the latest FIT."""
        return next(r for r in reversed(self.remote.received) if "claims" in r)["claims"]["app"]["apiBaseUrl"]

    def product_api(self, method: str, path: str, token: str | None = None, **kw) -> requests.Response:
        """Call the product API as the remote does: `{apiBaseUrl}{path}` with `Authorization: Bearer <system token>`."""
        return requests.request(method, self.api_base_url() + path, timeout=10,
                                headers={"Authorization": f"Bearer {token or self.system_token()}",
                                         "Accept": "application/json"}, **kw)

    def invoke(self, body: dict, account_id: str | None = None) -> requests.Response:
        """`POST {sim}/{site}/_forge/invoke-remote` as the person of the user-switcher cookie (a Custom UI's call)."""
        cookies = {f"jirasim_user_{self.site_name}": account_id} if account_id else {}
        return requests.post(f"{self.url}/{self.site_name}/_forge/invoke-remote", json=body, cookies=cookies,
                             timeout=30)
