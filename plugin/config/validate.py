"""Check a well-formed configuration against both sides' current metadata. Pure: every problem says what to do."""
from __future__ import annotations

from collections.abc import Iterator

from plugin.config.metadata import SideMetadata

SIDES = ("1", "2")
# Kinds a plain copy can carry from one kind to the other (by name for priorities, options, components, versions).
COPYABLE = {("text", "doc")} | {(kind, kind) for kind in (
    "text", "doc", "number", "date", "datetime", "user", "labels", "option", "options", "priority",
    "components", "versions")}
MAPPABLE_VALUES = {"priority", "option", "options"}
TEXT_TARGETS = {"text", "doc"}
# Filled on create without a mapping (Jira sets the reporter to the caller; summary must be mapped).
FILLED_ANYWAY = {"project", "issuetype", "reporter"}


def into(direction: str, side: str) -> bool:
    """True when values flow into `side` ('1' or '2') in this direction."""
    return direction == "both" or direction.endswith(side)


def problems(document: dict, meta: dict[str, SideMetadata], jql_errors: dict[str, list[str]] | None = None
             ) -> list[dict]:
    """Every problem of `document` against the metadata of sides '1' and '2', with its JSON path."""
    found = [*_issue_types(document, meta), *_fields(document, meta), *_statuses(document, meta),
             *_required(document, meta), *_users(document)]
    for side, errors in (jql_errors or {}).items():
        for error in errors:
            found.append({"path": f"/filters/{side}",
                          "message": f"Side {side}'s filter is not valid JQL: {error} Fix the query or clear it."})
    return found


def _missing(kind: str, side: str, ref: dict, meta: SideMetadata) -> str:
    return (f"{kind} '{ref.get('name') or ref['id']}' (id {ref['id']}) does not exist in {meta.project_key} on "
            f"side {side} any more: pick another one or remove the row")


def _twice(kind: str, side: str, ref: dict) -> str:
    return f"{kind} '{ref.get('name') or ref['id']}' is mapped twice on side {side}: keep one row"


def _issue_types(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    seen: dict[str, set] = {side: set() for side in SIDES}
    for index, row in enumerate(document["issueTypes"]):
        for side in SIDES:
            path = f"/issueTypes/{index}/{side}"
            if row[side]["id"] not in meta[side].issue_types:
                yield {"path": path, "message": _missing("Issue type", side, row[side], meta[side])}
            elif row[side]["id"] in seen[side]:
                yield {"path": path, "message": _twice("Issue type", side, row[side])}
            seen[side].add(row[side]["id"])


def _fields(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    seen: dict[str, set] = {side: set() for side in SIDES}
    for index, row in enumerate(document["fields"]):
        known = True
        for side in SIDES:
            path = f"/fields/{index}/{side}"
            if row[side]["id"] not in meta[side].fields:
                known = False
                yield {"path": path, "message": _missing("Field", side, row[side], meta[side])}
            elif row[side]["id"] in seen[side]:
                yield {"path": path, "message": _twice("Field", side, row[side])}
            seen[side].add(row[side]["id"])
        if known:
            yield from _transform(index, row, meta)


def _transform(index: int, row: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    kinds = {side: meta[side].fields[row[side]["id"]].kind for side in SIDES}
    transform = (row.get("transform") or {"type": "copy"})
    path = f"/fields/{index}/transform"
    flows = [(source, target) for source, target in (("1", "2"), ("2", "1")) if into(row["direction"], target)]
    if transform["type"] == "copy":
        for source, target in flows:
            if (kinds[source], kinds[target]) not in COPYABLE:
                yield {"path": path, "message": f"A {kinds[source]} field cannot be copied into a {kinds[target]} "
                                                f"field (side {source} → {target}): choose another field, or a "
                                                "transform (value map, or to text)"}
    elif transform["type"] == "toText":
        for _source, target in flows:
            if kinds[target] not in TEXT_TARGETS:
                yield {"path": path, "message": f"'To text' needs a text field on side {target}, not a "
                                                f"{kinds[target]} field: pick a text field or another transform"}
    else:
        yield from _value_map(index, row, kinds, meta)


def _value_map(index: int, row: dict, kinds: dict[str, str], meta: dict[str, SideMetadata]) -> Iterator[dict]:
    path = f"/fields/{index}/transform"
    if not all(kinds[side] in MAPPABLE_VALUES for side in SIDES):
        yield {"path": path, "message": "A value map needs a priority or a select field on both sides: "
                                        "use copy or 'to text' for these fields"}
        return
    transform = row["transform"]
    entries = [(f"{path}/pairs/{n}", pair) for n, pair in enumerate(transform.get("pairs") or [])]
    if transform.get("default"):
        entries.append((f"{path}/default", transform["default"]))
    for entry_path, pair in entries:
        for side in SIDES:
            if side in pair and pair[side]["id"] not in meta[side].allowed_values(row[side]["id"]):
                yield {"path": f"{entry_path}/{side}",
                       "message": f"Option '{pair[side].get('name') or pair[side]['id']}' of "
                                  f"'{row[side].get('name') or row[side]['id']}' does not exist on side {side}: "
                                  "pick an existing option or remove the pair"}


def _statuses(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    seen: dict[str, set] = {side: set() for side in SIDES}
    for index, row in enumerate(document["statuses"]):
        for side in SIDES:
            path = f"/statuses/{index}/{side}"
            if row[side]["id"] not in meta[side].statuses:
                yield {"path": path, "message": _missing("Status", side, row[side], meta[side])}
            elif row[side]["id"] in seen[side] and row.get("direction", "both") == "both":
                yield {"path": path, "message": _twice("Status", side, row[side])}
            seen[side].add(row[side]["id"])


def _required(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    """A field required on a target's create screen that no mapping fills makes every create there fail."""
    for index, row in enumerate(document["issueTypes"]):
        for target in SIDES:
            if not into(row["direction"], target):
                continue
            filled = {f[target]["id"] for f in document["fields"] if into(f["direction"], target)}
            required = meta[target].required.get(row[target]["id"], set()) - FILLED_ANYWAY - filled
            for field_id in sorted(required):
                name = meta[target].fields[field_id].name if field_id in meta[target].fields else field_id
                yield {"path": f"/issueTypes/{index}/{target}",
                       "message": f"'{name}' is required to create a {row[target].get('name') or 'work item'} "
                                  f"on side {target} and nothing fills it: map a field into it (or make it "
                                  "optional in Jira)"}


def _users(document: dict) -> Iterator[dict]:
    fallback = document["users"]["fallback"]
    if fallback["type"] == "user" and not all(side in fallback for side in SIDES):
        yield {"path": "/users/fallback", "message": "A fallback user needs an account on each side: choose both, "
                                                     "or fall back to unassigned"}
