"""The Comment representation."""
from __future__ import annotations

from jirasim import adf
from jirasim.shapes.urls import api
from jirasim.shapes.users import user
from jirasim.store.entities import jira_time


def comment(site, issue, comment, api_version: str) -> dict:
    """Comment (body as ADF in v3, plain text in v2)."""
    body = {"self": api(site, api_version, f"issue/{issue.id}/comment/{comment.id}"), "id": comment.id,
            "author": user(site, site.user(comment.author_id), api_version),
            "body": comment.body if api_version == "3" else adf.to_text(comment.body),
            "updateAuthor": user(site, site.user(comment.update_author_id), api_version),
            "created": jira_time(comment.created), "updated": jira_time(comment.updated), "jsdPublic": True}
    if comment.visibility:
        body["visibility"] = dict(comment.visibility)
    return body
