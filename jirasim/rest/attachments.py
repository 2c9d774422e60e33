"""Attachments: multipart upload (XSRF header, size limit), metadata, content, delete."""
from __future__ import annotations

import mimetypes

from flask import Response, request

from jirasim import events, shapes
from jirasim.errors import JiraError, forbidden, not_found
from jirasim.rest.auth import browsable_issue
from jirasim.rest.common import caller, emit, new_blueprint, no_content, ok, site, version, world
from jirasim.store import issues as ops
from jirasim.store.entities import Attachment, now


def find_attachment(attachment_id):
    """(issue, attachment) if it exists and the caller may browse its issue; 404 otherwise."""
    for issue in site().issues.values():
        for a in issue.attachments:
            if a.id == str(attachment_id):
                if not site().can(caller(), "BROWSE_PROJECTS", site().projects[issue.project_id]):
                    break
                return issue, a
    raise not_found(f"The attachment with id '{attachment_id}' does not exist")


def _item(a, added: bool) -> dict:
    ids = {"from": None, "fromString": None, "to": a.id, "toString": a.filename} if added else \
        {"from": a.id, "fromString": a.filename, "to": None, "toString": None}
    return {"field": "Attachment", "fieldtype": "jira", "fieldId": "attachment", **ids}


def blueprint():
    """Blueprint of the attachment endpoints."""
    bp = new_blueprint("attachments")

    @bp.post("/issue/<issueIdOrKey>/attachments")
    def add(issueIdOrKey):
        if request.headers.get("X-Atlassian-Token", "").lower() not in ("no-check", "nocheck"):
            raise forbidden("XSRF check failed")
        uploads = request.files.getlist("file")
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            if not site().can(caller(), "CREATE_ATTACHMENTS", site().projects[issue.project_id]):
                raise forbidden("You do not have permission to create attachments for this issue.")
            limit = site().attachment_limit
            contents = [(f, f.read()) for f in uploads]
            for _upload, content in contents:
                if len(content) > limit:
                    raise JiraError(413, f"The field file exceeds its maximum permitted size of {limit} bytes.")
            if not contents:
                raise JiraError(400, "No attachments were provided (multipart field 'file').")
            ops.record_write(issue)
            added = []
            for upload, content in contents:
                mime = upload.mimetype if upload.mimetype and upload.mimetype != "application/octet-stream" else \
                    (mimetypes.guess_type(upload.filename or "")[0] or "application/octet-stream")
                a = Attachment(site().next_id("attachment"), issue.id, upload.filename or "file", mime, content,
                               caller().account_id, now())
                issue.attachments.append(a)
                added.append(a)
            group = ops.add_history(site(), issue, caller(), [_item(a, True) for a in added])
            result = [shapes.attachment(site(), a, version()) for a in added]
            event = events.issue_updated(site(), caller(), issue, group)
        emit([event])
        return ok(result)

    @bp.get("/attachment/<id>")
    def metadata(id):
        with world().lock:
            body = shapes.attachment(site(), find_attachment(id)[1], version())
            return ok({**body, "id": int(body["id"])})  # AttachmentMetadata has a numeric id

    @bp.get("/attachment/content/<id>")
    def content(id):
        with world().lock:
            _, a = find_attachment(id)
            return Response(a.content, mimetype=a.mime_type,
                            headers={"Content-Disposition": f'attachment; filename="{a.filename}"'})

    @bp.delete("/attachment/<id>")
    def delete(id):
        with world().lock:
            issue, a = find_attachment(id)
            project = site().projects[issue.project_id]
            own = a.author_id == caller().account_id and site().can(caller(), "DELETE_OWN_ATTACHMENTS", project)
            if not (own or site().can(caller(), "DELETE_ALL_ATTACHMENTS", project)):
                raise forbidden("You do not have permission to delete this attachment.")
            ops.record_write(issue)
            issue.attachments.remove(a)
            group = ops.add_history(site(), issue, caller(), [_item(a, False)])
            event = events.issue_updated(site(), caller(), issue, group)
        emit([event])
        return no_content()

    return bp
