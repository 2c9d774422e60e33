"""Syncing one dirty issue: take it, lock its link, read both sides, plan, apply, store the new base — or record
why not, and when to try again. Jobs call `sync_issue`; the preview endpoint calls `plan_for` (nothing written)."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, joinedload

from plugin import metrics
from plugin.engine import carry, creating, initial, links, mention_notes, problems, project_values, where
from plugin.engine.compiled import compile_for
from plugin.engine.context import EngineContext
from plugin.engine.core import inflight, values
from plugin.engine.core.mapping import PersonMatcher, Rule
from plugin.engine.core.model import UNMAPPED, IssueRead, Plan, other
from plugin.engine.core.plan import for_link
from plugin.engine.intake import dirty
from plugin.engine.issues import changed_by_others, put
from plugin.engine.outcome import Outcome
from plugin.engine.passes import SyncPass
from plugin.engine.workflow import Unreachable, reach
from plugin.errors import (
    AuthError,
    NotFound,
    PermissionDenied,
    RateLimited,
    TokenExpired,
    TransientError,
    WorkSyncError,
)
from plugin.models import utcnow
from plugin.models.links import CREATING, LINKED, Link
from plugin.models.syncs import ACTIVE, Synchronization

log = logging.getLogger(__name__)
S = Synchronization


def load_sync(session: Session, sync_id: int) -> Synchronization | None:
    """The synchronization with both sides' sites (workers act for both sides, so no site scope here)."""
    return session.scalar(select(S).where(S.id == sync_id, S.deleted_at.is_(None))
                          .options(joinedload(S.side1_tenant), joinedload(S.side2_tenant)))


def _lock_name(key: dirty.DirtyKey, link: Link | None) -> str:
    if link is not None and link.state == LINKED:
        return f"link:{link.id}"
    if link is not None:
        return f"issue:{key.sync_id}:{link.origin_side}:{link.issue_id(link.origin_side)}"
    return f"issue:{key.sync_id}:{key.side}:{key.issue_id}"


def sync_issue(ctx: EngineContext, key: dirty.DirtyKey) -> Outcome:
    """Sync one dirty issue if it is due and its link is free; whatever happens, the dirty row tells what is left."""
    with ctx.sessions() as session:
        row = dirty.find(session, key)
        if row is None:
            return Outcome("clean")
        sync = load_sync(session, key.sync_id)
        if sync is None:
            dirty.done(session, row, row.revision)
            session.commit()
            return Outcome("clean", "the synchronization is gone")
        if not (sync.state == ACTIVE and sync.running):
            return Outcome("stopped")  # stays dirty: caught up on the next start
        now = utcnow()
        if _aware(row.not_before) > now:
            return Outcome("later", "not due yet")
        paused = ctx.guard.paused_until("app", f"site:{sync.tenant(1).base_url}", f"site:{sync.tenant(2).base_url}")
        if paused:
            dirty.later(session, row, datetime.fromtimestamp(paused, UTC))
            session.commit()
            return Outcome("later", "Jira asked to wait")
        if not all(ctx.guard.spend(sync.tenant(side).base_url) for side in (1, 2)):
            # this site's budget of this second is spent: due again when the next second begins
            dirty.later(session, row, now.replace(microsecond=0) + timedelta(seconds=1))
            session.commit()
            return Outcome("later", "the site's request budget is spent for this second")
        revision = row.revision
        link = links.by_issue(session, sync.id, key.side, key.issue_id)
        with ctx.guard.lock(_lock_name(key, link)) as held:
            if not held:
                # The row stays due: the holder, finding it marked again when it is done, rings this job at once
                # (a row of the partner's side is rung by the next sweep). Pushing it later made that ring find it
                # "not due yet", and it then waited for a sweep: up to a second more per contended edit.
                return Outcome("later", "another worker holds the link")
            outcome = _guarded(session, ctx, sync, key, row)
        if outcome.state == "later" and _aware(row.not_before) <= now:
            dirty.later(session, row, now + timedelta(seconds=5))  # waiting on something: look again soon
        if outcome.state in ("synced", "clean", "failed"):
            again = not dirty.done(session, row, revision)
            outcome = Outcome(outcome.state, outcome.detail, again)
        session.commit()
        return outcome


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


SITE_WIDE = ("jira-quota-tenant-based", "jira-burst-based")


