"""A tiny Connect app that judges the simulator's tokens independently, and the app as installed on a site.

The app checks every token the simulator sends it (RS256 lifecycle, HS256 lifecycle/webhooks/pages) and signs
its own REST calls with Atlassian's `atlassian-jwt`, never with the simulator's qsh code.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

import atlassian_jwt
import jwt as pyjwt
import requests
from atlassian_jwt.url_utils import hash_url
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask, jsonify, request

from jirasim.store.apps import Installation
from jirasim.store.site import Site
from jirasim.testing import RunningSimulator, loopback_server

APP_PATH = "/app"
EVENTS = ("jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated",
          "comment_deleted")


def _app_relative(full_path: str) -> str:
    """A request's path and query relative to the app's base URL (Connect signs that)."""
    return full_path[len(APP_PATH):]


class TestConnectApp:
    """A tiny Connect app under `/app` that records lifecycle calls, webhooks and pages and verifies their JWTs."""

    __test__ = False

    def __init__(self, sim_url: str, scopes=("READ", "WRITE"), key="work-sync-test", events=EVENTS):
        self.sim_url, self.scopes, self.key, self.events = sim_url, list(scopes), key, list(events)
        self.base_url = ""
        self.lifecycle: list[dict] = []
        self.webhooks: list[dict] = []
        self.fail_webhooks, self.fail_status = 0, 500
        self.hold_first: float = 0
        self.webhook_lock, self.another_arrived = threading.Lock(), threading.Event()
        self.install_status = 200
        self.tenants: dict[str, dict] = {}
        self.pages: list[dict] = []
        self.tokens: list[dict] = []
        self.webhook_filter: str | None = None
        self.flask = self._build()

    @property
    def descriptor_url(self) -> str:
        """Where the simulator fetches the descriptor."""
        return f"{self.base_url}/atlassian-connect.json"

    def descriptor(self) -> dict:
        """The app descriptor."""
        hook_filter = {"filter": self.webhook_filter} if self.webhook_filter else {}
        return {
            "key": self.key, "name": "Work Sync (test)", "baseUrl": self.base_url,
            "authentication": {"type": "jwt"}, "apiMigrations": {"signed-install": True, "context-qsh": True},
            "scopes": self.scopes,
            "lifecycle": {"installed": "/lifecycle/installed", "uninstalled": "/lifecycle/uninstalled",
                          "enabled": "/lifecycle/enabled", "disabled": "/lifecycle/disabled"},
            "modules": {
                "webhooks": [{"event": e, "url": "/webhooks/jira?e=" + e, **hook_filter} for e in self.events],
                "jiraProjectAdminTabPanels": [{"key": "ws-project", "name": {"value": "Work Sync"},
                                               "url": "/page/project?projectKey={project.key}&projectId={project.id}",
                                               "conditions": [{"condition": "has_project_permission",
                                                               "params": {"permission": "ADMINISTER_PROJECTS"}}]}],
                "adminPages": [{"key": "ws-admin", "name": {"value": "Work Sync"}, "url": "/page/admin",
                                "conditions": [{"condition": "user_is_admin"}]}],
                "jiraIssueGlances": [{"key": "ws-glance", "name": {"value": "Work Sync"},
                                      "content": {"type": "label", "label": {"value": "Synced"}},
                                      "target": {"type": "web_panel", "url": "/page/glance?issueKey={issue.key}"}}],
                "jiraIssueContexts": [{"key": "ws-context", "name": {"value": "Work Sync"},
                                       "content": {"type": "label", "label": {"value": "Synced"}},
                                       "target": {"type": "web_panel",
                                                  "url": "/page/context?issueKey={issue.key}"}}],
            },
        }

    def _verify_rs256(self, token: str) -> dict:
        header = pyjwt.get_unverified_header(token)
        pem = requests.get(f"{self.sim_url}/_keys/{header['kid']}", timeout=5)
        pem.raise_for_status()
        claims = pyjwt.decode(token, load_pem_public_key(pem.content), algorithms=["RS256"], audience=self.base_url)
        assert claims["qsh"] == hash_url("POST", _app_relative(request.full_path))
        return claims

    def _verify_hs256(self, token: str) -> dict:
        claims = pyjwt.decode(token, options={"verify_signature": False})
        secret = self.tenants[claims["iss"]]["sharedSecret"]
        claims = pyjwt.decode(token, secret, algorithms=["HS256"])
        if claims["qsh"] != "context-qsh":
            assert claims["qsh"] == hash_url(request.method, _app_relative(request.full_path))
        return claims

    def _build(self) -> Flask:
        app = Flask("connect_test_app")

        @app.get(f"{APP_PATH}/atlassian-connect.json")
        def descriptor():
            return jsonify(self.descriptor())

        @app.post(f"{APP_PATH}/lifecycle/<event>")
        def lifecycle(event):
            token = request.headers["Authorization"].split(" ", 1)[1]
            body = request.get_json()
            entry = {"event": event, "body": body, "alg": pyjwt.get_unverified_header(token)["alg"]}
            if event in ("installed", "uninstalled"):
                entry["claims"] = self._verify_rs256(token)
                if event == "installed":
                    if self.install_status != 200:
                        return "no thanks", self.install_status
                    self.tenants[body["clientKey"]] = body
            else:
                entry["claims"] = self._verify_hs256(token)
            self.lifecycle.append(entry)
            return "", 204

        @app.post(f"{APP_PATH}/webhooks/jira")
        def webhook():
            entry = {"headers": dict(request.headers), "body": request.get_json(silent=True),
                     "args": dict(request.args)}
            try:
                entry["claims"] = self._verify_hs256(request.headers["Authorization"].split(" ", 1)[1])
            except Exception as exc:  # recorded, asserted by tests
                entry["error"] = repr(exc)
            with self.webhook_lock:
                self.webhooks.append(entry)  # in order of arrival
                first = len(self.webhooks) == 1
                failing = self.fail_webhooks > 0
                self.fail_webhooks -= int(failing)
            if not first:
                self.another_arrived.set()
            elif self.hold_first:  # answer the first delivery only when another one came, or after hold_first s
                entry["overtaken"] = self.another_arrived.wait(self.hold_first)
            return ("boom", self.fail_status) if failing else ("", 204)

        @app.get(f"{APP_PATH}/page/<name>")
        def page(name):
            claims = self._verify_hs256(request.args["jwt"])
            self.pages.append({"name": name, "claims": claims, "args": dict(request.args)})
            all_js = f"{self.sim_url}/_static/all.js"
            return (f"<html><head><script src='{all_js}'></script></head><body><p id=page>{name}</p>"
                    "<p id=out></p><script>AP.context.getToken(function(t){"
                    f"fetch('{APP_PATH}/token', {{method:'POST', headers: {{'Authorization': 'JWT ' + t}}}})"
                    ".then(function(r){ return r.text(); }).then(function(x){"
                    "document.getElementById('out').textContent = x;"
                    "AP.flag.create({title: 'Work Sync', body: x, type: 'success'}); });});</script></body></html>")

        @app.post(f"{APP_PATH}/token")
        def token():
            claims = self._verify_hs256(request.headers["Authorization"].split(" ", 1)[1])
            self.tokens.append(claims)
            return "token ok " + claims["qsh"]

        return app


@contextmanager
def running_test_app(sim_url: str, **options) -> Iterator[TestConnectApp]:
    """A TestConnectApp served on a loopback port under `/app`, trusting the key server of `sim_url`."""
    app = TestConnectApp(sim_url, **options)
    with loopback_server(app.flask) as url:
        app.base_url = url + APP_PATH
        yield app


@dataclass
class InstalledApp:
    """The test app installed on one site of a running simulator, with the calls tests make as that app."""
    simulator: RunningSimulator
    app: TestConnectApp
    site_name: str = "acme"

    @property
    def url(self) -> str:
        """The simulator's base URL."""
        return self.simulator.base_url

    @property
    def site(self) -> Site:
        """The site the app is installed on."""
        return self.simulator.site(self.site_name)

    @property
    def installation(self) -> Installation:
        """The site's record of the installation."""
        return self.site.apps[self.app.key]

    def install(self, site_name: str | None = None) -> requests.Response:
        """Install (or reinstall) the app from its descriptor URL through the control API."""
        return requests.post(f"{self.url}/_sim/sites/{site_name or self.site_name}/install",
                             json={"descriptor_url": self.app.descriptor_url}, timeout=20)

    def lifecycle(self, action: str) -> requests.Response:
        """`disable`, `enable` or `uninstall` the app through the control API."""
        return requests.post(f"{self.url}/_sim/sites/{self.site_name}/{action}", json={"app_key": self.app.key},
                             timeout=20)

    def token(self, method: str, path: str, params=()) -> str:
        """The app's JWT for `method path?params`, signed as apps sign them (atlassian-jwt, iss = app key)."""
        query = urlencode(list(params.items()) if isinstance(params, dict) else list(params))
        return atlassian_jwt.encode_token(method, path + (f"?{query}" if query else ""), self.app.key,
                                          self.installation.shared_secret, timeout_secs=120)

    def call(self, method: str, path: str, params=(), *, token: str | None = None, site_name: str | None = None,
             **kw) -> requests.Response:
        """Call the site's REST API as the app (`token` overrides the correctly signed one)."""
        token = token or self.token(method, path, params)
        return requests.request(method, f"{self.simulator.site_url(site_name or self.site_name)}{path}",
                                params=list(params.items()) if isinstance(params, dict) else list(params),
                                headers={"Authorization": f"JWT {token}"}, timeout=10, **kw)

    def flush_webhooks(self) -> list[dict]:
        """Wait until every queued webhook is delivered; the simulator's delivery log."""
        flushed = requests.post(f"{self.url}/_sim/webhooks/flush", json={"timeout": 20}, timeout=30)
        assert flushed.status_code == 200 and flushed.json()["flushed"]
        return requests.get(f"{self.url}/_sim/webhooks", timeout=5).json()
