"""In-process REST calls to a site as a human user (host pages use the same API as everyone), and ADF helpers."""
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
    """Basic credentials of a user (email + API token) as CORE's Basic auth accepts them."""
    email = getattr(user, "email", None) or getattr(user, "email_address", None) or user.account_id
    secret = getattr(user, "api_token", None) or getattr(user, "token", None) or getattr(user, "password", "") or ""
    return "Basic " + base64.b64encode(f"{email}:{secret}".encode()).decode()


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


def adf(text: str) -> dict:
    """Plain text as an Atlassian Document Format document (one paragraph per line)."""
    lines = (text or "").splitlines() or []
    return {"type": "doc", "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": line}] if line else []}
                        for line in lines]}


def text(doc) -> str:
    """Plain text of an ADF document (or a string)."""
    if doc is None:
        return ""
    if isinstance(doc, str):
        return doc
    if doc.get("type") == "text":
        return doc.get("text", "")
    inner = "".join(text(c) for c in doc.get("content") or [])
    return inner + ("\n" if doc.get("type") in ("paragraph", "heading", "listItem") else "")
