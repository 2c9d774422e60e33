"""Analyze a synchronization: checks that each say pass, warn or fail, why, and what to do. Both sites installed
and reachable, the app user's permissions on both projects, the configuration against both sides' metadata today,
webhooks arriving, the queue, and recent conflicts. Nothing is written."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.config.published import published_document
from plugin.engine.intake import dirty
from plugin.engine.tools import Tools
from plugin.errors import AuthError, PermissionDenied, RateLimited, TokenExpired, WorkSyncError
from plugin.jobstats import FailedJob, JobStats
from plugin.models import WebhookDelivery, utcnow
from plugin.models.base import aware, iso
from plugin.models.links import DirtyIssue, PollCursor
from plugin.models.problems import OPEN, SyncError
from plugin.models.syncs import Synchronization
from plugin.syncs.words import agreeing, count_of

PASS, WARN, FAIL = "pass", "warn", "fail"
# What the app user needs on each project, and what for (setting our marker property needs Edit Issues too).
NEEDED = {
    "BROWSE_PROJECTS": ("Browse Projects", "read the issues"),
    "CREATE_ISSUES": ("Create Issues", "create partner issues"),
    "EDIT_ISSUES": ("Edit Issues", "write fields and set its marker property"),
    "TRANSITION_ISSUES": ("Transition Issues", "move statuses"),
    "ADD_COMMENTS": ("Add Comments", "copy comments"),
    "CREATE_ATTACHMENTS": ("Create Attachments", "copy attachments"),
}
RECENT = timedelta(hours=24)
BACKLOG_WARN, BACKLOG_WAIT_WARN, BACKLOG_WAIT_FAIL = 200, timedelta(minutes=10), timedelta(hours=1)


@dataclass
class Check:
    """One check's verdict: pass, warn or fail; what it found (message) and what to do (fix)."""

    id: str
    title: str
    state: str
    message: str
    fix: str | None = None
    side: int | None = None
    details: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The check as the API answers it."""
        return {"id": self.id, "side": self.side, "title": self.title, "state": self.state, "message": self.message,
                "fix": self.fix, "details": self.details}


def _site(sync: Synchronization, side: int) -> str:
    tenant = sync.tenant(side)
    return tenant.display_url or tenant.base_url


def _where(sync: Synchronization, side: int) -> str:
    return f"{sync.project_key(side)} on {_site(sync, side)}"


def installed(sync: Synchronization, side: int) -> Check:
    """The app is installed, enabled and trusted on the side's site."""
    tenant, title = sync.tenant(side), f"Work Sync installed on {_site(sync, side)}"
    if tenant.active:
        return Check("installed", title, PASS, f"Work Sync is installed and enabled on {_site(sync, side)}.",
                     side=side)
    why = ("uninstalled" if not tenant.installed else "disabled" if not tenant.enabled
           else "replaced by another installation" if tenant.replaced_by_client_key else "not yet proven")
    return Check("installed", title, FAIL, f"Work Sync is {why} on {_site(sync, side)}: nothing syncs.",
                 f"A Jira admin of {_site(sync, side)} installs or enables Work Sync (Apps → Manage apps).", side)


def reachable(sync: Synchronization, side: int, tools: Tools) -> tuple[Check, str | None]:
    """One cheap authenticated call (`myself`): the check and the app user's accountId when it worked."""
    title, site = f"{_site(sync, side)} answers Work Sync", _site(sync, side)
    if not sync.tenant(side).active:
        return Check("reachable", title, WARN, f"Not checked: Work Sync is not active on {site}.", side=side), None
    try:
        me = tools.jira_for(sync.tenant(side)).myself()
    except AuthError as exc:
        return Check("reachable", title, FAIL, f"{site} refuses Work Sync's credentials: {exc.message}",
                     f"Reinstall Work Sync on {site} (Apps → Manage apps) so that both agree on a new secret.",
                     side), None
    except PermissionDenied as exc:
        return Check("reachable", title, FAIL, f"{site} forbids Work Sync's calls: {exc.message}",
                     f"Check that Work Sync is enabled on {site} and that its app user is active.", side), None
    except RateLimited as exc:
        return Check("reachable", title, WARN, f"{site} asks Work Sync to wait {exc.retry_after:g} s (rate limit).",
                     "Nothing to do: Work Sync waits and goes on by itself.", side), None
    except TokenExpired:  # a Forge site lends us a token with every call it makes, and it has made none lately
        expired = sync.tenant(side).system_token_expires_at
        since = f" since its token expired at {iso(aware(expired))}" if expired else ""
        return Check("reachable", title, FAIL,
                     f"{site} has not called Work Sync{since}: without the app system token its calls bring, "
                     f"nothing of {_where(sync, side)} syncs (the changes wait, none is lost).",
                     f"A Jira admin of {site} checks that the Work Sync Forge app is installed and enabled (Apps → "
                     "Manage apps); the operator checks that its scheduled trigger runs (`forge install list`, and "
                     "`forge deploy` then `forge install --upgrade` after a change of the manifest).", side), None
    except WorkSyncError as exc:
        return Check("reachable", title, FAIL, f"{site} did not answer: {exc.message}",
                     f"Check that {site} is up; Work Sync retries by itself.", side), None
    return Check("reachable", title, PASS, f"{site} answers Work Sync's signed calls.", side=side), \
        me.get("accountId")


