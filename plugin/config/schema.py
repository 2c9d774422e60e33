"""The configuration document's JSON Schema, and the check that reports every problem with its JSON path."""
from __future__ import annotations

from functools import lru_cache

import jsonschema

from plugin.errors import MAX_QUOTED, quoted

DIRECTIONS = ("both", "1→2", "2→1")
SPELLINGS = {"1->2": "1→2", "2->1": "2→1"}  # what a person types, normalised on save
KINDS_OF_TRANSFORM = ("copy", "valueMap", "toText")
MENTIONS = ("map", "text")  # users.mentions: through the user mapping, or always plain "@Name" (nobody notified)
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024

_REF = {"type": "object", "required": ["id"], "additionalProperties": False,
        "properties": {"id": {"type": "string", "minLength": 1, "maxLength": 255},
                       "name": {"type": "string", "maxLength": 255}}}
_DIRECTION = {"enum": list(DIRECTIONS)}
_PAIR = {"1": _REF, "2": _REF}
_ACCOUNT = {"type": "string", "minLength": 1, "maxLength": 128}

DOCUMENT_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Configuration",
    "type": "object",
    "additionalProperties": False,
    "required": ["issueTypes", "fields", "statuses", "users", "comments", "attachments", "filters",
                 "existingIssues", "deletes"],
    "properties": {
        "issueTypes": {"type": "array", "maxItems": 200, "items": {
            "type": "object", "additionalProperties": False, "required": ["1", "2", "direction"],
            "properties": {**_PAIR, "direction": _DIRECTION}}},
        "fields": {"type": "array", "maxItems": 500, "items": {
            "type": "object", "additionalProperties": False, "required": ["1", "2", "direction"],
            "properties": {
                **_PAIR, "direction": _DIRECTION,
                "conflict": {"enum": ["newest", "1", "2"], "description": "two-way fields: who wins a conflict"},
                "createMissing": {"type": "boolean",
                                  "description": "components, versions: add a value the partner lacks"},
                "syncDetails": {"type": "boolean",
                                "description": "components, versions: keep each value equal to its partner (paired "
                                               "by id once matched by name or created): its name (a rename is "
                                               "renamed, never created again) and description, and a version's "
                                               "releaseDate, startDate, released and archived (a date cleared "
                                               "stays); the winning side's, one-way or by `conflict`, whenever an "
                                               "issue carrying the value syncs"},
                "transform": {"type": "object", "required": ["type"], "additionalProperties": False, "properties": {
                    "type": {"enum": list(KINDS_OF_TRANSFORM)},
                    "pairs": {"type": "array", "maxItems": 1000, "items": {
                        "type": "object", "additionalProperties": False, "required": ["1", "2"],
                        "properties": _PAIR}},
                    "default": {"type": "object", "additionalProperties": False, "properties": _PAIR}}}}}},
        "statuses": {"type": "array", "maxItems": 500, "items": {
            "type": "object", "additionalProperties": False, "required": ["1", "2"],
            "properties": {**_PAIR, "direction": _DIRECTION}}},
        "users": {"type": "object", "additionalProperties": False, "required": ["match", "fallback"], "properties": {
            "match": {"type": "array", "uniqueItems": True, "items": {"enum": ["accountId", "email"]}},
            "pairs": {"type": "array", "maxItems": 1000, "items": {
                "type": "object", "additionalProperties": False, "required": ["1", "2"],
                "properties": {"1": _ACCOUNT, "2": _ACCOUNT}}},
            "fallback": {"type": "object", "additionalProperties": False, "required": ["type"], "properties": {
                "type": {"enum": ["unassigned", "user"]}, "1": _ACCOUNT, "2": _ACCOUNT}},
            "mentions": {"enum": list(MENTIONS), "default": "map",
                         "description": "Mentions (@someone) in comments, worklog comments and document (rich text) "
                                        "fields. map "
                                        "(default, also when absent): through the user mapping — explicit pairs, "
                                        "the same account, e-mail; never the fallback user — and a person without a "
                                        "counterpart becomes plain text \"@Display Name\". text: every mention "
                                        "becomes plain text \"@Display Name\" on the partner, so nobody on the "
                                        "other site is notified.",
                         "x-fix": "choose map (mentions follow the user mapping) or text (copied as plain "
                                  "\"@Name\", nobody on the other site is notified), or leave it out for map"}}},
        "comments": {"type": "object", "additionalProperties": False, "required": ["direction"], "properties": {
            "direction": {"enum": [*DIRECTIONS, "none"]},
            "visibility": {"enum": ["all", "public"]},
            "attribution": {"type": "string", "maxLength": 255}}},
        "attachments": {"type": "object", "additionalProperties": False, "required": ["direction"], "properties": {
            "direction": {"enum": [*DIRECTIONS, "none"]},
            "maxSize": {"type": "integer", "minimum": 0, "maximum": MAX_ATTACHMENT_BYTES,
                        "description": "bytes; a file over this, or over the partner site's upload limit (its "
                                       "metadata's attachments.uploadLimit), is skipped with an error row"},
            "exclude": {"type": "array", "maxItems": 50, "items": {"type": "string", "minLength": 1,
                                                                   "maxLength": 255}}}},
        "filters": {"type": "object", "additionalProperties": False, "required": ["1", "2"], "properties": {
            "1": {"type": ["string", "null"], "maxLength": 2000},
            "2": {"type": ["string", "null"], "maxLength": 2000}}},
        "existingIssues": {"enum": ["sync", "ignore"]},
        "deletes": {"enum": ["ignore", "unlink"]},
        "pairing": {
            "type": "object", "additionalProperties": False, "required": ["by"],
            "description": "With existingIssues: sync, the initial sync first pairs issues that already exist on both "
                           "sides (a pair is linked and merged by the conflict policy, and never gets a partner "
                           "created); absent or by: none, every existing issue gets a partner. An ambiguous match is "
                           "refused (an error row naming the candidates): that issue is neither paired nor created.",
            "properties": {
                "by": {"enum": ["none", "key-field", "summary", "csv"],
                       "description": "key-field: a field on one side holds the other side's issue key; summary: "
                                      "exactly equal summaries (white space aside); csv: the pairs below"},
                "field": {"type": "object", "additionalProperties": False, "minProperties": 1,
                          "description": "key-field: per side, the text field that holds the other side's key",
                          "properties": _PAIR},
                "pairs": {"type": "array", "maxItems": 10000,
                          "description": "csv: [side 1 key, side 2 key] pairs, as uploaded (line n = pair n)",
                          "items": {"type": "array", "minItems": 2, "maxItems": 2,
                                    "items": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]{0,254}-[0-9]{1,18}$"}}},
                "unpaired": {"enum": ["create", "skip"],
                             "description": "existing issues left unpaired: given a partner (default) or left alone"}}},
        "issueLinks": {
            "type": "object", "additionalProperties": False, "required": ["direction"],
            "description": "Issue links between two issues that this synchronization both syncs are carried to their "
                           "partners, and their removal too; absent: none. A link whose other end has no partner yet "
                           "waits, and is carried once it has one.",
            "properties": {
                "direction": {"enum": [*DIRECTIONS, "none"]},
                "sameName": {"type": "boolean", "description": "a link type without a row in `types` maps to the "
                                                               "other side's type of the same name (default true)"},
                "types": {"type": "array", "maxItems": 200, "description": "link types mapped by hand, by id",
                          "items": {"type": "object", "additionalProperties": False, "required": ["1", "2"],
                                    "properties": _PAIR}}}},
        "hierarchy": {
            "type": "object", "additionalProperties": False, "required": ["direction"],
            "description": "Sub-tasks and children follow their parent: a child is synced once its parent has a "
                           "partner (or with it, in one pass), and a move to another parent (the `parent` field) is "
                           "carried in this direction; absent: none. A parent outside the synchronization leaves the "
                           "child unsynced, with an error row. Sub-task types map only to sub-task types (their "
                           "hierarchyLevel, -1); with hierarchy off, sub-task types cannot be mapped.",
            "properties": {"direction": {"enum": [*DIRECTIONS, "none"]}}},
        "worklogs": {
            "type": "object", "additionalProperties": False, "required": ["direction"],
            "description": "Worklogs are carried (created, edited, deleted), never echoed; absent: none.",
            "properties": {
                "direction": {"enum": [*DIRECTIONS, "none"]},
                "mode": {"enum": ["anonymous", "user"],
                         "description": "anonymous (default): written by Work Sync's user, the author and start time "
                                        "in the worklog's comment; user: on a Forge site written as the mapped "
                                        "person (the user mapping; Forge's offline user impersonation), who Jira "
                                        "shows as the author, with the original comment and start; on a Connect "
                                        "site (Jira logs work only as the caller), or when the person has no "
                                        "account there or Jira refuses, written by Work Sync's user naming them "
                                        "in the comment's first line, and a mapping problem says why"}}},
    },
}


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(DOCUMENT_SCHEMA)


