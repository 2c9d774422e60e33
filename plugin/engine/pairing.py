"""Pairing existing issues in the initial sync (the I/O around `core.pairing`): both projects are read in bulk
(`search/jql` pages of 100 with the summary and the key field, never one GET per issue), the pairs are stored as
links in state `pairing` before anything is written, then merged in bulk-read batches: both issues exist, so the
first sync of a pair decides each field by the conflict policy (the newest change by changelog time, or the master
side) and writes the result both ways. A paired issue never gets a partner created. A merge whose answer is lost
leaves its link in `pairing`: the next step reads both issues again and merges what it finds (a state-based merge,
so a write Jira applied is seen, not repeated blindly)."""
from __future__ import annotations

from typing import Any, cast

from sqlalchemy import func, select

from plugin.config.pairing import pair_problems
from plugin.engine import carry, links, project_values, shared, where
from plugin.engine.core import pairing as core
from plugin.engine.core.model import IssueRead, Plan, other
from plugin.engine.core.plan import for_link
from plugin.engine.core.values import utc_format, utc_timestamp
from plugin.engine.issues import ALWAYS, issue_read, put
from plugin.engine.passes import SyncPass
from plugin.models import utcnow
from plugin.models.links import InitialSync, Link
from plugin.models.problems import SyncError

PAIRING = "pairing"  # a link's state between the pairing plan and the pair's first merge
FIELD = "pairing"  # the error rows of refusals carry this field name
BATCH = 100  # pairs merged per step (one bulk fetch with changelogs per side)
SEARCH_PAGE = 100  # Jira's page size when fields other than ids are asked for


def section(document: dict) -> dict:
    """The configuration's pairing section ({} when there is none)."""
    return document.get("pairing") or {}


def _synced_types(document: dict, side: int) -> set[str]:
    return {row[str(side)]["id"] for row in document.get("issueTypes") or []}


def _text(value: Any) -> str | None:
    """A key field's value as text: a plain string, or the text of a rich-text document."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        parts: list[str] = []
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if isinstance(node.get("text"), str):
                    parts.append(node["text"])
                stack.extend(reversed(node.get("content") or []))
        return "".join(parts) or None
    return None


def candidates(run: SyncPass, side: int, before: str | None, chosen: dict | None = None) -> list[core.Candidate]:
    """The existing, not yet linked issues of one side of a synced type, paged in bulk (`chosen`: the pairing section
    whose key field is read, the published one by default)."""
    document = run.compiled.document
    key_field = (((section(document) if chosen is None else chosen).get("field") or {}).get(str(side)) or {}).get("id")
    fields = ["summary", "created", "issuetype", *([key_field] if key_field else [])]
    types, found = _synced_types(document, side), []
    column = Link.side1_issue_id if side == 1 else Link.side2_issue_id
    linked = set(run.session.scalars(select(column).where(Link.sync_id == run.sync.id, column.is_not(None))))
    with where.at(side, "reading the existing issues to pair"):
        for raw in run.jira(side).search(f"project = {run.sync.project_id(side)} ORDER BY created ASC",
                                         fields=fields, page_size=SEARCH_PAGE):
            values = raw.get("fields") or {}
            created = utc_timestamp(values.get("created")) or ""
            if str(raw["id"]) in linked or (before and created >= before):
                continue
            if str((values.get("issuetype") or {}).get("id")) not in types:
                continue
            found.append(core.Candidate(side, str(raw["id"]), raw["key"], values.get("summary") or "",
                                        _text(values.get(key_field)) if key_field else None))
    return found


def match(run: SyncPass, before: str | None) -> tuple[core.Result, dict[int, list[core.Candidate]]]:
    """The pairing of both sides' existing issues as the configuration says (nothing written)."""
    chosen = section(run.compiled.document)
    issues = {side: candidates(run, side, before) for side in (1, 2)}
    return core.match(chosen, issues), issues


def csv_problems(run: SyncPass, pairs: list, issues: dict[int, list[core.Candidate]]) -> list[dict]:
    """The uploaded pairs' problems against both projects as they are (unknown keys included), by line."""
    known = {side: {c.key for c in issues[side]} for side in (1, 2)}
    return pair_problems(pairs, {side: run.sync.project_key(side) for side in (1, 2)}, known)


def _creates(run: SyncPass, result: core.Result, chosen: dict) -> int:
    """How many partners the initial sync would create for the issues left unpaired (`chosen`: the pairing section)."""
    document = run.compiled.document
    if chosen.get("unpaired", "create") == "skip":
        return 0
    sides = {int(side) for row in document["issueTypes"] for side in ("1", "2")
             if row["direction"] in ("both", f"{side}→{other(int(side))}")}
    return sum(len(result.unpaired[side]) for side in sides)


