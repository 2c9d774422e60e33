"""The declarative base and the one clock of the models."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

from sqlalchemy.orm import DeclarativeBase


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the models use."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored datetime as UTC-aware (SQLite hands back naive UTC datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@overload
def iso(moment: datetime) -> str: ...


@overload
def iso(moment: None) -> None: ...


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds and a Z, as the API and the support bundle write times."""
    if moment is None:
        return None
    return aware(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Base(DeclarativeBase):
    """Declarative base of all tables."""
