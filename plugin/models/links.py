"""What the engine keeps: linked pairs of issues with their base snapshot, dirty issues to sync, poll cursors."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models.base import Base, utcnow

CREATING, LINKED, TOMBSTONE, UNLINKED = "creating", "linked", "tombstone", "unlinked"


class Link(Base):
    """A pair of issues, one per side, that a synchronization keeps equal; `base` is what both last agreed on.

    A link in state `creating` is the stored intent of a create: its `create_token` is also in the marker
    property of the partner issue, so a crash between Jira's create and our commit is recovered, not repeated.
    """

    __tablename__ = "links"
    __table_args__ = (
        Index("uq_links_side1", "sync_id", "side1_issue_id", unique=True,
              sqlite_where=text("side1_issue_id IS NOT NULL"), postgresql_where=text("side1_issue_id IS NOT NULL")),
        Index("uq_links_side2", "sync_id", "side2_issue_id", unique=True,
              sqlite_where=text("side2_issue_id IS NOT NULL"), postgresql_where=text("side2_issue_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"), index=True)
    side1_issue_id: Mapped[str | None] = mapped_column(String(32))
    side1_issue_key: Mapped[str | None] = mapped_column(String(300))
    side2_issue_id: Mapped[str | None] = mapped_column(String(32))
    side2_issue_key: Mapped[str | None] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16), default=CREATING)
    origin_side: Mapped[int] = mapped_column(Integer)
    create_token: Mapped[str | None] = mapped_column(String(64))
    base: Mapped[dict] = mapped_column(JSON, default=dict)
    side1_updated: Mapped[str | None] = mapped_column(String(40))
    side2_updated: Mapped[str | None] = mapped_column(String(40))
    configuration_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def issue_id(self, side: int) -> str | None:
        """The issue id on side 1 or 2."""
        return self.side1_issue_id if side == 1 else self.side2_issue_id

    def known_issue_id(self, side: int) -> str:
        """The issue id on side 1 or 2 where it is known (both of a linked pair, the origin's of a create)."""
        issue_id = self.issue_id(side)
        if issue_id is None:
            raise ValueError(f"link {self.id} has no issue on side {side} yet")
        return issue_id

    def issue_key(self, side: int) -> str | None:
        """The issue key on side 1 or 2 (as last seen)."""
        return self.side1_issue_key if side == 1 else self.side2_issue_key

    def set_issue(self, side: int, issue_id: str, key: str) -> None:
        """Record the issue of one side."""
        if side == 1:
            self.side1_issue_id, self.side1_issue_key = issue_id, key
        else:
            self.side2_issue_id, self.side2_issue_key = issue_id, key

    def updated(self, side: int) -> str | None:
        """The `updated` time of the side's issue when we last synced it."""
        return self.side1_updated if side == 1 else self.side2_updated

    def set_updated(self, side: int, value: str | None) -> None:
        """Remember the side's `updated` time (the poll skips issues that did not change since)."""
        if side == 1:
            self.side1_updated = value
        else:
            self.side2_updated = value


class DirtyIssue(Base):
    """An issue of one side that must be synced: marked by webhooks, the poll and starts; removed once synced."""

    __tablename__ = "dirty_issues"
    __table_args__ = (UniqueConstraint("sync_id", "side", "issue_id", name="uq_dirty_issue"),
                      Index("ix_dirty_due", "not_before"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"))
    side: Mapped[int] = mapped_column(Integer)
    issue_id: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(16))
    deleted: Mapped[bool] = mapped_column(default=False)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    first_marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PollCursor(Base):
    """How far the poll of one side of a synchronization has read (`updated` of the last issue processed)."""

    __tablename__ = "poll_cursors"
    __table_args__ = (UniqueConstraint("sync_id", "side", name="uq_poll_cursor"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"))
    side: Mapped[int] = mapped_column(Integer)
    cursor: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Changes the poll found that no webhook had announced (webhooks are not arriving), and the last time.
    missed_webhooks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    missed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CommentLink(Base):
    """A comment and its mirror on the other side: mirrors are never mirrored back (no text matching needed)."""

    __tablename__ = "comment_links"
    __table_args__ = (UniqueConstraint("link_id", "origin_side", "origin_id", name="uq_comment_link_origin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"), index=True)
    origin_side: Mapped[int] = mapped_column(Integer)
    origin_id: Mapped[str] = mapped_column(String(32))
    mirror_id: Mapped[str | None] = mapped_column(String(32))
    token: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str | None] = mapped_column(String(64))  # of the origin's body and visibility when mirrored
    state: Mapped[str] = mapped_column(String(16), default="active")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorklogLink(Base):
    """A worklog and its mirror on the other side: mirrors are never mirrored back. The row is the intent, stored
    before Jira is asked; its token is the mirror's worklog property, so a lost answer is found, not repeated."""

    __tablename__ = "worklog_links"
    __table_args__ = (UniqueConstraint("link_id", "origin_side", "origin_id", name="uq_worklog_link_origin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"), index=True)
    origin_side: Mapped[int] = mapped_column(Integer)
    origin_id: Mapped[str] = mapped_column(String(32))
    mirror_id: Mapped[str | None] = mapped_column(String(32))
    token: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str | None] = mapped_column(String(64))  # of the origin's time, start, comment when mirrored
    state: Mapped[str] = mapped_column(String(16), default="active")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AttachmentLink(Base):
    """An attachment and its copy on the other side (or why it was not copied: too large, excluded)."""

    __tablename__ = "attachment_links"
    __table_args__ = (UniqueConstraint("link_id", "origin_side", "origin_id", name="uq_attachment_link_origin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"), index=True)
    origin_side: Mapped[int] = mapped_column(Integer)
    origin_id: Mapped[str] = mapped_column(String(32))
    copy_id: Mapped[str | None] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="copying")  # copying, copied, skipped, deleted
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IssueLinkMirror(Base):
    """A Jira issue link between two synced issues and its mirror between their partners. The row is the intent,
    stored before the mirror is asked for: `intent` (asked, answer not seen), `applied` (Jira answered; the POST
    answers no id), `confirmed` (the mirror's id seen in the partner's `issuelinks`); or why it is not carried yet:
    `waiting` (an end has no partner yet), `unmapped` (no link type of that name on the other side); `deleted`."""

    __tablename__ = "issue_link_mirrors"
    __table_args__ = (UniqueConstraint("sync_id", "origin_side", "origin_id", name="uq_issue_link_mirror_origin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"), index=True)
    # The pair whose passes write the mirror (passes of one pair never overlap): only they retry a lost answer.
    owner_link_id: Mapped[int] = mapped_column(ForeignKey("links.id", ondelete="CASCADE"), index=True)
    origin_side: Mapped[int] = mapped_column(Integer)
    origin_id: Mapped[str] = mapped_column(String(32))
    type_id: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[str] = mapped_column(String(32))  # the link's inward issue (POST's inwardIssue), origin side
    destination_id: Mapped[str] = mapped_column(String(32))  # its outward issue
    mirror_id: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="intent")
    reason: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InitialSync(Base):
    """The resumable sync of the issues that existed when a synchronization first started, one side at a time."""

    __tablename__ = "initial_syncs"
    __table_args__ = (UniqueConstraint("sync_id", "side", name="uq_initial_sync_side"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"))
    side: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending, running, done
    next_page_token: Mapped[str | None] = mapped_column(String(2000))
    total: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ValueLink(Base):
    """A component or version of side 1 and its partner on side 2 in one synchronization: found by name or created
    by `createMissing`, then followed by id, so a value renamed on one side is renamed, never created again."""

    __tablename__ = "value_links"
    __table_args__ = (UniqueConstraint("sync_id", "kind", "side1_id", name="uq_value_link_side1"),
                      UniqueConstraint("sync_id", "kind", "side2_id", name="uq_value_link_side2"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "components" or "versions"
    side1_id: Mapped[str] = mapped_column(String(32))
    side2_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
