"""Issue links between two issues this synchronization syncs, carried to their partners, and their removal too.

Links are read from the `issuelinks` field of the two issues a pass already read (no extra GET). Each carried link
is a row (IssueLinkMirror) stored as an intent before `POST issueLink`; Jira's answer has no id, so the mirror is
confirmed when it shows in the partner's `issuelinks`, and a lost answer is looked up there before writing again.
A link whose other end has no partner yet waits (a visible error row) and is carried once that end is synced.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.exc import IntegrityError

from plugin.config.validate import link_type_map
from plugin.engine import links, problems, where
from plugin.engine.core.mapping import flows
from plugin.engine.core.model import IssueRead, other
from plugin.engine.passes import SyncPass
from plugin.errors import NotFound
from plugin.models import utcnow
from plugin.models.links import LINKED, IssueLinkMirror, Link
from plugin.models.problems import OPEN, RESOLVED, SyncError

INTENT, APPLIED, CONFIRMED = "intent", "applied", "confirmed"
WAITING, UNMAPPED, OUTSIDE, DELETED = "waiting", "unmapped", "outside", "deleted"
UNCARRIED = (WAITING, UNMAPPED, OUTSIDE)
WRITTEN = (INTENT, APPLIED, CONFIRMED)
CATEGORY = "mapping"
FIX_WAITING = ("The link is carried once its other end is synced: bring that issue into the synchronization (its "
               "filter, its issue type), or remove the link.")
FIX_UNMAPPED = "Map this link type to one of the other side's in Configure → Issue links, or remove the link."


@dataclass(frozen=True)
class Seen:
    """One link as an issue's `issuelinks` shows it: its id, type, inward (source) and outward issue, the other end."""

    id: str
    type_id: str
    type_name: str
    source_id: str
    destination_id: str
    other_id: str
    other_key: str


def seen_links(issue: IssueRead) -> dict[str, Seen]:
    """The links of an issue by id (the field shows each with only its other end, on the side it is seen from)."""
    found = {}
    for entry in issue.fields.get("issuelinks") or []:
        kind = entry.get("type") or {}
        if entry.get("outwardIssue"):
            end = entry["outwardIssue"]
            source, destination = issue.id, str(end["id"])
        elif entry.get("inwardIssue"):
            end = entry["inwardIssue"]
            source, destination = str(end["id"]), issue.id
        else:
            continue
        found[str(entry["id"])] = Seen(str(entry["id"]), str(kind.get("id")), kind.get("name") or str(kind.get("id")),
                                       source, destination, str(end["id"]), end.get("key") or str(end["id"]))
    return found


def _project_of(key: str) -> str:
    return key.rsplit("-", 1)[0] if "-" in key else ""


