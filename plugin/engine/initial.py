"""The initial sync: the issues that existed when a synchronization first started, brought across in bulk —
searched 1,000 ids at a time (`search/jql`), read in bulk (`issue/bulkfetch`), created 50 per call (`issue/bulk`, each
with its marker). Resumable: intents are stored before each bulk create, the page cursor after each page, and a
run killed at any point resumes by finding its markers, never by creating twice."""
from __future__ import annotations

from datetime import UTC, timedelta
from typing import cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from plugin.engine import completing, hierarchy, links, pairing, project_values, where
from plugin.engine.compiled import compile_for
from plugin.engine.context import EngineContext
from plugin.engine.core.mapping import PersonMatcher
from plugin.engine.core.model import IssueRead, Plan, other
from plugin.engine.core.plan import for_new_issue
from plugin.engine.core.values import utc_format
from plugin.engine.issues import ALWAYS, issue_read
from plugin.engine.passes import SyncPass
from plugin.jira.client import BULK_CREATE_LIMIT
from plugin.models import utcnow
from plugin.models.links import CREATING, DirtyIssue, InitialSync, Link
from plugin.models.syncs import Synchronization

PAGE = 1000  # Jira allows 5,000 ids a page; 1,000 keeps one step (one job) well inside its timeout
GRACE = timedelta(seconds=120)
WAIT = timedelta(seconds=20)  # an existing issue's own sync looks again this often while the initial sync runs


def begin(session: Session, sync: Synchronization, document: dict) -> bool:
    """On a first start with `existingIssues: sync`: plan the initial sync of each side that creates issues."""
    if document.get("existingIssues") != "sync":
        return False
    sides = {int(side) for row in document["issueTypes"] for side in ("1", "2")
             if row["direction"] in ("both", f"{side}→{other(int(side))}")}
    for side in sorted(sides):
        if session.scalar(select(InitialSync.id).where(InitialSync.sync_id == sync.id, InitialSync.side == side)):
            continue
        session.add(InitialSync(sync_id=sync.id, side=side, state="pending", done=0))
    return bool(sides)


def running(session: Session, sync_id: int, side: int) -> bool:
    """True while the initial sync of that side is not finished."""
    return bool(session.scalar(select(InitialSync.id).where(InitialSync.sync_id == sync_id, InitialSync.side == side,
                                                            InitialSync.state != "done")))


def progress(session: Session, sync_id: int) -> dict:
    """`{state, done, total}` over both sides: n/a (none planned), pending, running or done."""
    rows = list(session.scalars(select(InitialSync).where(InitialSync.sync_id == sync_id)))
    if not rows:
        return {"state": "n/a", "done": 0, "total": 0}
    states = {row.state for row in rows}
    state = "done" if states == {"done"} else "running" if "running" in states or "done" in states else "pending"
    return {"state": state, "done": sum(row.done for row in rows),
            "total": sum(row.total if row.total is not None else row.done for row in rows)}


def started(sync: Synchronization) -> str:
    """When the synchronization first started, as a comparable UTC timestamp."""
    if sync.first_started_at is None:
        raise ValueError(f"synchronization {sync.id} was never started")
    return utc_format(sync.first_started_at)


