"""Issue writes: create, edit (fields + update operations), transition, delete; changelog and write history."""
from __future__ import annotations

import copy
import json
import time

from jirasim.errors import JiraError, bad_request
from jirasim.store.entities import ChangeGroup, Issue, now
from jirasim.store.values import ARRAY_KINDS, READ_ONLY, FieldError, cannot_set, describe, parse, parse_element

PROPERTY_LIMIT = 32768
WRITE_HISTORY_MS = 15 * 60 * 1000
CHANGELOG_NAMES = {"components": "Component", "fixVersions": "Fix Version", "parent": "IssueParentAssociation"}


def snapshot(issue: Issue) -> Issue:
    """A frozen copy of an issue's searchable state."""
    return Issue(issue.id, issue.key, issue.project_id, copy.deepcopy(issue.fields),
                 list(issue.changelog), list(issue.comments), list(issue.attachments),
                 copy.deepcopy(issue.properties), list(issue.remote_links))


def record_write(issue: Issue, created: bool = False) -> None:
    """Remember the state before a write (for search lag); call before changing the issue."""
    stamp = time.time() * 1000
    issue.writes = [w for w in issue.writes if w[0] > stamp - WRITE_HISTORY_MS]
    issue.writes.append((stamp, None if created else snapshot(issue)))


def searchable_state(issue: Issue, lag_ms: int) -> Issue | None:
    """The issue as search sees it with `lag_ms` of index lag: None if not indexed yet, else a snapshot."""
    if lag_ms <= 0:
        return issue
    cutoff = time.time() * 1000 - lag_ms
    for stamp, before in issue.writes:
        if stamp > cutoff:
            return before
    return issue


def check_property(key: str, value) -> None:
    """400 unless the property key and value size are acceptable."""
    if not key or len(key) > 255:
        raise bad_request("The property key cannot be longer than 255 characters.")
    if len(json.dumps(value, separators=(",", ":")).encode()) > PROPERTY_LIMIT:
        raise bad_request(f"The property '{key}' exceeds the property size limit of 32768 bytes.")


def _change_item(site, fdef, old, new) -> list[dict]:
    name = fdef.name if fdef.custom else CHANGELOG_NAMES.get(fdef.id, fdef.id)
    base = {"field": name, "fieldtype": "custom" if fdef.custom else "jira", "fieldId": fdef.id}
    if fdef.kind in ("components", "versions"):
        lookup = {x.id: x.name for p in site.projects.values() for x in (p.components + p.versions)}
        removed = [{**base, "from": x, "fromString": lookup.get(x), "to": None, "toString": None}
                   for x in old or [] if x not in (new or [])]
        added = [{**base, "from": None, "fromString": None, "to": x, "toString": lookup.get(x)}
                 for x in new or [] if x not in (old or [])]
        return removed + added
    old_id, old_text = describe(site, fdef, old)
    new_id, new_text = describe(site, fdef, new)
    return [{**base, "from": old_id, "fromString": old_text, "to": new_id, "toString": new_text}]


def add_history(site, issue: Issue, user, items: list[dict]) -> ChangeGroup | None:
    """Append a changelog entry with `items` (if any) and bump `updated`."""
    moment = now()
    issue.fields["updated"] = moment
    if not items:
        return None
    group = ChangeGroup(site.next_id("changegroup"), user.account_id if user else None, moment, items)
    issue.changelog.append(group)
    return group


def _apply_operations(site, project, fdef, current, operations, api_version):
    if not isinstance(operations, list):
        raise FieldError("Operations must be a list")
    value = list(current or []) if fdef.kind in ARRAY_KINDS else current
    for op in operations:
        if not isinstance(op, dict) or len(op) != 1:
            raise FieldError("Each operation must have exactly one verb")
        verb, raw = next(iter(op.items()))
        if verb == "set":
            value = parse(site, project, fdef, raw, api_version)
        elif verb in ("add", "remove") and fdef.kind in ARRAY_KINDS:
            element = parse_element(site, project, fdef, raw) if verb == "add" else _removal(site, project, fdef, raw)
            if verb == "add" and element not in value:
                value.append(element)
            elif verb == "remove" and element in value:
                value.remove(element)
        else:
            raise FieldError(f"Field '{fdef.id}' does not support operation '{verb}'")
    return value


def _removal(site, project, fdef, raw):
    try:
        return parse_element(site, project, fdef, raw)
    except FieldError:
        return raw if isinstance(raw, str) else None


def resolve_values(site, project, issue_fields: dict, fields: dict, update: dict, api_version: str,
                   creating: bool) -> dict:
    """New values for every field named in `fields`/`update`; JiraError 400 with all field errors."""
    errors, changes = {}, {}
    fields, update = fields or {}, update or {}
    for fid in set(fields) & set(update):
        errors[fid] = "Field specified in both 'fields' and 'update'. Use one of them."
    for fid, raw in fields.items():
        fdef = site.fields.get(fid)
        if fdef is None or fid in READ_ONLY or (fid == "project" and not creating):
            errors.setdefault(fid, cannot_set(fid))
            continue
        if fid == "project":
            continue
        try:
            changes[fid] = parse(site, project, fdef, raw, api_version)
        except FieldError as exc:
            errors[fid] = str(exc)
    for fid, operations in update.items():
        fdef = site.fields.get(fid)
        if fdef is None or fid in READ_ONLY or fid == "project":
            errors.setdefault(fid, cannot_set(fid))
            continue
        try:
            changes[fid] = _apply_operations(site, project, fdef, issue_fields.get(fid), operations, api_version)
        except FieldError as exc:
            errors[fid] = str(exc)
    if "summary" in changes and not changes["summary"]:
        errors["summary"] = "You must specify a summary of the issue."
    if errors:
        raise JiraError(400, None, errors)
    return changes