def permissions(sync: Synchronization, side: int, tools: Tools, account_id: str | None) -> Check:
    """The app user holds every permission the engine needs on the side's project."""
    title = f"Work Sync's permissions on {_where(sync, side)}"
    if account_id is None:
        return Check("permissions", title, WARN, f"Not checked: {_site(sync, side)} cannot be reached.", side=side)
    project = sync.project_id(side)
    try:
        grants = tools.jira_for(sync.tenant(side)).check_permissions(
            account_id, project_permissions={key: [project] for key in NEEDED})
    except WorkSyncError as exc:
        return Check("permissions", title, WARN, f"Not checked: {exc.message}", side=side)
    missing = [key for key in NEEDED if project not in grants.projects.get(key, set())]
    if not missing:
        return Check("permissions", title, PASS, f"Work Sync's app user holds every permission it needs on "
                     f"{_where(sync, side)}.", side=side)
    return Check("permissions", title, FAIL,
                 f"Work Sync's app user lacks {', '.join(NEEDED[k][0] for k in missing)} on {_where(sync, side)}.",
                 f"A Jira admin grants them to the app user in the permission scheme of {sync.project_key(side)} "
                 "(Jira puts app users in the atlassian-addons-project-access project role).", side,
                 [f"{NEEDED[k][0]} ({k}): to {NEEDED[k][1]}" for k in missing])


def configuration(session: Session, sync: Synchronization, tools: Tools) -> Check:
    """The published configuration still fits both projects as they are today."""
    title = "The configuration fits both projects"
    document = published_document(session, sync)
    if document is None:
        return Check("configuration", title, WARN, "No configuration is published yet: nothing can sync.",
                     "Configure it (••• → Configure); in review mode the partner accepts it.")
    try:
        found = tools.sides.problems(sync, document, refresh=True)
    except WorkSyncError as exc:
        return Check("configuration", title, WARN, f"Not checked: a project could not be read ({exc.message}).")
    if not found:
        return Check("configuration", title, PASS, f"Version {sync.configuration_version} still fits both projects.")
    return Check("configuration", title, FAIL,
                 f"{count_of(len(found), 'part')} of version {sync.configuration_version} no longer "
                 f"{agreeing(len(found), 'fits', 'fit')} the projects (something mapped was renamed, deleted or "
                 "changed).",
                 "Open Configure: the rows that no longer fit are marked; change or remove them and save (review "
                 "mode: send the draft and have the partner accept it), then retry the errors.",
                 details=[problem["message"] for problem in found[:20]])


def webhooks(session: Session, sync: Synchronization, side: int) -> Check:
    """Webhooks arrive, or only the poll catches changes (late)."""
    title, site = f"Webhooks from {_site(sync, side)}", _site(sync, side)
    last = session.scalar(select(func.max(WebhookDelivery.received_at))
                          .where(WebhookDelivery.tenant_id == sync.tenant_id(side)))
    cursor = session.scalar(select(PollCursor).where(PollCursor.sync_id == sync.id, PollCursor.side == side))
    if cursor is not None and cursor.missed_at is not None and utcnow() - aware(cursor.missed_at) < RECENT:
        return Check("webhooks", title, WARN,
                     f"The poll found changes on {site} that no webhook announced ({cursor.missed_webhooks} in all, "
                     f"the last at {iso(cursor.missed_at)}; the last webhook arrived "
                     f"{'at ' + iso(last) if last else 'never'}): they synced late, when the poll ran.",
                     f"Check that Work Sync is enabled on {site} and that {site} can reach Work Sync's address; "
                     "nothing is lost meanwhile, the poll catches every change.", side)
    if last is None:
        return Check("webhooks", title, PASS, f"No webhook from {site} yet, and the poll found no change "
                     "that one should have announced.", side=side)
    return Check("webhooks", title, PASS, f"Webhooks from {site} arrive (the last at {iso(last)}).", side=side)


