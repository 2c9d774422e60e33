"""What a page may believe about the project or issue it was opened for: what Jira signed, or confirms."""
from __future__ import annotations

from collections.abc import Callable

from plugin.errors import NotFound, PermissionDenied, ValidationError, quoted


def signed_entity(context: object, kind: str) -> dict | None:
    """The `project` or `issue` ({id, key}) Jira signed into the token's context claim, if it did."""
    jira = context.get("jira") if isinstance(context, dict) else None
    entity = jira.get(kind) if isinstance(jira, dict) else None
    if not isinstance(entity, dict) or entity.get("id") in (None, "") or not entity.get("key"):
        return None
    return {"id": str(entity["id"]), "key": str(entity["key"])}


def confirm_pair(kind: str, key: str, entity_id: str, context: object, key_of: Callable[[str], str]) -> None:
    """ValidationError unless `entity_id` is the `kind` called `key`, by the signed context or else by Jira.

    `key_of(id)` asks Jira for the key of the `kind` with that id; it is called only when the token's
    context does not carry the entity.
    """
    signed = signed_entity(context, kind)
    if signed is not None:
        actual = signed["key"] if signed["id"] == entity_id else None
    else:
        try:
            actual = key_of(entity_id)
        except (NotFound, PermissionDenied):
            actual = None
    if actual != key:
        raise ValidationError(f"{kind}.id {quoted(entity_id)} is not the {kind} {quoted(key)}",
                              errors={f"{kind}.id": "mismatch"})
