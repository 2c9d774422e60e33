"""A minimal stand-in for CORE's World/Site, enough to test the Connect host side on its own."""
from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, g, jsonify, request

import jirasim.connect
from jirasim.connect.auth import JiraError, authenticate_app
from tests.jirasim.connect.support import serve

_ids = itertools.count(10000)


@dataclass
class User:
    account_id: str
    display_name: str
    is_app: bool = False
    admin: bool = False
    email: str = ""
    api_token: str = "token"


@dataclass
class Site:
    name: str
    base_url: str
    users: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)

    def add_app_user(self, app_key):
        for user in self.users.values():
            if user.is_app and user.display_name == app_key:
                return user
        user = User(f"app-{app_key}-{self.name}", app_key, True)
        self.users[user.account_id] = user
        return user


class World:
    def __init__(self):
        self.sites: dict[str, Site] = {}
        self.base_url = ""
        self.lock = threading.RLock()
        self.listeners = []
        self.faults = None
        self.calls = Counter()
        self.request_log = []
        self.search_index: dict[str, list] = {}

    def add_site(self, name):
        site = Site(name, f"{self.base_url}/{name}")
        for account_id, display, admin in (("u-alice", "Alice Admin", True), ("u-bob", "Bob User", False)):
            site.users[account_id] = User(account_id, display, admin=admin, email=f"{account_id}@example.com")
        self.sites[name] = site
        return site

    def emit(self, site, event, key):
        issue_id = str(next(_ids))
        payload = {"webhookEvent": event, "timestamp": int(time.time() * 1000),
                   "issue": {"id": issue_id, "key": key, "fields": {"project": {"id": "10000", "key": "A"}}}}
        for listener in list(self.listeners):
            listener(site, payload)


def create_fake_app(world) -> Flask:
    app = Flask("fake_jirasim")
    app.register_blueprint(jirasim.connect.blueprint(world))

    @app.route("/<site>/rest/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
    def rest(site, rest):
        s = world.sites[site]
        endpoint = "/rest/" + rest
        world.calls[f"{request.method} {endpoint}"] += 1
        fault = world.faults.before_request(site, endpoint)
        world.request_log.append({"site": site, "method": request.method, "path": endpoint,
                                  "faults": list(g.get("jirasim_faults", []))})
        if fault is not None:
            return fault
        if request.authorization and request.authorization.type == "basic":
            user = next((u for u in s.users.values() if u.email == request.authorization.username
                         and u.api_token == request.authorization.password), None)
            if user is None:
                return jsonify({"errorMessages": ["bad credentials"]}), 401
        else:
            try:
                user = authenticate_app(s, request)
            except JiraError as exc:
                return jsonify({"errorMessages": [exc.message]}), exc.status
        if endpoint == "/rest/api/3/permissions/check":
            body = request.get_json()
            grants = {"globalPermissions": [p for p in body.get("globalPermissions", []) if user.admin],
                      "projectPermissions": [{"permission": p, "issues": [], "projects": pp["projects"]}
                                             for pp in body.get("projectPermissions", []) for p in pp["permissions"]
                                             if user.admin]}
            return jsonify(grants)
        handled = fake_rest(world, s, user, request.method, endpoint)
        if handled is not None:
            return handled
        if endpoint == "/rest/api/3/search/jql":
            lag = world.faults.search_lag_ms(site) / 1000
            now = time.time()
            keys = [k for k, t in world.search_index.get(site, []) if t + lag <= now]
            return jsonify({"issues": [{"key": k} for k in keys]})
        return jsonify({"accountId": user.account_id})

    return app


@contextmanager
def running_fake_sim(sites=("alpha", "beta")):
    world = World()
    holder = {}
    app = Flask("proxy")
    with serve(app) as url:
        world.base_url = url
        for name in sites:
            world.add_site(name)
        inner = create_fake_app(world)
        app.wsgi_app = inner.wsgi_app
        holder["app"] = inner
        yield world, url


PROJECT = {"id": "10000", "key": "A", "name": "Alpha project",
           "issueTypes": [{"id": "1", "name": "Task", "subtask": False}]}
STATUSES = {"11": "To Do", "21": "In Progress", "31": "Done"}


def fake_rest(world, site, user, method, endpoint):
    """Just enough of the REST API for the host pages (CORE implements the real one)."""
    issues = world.__dict__.setdefault("issues", {})
    parts = endpoint.split("/")[4:]
    body = request.get_json(silent=True) or {}
    if endpoint == "/rest/api/3/project/search":
        return jsonify({"values": [PROJECT]})
    if endpoint == "/rest/api/3/project/A":
        return jsonify(PROJECT)
    if endpoint == "/rest/api/3/priority":
        return jsonify([{"name": "High"}, {"name": "Medium"}])
    if endpoint == "/rest/api/3/search/jql" and user.account_id.startswith("u-"):
        return jsonify({"issues": [{"key": k, "fields": i} for k, i in issues.items()]})
    if endpoint == "/rest/api/3/issue" and method == "POST":
        key = f"A-{len(issues) + 1}"
        issues[key] = dict(body["fields"], project=PROJECT, status={"name": "To Do"}, comment={"comments": []},
                           attachment=[], labels=[])
        world.emit(site, "jira:issue_created", key)
        return jsonify({"key": key, "id": str(len(issues))}), 201
    if parts[:1] != ["issue"] or parts[1] not in issues:
        return None
    issue = issues[parts[1]]
    rest = parts[2:]
    if not rest and method == "GET":
        return jsonify({"key": parts[1], "id": "1" + parts[1][2:], "fields": issue})
    if not rest and method == "PUT":
        issue.update(body["fields"])
    elif rest == ["transitions"] and method == "GET":
        return jsonify({"transitions": [{"id": t, "name": n} for t, n in STATUSES.items()]})
    elif rest == ["transitions"]:
        issue["status"] = {"name": STATUSES[body["transition"]["id"]]}
    elif rest == ["assignee"]:
        issue["assignee"] = {"accountId": body["accountId"], "displayName": site.users[body["accountId"]].display_name}
    elif rest == ["comment"]:
        issue["comment"]["comments"].append({"author": {"displayName": user.display_name}, "body": body["body"]})
        return jsonify({}), 201
    elif rest == ["attachments"]:
        if request.headers.get("X-Atlassian-Token") != "no-check":
            return jsonify({"errorMessages": ["XSRF check failed"]}), 403
        f = request.files["file"]
        issue["attachment"].append({"filename": f.filename, "size": len(f.read())})
    else:
        return None
    return "", 204
