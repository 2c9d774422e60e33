"""Worklogs carried between linked pairs (see carry_worklogs).

Each mirror is recorded (a WorklogLink with a fresh token) before Jira is asked, and the POST carries that token as
a worklog property: a crash or a lost answer between the two leaves a pending row, which the next pass looks up by
the property (GET …/worklog?expand=properties) and adopts, or writes again when Jira never made it. The mirror is
written by Work Sync's user ("anonymous"): Jira logs work only as the caller, so by user mapping the mapped person is
named in the attribution line instead."""
from __future__ import annotations

import uuid
from functools import partial
from urllib.parse import urlsplit

from sqlalchemy import select

from plugin.engine import where
from plugin.engine.core import worklogs as plan_worklogs
from plugin.engine.core.mapping import PersonMatcher
from plugin.engine.core.model import IssueRead, other
from plugin.engine.passes import SyncPass
from plugin.models import utcnow
from plugin.models.links import Link, WorklogLink


def _site_name(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def _worklogs(run: SyncPass, issue: IssueRead) -> list[dict]:
    found = issue.fields.get("worklog") or {}
    listed = found.get("worklogs") or []
    if found.get("total", len(listed)) > len(listed):  # the issue shows the first 20: read them all
        listed = run.jira(issue.side).worklogs(issue.id)
    return listed


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

    def body(source: int, worklog: dict) -> dict:
        named = None
        account = (worklog.get("author") or {}).get("accountId")
        if by_user and matcher is not None and account:
            mapped = matcher.match(source, account, fallback=False)
            named = (matcher.people.names.get(mapped) if mapped else None) or mapped
        return plan_worklogs.mirror_body(worklog, _site_name(sync.tenant(source).base_url), named,
                                         partial(matcher.map_mentions, source) if matcher is not None else None)

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
            created = run.jira(target).add_worklog(link.known_issue_id(target), body(source, worklog),
                                                   properties={plan_worklogs.MIRROR_PROPERTY: {"token": row.token}})
        row.mirror_id, row.digest, row.updated_at = str(created["id"]), plan_worklogs.digest(worklog), utcnow()
        session.commit()
    for target, mirror_id, worklog in plan.edit:
        source = other(target)
        with where.at(target, f"editing the copy of a worklog of {link.issue_key(source)} on "
                              f"{link.issue_key(target)}", link.issue_id(target), link.issue_key(target)):
            run.jira(target).edit_worklog(link.known_issue_id(target), mirror_id, body(source, worklog))
        row = by_origin[(source, str(worklog["id"]))]
        row.digest, row.updated_at = plan_worklogs.digest(worklog), utcnow()
        session.commit()
    for target, mirror_id, origin_id in plan.delete:
        with where.at(target, f"deleting the copy of a worklog on {link.issue_key(target)}",
                      link.issue_id(target), link.issue_key(target)):
            run.jira(target).delete_worklog(link.known_issue_id(target), mirror_id)
        by_origin[(other(target), origin_id)].state = "deleted"
        session.commit()
    for source, origin_id in plan.forget:
        by_origin[(source, origin_id)].state = "deleted"
    session.commit()
