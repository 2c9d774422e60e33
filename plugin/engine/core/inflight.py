"""Edits made while our write was in flight: Jira has no compare-and-set, so a person's change of a field between
our read and our PUT of that same field is overwritten by the PUT. Its trace is the changelog the PUT answers
with: a change of a field we wrote, after our read, by someone else. That is a conflict like any other, decided by
the field's policy (newest wins: the person's change), never a value buried. Pure."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from plugin.engine.core.mapping import Rule
from plugin.engine.core.model import UNMAPPED, Change, IssueRead

# The kinds whose value the changelog records exactly: text as its text, a person or a single option as its id.
_BY_TEXT = {"text", "date"}
_BY_ID = {"user", "option", "priority"}


@dataclass(frozen=True)
class Overwritten:
    """A person's change our PUT overwrote: the rule, the side, the change, and who wins by the policy."""

    rule: Rule
    side: int
    change: Change
    person_wins: bool

    @property
    def value(self) -> Any:
        """The person's value in this side's terms, or UNMAPPED when the changelog cannot give it back exactly."""
        kind = self.rule.kinds[self.side]
        if kind in _BY_TEXT:
            return self.change.to_string or None
        if kind in _BY_ID:
            return self.change.to or None
        return UNMAPPED


def overwritten(rules: Iterable[Rule], before: IssueRead, after: IssueRead, written: Iterable[str],
                us: str | None) -> list[Overwritten]:
    """The fields we wrote on `after`'s side that someone other than us (`us`: the app's accountId there) changed
    after our read (`before.updated`), each with its newest such change."""
    wrote = set(written)
    newest: dict[str, Change] = {}
    for change in sorted(after.changes, key=lambda c: c.when):
        if change.field in wrote and change.when > before.updated and change.author != us:
            newest[change.field] = change
    found = []
    for rule in rules:
        found_change = newest.get(rule.ids.get(after.side, ""))
        if found_change is not None and rule.key != "status":
            person_wins = rule.conflict not in ("1", "2") or rule.conflict == str(after.side)
            found.append(Overwritten(rule, after.side, found_change, person_wins))
    return found
