"""Breaking a configuration as an admin would: delete a custom field, list its context and options, remove one."""
from __future__ import annotations

import re
import time

from flask import request

from jirasim.errors import JiraError, bad_request, forbidden, not_found
from jirasim.rest.common import caller, int_arg, new_blueprint, no_content, ok, site, version, world
from jirasim.shapes.admin import context_option, field_context, page, task

CUSTOM_FIELD_ID = re.compile(r"^customfield_\d+$")


def _administrator() -> None:
    if "ADMINISTER" not in site().global_permissions(caller()):
        raise forbidden("Only Jira administrators can configure custom fields.")


def _custom_field(field_id: str):
    _administrator()
    fdef = site().fields.get(field_id)
    if fdef is None or not fdef.custom:
        raise not_found("The custom field was not found.")
    return fdef


def _context(field_id: str, context_id: str):
    fdef = _custom_field(field_id)
    if fdef.context_id != str(context_id):
        raise not_found("The context was not found.")
    if fdef.kind not in ("select", "multiselect"):
        raise bad_request("The custom field doesn't support options.")
    return fdef


def blueprint():
    """Blueprint of the custom field configuration endpoints."""
    bp = new_blueprint("custom_fields")

    @bp.delete("/field/<id>")
    def delete_field(id):
        with world().lock:
            _administrator()
            if not CUSTOM_FIELD_ID.match(id):
                raise bad_request("The custom field ID format is incorrect.")
            fdef = _custom_field(id)
            site().delete_field(fdef.id)
            done = {"id": site().next_id("task"), "description": f"Deleting custom field {fdef.name} ({fdef.id})",
                    "at": int(time.time() * 1000)}
            site().tasks[done["id"]] = done
            body = task(site(), done, version())
        response = ok(body, 303)
        response.headers["Location"] = body["self"]
        return response

    @bp.get("/task/<taskId>")
    def get_task(taskId):
        found = site().tasks.get(taskId)
        if found is None:
            raise not_found(f"The task with ID '{taskId}' does not exist.")
        _administrator()
        return ok(task(site(), found, version()))

    @bp.get("/field/<fieldId>/context")
    def contexts(fieldId):
        with world().lock:
            fdef = _custom_field(fieldId)
            start, limit = int_arg("startAt", 0), int_arg("maxResults", 50, 100) or 50
            wanted = {x for x in request.args.getlist("contextId")}
            found = [field_context(fdef)] if not wanted or fdef.context_id in wanted else []
            return ok(page(site(), version(), f"field/{fdef.id}/context", found, start, limit))

    @bp.get("/field/<fieldId>/context/<contextId>/option")
    def options(fieldId, contextId):
        with world().lock:
            fdef = _context(fieldId, contextId)
            start, limit = int_arg("startAt", 0), int_arg("maxResults", 100, 1000) or 100
            wanted = request.args.get("optionId")
            found = [context_option(i, value) for i, value in fdef.options if not wanted or i == wanted]
            return ok(page(site(), version(), f"field/{fdef.id}/context/{contextId}/option", found, start, limit))

    @bp.delete("/field/<fieldId>/context/<contextId>/option/<optionId>")
    def delete_option(fieldId, contextId, optionId):
        with world().lock:
            fdef = _context(fieldId, contextId)
            if optionId not in dict(fdef.options):
                raise JiraError(404, "The option was not found.")
            site().remove_option(fdef, optionId)
        return no_content()

    return bp
