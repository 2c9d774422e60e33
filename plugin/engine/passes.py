"""One pass of the engine over one synchronization (as redash's QueryExecutor is one run of a query): the session
it commits in, the context it runs in, the synchronization, its compiled configuration and why it runs. The passes
(runner, creating, initial, carry) take one of these instead of threading six parameters through every call."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from plugin.engine import links, problems, where
from plugin.engine.compiled import Compiled
from plugin.engine.context import EngineContext
from plugin.engine.core.mapping import PersonMatcher, Rule
from plugin.engine.core.model import IssueRead
from plugin.engine.issues import fetch
from plugin.engine.workflow import Unreachable, reach
from plugin.jira import JiraClient
from plugin.models.problems import SyncError
from plugin.models.syncs import Synchronization


@dataclass
class SyncPass:
    """One run of the engine on one synchronization."""

    session: Session
    ctx: EngineContext
    sync: Synchronization
    compiled: Compiled
    trigger: str
    acting: dict[tuple[int, str], JiraClient | str] = field(default_factory=dict, repr=False)

    def jira(self, side: int) -> JiraClient:
        """The client that acts as the app on that side's site."""
        return self.ctx.jira_for(self.sync.tenant(side))

    def jira_as(self, side: int, account_id: str) -> JiraClient | str:
        """A client that acts as the person `account_id` on that side's site (a Forge site's offline user
        impersonation), or why there is none (a Connect site; the exchange refused); asked once per pass."""
        key = (side, account_id)
        if key not in self.acting:
            self.acting[key] = self.ctx.jira_as(self.sync.tenant(side), account_id)
        return self.acting[key]

    def read(self, side: int, issue_id: str) -> IssueRead:
        """One issue of that side as the engine reads it (one GET)."""
        return fetch(self.jira(side), side, issue_id, self.compiled.field_ids[side], links.MARKER)

    def people(self, issues: dict[int, IssueRead]) -> PersonMatcher:
        """The user mapping with the people of these issues looked up."""
        return self.compiled.people(self.ctx, self.sync, issues)

    def rules(self, issues: dict[int, IssueRead], matcher: PersonMatcher | None = None) -> list[Rule]:
        """The field rules for these issues."""
        return self.compiled.rules(self.ctx, self.sync, issues, matcher)

    def problem(self, **row) -> SyncError:
        """Record a problem of this synchronization, found by this pass."""
        return problems.record(self.session, self.sync.id, trigger=self.trigger, **row)

    def reach_status(self, issue: IssueRead, status: str | None) -> bool:
        """Move `issue` through its workflow to `status`; True when it moved. A status the workflow cannot reach is
        recorded as a problem of that issue (and the issue stays where it is)."""
        if not status or issue.status_id == status:
            return False
        side = issue.side
        graph = (self.sync.tenant_id(side), self.sync.project_id(side), issue.type_id)
        try:
            with where.at(side, f"moving {issue.key} to the mapped status", issue.id, issue.key):
                reach(self.jira(side), self.ctx.graphs, graph, issue.id, issue.status_id, status)
        except Unreachable as exc:
            self.problem(category="workflow", message=str(exc), side=side, issue_id=issue.id, issue_key=issue.key,
                         field="status", permanent=True)
            return False
        issue.status_id = status
        return True
