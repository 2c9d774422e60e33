"""The initial sync: the issues that existed when a synchronization first started, brought across in bulk —
searched 100 at a time (`search/jql`), read in bulk (`issue/bulkfetch`), created 50 per call (`issue/bulk`, each
with its marker). Resumable: intents are stored before each bulk create, the page cursor after each page, and a
run killed at any point resumes by finding its markers, never by creating twice."""
from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from plugin.engine import carry, links, problems
from plugin.engine.compiled import Compiled, compile_for
from plugin.engine.core.plan import base_after_create, for_new_issue
from plugin.engine.core.values import utc_format, utc_timestamp
from plugin.engine.issues import issue_read
from plugin.engine.workflow import Unreachable, reach
from plugin.jira.client import BULK_CREATE_LIMIT
from plugin.models import utcnow
from plugin.models.links import CREATING, DirtyIssue, InitialSync, Link
from plugin.models.syncs import Synchronization

PAGE = 100
GRACE = timedelta(seconds=120)
WAIT = timedelta(seconds=20)  # an existing issue's own sync looks again this often while the initial sync runs


def begin(session: Session, sync: Synchronization, document: dict) -> bool:
    """On a first start with `existingIssues: sync`: plan the initial sync of each side that creates issues."""
    if document.get("existingIssues") != "sync":
        return False
    sides = {int(side) for row in document["issueTypes"] for side in ("1", "2")
             if row["direction"] in ("both", f"{side}→{3 - int(side)}")}
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
    return utc_format(sync.first_started_at)


def step(session: Session, tools, sync: Synchronization) -> bool:
    """One page of the first unfinished side; True when more remains."""
    row = session.scalar(select(InitialSync).where(InitialSync.sync_id == sync.id, InitialSync.state != "done")
                         .order_by(InitialSync.side))
    compiled = compile_for(session, tools, sync)
    if row is None or compiled is None:
        return False
    side = row.side
    jira = tools.jira_for(sync.tenant(side))
    if row.state == "pending":
        _count(session, tools, sync)
        row.state = "running"
        session.commit()
    _recover(session, tools, sync, compiled, side)
    query = f"project = {sync.project_id(side)} ORDER BY created ASC"
    page = jira.search_page(query, fields=["created", "issuetype"], page_size=PAGE, token=row.next_page_token)
    first_start, types = started(sync), compiled.types(side)
    existing = [issue for issue in page["issues"]
                if (utc_timestamp(issue["fields"].get("created")) or "") < first_start]
    wanted = [str(issue["id"]) for issue in existing if (issue["fields"].get("issuetype") or {}).get("id") in types]
    known = _linked(session, sync.id, side, wanted)
    candidates = [issue_id for issue_id in wanted if issue_id not in known]
    if candidates:
        _bring_across(session, tools, sync, compiled, side, candidates)
    row.done += len(existing)  # issues created since the start (mirrors included) are the engine's, not counted
    row.next_page_token = page.get("nextPageToken")
    if page.get("isLast", True) or not row.next_page_token:
        row.total = row.done = max(row.done, row.total or 0)  # the count was taken a moment after the start
        row.state, row.finished_at = "done", utcnow()
        session.execute(update(DirtyIssue).where(DirtyIssue.sync_id == sync.id).values(not_before=utcnow()))
    session.commit()
    return bool(session.scalar(select(InitialSync.id).where(InitialSync.sync_id == sync.id,
                                                            InitialSync.state != "done")))


def _count(session: Session, tools, sync: Synchronization) -> None:
    """Count every side's issues at once, right after the start: before either side's copies land on the other."""
    for row in session.scalars(select(InitialSync).where(InitialSync.sync_id == sync.id,
                                                         InitialSync.total.is_(None))):
        row.total = tools.jira_for(sync.tenant(row.side)).count(f"project = {sync.project_id(row.side)}")


def _linked(session: Session, sync_id: int, side: int, issue_ids: list[str]) -> set[str]:
    column = Link.side1_issue_id if side == 1 else Link.side2_issue_id
    return set(session.scalars(select(column).where(Link.sync_id == sync_id, column.in_(issue_ids))))


