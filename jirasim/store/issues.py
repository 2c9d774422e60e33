"""Issue writes: create, edit (fields + update operations), transition, delete; changelog and write history."""
from __future__ import annotations

import copy
import json
import time

from jirasim import adf
from jirasim.errors import JiraError, bad_request
from jirasim.store import screens
from jirasim.store.changes import add_history, change_items
from jirasim.store.comments import GROUPS, ROLES
from jirasim.store.entities import ChangeGroup, Comment, Issue, IssueLink, now
from jirasim.store.values import ARRAY_KINDS, READ_ONLY, FieldError, cannot_set, parse, parse_element

PROPERTY_LIMIT = 32768
WRITE_HISTORY_MS = 15 * 60 * 1000


def snapshot(issue: Issue) -> Issue:
    """A frozen copy of an issue's searchable state."""
    return Issue(issue.id, issue.key, issue.project_id, copy.deepcopy(issue.fields),
                 list(issue.changelog), list(issue.comments), list(issue.attachments),
                 copy.deepcopy(issue.properties), list(issue.remote_links), list(issue.links))


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


def _screen_errors(site, fields: dict, update: dict, allowed) -> dict:
    return screens.off_screen([fid for fid in dict.fromkeys([*fields, *update])], allowed)


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
    else:
        errors = _screen_errors(site, fields, update, screens.screen_fields(site, project, "create"))
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


def _field_items(site, issue: Issue, changes: dict) -> list[dict]:
    items = []
    for fid, new in changes.items():
        if issue.fields.get(fid) != new:
            items.extend(change_items(site, site.fields[fid], issue.fields.get(fid), new))
    return items


def edit_issue(site, user, issue: Issue, fields: dict, update: dict, api_version: str, *,
               metadata: dict | None = None, override_screens: bool = False) -> ChangeGroup | None:
    """Apply `fields` and `update` (only fields on the edit screen unless overridden); None, no trace, if no change."""
    project = site.projects[issue.project_id]
    if not override_screens:
        errors = _screen_errors(site, fields, update, screens.screen_fields(site, project, "edit"))
        if errors:
            raise JiraError(400, None, errors)
    changes = resolve_values(site, project, issue.fields, fields, update, api_version, creating=False)
    items = _field_items(site, issue, changes)
    if not items:
        return None
    record_write(issue)
    for fid, new in changes.items():
        issue.fields[fid] = new
    return add_history(site, issue, user, items, metadata)


def transition_issue(site, user, issue: Issue, transition_id: str, fields=None, update=None,
                     api_version: str = "3", *, metadata: dict | None = None) -> tuple[ChangeGroup, list[Comment]]:
    """Transition an issue, with the fields and comments its screen allows; (history entry, new comments)."""
    transition = next((t for t in site.available_transitions(issue) if t.id == str(transition_id)), None)
    if transition is None:
        raise bad_request(f"Transition id '{transition_id}' is not valid for this issue.")
    project = site.projects[issue.project_id]
    update = dict(update or {})
    comment_ops = update.pop("comment", None)
    on_screen = screens.transition_fields(site, project, transition)
    errors = _screen_errors(site, fields or {}, update, on_screen)
    if comment_ops is not None and on_screen is None:
        errors["comment"] = cannot_set("comment")
    if errors:
        raise JiraError(400, None, errors)
    changes = resolve_values(site, project, issue.fields, fields or {}, update, api_version, creating=False)
    comments = comment_adds(site, user, comment_ops, api_version)
    record_write(issue)
    items = _field_items(site, issue, changes)
    issue.fields.update(changes)
    old_status = issue.fields["status"]
    resolution = "10000" if site.statuses[transition.to_id].category.key == "done" else None
    if resolution != issue.fields.get("resolution"):
        items.extend(change_items(site, site.fields["resolution"], issue.fields.get("resolution"), resolution))
        issue.fields["resolution"] = resolution
    items.append({**change_items(site, site.fields["status"], old_status, transition.to_id)[0], "field": "status"})
    issue.fields["status"] = transition.to_id
    issue.comments.extend(comments)
    return add_history(site, issue, user, items, metadata), comments


def comment_adds(site, user, operations, api_version: str) -> list[Comment]:
    """The comments of `update.comment` operations (`[{"add": {"body": ..., "visibility": ...}}]`); 400 if invalid."""
    found = []
    for op in operations or []:
        add = op.get("add") if isinstance(op, dict) else None
        raw = (add or {}).get("body")
        if not isinstance(add, dict) or raw in (None, ""):
            raise bad_request(None, comment="Comment body can not be empty!")
        if api_version == "3" and not adf.is_document(raw):
            raise bad_request(None, comment="Comment body must be an Atlassian Document (see the Atlassian "
                                            "Document Format)")
        if api_version != "3" and not isinstance(raw, str):
            raise bad_request(None, comment="Comment body must be a string")
        visibility = add.get("visibility")
        kind, value = (visibility or {}).get("type"), (visibility or {}).get("value")
        if visibility and not ((kind == "role" and value in ROLES) or (kind == "group" and value in GROUPS)):
            raise bad_request(None, commentLevel=f"Visibility {kind} '{value}' is not valid.")
        moment = now()
        found.append(Comment(site.next_id("comment"), user.account_id, raw if api_version == "3" else
                             adf.from_text(raw), moment, moment, user.account_id,
                             {"type": kind, "value": value, "identifier": value} if visibility else None))
    return found


def delete_issue(site, issue: Issue, delete_subtasks: bool) -> tuple[list[Issue], list[IssueLink]]:
    """Delete an issue (with sub-tasks if allowed, else 400) and their links; (removed issues, removed links)."""
    children = [i for i in site.issues.values() if i.fields.get("parent") == issue.id
                and site.issue_types[i.fields["issuetype"]].subtask]
    if children and not delete_subtasks:
        raise bad_request(f"The issue '{issue.key}' has subtasks.  You must specify the 'deleteSubtasks' "
                          "parameter to delete this issue and all its subtasks.")
    removed = children + [issue]
    links = list({id(link): link for item in removed for link in item.links}.values())
    for item in removed:
        site.issues.pop(item.id, None)
    for link in links:
        for end in (site.issues.get(link.source_id), site.issues.get(link.destination_id)):
            if end is not None and link in end.links:
                end.links.remove(link)
    return removed, links
