"""In-memory state of the simulator's sites: Site and its records (users, projects, issues, installed apps).

The bottom layer: it imports only `jirasim.adf`, `jirasim.errors` and `jirasim.jql`.
"""
from jirasim.store.entities import jira_time, now
from jirasim.store.site import Site

__all__ = ["Site", "jira_time", "now"]
