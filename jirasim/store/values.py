"""Parse field values sent by REST callers into internal values, and describe values for the changelog."""
from __future__ import annotations

import re
from datetime import date

from jirasim import adf

ARRAY_KINDS = {"labels", "components", "versions", "multiselect"}
READ_ONLY = {"status", "resolution", "created", "updated", "creator", "attachment", "comment", "issuelinks"}


class FieldError(Exception):
    """An invalid value for one field (Jira reports it in `errors[field]`)."""


def cannot_set(field_id: str) -> str:
    """Jira's message for a field that is unknown or not on the screen."""
    return f"Field '{field_id}' cannot be set. It is not on the appropriate screen, or unknown."


def _ref(raw, what: str) -> tuple[str, str]:
    if isinstance(raw, dict):
        for attr in ("id", "key", "name", "value", "accountId"):
            if raw.get(attr) not in (None, ""):
                return attr, str(raw[attr])
    if isinstance(raw, (str, int)) and not isinstance(raw, bool):
        return "id", str(raw)
    raise FieldError(f"Specify a valid 'id' or 'name' for {what}")


def _user(site, raw, fdef):
    if raw is None or (isinstance(raw, dict) and raw.get("accountId") is None and not raw.get("id")):
        return None
    account_id = raw.get("accountId") or raw.get("id") if isinstance(raw, dict) else str(raw)
    user = site.user(account_id)
    if user is None or not user.active:
        raise FieldError(f"Specify a valid value for {fdef.name.lower()}")
    return user.account_id


def _option(fdef, raw) -> str:
    attr, text = _ref(raw, fdef.name)
    for option_id, value in fdef.options:
        if (attr == "id" and option_id == text) or (attr == "value" and value == text):
            return option_id
    raise FieldError(f"Option {'id' if attr == 'id' else 'value'} '{text}' is not valid")


def _named(items, raw, label: str) -> str:
    attr, text = _ref(raw, label)
    for item in items:
        if (attr == "id" and item.id == text) or (attr == "name" and item.name == text):
            return item.id
    raise FieldError(f"{label} {'id' if attr == 'id' else 'name'} '{text}' is not valid")


def _component(project, raw) -> str:
    return _named(project.components, raw, "Component")


def _version(project, raw) -> str:
    return _named(project.versions, raw, "Version")


def _label(raw) -> str:
    if not isinstance(raw, str) or not raw:
        raise FieldError("Operation value must be a string")
    if re.search(r"\s", raw):
        raise FieldError(f"The label '{raw}' contains spaces which is invalid.")
    if len(raw) > 255:
        raise FieldError("The label must not exceed 255 characters.")
    return raw


def parse_element(site, project, fdef, raw):
    """One element of an array field (a label, a component id, a version id, an option id)."""
    if fdef.kind == "labels":
        return _label(raw)
    if fdef.kind == "components":
        return _component(project, raw)
    if fdef.kind == "versions":
        return _version(project, raw)
    return _option(fdef, raw)


def parse(site, project, fdef, raw, api_version: str):
    """The internal value of `raw` for field `fdef` (FieldError when invalid)."""
    kind = fdef.kind
    if kind in ARRAY_KINDS:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise FieldError("data was not an array")
        return list(dict.fromkeys(parse_element(site, project, fdef, r) for r in raw))
    if kind == "string":
        if raw is not None and not isinstance(raw, str):
            raise FieldError("Operation value must be a string")
        if fdef.id == "summary":
            if not (raw or "").strip():
                raise FieldError("You must specify a summary of the issue.")
            if len(raw) > 255:
                raise FieldError("Summary must be less than 255 characters.")
        elif raw is not None and len(raw) > 255:
            raise FieldError("Text fields must be less than 255 characters.")
        return raw or None
    if kind == "adf":
        if raw is None or raw == "":
            return None
        if api_version == "3":
            if not adf.is_document(raw):
                raise FieldError("Operation value must be an Atlassian Document (see the Atlassian Document Format)")
            return raw
        if not isinstance(raw, str):
            raise FieldError("Operation value must be a string")
        return adf.from_text(raw)
    if kind == "number":
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise FieldError("Operation value must be a number")
        return raw
    if kind == "date":
        if raw in (None, ""):
            return None
        try:
            return date.fromisoformat(str(raw)[:10]).isoformat() if len(str(raw)) == 10 else _bad_date(raw)
        except ValueError:
            return _bad_date(raw)
    if kind == "select":
        return None if raw is None else _option(fdef, raw)
    if kind == "user":
        return _user(site, raw, fdef)
    if kind == "priority":
        if raw is None:
            return None
        attr, text = _ref(raw, "Priority")
        found = site.priorities.get(text) if attr == "id" else next(
            (p for p in site.priorities.values() if p.name == text), None)
        if found is None:
            raise FieldError("Specify a valid 'id' or 'name' for Priority")
        return found.id
    if kind == "issuetype":
        _, text = _ref(raw, "issue type")
        found = site.issue_type(text)
        if found is None:
            raise FieldError("Specify an issue type")
        return found.id
    if kind == "parent":
        if raw is None:
            return None
        _, text = _ref(raw, "parent")
        parent = site.issue(text)
        if parent is None:
            raise FieldError("Could not find issue by id or key.")
        return parent.id
    raise FieldError(cannot_set(fdef.id))


def _bad_date(raw):
    raise FieldError(f"Error parsing date string: {raw}")


def describe(site, fdef, value) -> tuple:
    """(from/to id, from/to string) of a value as Jira's changelog shows it."""
    kind = fdef.kind
    if value is None or value == []:
        return None, None
    if kind == "adf":
        return None, adf.to_text(value)
    if kind in ("string", "date"):
        return None, value
    if kind == "number":
        return None, str(value)
    if kind == "labels":
        return None, " ".join(value)
    if kind == "user":
        user = site.user(value)
        return value, user.display_name if user else value
    if kind == "priority":
        return value, site.priorities[value].name
    if kind == "issuetype":
        return value, site.issue_types[value].name
    if kind == "status":
        return value, site.statuses[value].name
    if kind == "select":
        return value, dict(fdef.options).get(value, value)
    if kind == "multiselect":
        names = dict(fdef.options)
        return "[" + ", ".join(value) + "]", ",".join(names.get(v, v) for v in value)
    if kind == "parent":
        parent = site.issues.get(value)
        return value, parent.key if parent else value
    if kind == "resolution":
        return value, "Done"
    return None, str(value)
