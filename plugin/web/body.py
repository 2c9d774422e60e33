"""Reading JSON request bodies with a clear 400 for anything malformed, and per-blueprint size caps."""
from __future__ import annotations

import json

from flask import request

from plugin.errors import ValidationError

LIFECYCLE_MAX_BODY = 64 * 1024  # Jira's lifecycle bodies are about 1 KB, and they are read before authentication
WEBHOOK_MAX_BODY = 2 * 1024 * 1024  # an issue with all its fields and a changelog


def json_body() -> dict:
    """The request body as a JSON object, or ValidationError."""
    raw = request.get_data(cache=True)
    if not raw:
        raise ValidationError("request body is empty; a JSON object is required")
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValidationError("request body is not valid JSON: nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"request body is not valid JSON: {exc}") from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise ValidationError("request body is not valid JSON: a number is too long") from None
    if not isinstance(value, dict):
        raise ValidationError("request body must be a JSON object")
    return value


def cap_body(limit: int):
    """A before_request hook that caps the body of the blueprint's requests at `limit` bytes (413 beyond)."""

    def _cap():
        request.max_content_length = limit

    return _cap
