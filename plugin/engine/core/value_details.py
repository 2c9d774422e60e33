"""What makes a component or version of one side equal to its partner's: the body of the PUT that renames it and,
for versions, brings its description, dates and released/archived flags into line (empty when they agree)."""
from __future__ import annotations

from typing import Any

# What `syncDetails` keeps equal besides the name (Jira's Version and ProjectComponent fields of those names).
KEPT = {"components": ("description",),
        "versions": ("description", "releaseDate", "startDate", "released", "archived")}
_FLAGS, _DATES = ("released", "archived"), ("releaseDate", "startDate")


def _normal(key: str, value: Any) -> Any:
    """A missing description is empty, a missing flag false, a missing date none (Jira leaves them out)."""
    if key in _FLAGS:
        return bool(value)
    if key == "description":
        return value or ""
    return value or None


def changes(kind: str, source: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    """The fields of `target` (name and KEPT details, as Jira's JSON) to change so that it equals `source`."""
    body: dict[str, Any] = {}
    if source.get("name") and source["name"] != target.get("name"):
        body["name"] = source["name"]
    for key in KEPT[kind]:
        if key in _DATES and not source.get(key):
            continue  # the reference's Version has no null date: a date cleared on the source stays on the partner
        if key in source and _normal(key, source[key]) != _normal(key, target.get(key)):
            body[key] = _normal(key, source[key])
    return body
