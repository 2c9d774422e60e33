"""What a pass of the engine needs from the process it runs in (a worker, or a web process for the preview): the
database sessions, a Jira client per site, both sides' metadata, workflow graphs, people, and the guards. A
Protocol, so that the engine depends on what it uses, not on how the Runtime builds it."""
from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from plugin.config.sides import Sides
from plugin.engine.people import PeopleCache
from plugin.engine.workflow import WorkflowGraphs
from plugin.guard import Guard
from plugin.jira import JiraClient
from plugin.models import Tenant


class EngineContext(Protocol):
    """The long-lived helpers of syncing (`plugin.engine.tools.Tools` is the Runtime's)."""

    sessions: sessionmaker[Session]
    sides: Sides
    graphs: WorkflowGraphs
    people: PeopleCache
    guard: Guard

    def jira_for(self, tenant: Tenant) -> JiraClient:
        """The client that acts as the app on `tenant`'s site."""
        ...

    def jira_as(self, tenant: Tenant, account_id: str) -> JiraClient | str:
        """A client that acts as the person `account_id` on `tenant`'s site, or why there is none."""
        ...
