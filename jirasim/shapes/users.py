"""The User representation."""
from __future__ import annotations

from jirasim.shapes.urls import api, avatars


def user(site, user, api_version: str, viewer=None) -> dict | None:
    """A user (emailAddress only when visible or the viewer is that user)."""
    if user is None:
        return None
    body = {"self": api(site, api_version, f"user?accountId={user.account_id}"), "accountId": user.account_id,
            "accountType": user.account_type, "avatarUrls": avatars(user.account_id), "displayName": user.display_name,
            "active": user.active, "timeZone": user.time_zone}
    if user.email and (user.email_visible or (viewer is not None and viewer.account_id == user.account_id)):
        body["emailAddress"] = user.email
    return body