def pause_for(guard, exc: RateLimited) -> str:
    """Act on Jira's reason: the app's hourly quota pauses every call of the app; the app's hourly quota on one
    tenant, or a burst limit, pauses that site (the whole tenant); a per-issue limit only delays that issue (its
    dirty row). Returns the reason."""
    reason = exc.details.get("reason") or ""
    if reason == "jira-quota-global-based":
        guard.pause("app", exc.retry_after)
        metrics.paused("app", reason)
    elif reason in SITE_WIDE and exc.details.get("site"):  # the site's hourly quota of our app, or a burst
        guard.pause(f"site:{exc.details['site']}", exc.retry_after)
        metrics.paused(exc.details["site"], reason)
    return reason


def _guarded(session: Session, ctx: EngineContext, sync: Synchronization, key: dirty.DirtyKey, row) -> Outcome:
    """Run the sync and turn Jira's failures into data: retries with backoff, pauses, error rows."""
    trigger = row.reason
    try:
        return _run(session, ctx, sync, key, trigger)
    except RateLimited as exc:
        session.rollback()
        reason = pause_for(ctx.guard, exc)
        dirty.later(session, row, utcnow() + timedelta(seconds=exc.retry_after))
        return Outcome("later", f"rate limited ({reason or 'no reason'}) for {exc.retry_after} s")
    except TokenExpired as exc:  # a Forge site has not called in for an hour: wait for it, this is no failure
        session.rollback()
        dirty.later(session, row, utcnow() + timedelta(seconds=exc.retry_after))
        return Outcome("later", exc.message)
    except TransientError as exc:
        session.rollback()
        dirty.later(session, row, utcnow() + dirty.backoff(row.attempts), failed=True)
        if row.attempts >= 2:
            _record(session, sync, key, exc, "transient", trigger)
        return Outcome("later", exc.message)
    except (AuthError, PermissionDenied) as exc:
        session.rollback()
        _record(session, sync, key, exc, "auth" if isinstance(exc, AuthError) else "permission", trigger,
                permanent=True)
        dirty.later(session, row, utcnow() + timedelta(hours=1))  # parked until fixed (Retry brings it back)
        return Outcome("later", exc.message)
    except WorkSyncError as exc:  # Jira refused what we sent (400, 404, 409): permanent, never a retry loop
        session.rollback()
        _record(session, sync, key, exc, "validation" if exc.status == 400 else "not_found", trigger,
                permanent=True, errors=exc.details.get("errors"))
        return Outcome("failed", exc.message)
    except SQLAlchemyError as exc:  # our own database refused (a clash with a stored pair, a lock): seen, backed off
        session.rollback()
        message = _database_trouble(sync, key, exc)
        log.warning("%s", message, exc_info=row.attempts == 0)  # the traceback once, then one line per attempt
        problems.record(session, sync.id, category="internal", message=message, side=key.side,
                        issue_id=key.issue_id, trigger=trigger, detail={"error": type(exc).__name__})
        dirty.later(session, row, utcnow() + dirty.backoff(row.attempts), failed=True)
        return Outcome("later", message)


def _database_trouble(sync: Synchronization, key: dirty.DirtyKey, exc: SQLAlchemyError) -> str:
    """What the database said, in words, without the statement and parameters SQLAlchemy appends."""
    said = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    what = ("refused to store a pair that clashes with one it already holds" if isinstance(exc, IntegrityError)
            else "failed")
    return (f"Work Sync's database {what} while syncing issue {key.issue_id} of {sync.project_key(key.side)} "
            f"({said}); Work Sync tries again later, waiting longer each time.")


def _record(session: Session, sync: Synchronization, key: dirty.DirtyKey, exc: WorkSyncError, category: str,
            trigger: str, permanent: bool = False, errors: dict | None = None) -> None:
    """An error row for the call that failed: its side, site and issue (not the job's), its deed in words."""
    noted = where.of(exc)
    side = noted.side if noted else _side_of_site(sync, exc.details.get("site")) or key.side
    issue_id = noted.issue_id if noted and noted.issue_id else (key.issue_id if side == key.side else None)
    if issue_id is None:  # a call about no issue of that side (a create): the row stays with the issue it served
        side, issue_id = key.side, key.issue_id
    site = exc.details.get("site") or sync.tenant(side).base_url
    fix = None
    if category == "permission":
        fix = (f"Work Sync's app user lacks a permission in project {sync.project_key(side)} on "
               f"{where.site_name(site)}: grant it in that project's permission scheme, then retry.")
    detail = {"site": site, **({"errors": errors} if errors else {})}
    problems.record(session, sync.id, category=category, message=where.message(exc, site, noted), side=side,
                    issue_id=issue_id, issue_key=noted.issue_key if noted and noted.issue_id == issue_id else None,
                    trigger=trigger, permanent=permanent, fix=fix, detail=detail)


