"""Issue worklogs, shaped as Jira's OpenAPI says: list (paged), add, get, edit, delete (each with `notifyUsers` and
`adjustEstimate` accepted), `expand=properties`, properties given on create, and the worklog property endpoints."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import request

from jirasim import adf, events, shapes
from jirasim.errors import bad_request, forbidden, not_found
from jirasim.rest.auth import browsable_issue
from jirasim.rest.common import body_json, caller, emit, int_arg, new_blueprint, no_content, ok, site, version, world
from jirasim.shapes import worklogs as worklog_shapes
from jirasim.store import issues as ops
from jirasim.store.entities import now

UNITS = worklog_shapes.UNITS


@dataclass
class Worklog:
    """Work logged on an issue."""
    id: str
    author_id: str
    update_author_id: str
    comment: dict | None
    started: datetime
    seconds: int
    created: datetime
    updated: datetime
    properties: dict = field(default_factory=dict)


def _logs(issue) -> list[Worklog]:
    return worklog_shapes.logs(issue)


def _seconds(body: dict) -> int:
    if "timeSpentSeconds" in body:
        value = body["timeSpentSeconds"]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise bad_request(None, timeLogged="Time Spent must be greater than zero.")
        return value
    text = str(body.get("timeSpent") or "").strip()
    found = re.fullmatch(r"((\d+)w)?\s*((\d+)d)?\s*((\d+)h)?\s*((\d+)m)?", text)
    if not text or found is None:
        raise bad_request(None, timeLogged="You must indicate the time spent working.")
    total = sum(int(found.group(n)) * UNITS[u] for n, u in ((2, "w"), (4, "d"), (6, "h"), (8, "m"))
                if found.group(n))
    if total <= 0:
        raise bad_request(None, timeLogged="Time Spent must be greater than zero.")
    return total


def _started(raw) -> datetime:
    if raw in (None, ""):
        return now()
    try:
        return datetime.strptime(str(raw), "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)
    except ValueError:
        raise bad_request(None, started="Invalid date format. Please enter the date in the format "
                                        "\"yyyy-MM-dd'T'HH:mm:ss.SSSZ\".") from None


def _comment(raw) -> dict | None:
    if raw in (None, ""):
        return None
    if version() == "3" and not adf.is_document(raw):
        raise bad_request(None, comment="Comment must be an Atlassian Document (see the Atlassian Document Format)")
    return raw if adf.is_document(raw) else adf.from_text(str(raw))


def _properties(raw) -> dict:
    if not isinstance(raw, list):
        raise bad_request(None, properties="The worklog properties must be a list of {key, value}.")
    found = {}
    for prop in raw:
        key = prop.get("key") if isinstance(prop, dict) else None
        ops.check_property(key, prop.get("value") if isinstance(prop, dict) else None)
        found[key] = prop.get("value")
    return found


def shaped(issue, log: Worklog, expand_properties: bool = False) -> dict:
    """A worklog as Jira shows it (comment as ADF in v3, text in v2)."""
    return worklog_shapes.worklog(site(), issue, log, version(), expand_properties)


def _expanding() -> bool:
    return "properties" in shapes.parse_list(request.args.get("expand"))


def _find(issue, worklog_id) -> Worklog:
    found = next((w for w in _logs(issue) if w.id == str(worklog_id)), None)
    if found is None:
        raise not_found(f"Cannot find worklog with id: {worklog_id}.")
    return found


def _may(issue, log: Worklog | None, verb: str) -> None:
    project = site().projects[issue.project_id]
    if verb == "WORK":
        allowed = site().can(caller(), "WORK_ON_ISSUES", project)
    else:
        allowed = site().can(caller(), f"{verb}_ALL_WORKLOGS", project) or (
            log is not None and log.author_id == caller().account_id
            and site().can(caller(), f"{verb}_OWN_WORKLOGS", project))
    if not allowed:
        raise forbidden("You do not have the permission to work on this issue." if verb == "WORK" else
                        f"You do not have the permission to {verb.lower()} this worklog.")


def _event(issue, type_name: str) -> list[dict]:
    """The `jira:issue_updated` Jira sends when work is logged, edited or deleted (its event type name says which)."""
    return [events.issue_updated(site(), caller(), issue, None, type_name)]


def blueprint():
    """Blueprint of the worklog endpoints."""
    bp = new_blueprint("worklogs")

    @bp.get("/issue/<issueIdOrKey>/worklog")
    def list_worklogs(issueIdOrKey):
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 5000, 5000) or 5000
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            logs = _logs(issue)
            return ok({"startAt": start, "maxResults": limit, "total": len(logs),
                       "worklogs": [shaped(issue, w, _expanding()) for w in logs[start:start + limit]]})

    @bp.post("/issue/<issueIdOrKey>/worklog")
    def add_worklog(issueIdOrKey):
        body = body_json()
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            _may(issue, None, "WORK")
            moment = now()
            log = Worklog(site().next_id("worklog"), caller().account_id, caller().account_id,
                          _comment(body.get("comment")), _started(body.get("started")), _seconds(body), moment,
                          moment, _properties(body.get("properties") or []))
            ops.record_write(issue)
            _logs(issue).append(log)
            issue.fields["updated"] = moment
            result, sent = shaped(issue, log, _expanding()), _event(issue, "issue_work_logged")
        emit(sent)
        return ok(result, 201)

    @bp.get("/issue/<issueIdOrKey>/worklog/<id>")
    def get_worklog(issueIdOrKey, id):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            return ok(shaped(issue, _find(issue, id), _expanding()))

    @bp.put("/issue/<issueIdOrKey>/worklog/<id>")
    def edit_worklog(issueIdOrKey, id):
        body = body_json()
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            log = _find(issue, id)
            _may(issue, log, "EDIT")
            if "timeSpent" in body or "timeSpentSeconds" in body:
                log.seconds = _seconds(body)
            if "started" in body:
                log.started = _started(body["started"])
            if "comment" in body:
                log.comment = _comment(body["comment"])
            if "properties" in body:
                log.properties.update(_properties(body["properties"]))
            ops.record_write(issue)
            log.updated, log.update_author_id = now(), caller().account_id
            issue.fields["updated"] = log.updated
            result, sent = shaped(issue, log, _expanding()), _event(issue, "issue_worklog_updated")
        emit(sent)
        return ok(result)

    @bp.delete("/issue/<issueIdOrKey>/worklog/<id>")
    def delete_worklog(issueIdOrKey, id):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            log = _find(issue, id)
            _may(issue, log, "DELETE")
            ops.record_write(issue)
            _logs(issue).remove(log)
            issue.fields["updated"] = now()
            sent = _event(issue, "issue_worklog_deleted")
        emit(sent)
        return no_content()

    @bp.get("/issue/<issueIdOrKey>/worklog/<worklogId>/properties")
    def property_keys(issueIdOrKey, worklogId):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            log = _find(issue, worklogId)
            return ok({"keys": [{"self": shapes.api(site(), version(), f"issue/{issue.id}/worklog/{log.id}/"
                                                                         f"properties/{k}"), "key": k}
                                for k in log.properties]})

    @bp.get("/issue/<issueIdOrKey>/worklog/<worklogId>/properties/<propertyKey>")
    def property_get(issueIdOrKey, worklogId, propertyKey):
        with world().lock:
            log = _find(browsable_issue(site(), caller(), issueIdOrKey), worklogId)
            if propertyKey not in log.properties:
                raise not_found(f"The property with key '{propertyKey}' does not exist.")
            return ok({"key": propertyKey, "value": log.properties[propertyKey]})

    @bp.put("/issue/<issueIdOrKey>/worklog/<worklogId>/properties/<propertyKey>")
    def property_put(issueIdOrKey, worklogId, propertyKey):
        try:
            value = json.loads(request.get_data())
        except ValueError:
            raise bad_request("The property value must be valid JSON.") from None
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            log = _find(issue, worklogId)
            _may(issue, log, "EDIT")
            ops.check_property(propertyKey, value)
            existed = propertyKey in log.properties
            log.properties[propertyKey] = value
        return ok({}, 200 if existed else 201)

    @bp.delete("/issue/<issueIdOrKey>/worklog/<worklogId>/properties/<propertyKey>")
    def property_delete(issueIdOrKey, worklogId, propertyKey):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            log = _find(issue, worklogId)
            _may(issue, log, "EDIT")
            if propertyKey not in log.properties:
                raise not_found(f"The property with key '{propertyKey}' does not exist.")
            del log.properties[propertyKey]
        return no_content()

    return bp
