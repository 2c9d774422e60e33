"""Errors as data: every failure of a synchronization is a row — where, what, why, when, how often, what to do."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models.base import Base, utcnow

OPEN, RESOLVED, IGNORED = "open", "resolved", "ignored"


class SyncError(Base):
    """One problem of a synchronization, counted while it repeats; it resolves itself when the issue syncs."""

    __tablename__ = "sync_errors"
    __table_args__ = (Index("ix_sync_errors_where", "sync_id", "state", "fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    side: Mapped[int | None] = mapped_column(Integer)
    issue_id: Mapped[str | None] = mapped_column(String(32))
    issue_key: Mapped[str | None] = mapped_column(String(300))
    field: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    fix: Mapped[str | None] = mapped_column(Text)
    trigger: Mapped[str | None] = mapped_column(String(16))
    permanent: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    count: Mapped[int] = mapped_column(Integer, default=1)
    detail: Mapped[dict | None] = mapped_column(JSON)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The last person who retried or ignored it, and when (an ignored issue is not polled again until it changes).
    acted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acted_by: Mapped[str | None] = mapped_column(String(128))


class SyncNotice(Base):
    """What the e-mail notifier of a synchronization last saw and sent: one mail per burst of new errors."""

    __tablename__ = "sync_notices"

    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"), primary_key=True)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
