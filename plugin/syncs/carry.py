"""What a linked pair carries besides fields: comments (mirrored once per direction, with an attribution line)
and attachments (copied, streamed, within the size limit and name rules). Each mirror and copy is recorded
before Jira is asked, so a crash never repeats one, and a mirror is never carried back."""
from __future__ import annotations

import fnmatch
import tempfile
import uuid
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.engine import comments as plan_comments
from plugin.engine.mapping import flows
from plugin.engine.model import IssueRead
from plugin.jira import files
from plugin.models import utcnow
from plugin.models.links import AttachmentLink, CommentLink, Link
from plugin.models.syncs import Synchronization
from plugin.syncs import problems

SPOOL_IN_MEMORY = 1024 * 1024  # larger attachments pass through a temporary file, never whole in memory


def extra_fields(document: dict) -> list[str]:
    """The issue fields to read besides the mapped ones (comments, attachments) for this configuration."""
    wanted = []
    if document["comments"].get("direction", "none") != "none":
        wanted.append("comment")
    if document["attachments"].get("direction", "none") != "none":
        wanted.append("attachment")
    return wanted


def _site_name(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def _comments(tools, sync: Synchronization, issue: IssueRead) -> list[dict]:
    found = issue.fields.get("comment") or {}
    listed = found.get("comments") or []
    if found.get("total", len(listed)) > len(listed):  # more than one page: read them all
        listed = tools.jira_for(sync.tenant(issue.side)).comments(issue.id)
    return listed


def carry_comments(session: Session, tools, sync: Synchronization, link: Link, issues: dict[int, IssueRead],
                   document: dict, person) -> None:
    """Mirror new comments, edit mirrors of edited ones, and follow deletes, per the configuration."""
    config = document["comments"]
    if config.get("direction", "none") == "none":
        return
    rows = list(session.scalars(select(CommentLink).where(CommentLink.link_id == link.id)))
    known = [plan_comments.Known(r.origin_side, r.origin_id, r.mirror_id, r.digest, r.state) for r in rows]
    by_origin = {(r.origin_side, r.origin_id): r for r in rows}
    listed = {side: _comments(tools, sync, issues[side]) for side in (1, 2)}
    plan = plan_comments.plan(listed, known, config, document.get("deletes", "ignore"))
    for target, comment in plan.create:
        source = 3 - target
        row = CommentLink(link_id=link.id, origin_side=source, origin_id=str(comment["id"]),
                          token=uuid.uuid4().hex, state="active")
        session.add(row)
        session.commit()  # the intent first: a crash before the commit below is found by the mirror's token
        body = plan_comments.mirror_body(comment, _site_name(sync.tenant(source).base_url),
                                         config.get("attribution", ""), lambda acc, s=source: person(s, acc))
        created = tools.jira_for(sync.tenant(target)).add_comment(
            link.issue_id(target), body, visibility=comment.get("visibility"),
            properties={plan_comments.MIRROR_PROPERTY: {"token": row.token}})
        row.mirror_id, row.digest, row.updated_at = str(created["id"]), plan_comments.digest(comment), utcnow()
        session.commit()
    for target, mirror_id, comment in plan.edit:
        source = 3 - target
        body = plan_comments.mirror_body(comment, _site_name(sync.tenant(source).base_url),
                                         config.get("attribution", ""), lambda acc, s=source: person(s, acc))
        tools.jira_for(sync.tenant(target)).edit_comment(link.issue_id(target), mirror_id, body,
                                                         comment.get("visibility"))
        row = by_origin[(source, str(comment["id"]))]
        row.digest, row.updated_at = plan_comments.digest(comment), utcnow()
    for target, mirror_id, origin_id in plan.delete:
        tools.jira_for(sync.tenant(target)).delete_comment(link.issue_id(target), mirror_id)
        by_origin[(3 - target, origin_id)].state = "deleted"
    for source, origin_id in plan.forget:
        by_origin[(source, origin_id)].state = "deleted"


def _excluded(name: str, patterns: list[str]) -> str | None:
    return next((p for p in patterns if fnmatch.fnmatch(name.lower(), p.lower())), None)


def carry_attachments(session: Session, tools, sync: Synchronization, link: Link, issues: dict[int, IssueRead],
                      document: dict, trigger: str) -> None:
    """Copy new attachments (streamed), skipping too large or excluded ones with a visible warning."""
    config = document["attachments"]
    direction = config.get("direction", "none")
    if direction == "none":
        return
    rows = {(r.origin_side, r.origin_id): r for r in session.scalars(
        select(AttachmentLink).where(AttachmentLink.link_id == link.id))}
    copies = {(3 - r.origin_side, r.copy_id) for r in rows.values() if r.copy_id}
    limit, patterns = config.get("maxSize", 10 * 1024 * 1024), config.get("exclude") or []
    for source in (1, 2):
        if not flows(direction, source):
            continue
        target = 3 - source
        for attachment in issues[source].fields.get("attachment") or []:
            origin = str(attachment["id"])
            if (source, origin) in rows or (source, origin) in copies:
                continue
            name, size = attachment.get("filename") or "file", int(attachment.get("size") or 0)
            row = AttachmentLink(link_id=link.id, origin_side=source, origin_id=origin, filename=name[:255],
                                 size=size, state="copying")
            session.add(row)
            reason = f"it is larger than {limit} bytes" if size > limit else None
            pattern = _excluded(name, patterns)
            if pattern:
                reason = f"its name matches the excluded pattern {pattern!r}"
            if reason:
                row.state = "skipped"
                problems.record(session, sync.id, category="attachment", permanent=True, trigger=trigger,
                                side=source, issue_id=issues[source].id, issue_key=issues[source].key,
                                field=f"attachment:{name}",
                                message=f"The attachment {name} ({size} bytes) was not copied: {reason}")
                session.commit()
                continue
            session.commit()  # the intent first
            row.copy_id = _copy(tools, sync, source, target, link, attachment)
            row.state, row.updated_at = "copied", utcnow()
            session.commit()


def _copy(tools, sync: Synchronization, source: int, target: int, link: Link, attachment: dict) -> str:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        files.download(tools.jira_for(sync.tenant(source)), str(attachment["id"]), spool)
        spool.seek(0)
        created = files.upload(tools.jira_for(sync.tenant(target)), link.issue_id(target),
                               attachment.get("filename") or "file", spool, attachment.get("mimeType"))
    return str(created[0]["id"])


def carry_all(session: Session, tools, sync: Synchronization, document: dict, link: Link,
              issues: dict[int, IssueRead], matcher, trigger: str) -> None:
    """Comments, then attachments, of a linked pair."""
    carry_comments(session, tools, sync, link, issues, document,
                   lambda source, account: matcher.match(source, account, fallback=False))
    carry_attachments(session, tools, sync, link, issues, document, trigger)
