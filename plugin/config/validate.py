"""Check a well-formed configuration against both sides' current metadata. Pure: every problem says what to do."""
from __future__ import annotations

from collections.abc import Iterator

from plugin.config import pairing
from plugin.config.hierarchy_checks import hierarchy_problems, worklog_problems
from plugin.config.metadata import SideMetadata
from plugin.errors import capped

SIDES = ("1", "2")
# Kinds a plain copy can carry from one kind to the other (by name for priorities, options, components, versions).
COPYABLE = {("text", "doc")} | {(kind, kind) for kind in (
    "text", "doc", "number", "date", "datetime", "user", "labels", "option", "options", "priority",
    "components", "versions")}
MAPPABLE_VALUES = {"priority", "option", "options"}
TEXT_TARGETS = {"text", "doc"}
# A field's kind by the name Jira gives that type of field (for messages; the Configure page shows the same).
KIND_NAMES = {"text": "Short text", "doc": "Paragraph (rich text)", "number": "Number", "date": "Date picker",
              "datetime": "Date time picker", "option": "Select list (single choice)",
              "options": "Select list (multiple choices)", "labels": "Labels", "user": "User picker",
              "priority": "Priority", "components": "Components", "versions": "Version picker"}
# Filled on create without a mapping (Jira sets the reporter to the caller; summary must be mapped).
FILLED_ANYWAY = {"project", "issuetype", "reporter"}


def into(direction: str, side: str) -> bool:
    """True when values flow into `side` ('1' or '2') in this direction."""
    return direction == "both" or direction.endswith(side)


def problems(document: dict, meta: dict[str, SideMetadata], jql_errors: dict[str, list[str]] | None = None
             ) -> list[dict]:
    """Every problem of `document` against the metadata of sides '1' and '2', with its JSON path."""
    found = [*_issue_types(document, meta), *_fields(document, meta), *_statuses(document, meta),
             *_required(document, meta), *_users(document), *_issue_links(document, meta),
             *_project_values(document, meta), *_attachments(document, meta),
             *hierarchy_problems(document, meta), *worklog_problems(document), *pairing.problems(document, meta)]
    for side, errors in (jql_errors or {}).items():
        for error in errors:
            found.append({"path": f"/filters/{side}",
                          "message": f"Side {side}'s filter is not valid JQL: {capped(error, 300)} Fix the query or "
                                     "clear it."})
    return found


