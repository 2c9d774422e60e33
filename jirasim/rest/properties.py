"""Issue properties (key -> JSON, 32 KB) and remote issue links."""
from __future__ import annotations

import json

from flask import request

from jirasim import events, shapes
from jirasim.errors import bad_request, not_found
from jirasim.rest.auth import browsable_issue, require
from jirasim.rest.common import body_json, caller, emit, new_blueprint, no_content, ok, site, version, world
from jirasim.store import issues as ops
from jirasim.store.entities import RemoteLink


def _editable(issue_ref):
    issue = browsable_issue(site(), caller(), issue_ref)
    require(site(), caller(), "EDIT_ISSUES", site().projects[issue.project_id],
            "You do not have permission to edit issues in this project.")
    return issue


def blueprint():
    """Blueprint of the property and remote link endpoints."""
    bp = new_blueprint("properties")

    @bp.get("/issue/<issueIdOrKey>/properties")
    def keys(issueIdOrKey):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            return ok({"keys": [{"self": shapes.api(site(), version(), f"issue/{issue.id}/properties/{k}"), "key": k}
                                for k in issue.properties]})

    @bp.get("/issue/<issueIdOrKey>/properties/<propertyKey>")
    def get(issueIdOrKey, propertyKey):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            if propertyKey not in issue.properties:
                raise not_found(f"The property with key '{propertyKey}' does not exist.")
            return ok({"key": propertyKey, "value": issue.properties[propertyKey]})

    @bp.put("/issue/<issueIdOrKey>/properties/<propertyKey>")
    def put(issueIdOrKey, propertyKey):
        raw = request.get_data()
        try:
            value = json.loads(raw)
        except ValueError:
            raise bad_request("The property value must be valid JSON.") from None
        with world().lock:
            issue = _editable(issueIdOrKey)
            ops.check_property(propertyKey, value)
            existed = propertyKey in issue.properties
            ops.record_write(issue)
            issue.properties[propertyKey] = value
            payload = events.property_set(site(), caller(), issue, propertyKey, value)
        emit([payload])
        return ok({}, 200) if existed else ok({}, 201)

    @bp.delete("/issue/<issueIdOrKey>/properties/<propertyKey>")
    def delete(issueIdOrKey, propertyKey):
        with world().lock:
            issue = _editable(issueIdOrKey)
            if propertyKey not in issue.properties:
                raise not_found(f"The property with key '{propertyKey}' does not exist.")
            ops.record_write(issue)
            del issue.properties[propertyKey]
            payload = events.property_deleted(site(), caller(), issue, propertyKey)
        emit([payload])
        return no_content()

    @bp.get("/issue/<issueIdOrKey>/remotelink")
    def links(issueIdOrKey):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            wanted = request.args.get("globalId")
            found = [shapes.remote_link(site(), issue, x, version()) for x in issue.remote_links
                     if not wanted or x.global_id == wanted]
            if wanted:
                if not found:
                    raise not_found(f"No remote link with globalId '{wanted}'.")
                return ok(found[0])
            return ok(found)

    @bp.post("/issue/<issueIdOrKey>/remotelink")
    def add_link(issueIdOrKey):
        body = body_json()
        obj = body.get("object") or {}
        if not obj.get("url") or not obj.get("title"):
            raise bad_request(None, **{k: f"'{k}' is required." for k in ("url", "title") if not obj.get(k)})
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            require(site(), caller(), "LINK_ISSUES", site().projects[issue.project_id],
                    "You do not have permission to link issues in this project.")
            existing = next((x for x in issue.remote_links if body.get("globalId") and
                             x.global_id == body.get("globalId")), None)
            link = existing or RemoteLink(site().next_id("remotelink"), body.get("globalId"), {}, None, {})
            link.application, link.relationship, link.object = body.get("application") or {}, \
                body.get("relationship"), obj
            if existing is None:
                issue.remote_links.append(link)
            result = {"id": int(link.id), "self": shapes.remote_link(site(), issue, link, version())["self"]}
        return ok(result, 200 if existing else 201)

    @bp.delete("/issue/<issueIdOrKey>/remotelink/<linkId>")
    def delete_link(issueIdOrKey, linkId):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            require(site(), caller(), "LINK_ISSUES", site().projects[issue.project_id],
                    "You do not have permission to link issues in this project.")
            link = next((x for x in issue.remote_links if x.id == linkId), None)
            if link is None:
                raise not_found(f"No remote link with id '{linkId}'.")
            issue.remote_links.remove(link)
        return no_content()

    return bp
