"""Time as Jira shows it: each viewer sees datetimes in their own time zone; apps and webhooks see UTC."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, tzinfo
from functools import wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_zone: ContextVar[tzinfo] = ContextVar("jirasim_rendering_zone", default=UTC)


def zone_of(user) -> tzinfo:
    """The time zone a user reads and writes times in: their own; UTC for apps and anonymous callers."""
    if user is None or user.is_app:
        return UTC
    try:
        return ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def rendering_zone() -> tzinfo:
    """The time zone datetimes are rendered in for the current request (UTC outside one)."""
    return _zone.get()


def render_for(user) -> None:
    """Render the current request's datetimes in `user`'s time zone (the REST layer calls it per request)."""
    _zone.set(zone_of(user))


@contextmanager
def rendered_in(zone: tzinfo) -> Iterator[None]:
    """Render datetimes in `zone` inside the block."""
    token = _zone.set(zone)
    try:
        yield
    finally:
        _zone.reset(token)


def in_utc(function: Callable) -> Callable:
    """Decorate a builder whose output is read by apps (webhook payloads): its datetimes are rendered in UTC."""
    @wraps(function)
    def wrapper(*args, **kwargs):
        with rendered_in(UTC):
            return function(*args, **kwargs)
    return wrapper
