"""Forge offline user impersonation: the app system token traded for a person's token with the GraphQL gateway's
`offlineUserAuthToken` mutation, then used like the system token (Bearer, against the same apiBaseUrl) to act as
that person. Tokens are kept in process memory per (installation, accountId) until shortly before their `ttl` runs
out, as Atlassian recommends (the mutation is limited to 1,000 requests per minute per app); a refusal is kept a
few minutes too, so that one person's worklogs do not ask again for each copy.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests

from plugin.errors import AuthError, RateLimited, TransientError, ValidationError, WorkSyncError

MUTATION = """mutation forge_remote_offlineUserAuthToken($input: OfflineUserAuthTokenInput!) {
  offlineUserAuthToken(input: $input) {
    success
    errors {
      message
    }
    authToken {
      token
      ttl
    }
  }
}"""
MARGIN = 60.0  # seconds before its ttl ends that a token is no longer handed out (a call may take that long)
REFUSAL_SECONDS = 300.0
DEFAULT_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class Refused:
    """Jira would not let the app act as this person: `reason` is the gateway's message."""

    reason: str


def graphql_url(api_base_url: str) -> str:
    """The GraphQL gateway beside an apiBaseUrl (`https://api.atlassian.com/ex/jira/{cloudId}` →
    `https://api.atlassian.com/graphql`)."""
    parts = urlsplit(api_base_url)
    prefix = parts.path.split("/ex/", 1)[0].rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, f"{prefix}/graphql", "", ""))


def context_ari(cloud_id: str) -> str:
    """The installation context of a Jira site, as `contextIds` names it."""
    return f"ari:cloud:jira::site/{cloud_id}"


class UserTokens:
    """The person tokens of this process, per (installation, accountId); thread-safe."""

    def __init__(self, timeout: float = 20.0, session: requests.Session | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.timeout, self.session, self.clock = timeout, session or requests.Session(), clock
        self.lock = threading.Lock()
        self.kept: dict[tuple[str, str], tuple[str | Refused, float]] = {}

    def token(self, installation_id: str, cloud_id: str, api_base_url: str, system_token: Callable[[], str],
              account_id: str) -> str | Refused:
        """A token acting as `account_id`, or Refused; Jira's failures as the error taxonomy (TokenExpired from
        `system_token()`, RateLimited, TransientError, AuthError)."""
        key = (installation_id, account_id)
        with self.lock:
            found, until = self.kept.get(key, ("", 0.0))
        if found and self.clock() < until:
            return found
        found, ttl = self._exchange(graphql_url(api_base_url), system_token(), context_ari(cloud_id), account_id)
        with self.lock:
            self.kept[key] = (found, self.clock() + ttl)
        return found

    def _exchange(self, url: str, system_token: str, context: str, account_id: str) -> tuple[str | Refused, float]:
        """(token or Refused, seconds to keep it) from one mutation."""
        body = {"query": MUTATION, "variables": {"input": {"contextIds": [context], "userId": account_id}}}
        try:
            response = self.session.post(url, json=body, timeout=self.timeout,
                                         headers={"Authorization": f"Bearer {system_token}",
                                                  "Accept": "application/json", "User-Agent": "work-sync"})
        except requests.RequestException as exc:
            raise TransientError(f"Forge offlineUserAuthToken: {type(exc).__name__}") from None
        if response.status_code >= 400:
            raise _failure(response)
        try:
            result = (response.json().get("data") or {})["offlineUserAuthToken"] or {}
        except (ValueError, AttributeError, KeyError, TypeError):
            raise TransientError("Forge offlineUserAuthToken: the gateway answered no result") from None
        auth = result.get("authToken") or {}
        if result.get("success") is True and isinstance(auth.get("token"), str) and auth["token"]:
            ttl = auth.get("ttl")
            return auth["token"], max(0.0, float(ttl) - MARGIN) if isinstance(ttl, (int, float)) else 0.0
        messages = [str(e.get("message")) for e in result.get("errors") or [] if isinstance(e, dict)]
        return Refused("; ".join(messages) or "the gateway gave no reason"), REFUSAL_SECONDS


def _failure(response: requests.Response) -> WorkSyncError:
    """The typed error of a refused HTTP request to the gateway."""
    text = f"Forge offlineUserAuthToken: HTTP {response.status_code}"
    if response.status_code == 429:
        value = response.headers.get("Retry-After", "").strip()
        return RateLimited(text, retry_after=float(value) if value.isdigit() else DEFAULT_RETRY_AFTER)
    if response.status_code >= 500:
        return TransientError(text)
    if response.status_code in (401, 403):
        return AuthError(text)
    return ValidationError(text)
