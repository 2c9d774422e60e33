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


def _one_arg(name: str) -> str | None:
    """The query parameter given once (None when absent); 400 when it is given twice."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise ValidationError(f"query parameter {name} is given more than once", errors={name: "given twice"})
    return values[0] if values else None


def int_arg(name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer query parameter within bounds; 400 when it is empty, not a number or out of bounds."""
    raw = _one_arg(name)
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise ValidationError(f"query parameter {name} must be a whole number", errors={name: "not a number"})
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ValidationError(f"query parameter {name} must be {bounds}", errors={name: "out of range"})
    return value


BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def bool_arg(name: str, default: bool = False) -> bool:
    """A true/false query parameter (also 1/0, yes/no); 400 for anything else."""
    raw = _one_arg(name)
    if raw is None:
        return default
    if raw.lower() not in BOOLEANS:
        raise ValidationError(f"query parameter {name} must be true or false", errors={name: "not a boolean"})
    return BOOLEANS[raw.lower()]


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
