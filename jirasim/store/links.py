"""Issue links: Jira's default link types, linking two issues (once per type and direction), unlinking."""
from __future__ import annotations

from jirasim.errors import JiraError, not_found
from jirasim.store.changes import add_history, link_item
from jirasim.store.entities import ChangeGroup, Issue, IssueLink, IssueLinkType
from jirasim.store.issues import record_write

LINK_TYPES = (IssueLinkType("10000", "Blocks", "is blocked by", "blocks"),
              IssueLinkType("10001", "Cloners", "is cloned by", "clones"),
              IssueLinkType("10002", "Duplicate", "is duplicated by", "duplicates"),
              IssueLinkType("10003", "Relates", "relates to", "relates to"))


def link_type(ref: dict) -> IssueLinkType:
    """The link type named by `{"id": ...}` or `{"name": ...}`; 404 like Jira otherwise."""
    ref = ref if isinstance(ref, dict) else {}
    wanted_id, wanted_name = str(ref.get("id") or ""), str(ref.get("name") or "")
    for kind in LINK_TYPES:
        if (wanted_id and kind.id == wanted_id) or (not wanted_id and kind.name.lower() == wanted_name.lower()):
            return kind
    if not wanted_id and not wanted_name:
        raise JiraError(400, None, {"issueLinkType": "Issue link type is required."})
    raise not_found(f"No issue link type with {'id' if wanted_id else 'name'} "
                    f"'{wanted_id or wanted_name}' found.")


def find_link(site, link_id) -> tuple[IssueLink, Issue, Issue] | None:
    """(link, source issue, destination issue) of a link id, or None."""
    for issue in site.issues.values():
        for link in issue.links:
            if link.id == str(link_id):
                return link, site.issues[link.source_id], site.issues[link.destination_id]
    return None


def link(site, user, kind: IssueLinkType, source: Issue, destination: Issue) -> tuple[IssueLink, list] | None:
    """Link `source` to `destination` (changelog on both); None when that link already exists, as Jira allows."""
    for existing in source.links:
        if (existing.type.id, existing.source_id, existing.destination_id) == (kind.id, source.id, destination.id):
            return None
    made = IssueLink(site.next_id("issuelink"), kind, source.id, destination.id)
    history = _history(site, user, made, source, destination, added=True)
    source.links.append(made)
    destination.links.append(made)
    return made, history


def unlink(site, user, made: IssueLink, source: Issue, destination: Issue) -> list:
    """Remove a link from both issues (changelog on both); the history entries."""
    history = _history(site, user, made, source, destination, added=False)
    source.links.remove(made)
    destination.links.remove(made)
    return history


def _history(site, user, made, source, destination, added: bool) -> list[tuple[Issue, ChangeGroup]]:
    record_write(source)
    record_write(destination)
    return [(source, add_history(site, source, user, [link_item(destination, made.type.outward, added)])),
            (destination, add_history(site, destination, user, [link_item(source, made.type.inward, added)]))]