def _paused(tools: Tools, sync: Synchronization) -> float | None:
    try:
        return tools.guard.paused_until("app", *(f"site:{sync.tenant(n).base_url}" for n in (1, 2)))
    except redis.RedisError:
        return None


QUOTA_NAMES = {"global-app-quota": "the app's hourly quota (all sites)", "tenant-app-quota": "its hourly quota here"}


def budget(sync: Synchronization, side: int, tools: Tools) -> Check:
    """The site's budget of Jira's 2026 limits: points used of each hourly quota (as Jira's answers last stated
    them), pauses and near-limit periods this hour, and whether Work Sync is slowed down there now."""
    site, base_url = _site(sync, side), sync.tenant(side).base_url
    title = f"Jira's rate limits on {site}"
    try:
        found = tools.guard.budget(base_url)
        paused = tools.guard.paused_until("app", f"site:{base_url}")
    except redis.RedisError:
        return Check("budget", title, WARN, "The queue (Redis) did not answer: the budget is unknown.", side=side)
    facts = [f"{stated['used']:,} of {stated['quota']:,} points of {QUOTA_NAMES.get(policy, policy)} used"
             for policy, stated in sorted(found["quotas"].items()) if stated.get("quota")]
    facts = facts or ["Jira has stated no points quota yet"]
    facts.append(f"{count_of(found['pauses'], 'pause')} and {count_of(found['nearLimitPeriods'], 'near-limit period')}"
                 " this hour")
    details = [f"{found['callsPerSecond']} calls per second at most"]
    if paused:
        message = f"Jira asked Work Sync to wait until {iso(_at(paused))}: " + "; ".join(facts) + "."
        return Check("budget", title, WARN, message, "Nothing to do: syncing goes on by itself when the pause ends.",
                     side=side, details=details)
    if found["slowedUntil"]:
        message = ("Jira says a limit is near: Work Sync calls this site more slowly until "
                   f"{iso(_at(found['slowedUntil']))}; " + "; ".join(facts) + ".")
        return Check("budget", title, WARN, message, "If this lasts, sync fewer fields or issues, or ask "
                     "Atlassian for a higher quota.", side=side, details=details)
    message = "; ".join(facts)
    return Check("budget", title, PASS, message[0].upper() + message[1:] + ".", side=side, details=details)


def queue(session: Session, sync: Synchronization, tools: Tools, jobs: JobStats | None) -> Check:
    """The backlog of dirty issues, scheduled retries, failed jobs and Jira's pauses."""
    count, oldest = dirty.backlog(session, sync.id)
    now = utcnow()
    retrying = session.scalar(select(func.count(DirtyIssue.id)).where(
        DirtyIssue.sync_id == sync.id, DirtyIssue.attempts > 0, DirtyIssue.not_before > now)) or 0
    waited = now - aware(oldest) if oldest else timedelta(0)
    paused = _paused(tools, sync)
    facts = [f"{count_of(count, 'issue')} {agreeing(count, 'waits', 'wait')} to sync" +
             (f" (the oldest for {int(waited.total_seconds() // 60)} min)" if count else ""),
             f"{retrying} {agreeing(retrying, 'waits', 'wait')} to be retried", ]
    if jobs is None:
        facts.append("the queue (Redis) could not be read")
    else:
        facts.append(f"{count_of(len(jobs.failed), 'job')} failed")
    if paused:
        facts.append(f"Jira asked Work Sync to wait until {iso(_at(paused))}")
    message = "; ".join(facts) + "."
    details = [_failed_job(job) for job in (jobs.failed if jobs else [])]
    if not sync.running:
        return Check("queue", "The queue", PASS, f"The synchronization is stopped: {message[0].lower()}{message[1:]}",
                     "Start it to sync what waits." if count else None, details=details)
    if waited > BACKLOG_WAIT_FAIL:
        return Check("queue", "The queue", FAIL, message, "Changes are stuck: check that workers run (`python -m "
                     "plugin worker`, at least one with the scheduler) and read their logs.", details=details)
    if count > BACKLOG_WARN or waited > BACKLOG_WAIT_WARN or (jobs and jobs.failed) or jobs is None:
        return Check("queue", "The queue", WARN, message, "Changes are late: add workers if they are busy, and "
                     "read the workers' logs for failed jobs.", details=details)
    if paused:
        return Check("queue", "The queue", WARN, message, "Nothing to do: Work Sync goes on by itself then.")
    return Check("queue", "The queue", PASS, message)


