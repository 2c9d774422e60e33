"""The attachment metadata representation."""
from __future__ import annotations

from jirasim.shapes.urls import api
from jirasim.shapes.users import user
from jirasim.store.entities import jira_time


def attachment(site, a, v: str) -> dict:
    """Attachment metadata."""
    return {"self": api(site, v, f"attachment/{a.id}"), "id": a.id, "filename": a.filename,
            "author": user(site, site.user(a.author_id), v), "created": jira_time(a.created), "size": a.size,
            "mimeType": a.mime_type, "content": api(site, v, f"attachment/content/{a.id}")}
