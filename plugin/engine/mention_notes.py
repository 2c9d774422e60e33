"""Mentions copied as plain text because the person has no counterpart on the other site, noted on Troubleshoot.

A mention of someone the user mapping cannot find on the target becomes "@Name" text (never a mention of whoever
shares the name), so nobody there is notified. Each write that did this leaves a row, already resolved as a
conflict's is: nothing failed, but a project admin should learn whom to pair. With `users.mentions: "text"` every
mention is text by choice, and nothing is noted.
"""
from __future__ import annotations

from typing import Any

from plugin.engine.core import adf
from plugin.engine.core.mapping import PersonMatcher, Rule
from plugin.engine.core.model import IssueRead, other
from plugin.engine.passes import SyncPass
from plugin.models.links import Link
from plugin.models.problems import RESOLVED

FIX = ("Pair them with their accounts on the other site in Configure → Users (or match people by e-mail address): "
       "mentions written after that notify them.")


def unreached(matcher: PersonMatcher, source: int, doc: dict[str, Any] | None) -> list[str]:
    """The people a document of `source` mentions who have no counterpart on the other side (copied as text)."""
    if matcher.mentions_as_text or not isinstance(doc, dict):
        return []
    return sorted(account for account in adf.mentioned(doc) if matcher.mention(source, account) is None)


def note(run: SyncPass, link: Link, target: int, accounts: list[str], what: str, matcher: PersonMatcher) -> None:
    """One row on the target issue naming the people of `what` (e.g. "a comment") copied as text."""
    if not accounts:
        return
    source = other(target)
    people = ", ".join("@" + (matcher.people.names.get(account) or account) for account in accounts)
    verb = "was" if len(accounts) == 1 else "were"
    project = run.compiled.meta[target].project_key
    run.problem(category="mapping", state=RESOLVED, side=target, issue_id=link.issue_id(target),
                issue_key=link.issue_key(target), field="mention", fix=FIX,
                message=f"The mention of {people} in {what} of {link.issue_key(source)} {verb} copied to "
                        f"{link.issue_key(target)} as plain text: the user mapping has no counterpart in {project}, "
                        "so nobody there was notified",
                detail={"accounts": accounts, "source": source})


def note_fields(run: SyncPass, link: Link, target: int, fields: dict[str, Any], source: IssueRead,
                rules: list[Rule], matcher: PersonMatcher) -> None:
    """The rich-text fields just written to `target`: their unreached mentions noted, one row per field."""
    for rule in rules:
        if rule.ids.get(target) not in fields or rule.kinds.get(source.side) != "doc":
            continue
        note(run, link, target, unreached(matcher, source.side, source.fields.get(rule.ids[source.side])),
             f"{rule.label or rule.key}", matcher)
