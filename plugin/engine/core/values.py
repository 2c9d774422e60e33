"""Field values by kind: read Jira's JSON into a comparable value of that side, and write a value back as JSON.

A side's value stays in that side's terms (its option ids, its accountIds); sets are frozensets, compared as
sets; text and documents compare as they are. Translation between sides is in `translate`.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

SET_KINDS = {"labels", "options", "components", "versions"}


def utc_timestamp(raw: str | None) -> str | None:
    """A Jira datetime (any offset) as a comparable UTC string `YYYY-MM-DDTHH:MM:SS.mmm+0000`."""
    if not raw:
        return None
    text = raw.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # Jira writes +0100; fromisoformat wants +01:00
        text = text[:-2] + ":" + text[-2:]
    return utc_format(datetime.fromisoformat(text.replace("Z", "+00:00")))


def utc_format(moment: datetime) -> str:
    """A datetime as the comparable UTC string `utc_timestamp` gives (naive ones are taken as UTC)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def read(kind: str, raw: Any) -> Any:
    """The comparable value of a field of `kind` from Jira's JSON (v3)."""
    if kind in ("text", "date"):
        return raw or None
    if kind == "doc":
        return raw if raw and raw.get("content") else None
    if kind == "number":
        return raw
    if kind == "datetime":
        return utc_timestamp(raw)
    if kind == "labels":
        return frozenset(raw or ())
    if kind in ("option", "priority"):
        return str(raw["id"]) if raw else None
    if kind == "options":
        return frozenset(str(item["id"]) for item in raw or ())
    if kind == "user":
        return raw.get("accountId") if raw else None
    if kind in ("components", "versions"):
        return frozenset(item["name"] for item in raw or ())
    raise ValueError(f"unknown kind {kind}")


def write(kind: str, value: Any) -> Any:
    """Jira's JSON (v3, for an edit or a create) of a value of `kind`."""
    if value is None:
        return [] if kind in SET_KINDS else None
    if kind in ("text", "date", "doc", "number", "datetime"):
        return value
    if kind == "labels":
        return sorted(value)
    if kind in ("option", "priority"):
        return {"id": value}
    if kind == "options":
        return [{"id": item} for item in sorted(value)]
    if kind == "user":
        return {"accountId": value}
    if kind in ("components", "versions"):
        return [{"name": name} for name in sorted(value)]
    raise ValueError(f"unknown kind {kind}")


def to_json(value: Any) -> Any:
    """A comparable value as JSON for the stored base snapshot (sets become sorted lists)."""
    return sorted(value) if isinstance(value, frozenset) else value


def from_json(kind: str, stored: Any) -> Any:
    """A comparable value back from the stored base snapshot."""
    if kind in SET_KINDS:
        return frozenset(stored or ())
    return stored
