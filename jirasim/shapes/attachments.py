"""The attachment metadata representation."""
from __future__ import annotations

from jirasim.shapes.urls import api
from jirasim.shapes.users import user
from jirasim.store.entities import jira_time


def attachment(site, attachment, api_version: str) -> dict:
    """Attachment metadata."""
    return {"self": api(site, api_version, f"attachment/{attachment.id}"), "id": attachment.id,
            "filename": attachment.filename, "author": user(site, site.user(attachment.author_id), api_version),
            "created": jira_time(attachment.created), "size": attachment.size, "mimeType": attachment.mime_type,
            "content": api(site, api_version, f"attachment/content/{attachment.id}")}
