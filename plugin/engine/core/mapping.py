"""The published configuration compiled into rules: for each mapped field, how a value of one side becomes the other's.

No id ever crosses from one site to the other: options, priorities and statuses go through value maps or by
name, components and versions by name, people through the user mapping.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from plugin.engine.core import adf
from plugin.engine.core.model import UNMAPPED, other
from plugin.engine.core.values import SET_KINDS

Translate = Callable[[Any], Any]
MENTIONS_DEFAULT = "map"  # `users.mentions` when absent: mentions follow the user mapping


class Kinded(Protocol):
    """A field of one side, as far as mapping cares: its kind."""

    @property
    def kind(self) -> str: ...


class SideFacts(Protocol):
    """What mapping reads of one side's metadata (`plugin.config.metadata.SideMetadata`): the kinds of its fields,
    the names of its priorities and of each select's options."""

    @property
    def fields(self) -> Mapping[str, Kinded]: ...

    @property
    def priorities(self) -> Mapping[str, str]: ...

    @property
    def options(self) -> Mapping[str, Mapping[str, str]]: ...


def flows(direction: str, source: int) -> bool:
    """True when values flow from `source` to the other side in this direction."""
    return direction == "both" or direction == f"{source}→{other(source)}"


@dataclass
class People:
    """What is known of the people in play: who exists on which side, visible e-mails, accounts by e-mail."""

    exists: dict[tuple[int, str], bool] = field(default_factory=dict)
    emails: dict[tuple[int, str], str | None] = field(default_factory=dict)
    by_email: dict[tuple[int, str], str | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


class PersonMatcher:
    """The configured user mapping: explicit pairs, then the same accountId, then e-mail, then the fallback."""

    def __init__(self, users: dict[str, Any], people: People):
        self.users, self.people = users, people

    def match(self, source: int, account: str | None, fallback: bool = True) -> str | None:
        """The account on the other side for `account` of `source` (None: unassigned or no match)."""
        if account is None:
            return None
        target = other(source)
        for pair in self.users.get("pairs") or []:
            if pair.get(str(source)) == account:
                paired: str | None = pair.get(str(target))
                return paired
        if "accountId" in self.users["match"] and self.people.exists.get((target, account)):
            return account
        email = self.people.emails.get((source, account))
        if "email" in self.users["match"] and email:
            found = self.people.by_email.get((target, email.lower()))
            if found:
                return found
        chosen = self.users["fallback"]
        fallen: str | None = chosen.get(str(target)) if fallback and chosen["type"] == "user" else None
        return fallen

    @property
    def mentions_as_text(self) -> bool:
        """Whether every mention is copied as plain text (`users.mentions`: "text"), so nobody on the other site is
        notified; absent or "map", mentions follow the user mapping."""
        return bool(self.users.get("mentions", MENTIONS_DEFAULT) == "text")

    def mention(self, source: int, account: str | None) -> str | None:
        """Whom a mention of `account` in a comment or document of `source` points at on the other side — the one
        place that decides it: None (plain text "@Name") when mentions are copied as text or the person has no
        counterpart; never the fallback user, who would be notified of a stranger's mention."""
        return None if self.mentions_as_text else self.match(source, account, fallback=False)

    def map_mentions(self, source: int, doc: dict[str, Any] | None) -> dict[str, Any] | None:
        """A document of `source` with its mentions as they are written on the other side."""
        return adf.map_mentions(doc, lambda account: self.mention(source, account), self.people.names.get)


@dataclass
class Rule:
    """One mapped field (or the status): ids and kinds per side, direction, conflict policy, translations."""

    key: str
    ids: dict[int, str]
    kinds: dict[int, str]
    direction: str
    conflict: str
    translate: dict[int, Translate]  # by source side
    # For people's messages: the field's name, each side's value names (id → name) and project key.
    label: str = ""
    value_names: dict[int, Mapping[str, str]] = field(default_factory=dict)
    sides: dict[int, str] = field(default_factory=dict)

    def side_name(self, side: int) -> str:
        """The side's project key, as people know it (side N when it is not known)."""
        return self.sides.get(side) or f"side {side}"

    def value_name(self, side: int, value: Any) -> Any:
        """A value of `side` by its name when it names a status, option or priority (its id otherwise)."""
        return self.value_names.get(side, {}).get(value, value) if isinstance(value, str) else value

    @property
    def is_set(self) -> bool:
        """Merged element by element (labels, multi-selects, components, versions)."""
        return self.kinds[1] in SET_KINDS and self.kinds[2] in SET_KINDS


def _value_map(transform: dict[str, Any], source: int, field_kind: str) -> Translate:
    target = other(source)
    pairs = {p[str(source)]["id"]: p[str(target)]["id"] for p in transform.get("pairs") or []}
    default = (transform.get("default") or {}).get(str(target), {}).get("id")

    def one(value: Any) -> Any:
        if value is None:
            return None
        return pairs.get(value, default if default is not None else UNMAPPED)

    if field_kind == "options":
        return lambda values: frozenset(x for x in (one(v) for v in values) if x is not UNMAPPED and x)
    return one


def _by_name(names_source: Mapping[str, str], names_target: Mapping[str, str], many: bool) -> Translate:
    target_ids = {name.lower(): key for key, name in names_target.items()}

    def one(value: Any) -> Any:
        if value is None:
            return None
        return target_ids.get((names_source.get(value) or "").lower(), UNMAPPED)

    if many:
        return lambda values: frozenset(x for x in (one(v) for v in values) if x is not UNMAPPED)
    return one


def _translation(kinds: dict[int, str], source: int, transform: dict[str, Any], meta: Mapping[int, SideFacts],
                 field_ids: dict[int, str], people: PersonMatcher) -> Translate:
    target = other(source)
    kind_s, kind_t = kinds[source], kinds[target]
    kind = transform.get("type", "copy")
    if kind == "toText":
        return lambda value: _as_text(kind_s, value, meta[source], field_ids[source])
    if kind == "valueMap":
        return _value_map(transform, source, kind_s)
    if kind_s == "doc" or kind_t == "doc":
        def document(value: Any) -> Any:
            doc = adf.from_text(value) if kind_s == "text" else value
            return people.map_mentions(source, doc)
        return document
    if kind_s == "user":
        return lambda value: people.match(source, value)
    if kind_s in ("option", "options", "priority"):
        def names(side: SideFacts, fid: str) -> Mapping[str, str]:
            return side.priorities if kind_s == "priority" else side.options.get(fid, {})
        return _by_name(names(meta[source], field_ids[source]), names(meta[target], field_ids[target]),
                        kind_s == "options")
    return lambda value: value  # text, number, date, datetime, labels, components and versions (by name)


def _as_text(kind: str, value: Any, meta: SideFacts, field_id: str) -> str | None:
    if value is None or value == frozenset():
        return None
    if kind == "doc":
        return adf.to_text(value)
    if kind in ("option", "priority"):
        names = meta.priorities if kind == "priority" else meta.options.get(field_id, {})
        return str(names.get(value, value))
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    return str(value)


def field_rules(document: dict[str, Any], meta: Mapping[int, SideFacts], people: PersonMatcher) -> list[Rule]:
    """A rule per mapped field of the configuration."""
    rules = []
    for row in document["fields"]:
        ids = {1: row["1"]["id"], 2: row["2"]["id"]}
        if ids[1] not in meta[1].fields or ids[2] not in meta[2].fields:
            continue
        kinds = {side: meta[side].fields[ids[side]].kind for side in (1, 2)}
        transform = row.get("transform") or {"type": "copy"}
        rules.append(Rule(key=f"{ids[1]}|{ids[2]}", ids=ids, kinds=kinds, direction=row["direction"],
                          conflict=row.get("conflict", "newest"),
                          translate={source: _translation(kinds, source, transform, meta, ids, people)
                                     for source in (1, 2)},
                          label=field_label(row),
                          value_names={side: meta[side].priorities if kinds[side] == "priority"
                                       else meta[side].options.get(ids[side], {}) for side in (1, 2)},
                          sides={side: key for side in (1, 2) if (key := getattr(meta[side], "project_key", None))}))
    return rules


def field_label(row: Mapping[str, Any]) -> str:
    """A field row by the names Jira gives its fields: "Summary", or "Story points ↔ Estimate" when they differ."""
    names = [(row.get(side) or {}).get("name") or (row.get(side) or {}).get("id") or "" for side in ("1", "2")]
    return names[0] if names[0] == names[1] else " ↔ ".join(n for n in names if n)


def _status_map(statuses: dict[str, str]) -> Translate:
    return lambda value: statuses.get(value, UNMAPPED)


def status_rule(document: dict[str, Any], sides: Mapping[int, str] | None = None) -> Rule | None:
    """The status as a rule: each side's status id to the other's through the status rows (`sides`: each side's
    project key, for messages)."""
    rows = document["statuses"]
    if not rows:
        return None
    maps: dict[int, dict[str, str]] = {source: {} for source in (1, 2)}
    for row in rows:
        for source in (1, 2):
            if flows(row.get("direction", "both"), source):
                maps[source].setdefault(row[str(source)]["id"], row[str(other(source))]["id"])
    directions = {row.get("direction", "both") for row in rows}
    direction = directions.pop() if len(directions) == 1 else "both"
    names: dict[int, Mapping[str, str]] = {
        side: {row[str(side)]["id"]: row[str(side)].get("name") or row[str(side)]["id"] for row in rows}
        for side in (1, 2)}
    return Rule(key="status", ids={1: "status", 2: "status"}, kinds={1: "status", 2: "status"},
                direction=direction, conflict="newest",
                translate={source: _status_map(maps[source]) for source in (1, 2)},
                label="Status", value_names=names, sides=dict(sides or {}))


def type_map(document: dict[str, Any], source: int) -> dict[str, str]:
    """Issue type id of `source` → the other side's, for the types that are created in that direction."""
    return {row[str(source)]["id"]: row[str(other(source))]["id"] for row in document["issueTypes"]
            if flows(row["direction"], source)}
