"""The Comment representation."""
from __future__ import annotations

from jirasim import adf
from jirasim.shapes.urls import api
from jirasim.shapes.users import user
from jirasim.store.entities import jira_time


def comment(site, issue, c, v: str) -> dict:
    """Comment (body as ADF in v3, plain text in v2)."""
    body = {"self": api(site, v, f"issue/{issue.id}/comment/{c.id}"), "id": c.id,
            "author": user(site, site.user(c.author_id), v), "body": c.body if v == "3" else adf.to_text(c.body),
            "updateAuthor": user(site, site.user(c.update_author_id), v), "created": jira_time(c.created),
            "updated": jira_time(c.updated), "jsdPublic": True}
    if c.visibility:
        body["visibility"] = dict(c.visibility)
    return body
