"""A Jira site as the app sees it in unit tests: installs through the real lifecycle, signs like Jira.

The qsh comes from Atlassian's own `atlassian-jwt` library, never from the app's plugin.connect.qsh:
a judge that used the code under test would prove nothing.
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import jwt
from atlassian_jwt.url_utils import hash_url

from tests.support.install_keys import KeyServer


@dataclass
class SiteSigner:
    """Signs requests to the app the way Jira signs them for one installed site."""

    client_key: str
    base_url: str
    app_base_url: str
    shared_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    display_url: str | None = None

    @property
    def app_path(self) -> str:
        return urlsplit(self.app_base_url).path.rstrip("/")

    def payload(self, event: str = "installed", **overrides) -> dict:
        """The lifecycle body Jira sends."""
        body = {"key": "work-sync", "clientKey": self.client_key, "sharedSecret": self.shared_secret,
                "baseUrl": self.base_url, "displayUrl": self.display_url or self.base_url, "productType": "jira",
                "description": "Atlassian JIRA at " + self.base_url, "serverVersion": "100276",
                "pluginsVersion": "1001.0.0", "eventType": event}
        body.update(overrides)
        return body

    def token(self, method: str, path: str, query: str = "", *, sub: str | None = "user-1", lifetime: int = 180,
              iat: float | None = None, secret: str | None = None, claims: dict | None = None,
              context: bool = False) -> str:
        """An HS256 token for `method path?query` relative to the app's base path (or a context token)."""
        now = int(time.time() if iat is None else iat)
        body = {"iss": self.client_key, "iat": now, "exp": now + lifetime,
                "qsh": "context-qsh" if context else hash_url(method, f"{path}?{query}" if query else path)}
        if sub:
            body["sub"] = sub
        body.update(claims or {})
        return jwt.encode(body, secret or self.shared_secret, algorithm="HS256")

    def signed_url(self, path: str, params: dict | None = None, **token_options) -> str:
        """An iframe URL (relative to the app root) with the jwt query parameter Jira appends.

        Like Jira, the token's `context` claim carries the project and issue the URL's variables name.
        """
        params = params or {}
        query = urlencode(params)
        claims = {"context": page_context(params), **(token_options.pop("claims", None) or {})}
        token = self.token("GET", path, query, claims=claims, **token_options)
        return f"{path}?{query + '&' if query else ''}jwt={token}"


def page_context(params: dict) -> dict:
    """The `context` claim of a page token for these URL variables (project.key, project.id, issue.key, ...)."""
    jira = {}
    for kind in ("project", "issue"):
        if params.get(f"{kind}.key") and params.get(f"{kind}.id"):
            jira[kind] = {"id": str(params[f"{kind}.id"]), "key": params[f"{kind}.key"]}
    return {"jira": jira} if jira else {}


def install(client, keys: KeyServer, site: SiteSigner, *, token_options: dict | None = None, **overrides):
    """POST the `installed` lifecycle call for `site`, signed RS256 like Jira; returns the response.

    Jira's token for a call is the same for every call in the same second: a reinstall in a test signs
    with a later `iat` (`token_options={"iat": ...}`) as Jira would a moment later.
    """
    body = site.payload(**overrides)
    token = keys.install_token(client_key=site.client_key, audience=site.app_base_url, path="/lifecycle/installed",
                               **(token_options or {}))
    return client.post("/lifecycle/installed", data=json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"JWT {token}"}, base_url=site.app_base_url)
