"""The User representation."""
from __future__ import annotations

from jirasim.shapes.urls import api, avatars


def user(site, u, v: str, viewer=None) -> dict | None:
    """A user (emailAddress only when visible or the viewer is that user)."""
    if u is None:
        return None
    body = {"self": api(site, v, f"user?accountId={u.account_id}"), "accountId": u.account_id,
            "accountType": u.account_type, "avatarUrls": avatars(u.account_id), "displayName": u.display_name,
            "active": u.active, "timeZone": u.time_zone}
    if u.email and (u.email_visible or (viewer is not None and viewer.account_id == u.account_id)):
        body["emailAddress"] = u.email
    return body
