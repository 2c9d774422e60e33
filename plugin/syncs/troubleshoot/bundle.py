"""The support bundle: a ZIP with what support needs to understand a synchronization — its definition,
configurations and drafts, status, audit history, recent errors, analysis, queue, app version and settings — and
no secret: no shared secret, no APP_SECRET_KEY, no token, no e-mail address, and no issue content beyond keys and
field names unless the admin asks for it. Every file is scrubbed of e-mail- and token-shaped text at the end."""
from __future__ import annotations

import io
import json
import platform
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from importlib import metadata

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin import audit
from plugin.audit import Actor
from plugin.engine.intake import dirty
from plugin.engine.tools import Tools
from plugin.jobstats import JobStats
from plugin.models import utcnow
from plugin.models.base import iso
from plugin.models.links import Link
from plugin.models.problems import SyncError
from plugin.models.syncs import AuditEvent, SyncConfiguration, Synchronization
from plugin.redaction import redact
from plugin.syncs import access
from plugin.syncs import status as st
from plugin.syncs.permissions import Permissions
from plugin.syncs.troubleshoot import analysis, errors

DISTRIBUTION = "jira-work-sync"
MAX_ERRORS, MAX_AUDIT, MAX_LINKS = 500, 2000, 2000
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
README = """Work Sync support bundle of synchronization {id} ("{name}"), made {made}.

It holds no credentials: no shared secret of a site, no APP_SECRET_KEY, no token, no password and no e-mail
address (anything shaped like one was removed). {issue_data}

synchronization.json  the definition: both sides (site, project), mode, status, who created it and when
configuration.json    the published configuration (every version) and both sides' drafts
status.json           what each side sees now, linked pairs by state, errors by category and state
audit.json            every action and automatic change, newest first (who: Atlassian accountIds)
errors.json           the newest {max_errors} errors: where (side, site, issue key, field), what, why, when, how often
links.json            the linked pairs of issues: ids, keys, state, last sync{links_extra}
analysis.json         the checks of the troubleshooting page, run when this bundle was made
queue.json            issues waiting to sync, scheduled retries, failed jobs, rate-limit pauses
app.json              Work Sync's version, Python, and the versions of its dependencies
settings.json         the app's settings without secrets (database and Redis URLs with passwords masked)
"""


def _scrub(text: str) -> str:
    return EMAIL.sub("<e-mail address removed>", redact(text))


