"""Attachments: multipart upload (XSRF header, size limit), metadata, content (303 to the media URL), delete."""
from __future__ import annotations

import mimetypes

from flask import redirect, request

from jirasim import events, shapes
from jirasim.errors import JiraError, forbidden, not_found
from jirasim.rest.auth import browsable_issue
from jirasim.rest.common import caller, emit, flag, new_blueprint, no_content, ok, site, version, world
from jirasim.rest.media import download, media_url
from jirasim.store import issues as ops
from jirasim.store.changes import add_history, attachment_item
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


def blueprint():
    """Blueprint of the attachment endpoints."""
    bp = new_blueprint("attachments")

    @bp.get("/attachment/meta")
    def settings():
        with world().lock:
            return ok({"enabled": site().attachments_enabled, "uploadLimit": site().attachment_limit})

    @bp.post("/issue/<issueIdOrKey>/attachments")
    def add(issueIdOrKey):
        if request.headers.get("X-Atlassian-Token", "").lower() not in ("no-check", "nocheck"):
            raise forbidden("XSRF check failed")
        uploads = request.files.getlist("file")
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            if not site().can(caller(), "CREATE_ATTACHMENTS", site().projects[issue.project_id]):
                raise forbidden("You do not have permission to create attachments for this issue.")
            if not site().attachments_enabled:
                raise forbidden("Attachments are disabled.")
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
            group = add_history(site(), issue, caller(), [attachment_item(a, True) for a in added])
            result = [shapes.attachment(site(), a, version()) for a in added]
            payloads = [events.attachment_event(site(), a, "attachment_created") for a in added]
            payloads.append(events.issue_updated(site(), caller(), issue, group))
        emit(payloads)
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
            if flag("redirect", True):
                return redirect(media_url(world(), a), 303)
            return download(a)

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
            group = add_history(site(), issue, caller(), [attachment_item(a, False)])
            payloads = [events.attachment_event(site(), a, "attachment_deleted"),
                        events.issue_updated(site(), caller(), issue, group)]
        emit(payloads)
        return no_content()

    return bp
