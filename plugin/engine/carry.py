"""What a linked pair carries besides fields: comments (mirrored once per direction, with an attribution line)
and attachments (copied, streamed, within the size limit and name rules). Each mirror and copy is recorded
before Jira is asked, so a crash never repeats one, and a mirror is never carried back."""
from __future__ import annotations

import fnmatch
import tempfile
import uuid
from functools import partial
from urllib.parse import urlsplit

from sqlalchemy import select

from plugin.engine import hierarchy, issue_links, mention_notes, where, worklogs
from plugin.engine.core import comments as plan_comments
from plugin.engine.core.mapping import PersonMatcher, flows
from plugin.engine.core.model import IssueRead, other
from plugin.engine.passes import SyncPass
from plugin.jira import files
from plugin.models import utcnow
from plugin.models.links import AttachmentLink, CommentLink, Link

SPOOL_IN_MEMORY = 1024 * 1024  # larger attachments pass through a temporary file, never whole in memory


def _site_name(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def _comments(run: SyncPass, issue: IssueRead) -> list[dict]:
    found = issue.fields.get("comment") or {}
    listed = found.get("comments") or []
    if found.get("total", len(listed)) > len(listed):  # more than one page: read them all
        listed = run.jira(issue.side).comments(issue.id)
    return listed


def carry_comments(run: SyncPass, link: Link, issues: dict[int, IssueRead], matcher: PersonMatcher) -> None:
    """Mirror new comments, edit mirrors of edited ones, and follow deletes, per the configuration. A mirror whose
    answer was lost is looked up by its token first: adopted when Jira has it, written again when not."""
    session, sync, document = run.session, run.sync, run.compiled.document
    person, names = matcher.mention, matcher.people.names.get
    config = document["comments"]
    if config.get("direction", "none") == "none":
        return
    rows = list(session.scalars(select(CommentLink).where(CommentLink.link_id == link.id)))
    listed = {side: _comments(run, issues[side]) for side in (1, 2)}
    known = _known(rows)
    pending_sides = {other(k.origin_side) for k in known if k.pending}
    if pending_sides:  # only after a lost or refused mirror: read that side's comments with their properties
        for side in pending_sides:
            listed[side] = run.jira(side).comments(link.known_issue_id(side), expand="properties")
        by_token = {r.token: r for r in rows}
        for token, mirror_id in plan_comments.adopt(known, listed).items():
            by_token[token].mirror_id, by_token[token].digest = mirror_id, None  # None: brought up to date below
        session.commit()
        known = _known(rows)
    by_origin = {(r.origin_side, r.origin_id): r for r in rows}
    plan = plan_comments.plan(listed, known, config, document.get("deletes", "ignore"))
    for target, comment in plan.create + plan.retry:
        source = other(target)
        row = by_origin.get((source, str(comment["id"])))
        if row is None:
            row = CommentLink(link_id=link.id, origin_side=source, origin_id=str(comment["id"]),
                              token=uuid.uuid4().hex, state="active")
            session.add(row)
            session.commit()  # the intent first: if the answer is lost, the mirror is found by this token
        body = plan_comments.mirror_body(comment, _site_name(sync.tenant(source).base_url),
                                         config.get("attribution", ""), partial(person, source), names)
        with where.at(target, f"copying a comment of {link.issue_key(source)} to {link.issue_key(target)}",
                      link.issue_id(target), link.issue_key(target)):
            created = run.jira(target).add_comment(
                link.known_issue_id(target), body, visibility=comment.get("visibility"),
                properties={plan_comments.MIRROR_PROPERTY: {"token": row.token}})
        row.mirror_id, row.digest, row.updated_at = str(created["id"]), plan_comments.digest(comment), utcnow()
        mention_notes.note(run, link, target, mention_notes.unreached(matcher, source, comment.get("body")),
                           "a comment", matcher)
        session.commit()
    for target, mirror_id, comment in plan.edit:
        source = other(target)
        body = plan_comments.mirror_body(comment, _site_name(sync.tenant(source).base_url),
                                         config.get("attribution", ""), partial(person, source), names)
        run.jira(target).edit_comment(link.known_issue_id(target), mirror_id, body,
                                                         comment.get("visibility"))
        row = by_origin[(source, str(comment["id"]))]
        row.digest, row.updated_at = plan_comments.digest(comment), utcnow()
        mention_notes.note(run, link, target, mention_notes.unreached(matcher, source, comment.get("body")),
                           "an edited comment", matcher)
    for target, mirror_id, origin_id in plan.delete:
        run.jira(target).delete_comment(link.known_issue_id(target), mirror_id)
        by_origin[(other(target), origin_id)].state = "deleted"
    for source, origin_id in plan.forget:
        by_origin[(source, origin_id)].state = "deleted"


def _known(rows: list[CommentLink]) -> list[plan_comments.Known]:
    return [plan_comments.Known(r.origin_side, r.origin_id, r.mirror_id, r.digest, r.state, r.token) for r in rows]


def _excluded(name: str, patterns: list[str]) -> str | None:
    return next((p for p in patterns if fnmatch.fnmatch(name.lower(), p.lower())), None)


def carry_attachments(run: SyncPass, link: Link, issues: dict[int, IssueRead]) -> None:
    """Copy new attachments (streamed), skipping too large or excluded ones with a visible warning. A copy whose
    answer was lost is looked up on the partner by its name and size first, and copied again only when missing."""
    session = run.session
    config = run.compiled.document["attachments"]
    direction = config.get("direction", "none")
    if direction == "none":
        return
    rows = {(r.origin_side, r.origin_id): r for r in session.scalars(
        select(AttachmentLink).where(AttachmentLink.link_id == link.id))}
    copies = {(other(r.origin_side), r.copy_id) for r in rows.values() if r.copy_id}
    limit, patterns = config.get("maxSize", 10 * 1024 * 1024), config.get("exclude") or []
    # Lost copies are adopted first, on both sides, before anything is copied: a lost copy of a side-2 attachment
    # sits on side 1, which is read first, and would otherwise be taken for a person's attachment and copied back.
    for lost in [r for r in rows.values() if r.state == "copying" and not r.copy_id]:
        found = _unclaimed_copy(issues[other(lost.origin_side)], rows.values(), other(lost.origin_side), lost.filename,
                                lost.size)
        if found is not None:
            lost.copy_id, lost.state, lost.updated_at = found, "copied", utcnow()
            copies.add((other(lost.origin_side), found))
            session.commit()
    for source in (1, 2):
        if not flows(direction, source):
            continue
        target = other(source)
        for attachment in issues[source].fields.get("attachment") or []:
            origin = str(attachment["id"])
            row = rows.get((source, origin))
            if (source, origin) in copies or (row is not None and (row.state != "copying" or row.copy_id)):
                continue
            name, size = attachment.get("filename") or "file", int(attachment.get("size") or 0)
            if row is None:
                row = AttachmentLink(link_id=link.id, origin_side=source, origin_id=origin, filename=name[:255],
                                     size=size, state="copying")
                session.add(row)
                rows[(source, origin)] = row
                partner = run.compiled.meta[target]
                reason = _not_copied(name, size, limit, patterns) or _refused_by(partner, size)
                if reason:
                    row.state = "skipped"
                    run.problem(category="attachment", permanent=True,
                                    side=source, issue_id=issues[source].id, issue_key=issues[source].key,
                                    field=f"attachment:{name}",
                                    message=f"The attachment {name} ({size} bytes) was not copied: {reason}")
                    session.commit()
                    continue
                session.commit()  # the intent first
            with where.at(target, f"copying the attachment {name} of {link.issue_key(source)} to "
                                  f"{link.issue_key(target)}", link.issue_id(target), link.issue_key(target)):
                row.copy_id = _copy(run, source, target, link, attachment)
            row.state, row.updated_at = "copied", utcnow()
            copies.add((target, row.copy_id))
            session.commit()


def _not_copied(name: str, size: int, limit: int, patterns: list[str]) -> str | None:
    pattern = _excluded(name, patterns)
    if pattern:
        return f"its name matches the excluded pattern {pattern!r}"
    return f"it is larger than {limit} bytes" if size > limit else None


def _refused_by(partner, size: int) -> str | None:
    """Why the partner's site would refuse this upload (its attachment settings, read with the metadata), or None."""
    where_to = f"{partner.project_key}'s site ({partner.site})"
    if not getattr(partner, "attachments_enabled", True):
        return f"attachments are turned off on {where_to}: a Jira admin turns them on in System → Attachments"
    upload_limit = getattr(partner, "upload_limit", None)
    if upload_limit is not None and size > upload_limit:
        return (f"it is larger than the upload limit of {where_to}, {upload_limit} bytes "
                f"({upload_limit / 1048576:.2f} MB): a Jira admin raises it in System → Attachments")
    return None


def _unclaimed_copy(partner: IssueRead, rows, side: int, name: str, size: int) -> str | None:
    """An attachment of the partner with this name and size that no link already claims (our lost copy), or None."""
    claimed = {r.copy_id for r in rows if r.copy_id and other(r.origin_side) == side}
    claimed |= {r.origin_id for r in rows if r.origin_side == side}
    for attachment in partner.fields.get("attachment") or []:
        if str(attachment["id"]) not in claimed and attachment.get("filename") == name and \
                int(attachment.get("size") or 0) == size:
            return str(attachment["id"])
    return None


def _copy(run: SyncPass, source: int, target: int, link: Link, attachment: dict) -> str:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        files.download(run.jira(source), str(attachment["id"]), spool)
        spool.seek(0)
        created = files.upload(run.jira(target), link.known_issue_id(target),
                               attachment.get("filename") or "file", spool, attachment.get("mimeType"))
    return str(created[0]["id"])


def carry_all(run: SyncPass, link: Link, issues: dict[int, IssueRead], matcher: PersonMatcher) -> None:
    """Comments, then attachments, then issue links, of a linked pair."""
    carry_comments(run, link, issues, matcher)
    carry_attachments(run, link, issues)
    issue_links.carry_links(run, link, issues)
    hierarchy.carry_parent(run, link, issues)
    worklogs.carry_worklogs(run, link, issues, matcher)