def step(session: Session, ctx: EngineContext, sync: Synchronization) -> bool:
    """One page of the first unfinished side; True when more remains."""
    row = session.scalar(select(InitialSync).where(InitialSync.sync_id == sync.id, InitialSync.state != "done")
                         .order_by(InitialSync.side))
    compiled = compile_for(session, ctx, sync)
    if row is None or compiled is None:
        return False
    run = SyncPass(session, ctx, sync, compiled, "initial")
    side = row.side
    if row.state == "pending":
        _count(run)
        pairing.plan(run, started(sync))  # existing issues paired as configured, stored with the state below
        row.state = "running"
        session.commit()
    _recover(run, side)
    if pairing.merge_some(run):  # stored pairs first, a batch a step: then no page can create a paired one
        session.commit()
        return True
    query = f"project = {sync.project_id(side)} ORDER BY created ASC"
    # Ids only: Jira pages those up to 5,000 at a time (100 with other fields); created and type come from the bulk
    # fetch, which reads every issue not linked yet anyway.
    page = run.jira(side).search_page(query, fields=["id"], page_size=PAGE, token=row.next_page_token)
    first_start, types = started(sync), compiled.types(side)
    ids = [str(issue["id"]) for issue in page["issues"]]
    known = _linked(session, sync.id, side, ids)
    reads = _read_many(run, side, [issue_id for issue_id in ids if issue_id not in known])
    existing = [read for read in reads.values() if read.created < first_start]
    wanted = pairing.creatable(run, side, [read for read in existing if read.type_id in types])
    if wanted:
        hierarchy.in_order(run, side, wanted, _bring_across)  # parents before children
    # issues created since the start (mirrors included) are the engine's, not counted; a linked one of this side
    # (brought across by a run of this page that was killed) is
    row.done += len(existing) + _originals(session, sync.id, side, known)
    row.done = min(row.done, row.total) if row.total is not None else row.done
    row.next_page_token = page.get("nextPageToken")
    if page.get("isLast", True) or not row.next_page_token:
        row.total = row.done = max(row.done, row.total or 0)  # the count was taken a moment after the start
        row.state, row.finished_at = "done", utcnow()
        session.execute(update(DirtyIssue).where(DirtyIssue.sync_id == sync.id).values(not_before=utcnow()))
    session.commit()
    return bool(session.scalar(select(InitialSync.id).where(InitialSync.sync_id == sync.id,
                                                            InitialSync.state != "done")))


def _count(run: SyncPass) -> None:
    """Count every side's issues at once, right after the start: before either side's copies land on the other."""
    for row in run.session.scalars(select(InitialSync).where(InitialSync.sync_id == run.sync.id,
                                                             InitialSync.total.is_(None))):
        row.total = run.jira(row.side).count(f"project = {run.sync.project_id(row.side)}")


def _linked(session: Session, sync_id: int, side: int, issue_ids: list[str]) -> set[str]:
    column = Link.side1_issue_id if side == 1 else Link.side2_issue_id
    return set(session.scalars(select(column).where(Link.sync_id == sync_id, column.in_(issue_ids))))


def _read_many(run: SyncPass, side: int, issue_ids: list[str]) -> dict[str, IssueRead]:
    """Issues of one side by id, read in bulk (100 a call) with what the engine needs."""
    fields = list(dict.fromkeys([*ALWAYS, *run.compiled.field_ids[side]]))
    reads = {}
    for start in range(0, len(issue_ids), 100):
        answer = run.jira(side).bulk_fetch(issue_ids[start:start + 100], fields=fields, properties=[links.MARKER])
        for raw in answer.get("issues") or []:
            reads[str(raw["id"])] = issue_read(side, raw, links.MARKER)
    return reads


def _planned(run: SyncPass, source: IssueRead) -> tuple[Plan, PersonMatcher]:
    matcher = run.people({source.side: source})
    plan = for_new_issue(run.rules({source.side: source}, matcher), run.compiled.status,
                         run.compiled.types(source.side), source, run.sync.project_id(other(source.side)))
    return hierarchy.place(run, source, plan), matcher


def _originals(session: Session, sync_id: int, side: int, issue_ids: set[str]) -> int:
    """How many of these linked issues of `side` are the origins of their links (not mirrors of the other side)."""
    if not issue_ids:
        return 0
    column = Link.side1_issue_id if side == 1 else Link.side2_issue_id
    return len(set(session.scalars(select(column).where(Link.sync_id == sync_id, Link.origin_side == side,
                                                        column.in_(issue_ids)))))


