"""The suggested configuration: everything with the same name on both sides, both ways, the newest change wins."""
from __future__ import annotations

from plugin.config.metadata import SideMetadata
from plugin.config.validate import COPYABLE, MAPPABLE_VALUES

DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024
ATTRIBUTION = "{author} on {site} wrote:"


def _by_name(named: dict[str, str]) -> dict[str, str]:
    """name (case-insensitive) → id, the first id of each name."""
    found: dict[str, str] = {}
    for key, name in named.items():
        found.setdefault(name.strip().lower(), key)
    return found


def _pairs(one: dict[str, str], two: dict[str, str]) -> list[dict]:
    """{1: ref, 2: ref} for every name both have, in side 1's order."""
    others = _by_name(two)
    rows = []
    for name, key in _by_name(one).items():
        if name in others:
            rows.append({"1": {"id": key, "name": one[key]}, "2": {"id": others[name], "name": two[others[name]]}})
    return rows


def _field_rows(meta1: SideMetadata, meta2: SideMetadata) -> list[dict]:
    rows = []
    names2 = _by_name({f.id: f.name for f in meta2.fields.values()})
    for field in sorted(meta1.fields.values(), key=lambda f: (f.custom, f.name.lower())):
        other_id = field.id if field.id in meta2.fields and not field.custom else names2.get(field.name.lower())
        if other_id is None:
            continue
        other = meta2.fields[other_id]
        if (field.kind, other.kind) not in COPYABLE or (other.kind, field.kind) not in COPYABLE:
            continue
        row = {"1": {"id": field.id, "name": field.name}, "2": {"id": other.id, "name": other.name},
               "direction": "both", "conflict": "newest", "transform": {"type": "copy"}}
        if field.kind in MAPPABLE_VALUES:
            values = _pairs(meta1.allowed_values(field.id), meta2.allowed_values(other.id))
            row["transform"] = {"type": "valueMap", "pairs": values}
        rows.append(row)
    return rows


def suggestion(meta1: SideMetadata, meta2: SideMetadata) -> dict:
    """A configuration mapping every type, field, status and priority whose name matches on both sides."""
    return {
        "issueTypes": [{**pair, "direction": "both"} for pair in _pairs(*(  # sub-tasks: with hierarchy, by hand
            {k: v for k, v in m.issue_types.items() if m.levels.get(k, 0) >= 0} for m in (meta1, meta2)))],
        "fields": _field_rows(meta1, meta2),
        "statuses": [{**pair, "direction": "both"} for pair in _pairs(meta1.statuses, meta2.statuses)],
        "users": {"match": ["accountId", "email"], "pairs": [], "fallback": {"type": "unassigned"}},
        "comments": {"direction": "both", "visibility": "all", "attribution": ATTRIBUTION},
        "attachments": {"direction": "both", "maxSize": DEFAULT_ATTACHMENT_LIMIT, "exclude": []},
        "filters": {"1": None, "2": None},
        "existingIssues": "sync",
        "deletes": "ignore",
    }