def _bring_across(session: Session, tools, sync: Synchronization, compiled: Compiled, side: int,
                  issue_ids: list[str]) -> None:
    target = 3 - side
    fetched = tools.jira_for(sync.tenant(side)).bulk_fetch(
        issue_ids, fields=list(dict.fromkeys(["summary", "status", "issuetype", "project", "updated", "created",
                                              *compiled.field_ids[side]])),
        properties=[links.MARKER])
    sources = [issue_read(side, raw, links.MARKER) for raw in fetched.get("issues") or []]
    sources = [s for s in sources if not (s.marker and s.marker.get("sync") == str(sync.id))]
    plans = []
    for source in sources:
        matcher = compiled.people(tools, sync, {side: source})
        plan = for_new_issue(compiled.rules(tools, sync, {side: source}, matcher), compiled.status,
                             compiled.types(side), source, sync.project_id(target))
        if plan.create is not None:
            link = links.intend(session, sync.id, side, source.id, source.key, sync.configuration_version)
            plans.append((source, plan, link, matcher))
    session.commit()  # every intent is stored before Jira is asked
    for start in range(0, len(plans), BULK_CREATE_LIMIT):
        chunk = plans[start:start + BULK_CREATE_LIMIT]
        answer = tools.jira_for(sync.tenant(target)).create_issues([
            {"fields": plan.create["fields"], "properties": [
                {"key": links.MARKER, "value": links.marker(sync.id, link, sync.tenant(side).base_url)}]}
            for _, plan, link, _ in chunk])
        failed = {error.get("failedElementNumber"): error for error in answer.get("errors") or []}
        created = iter(answer.get("issues") or [])
        for number, (source, _, link, _) in enumerate(chunk):
            if number in failed:
                session.delete(link)
                problems.record(session, sync.id, category="validation", permanent=True, trigger="initial",
                                side=side, issue_id=source.id, issue_key=source.key,
                                message=f"{source.key} could not be created on side {target}: "
                                        f"{failed[number].get('elementErrors')}")
                continue
            issue = next(created)
            link.set_issue(target, str(issue["id"]), issue["key"])
        session.commit()
    _finish(session, tools, sync, compiled, [(s, p, link, m) for s, p, link, m in plans
                                             if link.issue_id(target) is not None])


def _finish(session: Session, tools, sync: Synchronization, compiled: Compiled, made: list) -> None:
    """Read what was created (in bulk), move it to its status, store each base, carry comments and attachments."""
    if not made:
        return
    target = 3 - made[0][2].origin_side
    jira = tools.jira_for(sync.tenant(target))
    reads = {}
    for start in range(0, len(made), 100):
        chunk = [link.issue_id(target) for _, _, link, _ in made[start:start + 100]]
        for raw in jira.bulk_fetch(chunk, fields=list(dict.fromkeys(
                ["summary", "status", "issuetype", "project", "updated", "created", *compiled.field_ids[target]])),
                properties=[links.MARKER]).get("issues") or []:
            reads[str(raw["id"])] = issue_read(target, raw, links.MARKER)
    for source, plan, link, matcher in made:
        created = reads.get(link.issue_id(target))
        if created is None:
            continue
        status, moved = plan.create.get("status"), False
        if status and created.status_id != status:
            moved = True
            try:
                reach(jira, tools.graphs, (sync.tenant_id(target), sync.project_id(target), created.type_id),
                      created.id, created.status_id, status)
                created.status_id = status
            except Unreachable as exc:
                problems.record(session, sync.id, category="workflow", message=str(exc), side=target,
                                issue_id=created.id, issue_key=created.key, field="status", trigger="initial",
                                permanent=True)
        issues = {source.side: source, target: created}
        link.base = base_after_create(compiled.rules(tools, sync, issues, matcher), compiled.status, source, created)
        links.complete(link, target, created.id, created.key)
        link.set_updated(source.side, source.updated)
        link.set_updated(target, None if moved else created.updated)  # a transition changed `updated` again
        link.last_synced_at = utcnow()
        session.commit()
        carry.carry_all(session, tools, sync, compiled.document, link, issues, matcher, "initial")
        session.commit()


def _recover(session: Session, tools, sync: Synchronization, compiled: Compiled, side: int) -> None:
    """After a crash: intents whose partner Jira created are completed from their markers; the rest are dropped
    once search had time to show them (their issues are then brought across again)."""
    target = 3 - side
    pending = list(session.scalars(select(Link).where(Link.sync_id == sync.id, Link.state == CREATING,
                                                      Link.origin_side == side)))
    if not pending:
        return
    jira = tools.jira_for(sync.tenant(target))
    found = {}
    for issue in jira.search(f'project = {sync.project_id(target)} AND '
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
        fetched = tools.jira_for(sync.tenant(side)).bulk_fetch(
            [link.issue_id(side) for link in made], fields=list(dict.fromkeys(
                ["summary", "status", "issuetype", "project", "updated", "created", *compiled.field_ids[side]])),
            properties=[links.MARKER])
        sources = {str(raw["id"]): issue_read(side, raw, links.MARKER) for raw in fetched.get("issues") or []}
        rebuilt = []
        for link in made:
            source = sources.get(link.issue_id(side))
            if source is not None:
                matcher = compiled.people(tools, sync, {side: source})
                plan = for_new_issue(compiled.rules(tools, sync, {side: source}, matcher), compiled.status,
                                     compiled.types(side), source, sync.project_id(target))
                rebuilt.append((source, plan, link, matcher))
        _finish(session, tools, sync, compiled, rebuilt)
