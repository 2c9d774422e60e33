"""Test helpers: serve a Flask app on a real port, a tiny Connect test app, and a minimal fake world."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from urllib.parse import urlsplit

import jwt as pyjwt
import requests
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from jirasim.connect.qsh import qsh


@contextmanager
def serve(app: Flask):
    """Run `app` on 127.0.0.1 (random port) in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


class TestConnectApp:
    """A tiny Connect app under `/app` that records lifecycle calls and webhooks and verifies their JWTs."""

    __test__ = False

    def __init__(self, scopes=("READ", "WRITE"), key="work-sync-test"):
        self.scopes, self.key = list(scopes), key
        self.base_url = ""
        self.sim_url = ""
        self.installs: list[dict] = []
        self.lifecycle: list[dict] = []
        self.webhooks: list[dict] = []
        self.fail_webhooks = 0
        self.install_status = 200
        self.tenants: dict[str, dict] = {}
        self.pages: list[dict] = []
        self.tokens: list[dict] = []
        self.webhook_filter: str | None = None
        self.flask = self._build()

    def descriptor(self) -> dict:
        """The app descriptor."""
        return {
            "key": self.key, "name": "Work Sync (test)", "baseUrl": self.base_url,
            "authentication": {"type": "jwt"}, "apiMigrations": {"signed-install": True, "context-qsh": True},
            "scopes": self.scopes,
            "lifecycle": {"installed": "/lifecycle/installed", "uninstalled": "/lifecycle/uninstalled",
                          "enabled": "/lifecycle/enabled", "disabled": "/lifecycle/disabled"},
            "modules": {
                "webhooks": [dict({"event": e, "url": "/webhooks/jira?e=" + e},
                                  **({"filter": self.webhook_filter} if self.webhook_filter else {}))
                             for e in ("jira:issue_created", "jira:issue_updated", "jira:issue_deleted",
                                       "comment_created", "comment_updated", "comment_deleted")],
                "jiraProjectAdminTabPanels": [{"key": "ws-project", "name": {"value": "Work Sync"},
                                               "url": "/page/project?projectKey={project.key}&projectId={project.id}",
                                               "conditions": [{"condition": "has_project_permission",
                                                               "params": {"permission": "ADMINISTER_PROJECTS"}}]}],
                "adminPages": [{"key": "ws-admin", "name": {"value": "Work Sync"}, "url": "/page/admin",
                                "conditions": [{"condition": "user_is_admin"}]}],
                "jiraIssueGlances": [{"key": "ws-glance", "name": {"value": "Work Sync"},
                                      "content": {"type": "label", "label": {"value": "Synced"}},
                                      "target": {"type": "web_panel", "url": "/page/glance?issueKey={issue.key}"}}],
            },
        }

    def _verify_rs256(self, token: str, path: str) -> dict:
        header = pyjwt.get_unverified_header(token)
        pem = requests.get(f"{self.sim_url}/_keys/{header['kid']}", timeout=5)
        pem.raise_for_status()
        key = load_pem_public_key(pem.content)
        claims = pyjwt.decode(token, key, algorithms=["RS256"], audience=self.base_url)
        assert claims["qsh"] == qsh("POST", path, (), "/app")
        return claims

    def _verify_hs256(self, token: str) -> dict:
        claims = pyjwt.decode(token, options={"verify_signature": False})
        secret = self.tenants[claims["iss"]]["sharedSecret"]
        claims = pyjwt.decode(token, secret, algorithms=["HS256"])
        if claims["qsh"] != "context-qsh":
            assert claims["qsh"] == qsh(request.method, request.path, list(request.args.items(multi=True)), "/app")
        return claims

    def _build(self) -> Flask:
        app = Flask("connect_test_app")

        @app.get("/app/atlassian-connect.json")
        def descriptor():
            return jsonify(self.descriptor())

        @app.post("/app/lifecycle/<event>")
        def lifecycle(event):
            token = request.headers["Authorization"].split(" ", 1)[1]
            body = request.get_json()
            entry = {"event": event, "body": body, "alg": pyjwt.get_unverified_header(token)["alg"]}
            if event in ("installed", "uninstalled"):
                entry["claims"] = self._verify_rs256(token, request.path)
                if event == "installed":
                    if self.install_status != 200:
                        return "no thanks", self.install_status
                    self.tenants[body["clientKey"]] = body
            else:
                entry["claims"] = self._verify_hs256(token)
            self.lifecycle.append(entry)
            return "", 204

        @app.post("/app/webhooks/jira")
        def webhook():
            entry = {"headers": dict(request.headers), "body": request.get_json(silent=True),
                     "args": dict(request.args)}
            try:
                entry["claims"] = self._verify_hs256(request.headers["Authorization"].split(" ", 1)[1])
            except Exception as exc:  # recorded, asserted by tests
                entry["error"] = repr(exc)
            self.webhooks.append(entry)
            if self.fail_webhooks > 0:
                self.fail_webhooks -= 1
                return "boom", 500
            return "", 204

        @app.get("/app/page/<name>")
        def page(name):
            claims = self._verify_hs256(request.args["jwt"])
            self.pages.append({"name": name, "claims": claims, "args": dict(request.args)})
            all_js = f"{self.sim_url}/_static/all.js"
            return (f"<html><head><script src='{all_js}'></script></head><body><p id=page>{name}</p>"
                    "<p id=out></p><script>AP.context.getToken(function(t){"
                    "fetch('/app/token', {method:'POST', headers: {'Authorization': 'JWT ' + t}})"
                    ".then(function(r){ return r.text(); }).then(function(x){"
                    "document.getElementById('out').textContent = x;"
                    "AP.flag.create({title: 'Work Sync', body: x, type: 'success'}); });});</script></body></html>")

        @app.post("/app/token")
        def token():
            claims = self._verify_hs256(request.headers["Authorization"].split(" ", 1)[1])
            self.tokens.append(claims)
            return "token ok " + claims["qsh"]

        return app


@contextmanager
def running_test_app(**kw):
    """A TestConnectApp served on a real port under `/app`."""
    app = TestConnectApp(**kw)
    with serve(app.flask) as url:
        app.base_url = url + "/app"
        yield app


def base_path(url: str) -> str:
    """Path part of a URL."""
    return urlsplit(url).path
