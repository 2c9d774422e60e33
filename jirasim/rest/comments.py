"""Issue comments: list (paged), add, get, edit, delete; visibility restrictions by role or group; properties."""
from __future__ import annotations

import json

from flask import request

from jirasim import adf, events, shapes
from jirasim.errors import bad_request, forbidden, not_found
from jirasim.rest.auth import browsable_issue
from jirasim.rest.common import body_json, caller, emit, int_arg, new_blueprint, no_content, ok, site, version, world
from jirasim.store import issues as ops
from jirasim.store.comments import GROUPS, ROLES, can_see, visible_comments
from jirasim.store.entities import Comment, now


def _body(raw) -> dict:
    if raw in (None, "") or (isinstance(raw, dict) and not raw.get("content")):
        raise bad_request(None, comment="Comment body can not be empty!")
    if version() == "3":
        if not adf.is_document(raw):
            raise bad_request(None, comment="Comment body must be an Atlassian Document (see the Atlassian "
                                            "Document Format)")
        return raw
    if not isinstance(raw, str):
        raise bad_request(None, comment="Comment body must be a string")
    return adf.from_text(raw)


def _visibility(raw):
    if not raw:
        return None
    kind, value = raw.get("type"), raw.get("value") or raw.get("identifier")
    if kind == "role" and value in ROLES:
        return {"type": "role", "value": value, "identifier": value}
    if kind == "group" and value in GROUPS:
        return {"type": "group", "value": value, "identifier": value}
    raise bad_request(None, commentLevel=f"You are currently not a member of the project role: {value}."
                      if kind == "role" else f"Group: {value} does not exist.")


def _comment(issue, comment_id):
    found = next((c for c in issue.comments if c.id == str(comment_id)), None)
    if found is None or not can_see(site(), issue, found, caller()):
        raise not_found(f"Can not find a comment for the id: {comment_id}.")
    return found


def _events(issue, comment, event: str, type_name: str) -> list[dict]:
    return events.comment_changed(site(), caller(), issue, comment, event, type_name)


def _may_change(issue, comment, verb: str) -> None:
    project = site().projects[issue.project_id]
    all_key, own_key = f"{verb}_ALL_COMMENTS", f"{verb}_OWN_COMMENTS"
    if not (site().can(caller(), all_key, project)
            or (comment.author_id == caller().account_id and site().can(caller(), own_key, project))):
        raise forbidden(f"You do not have the permission to {verb.lower()} this comment.")


def _properties(raw) -> dict:
    if not isinstance(raw, list):
        raise bad_request(None, properties="The comment properties must be a list of {key, value}.")
    found = {}
    for prop in raw:
        key = prop.get("key") if isinstance(prop, dict) else None
        ops.check_property(key, prop.get("value") if isinstance(prop, dict) else None)
        found[key] = prop.get("value")
    return found


def _shaped(issue, comment) -> dict:
    """The comment's representation, with its properties when `expand=properties` asks for them."""
    body = shapes.comment(site(), issue, comment, version())
    if "properties" in shapes.parse_list(request.args.get("expand")):
        body["properties"] = [{"key": k, "value": v} for k, v in comment.properties.items()]
    return body


def _by_id(comment_id):
    """(issue, comment) of a comment the caller may see; Jira's 404 otherwise."""
    issue, comment = site().comment(comment_id)
    if issue is None or not site().can(caller(), "BROWSE_PROJECTS", site().projects[issue.project_id]) \
            or not can_see(site(), issue, comment, caller()):
        raise not_found(f"Can not find a comment for the id: {comment_id}.")
    return issue, comment


def _property_missing(key: str):
    return not_found(f"The property with key '{key}' does not exist.")


