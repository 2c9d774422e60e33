"""Attachment bytes: served with byte ranges, and from the media URL `attachment/content` redirects to.

Jira Cloud answers `GET attachment/content/{id}` with 303 to Atlassian's media API (another host), whose URL
is unguessable and needs no Jira credentials. Here the media "host" is the path `/_media/file/{token}/binary`.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request

from jirasim.errors import not_found

MEDIA_PREFIX = "/_media"


def media_url(world, attachment) -> str:
    """The download URL of an attachment's bytes (what `attachment/content` redirects to)."""
    return (f"{world.base_url}{MEDIA_PREFIX}/file/{attachment.media_token}/binary"
            f"?client=jirasim&dl=true&name={quote(attachment.filename)}")


def download(attachment) -> Response:
    """The attachment's bytes: 200, or 206 with Content-Range for a `Range` request (416 when unsatisfiable)."""
    response = Response(attachment.content, mimetype=attachment.mime_type,
                        headers={"Content-Disposition": f'attachment; filename="{attachment.filename}"'})
    return response.make_conditional(request.environ, accept_ranges=True, complete_length=attachment.size)


def media_blueprint(world) -> Blueprint:
    """The media host: attachment bytes by unguessable token, without authentication."""
    bp = Blueprint("media", __name__, url_prefix=MEDIA_PREFIX)

    @bp.get("/file/<token>/binary")
    def binary(token):
        with world.lock:
            found = next((a for site in world.sites.values() for issue in site.issues.values()
                          for a in issue.attachments if a.media_token == token), None)
        if found is None:
            raise not_found("The file does not exist.")
        return download(found)

    return bp