def json_path(parts) -> str:
    """`/fields/2/transform` for a sequence of keys and indexes."""
    return "/" + "/".join(str(part) for part in parts)


def normalise(document):
    """The document with directions typed as `1->2` written `1→2` (returns a new object)."""
    if isinstance(document, dict):
        return {key: normalise(value) for key, value in document.items()}
    if isinstance(document, list):
        return [normalise(value) for value in document]
    return SPELLINGS.get(document, document) if isinstance(document, str) else document


def shape_problems(document) -> list[dict]:
    """Every way `document` breaks the schema, one {path, message} each, in document order."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [{"path": json_path(error.absolute_path), "message": _message(error)} for error in errors]


def _message(error: jsonschema.ValidationError) -> str:
    """jsonschema's message in our words, quoting the offending value at most `MAX_QUOTED` characters long."""
    message = _worded(error)
    whole = repr(error.instance)
    return message.replace(whole, quoted(error.instance)) if len(whole) > MAX_QUOTED else message


def _worded(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key(s) not allowed")
    if error.validator == "enum":
        allowed = error.validator_value if isinstance(error.validator_value, list) else []
        fix = error.schema.get("x-fix") if isinstance(error.schema, dict) else None  # what to do, where it is known
        return f"must be one of {', '.join(map(str, allowed))}, not {quoted(error.instance)}" + (
            f": {fix}" if fix else "")
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    return error.message
