"""Issue link representations: link types, the issueLink resource, the `issuelinks` field, the webhook bean."""
from __future__ import annotations

from jirasim.shapes import config
from jirasim.shapes.urls import api

LINKED_ISSUE_FIELDS = ("summary", "status", "priority", "issuetype")


def link_type(site, kind, api_version: str) -> dict:
    """IssueLinkType."""
    return {"id": kind.id, "name": kind.name, "inward": kind.inward, "outward": kind.outward,
            "self": api(site, api_version, f"issueLinkType/{kind.id}")}


def linked_issue(site, issue, api_version: str) -> dict:
    """LinkedIssue: the other end of a link with its summary, status, priority and type."""
    values = {"summary": issue.fields.get("summary"),
              "status": config.status(site, site.statuses[issue.fields["status"]], api_version),
              "priority": config.priority(site, site.priorities[issue.fields["priority"]], api_version)
              if issue.fields.get("priority") else None,
              "issuetype": config.issue_type(site, site.issue_types[issue.fields["issuetype"]], api_version)}
    return {"id": issue.id, "key": issue.key, "self": api(site, api_version, f"issue/{issue.id}"),
            "fields": {f: values[f] for f in LINKED_ISSUE_FIELDS}}


def issue_link(site, link, source, destination, api_version: str) -> dict:
    """IssueLink as `GET /issueLink/{id}` answers it (inwardIssue is the source, outwardIssue the destination)."""
    return {"id": link.id, "self": api(site, api_version, f"issueLink/{link.id}"),
            "type": link_type(site, link.type, api_version), "inwardIssue": linked_issue(site, source, api_version),
            "outwardIssue": linked_issue(site, destination, api_version)}


def issue_links_field(site, issue, api_version: str) -> list[dict]:
    """The `issuelinks` field of an issue: each link with only its other end, on the side it is seen from."""
    shown = []
    for link in issue.links:
        outgoing = link.source_id == issue.id
        other = site.issues.get(link.destination_id if outgoing else link.source_id)
        if other is None:
            continue
        shown.append({"id": link.id, "self": api(site, api_version, f"issueLink/{link.id}"),
                      "type": link_type(site, link.type, api_version),
                      ("outwardIssue" if outgoing else "inwardIssue"): linked_issue(site, other, api_version)})
    return shown


def webhook_link(link) -> dict:
    """The `issueLink` of `issuelink_created|deleted` payloads."""
    kind = link.type
    return {"id": int(link.id), "sourceIssueId": int(link.source_id), "destinationIssueId": int(link.destination_id),
            "issueLinkType": {"id": int(kind.id), "name": kind.name, "outwardName": kind.outward,
                              "inwardName": kind.inward, "isSubTaskLinkType": False, "isSystemLinkType": False},
            "sequence": 0, "systemLink": False}