def create_issue(site, user, body: dict, api_version: str) -> Issue:
    """Create an issue from an IssueUpdateDetails body (fields, update, properties); JiraError when invalid."""
    fields = dict((body or {}).get("fields") or {})
    update = (body or {}).get("update") or {}
    errors = {}
    project = site.project((fields.get("project") or {}).get("id") or (fields.get("project") or {}).get("key")) \
        if isinstance(fields.get("project"), dict) else None
    if project is None or not site.can(user, "BROWSE_PROJECTS", project):
        errors["project"] = "Specify a valid project ID or key" if fields.get("project") else "project is required"
    elif not site.can(user, "CREATE_ISSUES", project):
        errors["project"] = "You do not have permission to create issues in this project."
    if "issuetype" not in fields:
        errors["issuetype"] = "Specify an issue type"
    if not fields.get("summary") and "summary" not in update:
        errors["summary"] = "You must specify a summary of the issue."
    for prop in (body or {}).get("properties") or []:
        check_property(prop.get("key"), prop.get("value"))
    try:
        changes = resolve_values(site, project, {}, fields, update, api_version, creating=True) if project else {}
    except JiraError as exc:
        errors = {**exc.errors, **errors}
        changes = {}
    if not errors:
        issue_type = site.issue_types[changes["issuetype"]]
        parent = site.issues.get(changes.get("parent") or "")
        if issue_type.subtask and parent is None:
            errors["parent"] = "Sub-task parent must be specified."
        elif parent is not None and parent.project_id != project.id:
            errors["parent"] = "Parent issue must be in the same project."
        elif parent is not None and issue_type.subtask and site.issue_types[parent.fields["issuetype"]].subtask:
            errors["parent"] = "A sub-task cannot be the parent of a sub-task."
    if errors:
        raise JiraError(400, None, errors)
    moment = now()
    issue_id = site.next_id("issue")
    key = f"{project.key}-{project.next_number}"
    project.next_number += 1
    values = {"summary": None, "description": None, "labels": [], "components": [], "fixVersions": [],
              "priority": next((p.id for p in site.priorities.values() if p.is_default), None),
              "assignee": None, "reporter": user.account_id, "duedate": None, "parent": None}
    values.update(changes)
    values.update({"project": project.id, "status": site.initial_status_id(values["issuetype"]), "resolution": None,
                   "creator": user.account_id, "created": moment, "updated": moment})
    issue = Issue(issue_id, key, project.id, values)
    for prop in (body or {}).get("properties") or []:
        issue.properties[prop["key"]] = prop.get("value")
    record_write(issue, created=True)
    site.issues[issue_id] = issue
    return issue


def edit_issue(site, user, issue: Issue, fields: dict, update: dict, api_version: str) -> ChangeGroup | None:
    """Apply `fields` and `update` to an issue; record changelog items; JiraError 400 when invalid."""
    project = site.projects[issue.project_id]
    changes = resolve_values(site, project, issue.fields, fields, update, api_version, creating=False)
    items = []
    for fid, new in changes.items():
        old = issue.fields.get(fid)
        if old != new:
            items.extend(_change_item(site, site.fields[fid], old, new))
    record_write(issue)
    for fid, new in changes.items():
        issue.fields[fid] = new
    return add_history(site, issue, user, items)


def transition_issue(site, user, issue: Issue, transition_id: str, fields=None, update=None,
                     api_version: str = "3") -> ChangeGroup | None:
    """Move an issue through a transition valid from its current status (400 otherwise)."""
    transition = next((t for t in site.available_transitions(issue) if t.id == str(transition_id)), None)
    if transition is None:
        raise bad_request(f"Transition id '{transition_id}' is not valid for this issue.")
    project = site.projects[issue.project_id]
    changes = resolve_values(site, project, issue.fields, fields or {}, update or {}, api_version, creating=False)
    record_write(issue)
    items = []
    for fid, new in changes.items():
        if issue.fields.get(fid) != new:
            items.extend(_change_item(site, site.fields[fid], issue.fields.get(fid), new))
            issue.fields[fid] = new
    old_status = issue.fields["status"]
    resolution = "10000" if site.statuses[transition.to_id].category.key == "done" else None
    if resolution != issue.fields.get("resolution"):
        items.extend(_change_item(site, site.fields["resolution"], issue.fields.get("resolution"), resolution))
        issue.fields["resolution"] = resolution
    status_def = site.fields["status"]
    items.append({**_change_item(site, status_def, old_status, transition.to_id)[0], "field": "status"})
    issue.fields["status"] = transition.to_id
    return add_history(site, issue, user, items)


def delete_issue(site, issue: Issue, delete_subtasks: bool) -> list[Issue]:
    """Delete an issue (and its sub-tasks when allowed); 400 if it has sub-tasks and that is not allowed."""
    children = [i for i in site.issues.values() if i.fields.get("parent") == issue.id
                and site.issue_types[i.fields["issuetype"]].subtask]
    if children and not delete_subtasks:
        raise bad_request(f"The issue '{issue.key}' has subtasks.  You must specify the 'deleteSubtasks' "
                          "parameter to delete this issue and all its subtasks.")
    removed = children + [issue]
    for item in removed:
        site.issues.pop(item.id, None)
    return removed
