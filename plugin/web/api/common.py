"""What every API view needs: the acting user, query parameters and request bodies checked, and sessions."""
from __future__ import annotations

from typing import Any

from flask import g, request

from plugin.audit import Actor
from plugin.errors import ValidationError


def actor() -> Actor:
    """The user behind the context token, and the project page it came from (if any)."""
    project = ((g.jwt.context or {}).get("jira") or {}).get("project") or {}
    project_id = str(project.get("id") or "") or None
    return Actor(tenant=g.tenant, account_id=g.account_id, project_id=project_id,
                 project_key=str(project.get("key") or "") or None if project_id else None)


def int_arg(name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer query parameter within bounds; 400 when it is not a number."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise ValidationError(f"query parameter {name} must be a whole number", errors={name: "not a number"})
    value = max(minimum, int(raw))
    return min(value, maximum) if maximum else value


JSON_TYPES = {str: "string", dict: "object", list: "array", int: "number", bool: "boolean"}


def field(body: dict, name: str, kind: type, required: bool = False, default: Any = None) -> Any:
    """One member of a JSON body, of the given JSON type; 400 naming it when it is missing or has the wrong type."""
    if body.get(name) is None:
        if required:
            raise ValidationError(f"'{name}' is required", errors={name: "required"})
        return default
    value = body[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValidationError(f"'{name}' must be a {JSON_TYPES[kind]}", errors={name: "wrong type"})
    return value
