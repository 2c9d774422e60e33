"""Reading JSON request bodies with a clear 400 for anything malformed, and per-blueprint size caps."""
from __future__ import annotations

import json

from flask import request

from plugin.errors import Unprocessable, ValidationError

LIFECYCLE_MAX_BODY = 64 * 1024  # Jira's lifecycle bodies are about 1 KB, and they are read before authentication
WEBHOOK_MAX_BODY = 2 * 1024 * 1024  # an issue with all its fields and a changelog
MAX_DEPTH = 64  # objects and arrays within each other: deeper than any body we read (rich text included)


def depth_of(value: object, limit: int) -> int:
    """How deeply `value` nests objects and arrays (a scalar is 0), counted without recursion and only up to
    `limit` + 1: a hostile document costs no more than what is needed to refuse it."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > limit:
                break
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def has_nul(value: object) -> bool:
    """Whether any string of `value` (keys included) holds the NUL character, which no database column can store
    (PostgreSQL refuses it), walked without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def json_body(max_depth: int = MAX_DEPTH) -> dict:
    """The request body as a JSON object nesting at most `max_depth` levels, or ValidationError."""
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
    if depth_of(value, max_depth) > max_depth:
        raise ValidationError(f"request body nests objects and arrays more than {max_depth} levels deep",
                              errors={"": "nested too deeply"})
    if has_nul(value):  # well-formed JSON, but text no one can store: 422, like any other invalid value
        raise Unprocessable("The request holds the NUL character (\\u0000), which text in Jira and here cannot hold: "
                            "remove it.", problems=[{"path": "", "message": "NUL character"}])
    return value


def cap_body(limit: int):
    """A before_request hook that caps the body of the blueprint's requests at `limit` bytes (413 beyond)."""

    def _cap():
        request.max_content_length = limit

    return _cap
