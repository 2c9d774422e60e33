"""Words of the messages users read: counts with the right plural, and a value quoted at most so long."""
from __future__ import annotations

from plugin.errors import MAX_QUOTED, quoted

__all__ = ["MAX_QUOTED", "agreeing", "count_of", "quoted"]


def count_of(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 issue', '2 issues', '0 issues' (`nouns` when the plural is not noun + s)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def agreeing(count: int, singular: str, plural: str) -> str:
    """The verb that agrees with `count`: agreeing(1, 'waits', 'wait') → 'waits'."""
    return singular if count == 1 else plural