def _side_of_site(sync: Synchronization, site: str | None) -> int | None:
    sides = [side for side in (1, 2) if site and sync.tenant(side).base_url == site]
    return sides[0] if len(sides) == 1 else None


def _learn_app_accounts(session: Session, ctx: EngineContext, sync: Synchronization) -> None:
    """Our app's user on each site, once: the inbox then recognises our own writes coming back."""
    for side in (1, 2):
        tenant = sync.tenant(side)
        if tenant.app_account_id is None:
            with where.at(side, "reading Work Sync's own user"):
                tenant.app_account_id = ctx.jira_for(tenant).myself().get("accountId")
            session.commit()


def _run(session: Session, ctx: EngineContext, sync: Synchronization, key: dirty.DirtyKey, trigger: str) -> Outcome:
    _learn_app_accounts(session, ctx, sync)
    compiled = compile_for(session, ctx, sync)
    if compiled is None:
        return Outcome("clean", "no published configuration")
    run = SyncPass(session, ctx, sync, compiled, trigger)
    link = links.by_issue(session, sync.id, key.side, key.issue_id)
    if link is not None and link.state == CREATING:
        if initial.running(session, sync.id, link.origin_side):
            return _wait_for_initial(session, key)
        return creating.resume(run, link)
    try:
        with where.at(key.side, f"reading {link.issue_key(key.side) if link else 'a changed issue'}", key.issue_id,
                      link.issue_key(key.side) if link else None):
            source = run.read(key.side, key.issue_id)
    except NotFound:
        return creating.gone(run, link, key.side) if link else Outcome("clean", "gone")
    if link is None:
        if initial.running(session, sync.id, key.side) and source.created < initial.started(sync):
            return _wait_for_initial(session, key)
        return creating.start(run, source)
    if link.state != LINKED:
        return Outcome("clean", f"the link is {link.state}")
    target = other(key.side)
    try:
        with where.at(target, f"reading {link.issue_key(target)}, the partner of {source.key}", link.issue_id(target),
                      link.issue_key(target)):
            partner = run.read(target, link.known_issue_id(target))
    except NotFound:
        return creating.gone(run, link, target)
    issues = {key.side: source, target: partner}
    matcher = run.people(issues)
    rules = run.rules(issues, matcher)
    plan = for_link(rules, compiled.status, issues, link.base)
    apply_plan(run, link, plan, issues, rules, matcher)
    session.commit()
    carry.carry_all(run, link, issues, matcher)
    return Outcome("synced")


def _wait_for_initial(session: Session, key: dirty.DirtyKey) -> Outcome:
    """Park the issue until the initial sync of its side is done (which then makes it due again)."""
    row = dirty.find(session, key)
    if row is not None:
        dirty.later(session, row, utcnow() + initial.WAIT)
    return Outcome("later", "the initial sync brings this existing issue across")