def _kind(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


def _missing(kind: str, side: str, ref: dict, meta: SideMetadata) -> str:
    return (f"{kind} '{ref.get('name') or ref['id']}' (id {ref['id']}) does not exist in {meta.project_key} on "
            f"side {side} any more: pick another one or remove the row")


def _twice(kind: str, side: str, ref: dict, meta: SideMetadata) -> str:
    return f"{kind} '{ref.get('name') or ref['id']}' is mapped twice for {meta.project_key} (side {side}): keep one row"


def _issue_types(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    seen: dict[str, set] = {side: set() for side in SIDES}
    for index, row in enumerate(document["issueTypes"]):
        for side in SIDES:
            path = f"/issueTypes/{index}/{side}"
            if row[side]["id"] not in meta[side].issue_types:
                yield {"path": path, "message": _missing("Issue type", side, row[side], meta[side])}
            elif row[side]["id"] in seen[side]:
                yield {"path": path, "message": _twice("Issue type", side, row[side], meta[side])}
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
                yield {"path": path, "message": _twice("Field", side, row[side], meta[side])}
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
                yield {"path": path, "message": f"A {_kind(kinds[source])} field cannot be copied into a "
                                                f"{_kind(kinds[target])} field ({meta[source].project_key} → "
                                                f"{meta[target].project_key}): choose another field, or a "
                                                "transform (value map, or to text)"}
    elif transform["type"] == "toText":
        for _source, target in flows:
            if kinds[target] not in TEXT_TARGETS:
                yield {"path": path, "message": f"'To text' needs a text field in {meta[target].project_key}, not "
                                                f"a {_kind(kinds[target])} field: pick a text field or another "
                                                "transform"}
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
                                  f"'{row[side].get('name') or row[side]['id']}' does not exist in "
                                  f"{meta[side].project_key} (side {side}): "
                                  "pick an existing option or remove the pair"}


def _statuses(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    seen: dict[str, set] = {side: set() for side in SIDES}
    for index, row in enumerate(document["statuses"]):
        for side in SIDES:
            path = f"/statuses/{index}/{side}"
            if row[side]["id"] not in meta[side].statuses:
                yield {"path": path, "message": _missing("Status", side, row[side], meta[side])}
            elif row[side]["id"] in seen[side] and row.get("direction", "both") == "both":
                yield {"path": path, "message": _twice("Status", side, row[side], meta[side])}
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
                       "message": f"'{name}' is required to create {_a(row[target].get('name') or 'work item')} "
                                  f"in {meta[target].project_key} and nothing fills it: map a field into it (or "
                                  "make it optional in Jira)"}


def _a(noun: str) -> str:
    """The noun with its indefinite article ("a Task", "an Epic")."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def link_type_map(section: dict, meta: dict[str, SideMetadata], source: str) -> dict[str, str]:
    """Link type ids of `source` → the other side's: the rows by hand, then (unless `sameName` is off) same names."""
    target = "2" if source == "1" else "1"
    mapped = {row[source]["id"]: row[target]["id"] for row in section.get("types") or []}
    if section.get("sameName", True):
        by_name = {name.strip().lower(): key for key, name in meta[target].link_types.items()}
        for key, name in meta[source].link_types.items():
            if key not in mapped and name.strip().lower() in by_name:
                mapped[key] = by_name[name.strip().lower()]
    return mapped


def _issue_links(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    section = document.get("issueLinks") or {}
    if section.get("direction", "none") == "none":
        return
    seen: dict[str, set] = {side: set() for side in SIDES}
    for index, row in enumerate(section.get("types") or []):
        for side in SIDES:
            path = f"/issueLinks/types/{index}/{side}"
            if row[side]["id"] not in meta[side].link_types:
                yield {"path": path, "message": _missing("Link type", side, row[side], meta[side])}
            elif row[side]["id"] in seen[side]:
                yield {"path": path, "message": _twice("Link type", side, row[side], meta[side])}
            seen[side].add(row[side]["id"])
    for source in SIDES:
        target = "2" if source == "1" else "1"
        if not into(section["direction"], target):
            continue
        mapped = link_type_map(section, meta, source)
        if meta[source].link_types and not mapped:
            yield {"path": "/issueLinks/types",
                   "message": f"No link type of {meta[source].project_key} (side {source}) has a counterpart in "
                              f"{meta[target].project_key}: map at least one by hand, or turn issue links off"}


def _users(document: dict) -> Iterator[dict]:
    fallback = document["users"]["fallback"]
    if fallback["type"] == "user" and not all(side in fallback for side in SIDES):
        yield {"path": "/users/fallback", "message": "A fallback user needs an account on each side: choose both, "
                                                     "or fall back to unassigned"}


PROJECT_VALUES = {"components": "components", "versions": "versions"}


def _project_values(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    """'Create missing' and 'keep names and descriptions in sync' of component and version rows."""
    for index, row in enumerate(document["fields"]):
        wanted = [key for key in ("createMissing", "syncDetails") if row.get(key)]
        if not wanted or not all(row[side]["id"] in meta[side].fields for side in SIDES):
            continue
        kinds = {side: meta[side].fields[row[side]["id"]].kind for side in SIDES}
        if not all(kinds[side] in PROJECT_VALUES for side in SIDES):
            for key in wanted:
                yield {"path": f"/fields/{index}/{key}",
                       "message": f"'{_label(key)}' is only for components and versions, not a "
                                  f"{kinds['1']} field: turn it off for this row"}
            continue
        what = PROJECT_VALUES[kinds["1"]]
        for side in SIDES:
            if into(row["direction"], side) and not meta[side].administers:
                for key in wanted:
                    yield {"path": f"/fields/{index}/{key}",
                           "message": f"Work Sync cannot add or change {what} in {meta[side].project_key}: grant the "
                                      f"app Administer Projects in {meta[side].project_key}'s permission scheme (and "
                                      f"update the app so it holds the PROJECT_ADMIN scope), or turn off "
                                      f"'{_label(key)}'"}
        if row.get("syncDetails") and row["direction"] == "both" and row.get("conflict", "newest") == "newest":
            yield {"path": f"/fields/{index}/syncDetails",
                   "message": f"Names and descriptions of {what} have no change time to compare: choose which side "
                              "wins conflicts (side 1 or side 2) for this row, or make it one-way"}


def _label(key: str) -> str:
    return {"createMissing": "Create missing", "syncDetails": "Keep names and descriptions in sync"}[key]


def _attachments(document: dict, meta: dict[str, SideMetadata]) -> Iterator[dict]:
    """Attachments copied into a site that does not take any."""
    direction = document["attachments"].get("direction", "none")
    for side in SIDES:
        if direction != "none" and into(direction, side) and not meta[side].attachments_enabled:
            yield {"path": "/attachments/direction",
                   "message": f"Attachments are turned off on {meta[side].project_key}'s site ({meta[side].site}): a "
                              "Jira admin turns them on in System → Attachments, or copy attachments only the other "
                              "way"}
