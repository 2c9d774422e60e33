"""What a draft changes against the published configuration: rows added, changed and removed. Pure."""
from __future__ import annotations

ROW_SECTIONS = ("issueTypes", "fields", "statuses")
WHOLE_SECTIONS = ("users", "comments", "attachments", "filters", "existingIssues", "deletes")


def _key(row: dict) -> tuple[str, str]:
    return row["1"]["id"], row["2"]["id"]


def _label(row: dict) -> str:
    return f"{row['1'].get('name') or row['1']['id']} ↔ {row['2'].get('name') or row['2']['id']}"


def diff(before: dict | None, after: dict) -> list[dict]:
    """Each difference: {section, change: added|changed|removed, label, before, after}."""
    before = before or {}
    changes = []
    for section in ROW_SECTIONS:
        old = {_key(row): row for row in before.get(section) or []}
        new = {_key(row): row for row in after.get(section) or []}
        for key, row in new.items():
            if key not in old:
                changes.append({"section": section, "change": "added", "label": _label(row), "before": None,
                                "after": row})
            elif old[key] != row:
                changes.append({"section": section, "change": "changed", "label": _label(row), "before": old[key],
                                "after": row})
        changes.extend({"section": section, "change": "removed", "label": _label(row), "before": row, "after": None}
                       for key, row in old.items() if key not in new)
    for section in WHOLE_SECTIONS:
        if before.get(section) != after.get(section):
            changes.append({"section": section, "change": "changed" if section in before else "added",
                            "label": section, "before": before.get(section), "after": after.get(section)})
    return changes