def blueprint():
    """Blueprint of the comment endpoints."""
    bp = new_blueprint("comments")

    @bp.get("/issue/<issueIdOrKey>/comment")
    def list_comments(issueIdOrKey):
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 100, 5000) or 100
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            shown = visible_comments(site(), issue, caller())
            if (request.args.get("orderBy") or "").startswith("-"):
                shown = list(reversed(shown))
            return ok({"startAt": start, "maxResults": limit, "total": len(shown),
                       "comments": [_shaped(issue, c) for c in shown[start:start + limit]]})

    @bp.post("/issue/<issueIdOrKey>/comment")
    def add_comment(issueIdOrKey):
        body = body_json()
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            if not site().can(caller(), "ADD_COMMENTS", site().projects[issue.project_id]):
                raise forbidden("You do not have the permission to comment on this issue.")
            moment = now()
            comment = Comment(site().next_id("comment"), caller().account_id, _body(body.get("body")), moment,
                              moment, caller().account_id, _visibility(body.get("visibility")),
                              _properties(body.get("properties") or []))
            ops.record_write(issue)
            issue.comments.append(comment)
            issue.fields["updated"] = moment
            result, events = _shaped(issue, comment), _events(issue, comment, "comment_created", "issue_commented")
        emit(events)
        return ok(result, 201)

    @bp.get("/issue/<issueIdOrKey>/comment/<id>")
    def get_comment(issueIdOrKey, id):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            return ok(_shaped(issue, _comment(issue, id)))

    @bp.put("/issue/<issueIdOrKey>/comment/<id>")
    def edit_comment(issueIdOrKey, id):
        body = body_json()
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            comment = _comment(issue, id)
            _may_change(issue, comment, "EDIT")
            new_body = _body(body.get("body"))
            ops.record_write(issue)
            comment.body, comment.updated, comment.update_author_id = new_body, now(), caller().account_id
            if "visibility" in body:
                comment.visibility = _visibility(body.get("visibility"))
            issue.fields["updated"] = comment.updated
            result, events = shapes.comment(site(), issue, comment, version()), _events(
                issue, comment, "comment_updated", "issue_comment_edited")
        emit(events)
        return ok(result)

    @bp.delete("/issue/<issueIdOrKey>/comment/<id>")
    def delete_comment(issueIdOrKey, id):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            comment = _comment(issue, id)
            _may_change(issue, comment, "DELETE")
            ops.record_write(issue)
            issue.comments.remove(comment)
            issue.fields["updated"] = now()
            events = _events(issue, comment, "comment_deleted", "issue_comment_deleted")
        emit(events)
        return no_content()

    @bp.get("/comment/<commentId>/properties")
    def property_keys(commentId):
        with world().lock:
            _, comment = _by_id(commentId)
            return ok({"keys": [{"self": shapes.api(site(), version(), f"comment/{comment.id}/properties/{k}"),
                                 "key": k} for k in comment.properties]})

    @bp.get("/comment/<commentId>/properties/<propertyKey>")
    def property_get(commentId, propertyKey):
        with world().lock:
            _, comment = _by_id(commentId)
            if propertyKey not in comment.properties:
                raise _property_missing(propertyKey)
            return ok({"key": propertyKey, "value": comment.properties[propertyKey]})

    @bp.put("/comment/<commentId>/properties/<propertyKey>")
    def property_put(commentId, propertyKey):
        try:
            value = json.loads(request.get_data())
        except ValueError:
            raise bad_request("The property value must be valid JSON.") from None
        with world().lock:
            issue, comment = _by_id(commentId)
            _may_change(issue, comment, "EDIT")
            ops.check_property(propertyKey, value)
            existed = propertyKey in comment.properties
            comment.properties[propertyKey] = value
        return ok({}, 200 if existed else 201)

    @bp.delete("/comment/<commentId>/properties/<propertyKey>")
    def property_delete(commentId, propertyKey):
        with world().lock:
            issue, comment = _by_id(commentId)
            _may_change(issue, comment, "EDIT")
            if propertyKey not in comment.properties:
                raise _property_missing(propertyKey)
            del comment.properties[propertyKey]
        return no_content()

    return bp