class _Carrier:
    def __init__(self, run: SyncPass, link: Link, issues: dict[int, IssueRead]):
        self.run, self.link, self.issues = run, link, issues
        self.session, self.sync = run.session, run.sync
        self.section = run.compiled.document.get("issueLinks") or {}
        self.direction = self.section.get("direction", "none")
        meta = {str(side): run.compiled.meta[side] for side in (1, 2)}
        self.types = {side: link_type_map(self.section, meta, str(side)) for side in (1, 2)}
        self.type_names = {side: run.compiled.meta[side].link_types for side in (1, 2)}
        self.seen = {side: seen_links(issues[side]) for side in (1, 2)}
        self.partners: dict[tuple[int, str], str | None] = {(1, link.known_issue_id(1)): link.known_issue_id(2),
                                                            (2, link.known_issue_id(2)): link.known_issue_id(1)}
        self.keys = {(side, issues[side].id): issues[side].key for side in (1, 2)}

    # -- looking up ----------------------------------------------------------------------------------------------
    def partner(self, side: int, issue_id: str) -> str | None:
        """The partner's id of an issue of `side`, when it is linked (None: not synced, or not yet)."""
        if (side, issue_id) not in self.partners:
            found = links.by_issue(self.session, self.sync.id, side, issue_id)
            self.partners[(side, issue_id)] = found.issue_id(other(side)) if found is not None and \
                found.state == LINKED else None
        return self.partners[(side, issue_id)]

    def rows(self) -> list[IssueLinkMirror]:
        ids = {side: self.link.issue_id(side) for side in (1, 2)}
        clause = [(IssueLinkMirror.origin_side == side) & or_(IssueLinkMirror.source_id == ids[side],
                                                              IssueLinkMirror.destination_id == ids[side])
                  for side in (1, 2)]
        return list(self.session.scalars(select(IssueLinkMirror).where(
            IssueLinkMirror.sync_id == self.sync.id, IssueLinkMirror.state != DELETED, or_(*clause))
            .order_by(IssueLinkMirror.id)))

    def expected(self, row: IssueLinkMirror) -> tuple[str, str, str] | None:
        """(type, inward, outward) the mirror of `row` has on the other side, when both ends and the type map."""
        kind = self.types[row.origin_side].get(row.type_id)
        source, destination = self.partner(row.origin_side, row.source_id), \
            self.partner(row.origin_side, row.destination_id)
        return (kind, source, destination) if kind and source and destination else None

    def here(self, row: IssueLinkMirror) -> str:
        """This pair's issue among the row's ends, on the origin side."""
        return self.link.known_issue_id(row.origin_side)

    # -- the pass ------------------------------------------------------------------------------------------------
    def carry(self) -> None:
        rows = self.rows()
        by_origin = {(r.origin_side, r.origin_id): r for r in rows}
        claimed = {(other(r.origin_side), r.mirror_id) for r in rows if r.mirror_id}
        for row in rows:  # mirrors whose id we do not know yet (answer lost, or not confirmed): found by their ends
            if row.state in (INTENT, APPLIED) and not row.mirror_id:
                found = self._find_mirror(row, claimed, by_origin)
                if found is not None:
                    claimed.add((other(row.origin_side), found))
                    self.session.execute(update(IssueLinkMirror).where(
                        IssueLinkMirror.id == row.id, IssueLinkMirror.state.in_((INTENT, APPLIED)))
                        .values(mirror_id=found, state=CONFIRMED, updated_at=utcnow()))
                    self.session.commit()
                    self.session.refresh(row)
        for row in rows:
            self._follow(row, claimed)
        for side in (1, 2):
            for seen in self.seen[side].values():
                if (side, seen.id) in claimed:
                    continue
                stored = by_origin.get((side, seen.id))
                if stored is None and self._is_mirror(side, seen, rows):
                    continue
                if stored is None:
                    self._new(side, seen)
                elif stored.state in UNCARRIED:
                    self._again(stored, seen)

    def _find_mirror(self, row: IssueLinkMirror, claimed: set, by_origin: dict) -> str | None:
        wanted = self.expected(row)
        target = other(row.origin_side)
        if wanted is None:
            return None
        for seen in self.seen[target].values():
            if (target, seen.id) not in claimed and (target, seen.id) not in by_origin and \
                    (seen.type_id, seen.source_id, seen.destination_id) == wanted:
                return seen.id
        return None

    def _is_mirror(self, side: int, seen: Seen, rows: list[IssueLinkMirror]) -> bool:
        """A link of `side` that is the (unconfirmed) mirror of a row of the other side: never carried back."""
        return any(r.origin_side == other(side) and r.state in WRITTEN and self.expected(r) ==
                   (seen.type_id, seen.source_id, seen.destination_id) for r in rows)

    def _follow(self, row: IssueLinkMirror, claimed: set) -> None:
        """Carry a removal: the origin gone removes the mirror; the mirror gone removes the origin (both ways)."""
        origin, target = row.origin_side, other(row.origin_side)
        if row.origin_id not in self.seen[origin]:
            if row.state in WRITTEN and row.mirror_id and row.mirror_id in self.seen[target]:
                self._delete(target, row.mirror_id, row)
            elif row.state in (INTENT, APPLIED) and not row.mirror_id and self.link.id != row.owner_link_id:
                return  # only the pair that wrote it knows its answer: it finishes or forgets it
            self._forget(row)
        elif row.state == CONFIRMED and row.mirror_id and row.mirror_id not in self.seen[target]:
            if flows(self.direction, target):
                self._delete(origin, row.origin_id, row)
            self._forget(row)
        elif row.state == INTENT and not row.mirror_id and self.link.id == row.owner_link_id:
            self._write(row)  # asked before and never seen on the partner: Jira did not apply it

    def _delete(self, side: int, link_id: str, row: IssueLinkMirror) -> None:
        with where.at(side, f"removing the link {link_id}, whose {'origin' if side != row.origin_side else 'mirror'}"
                            " was removed", self.link.issue_id(side), self.link.issue_key(side)):
            try:
                self.run.jira(side).delete_link(link_id)
            except NotFound:
                pass  # already gone

    def _forget(self, row: IssueLinkMirror) -> None:
        row.state, row.updated_at = DELETED, utcnow()
        self._resolve(row)
        self.session.commit()

    def _new(self, side: int, seen: Seen) -> None:
        if not flows(self.direction, side):
            return
        row = IssueLinkMirror(sync_id=self.sync.id, owner_link_id=self.link.id, origin_side=side, origin_id=seen.id,
                              type_id=seen.type_id, source_id=seen.source_id, destination_id=seen.destination_id,
                              state=WAITING)
        self.session.add(row)
        try:
            self.session.commit()  # the intent first: a second pass seeing the same link finds it here
        except IntegrityError:  # the pass of the other end recorded it at the same moment: that one carries it
            self.session.rollback()
            return
        self._again(row, seen)

    def _again(self, row: IssueLinkMirror, seen: Seen) -> None:
        """A link not carried yet: carry it now if both ends have partners and its type maps, else say why."""
        side = row.origin_side
        if not flows(self.direction, side):
            return
        reason, state = self._why_not(row, seen)
        if reason:
            if (row.state, row.reason) != (state, reason):
                row.state, row.reason, row.updated_at = state, reason[:500], utcnow()
            if state != OUTSIDE:
                self._flag(row, reason, seen)
            self.session.commit()
            return
        claimed = cast(CursorResult, self.session.execute(update(IssueLinkMirror).where(  # an UPDATE: a CursorResult
            IssueLinkMirror.id == row.id, IssueLinkMirror.state.in_(UNCARRIED))
            .values(state=INTENT, reason=None, owner_link_id=self.link.id, updated_at=utcnow()))).rowcount
        self.session.commit()  # the intent before the call: a lost answer is looked up, never written twice
        if claimed != 1:
            return
        self.session.refresh(row)
        self._resolve(row)
        self.session.commit()
        self._write(row)

    def _why_not(self, row: IssueLinkMirror, seen: Seen) -> tuple[str | None, str]:
        side, project = row.origin_side, self.sync.project_key(row.origin_side)
        here = self.keys.get((side, self.here(row))) or self.here(row)
        name = self.type_names[side].get(row.type_id) or seen.type_name
        if _project_of(seen.other_key) != project:
            return (f"The '{name}' link of {here} to {seen.other_key} is not carried: {seen.other_key} is not in "
                    f"{project}, which this synchronization syncs", OUTSIDE)
        if self.partner(side, seen.other_id) is None:
            return (f"The '{name}' link of {here} to {seen.other_key} waits: {seen.other_key} has no partner "
                    f"yet (outside the filter, of an unmapped type, or not synced yet)", WAITING)
        if row.type_id not in self.types[side]:
            target = other(side)
            return (f"The '{name}' link of {here} to {seen.other_key} is not carried: the link type '{name}' has "
                    f"no counterpart in {self.sync.project_key(target)} (side {target})", UNMAPPED)
        return None, ""

    def _write(self, row: IssueLinkMirror) -> None:
        wanted = self.expected(row)
        if wanted is None:
            return
        target = other(row.origin_side)
        kind, source, destination = wanted
        with where.at(target, f"linking the partners of a link of {self.link.issue_key(row.origin_side)}",
                      self.link.issue_id(target), self.link.issue_key(target)):
            self.run.jira(target).link_issues(kind, source, destination)
        self.session.execute(update(IssueLinkMirror).where(IssueLinkMirror.id == row.id,
                                                           IssueLinkMirror.state == INTENT)
                             .values(state=APPLIED, updated_at=utcnow()))
        self.session.commit()

    # -- visible reasons -----------------------------------------------------------------------------------------
    def _field(self, row: IssueLinkMirror) -> str:
        return f"issuelink:{row.origin_id}"

    def _flag(self, row: IssueLinkMirror, reason: str, seen: Seen) -> None:
        """One error row per link, on its inward issue, whichever end's pass finds the reason."""
        side, issue_id = row.origin_side, row.source_id
        issue_key = self.keys.get((side, issue_id)) or (seen.other_key if seen.other_id == issue_id else None)
        key = problems.fingerprint(side, issue_id, self._field(row), CATEGORY)
        clause = [SyncError.sync_id == self.sync.id, SyncError.fingerprint == key]
        if self.session.scalar(select(SyncError.id).where(*clause, SyncError.state == OPEN)) is None:
            last = self.session.scalar(select(SyncError).where(*clause, SyncError.state == RESOLVED)
                                       .order_by(SyncError.id.desc()).limit(1))
            if last is not None:  # the same reason again after a sync resolved it: one row, counted
                last.state = OPEN
                self.session.flush()
        self.run.problem(category=CATEGORY, permanent=True, side=side, issue_id=issue_id,
                         issue_key=issue_key, field=self._field(row), message=reason,
                         fix=FIX_UNMAPPED if row.state == UNMAPPED else FIX_WAITING)

    def _resolve(self, row: IssueLinkMirror) -> None:
        key = problems.fingerprint(row.origin_side, self.here(row), self._field(row), CATEGORY)
        other_end = row.destination_id if row.source_id == self.here(row) else row.source_id
        keys = [key, problems.fingerprint(row.origin_side, other_end, self._field(row), CATEGORY)]
        self.session.execute(update(SyncError).where(SyncError.sync_id == self.sync.id,
                                                     SyncError.fingerprint.in_(keys), SyncError.state == OPEN)
                             .values(state=RESOLVED, last_seen=utcnow()), execution_options={"synchronize_session":
                                                                                            False})


def carry_links(run: SyncPass, link: Link, issues: dict[int, IssueRead]) -> None:
    """Carry the issue links of a linked pair (new ones, removals), when the configuration turns them on."""
    if (run.compiled.document.get("issueLinks") or {}).get("direction", "none") == "none":
        return
    if any("issuelinks" not in issues[side].fields for side in (1, 2)):
        return  # read without the field (an older compiled configuration): the next pass carries them
    _Carrier(run, link, issues).carry()