# A failed job's last error line, said in words: (pattern, what happened). The rest of the line follows as found.
_JOB_ERRORS = [
    (re.compile(r"IntegrityError"), "the database refused a write that contradicts what it holds"),
    (re.compile(r"OperationalError|InterfaceError|DisconnectionError"), "the database could not be reached"),
    (re.compile(r"JobTimeoutException|timed? ?out", re.I), "it ran longer than a job may and was stopped"),
    (re.compile(r"ConnectionError|RedisError"), "the queue (Redis) could not be reached"),
]
_TECHNICAL = re.compile(r"^(?:[\w.]+\.)?\w+(?:Error|Exception)\b:?\s*(?:\(\S+\)\s*)?")
_LINK = re.compile(r"\s*\(Background on this error at: \S+\)|https?://\S+")


def _failed_job(job: FailedJob) -> str:
    """What one failed job met, for people: when, what happened in words, then the error's own text (no class
    names, no help links of a library); the worker's log has the whole traceback."""
    text = _LINK.sub("", job.error or "").strip()
    happened = next((words for pattern, words in _JOB_ERRORS if pattern.search(text)), None)
    said = _TECHNICAL.sub("", text).strip() or text
    ended = f" at {iso(job.ended_at)}" if job.ended_at else ""
    if happened:
        return f"A sync job failed{ended}: {happened} ({said})."
    return f"A sync job failed{ended}: " + (f"{said}." if said else "the worker's log has the error.")


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def conflicts(session: Session, sync: Synchronization) -> Check:
    """Conflicts decided in the last day (both sides changed one field between syncs)."""
    since = utcnow() - RECENT
    rows = session.execute(select(SyncError.field, func.sum(SyncError.count)).where(
        SyncError.sync_id == sync.id, SyncError.category == "conflict", SyncError.last_seen >= since)
        .group_by(SyncError.field)).all()
    total = sum(int(n or 0) for _, n in rows)
    if not total:
        return Check("conflicts", "Conflicts", PASS, "No conflict in the last 24 hours.")
    return Check("conflicts", "Conflicts", WARN,
                 f"{count_of(total, 'conflict')} in the last 24 hours: both sides changed a field "
                 "between two syncs and the configured winner was kept.",
                 "Nothing to do unless the other value should have won: the errors table shows each (category "
                 "conflict, state resolved) with the value that lost; Configure decides which side wins a field.",
                 details=[f"{name}: {int(n)}" for name, n in rows])


def open_errors(session: Session, sync: Synchronization) -> Check:
    """Errors waiting for someone."""
    count = session.scalar(select(func.count(SyncError.id)).where(SyncError.sync_id == sync.id,
                                                                  SyncError.state == OPEN)) or 0
    if not count:
        return Check("errors", "Errors", PASS, "No open error.")
    return Check("errors", "Errors", WARN, f"{count_of(count, 'open error')}: each says what to do.",
                 "Fix what the errors below name, then Retry (or Retry all); Ignore what should not sync.")


def analyze(session: Session, sync: Synchronization, tools: Tools, jobs: JobStats | None,
            sides: tuple[int, ...] = (1, 2)) -> list[Check]:
    """Every check of the synchronization, side 1's before side 2's; of `sides` only (the caller's own side while
    the partner has not accepted: nothing of the partner's site or project is read or shown before that)."""
    checks = [installed(sync, side) for side in sides]
    accounts = {}
    for side in sides:
        check, accounts[side] = reachable(sync, side, tools)
        checks.append(check)
    checks += [permissions(sync, side, tools, accounts[side]) for side in sides]
    checks.append(configuration(session, sync, tools))
    checks += [webhooks(session, sync, side) for side in sides]
    checks += [budget(sync, side, tools) for side in sides]
    checks += [queue(session, sync, tools, jobs), conflicts(session, sync), open_errors(session, sync)]
    return checks
