"""JSON representations ("shapes") of the simulator's records, as Jira Cloud returns them.

This layer reads `jirasim.store` (and `jirasim.adf`) and nothing above it; `jirasim.events` and
`jirasim.rest` build on it.
"""
from jirasim.shapes.attachments import attachment
from jirasim.shapes.comments import comment
from jirasim.shapes.config import (
                                   component,
                                   create_field_meta,
                                   field_definition,
                                   field_metadata,
                                   issue_type,
                                   option,
                                   priority,
                                   project,
                                   resolution,
                                   status,
                                   status_category,
                                   version,
)
from jirasim.shapes.issues import (
                                   created_issue,
                                   field_value,
                                   issue_bean,
                                   parse_list,
                                   properties_of,
                                   remote_link,
                                   select_fields,
)
from jirasim.shapes.links import issue_link, issue_links_field, link_type, linked_issue, webhook_link
from jirasim.shapes.urls import api, avatars
from jirasim.shapes.users import user
from jirasim.shapes.workflow import history, transition

__all__ = ["api", "attachment", "avatars", "comment", "component", "create_field_meta", "created_issue",
           "field_definition", "field_metadata", "field_value", "history", "issue_bean", "issue_link",
           "issue_links_field", "issue_type", "link_type", "linked_issue", "option", "parse_list", "priority",
           "project", "properties_of", "remote_link", "resolution", "select_fields", "status", "status_category",
           "transition", "user", "version", "webhook_link"]
