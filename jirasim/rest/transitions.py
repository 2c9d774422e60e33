"""Issue transitions: list the ones valid from the current status (with their screens), perform one."""
from __future__ import annotations

from flask import request

from jirasim import events, shapes
from jirasim.errors import bad_request
from jirasim.rest.auth import browsable_issue, require
from jirasim.rest.common import body_json, caller, emit, new_blueprint, no_content, ok, site, version, world
from jirasim.store import changes
from jirasim.store import issues as ops


def blueprint():
    """Blueprint of the transition endpoints."""
    bp = new_blueprint("transitions")

    @bp.get("/issue/<issueIdOrKey>/transitions")
    def list_transitions(issueIdOrKey):
        with_fields = "transitions.fields" in shapes.parse_list(request.args.get("expand"))
        wanted = request.args.get("transitionId")
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            project = site().projects[issue.project_id]
            allowed = site().can(caller(), "TRANSITION_ISSUES", project)
            found = [t for t in site().available_transitions(issue) if not wanted or t.id == wanted] if allowed else []
            return ok({"expand": "transitions",
                       "transitions": [shapes.transition(site(), project, t, version(), with_fields) for t in found]})

    @bp.post("/issue/<issueIdOrKey>/transitions")
    def do_transition(issueIdOrKey):
        body = body_json()
        target = (body.get("transition") or {})
        metadata = changes.history_metadata(body)
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            require(site(), caller(), "TRANSITION_ISSUES", site().projects[issue.project_id],
                    "You do not have permission to transition this issue.")
            transition_id = target.get("id")
            if transition_id is None and target.get("name"):
                match = next((t for t in site().available_transitions(issue) if t.name == target["name"]), None)
                transition_id = match.id if match else target["name"]
            if transition_id is None:
                raise bad_request("Missing 'transition' identifier.")
            for prop in body.get("properties") or []:
                ops.check_property(prop.get("key"), prop.get("value"))
            group, comments = ops.transition_issue(site(), caller(), issue, str(transition_id), body.get("fields"),
                                                   body.get("update"), version(), metadata=metadata)
            for prop in body.get("properties") or []:
                issue.properties[prop["key"]] = prop.get("value")
            payloads = [events.comment_event(site(), issue, c, "comment_created") for c in comments]
            payloads.append(events.issue_updated(site(), caller(), issue, group, "issue_generic",
                                                 comments[-1] if comments else None))
            payloads += [events.property_set(site(), caller(), issue, p["key"], p.get("value"))
                         for p in body.get("properties") or []]
        emit(payloads)
        return no_content()

    return bp
