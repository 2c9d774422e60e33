"""Worklogs carried between linked pairs (see carry_worklogs).

Each mirror is recorded (a WorklogLink with a fresh token) before Jira is asked, and the POST carries that token as
a worklog property: a crash or a lost answer between the two leaves a pending row, which the next pass looks up by
the property (GET …/worklog?expand=properties) and adopts, or writes again when Jira never made it. The mirror is
written by Work Sync's user ("anonymous", naming the author in its first line). By user mapping ("user") it is written
as the mapped person when the target is a Forge site that lets the app act as them (offline user impersonation), with
no attribution line; otherwise (a Connect site, where Jira logs work only as the caller; no mapped person; the
exchange refused) it falls back to Work Sync's user naming the person, and a mapping problem says why. A mirror is
edited and deleted by whoever wrote it. Echoes are stopped by the worklog links and the mirror property, never by
the author."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from sqlalchemy import select

from plugin.engine import problems, where
from plugin.engine.core import worklogs as plan_worklogs
from plugin.engine.core.mapping import PersonMatcher
from plugin.engine.core.model import IssueRead, other
from plugin.engine.passes import SyncPass
from plugin.errors import PermissionDenied
from plugin.jira import JiraClient
from plugin.models import utcnow
from plugin.models.links import Link, WorklogLink
from plugin.models.problems import RESOLVED, SyncError


def _site_name(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def _worklogs(run: SyncPass, issue: IssueRead) -> list[dict]:
    found = issue.fields.get("worklog") or {}
    listed = found.get("worklogs") or []
    if found.get("total", len(listed)) > len(listed):  # the issue shows the first 20: read them all
        listed = run.jira(issue.side).worklogs(issue.id)
    return listed


def _by_author(run: SyncPass, target: int, author: str | None, write: Callable[[JiraClient], object]) -> None:
    """Edit or delete a mirror as the person who wrote it (not the app, and still one the app may act as); as the
    app when that person may not (Jira's Edit or Delete Own Worklogs: the app holds the "all" ones)."""
    if author and author != run.sync.tenant(target).app_account_id:
        client = run.jira_as(target, author)
        if isinstance(client, JiraClient):
            try:
                write(client)
                return
            except PermissionDenied:
                pass
    write(run.jira(target))


def _edit(issue_id: str, mirror_id: str, body: dict) -> Callable[[JiraClient], object]:
    return lambda client: client.edit_worklog(issue_id, mirror_id, body)


def _delete(issue_id: str, mirror_id: str) -> Callable[[JiraClient], object]:
    return lambda client: client.delete_worklog(issue_id, mirror_id)


def _fallback(run: SyncPass, source: int, worklog: dict, named: str | None, mapped: str | None, why: str) -> None:
    """The mapping problem of a mirror that is Work Sync's instead of its person's (one row per author and side)."""
    target, sites = other(source), {side: _site_name(run.sync.tenant(side).base_url) for side in (1, 2)}
    author = worklog.get("author") or {}
    name = author.get("displayName") or author.get("accountId") or "Someone"
    if mapped is None:
        message = (f"{name} on {sites[source]} has no account on {sites[target]} that the user mapping finds: the "
                   f"copies of their worklogs there are Work Sync's, naming them in the first line.")
        fix = f"Map {name} to their account on {sites[target]} in the user mapping (Configure); new copies are theirs."
    else:
        message = (f"The copies of {name}'s worklogs on {sites[target]} are Work Sync's, naming {named} in the first "
                   f"line: {why}.")
        fix = (f"Nothing to fix on a Connect site: the copies name {named}. Installed as a Forge app there, Work Sync "
               f"logs them as {named}." if run.sync.tenant(target).kind != "forge" else
               f"Check that {named} has an active account on {sites[target]} and that the Forge app there is up to "
               "date (its worklog scopes allow impersonation); new copies are then theirs.")
    field = f"worklogs-as:{author.get('accountId')}"
    if mapped is not None and run.sync.tenant(target).kind != "forge":
        # A Connect site: the copy is as documented and nothing can be fixed, so this is a note made once (resolved,
        # as a conflict's row is), not an error the synchronization would carry for good.
        known = problems.fingerprint(target, None, field, "mapping")
        if run.session.scalar(select(SyncError.id).where(SyncError.sync_id == run.sync.id,
                                                         SyncError.fingerprint == known)) is None:
            run.problem(category="mapping", side=target, field=field, message=message, fix=fix, state=RESOLVED)
        return
    run.problem(category="mapping", side=target, field=field, message=message, fix=fix, permanent=True)


def _known(rows: list[WorklogLink]) -> list[plan_worklogs.Known]:
    return [plan_worklogs.Known(r.origin_side, r.origin_id, r.mirror_id, r.digest, r.state, r.token) for r in rows]


def carry_worklogs(run: SyncPass, link: Link, issues: dict[int, IssueRead], matcher: PersonMatcher | None = None
                   ) -> None:
    """Mirror new worklogs, edit mirrors of edited ones, and follow deletes, per the configuration. A mirror whose
    answer was lost is looked up by its token first: adopted when Jira has it, written again when not."""
    session, sync, document = run.session, run.sync, run.compiled.document
    config = document.get("worklogs") or {}
    if config.get("direction", "none") == "none":
        return
    by_user = config.get("mode", "anonymous") == "user"
    rows = list(session.scalars(select(WorklogLink).where(WorklogLink.link_id == link.id)))
    listed = {side: _worklogs(run, issues[side]) for side in (1, 2)}
    known = _known(rows)
    pending_sides = {other(k.origin_side) for k in known if k.pending}
    if pending_sides:  # only after a lost or refused mirror: read that side's worklogs with their properties
        for side in pending_sides:
            listed[side] = run.jira(side).worklogs(link.known_issue_id(side), expand="properties")
        by_token = {r.token: r for r in rows}
        for token, mirror_id in plan_worklogs.adopt(known, listed).items():
            by_token[token].mirror_id, by_token[token].digest = mirror_id, None  # None: brought up to date below
        session.commit()
        known = _known(rows)
    by_origin = {(r.origin_side, r.origin_id): r for r in rows}
    plan = plan_worklogs.plan(listed, known, config, document.get("deletes", "ignore"))

    mirrors = {(side, str(w["id"])): (w.get("author") or {}).get("accountId") for side in (1, 2)
               for w in listed[side]}

    def body(source: int, worklog: dict, attributed: bool = True) -> dict:
        named = None
        account = (worklog.get("author") or {}).get("accountId")
        if by_user and matcher is not None and account:
            mapped = matcher.match(source, account, fallback=False)
            named = (matcher.people.names.get(mapped) if mapped else None) or mapped
        return plan_worklogs.mirror_body(worklog, _site_name(sync.tenant(source).base_url), named,
                                         partial(matcher.map_mentions, source) if matcher is not None else None,
                                         attributed)

    def writer(source: int, worklog: dict) -> JiraClient | None:
        """By user mapping, the client acting as the mapped person on the target; None (and why, recorded): the app."""
        account = (worklog.get("author") or {}).get("accountId")
        if not by_user or matcher is None or not account:
            return None
        mapped = matcher.match(source, account, fallback=False)
        named = (matcher.people.names.get(mapped) if mapped else None) or mapped
        client = run.jira_as(other(source), mapped) if mapped else None
        fingerprint = problems.fingerprint(other(source), None, f"worklogs-as:{account}", "mapping")
        if isinstance(client, JiraClient):
            problems.resolve(session, sync.id, fingerprint)
            return client
        _fallback(run, source, worklog, named, mapped, client or "")
        return None

    for target, worklog in plan.create + plan.retry:
        source = other(target)
        row = by_origin.get((source, str(worklog["id"])))
        if row is None:
            row = WorklogLink(link_id=link.id, origin_side=source, origin_id=str(worklog["id"]),
                              token=uuid.uuid4().hex, state="active")
            session.add(row)
            session.commit()  # the intent first: if the answer is lost, the mirror is found by this token
        with where.at(target, f"copying a worklog of {link.issue_key(source)} to {link.issue_key(target)}",
                      link.issue_id(target), link.issue_key(target)):
            person = writer(source, worklog)
            # the property even on a person's copy: a lost answer is still adopted, and it is never carried back
            created = (person or run.jira(target)).add_worklog(
                link.known_issue_id(target), body(source, worklog, attributed=person is None),
                properties={plan_worklogs.MIRROR_PROPERTY: {"token": row.token}})
        row.mirror_id, row.digest, row.updated_at = str(created["id"]), plan_worklogs.digest(worklog), utcnow()
        session.commit()
    for target, mirror_id, worklog in plan.edit:
        source = other(target)
        with where.at(target, f"editing the copy of a worklog of {link.issue_key(source)} on "
                              f"{link.issue_key(target)}", link.issue_id(target), link.issue_key(target)):
            author = mirrors.get((target, mirror_id))
            changed = body(source, worklog, attributed=author in (None, sync.tenant(target).app_account_id))
            _by_author(run, target, author, _edit(link.known_issue_id(target), mirror_id, changed))
        row = by_origin[(source, str(worklog["id"]))]
        row.digest, row.updated_at = plan_worklogs.digest(worklog), utcnow()
        session.commit()
    for target, mirror_id, origin_id in plan.delete:
        with where.at(target, f"deleting the copy of a worklog on {link.issue_key(target)}",
                      link.issue_id(target), link.issue_key(target)):
            _by_author(run, target, mirrors.get((target, mirror_id)), _delete(link.known_issue_id(target), mirror_id))
        by_origin[(other(target), origin_id)].state = "deleted"
        session.commit()
    for source, origin_id in plan.forget:
        by_origin[(source, origin_id)].state = "deleted"
    session.commit()
