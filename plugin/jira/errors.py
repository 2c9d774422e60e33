"""Map Jira's HTTP failures onto the app's error taxonomy, keeping Jira's own messages."""
from __future__ import annotations

import email.utils
import time

import requests

from plugin.errors import (
    AuthError,
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    TransientError,
    ValidationError,
    WorkSyncError,
)

DEFAULT_RETRY_AFTER = 10.0


def _messages(response: requests.Response) -> tuple[str, dict]:
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason or "").strip()[:500], {}
    if not isinstance(body, dict):
        return str(body)[:500], {}
    messages = [m for m in body.get("errorMessages") or [] if isinstance(m, str)]
    raw_errors = body.get("errors")
    errors: dict = raw_errors if isinstance(raw_errors, dict) else {}
    text = "; ".join(messages + [f"{k}: {v}" for k, v in errors.items()]) or body.get("message") or response.reason
    return str(text)[:500], errors


def retry_after_seconds(response: requests.Response) -> float:
    """Seconds from a Retry-After header (delta or HTTP date), or a default."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    if value:
        parsed = email.utils.parsedate_to_datetime(value) if "," in value else None
        if parsed is not None:
            return max(0.0, parsed.timestamp() - time.time())
    return DEFAULT_RETRY_AFTER


def from_response(response: requests.Response, operation: str) -> WorkSyncError:
    """The typed error for a failed Jira response."""
    message, errors = _messages(response)
    status = response.status_code
    text = f"Jira {operation}: {message or status}"
    details = {"jira_status": status}
    if status == 400:
        return ValidationError(text, errors=errors, **details)
    if status == 401:
        return AuthError(text, **details)
    if status == 403:
        return PermissionDenied(text, **details)
    if status == 404:
        return NotFound(text, **details)
    if status == 409:
        return Conflict(text, **details)
    if status == 413:
        return ValidationError(text, errors={"size": message}, **details)
    if status == 429:
        return RateLimited(text, retry_after=retry_after_seconds(response),
                           reason=response.headers.get("RateLimit-Reason"), **details)
    if status >= 500:
        return TransientError(text, **details)
    return ValidationError(text, **details)


def from_exception(exc: requests.RequestException, operation: str) -> WorkSyncError:
    """The typed error for a transport failure (timeout, refused, reset)."""
    return TransientError(f"Jira {operation}: {type(exc).__name__}")