def _bring_across(run: SyncPass, side: int, reads: list[IssueRead]) -> None:
    session, sync, target = run.session, run.sync, other(side)
    sources = [s for s in reads if not (s.marker and s.marker.get("sync") == str(sync.id))]
    plans = []
    for source in sources:
        plan, matcher = _planned(run, source)
        if plan.create is not None:
            link = links.intend(session, sync.id, side, source.id, source.key, sync.configuration_version)
            plans.append((source, plan, link, matcher))
    session.commit()  # every intent is stored before Jira is asked
    for start in range(0, len(plans), BULK_CREATE_LIMIT):
        chunk = plans[start:start + BULK_CREATE_LIMIT]
        for source, plan, _, _ in chunk:  # plans holds only plans with a create
            project_values.prepare(run, target, cast(dict, plan.create)["fields"], source.key)
        with where.at(target, f"creating the partners of {len(chunk)} existing issues"):
            answer = run.jira(target).create_issues([
                {"fields": cast(dict, plan.create)["fields"], "properties": [
                    {"key": links.MARKER, "value": links.marker(sync.id, link, sync.tenant(side).base_url)}]}
                for _, plan, link, _ in chunk])
        failed = {error.get("failedElementNumber"): error for error in answer.get("errors") or []}
        created = iter(answer.get("issues") or [])
        for number, (source, _, link, _) in enumerate(chunk):
            if number in failed:
                session.delete(link)
                run.problem(category="validation", permanent=True, side=side, issue_id=source.id,
                            issue_key=source.key, message=f"{source.key} could not be created on side {target}: "
                                                          f"{failed[number].get('elementErrors')}")
                continue
            issue = next(created)
            link.set_issue(target, str(issue["id"]), issue["key"])
        session.commit()
    _finish(run, [(s, p, link, m) for s, p, link, m in plans if link.issue_id(target) is not None])


Made = list[tuple[IssueRead, Plan, Link, PersonMatcher]]


def _finish(run: SyncPass, made: Made) -> None:
    """Read what was created (in bulk), then finish each create as a single one is finished (a partner Jira made
    is linked even when the configuration would no longer create it: a recovered intent whose type left the
    direction keeps the pair rather than orphan the issue)."""
    if not made:
        return
    target = other(made[0][2].origin_side)
    reads = _read_many(run, target, [link.known_issue_id(target) for _, _, link, _ in made])
    for source, plan, link, matcher in made:
        created = reads.get(link.known_issue_id(target))
        if created is not None:
            completing.finish(run, link, source, created, (plan.create or {}).get("status"), matcher)
            run.session.commit()


def _recover(run: SyncPass, side: int) -> None:
    """After a crash: intents whose partner Jira created are completed from their markers; the rest are dropped
    once search had time to show them (their issues are then brought across again)."""
    session, sync, target = run.session, run.sync, other(side)
    pending = list(session.scalars(select(Link).where(Link.sync_id == sync.id, Link.state == CREATING,
                                                      Link.origin_side == side)))
    if not pending:
        return
    found = {}
    for issue in run.jira(target).search(f'project = {sync.project_id(target)} AND '
                                         f'issue.property[{links.MARKER}].sync = "{sync.id}"', fields=["id"],
                                         properties=[links.MARKER]):
        token = ((issue.get("properties") or {}).get(links.MARKER) or {}).get("token")
        if token:
            found[token] = issue
    made = []
    for link in pending:
        if link.issue_id(target) is None and link.create_token in found:
            issue = found[link.create_token]
            link.set_issue(target, str(issue["id"]), issue.get("key") or str(issue["id"]))
        if link.issue_id(target) is not None:
            made.append(link)
        elif utcnow() - link.created_at.replace(tzinfo=link.created_at.tzinfo or UTC) > GRACE:
            session.delete(link)
    session.commit()
    if made:
        sources = _read_many(run, side, [link.known_issue_id(side) for link in made])
        rebuilt: Made = []
        for link in made:
            source = sources.get(link.known_issue_id(side))
            if source is not None:
                plan, matcher = _planned(run, source)
                rebuilt.append((source, plan, link, matcher))
        _finish(run, rebuilt)