def _json(value) -> str:
    return _scrub(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def versions() -> dict:
    """Work Sync's version, Python's, the platform, and the installed version of every dependency."""
    try:
        ours, requires = metadata.version(DISTRIBUTION), metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        ours, requires = None, []
    names = sorted({named.group(0) for req in requires
                    if "extra ==" not in req and (named := re.match(r"[A-Za-z0-9._-]+", req))})
    found: dict[str, str | None] = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return {"workSync": ours, "python": platform.python_version(), "platform": platform.platform(),
            "dependencies": found}


def _definition(sync: Synchronization) -> dict:
    return {"id": str(sync.id), "name": sync.name, "description": sync.description, "mode": sync.mode,
            "state": sync.state, "running": sync.running, "configurationVersion": sync.configuration_version,
            "createdBy": sync.created_by, "createdAt": iso(sync.created_at), "updatedAt": iso(sync.updated_at),
            "sides": {str(n): {"site": sync.tenant(n).base_url, "displayUrl": sync.tenant(n).display_url,
                               "siteActive": sync.tenant(n).active, "project": {"key": sync.project_key(n),
                                                                                "id": sync.project_id(n)}}
                      for n in (1, 2)}}


def _configuration(session: Session, sync: Synchronization) -> dict:
    published = session.scalars(select(SyncConfiguration).where(SyncConfiguration.sync_id == sync.id)
                                .order_by(SyncConfiguration.version)).all()
    return {"live": sync.configuration_version,
            "published": [{"version": c.version, "publishedAt": iso(c.published_at), "publishedBy": c.published_by,
                           "document": c.document} for c in published],
            "drafts": [{"side": d.side, "state": d.state, "baseVersion": d.base_version, "message": d.message,
                        "declineMessage": d.decline_message, "updatedBy": d.updated_by, "updatedAt": iso(d.updated_at),
                        "sentAt": iso(d.sent_at), "document": d.document} for d in sync.drafts]}


def _status(session: Session, sync: Synchronization) -> dict:
    links = dict(session.execute(select(Link.state, func.count(Link.id)).where(Link.sync_id == sync.id)
                                 .group_by(Link.state)).all())
    counted: dict[str, dict[str, int]] = {}
    for category, state, count in session.execute(select(SyncError.category, SyncError.state, func.count(SyncError.id))
                                                  .where(SyncError.sync_id == sync.id)
                                                  .group_by(SyncError.category, SyncError.state)):
        counted.setdefault(category, {})[state] = count
    return {"status": {str(n): st.status(sync, n) for n in (1, 2)},
            "draftStatus": {str(n): st.draft_status(sync, n) for n in (1, 2)},
            "storedStatus": audit.stored_status(sync), "links": links, "errors": counted}


def _links(session: Session, sync: Synchronization, issue_data: bool) -> list[dict]:
    rows = session.scalars(select(Link).where(Link.sync_id == sync.id).order_by(Link.id.desc()).limit(MAX_LINKS))
    return [{"id": str(link.id), "state": link.state, "originSide": link.origin_side,
             "issues": {str(n): {"id": link.issue_id(n), "key": link.issue_key(n)} for n in (1, 2)},
             "configurationVersion": link.configuration_version, "createdAt": iso(link.created_at),
             "lastSyncedAt": iso(link.last_synced_at), **({"base": link.base} if issue_data else {})}
            for link in rows]


def _queue(session: Session, sync: Synchronization, jobs: JobStats | None) -> dict:
    count, oldest = dirty.backlog(session, sync.id)
    return {"waiting": count, "oldestSince": iso(oldest),
            "failedJobs": None if jobs is None else [{"id": job.id, "endedAt": iso(job.ended_at), "error": job.error}
                                                     for job in jobs.failed],
            "scheduledJobs": None if jobs is None else jobs.scheduled}


def _audit(session: Session, sync: Synchronization) -> list[dict]:
    rows = session.scalars(select(AuditEvent).where(AuditEvent.sync_id == sync.id)
                           .order_by(AuditEvent.id.desc()).limit(MAX_AUDIT))
    return [audit.as_json(event) for event in rows]


def _scheme(url: object) -> str | None:
    return str(url).split("://", 1)[0].split("+", 1)[0] if url and "://" in str(url) else (str(url) if url else None)


def support_settings(settings: dict) -> dict:
    """What support needs of the settings: no instance path, and of the database and Redis only their kind (a host,
    a user or a password, masked or not, is never in a bundle)."""
    kept = {key: value for key, value in settings.items() if key not in ("instancePath", "database", "redis")}
    kept["database"] = _scheme(settings.get("database"))
    kept["redis"] = "embedded" if settings.get("redis") == "embedded" else _scheme(settings.get("redis"))
    return kept


def build(session: Session, actor: Actor, sync_id: str, permissions: Permissions, tools: Tools,
          job_stats: Callable[[int], JobStats | None], settings: dict, issue_data: bool = False,
          now: datetime | None = None) -> tuple[str, bytes]:
    """The support bundle's file name and bytes, for the synchronization's own admins (audited)."""
    sync, side = access.acting(session, actor, sync_id, "support", permissions,
                               "to download its support bundle", lock=False)
    jobs = job_stats(sync.id)
    made = now or utcnow()
    recent = list(session.scalars(select(SyncError).where(SyncError.sync_id == sync.id)
                                  .order_by(SyncError.last_seen.desc()).limit(MAX_ERRORS)))
    files = {
        "README.txt": README.format(
            id=sync.id, name=sync.name, made=iso(made), max_errors=MAX_ERRORS,
            links_extra=" and, with issue data, each pair's last agreed field values" if issue_data else "",
            issue_data="It includes issue data (field values of linked issues, values that lost a conflict), "
            "because whoever made it asked for it." if issue_data else "Issue content is left out: only issue "
            "keys and ids and field names are in it."),
        "synchronization.json": _json(_definition(sync)),
        "configuration.json": _json(_configuration(session, sync)),
        "status.json": _json(_status(session, sync)),
        "audit.json": _json(_audit(session, sync)),
        "errors.json": _json(errors.described(session, sync, recent, detail=issue_data)),
        "links.json": _json(_links(session, sync, issue_data)),
        "analysis.json": _json([check.as_json() for check in analysis.analyze(session, sync, tools, jobs)]),
        "queue.json": _json(_queue(session, sync, jobs)),
        "app.json": _json(versions()),
        "settings.json": _json(support_settings(settings)),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"work-sync-support-{sync.id}/{name}", _scrub(text))
    audit.record(session, sync, "support bundle", actor=actor, side=side, old_status=audit.stored_status(sync),
                 detail={"issueData": issue_data})
    return f"work-sync-support-{sync.id}-{made.strftime('%Y%m%d-%H%M%S')}.zip", buffer.getvalue()
