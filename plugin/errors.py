"""The app's error taxonomy: every failure the web layer or the worker handles is one of these."""
from __future__ import annotations

MAX_QUOTED = 60  # characters of a user's value a message quotes
MAX_MESSAGE = 2000  # characters of an error's message as it leaves (a cut one ends with …)
MAX_PROBLEMS = 100  # problems an answer lists
MAX_DETAIL = 500  # characters of one problem's message or path, or of one `errors` entry


def quoted(value: object, limit: int = MAX_QUOTED) -> str:
    """`value` as repr quotes it, cut to `limit` characters with an ellipsis (an error never echoes a huge input)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def capped(text: object, limit: int) -> object:
    """`text` cut to `limit` characters with an ellipsis (anything but a string as it is)."""
    return text[:limit] + "…" if isinstance(text, str) and len(text) > limit else text


def _capped_details(name: str, value: object) -> object:
    if name == "problems" and isinstance(value, list):
        return [{key: capped(item, MAX_DETAIL) for key, item in problem.items()} if isinstance(problem, dict)
                else problem for problem in value[:MAX_PROBLEMS]]
    if name == "errors" and isinstance(value, dict):
        return {capped(str(key), MAX_DETAIL): capped(item, MAX_DETAIL)
                for key, item in list(value.items())[:MAX_PROBLEMS]}
    return capped(value, MAX_DETAIL)


class WorkSyncError(Exception):
    """Base class; `status` is the HTTP status the web layer answers with."""

    status = 500
    kind = "error"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def to_json(self) -> dict:
        body = {"error": self.kind, "message": capped(self.message, MAX_MESSAGE)}
        body.update({k: _capped_details(k, v) for k, v in self.details.items() if v is not None})
        return body


class AuthError(WorkSyncError):
    """The caller is not who it claims to be (bad, missing or expired credentials)."""

    status = 401
    kind = "unauthorized"


class PermissionDenied(WorkSyncError):
    """The caller is known but may not do this."""

    status = 403
    kind = "forbidden"


class NotFound(WorkSyncError):
    """The thing does not exist, or the caller may not know it exists."""

    status = 404
    kind = "not_found"


class ValidationError(WorkSyncError):
    """The input is malformed (not JSON, wrong shape); `errors` maps field names to messages."""

    status = 400
    kind = "malformed"


class Unprocessable(ValidationError):
    """Well-formed input that cannot be accepted; `problems` lists each, with the JSON path it concerns."""

    status = 422
    kind = "invalid"

    def __init__(self, message: str, problems: list[dict] | None = None, **details):
        problems = problems or [{"path": "", "message": message}]
        super().__init__(message, problems=problems, **details)
        self.problems = problems


class Conflict(WorkSyncError):
    """The request contradicts the current state."""

    status = 409
    kind = "conflict"


class RateLimited(WorkSyncError):
    """Jira asked us to slow down; retry after `retry_after` seconds."""

    status = 429
    kind = "rate_limited"

    def __init__(self, message: str, retry_after: float, **details):
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after


class TransientError(WorkSyncError):
    """A failure that may go away on retry (5xx, timeout, connection reset)."""

    status = 503
    kind = "transient"


class TokenExpired(TransientError):
    """A Forge site's app system token has expired and no invocation has brought a fresh one: the job waits
    (re-enqueued after `retry_after` seconds, not failed) until the site calls in again (an event, the scheduled
    trigger, a page). `site` names the site; the analysis tells what to check (the app disabled, the scheduled
    trigger missing)."""

    kind = "token_expired"

    def __init__(self, message: str, retry_after: float = 60.0, **details):
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after
