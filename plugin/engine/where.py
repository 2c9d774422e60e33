"""Where a Jira call of a pass failed: the side, issue and deed of the call itself (not of the job that made it), so
that an error row names the site, project and issue that refused, in words an admin reads."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from plugin.errors import AuthError, PermissionDenied, RateLimited, TransientError, WorkSyncError

KEY = "where"


@dataclass(frozen=True)
class Where:
    """The call that failed: on which side, for which issue, doing what (a phrase: "creating the partner of X-1")."""

    side: int
    doing: str
    issue_id: str | None = None
    issue_key: str | None = None


@contextmanager
def at(side: int, doing: str, issue_id: str | None = None, issue_key: str | None = None) -> Iterator[None]:
    """Note on a failure inside the block where it happened (the innermost note wins)."""
    try:
        yield
    except WorkSyncError as exc:
        exc.details.setdefault(KEY, Where(side, doing, issue_id, issue_key))
        raise


def of(exc: WorkSyncError) -> Where | None:
    """Where the failure happened, when a pass noted it."""
    where = exc.details.get(KEY)
    return where if isinstance(where, Where) else None


def site_name(url: str) -> str:
    """A site as an admin names it: its host (and path, for a site below a path)."""
    parts = urlsplit(url)
    host = parts.hostname or url
    return (host + parts.path).rstrip("/") if parts.path.strip("/") else host


def message(exc: WorkSyncError, site_url: str, where: Where | None) -> str:
    """The failure in words: which site did what while we did what, and Jira's own reason."""
    site = site_name(site_url)
    while_ = f" while {where.doing}" if where else ""
    status = exc.details.get("jira_status")
    reason = _reason(exc)
    if isinstance(exc, TransientError):
        if status:
            return f"{site} did not answer ({status}){while_}" + (f": {reason}" if reason else "")
        return f"{site} could not be reached{while_}"
    if isinstance(exc, RateLimited):
        return f"{site} asked Work Sync to slow down{while_}"
    if isinstance(exc, AuthError):
        return f"{site} refused Work Sync's credentials{while_}"
    if isinstance(exc, PermissionDenied):
        return f"{site} refused{while_}: Work Sync lacks a permission there" + (f" ({reason})" if reason else "")
    return f"{site} refused{while_}" + (f": {reason}" if reason else "")


def _reason(exc: WorkSyncError) -> str:
    # Jira's text after our "Jira <operation>: " prefix; the operation's name is ours, not the admin's.
    text = exc.message or ""
    if text.startswith("Jira ") and ": " in text:
        text = text.split(": ", 1)[1]
    return "" if text.isdigit() else text
