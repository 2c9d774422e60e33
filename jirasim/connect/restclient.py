"""In-process REST calls to a site as a human user: the host pages use the same API as everyone."""
from __future__ import annotations

import base64

from flask import current_app


class RestError(Exception):
    """A REST call from a host page failed."""

    def __init__(self, status: int, body):
        self.status, self.body = status, body
        super().__init__(f"{status}: {message(body)}")


def message(body) -> str:
    """A readable message from a Jira error body."""
    if isinstance(body, dict):
        parts = list(body.get("errorMessages") or []) + [f"{k}: {v}" for k, v in (body.get("errors") or {}).items()]
        return "; ".join(parts) or str(body)
    return str(body)[:500]


def auth_header(user) -> str:
    """Basic credentials of a human user (email + API token), as the REST API accepts them."""
    return "Basic " + base64.b64encode(f"{user.email}:{user.api_token}".encode()).decode()


def call(site, user, method: str, path: str, *, json=None, params=None, data=None, headers=None, ok=(200, 201, 204)):
    """Call `{site}{path}` in-process as `user`; JSON body (or None); RestError when the status is not in `ok`."""
    client = current_app.test_client()
    url = "/" + site.name + path
    all_headers = {"Authorization": auth_header(user), "Accept": "application/json", **(headers or {})}
    response = client.open(url, method=method, json=json, query_string=params, data=data, headers=all_headers)
    try:
        body = response.get_json(silent=True)
    except Exception:
        body = None
    if body is None:
        body = response.get_data(as_text=True)
    if response.status_code not in ok:
        raise RestError(response.status_code, body)
    return body if response.status_code != 204 else None

