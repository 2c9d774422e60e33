"""What identifies a Jira webhook delivery, and the fields of it we store, checked to fit their columns."""
from __future__ import annotations

import hashlib
import re

from plugin.errors import ValidationError

DELIVERY_ID_WIDTH = 255  # the width of webhook_deliveries.delivery_id
_HASHED = "sha256:"
_ISSUE_ID = re.compile(r"[0-9]{1,18}")


def delivery_key(identifier: str | None, body: bytes) -> str:
    """The stored, deduplicated form of a delivery: Jira's identifier, or a hash when it is long or absent.

    Two identifiers that differ anywhere stay different (never cut to the column's width), and a hashed
    form can never equal an identifier kept as it is.
    """
    if identifier and len(identifier) <= DELIVERY_ID_WIDTH and not identifier.startswith(_HASHED):
        return identifier
    source = identifier.encode("utf-8") if identifier else b"body:" + body
    return _HASHED + hashlib.sha256(source).hexdigest()


def issue_id(payload: dict) -> str | None:
    """The id of the webhook's issue, if it names one; ValidationError if it is not a Jira issue id."""
    issue = payload.get("issue")
    if not isinstance(issue, dict) or issue.get("id") in (None, ""):
        return None
    value = issue["id"]
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not _ISSUE_ID.fullmatch(str(value)):
        raise ValidationError("webhook issue.id is not a Jira issue id", errors={"issue.id": "must be numeric"})
    return str(value)