def preview(run: SyncPass, chosen: dict | None = None, csv_text: str | None = None) -> dict:
    """What pairing would do now: `{by, pairs, refused, creates, unpaired, problems}`; nothing is written. `chosen`:
    a pairing section to try instead of the published one; `csv_text`: pairs uploaded as CSV instead of its pairs
    (an upload checked before it is saved: its lines' problems, and the pairs read from it)."""
    document = run.compiled.document
    chosen = dict(section(document) if chosen is None else chosen)
    problems: list[dict] = []
    if csv_text is not None:
        pairs, problems = core.parse_csv(csv_text)
        chosen = {**chosen, "by": "csv", "pairs": pairs}
    by = chosen.get("by", "none")
    before = utc_format(run.sync.first_started_at) if run.sync.first_started_at else None
    issues = {side: candidates(run, side, before, chosen) for side in (1, 2)}
    result = core.match(chosen, issues)
    if by == "csv":
        problems += csv_problems(run, chosen.get("pairs") or [], issues)
    answer = result.as_json(_creates(run, result, chosen))
    return {"by": by, **answer, "problems": problems,
            **({"pairsFromCsv": chosen["pairs"]} if csv_text is not None else {})}


def plan(run: SyncPass, before: str) -> None:
    """At the first step of the initial sync, once: store the pairs as links in state `pairing` and the refusals as
    error rows (committed with the step). Idempotent: issues already linked are no candidates."""
    if core.method(run.compiled.document) == "none":
        return
    states = set(run.session.scalars(select(InitialSync.state).where(InitialSync.sync_id == run.sync.id)))
    if states - {"pending"}:
        return  # planned by an earlier step
    result, issues = match(run, before)
    origin = min(run.session.scalars(select(InitialSync.side).where(InitialSync.sync_id == run.sync.id)))
    for one, two, _how in result.pairs:
        link = Link(sync_id=run.sync.id, state=PAIRING, origin_side=origin, create_token=None, base={},
                    configuration_version=run.sync.configuration_version)
        link.set_issue(1, one.id, one.key)
        link.set_issue(2, two.id, two.key)
        run.session.add(link)
    by_key = {(c.side, c.key): c for side in (1, 2) for c in issues[side]}
    for row in result.refused:
        issue = by_key.get((row["side"], row["key"]))
        run.problem(category="mapping", permanent=True, side=row["side"], field=FIELD,
                    issue_id=issue.id if issue else None, issue_key=row["key"],
                    message=f"{row['key']} was not paired: {row['reason']}"
                            + (f" ({', '.join(row['candidates'])})" if row["candidates"] else "")
                            + "; it is neither paired nor given a partner",
                    fix="Make the match unique (or pair it by CSV), then pair it by hand or resync it.",
                    detail={"candidates": row["candidates"]})
    run.session.flush()


def _refused_ids(run: SyncPass, side: int) -> set[str]:
    return set(run.session.scalars(select(SyncError.issue_id).where(
        SyncError.sync_id == run.sync.id, SyncError.side == side, SyncError.field == FIELD,
        SyncError.category == "mapping", SyncError.issue_id.is_not(None))))


def creatable(run: SyncPass, side: int, reads: list[IssueRead]) -> list[IssueRead]:
    """The existing issues of a page whose partners the initial sync creates: not refused ones, and none when
    unpaired issues are skipped (paired ones are linked, so never among them)."""
    if core.method(run.compiled.document) == "none":
        return reads
    if section(run.compiled.document).get("unpaired", "create") == "skip":
        return []
    refused = _refused_ids(run, side)
    return [read for read in reads if read.id not in refused]


def left_alone(run: SyncPass, source: IssueRead, started: str | None) -> str | None:
    """Why an existing issue that pairing skipped or refused is not given a partner later either (or None)."""
    if core.method(run.compiled.document) == "none" or not started or not source.created or source.created >= started:
        return None
    if section(run.compiled.document).get("unpaired", "create") == "skip":
        return "it existed before the synchronization started and was not paired (unpaired issues are skipped)"
    if source.id in _refused_ids(run, source.side):
        return "it existed before the synchronization started and its pairing was refused (see its error row)"
    return None


