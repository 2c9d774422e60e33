"""Issue links and link types: link two issues (optionally with a comment), get, delete; list the types."""
from __future__ import annotations

from flask import Response

from jirasim import events, shapes
from jirasim.errors import bad_request, issue_not_found, not_found
from jirasim.rest.auth import require
from jirasim.rest.common import body_json, caller, emit, new_blueprint, no_content, ok, site, version, world
from jirasim.store import issues as ops
from jirasim.store import links


def _linked(ref, name: str):
    """The issue a LinkedIssue names (by id or key) if the caller may browse it; 404 otherwise."""
    if not isinstance(ref, dict) or not (ref.get("id") or ref.get("key")):
        raise bad_request(None, **{name: f"{name} is required."})
    issue = site().issue(ref.get("id") or ref.get("key"))
    if issue is None or not site().can(caller(), "BROWSE_PROJECTS", site().projects[issue.project_id]):
        raise issue_not_found()
    return issue


def _visible_link(link_id):
    found = links.find_link(site(), link_id)
    if found is None or not all(site().can(caller(), "BROWSE_PROJECTS", site().projects[i.project_id])
                                for i in found[1:]):
        raise not_found(f"No issue link with id '{link_id}' exists.")
    return found


def _updated(history) -> list[dict]:
    return [events.issue_updated(site(), caller(), issue, group, "issue_generic") for issue, group in history]


def blueprint():
    """Blueprint of the issue link endpoints."""
    bp = new_blueprint("links")

    @bp.post("/issueLink")
    def create():
        body = body_json()
        with world().lock:
            kind = links.link_type(body.get("type"))
            source, destination = _linked(body.get("inwardIssue"), "inwardIssue"), \
                _linked(body.get("outwardIssue"), "outwardIssue")
            require(site(), caller(), "LINK_ISSUES", site().projects[source.project_id],
                    "You do not have the permission to link issues.")
            if source is destination:
                raise bad_request("You cannot link an issue to itself.")
            comments = ops.comment_adds(site(), caller(), [{"add": body["comment"]}], version()) \
                if body.get("comment") else []
            made = links.link(site(), caller(), kind, source, destination)
            payloads = []
            if made is not None:
                payloads = [events.link_event(made[0], "issuelink_created"), *_updated(made[1])]
            for comment in comments:
                ops.record_write(destination)
                destination.comments.append(comment)
                destination.fields["updated"] = comment.created
                payloads += events.comment_changed(site(), caller(), destination, comment, "comment_created",
                                                   "issue_commented")
        emit(payloads)
        return Response(status=201)

    @bp.get("/issueLink/<linkId>")
    def get(linkId):
        with world().lock:
            return ok(shapes.issue_link(site(), *_visible_link(linkId), version()))

    @bp.delete("/issueLink/<linkId>")
    def delete(linkId):
        with world().lock:
            made, source, destination = _visible_link(linkId)
            require(site(), caller(), "LINK_ISSUES", site().projects[source.project_id],
                    "You do not have the permission to delete links in this project.")
            history = links.unlink(site(), caller(), made, source, destination)
            payloads = [events.link_event(made, "issuelink_deleted"), *_updated(history)]
        emit(payloads)
        return no_content()

    @bp.get("/issueLinkType")
    def types():
        return ok({"issueLinkTypes": [shapes.link_type(site(), kind, version()) for kind in links.LINK_TYPES]})

    @bp.get("/issueLinkType/<issueLinkTypeId>")
    def one_type(issueLinkTypeId):
        kind = next((k for k in links.LINK_TYPES if k.id == issueLinkTypeId), None)
        if kind is None:
            raise not_found(f"No issue link type with id '{issueLinkTypeId}' found.")
        return ok(shapes.link_type(site(), kind, version()))

    return bp
