"""What the engine reads and decides: one side's issue as read, the translation context, and the plan."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SIDES = (1, 2)
UNMAPPED = object()  # a value with no counterpart on the other side


def other(side: int) -> int:
    """The other side."""
    return 3 - side


@dataclass(frozen=True)
class Change:
    """One item of an issue's changelog: which field, when (comparable UTC), by whom, and the new value as Jira
    records it (`to`: an id where the field has ids; `to_string`: its text)."""

    field: str
    when: str
    author: str | None
    to: str | None
    to_string: str | None


@dataclass
class IssueRead:
    """One issue as read from its site: ids, type, status, raw field values, last change time per field."""

    side: int
    id: str
    key: str
    project_id: str
    type_id: str
    status_id: str
    updated: str
    fields: dict[str, Any]
    changed_at: dict[str, str] = field(default_factory=dict)
    marker: dict[str, Any] | None = None
    created: str = ""
    changes: tuple[Change, ...] = ()


@dataclass
class Write:
    """What to change on one side: field values (one PUT) and the status to reach (transitions)."""

    fields: dict[str, Any] = field(default_factory=dict)
    status: str | None = None

    def __bool__(self) -> bool:
        return bool(self.fields) or self.status is not None


@dataclass
class Conflict:
    """Both sides changed one field differently: who won, and the value that lost."""

    key: str
    winner: int
    lost: Any
    won: Any


@dataclass
class Problem:
    """Something that keeps a field or the issue from syncing; `permanent` ones are not retried."""

    key: str | None
    side: int | None
    message: str
    category: str = "mapping"
    permanent: bool = True


@dataclass
class Plan:
    """The writes a sync of one link would apply now, the new base snapshot, conflicts and problems."""

    writes: dict[int, Write] = field(default_factory=lambda: {1: Write(), 2: Write()})
    base: dict[str, dict[str, Any]] = field(default_factory=lambda: {"1": {}, "2": {}})
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    create: dict[str, Any] | None = None  # {"side": target side, "fields": {...}, "type": id, "status": id | None}

    @property
    def empty(self) -> bool:
        """Nothing to write."""
        return self.create is None and not any(self.writes.values())

    def as_json(self) -> dict[str, Any]:
        """The plan as the preview endpoint shows it."""
        return {
            "create": self.create,
            "writes": {str(side): {"fields": w.fields, "status": w.status} for side, w in self.writes.items() if w},
            "conflicts": [{"field": c.key, "winner": c.winner, "lost": c.lost, "won": c.won} for c in self.conflicts],
            "problems": [{"field": p.key, "side": p.side, "message": p.message, "category": p.category}
                         for p in self.problems],
            "base": self.base,
        }
