"""A synchronization's published configuration compiled against both sides' current metadata, ready to sync."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from plugin.config.published import published_document
from plugin.engine.context import EngineContext
from plugin.engine.core import adf
from plugin.engine.core.mapping import People, PersonMatcher, Rule, field_rules, status_rule, type_map
from plugin.engine.core.model import IssueRead
from plugin.models.syncs import Synchronization


@dataclass
class Compiled:
    """The document, both sides' metadata (by side 1 and 2), the field ids to read per side, the status rule."""

    document: dict
    meta: dict
    field_ids: dict[int, list[str]]
    status: Rule | None

    def types(self, source: int) -> dict[str, str]:
        """Issue types created from `source` to the other side."""
        return type_map(self.document, source)

    def user_fields(self, side: int) -> list[str]:
        """The field ids of one side that hold people or documents (whose mentions are people)."""
        return [fid for fid in self.field_ids[side] if fid in self.meta[side].fields
                and self.meta[side].fields[fid].kind in ("user", "doc")]

    def people(self, ctx: EngineContext, sync: Synchronization, issues: dict[int, IssueRead]) -> PersonMatcher:
        """The user mapping, with the people who appear in these issues (fields, mentions) looked up."""
        accounts: dict[int, set[str]] = {1: set(), 2: set()}
        for side, issue in issues.items():
            for fid in self.user_fields(side):
                value = issue.fields.get(fid)
                if isinstance(value, dict) and value.get("accountId"):
                    accounts[side].add(value["accountId"])
                elif isinstance(value, dict) and value.get("type") == "doc":
                    accounts[side] |= adf.mentioned(value)
            for comment in (issue.fields.get("comment") or {}).get("comments") or []:
                accounts[side] |= adf.mentioned(comment.get("body"))
            logged = (issue.fields.get("worklog") or {}).get("worklogs") or []
            for worklog in logged:  # read only when worklogs are carried: their comments' mentions
                accounts[side] |= adf.mentioned(worklog.get("comment") if isinstance(worklog.get("comment"), dict)
                                                else None)
            if (self.document.get("worklogs") or {}).get("mode") == "user":  # the mapped person is named
                accounts[side] |= {account for w in logged
                                   if (account := (w.get("author") or {}).get("accountId")) is not None}
        users = self.document["users"]
        people = ctx.people.people(ctx.jira_for, {1: sync.tenant(1), 2: sync.tenant(2)},
                                     {side: found for side, found in accounts.items() if found},
                                     by_email="email" in users["match"]) if any(accounts.values()) else None
        return PersonMatcher(users, people or People())

    def rules(self, ctx: EngineContext, sync: Synchronization, issues: dict[int, IssueRead],
              matcher: PersonMatcher | None = None) -> list[Rule]:
        """The field rules, people looked up on the other side (or through `matcher`)."""
        return field_rules(self.document, self.meta, matcher or self.people(ctx, sync, issues))


def extra_fields(document: dict) -> list[str]:
    """The issue fields to read besides the mapped ones (comments, attachments) for this configuration."""
    wanted = []
    if document["comments"].get("direction", "none") != "none":
        wanted.append("comment")
    if document["attachments"].get("direction", "none") != "none":
        wanted.append("attachment")
    if (document.get("issueLinks") or {}).get("direction", "none") != "none":
        wanted.append("issuelinks")
    if (document.get("hierarchy") or {}).get("direction", "none") != "none":
        wanted.append("parent")
    if (document.get("worklogs") or {}).get("direction", "none") != "none":
        wanted.append("worklog")
    return wanted


def compile_for(session: Session, ctx: EngineContext, sync: Synchronization) -> Compiled | None:
    """The live configuration compiled, or None before anything is published."""
    document = published_document(session, sync)
    if document is None:
        return None
    meta = ctx.sides.metadata(sync)
    by_side = {1: meta["1"], 2: meta["2"]}
    field_ids = {side: [row[str(side)]["id"] for row in document["fields"]] + extra_fields(document)
                 for side in (1, 2)}
    return Compiled(document, by_side, field_ids,
                    status_rule(document, {side: by_side[side].project_key for side in (1, 2)}))