def apply_plan(run: SyncPass, link: Link, plan: Plan, issues: dict[int, IssueRead], rules: list[Rule],
               matcher: PersonMatcher | None = None) -> None:
    """Write the plan (one PUT per side, then transitions), store the new base, record conflicts and problems."""
    session, sync = run.session, run.sync
    recorded = set()
    project_values.follow(run, issues, {side: change.fields for side, change in plan.writes.items()})
    for side, change in plan.writes.items():
        if change.fields:
            project_values.prepare(run, side, change.fields, link.issue_key(side))
            with where.at(side, f"updating {link.issue_key(side)} from {link.issue_key(other(side))}",
                          link.issue_id(side), link.issue_key(side)):
                after = put(run.jira(side), side, link.known_issue_id(side), change.fields, links.MARKER)
            metrics.synced(issues[other(side)].updated)
            if matcher is not None:
                mention_notes.note_fields(run, link, side, change.fields, issues[other(side)], rules, matcher)
            lost = inflight.overwritten(rules, issues[side], after, change.fields,
                                        sync.tenant(side).app_account_id) if after is not None else []
            if lost:
                _keep_their_edits(run, link, plan, side, lost)
            if after is not None and changed_by_others(issues[side], after, run.compiled.field_ids[side],
                                                       change.fields):
                link.set_updated(side, None)  # the poll and this mark look at it again: nothing is masked
                dirty.mark(session, dirty.DirtyKey(sync.id, side, link.known_issue_id(side)), "recheck")
            else:
                link.set_updated(side, after.updated if after else None)
        else:
            link.set_updated(side, issues[side].updated)
        if change.status is not None:
            graph = (sync.tenant_id(side), sync.project_id(side), issues[side].type_id)
            try:
                with where.at(side, f"moving {link.issue_key(side)} to the status of {link.issue_key(other(side))}",
                              link.issue_id(side), link.issue_key(side)):
                    reach(run.jira(side), run.ctx.graphs, graph, link.known_issue_id(side), issues[side].status_id,
                          change.status)
                link.set_updated(side, None)
            except Unreachable as exc:
                plan.base[str(side)]["status"] = issues[side].status_id
                recorded.add(run.problem(category="workflow", message=str(exc), side=side,
                                         issue_id=link.issue_id(side), issue_key=link.issue_key(side),
                                         field="status", permanent=True).fingerprint)
    for problem in plan.problems:
        recorded.add(run.problem(category=problem.category, message=problem.message, side=problem.side,
                                 issue_id=link.issue_id(problem.side or link.origin_side), field=problem.key,
                                 permanent=problem.permanent).fingerprint)
    for conflict in plan.conflicts:
        loser = other(conflict.winner)
        run.problem(category="conflict", state="resolved", field=conflict.key,
                    message=f"Both sides changed {conflict.key}; side {conflict.winner} won", side=loser,
                    issue_id=link.issue_id(loser), issue_key=link.issue_key(loser),
                    detail={"lost": conflict.lost, "won": conflict.won, "winner": conflict.winner})
    link.base, link.last_synced_at, link.updated_at = plan.base, utcnow(), utcnow()
    link.configuration_version = sync.configuration_version
    for side in (1, 2):
        link.set_issue(side, link.known_issue_id(side), issues[side].key)
    problems.resolve_issue(session, sync.id, [link.known_issue_id(1), link.known_issue_id(2)], keep=recorded)


def _keep_their_edits(run: SyncPass, link: Link, plan: Plan, side: int, lost: list[inflight.Overwritten]) -> None:
    """Someone changed fields of this side while our PUT of them was on its way, and the PUT overwrote them. By the
    policy their newer change wins: it is written back (the next pass, marked here, carries it across), and the
    conflict is recorded with the value that lost; where the changelog cannot give their value back exactly (rich
    text, sets) or the other side is master, our value stays and the row shows theirs."""
    restore: dict[str, object] = {}
    for item in lost:
        field_id, kind = item.rule.ids[side], item.rule.kinds[side]
        ours = plan.base[str(side)].get(item.rule.key)
        restored = item.person_wins and item.value is not UNMAPPED
        if restored:
            restore[field_id] = values.write(kind, item.value)
        who = "their change is newer and was kept" if restored else (
            f"side {other(side)} is the master of {item.rule.key}, so the synced value stays" if not item.person_wins
            else "Jira's changelog cannot give their value back exactly, so the synced value stays")
        run.problem(category="conflict", state="resolved" if restored or not item.person_wins else "open",
                    field=item.rule.key, side=side, issue_id=link.issue_id(side), issue_key=link.issue_key(side),
                    message=f"{item.rule.key} of {link.issue_key(side)} was changed on "
                            f"{where.site_name(run.sync.tenant(side).base_url)} while Work Sync wrote it; {who}",
                    detail={"lost": ours if restored else item.change.to_string,
                            "won": item.change.to_string if restored else ours,
                            "winner": side if restored else other(side), "during": "write"})
    if restore:
        with where.at(side, f"writing back the edit made on {link.issue_key(side)} while Work Sync wrote it",
                      link.issue_id(side), link.issue_key(side)):
            run.jira(side).update_issue(link.known_issue_id(side), fields=restore)
        dirty.mark(run.session, dirty.DirtyKey(run.sync.id, side, link.known_issue_id(side)), "recheck")


def plan_for(session: Session, ctx: EngineContext, sync: Synchronization, side: int, issue_id: str) -> dict:
    """What a sync of this issue would do now (the preview): nothing is written."""
    compiled = compile_for(session, ctx, sync)
    if compiled is None:
        return {"state": "unconfigured", "plan": None}
    run = SyncPass(session, ctx, sync, compiled, "preview")
    link = links.by_issue(session, sync.id, side, issue_id)
    source = run.read(side, issue_id)
    if link is None or link.state != LINKED:
        return {"state": "new", "plan": creating.preview(run, source).as_json()}
    target = other(side)
    issues = {side: source, target: run.read(target, link.known_issue_id(target))}
    plan = for_link(run.rules(issues), compiled.status, issues, link.base)
    return {"state": "linked", "link": str(link.id), "plan": plan.as_json()}
