"""Reading JSON request bodies with a clear 400 for anything malformed."""
from __future__ import annotations

import json

from flask import request

from plugin.errors import ValidationError


def json_body() -> dict:
    """The request body as a JSON object, or ValidationError."""
    raw = request.get_data(cache=True)
    if not raw:
        raise ValidationError("request body is empty; a JSON object is required")
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"request body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValidationError("request body must be a JSON object")
    return value
