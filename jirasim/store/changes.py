"""Changelog items as Jira records them: field changes, initial values, attachments, links; history entries."""
from __future__ import annotations

from jirasim.errors import bad_request
from jirasim.store.entities import ChangeGroup, Issue, now
from jirasim.store.values import describe

CHANGELOG_NAMES = {"components": "Component", "fixVersions": "Fix Version", "parent": "IssueParentAssociation"}
# The changelog REST shape (ChangeDetails); webhook changelogs also carry the tmp*AccountId keys of user fields.
REST_ITEM_KEYS = ("field", "fieldtype", "fieldId", "from", "fromString", "to", "toString")


def change_items(site, fdef, old, new) -> list[dict]:
    """The changelog items of one field going from `old` to `new` (several for multi-valued fields)."""
    name = fdef.name if fdef.custom else CHANGELOG_NAMES.get(fdef.id, fdef.id)
    base = {"field": name, "fieldtype": "custom" if fdef.custom else "jira", "fieldId": fdef.id}
    if fdef.kind in ("components", "versions"):
        lookup = {x.id: x.name for p in site.projects.values() for x in (p.components + p.versions)}
        removed = [{**base, "from": x, "fromString": lookup.get(x), "to": None, "toString": None}
                   for x in old or [] if x not in (new or [])]
        added = [{**base, "from": None, "fromString": None, "to": x, "toString": lookup.get(x)}
                 for x in new or [] if x not in (old or [])]
        return removed + added
    old_id, old_text = describe(site, fdef, old)
    new_id, new_text = describe(site, fdef, new)
    item = {**base, "from": old_id, "fromString": old_text, "to": new_id, "toString": new_text}
    if fdef.kind == "user":
        item.update({"tmpFromAccountId": old_id, "tmpToAccountId": new_id})
    return [item]


def initial_items(site, issue: Issue, field_ids) -> list[dict]:
    """The changelog Jira sends with `jira:issue_created`: every field set at creation, from nothing, by name."""
    items = []
    for fid in [*field_ids, "status"]:
        fdef = site.fields.get(fid)
        value = issue.fields.get(fid)
        if fdef is not None and fid != "project" and value not in (None, []):
            items.extend(change_items(site, fdef, [] if fdef.kind in ("components", "versions") else None, value))
    return sorted(items, key=lambda item: item["field"].lower())


def attachment_item(attachment, added: bool) -> dict:
    """The changelog item of an attachment added or removed."""
    ids = {"from": None, "fromString": None, "to": attachment.id, "toString": attachment.filename} if added else \
        {"from": attachment.id, "fromString": attachment.filename, "to": None, "toString": None}
    return {"field": "Attachment", "fieldtype": "jira", "fieldId": "attachment", **ids}


def link_item(other: Issue, phrase: str, added: bool) -> dict:
    """The changelog item of a link to `other` made or removed (`phrase` like "blocks")."""
    text = f"This issue {phrase} {other.key}"
    ids = {"from": None, "fromString": None, "to": other.key, "toString": text} if added else \
        {"from": other.key, "fromString": text, "to": None, "toString": None}
    return {"field": "Link", "fieldtype": "jira", **ids}


def history_metadata(body: dict) -> dict | None:
    """The `historyMetadata` of a write body (400 unless an object)."""
    metadata = (body or {}).get("historyMetadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise bad_request(None, historyMetadata="historyMetadata must be an object.")
    return metadata


def add_history(site, issue: Issue, user, items: list[dict], metadata: dict | None = None) -> ChangeGroup | None:
    """Append a changelog entry with `items` and bump `updated`; nothing at all when there are no items."""
    if not items:
        return None
    moment = now()
    issue.fields["updated"] = moment
    group = ChangeGroup(site.next_id("changegroup"), user.account_id if user else None, moment, items, metadata)
    issue.changelog.append(group)
    return group
