"""E-mail to a synchronization's creator when the first new error arrives after a quiet period — one mail per
burst of errors, never one per error. The address is asked of Jira (`GET user`, `emailAddress`): when the person
hides it, no mail goes out and the audit log says so. Off unless SMTP is configured."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from plugin import audit
from plugin.audit import stored_status
from plugin.engine.tools import Tools
from plugin.errors import WorkSyncError
from plugin.mail import Mailer, MailError
from plugin.models import utcnow
from plugin.models.base import aware, iso
from plugin.models.problems import OPEN, SyncError, SyncNotice
from plugin.models.syncs import ACTIVE, Synchronization

log = logging.getLogger(__name__)
LISTED = 10


def _new_errors(session: Session, sync_id: int | None, since: datetime | None) -> list[SyncError]:
    clause = [SyncError.state == OPEN, SyncError.category != "conflict"]
    if sync_id is not None:
        clause.append(SyncError.sync_id == sync_id)
    if since is not None:
        clause.append(SyncError.first_seen > since)
    return list(session.scalars(select(SyncError).where(*clause).order_by(SyncError.first_seen, SyncError.id)))


def with_new_errors(session: Session) -> list[int]:
    """Synchronizations with open errors the notifier has not seen yet."""
    rows = session.execute(select(SyncError.sync_id).distinct()
                           .outerjoin(SyncNotice, SyncNotice.sync_id == SyncError.sync_id)
                           .where(SyncError.state == OPEN, SyncError.category != "conflict",
                                  or_(SyncNotice.last_error_at.is_(None),
                                      SyncError.first_seen > SyncNotice.last_error_at)))
    return sorted(sync_id for (sync_id,) in rows)


def creator_address(tools: Tools, sync: Synchronization) -> str | None:
    """The creator's e-mail address as Jira shows it to the app (None when they keep it hidden)."""
    person = tools.jira_for(sync.tenant(1)).user(sync.created_by)
    return person.get("emailAddress") or None


def page_url(sync: Synchronization, app_key: str) -> str:
    """Project settings → Work Sync of side 1's project, where Troubleshoot is one click away."""
    return (f"{sync.tenant(1).base_url}/plugins/servlet/ac/{app_key}/{app_key}-project-settings"
            f"?project.key={sync.project_key(1)}&project.id={sync.project_id(1)}")


def message(sync: Synchronization, errors: list[SyncError], app_key: str, quiet: timedelta) -> tuple[str, str]:
    """The subject and text of the mail about these new errors."""
    count = len(errors)
    subject = f"Work Sync: {sync.name} has {count} new error{'s' if count > 1 else ''}"
    sides = " ↔ ".join(f"{sync.project_key(n)} on {sync.tenant(n).display_url or sync.tenant(n).base_url}"
                       for n in (1, 2))
    lines = [f"The synchronization \"{sync.name}\" ({sides}) has {count} new error{'s' if count > 1 else ''} "
             f"since {iso(errors[0].first_seen)}:", ""]
    for row in errors[:LISTED]:
        where = f"{row.issue_key or 'the site'} (side {row.side})" if row.side else "the synchronization"
        lines.append(f"- [{row.category}] {where}: {row.message}")
    if count > LISTED:
        lines.append(f"- and {count - LISTED} more")
    lines += ["", f"Open Troubleshoot (••• beside \"{sync.name}\") in Project settings → Work Sync:",
              page_url(sync, app_key), "",
              "You receive this because you created this synchronization. Work Sync writes again only after "
              f"{int(quiet.total_seconds() // 60)} minutes without a new error."]
    return subject, "\n".join(lines)


def _notify(session: Session, tools: Tools, mailer: Mailer, app_key: str, quiet: timedelta, sync_id: int,
            now: datetime) -> bool:
    sync = session.scalar(select(Synchronization).where(Synchronization.id == sync_id,
                                                        Synchronization.deleted_at.is_(None))
                          .options(joinedload(Synchronization.side1_tenant),
                                   joinedload(Synchronization.side2_tenant)))
    notice = session.get(SyncNotice, sync_id)
    if notice is None:
        notice = SyncNotice(sync_id=sync_id)
        session.add(notice)
    new = _new_errors(session, sync_id, notice.last_error_at)
    if not new:
        return False
    after_quiet = notice.last_error_at is None or aware(new[0].first_seen) - aware(notice.last_error_at) >= quiet
    notice.last_error_at = max(row.first_seen for row in new)
    if sync is None or sync.state != ACTIVE or not after_quiet or (
            notice.notified_at is not None and now - aware(notice.notified_at) < quiet):
        return False
    address = creator_address(tools, sync)
    notice.notified_at = now
    if address is None:
        audit.record(session, sync, "notify", actor=None, side=1, old_status=stored_status(sync),
                     detail={"errors": len(new), "sent": False,
                             "reason": "the creator's e-mail address is hidden from apps in their Atlassian profile"})
        return False
    mailer.send(address, *message(sync, new, app_key, quiet))
    audit.record(session, sync, "notify", actor=None, side=1, old_status=stored_status(sync),
                 detail={"errors": len(new), "sent": True})
    return True


def notify_all(tools: Tools, mailer: Mailer, app_key: str, quiet: timedelta, now: datetime | None = None) -> int:
    """Mail the creators of synchronizations whose first new error came after a quiet period; how many were sent.
    A mail that could not go out (Jira or the SMTP server failing) is tried again on the next run."""
    if not mailer.enabled:
        return 0
    sent = 0
    with tools.sessions() as session:
        for sync_id in with_new_errors(session):
            try:
                sent += _notify(session, tools, mailer, app_key, quiet, sync_id, now or utcnow())
                session.commit()
            except (WorkSyncError, MailError) as exc:
                session.rollback()
                log.warning("could not notify about synchronization %s: %s", sync_id, exc)
    return sent