def _read_many(run: SyncPass, side: int, ids: list[str]) -> dict[str, IssueRead]:
    """Issues by id in bulk, with their changelogs, so that the newest change of each field is known."""
    fields = list(dict.fromkeys([*ALWAYS, *run.compiled.field_ids[side]]))
    jira, raws = run.jira(side), {}
    for start in range(0, len(ids), 100):
        answer = jira.bulk_fetch_changelogs(ids[start:start + 100], fields=fields, properties=[links.MARKER])
        raws.update({str(raw["id"]): raw for raw in answer.get("issues") or []})
    return {issue_id: issue_read(side, raw, links.MARKER) for issue_id, raw in raws.items()}


def pending(run: SyncPass) -> int:
    """Pairs stored but not merged yet."""
    return run.session.scalar(select(func.count(Link.id)).where(Link.sync_id == run.sync.id,
                                                                Link.state == PAIRING)) or 0


def merge_some(run: SyncPass) -> bool:
    """Merge up to `BATCH` stored pairs; True when this step merged any (the step then ends, more may remain)."""
    session, sync = run.session, run.sync
    batch = list(session.scalars(select(Link).where(Link.sync_id == sync.id, Link.state == PAIRING)
                                 .order_by(Link.id).limit(BATCH)))
    if not batch:
        return False
    reads = {side: _read_many(run, side, [link.known_issue_id(side) for link in batch]) for side in (1, 2)}
    for link in batch:
        issues = {side: reads[side].get(link.known_issue_id(side)) for side in (1, 2)}
        if None in issues.values():  # one of them is gone: no pair; the other is an ordinary existing issue now
            session.delete(link)
            session.commit()
            continue
        _merge(run, link, cast(dict[int, IssueRead], issues))  # both found: checked above
    return True


def _merge(run: SyncPass, link: Link, issues: dict[int, IssueRead]) -> None:
    matcher = run.people(issues)
    rules = run.rules(issues, matcher)
    plan = for_link(rules, run.compiled.status, issues, {})  # no base yet: every difference is decided by policy
    _apply(run, link, plan, issues)
    link.base, link.last_synced_at = plan.base, utcnow()
    links.complete(link, 2, link.known_issue_id(2), issues[2].key)
    link.set_issue(1, link.known_issue_id(1), issues[1].key)
    shared.record(run, link, issues)  # what both already have is linked, not copied (committed with the pair)
    run.session.commit()
    carry.carry_all(run, link, issues, matcher)


def _apply(run: SyncPass, link: Link, plan: Plan, issues: dict[int, IssueRead]) -> None:
    """Write the merged values both ways (one PUT per side that differs, then its status)."""
    for side, change in plan.writes.items():
        key = issues[side].key
        after = None
        if change.fields:
            project_values.prepare(run, side, change.fields, key)
            with where.at(side, f"merging {key} with {issues[other(side)].key}, the issue it was paired with",
                          link.issue_id(side), key):
                after = put(run.jira(side), side, link.known_issue_id(side), change.fields, links.MARKER)
        link.set_updated(side, after.updated if after else None if change.fields else issues[side].updated)
        if change.status is not None and run.reach_status(issues[side], change.status):
            link.set_updated(side, None)
    for problem in plan.problems:
        run.problem(category=problem.category, message=problem.message, side=problem.side, field=problem.key,
                    issue_id=link.issue_id(problem.side or 1), permanent=problem.permanent)


def counts(session, sync_id: int) -> dict[str, int]:
    """The progress endpoint's pairing figures: pairs (merged or still to merge), refusals, partners created."""
    pairs = session.scalar(select(func.count(Link.id)).where(Link.sync_id == sync_id, Link.create_token.is_(None),
                                                             Link.state.in_((PAIRING, "linked")))) or 0
    waiting = session.scalar(select(func.count(Link.id)).where(Link.sync_id == sync_id, Link.state == PAIRING)) or 0
    refused = session.scalar(select(func.count(SyncError.id)).where(
        SyncError.sync_id == sync_id, SyncError.field == FIELD, SyncError.category == "mapping",
        SyncError.state != "resolved")) or 0
    rows = list(session.scalars(select(InitialSync).where(InitialSync.sync_id == sync_id)))
    created = 0
    if rows:
        since = min(row.started_at for row in rows)
        clause = [Link.sync_id == sync_id, Link.create_token.is_not(None), Link.created_at >= since]
        if all(row.finished_at for row in rows):
            clause.append(Link.created_at <= max(row.finished_at for row in rows))
        created = session.scalar(select(func.count(Link.id)).where(*clause)) or 0
    return {"pairs": pairs, "pairsWaiting": waiting, "refused": refused, "created": created}
