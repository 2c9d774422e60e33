"""What syncing needs from the process it runs in: sessions, a Jira client per site, metadata, workflow graphs,
people, and the guards (locks, pauses, budgets). Built once from the Runtime; no Flask, no RQ."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from plugin.config.sides import Sides
from plugin.engine.people import PeopleCache
from plugin.engine.workflow import WorkflowGraphs
from plugin.guard import Guard
from plugin.jira import JiraClient
from plugin.models import Tenant


@dataclass
class Tools:
    """The long-lived helpers of syncing."""

    sessions: sessionmaker[Session]
    jira_for: Callable[[Tenant], JiraClient]
    jira_as: Callable[[Tenant, str], JiraClient | str]  # a client acting as that person, or why there is none
    sides: Sides
    graphs: WorkflowGraphs
    people: PeopleCache
    guard: Guard
