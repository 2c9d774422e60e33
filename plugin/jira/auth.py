"""The two ways our requests to Jira authenticate: signed (a Connect JWT with the qsh of each request) or borne
(a Forge app system token against the installation's apiBaseUrl)."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from plugin.connect.jwt import mint


class ConnectJWTAuth(requests.auth.AuthBase):
    """`Authorization: JWT …` with iss = our app key and the qsh of the exact request, minted per request."""

    def __init__(self, app_key: str, shared_secret: str, site_base_url: str, lifetime: int = 180):
        self._app_key = app_key
        self._secret = shared_secret
        self._base_path = urlsplit(site_base_url).path.rstrip("/")
        self._lifetime = lifetime

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        url = urlsplit(request.url or "")  # set, like the method, once the request is prepared
        token = mint(self._app_key, self._secret, request.method or "GET", url.path, url.query,
                     base_path=self._base_path, lifetime=self._lifetime)
        request.headers["Authorization"] = f"JWT {token}"
        return request

    def __repr__(self) -> str:  # never show the secret
        return f"ConnectJWTAuth(app_key={self._app_key!r})"


class BearerAuth(requests.auth.AuthBase):
    """`Authorization: Bearer <token>` (a Forge app system token) from `token()`, asked afresh for every request:
    `token()` raises TokenExpired when the stored token has expired and no fresh one has arrived."""

    def __init__(self, token: Callable[[], str]):
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token()}"
        return request

    def __repr__(self) -> str:  # never show the token
        return "BearerAuth()"
